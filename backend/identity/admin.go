package identity

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strconv"
	"strings"

	"caiji/backend/apperr"
	"caiji/backend/audit"
	"caiji/backend/fields"
	"caiji/backend/session"
)

// Administration. The app checks roles before calling, but the rules live
// here: every method re-reads the actor from the database inside its
// transaction, so a stale session (roles revoked, account disabled since
// login) cannot act on what it used to be.

// loadActor returns the actor as the database knows it now.
func (r *Registry) loadActor(ctx context.Context, q querier, actor User) (User, error) {
	u, err := r.getUser(ctx, q, actor.ID)
	if apperr.Is(err, apperr.NotFound) || err == nil && u.Disabled {
		return User{}, apperr.New(apperr.Forbidden, "当前账号不存在或已停用，无权操作。")
	}
	return u, err
}

// as is the actor re-read from the database, acting with the
// certificate the caller named (the session's), which the stored account
// would not know if it were renewed meanwhile.
func as(loaded, caller User) User {
	if caller.Cert.Fingerprint != "" {
		loaded.Cert.Fingerprint = caller.Cert.Fingerprint
	}
	return loaded
}

func requireSysAdmin(u User, what string) error {
	if !hasRole(u, session.SysAdmin) {
		return apperr.New(apperr.Forbidden, what+"只能由系统管理员办理。")
	}
	return nil
}

// beginAsSysAdmin opens the write transaction of a sysadmin-only change and
// re-reads the actor inside it, so roles removed since login count.
func (r *Registry) beginAsSysAdmin(ctx context.Context, actor User, what string) (*sql.Tx, User, error) {
	tx, err := r.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, User{}, internal("无法开始数据库事务。", err)
	}
	a, err := r.loadActor(ctx, tx, actor)
	if err == nil {
		err = requireSysAdmin(a, what)
	}
	if err != nil {
		tx.Rollback()
		return nil, User{}, err
	}
	return tx, a, nil
}

// CreateOrgUnit adds a department (sysadmin only).
func (r *Registry) CreateOrgUnit(ctx context.Context, actor User, code, name string) (OrgUnit, error) {
	code, name = strings.TrimSpace(code), strings.TrimSpace(name)
	if code == "" || name == "" {
		return OrgUnit{}, apperr.New(apperr.BadInput, "请填写单位代码和单位名称。")
	}
	tx, a, err := r.beginAsSysAdmin(ctx, actor, "新建单位")
	if err != nil {
		return OrgUnit{}, err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM org_units WHERE code = ?", code).Scan(&n); err != nil {
		return OrgUnit{}, internal("无法检查单位代码。", err)
	}
	if n > 0 {
		return OrgUnit{}, apperr.New(apperr.BadInput, "单位代码 "+code+" 已存在。")
	}
	res, err := tx.ExecContext(ctx, "INSERT INTO org_units(code, name, created_at) VALUES (?, ?, ?)", code, name, ts(r.now()))
	if err != nil {
		return OrgUnit{}, internal("无法创建单位。", err)
	}
	id, _ := res.LastInsertId()
	if err := r.record(ctx, tx, as(a, actor), audit.ActOrgCreate, "org:"+strconv.FormatInt(id, 10), nil,
		map[string]any{"code": code, "name": name}); err != nil {
		return OrgUnit{}, err
	}
	if err := tx.Commit(); err != nil {
		return OrgUnit{}, internal("无法保存单位。", err)
	}
	return OrgUnit{ID: id, Code: code, Name: name}, nil
}

// ListOrgUnits returns all departments by id.
func (r *Registry) ListOrgUnits(ctx context.Context) ([]OrgUnit, error) {
	rows, err := r.db.QueryContext(ctx, "SELECT id, code, name FROM org_units ORDER BY id")
	if err != nil {
		return nil, internal("无法读取单位列表。", err)
	}
	defer rows.Close()
	out := []OrgUnit{}
	for rows.Next() {
		var o OrgUnit
		if err := rows.Scan(&o.ID, &o.Code, &o.Name); err != nil {
			return nil, internal("无法读取单位列表。", err)
		}
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		return nil, internal("无法读取单位列表。", err)
	}
	return out, nil
}

// OrgUnitCode returns a department's code: what the platform knows it by.
func (r *Registry) OrgUnitCode(ctx context.Context, id int64) (string, error) {
	var code string
	if err := r.db.QueryRowContext(ctx, "SELECT code FROM org_units WHERE id = ?", id).Scan(&code); err != nil {
		return "", internal("无法读取单位编码。", err)
	}
	return code, nil
}

