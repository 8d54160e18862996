package demo

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"fmt"
	"io/fs"
	"math/big"
	"os"
	"path/filepath"
	"time"

	"caiji/backend/apperr"
	"caiji/backend/auth"
	"caiji/backend/identity"
	"caiji/backend/pki/devca"
	"caiji/backend/session"
	"caiji/backend/softkey"
	"caiji/backend/token"
	"caiji/backend/token/softhsm"
)

// Layout is where demo mode keeps its files inside the data directory.
type Layout struct {
	Dir         string // <data>/demo
	SoftHSMConf string
	TokenDir    string
	CADir       string
	SoftKeyDir  string // software keys when SoftHSM2 is missing
	doneMarker  string
}

// LayoutFor returns the demo layout of dataDir.
func LayoutFor(dataDir string) Layout {
	dir := filepath.Join(dataDir, "demo")
	return Layout{
		Dir:         dir,
		SoftHSMConf: filepath.Join(dir, "softhsm2.conf"),
		TokenDir:    filepath.Join(dir, "tokens"),
		CADir:       filepath.Join(dir, "ca"),
		SoftKeyDir:  filepath.Join(dir, "softkeys"),
		doneMarker:  filepath.Join(dir, "provisioned"),
	}
}

// CRLFiles are the demo CAs' revocation lists (root, then intermediate).
func (l Layout) CRLFiles() []string {
	return []string{filepath.Join(l.CADir, "root.crl"), filepath.Join(l.CADir, "intermediate.crl")}
}

