package identity

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"caiji/backend/apperr"
	"caiji/backend/session"
)

func TestVerifyPasswordRightAndWrong(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	if err := f.reg.VerifyPassword(ctx, f.admin.ID, goodPw); err != nil {
		t.Fatalf("right password: %v", err)
	}
	err := f.reg.VerifyPassword(ctx, f.admin.ID, otherPw)
	wantCode(t, err, apperr.PasswordIncorrect)
	wantMsg(t, err, "还可尝试 4 次")
	if s := err.Error(); strings.Contains(s, otherPw) || strings.Contains(s, goodPw) || strings.Contains(s, "argon2") {
		t.Errorf("error %q shows a password or hash", s)
	}
	wantCode(t, f.reg.VerifyPassword(ctx, 999, goodPw), apperr.NotFound)
}

func TestLockoutAndUnlock(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	id := f.admin.ID
	for i := 1; i <= 4; i++ {
		err := f.reg.VerifyPassword(ctx, id, otherPw)
		wantCode(t, err, apperr.PasswordIncorrect)
		wantMsg(t, err, "还可尝试 "+string(rune('0'+5-i))+" 次")
	}
	err := f.reg.VerifyPassword(ctx, id, otherPw)
	wantCode(t, err, apperr.AccountLocked)
	// t0 is 09:00 Beijing time; 15 minutes later.
	wantMsg(t, err, "09:15", "北京时间")

	// Locked: even the right password is refused, and a wrong one does not extend the lock.
	wantCode(t, f.reg.VerifyPassword(ctx, id, goodPw), apperr.AccountLocked)
	f.clk.Advance(10 * time.Minute)
	wantCode(t, f.reg.VerifyPassword(ctx, id, otherPw), apperr.AccountLocked)
	u, err := f.reg.Get(ctx, id)
	if err != nil || u.LockedUntil == nil || !u.LockedUntil.Equal(t0.Add(15*time.Minute)) {
		t.Fatalf("LockedUntil = %v, %v; want %v", u.LockedUntil, err, t0.Add(15*time.Minute))
	}

	f.clk.Advance(5 * time.Minute) // lock has run out
	if u, _ := f.reg.Get(ctx, id); u.LockedUntil != nil {
		t.Errorf("LockedUntil = %v after the lock ran out", u.LockedUntil)
	}
	if err := f.reg.VerifyPassword(ctx, id, goodPw); err != nil {
		t.Fatalf("right password after the lock: %v", err)
	}
}

func TestExpiredLockGivesFreshTries(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	for range 5 {
		_ = f.reg.VerifyPassword(ctx, f.admin.ID, otherPw)
	}
	f.clk.Advance(15 * time.Minute)
	err := f.reg.VerifyPassword(ctx, f.admin.ID, otherPw)
	wantCode(t, err, apperr.PasswordIncorrect)
	wantMsg(t, err, "还可尝试 4 次")
}

func TestSuccessResetsCounter(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	id := f.admin.ID
	for range 4 {
		wantCode(t, f.reg.VerifyPassword(ctx, id, otherPw), apperr.PasswordIncorrect)
	}
	if err := f.reg.VerifyPassword(ctx, id, goodPw); err != nil {
		t.Fatal(err)
	}
	if n := failedAttempts(t, f.db, id); n != 0 {
		t.Fatalf("failed_attempts after success = %d", n)
	}
	for range 4 {
		wantCode(t, f.reg.VerifyPassword(ctx, id, otherPw), apperr.PasswordIncorrect)
	}
	if n := failedAttempts(t, f.db, id); n != 4 {
		t.Errorf("failed_attempts = %d, want 4", n)
	}
}

func TestCustomPolicy(t *testing.T) {
	ctx := context.Background()
	reg, clk, _ := newRegistry(t, Policy{MaxFailures: 2, LockFor: time.Hour})
	admin, err := reg.EnrolFirstAdmin(ctx, "王磊", "单位", cert(0), goodPw)
	if err != nil {
		t.Fatal(err)
	}
	wantCode(t, reg.VerifyPassword(ctx, admin.ID, otherPw), apperr.PasswordIncorrect)
	wantCode(t, reg.VerifyPassword(ctx, admin.ID, otherPw), apperr.AccountLocked)
	clk.Advance(59 * time.Minute)
	wantCode(t, reg.VerifyPassword(ctx, admin.ID, goodPw), apperr.AccountLocked)
	clk.Advance(time.Minute)
	if err := reg.VerifyPassword(ctx, admin.ID, goodPw); err != nil {
		t.Error(err)
	}
}

// Concurrent failures must each count: the increment happens in SQL, not
// read-modify-write in Go.
func TestConcurrentFailuresCountExactly(t *testing.T) {
	ctx := context.Background()
	reg, _, db := newRegistry(t, Policy{MaxFailures: 1000})
	admin, err := reg.EnrolFirstAdmin(ctx, "王磊", "单位", cert(0), goodPw)
	if err != nil {
		t.Fatal(err)
	}
	const n = 24
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := reg.VerifyPassword(ctx, admin.ID, otherPw); !apperr.Is(err, apperr.PasswordIncorrect) {
				t.Errorf("err = %v", err)
			}
		}()
	}
	wg.Wait()
	if got := failedAttempts(t, db, admin.ID); got != n {
		t.Errorf("failed_attempts = %d after %d concurrent failures", got, n)
	}
}

