package client

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/json"

	"caiji/backend/apperr"
	"caiji/backend/platform/wire"
)

// Login proves possession of cert's key (signer, usually the USB key) and
// keeps the session token for later calls. A challenge is single-use, so
// when the login answer was lost and the retry finds it consumed, the
// whole handshake runs once more.
func (c *Client) Login(ctx context.Context, orgUnit string, cert *x509.Certificate, signer crypto.Signer) error {
	var err error
	for range 2 {
		if err = c.login(ctx, orgUnit, cert, signer); !apperr.Is(err, wire.ChallengeInvalid) {
			return err
		}
	}
	return err
}

func (c *Client) login(ctx context.Context, orgUnit string, cert *x509.Certificate, signer crypto.Signer) error {
	_, raw, err := c.do(ctx, call{method: "POST", path: "/auth/challenge",
		body: wire.ChallengeRequest{OrgUnit: orgUnit, Certificate: cert.Raw}})
	if err != nil {
		return err
	}
	var ch wire.ChallengeResponse
	if err := json.Unmarshal(raw, &ch); err != nil {
		return garbled(err)
	}
	d := sha256.Sum256(wire.LoginMessage(ch.ChallengeID, ch.Nonce, orgUnit))
	sig, err := signer.Sign(rand.Reader, d[:], crypto.SHA256)
	if err != nil {
		return apperr.Wrap(apperr.SignFailed, "USB Key 未能完成登录签名，请确认 Key 已插好并解锁后重试。", err)
	}
	_, raw, err = c.do(ctx, call{method: "POST", path: "/auth/login",
		body: wire.LoginRequest{ChallengeID: ch.ChallengeID, Signature: sig}})
	if err != nil {
		return err
	}
	var lr wire.LoginResponse
	if err := json.Unmarshal(raw, &lr); err != nil || lr.Token == "" {
		return garbled(err)
	}
	c.SetToken(lr.Token)
	return nil
}

// garbled explains a 2xx whose body is not what the contract promises.
func garbled(err error) error {
	return apperr.Wrap(Offline, "省级平台的应答内容不完整或格式不对，请稍后重试；若一直如此，请联系平台运维。", err)
}