// FindSoftHSM returns the first SoftHSM2 library present, or "".
func FindSoftHSM() string {
	for _, p := range SoftHSMPaths {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return ""
}

// PrepareEnv points SoftHSM2 at the demo token directory. It must run before
// the SoftHSM library is first initialized in this process (SoftHSM reads
// SOFTHSM2_CONF once, at C_Initialize).
func (l Layout) PrepareEnv() error {
	if _, err := softhsm.Use(l.Dir); err != nil {
		return apperr.Wrap(apperr.DataDirUnusable, "无法创建演示 USB Key 目录。", err)
	}
	return nil
}

// Provisioned reports whether demo mode was set up before.
func (l Layout) Provisioned() bool {
	_, err := os.Stat(l.doneMarker)
	return err == nil
}

// KeyMaker makes the key of one identity (on a token or in a file) and
// stores the certificate ca issues for its public key.
type KeyMaker func(id Identity, ca *devca.CA, now time.Time) (*x509.Certificate, error)

// TokenKeys makes keys on SoftHSM2 tokens of mod; PrepareEnv must have been
// called before mod was opened.
func TokenKeys(mod *token.Module) KeyMaker {
	return func(id Identity, ca *devca.CA, now time.Time) (*x509.Certificate, error) {
		return makeToken(mod, ca, id, now)
	}
}

// SoftKeys makes PIN-encrypted software keys (no SoftHSM2 on this PC).
func SoftKeys(dir softkey.Dir) KeyMaker {
	return func(id Identity, ca *devca.CA, now time.Time) (*x509.Certificate, error) {
		var key crypto.Signer
		var err error
		if id.Key == token.RSA2048 {
			key, err = rsa.GenerateKey(rand.Reader, 2048)
		} else {
			key, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		}
		if err != nil {
			return nil, apperr.Wrap(apperr.Internal, "无法生成演示密钥。", err)
		}
		cert, err := issue(ca, id, key.Public(), now)
		if err != nil {
			return nil, err
		}
		return cert, dir.Create(id.TokenLabel, id.PIN, key, cert, ca.Cert)
	}
}

// Provision creates the demo CA, writes its root to trustBundle, makes one
// key per identity with keys and registers the accounts. It runs once per
// data directory.
func Provision(ctx context.Context, l Layout, keys KeyMaker, reg *identity.Registry, trustBundle string) error {
	if l.Provisioned() {
		return nil
	}
	now := time.Now()
	root, err := devca.NewRoot("演示省级根 CA（仅供演示）", now.Add(-24*time.Hour), now.AddDate(10, 0, 0))
	if err != nil {
		return apperr.Wrap(apperr.Internal, "无法生成演示 CA。", err)
	}
	inter, err := root.NewIntermediate("演示省级业务 CA（仅供演示）", now.Add(-24*time.Hour), now.AddDate(5, 0, 0))
	if err != nil {
		return apperr.Wrap(apperr.Internal, "无法生成演示 CA。", err)
	}
	if err := inter.Save(l.CADir); err != nil {
		return apperr.Wrap(apperr.DataDirUnusable, "无法保存演示 CA。", err)
	}
	if err := os.MkdirAll(filepath.Dir(trustBundle), 0o700); err != nil {
		return apperr.Wrap(apperr.DataDirUnusable, "无法创建信任证书目录。", err)
	}
	if err := os.WriteFile(trustBundle, devca.PEM(root.Cert, inter.Cert), 0o644); err != nil {
		return apperr.Wrap(apperr.DataDirUnusable, "无法写入演示信任证书。", err)
	}
	// Publish empty CRLs valid as long as each CA, as a real provincial CA
	// would publish current ones: demo logins then show no CRL warning.
	for i, ca := range []*devca.CA{root, inter} {
		crl, err := ca.CRL(nil, now.Add(-time.Hour), ca.Cert.NotAfter)
		if err != nil {
			return apperr.Wrap(apperr.Internal, "无法生成演示吊销列表。", err)
		}
		if err := os.WriteFile(l.CRLFiles()[i], crl, 0o644); err != nil {
			return apperr.Wrap(apperr.DataDirUnusable, "无法写入演示吊销列表。", err)
		}
	}

	refs := make([]identity.CertRef, len(Identities))
	for i, id := range Identities {
		cert, err := keys(id, inter, now)
		if err != nil {
			return err
		}
		refs[i] = auth.CertRef(cert)
	}
	if err := register(ctx, reg, refs); err != nil {
		return err
	}
	return os.WriteFile(l.doneMarker, []byte(now.UTC().Format(time.RFC3339)+"\n"), 0o600)
}

// makeToken initialises a token, generates the key on it (never leaves the
// token) and stores the certificate the demo CA issues for that key.
func makeToken(mod *token.Module, ca *devca.CA, id Identity, now time.Time) (*x509.Certificate, error) {
	info, err := token.InitToken(mod, id.TokenLabel, soPIN, id.PIN)
	if err != nil {
		return nil, err
	}
	s, err := mod.Login(info.SlotID, id.PIN)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	keyID := make([]byte, 8)
	rand.Read(keyID)
	pub, err := s.GenerateKeyPair(id.Key, keyID, id.TokenLabel)
	if err != nil {
		return nil, err
	}
	cert, err := issue(ca, id, pub, now)
	if err != nil {
		return nil, err
	}
	if err := s.ImportCertificate(keyID, id.TokenLabel, cert); err != nil {
		return nil, err
	}
	// The issuing CA goes on the key too, as real provincial keys carry it.
	if err := s.ImportCertificate([]byte("ca"), "CA", ca.Cert); err != nil {
		return nil, err
	}
	return cert, nil
}

// issue is the demo CA's certificate for one identity's public key.
func issue(ca *devca.CA, id Identity, pub crypto.PublicKey, now time.Time) (*x509.Certificate, error) {
	serial, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
	cert, err := ca.IssueFor(pub, devca.LeafOptions{
		CommonName: id.Name, Organization: id.OrgUnit, OrgUnit: roleLabel(id.Role), Serial: serial,
		NotBefore: now.Add(-time.Hour), NotAfter: now.AddDate(2, 0, 0),
	})
	if err != nil {
		return nil, apperr.Wrap(apperr.Internal, "无法签发演示证书。", err)
	}
	return cert, nil
}

// register follows the real admin rules: the first key enrols as system
// admin, who may create accounts and (while no security admin exists)
// grant the security-admin role; the security admin grants the rest.
func register(ctx context.Context, reg *identity.Registry, refs []identity.CertRef) error {
	const tmpPassword = "Temp#2026first"
	sys, err := reg.EnrolFirstAdmin(ctx, Identities[0].Name, Identities[0].OrgUnit, refs[0], Password)
	if err != nil {
		return err
	}
	units := map[string]int64{sys.OrgUnit: sys.OrgUnitID}
	var secAdmin identity.User
	for i, id := range Identities[1:] {
		unit, ok := units[id.OrgUnit]
		if !ok {
			ou, err := reg.CreateOrgUnit(ctx, sys, fmt.Sprintf("DEMO%02d", len(units)+1), id.OrgUnit)
			if err != nil {
				return err
			}
			unit, units[id.OrgUnit] = ou.ID, ou.ID
		}
		u, err := reg.CreateUser(ctx, sys, id.Name, unit, refs[i+1], tmpPassword)
		if err != nil {
			return err
		}
		grantor := secAdmin
		if id.Role == session.SecAdmin {
			grantor = sys
		}
		if err := reg.SetRoles(ctx, grantor, u.ID, []session.Role{id.Role}); err != nil {
			return err
		}
		if err := reg.ChangePassword(ctx, u.ID, tmpPassword, Password); err != nil {
			return err
		}
		if id.Role == session.SecAdmin {
			if secAdmin, err = reg.Get(ctx, u.ID); err != nil {
				return err
			}
		}
	}
	return nil
}

// Reset removes demo files (used when provisioning failed half-way).
func (l Layout) Reset() error {
	err := os.RemoveAll(l.Dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

func roleLabel(r session.Role) string {
	switch r {
	case session.Clerk:
		return "录入员"
	case session.Reviewer:
		return "审核员"
	case session.SysAdmin:
		return "系统管理员"
	case session.SecAdmin:
		return "安全保密管理员"
	default:
		return "安全审计员"
	}
}
