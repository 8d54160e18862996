package sim

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"io/fs"
	mrand "math/rand/v2"
	"os"
	"path/filepath"
	"time"

	"caiji/backend/apperr"
	"caiji/backend/pki"
	"caiji/backend/platform/wire"
)

// Files the simulator keeps in its data directory.
const (
	DBFile         = "platform-sim.db"
	ReceiptKeyFile = "receipt-key.pem" // PKCS#8; receipts stay verifiable across restarts
)

// Open opens (creating if needed) the simulator's state in dir. trust holds
// the CAs whose certificates may log in and sign batches: its intermediates
// help chain login certificates, since a token often holds only the leaf.
func Open(ctx context.Context, dir string, trust *pki.TrustStore) (*Server, error) {
	if len(trust.Roots()) == 0 {
		return nil, apperr.New(apperr.ConfigInvalid, "模拟平台没有信任的根证书，请用 --trust 指定 PEM 证书包。")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, apperr.Wrap(apperr.DataDirUnusable, "无法创建模拟平台数据目录 "+dir+"，请检查权限。", err)
	}
	key, err := loadOrCreateKey(filepath.Join(dir, ReceiptKeyFile))
	if err != nil {
		return nil, apperr.Wrap(apperr.DataDirUnusable, "无法读取或生成回执签名密钥，请检查数据目录 "+dir+"。", err)
	}
	db, err := openDB(ctx, filepath.Join(dir, DBFile))
	if err != nil {
		return nil, apperr.Wrap(apperr.StoreCorrupt, "无法打开模拟平台数据库，请检查数据目录 "+dir+"，或换一个空目录。", err)
	}
	return &Server{
		db:         db,
		roots:      pool(trust.Roots()),
		inters:     pool(trust.Intermediates()),
		receiptKey: key,
		now:        time.Now,
		challenges: map[string]*challenge{},
		sessions:   map[string]session{},
		faults:     wire.Faults{},
		rand:       mrand.Float64,
	}, nil
}

type randSource func() float64

func loadOrCreateKey(path string) (*ecdsa.PrivateKey, error) {
	raw, err := os.ReadFile(path)
	if err == nil {
		b, _ := pem.Decode(raw)
		if b == nil {
			return nil, errors.New("no PEM block in " + path)
		}
		k, err := x509.ParsePKCS8PrivateKey(b.Bytes)
		if err != nil {
			return nil, err
		}
		ek, ok := k.(*ecdsa.PrivateKey)
		if !ok {
			return nil, errors.New("receipt key is not ECDSA")
		}
		return ek, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		return nil, err
	}
	return k, os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600)
}

func pool(certs []*x509.Certificate) *x509.CertPool {
	p := x509.NewCertPool()
	for _, c := range certs {
		p.AddCert(c)
	}
	return p
}
