package client

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"

	"caiji/backend/apperr"
	"caiji/backend/platform/wire"
)

// Codes of failures that happen before the platform can answer.
const (
	Offline        apperr.Code = "platform_offline"         // no connection, timeout, answer cut off
	TLSUntrusted   apperr.Code = "platform_tls_untrusted"   // the server's HTTPS certificate is not from the configured roots
	ReceiptInvalid apperr.Code = "platform_receipt_invalid" // a receipt whose signature does not verify
)

// StatusError is the cause of an error the platform answered with.
type StatusError struct {
	Status int
	Code   apperr.Code
}

func (e *StatusError) Error() string { return fmt.Sprintf("HTTP %d %s", e.Status, e.Code) }

// Temporary reports whether the same request may succeed later: transport
// failures, 5xx and 429. A 4xx, a TLS trust failure or a cancel is final.
func Temporary(err error) bool {
	var se *StatusError
	if errors.As(err, &se) {
		return se.Status >= 500 || se.Status == 429
	}
	return apperr.Is(err, Offline)
}

// platformError turns a non-2xx answer into an apperr carrying the
// platform's own code and Chinese message.
func platformError(status int, raw []byte) error {
	var we wire.Error
	if json.Unmarshal(raw, &we) != nil || we.Code == "" {
		we.Code = wire.Internal
		if status < 500 {
			we.Code = wire.BadRequest
		}
		we.Message = fmt.Sprintf("省级平台返回了无法识别的应答（HTTP %d），请稍后重试；若一直如此，请联系平台运维。", status)
	}
	return apperr.Wrap(we.Code, we.Message, &StatusError{Status: status, Code: we.Code})
}

// transportError explains a request that got no (complete) answer.
func transportError(ctx context.Context, err error) (e error, final bool) {
	if ctx.Err() != nil {
		return apperr.Wrap(apperr.Canceled, "同步已取消。", ctx.Err()), true
	}
	var ua x509.UnknownAuthorityError
	var hn x509.HostnameError
	var ci x509.CertificateInvalidError
	var cv *tls.CertificateVerificationError
	if errors.As(err, &ua) || errors.As(err, &hn) || errors.As(err, &ci) || errors.As(err, &cv) {
		return apperr.Wrap(TLSUntrusted, "省级平台的 HTTPS 证书不受信任：它不是配置的省级根证书签发的，或与平台地址不符。请核对平台地址和信任证书（trust/roots.pem）；若单位网络有代理拦截 HTTPS，请联系网络管理员。", err), true
	}
	return apperr.Wrap(Offline, "无法连接省级平台（网络中断、超时或应答不完整）。请检查网络；已发送的内容不会丢失，稍后会自动重试。", err), false
}
