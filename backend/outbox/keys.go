package outbox

import (
	"context"
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"os"

	"caiji/backend/apperr"
	"caiji/backend/batch"
	"caiji/backend/platform/client"
	"caiji/backend/platform/wire"
)

// receiptKey returns the key receipts from baseURL must be signed with:
// the one pinned for that address, or — the first time — the one fetch
// returns, pinned from then on. A platform presenting another key later
// does not replace it; its receipts fail verification and say so.
func (b *Box) receiptKey(ctx context.Context, baseURL string, fetch func(context.Context) (crypto.PublicKey, error)) (crypto.PublicKey, error) {
	var der []byte
	err := b.db.QueryRowContext(ctx, "SELECT der FROM platform_keys WHERE base_url = ?", baseURL).Scan(&der)
	if errors.Is(err, sql.ErrNoRows) {
		pub, ferr := fetch(ctx)
		if ferr != nil {
			return nil, ferr
		}
		if der, err = x509.MarshalPKIXPublicKey(pub); err != nil {
			return nil, internal("平台回执公钥格式不支持。", err)
		}
		if _, err := b.db.ExecContext(ctx, "INSERT OR IGNORE INTO platform_keys (base_url, der, pinned_at) VALUES (?, ?, ?)",
			baseURL, der, ts(b.now())); err != nil {
			return nil, internal("无法保存平台回执公钥。", err)
		}
		err = b.db.QueryRowContext(ctx, "SELECT der FROM platform_keys WHERE base_url = ?", baseURL).Scan(&der)
	}
	if err != nil {
		return nil, internal("无法读取平台回执公钥。", err)
	}
	pub, err := x509.ParsePKIXPublicKey(der)
	if err != nil {
		return nil, internal("保存的平台回执公钥已损坏。", err)
	}
	return pub, nil
}

// LoadReceiptKey reads a PEM public key (config platform.receiptKey).
func LoadReceiptKey(path string) (crypto.PublicKey, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, apperr.Wrap(apperr.ConfigInvalid, "无法读取平台回执公钥文件 "+path+"，请检查配置 platform.receiptKey。", err)
	}
	blk, _ := pem.Decode(raw)
	if blk == nil {
		return nil, apperr.New(apperr.ConfigInvalid, "平台回执公钥文件 "+path+" 不是 PEM 格式。")
	}
	pub, err := x509.ParsePKIXPublicKey(blk.Bytes)
	if err != nil {
		return nil, apperr.Wrap(apperr.ConfigInvalid, "平台回执公钥文件 "+path+" 无法解析。", err)
	}
	return pub, nil
}

// ReceiptCheck is a stored receipt checked again: the 回执 dialog.
type ReceiptCheck struct {
	Receipt  wire.Receipt `json:"receipt"`
	Verified bool         `json:"verified"`
	Message  string       `json:"message"` // why not verified
	// KeySHA256 names the key it was checked with (hex SHA-256 of its DER).
	KeySHA256 string `json:"keySha256"`
}

// CheckReceipt verifies item id's stored receipt against configured, or
// the key pinned for baseURL: a receipt changed in the database fails.
func (b *Box) CheckReceipt(ctx context.Context, a batch.Actor, id int64, baseURL string, configured crypto.PublicKey) (ReceiptCheck, error) {
	if _, err := b.Get(ctx, a, id); err != nil {
		return ReceiptCheck{}, err
	}
	var raw sql.NullString
	var sig []byte
	if err := b.db.QueryRowContext(ctx, "SELECT receipt, receipt_sig FROM outbox WHERE id = ?", id).Scan(&raw, &sig); err != nil {
		return ReceiptCheck{}, internal("无法读取平台回执。", err)
	}
	if !raw.Valid {
		return ReceiptCheck{}, apperr.New(apperr.NotFound, "平台还没有为该批次出具回执。")
	}
	var rc ReceiptCheck
	if err := json.Unmarshal([]byte(raw.String), &rc.Receipt); err != nil {
		return ReceiptCheck{}, internal("保存的平台回执已损坏。", err)
	}
	key := configured
	if key == nil {
		var der []byte
		err := b.db.QueryRowContext(ctx, "SELECT der FROM platform_keys WHERE base_url = ?", baseURL).Scan(&der)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return ReceiptCheck{}, internal("无法读取平台回执公钥。", err)
		}
		if key, err = x509.ParsePKIXPublicKey(der); err != nil {
			rc.Message = "本机没有记录该平台地址的回执公钥（平台地址可能已更改），无法核验回执。"
			return rc, nil
		}
	}
	if der, err := x509.MarshalPKIXPublicKey(key); err == nil {
		sum := sha256.Sum256(der)
		rc.KeySHA256 = hex.EncodeToString(sum[:])
	}
	if err := client.VerifyReceipt(rc.Receipt, sig, key); err != nil {
		rc.Message = apperr.From(err).Message
		return rc, nil
	}
	rc.Verified = true
	return rc, nil
}
