// Package softkey is demo mode's stand-in for a USB key on PCs without
// SoftHSM2 (typically Windows): a private key in a file, encrypted under its
// PIN. It is a KeySource for backend/auth, marked Software, so the login
// screen labels it "not a USB key" and production mode never lists it.
package softkey

import (
	"crypto"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"os"
	"path/filepath"
	"sort"

	"golang.org/x/crypto/argon2"

	"caiji/backend/apperr"
	"caiji/backend/auth"
	"caiji/backend/token"
)

const (
	certFile = "cert.pem"
	caFile   = "ca.pem"
	keyFile  = "key.enc"
	saltLen  = 16
)

// Dir holds one sub-directory per key, named by its label.
type Dir struct{ Path string }

// Create writes a key under label: the certificate (and its CA) in PEM,
// the PKCS#8 key sealed with AES-256-GCM under argon2id(PIN).
func (d Dir) Create(label, pin string, key crypto.Signer, cert, ca *x509.Certificate) error {
	dir := filepath.Join(d.Path, label)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return apperr.Wrap(apperr.DataDirUnusable, "无法创建演示密钥目录。", err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return apperr.Wrap(apperr.Internal, "无法保存演示密钥。", err)
	}
	salt := make([]byte, saltLen)
	rand.Read(salt)
	aead := sealer(pin, salt)
	nonce := make([]byte, aead.NonceSize())
	rand.Read(nonce)
	blob := append(append(salt, nonce...), aead.Seal(nil, nonce, der, []byte(label))...)
	files := map[string][]byte{
		certFile: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw}),
		caFile:   pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.Raw}),
		keyFile:  blob,
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			return apperr.Wrap(apperr.DataDirUnusable, "无法保存演示密钥。", err)
		}
	}
	return nil
}

// sealer derives the file key from the PIN; argon2id makes guessing a
// 6-digit PIN from a stolen file slow, though a demo key is no USB key.
func sealer(pin string, salt []byte) cipher.AEAD {
	k := argon2.IDKey([]byte(pin), salt, 1, 64*1024, 2, 32)
	block, _ := aes.NewCipher(k)
	aead, _ := cipher.NewGCM(block)
	return aead
}

// Source lists and opens the keys of a Dir.
type Source struct{ Dir Dir }

func (s Source) Name() string   { return "software:" + s.Dir.Path }
func (s Source) Software() bool { return true }

func (s Source) labels() []string {
	entries, _ := os.ReadDir(s.Dir.Path)
	var out []string
	for _, e := range entries {
		if e.IsDir() {
			if _, err := os.Stat(filepath.Join(s.Dir.Path, e.Name(), keyFile)); err == nil {
				out = append(out, e.Name())
			}
		}
	}
	sort.Strings(out)
	return out
}

func (s Source) info(slot uint, label string) token.TokenInfo {
	sum := sha256.Sum256([]byte(label))
	return token.TokenInfo{ModulePath: s.Name(), SlotID: slot, Label: label, Serial: hex.EncodeToString(sum[:8]),
		Manufacturer: "Caiji", Model: "软件密钥（仅演示）"}
}

// Tokens lists every key file as a "token" in its own slot.
func (s Source) Tokens() ([]token.TokenInfo, error) {
	out := []token.TokenInfo{}
	for i, l := range s.labels() {
		out = append(out, s.info(uint(i), l))
	}
	return out, nil
}

// Login decrypts the key with pin; a wrong PIN fails authentication.
func (s Source) Login(slot uint, pin string) (auth.KeySession, error) {
	labels := s.labels()
	if int(slot) >= len(labels) {
		return nil, apperr.New(apperr.TokenAbsent, "找不到所选的演示密钥，请刷新列表。")
	}
	label := labels[slot]
	dir := filepath.Join(s.Dir.Path, label)
	blob, err := os.ReadFile(filepath.Join(dir, keyFile))
	if err != nil {
		return nil, apperr.Wrap(apperr.TokenAbsent, "演示密钥文件不可读。", err)
	}
	aead := sealer(pin, blob[:min(saltLen, len(blob))])
	if len(blob) < saltLen+aead.NonceSize() {
		return nil, apperr.New(apperr.KeyMissing, "演示密钥文件已损坏。")
	}
	nonce := blob[saltLen : saltLen+aead.NonceSize()]
	der, err := aead.Open(nil, nonce, blob[saltLen+aead.NonceSize():], []byte(label))
	if err != nil {
		return nil, apperr.New(apperr.PINIncorrect, "PIN 码错误。")
	}
	k, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return nil, apperr.Wrap(apperr.KeyMissing, "演示密钥文件已损坏。", err)
	}
	signer, ok := k.(crypto.Signer)
	if !ok {
		return nil, apperr.New(apperr.SignFailed, "演示密钥类型不支持签名。")
	}
	var certs []token.Certificate
	for _, f := range []string{certFile, caFile} {
		raw, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			return nil, apperr.Wrap(apperr.KeyMissing, "演示密钥缺少证书文件。", err)
		}
		b, _ := pem.Decode(raw)
		if b == nil {
			return nil, apperr.New(apperr.KeyMissing, "演示证书文件已损坏。")
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			return nil, apperr.Wrap(apperr.KeyMissing, "演示证书文件已损坏。", err)
		}
		certs = append(certs, token.Certificate{ID: []byte(f), Label: label, Cert: c, Raw: c.Raw})
	}
	return &Session{info: s.info(slot, label), dir: dir, signer: signer, certs: certs}, nil
}

// Session is an opened software key.
type Session struct {
	info   token.TokenInfo
	dir    string
	signer crypto.Signer
	certs  []token.Certificate
}

func (s *Session) Token() token.TokenInfo                     { return s.info }
func (s *Session) Certificates() ([]token.Certificate, error) { return s.certs, nil }
func (s *Session) Close() error                               { return nil }

// Present is false once the key's directory is gone (the software
// equivalent of pulling the key out).
func (s *Session) Present() bool {
	_, err := os.Stat(filepath.Join(s.dir, keyFile))
	return err == nil
}

// Signer returns the key if c is the key's own certificate.
func (s *Session) Signer(c token.Certificate) (crypto.Signer, error) {
	if len(s.certs) == 0 || c.Cert == nil || !c.Cert.Equal(s.certs[0].Cert) {
		return nil, apperr.New(apperr.KeyMissing, "演示密钥中没有与该证书对应的私钥。")
	}
	return s.signer, nil
}

var _ auth.KeySource = Source{}