// Concurrent failures past the limit lock exactly once: exactly
// MaxFailures-1 attempts are told the password was wrong, the rest that
// the account is locked, and the right password is then refused.
func TestConcurrentFailuresLockOnce(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	const n = 12
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = f.reg.VerifyPassword(ctx, f.admin.ID, otherPw)
		}()
	}
	wg.Wait()
	incorrect, locked := 0, 0
	for _, err := range errs {
		switch {
		case apperr.Is(err, apperr.PasswordIncorrect):
			incorrect++
		case apperr.Is(err, apperr.AccountLocked):
			locked++
		default:
			t.Errorf("unexpected: %v", err)
		}
	}
	if incorrect != 4 || locked != n-4 {
		t.Errorf("%d incorrect, %d locked; want 4 and %d", incorrect, locked, n-4)
	}
	wantCode(t, f.reg.VerifyPassword(ctx, f.admin.ID, goodPw), apperr.AccountLocked)
}

func TestVerifyPasswordDisabled(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	u := f.user(t, "张敏", session.Clerk)
	if err := f.reg.SetDisabled(ctx, f.admin, u.ID, true); err != nil {
		t.Fatal(err)
	}
	wantCode(t, f.reg.VerifyPassword(ctx, u.ID, goodPw), apperr.UserDisabled)
	if n := failedAttempts(t, f.db, u.ID); n != 0 {
		t.Errorf("a disabled account's attempt was counted: %d", n)
	}
}

func TestChangePassword(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	u := f.user(t, "张敏", session.Clerk)
	if !u.MustChangePassword {
		t.Fatal("a new account must change its initial password")
	}

	// Rules on the new password are checked first and cost no try.
	wantCode(t, f.reg.ChangePassword(ctx, u.ID, goodPw, "short"), apperr.PasswordWeak)
	err := f.reg.ChangePassword(ctx, u.ID, goodPw, goodPw)
	wantCode(t, err, apperr.PasswordWeak)
	wantMsg(t, err, "不能与原密码相同")
	if n := failedAttempts(t, f.db, u.ID); n != 0 {
		t.Errorf("refused new password counted as a failure (%d)", n)
	}

	// A wrong old password counts like a login failure.
	wantCode(t, f.reg.ChangePassword(ctx, u.ID, "Wrong!pass123", otherPw), apperr.PasswordIncorrect)
	if n := failedAttempts(t, f.db, u.ID); n != 1 {
		t.Errorf("failed_attempts = %d, want 1", n)
	}

	f.clk.Advance(time.Hour)
	if err := f.reg.ChangePassword(ctx, u.ID, goodPw, otherPw); err != nil {
		t.Fatal(err)
	}
	got, _ := f.reg.Get(ctx, u.ID)
	if got.MustChangePassword || !got.PasswordChangedAt.Equal(t0.Add(time.Hour)) {
		t.Errorf("after change: mustChange=%v changedAt=%v", got.MustChangePassword, got.PasswordChangedAt)
	}
	wantCode(t, f.reg.VerifyPassword(ctx, u.ID, goodPw), apperr.PasswordIncorrect)
	if err := f.reg.VerifyPassword(ctx, u.ID, otherPw); err != nil {
		t.Errorf("new password: %v", err)
	}

	// Locked accounts cannot change their password either.
	for range 5 {
		_ = f.reg.VerifyPassword(ctx, u.ID, "Wrong!pass123")
	}
	wantCode(t, f.reg.ChangePassword(ctx, u.ID, otherPw, "Third#pass42"), apperr.AccountLocked)
}

func TestPasswordStatus(t *testing.T) {
	f := newFixture(t)
	u := f.admin // password changed at t0
	day := 24 * time.Hour
	tests := []struct {
		at       time.Duration
		expired  bool
		daysLeft int
	}{
		{0, false, 90},
		{time.Hour, false, 90},
		{83 * day, false, 7},
		{89*day + time.Hour, false, 1},
		{90 * day, true, 0},
		{90*day + time.Hour, true, 0},
		{92*day + 12*time.Hour, true, -2},
	}
	for _, tt := range tests {
		f.clk.t = t0.Add(tt.at)
		if exp, left := f.reg.PasswordStatus(u); exp != tt.expired || left != tt.daysLeft {
			t.Errorf("at +%v: PasswordStatus = %v, %d; want %v, %d", tt.at, exp, left, tt.expired, tt.daysLeft)
		}
	}
	reg := NewRegistry(f.db, Policy{PasswordMaxAge: 30 * day}, func() time.Time { return t0.Add(29 * day) })
	if exp, left := reg.PasswordStatus(u); exp || left != 1 {
		t.Errorf("30-day policy at day 29: %v, %d", exp, left)
	}
}
