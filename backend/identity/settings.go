package identity

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"caiji/backend/apperr"
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

// SetSetting sets key to value, replacing any earlier value. Who may change
// which setting is the caller's rule; the registry only stores it.
func (r *Registry) SetSetting(ctx context.Context, key, value string) error {
	if strings.TrimSpace(key) == "" {
		return apperr.New(apperr.BadInput, "设置项名称不能为空。")
	}
	_, err := r.db.ExecContext(ctx, `INSERT INTO settings(key, value) VALUES (?, ?)
		ON CONFLICT(key) DO UPDATE SET value = excluded.value`, key, value)
	if err != nil {
		return internal("无法保存设置。", err)
	}
	return nil
}
