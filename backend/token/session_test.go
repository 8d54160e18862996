package token

import (
	"crypto"
	"crypto/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"caiji/backend/apperr"
)

func TestLoginWrongThenRightPIN(t *testing.T) {
	m := openSoftHSM(t)
	ti, err := InitToken(m, "login-pin", testSOPIN, testPIN)
	if err != nil {
		t.Fatal(err)
	}
	const wrong = "wrong-pin-0000"
	_, err = m.Login(ti.SlotID, wrong)
	if !apperr.Is(err, apperr.PINIncorrect) {
		t.Fatalf("Login(wrong PIN) = %v, want %s", err, apperr.PINIncorrect)
	}
	if strings.Contains(err.Error(), wrong) {
		t.Errorf("error leaks the PIN: %v", err)
	}
	if _, err := m.Login(ti.SlotID, ""); !apperr.Is(err, apperr.BadInput) {
		t.Errorf("Login(empty PIN) = %v, want %s", err, apperr.BadInput)
	}

	s, err := m.Login(ti.SlotID, testPIN)
	if err != nil {
		t.Fatalf("Login(right PIN): %v", err)
	}
	defer s.Close()
	if got := s.Token(); got.Serial != ti.Serial || got.Label != "login-pin" || got.ModulePath != softhsmPath {
		t.Errorf("Token() = %+v, want the token %+v", got, ti)
	}
	if !s.Present() {
		t.Error("Present() = false right after login")
	}
}

func TestLoginEmptySlot(t *testing.T) {
	m := openSoftHSM(t)
	_, err := m.Login(0xdead0, testPIN)
	if !apperr.Is(err, apperr.TokenAbsent) {
		t.Fatalf("Login(no such slot) = %v, want %s", err, apperr.TokenAbsent)
	}
}

func TestTwoSessionsShareLogin(t *testing.T) {
	m := openSoftHSM(t)
	s1 := newLoggedInToken(t, m, "two-sessions")
	// A second login on the same token: PKCS#11 says already logged in.
	s2, err := m.Login(s1.Token().SlotID, testPIN)
	if err != nil {
		t.Fatalf("second Login: %v", err)
	}
	if _, err := s2.GenerateKeyPair(ECP256, []byte{7}, "two-sessions-key"); err != nil {
		t.Fatal(err)
	}
	// Closing s1 must not log out s2: login state is shared per token.
	s1.Close()
	s1.Close() // idempotent
	if _, err := s1.Certificates(); err == nil {
		t.Error("Certificates on a closed Session succeeded")
	}
	if s1.Present() {
		t.Error("Present() on a closed Session = true")
	}
	if _, err := s2.GenerateKeyPair(ECP256, []byte{8}, "two-sessions-key2"); err != nil {
		t.Fatalf("GenerateKeyPair after closing the other session: %v", err)
	}
	s2.Close()
}

// The USB key is pulled out: another process deletes the token, as
// softhsm2-util does. SoftHSM keeps the session handle valid and the slot
// listed, but C_GetTokenInfo fails from then on.
func TestPresentFalseAfterDeleteToken(t *testing.T) {
	m := openSoftHSM(t)
	util, err := exec.LookPath("softhsm2-util")
	if err != nil {
		t.Skip("softhsm2-util not installed (Debian package softhsm2); TestPresentFalseAfterTokenDirRemoved covers removal")
	}
	s := newLoggedInToken(t, m, "pull-out-util")
	signer, _ := provision(t, s, ECP256, "pull-out-util-key")
	if !s.Present() {
		t.Fatal("Present() = false before removal")
	}
	out, err := exec.Command(util, "--delete-token", "--token", "pull-out-util").CombinedOutput()
	if err != nil {
		t.Fatalf("softhsm2-util --delete-token: %v\n%s", err, out)
	}
	checkRemoved(t, m, s, signer)
}

// The same with the token's files removed directly, which needs no tools.
func TestPresentFalseAfterTokenDirRemoved(t *testing.T) {
	m := openSoftHSM(t)
	s := newLoggedInToken(t, m, "pull-out-rm")
	signer, _ := provision(t, s, ECP256, "pull-out-rm-key")
	if !s.Present() {
		t.Fatal("Present() = false before removal")
	}
	// SoftHSM names a token's directory by a UUID ending in its serial.
	entries, err := os.ReadDir(softhsmTokenDir)
	if err != nil {
		t.Fatal(err)
	}
	removed := false
	for _, e := range entries {
		if strings.HasSuffix(strings.ReplaceAll(e.Name(), "-", ""), s.Token().Serial) {
			if err := os.RemoveAll(filepath.Join(softhsmTokenDir, e.Name())); err != nil {
				t.Fatal(err)
			}
			removed = true
		}
	}
	if !removed {
		t.Fatalf("no directory for serial %s in %s", s.Token().Serial, softhsmTokenDir)
	}
	checkRemoved(t, m, s, signer)
}

func checkRemoved(t *testing.T, m *Module, s *Session, signer crypto.Signer) {
	t.Helper()
	if s.Present() {
		t.Fatal("Present() = true after the token was removed")
	}
	if _, err := signer.Sign(rand.Reader, make([]byte, 32), crypto.SHA256); !apperr.Is(err, apperr.TokenAbsent) {
		t.Errorf("Sign after removal = %v, want %s", err, apperr.TokenAbsent)
	}
	tokens, err := m.Tokens()
	if err != nil {
		t.Fatal(err)
	}
	for _, tk := range tokens {
		if tk.Serial == s.Token().Serial {
			t.Errorf("Tokens() still lists the removed token %+v", tk)
		}
	}
	if _, err := m.Login(s.Token().SlotID, testPIN); !apperr.Is(err, apperr.TokenAbsent) {
		t.Errorf("Login on the emptied slot = %v, want %s", err, apperr.TokenAbsent)
	}
	if err := s.Close(); err != nil {
		t.Errorf("Close after removal: %v", err)
	}
}

// While one of our sessions is logged in, the driver answers a second
// C_Login with "already logged in" without checking the PIN; Login must
// still refuse a wrong PIN.
func TestSecondLoginStillChecksThePIN(t *testing.T) {
	m := openSoftHSM(t)
	s1 := newLoggedInToken(t, m, "second-login-pin")
	defer s1.Close()
	if _, err := m.Login(s1.Token().SlotID, "wrong-pin-0"); !apperr.Is(err, apperr.PINIncorrect) {
		t.Fatalf("second Login with a wrong PIN = %v, want %s", err, apperr.PINIncorrect)
	}
	s2, err := m.Login(s1.Token().SlotID, testPIN)
	if err != nil {
		t.Fatalf("second Login with the right PIN: %v", err)
	}
	s2.Close()
}
