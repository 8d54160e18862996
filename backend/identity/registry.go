// Package identity is the local user registry: real-name accounts bound to
// a USB-key certificate, their passwords (the second factor), lockout, and
// who may grant which role (三员分立). Its tables come from store migration
// 0002; the database, not the session, is the source of truth for roles.
package identity

import (
	"caiji/backend/store"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"caiji/backend/apperr"
	"caiji/backend/audit"
	"caiji/backend/fields"
	"caiji/backend/session"
)

// CertRef identifies the certificate an account is bound to.
type CertRef struct {
	Issuer      string    `json:"issuer"` // issuer DN string
	Serial      string    `json:"serial"` // hex; stored lowercase without leading zeros
	SKI         string    `json:"ski"`
	Fingerprint string    `json:"fingerprint"`
	Subject     string    `json:"subject"`
	NotAfter    time.Time `json:"notAfter"`
	// DER is the certificate itself when it was read from a file or a
	// key; it is kept (audit_certs) so that the chain heads its key signs
	// can be verified. Never sent to the UI.
	DER []byte `json:"-"`
}

// OrgUnit is a department (机构).
type OrgUnit struct {
	ID   int64  `json:"id"`
	Code string `json:"code"`
	Name string `json:"name"`
}

// User is an account as the rest of the app sees it. It never carries the
// password hash.
type User struct {
	ID                 int64          `json:"id"`
	Name               string         `json:"name"`
	OrgUnitID          int64          `json:"orgUnitId"`
	OrgUnit            string         `json:"orgUnit"`
	Roles              []session.Role `json:"roles"`
	Cert               CertRef        `json:"cert"`
	Disabled           bool           `json:"disabled"`
	MustChangePassword bool           `json:"mustChangePassword"`
	PasswordChangedAt  time.Time      `json:"passwordChangedAt"`
	LockedUntil        *time.Time     `json:"lockedUntil"` // nil unless locked now
}

// Policy holds the password and lockout rules; zero fields get defaults.
type Policy struct {
	MaxFailures    int           // consecutive wrong passwords before a lock (5)
	LockFor        time.Duration // how long a lock lasts (15 min)
	PasswordMaxAge time.Duration // passwords are changed periodically (90 days)
	RemindBefore   time.Duration // start reminding this long before expiry (7 days)
}

func (p Policy) withDefaults() Policy {
	if p.MaxFailures <= 0 {
		p.MaxFailures = 5
	}
	if p.LockFor <= 0 {
		p.LockFor = 15 * time.Minute
	}
	if p.PasswordMaxAge <= 0 {
		p.PasswordMaxAge = 90 * 24 * time.Hour
	}
	if p.RemindBefore <= 0 {
		p.RemindBefore = 7 * 24 * time.Hour
	}
	return p
}

// Registry reads and changes accounts. It is safe for concurrent use: the
// rules that span reads and writes run inside one (IMMEDIATE) transaction.
type Registry struct {
	db     *sql.DB
	policy Policy
	now    func() time.Time
	params argonParams
}

// NewRegistry uses db (a store.Store's handle, migrated to 0002 or later).
// now may be nil for time.Now; tests inject a clock.
func NewRegistry(db *sql.DB, p Policy, now func() time.Time) *Registry {
	if now == nil {
		now = time.Now
	}
	return &Registry{db: db, policy: p.withDefaults(), now: now, params: hashParams}
}

// Policy returns the effective policy (the UI needs RemindBefore).
func (r *Registry) Policy() Policy { return r.policy }

// tsLayout is fixed-width so SQL can compare timestamps as strings.
const tsLayout = store.TimeLayout

func ts(t time.Time) string { return t.UTC().Format(tsLayout) }

func parseTS(s string) (time.Time, error) { return time.Parse(tsLayout, s) }

// beijing is Asia/Shanghai. China has had no daylight saving since 1991, so
// a fixed zone is exact and needs no tzdata on Windows PCs.
var beijing = time.FixedZone("CST", 8*3600)

// querier is what *sql.DB and *sql.Tx share.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func internal(msg string, err error) error {
	return apperr.Wrap(apperr.Internal, msg, err)
}

const userSelect = `
SELECT u.id, u.name, u.org_unit_id, o.name,
       u.cert_issuer, u.cert_serial, u.cert_ski, u.cert_fingerprint, u.cert_subject, u.cert_not_after,
       u.disabled, u.must_change_password, u.password_changed_at, u.locked_until,
       COALESCE((SELECT group_concat(role) FROM user_roles WHERE user_id = u.id), '')
FROM users u JOIN org_units o ON o.id = u.org_unit_id`

type scanner interface{ Scan(dest ...any) error }

