package identity

import (
	"context"
	"encoding/base64"
	"regexp"
	"strings"
	"testing"

	"caiji/backend/apperr"
)

func TestCheckPassword(t *testing.T) {
	tests := []struct {
		name, pw string
		missing  []string // substrings the message must name; nil = accepted
	}{
		{"ok", "Caiji#2024pass", nil},
		{"exactly ten", "abcdef12!@", nil},
		{"chinese letters count as letters", "采集系统密码2024!", nil},
		{"inner space allowed", "my pass 12!", nil},
		{"too short", "Ab1!xyz", []string{"长度不足10位"}},
		{"too short counts characters not bytes", "采集1!", []string{"长度不足10位"}},
		{"no letter", "1234567890!!", []string{"缺少字母"}},
		{"no digit", "abcdefghij!!", []string{"缺少数字"}},
		{"no special", "abcdefgh1234", []string{"缺少特殊字符"}},
		{"space is not special", "abcdef 1234", []string{"缺少特殊字符"}},
		{"several missing at once", "abc", []string{"长度不足10位", "缺少数字", "缺少特殊字符"}},
		{"empty", "", []string{"长度不足10位", "缺少字母", "缺少数字", "缺少特殊字符"}},
		{"leading space", " Caiji#2024pass", []string{"首尾不能有空格"}},
		{"trailing space", "Caiji#2024pass ", []string{"首尾不能有空格"}},
		{"control character", "Caiji#2024\x07pass", []string{"控制字符"}},
		{"too long", "Aa1!" + strings.Repeat("x", 200), []string{"长度超过128位"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckPassword(tt.pw)
			if tt.missing == nil {
				if err != nil {
					t.Fatalf("CheckPassword(%q) = %v, want nil", tt.pw, err)
				}
				return
			}
			wantCode(t, err, apperr.PasswordWeak)
			wantMsg(t, err, tt.missing...)
			if tt.pw != "" && strings.Contains(err.Error(), tt.pw) {
				t.Error("error repeats the password")
			}
		})
	}
	// Only what is missing is named.
	err := CheckPassword("abcdefgh1234")
	if msg := apperr.From(err).Message; strings.Contains(msg, "缺少字母") || strings.Contains(msg, "缺少数字") {
		t.Errorf("message %q names rules that are met", msg)
	}
	wantCode(t, CheckPassword("bad\xffutf8pass1!"), apperr.PasswordWeak)
}

var phc = regexp.MustCompile(`^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$`)

func TestHashIsArgon2idPHC(t *testing.T) {
	f := newFixture(t)
	h := storedHash(t, f.db, f.admin.ID)
	if h == goodPw || strings.Contains(h, goodPw) {
		t.Fatal("the stored hash contains the password")
	}
	if !phc.MatchString(h) {
		t.Fatalf("hash %q is not argon2id PHC", h)
	}
	h2, err := hashPassword(goodPw, hashParams)
	if err != nil {
		t.Fatal(err)
	}
	if h2 == h {
		t.Error("two hashes of one password are equal: salt is not random")
	}
	ok, _, err := matchPassword(goodPw, h2)
	if err != nil || !ok {
		t.Errorf("matchPassword(right) = %v, %v", ok, err)
	}
	ok, _, err = matchPassword(otherPw, h2)
	if err != nil || ok {
		t.Errorf("matchPassword(wrong) = %v, %v", ok, err)
	}
}

func TestProductionParameters(t *testing.T) {
	ctx := context.Background()
	reg, _, db := newRegistry(t, Policy{})
	reg.params = productionParams
	admin, err := reg.EnrolFirstAdmin(ctx, "王磊", "演示县财政局", cert(0), goodPw)
	if err != nil {
		t.Fatal(err)
	}
	h := storedHash(t, db, admin.ID)
	if !strings.HasPrefix(h, "$argon2id$v=19$m=65536,t=1,p=2$") {
		t.Fatalf("hash %q does not use m=64MiB, t=1, p=2", h)
	}
	m := phc.FindStringSubmatch(h)
	salt, _ := base64.RawStdEncoding.DecodeString(m[4])
	key, _ := base64.RawStdEncoding.DecodeString(m[5])
	if len(salt) != 16 || len(key) != 32 {
		t.Errorf("salt %d bytes, key %d bytes; want 16 and 32", len(salt), len(key))
	}
	if err := reg.VerifyPassword(ctx, admin.ID, goodPw); err != nil {
		t.Errorf("right password: %v", err)
	}
	wantCode(t, reg.VerifyPassword(ctx, admin.ID, otherPw), apperr.PasswordIncorrect)
}

func TestOldParametersAreUpgradedAtLogin(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	before := storedHash(t, f.db, f.admin.ID)
	f.reg.params = argonParams{memory: 512, time: 2, threads: 1, keyLen: 32}
	if err := f.reg.VerifyPassword(ctx, f.admin.ID, goodPw); err != nil {
		t.Fatal(err)
	}
	after := storedHash(t, f.db, f.admin.ID)
	if after == before || !strings.HasPrefix(after, "$argon2id$v=19$m=512,t=2,p=1$") {
		t.Fatalf("hash not upgraded: %q", after)
	}
	if err := f.reg.VerifyPassword(ctx, f.admin.ID, goodPw); err != nil {
		t.Errorf("password after upgrade: %v", err)
	}
}

func TestDecodeHashRejectsMalformed(t *testing.T) {
	good, err := hashPassword(goodPw, hashParams)
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(good, "$")
	for name, h := range map[string]string{
		"empty":        "",
		"bcrypt":       "$2a$10$abcdefghijklmnopqrstuv",
		"argon2i":      strings.Replace(good, "argon2id", "argon2i", 1),
		"old version":  strings.Replace(good, "v=19", "v=16", 1),
		"huge memory":  strings.Join([]string{"", "argon2id", "v=19", "m=4194304,t=1,p=2", parts[4], parts[5]}, "$"),
		"zero threads": strings.Join([]string{"", "argon2id", "v=19", "m=256,t=1,p=0", parts[4], parts[5]}, "$"),
		"bad salt":     strings.Join([]string{"", "argon2id", "v=19", parts[3], "!!!", parts[5]}, "$"),
		"short key":    strings.Join([]string{"", "argon2id", "v=19", parts[3], parts[4], "AAAA"}, "$"),
		"extra part":   good + "$x",
	} {
		if _, _, _, err := decodeHash(h); err == nil {
			t.Errorf("%s: decodeHash accepted %q", name, h)
		}
	}
}

func TestDamagedHashIsInternalAndHidesIt(t *testing.T) {
	f := newFixture(t)
	if _, err := f.db.Exec("UPDATE users SET password_hash = 'plain-secret' WHERE id = ?", f.admin.ID); err != nil {
		t.Fatal(err)
	}
	err := f.reg.VerifyPassword(context.Background(), f.admin.ID, goodPw)
	wantCode(t, err, apperr.Internal)
	if strings.Contains(err.Error(), "plain-secret") || strings.Contains(err.Error(), goodPw) {
		t.Errorf("error %q shows the stored hash or the password", err)
	}
}
