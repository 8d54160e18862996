package identity

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"time"

	"caiji/backend/apperr"
	"caiji/backend/audit"
)

// VerifyPassword checks userID's password, the second factor after the USB
// key. Consecutive failures lock the account for Policy.LockFor after
// Policy.MaxFailures; while locked even the right password is refused.
// Success resets the count.
func (r *Registry) VerifyPassword(ctx context.Context, userID int64, password string) error {
	var hash string
	var disabled bool
	var locked sql.NullString
	err := r.db.QueryRowContext(ctx, "SELECT password_hash, disabled, locked_until FROM users WHERE id = ?", userID).
		Scan(&hash, &disabled, &locked)
	if errors.Is(err, sql.ErrNoRows) {
		return apperr.New(apperr.NotFound, fmt.Sprintf("用户（编号 %d）不存在。", userID))
	}
	if err != nil {
		return internal("无法读取账号状态。", err)
	}
	if disabled {
		return apperr.New(apperr.UserDisabled, "账号已停用，请联系系统管理员。")
	}
	now := r.now()
	if until, ok := activeLock(locked, now); ok {
		return r.lockedErr(until)
	}
	ok, params, err := matchPassword(password, hash)
	if err != nil {
		// err names no part of the hash; the row is damaged, not the user's fault.
		return internal("账号的密码记录已损坏，请联系系统管理员重置。", err)
	}
	if !ok {
		return r.recordFailure(ctx, userID, now)
	}
	return r.recordSuccess(ctx, userID, now, hash, params, password)
}

// recordFailure counts a failure in one UPDATE, so concurrent attempts
// cannot lose a count; the failure that reaches MaxFailures sets the lock
// and restarts the count for the time after it.
func (r *Registry) recordFailure(ctx context.Context, userID int64, now time.Time) error {
	var count int
	var locked sql.NullString
	err := r.db.QueryRowContext(ctx, `UPDATE users SET
		failed_attempts = CASE WHEN failed_attempts + 1 >= ?1 THEN 0 ELSE failed_attempts + 1 END,
		locked_until    = CASE WHEN failed_attempts + 1 >= ?1 THEN ?2 ELSE locked_until END
		WHERE id = ?3 AND (locked_until IS NULL OR locked_until <= ?4)
		RETURNING failed_attempts, locked_until`,
		r.policy.MaxFailures, ts(now.Add(r.policy.LockFor)), userID, ts(now)).Scan(&count, &locked)
	if errors.Is(err, sql.ErrNoRows) {
		// A concurrent attempt locked the account after we read it.
		return r.stateErr(ctx, userID, now)
	}
	if err != nil {
		return internal("无法记录密码错误次数。", err)
	}
	if until, ok := activeLock(locked, now); ok {
		return r.lockedErr(until)
	}
	return apperr.New(apperr.PasswordIncorrect, fmt.Sprintf("密码错误，还可尝试 %d 次，之后账号将锁定 %s。",
		r.policy.MaxFailures-count, minutes(r.policy.LockFor)))
}

// recordSuccess resets the count unless a concurrent attempt locked the
// account (or an administrator disabled it) meanwhile. A hash made with
// older parameters is replaced while the password is at hand.
func (r *Registry) recordSuccess(ctx context.Context, userID int64, now time.Time, hash string, params argonParams, password string) error {
	res, err := r.db.ExecContext(ctx, `UPDATE users SET failed_attempts = 0, locked_until = NULL
		WHERE id = ? AND disabled = 0 AND (locked_until IS NULL OR locked_until <= ?)`, userID, ts(now))
	if err != nil {
		return internal("无法更新账号状态。", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return r.stateErr(ctx, userID, now)
	}
	if params != r.params {
		if fresh, err := hashPassword(password, r.params); err == nil {
			// Best effort: the login stands even if this write fails, and the
			// WHERE keeps a concurrent password change from being undone.
			_, _ = r.db.ExecContext(ctx, "UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ?",
				fresh, userID, hash)
		}
	}
	return nil
}

// stateErr explains why a conditional update found no row to change.
func (r *Registry) stateErr(ctx context.Context, userID int64, now time.Time) error {
	var disabled bool
	var locked sql.NullString
	err := r.db.QueryRowContext(ctx, "SELECT disabled, locked_until FROM users WHERE id = ?", userID).Scan(&disabled, &locked)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return apperr.New(apperr.NotFound, fmt.Sprintf("用户（编号 %d）不存在。", userID))
	case err != nil:
		return internal("无法读取账号状态。", err)
	case disabled:
		return apperr.New(apperr.UserDisabled, "账号已停用，请联系系统管理员。")
	}
	if until, ok := activeLock(locked, now); ok {
		return r.lockedErr(until)
	}
	return apperr.New(apperr.PasswordIncorrect, "密码错误。")
}