func (r *Registry) scanUser(s scanner) (User, error) {
	var u User
	var notAfter, changedAt, roles string
	var locked sql.NullString
	err := s.Scan(&u.ID, &u.Name, &u.OrgUnitID, &u.OrgUnit,
		&u.Cert.Issuer, &u.Cert.Serial, &u.Cert.SKI, &u.Cert.Fingerprint, &u.Cert.Subject, &notAfter,
		&u.Disabled, &u.MustChangePassword, &changedAt, &locked, &roles)
	if err != nil {
		return u, err
	}
	if u.Cert.NotAfter, err = parseTS(notAfter); err != nil {
		return u, err
	}
	if u.PasswordChangedAt, err = parseTS(changedAt); err != nil {
		return u, err
	}
	if locked.Valid {
		until, err := parseTS(locked.String)
		if err != nil {
			return u, err
		}
		if until.After(r.now()) {
			u.LockedUntil = &until
		}
	}
	held := strings.Split(roles, ",")
	u.Roles = []session.Role{}
	for _, role := range session.AllRoles { // stable display order
		if slices.Contains(held, string(role)) {
			u.Roles = append(u.Roles, role)
		}
	}
	return u, nil
}

func (r *Registry) getUser(ctx context.Context, q querier, id int64) (User, error) {
	u, err := r.scanUser(q.QueryRowContext(ctx, userSelect+" WHERE u.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, apperr.New(apperr.NotFound, fmt.Sprintf("用户（编号 %d）不存在。", id))
	}
	if err != nil {
		return User{}, internal("无法读取用户信息。", err)
	}
	return u, nil
}

// Get returns the user with id (NotFound if none).
func (r *Registry) Get(ctx context.Context, id int64) (User, error) {
	return r.getUser(ctx, r.db, id)
}

// FindByCert returns the account bound to the certificate issuer+serial:
// UnknownUser if none, UserDisabled if it is disabled. With UserDisabled the
// user is returned as well, so the caller can record the refusal against it.
func (r *Registry) FindByCert(ctx context.Context, issuer, serial string) (User, error) {
	u, err := r.scanUser(r.db.QueryRowContext(ctx,
		userSelect+" WHERE u.cert_issuer = ? AND u.cert_serial = ?", strings.TrimSpace(issuer), normalizeSerial(serial)))
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, apperr.New(apperr.UnknownUser, "该证书未绑定任何账号，请联系系统管理员开通。")
	}
	if err != nil {
		return User{}, internal("无法读取用户信息。", err)
	}
	if u.Disabled {
		return u, apperr.New(apperr.UserDisabled, "账号已停用，请联系系统管理员。")
	}
	return u, nil
}

// UserCount is the number of accounts (0 means first-run enrolment).
func (r *Registry) UserCount(ctx context.Context) (int, error) {
	var n int
	if err := r.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM users").Scan(&n); err != nil {
		return 0, internal("无法读取用户数量。", err)
	}
	return n, nil
}

// ListUsers returns every account with roles and org unit, by id.
func (r *Registry) ListUsers(ctx context.Context) ([]User, error) {
	rows, err := r.db.QueryContext(ctx, userSelect+" ORDER BY u.id")
	if err != nil {
		return nil, internal("无法读取用户列表。", err)
	}
	defer rows.Close()
	out := []User{}
	for rows.Next() {
		u, err := r.scanUser(rows)
		if err != nil {
			return nil, internal("无法读取用户列表。", err)
		}
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, internal("无法读取用户列表。", err)
	}
	return out, nil
}