// CreateUser opens a real-name account bound to cert (sysadmin only). The
// initial password is handed over by the administrator, so the user must
// change it at first login. Roles are granted separately (SetRoles).
func (r *Registry) CreateUser(ctx context.Context, actor User, name string, orgUnitID int64, cert CertRef, initialPassword string) (User, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return User{}, apperr.New(apperr.BadInput, "请填写用户的真实姓名。")
	}
	cert, hash, err := r.prepareAccount(cert, initialPassword)
	if err != nil {
		return User{}, err
	}
	tx, a, err := r.beginAsSysAdmin(ctx, actor, "新建账号")
	if err != nil {
		return User{}, err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM org_units WHERE id = ?", orgUnitID).Scan(&n); err != nil {
		return User{}, internal("无法检查单位。", err)
	}
	if n == 0 {
		return User{}, apperr.New(apperr.BadInput, "所选单位不存在，请刷新后重试。")
	}
	var holder string
	err = tx.QueryRowContext(ctx, "SELECT name FROM users WHERE cert_issuer = ? AND cert_serial = ?",
		cert.Issuer, cert.Serial).Scan(&holder)
	if err == nil {
		// Accounts are personal: one key, one person.
		return User{}, apperr.New(apperr.BadInput, "该证书已绑定用户 "+holder+"，一张证书只能绑定一个账号。")
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return User{}, internal("无法检查证书绑定。", err)
	}
	id, err := insertUser(ctx, tx, name, orgUnitID, cert, hash, true, ts(r.now()), a.ID)
	if err != nil {
		return User{}, err
	}
	u, err := r.getUser(ctx, tx, id)
	if err != nil {
		return User{}, err
	}
	if err := r.storeCert(ctx, tx, cert); err != nil {
		return User{}, err
	}
	if err := r.record(ctx, tx, as(a, actor), audit.ActUserCreate, userObject(id), nil, map[string]any{
		"name": fields.MaskName(name), "org_unit": orgUnitID, "must_change_password": true,
		"cert": audit.ColonHex(cert.Fingerprint), "cert_serial": audit.ColonHex(cert.Serial)}); err != nil {
		return User{}, err
	}
	if err := tx.Commit(); err != nil {
		return User{}, internal("无法保存账号。", err)
	}
	return u, nil
}

// SetRoles replaces userID's roles. ValidateRoles comes first. Then who may
// change what:
//   - nobody changes their own roles (no self-granting);
//   - secadmin (角色授权) changes business and administrator roles;
//   - sysadmin changes administrator roles only, and only while nobody
//     holds secadmin yet: the first administrator must be able to appoint
//     the secadmin, after which authorisation is the secadmin's alone;
//   - everyone else (auditor included) changes nothing.
//
// The check and the write share one transaction; a refusal changes nothing.
func (r *Registry) SetRoles(ctx context.Context, actor User, userID int64, roles []session.Role) error {
	want, err := normalizeRoles(roles)
	if err != nil {
		return err
	}
	tx, err := r.db.BeginTx(ctx, nil)
	if err != nil {
		return internal("无法开始数据库事务。", err)
	}
	defer tx.Rollback()
	a, err := r.loadActor(ctx, tx, actor)
	if err != nil {
		return err
	}
	isSec, isSys := hasRole(a, session.SecAdmin), hasRole(a, session.SysAdmin)
	if !isSec && !isSys {
		return apperr.New(apperr.Forbidden, "角色授权只能由安全保密管理员办理。")
	}
	if a.ID == userID {
		return apperr.New(apperr.Forbidden, "不能修改自己的角色，请由另一名管理员办理。")
	}
	target, err := r.getUser(ctx, tx, userID)
	if err != nil {
		return err
	}
	changed := symmetricDiff(target.Roles, want)
	if len(changed) == 0 {
		return nil
	}
	if !isSec {
		for _, role := range changed {
			if !isAdminRole(role) {
				return apperr.New(apperr.Forbidden, "系统管理员不能授予或撤销"+roleNames[role]+"角色，业务角色由安全保密管理员授权。")
			}
		}
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM user_roles WHERE role = ?", session.SecAdmin).Scan(&n); err != nil {
			return internal("无法读取角色信息。", err)
		}
		if n > 0 {
			return apperr.New(apperr.Forbidden, "已设立安全保密管理员，角色授权须由安全保密管理员办理。")
		}
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM user_roles WHERE user_id = ?", userID); err != nil {
		return internal("无法更新角色。", err)
	}
	for _, role := range want {
		if _, err := tx.ExecContext(ctx, "INSERT INTO user_roles(user_id, role) VALUES (?, ?)", userID, role); err != nil {
			return internal("无法更新角色。", err)
		}
	}
	if err := r.record(ctx, tx, as(a, actor), audit.ActUserRoles, userObject(userID),
		map[string]any{"roles": target.Roles}, map[string]any{"roles": want}); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return internal("无法保存角色。", err)
	}
	return nil
}

// symmetricDiff returns the roles granted or removed going from have to want.
func symmetricDiff(have, want []session.Role) []session.Role {
	var out []session.Role
	for _, r := range session.AllRoles {
		if slices.Contains(have, r) != slices.Contains(want, r) {
			out = append(out, r)
		}
	}
	return out
}

// SetDisabled disables or re-enables an account (sysadmin only, never
// their own: an administrator cannot lock themselves out, nor quietly
// re-enable themselves). Accounts are never deleted, so records keep a person.
func (r *Registry) SetDisabled(ctx context.Context, actor User, userID int64, disabled bool) error {
	tx, a, err := r.beginAsSysAdmin(ctx, actor, "停用或启用账号")
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if a.ID == userID {
		return apperr.New(apperr.Forbidden, "不能停用或启用自己的账号，请由另一名系统管理员办理。")
	}
	target, err := r.getUser(ctx, tx, userID)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "UPDATE users SET disabled = ? WHERE id = ?", disabled, userID); err != nil {
		return internal("无法更新账号状态。", err)
	}
	if err := r.record(ctx, tx, as(a, actor), audit.ActUserDisable, userObject(userID),
		map[string]any{"disabled": target.Disabled}, map[string]any{"disabled": disabled}); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return internal("无法保存账号状态。", err)
	}
	return nil
}