// activeLock reports the lock end if it is still in the future.
func activeLock(locked sql.NullString, now time.Time) (time.Time, bool) {
	if !locked.Valid {
		return time.Time{}, false
	}
	until, err := parseTS(locked.String)
	if err != nil {
		// An unreadable lock stays a lock until someone looks at it.
		return now.Add(time.Minute), true
	}
	return until, until.After(now)
}

func (r *Registry) lockedErr(until time.Time) error {
	// Round up so "locked until 10:16" is never a minute early.
	shown := until.In(beijing).Add(time.Minute - time.Nanosecond).Truncate(time.Minute)
	return apperr.New(apperr.AccountLocked, fmt.Sprintf(
		"密码连续错误 %d 次，账号已锁定至 %s（北京时间），请届时再试，或联系系统管理员。",
		r.policy.MaxFailures, shown.Format("15:04")))
}

func minutes(d time.Duration) string {
	return fmt.Sprintf("%d 分钟", int(math.Ceil(d.Minutes())))
}

// ChangePassword replaces userID's password. The old one is checked under
// the same lockout rules as a login; the new one must meet the rules and
// differ from the old. It is checked first, so a weak choice costs no try.
func (r *Registry) ChangePassword(ctx context.Context, userID int64, oldPw, newPw string) error {
	if err := CheckPassword(newPw); err != nil {
		return err
	}
	if newPw == oldPw {
		return apperr.New(apperr.PasswordWeak, "新密码不能与原密码相同。")
	}
	if err := r.VerifyPassword(ctx, userID, oldPw); err != nil {
		return err
	}
	hash, err := hashPassword(newPw, r.params)
	if err != nil {
		return internal("无法生成密码摘要。", err)
	}
	tx, err := r.db.BeginTx(ctx, nil)
	if err != nil {
		return internal("无法开始数据库事务。", err)
	}
	defer tx.Rollback()
	_, err = tx.ExecContext(ctx, `UPDATE users SET password_hash = ?, password_changed_at = ?, must_change_password = 0
		WHERE id = ?`, hash, ts(r.now()), userID)
	if err != nil {
		return internal("无法保存新密码。", err)
	}
	// The user changes their own password with the key bound to the
	// account (login checked it): that certificate is the actor's. Only
	// the fact is recorded, never the password or its hash.
	u, err := r.getUser(ctx, tx, userID)
	if err != nil {
		return err
	}
	if err := r.record(ctx, tx, u, audit.ActUserPassword, userObject(userID), nil, nil); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return internal("无法保存新密码。", err)
	}
	return nil
}

// PasswordStatus says whether u's password has outlived Policy.PasswordMaxAge
// and how many days remain: rounded up while valid, zero or minus the whole
// days overdue once expired. The UI reminds when daysLeft*24h <=
// Policy().RemindBefore. MustChangePassword is separate and read from u.
func (r *Registry) PasswordStatus(u User) (expired bool, daysLeft int) {
	left := u.PasswordChangedAt.Add(r.policy.PasswordMaxAge).Sub(r.now())
	day := 24 * time.Hour
	if left > 0 {
		return false, int((left + day - 1) / day)
	}
	return true, -int(-left / day)
}
