package client

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/json"
	"fmt"

	"caiji/backend/apperr"
	"caiji/backend/platform/wire"
)

// Receipt fetches the stored receipt of a version, e.g. when complete's
// answer was lost; it is the very receipt complete gave.
func (c *Client) Receipt(ctx context.Context, batchUID string, version int) (*wire.SignedReceipt, error) {
	_, raw, err := c.do(ctx, call{method: "GET", path: fmt.Sprintf("/batches/%s/versions/%d/receipt", batchUID, version), auth: true})
	if err != nil {
		return nil, err
	}
	return decodeReceipt(raw)
}

// ReceiptKey fetches the public key receipts are signed with. Callers
// should pin it (store it on first use) rather than fetch it per receipt.
func (c *Client) ReceiptKey(ctx context.Context) (crypto.PublicKey, error) {
	_, raw, err := c.do(ctx, call{method: "GET", path: "/receipt-key"})
	if err != nil {
		return nil, err
	}
	var rk wire.ReceiptKey
	if err := json.Unmarshal(raw, &rk); err != nil {
		return nil, garbled(err)
	}
	pub, err := x509.ParsePKIXPublicKey(rk.PublicKey)
	if err != nil {
		return nil, garbled(err)
	}
	return pub, nil
}

// VerifyReceipt checks the platform's signature over wire.ReceiptMessage,
// the same bytes the platform signs, so a stored receipt verifies later.
func VerifyReceipt(r wire.Receipt, sig []byte, pub crypto.PublicKey) error {
	k, ok := pub.(*ecdsa.PublicKey)
	d := sha256.Sum256(wire.ReceiptMessage(r))
	if !ok || !ecdsa.VerifyASN1(k, d[:], sig) {
		return apperr.New(ReceiptInvalid, fmt.Sprintf("批次 %s 第 %d 版的平台回执签名验证失败，回执可能被篡改或不是本平台签发的。请重新获取回执；若仍失败，请联系平台运维。", r.BatchUID, r.Version))
	}
	return nil
}