// EnrolFirstAdmin creates the first org unit and its system administrator
// on a fresh installation, in one transaction; AlreadyEnrolled once any
// account exists. The administrator chose this password, so it need not be
// changed at first login.
func (r *Registry) EnrolFirstAdmin(ctx context.Context, name, orgUnitName string, cert CertRef, password string) (User, error) {
	name, orgUnitName = strings.TrimSpace(name), strings.TrimSpace(orgUnitName)
	if name == "" {
		return User{}, apperr.New(apperr.BadInput, "请填写管理员的真实姓名。")
	}
	if orgUnitName == "" {
		return User{}, apperr.New(apperr.BadInput, "请填写单位名称。")
	}
	cert, hash, err := r.prepareAccount(cert, password)
	if err != nil {
		return User{}, err
	}
	tx, err := r.db.BeginTx(ctx, nil)
	if err != nil {
		return User{}, internal("无法开始数据库事务。", err)
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM users").Scan(&n); err != nil {
		return User{}, internal("无法读取用户数量。", err)
	}
	if n > 0 {
		return User{}, apperr.New(apperr.AlreadyEnrolled, "本机已完成首次开通，请用已绑定的 USB Key 登录。")
	}
	now := ts(r.now())
	var maxID int64
	if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(id), 0) FROM org_units").Scan(&maxID); err != nil {
		return User{}, internal("无法创建单位。", err)
	}
	res, err := tx.ExecContext(ctx, "INSERT INTO org_units(code, name, created_at) VALUES (?, ?, ?)",
		fmt.Sprintf("ORG-%04d", maxID+1), orgUnitName, now)
	if err != nil {
		return User{}, internal("无法创建单位。", err)
	}
	orgID, _ := res.LastInsertId()
	id, err := insertUser(ctx, tx, name, orgID, cert, hash, false, now, 0)
	if err != nil {
		return User{}, err
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO user_roles(user_id, role) VALUES (?, ?)", id, session.SysAdmin); err != nil {
		return User{}, internal("无法授予系统管理员角色。", err)
	}
	u, err := r.getUser(ctx, tx, id)
	if err != nil {
		return User{}, err
	}
	// The new administrator is the actor: nobody else is there yet.
	if err := r.storeCert(ctx, tx, cert); err != nil {
		return User{}, err
	}
	if err := r.record(ctx, tx, u, audit.ActUserEnrol, userObject(id), nil, map[string]any{
		"name": fields.MaskName(name), "org_unit": orgID, "roles": u.Roles,
		"cert": audit.ColonHex(cert.Fingerprint), "cert_serial": audit.ColonHex(cert.Serial)}); err != nil {
		return User{}, err
	}
	if err := tx.Commit(); err != nil {
		return User{}, internal("无法保存首次开通信息。", err)
	}
	return u, nil
}

// insertUser adds an account row; createdBy 0 means none (first admin).
func insertUser(ctx context.Context, tx *sql.Tx, name string, orgID int64, c CertRef, hash string,
	mustChange bool, now string, createdBy int64) (int64, error) {
	var by any
	if createdBy != 0 {
		by = createdBy
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO users(name, org_unit_id,
		cert_issuer, cert_serial, cert_ski, cert_fingerprint, cert_subject, cert_not_after,
		password_hash, password_changed_at, must_change_password, created_at, created_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		name, orgID, c.Issuer, c.Serial, c.SKI, c.Fingerprint, c.Subject, ts(c.NotAfter),
		hash, now, mustChange, now, by)
	if err != nil {
		return 0, internal("无法创建用户。", err)
	}
	return res.LastInsertId()
}

// checkCert validates and normalises a certificate reference before it is
// bound, so lookups by FindByCert match however the serial was written.
func (r *Registry) checkCert(c CertRef) (CertRef, error) {
	c.Issuer, c.Subject = strings.TrimSpace(c.Issuer), strings.TrimSpace(c.Subject)
	serial := normalizeHex(c.Serial)
	c.SKI, c.Fingerprint = normalizeHex(c.SKI), normalizeHex(c.Fingerprint)
	var missing []string
	if c.Issuer == "" {
		missing = append(missing, "颁发者")
	}
	if c.Subject == "" {
		missing = append(missing, "主题")
	}
	if !isHex(serial) {
		missing = append(missing, "序列号")
	}
	c.Serial = normalizeSerial(serial)
	if !isHex(c.Fingerprint) {
		missing = append(missing, "指纹")
	}
	if c.SKI != "" && !isHex(c.SKI) {
		missing = append(missing, "密钥标识")
	}
	if c.NotAfter.IsZero() {
		missing = append(missing, "有效期")
	}
	if len(missing) > 0 {
		return c, apperr.New(apperr.BadInput, "证书信息不完整或有误："+strings.Join(missing, "、")+"。请重新读取 USB Key。")
	}
	if !c.NotAfter.After(r.now()) {
		return c, apperr.New(apperr.CertExpired, "该证书已过期，不能绑定账号。请先到 CA 办理证书更新。")
	}
	return c, nil
}

// normalizeHex lowercases hex and drops ':' separators and spaces.
func normalizeHex(s string) string {
	return strings.ToLower(strings.NewReplacer(":", "", " ", "").Replace(strings.TrimSpace(s)))
}

// normalizeSerial also drops leading zeros: the same serial is printed
// with them (DER bytes) and without (big.Int), and must match either way.
func normalizeSerial(s string) string {
	s = strings.TrimLeft(normalizeHex(s), "0")
	if s == "" {
		return "0"
	}
	return s
}

func isHex(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// prepareAccount checks what a new account is made of and hashes its
// password before any write transaction: argon2 is the slow part and must
// not hold the database's write lock.
func (r *Registry) prepareAccount(cert CertRef, password string) (CertRef, string, error) {
	cert, err := r.checkCert(cert)
	if err != nil {
		return CertRef{}, "", err
	}
	if err := CheckPassword(password); err != nil {
		return CertRef{}, "", err
	}
	hash, err := hashPassword(password, r.params)
	if err != nil {
		return CertRef{}, "", internal("无法生成密码摘要。", err)
	}
	return cert, hash, nil
}
