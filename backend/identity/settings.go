package identity

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"caiji/backend/apperr"
	"caiji/backend/audit"
)

// Setting returns the value of key and whether it is set.
func (r *Registry) Setting(ctx context.Context, key string) (string, bool, error) {
	var v string
	err := r.db.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = ?", key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, internal("无法读取设置。", err)
	}
	return v, true, nil
}

// SetSetting sets key to value, replacing any earlier value, and records
// the change (setting.change, old and new value) in the audit log in the
// same transaction. Who may change which setting is the caller's rule;
// the registry only stores it. Setting a key to the value it has is not a
// change and records nothing.
func (r *Registry) SetSetting(ctx context.Context, actor User, key, value string) error {
	if strings.TrimSpace(key) == "" {
		return apperr.New(apperr.BadInput, "设置项名称不能为空。")
	}
	tx, err := r.db.BeginTx(ctx, nil)
	if err != nil {
		return internal("无法开始数据库事务。", err)
	}
	defer tx.Rollback()
	var old sql.NullString
	err = tx.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = ?", key).Scan(&old)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return internal("无法读取设置。", err)
	}
	if old.Valid && old.String == value {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO settings(key, value) VALUES (?, ?)
		ON CONFLICT(key) DO UPDATE SET value = excluded.value`, key, value); err != nil {
		return internal("无法保存设置。", err)
	}
	var before any
	if old.Valid {
		before = map[string]string{"value": old.String}
	}
	if err := r.record(ctx, tx, actor, audit.ActSettingChange, "setting:"+key, before, map[string]string{"value": value}); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return internal("无法保存设置。", err)
	}
	return nil
}
