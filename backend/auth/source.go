// Package auth is USB-key login: it joins the token, the certificate checks
// and the account registry into one flow that the window, the CLI and the
// lock screen all use. The order of checks lives here and nowhere else.
package auth

import (
	"crypto"

	"caiji/backend/token"
)

// KeySource is where keys come from: a PKCS#11 module or, in demo mode only
// and only where SoftHSM2 is missing, a software key directory.
type KeySource interface {
	Name() string
	Software() bool
	Tokens() ([]token.TokenInfo, error)
	Login(slotID uint, pin string) (KeySession, error)
}

// KeySession is a logged-in key: the certificates on it and signing with it.
type KeySession interface {
	Token() token.TokenInfo
	Certificates() ([]token.Certificate, error)
	Signer(c token.Certificate) (crypto.Signer, error)
	Present() bool
	Close() error
}

// ModuleSource adapts a PKCS#11 module.
type ModuleSource struct{ M *token.Module }

func (s ModuleSource) Name() string                       { return s.M.Path() }
func (s ModuleSource) Software() bool                     { return false }
func (s ModuleSource) Tokens() ([]token.TokenInfo, error) { return s.M.Tokens() }
func (s ModuleSource) Login(slotID uint, pin string) (KeySession, error) {
	ts, err := s.M.Login(slotID, pin)
	if err != nil {
		return nil, err
	}
	return ts, nil
}
