package app

import (
	"caiji/backend/auth"
	"caiji/backend/identity"
	"caiji/backend/session"
)

// AdminService is account and role administration (系统管理). The app
// checks the page's roles; the registry checks who may grant what (三员).
type AdminService struct{ app *App }

// ListUsers is for the system and security administrators.
func (s *AdminService) ListUsers() ([]identity.User, error) {
	if _, err := s.app.guard("Admin.ListUsers", session.SysAdmin, session.SecAdmin); err != nil {
		return nil, err
	}
	us, err := s.app.registry.ListUsers(s.app.ctx)
	return us, toJS(s.app.log, "Admin.ListUsers", err)
}

// ListOrgUnits lists the org units accounts belong to.
func (s *AdminService) ListOrgUnits() ([]identity.OrgUnit, error) {
	if _, err := s.app.guard("Admin.ListOrgUnits", session.SysAdmin, session.SecAdmin); err != nil {
		return nil, err
	}
	ous, err := s.app.registry.ListOrgUnits(s.app.ctx)
	return ous, toJS(s.app.log, "Admin.ListOrgUnits", err)
}

// CreateOrgUnit adds an org unit (system administrator).
func (s *AdminService) CreateOrgUnit(code, name string) (identity.OrgUnit, error) {
	sess, err := s.app.guard("Admin.CreateOrgUnit", session.SysAdmin)
	if err != nil {
		return identity.OrgUnit{}, err
	}
	actor, err := s.app.actor(sess)
	if err != nil {
		return identity.OrgUnit{}, toJS(s.app.log, "Admin.CreateOrgUnit", err)
	}
	ou, err := s.app.registry.CreateOrgUnit(s.app.ctx, actor, code, name)
	return ou, toJS(s.app.log, "Admin.CreateOrgUnit", err)
}

// InspectCertificate shows a certificate file before it is bound.
func (s *AdminService) InspectCertificate(certFile string) (auth.CertView, error) {
	if _, err := s.app.guard("Admin.InspectCertificate", session.SysAdmin); err != nil {
		return auth.CertView{}, err
	}
	_, view, err := s.app.auth.CheckForBinding(s.app.ctx, []byte(certFile))
	return view, toJS(s.app.log, "Admin.InspectCertificate", err)
}

// CreateUser binds a real-name account to a certificate file (PEM or
// base64 DER text) with an initial password the user must change.
func (s *AdminService) CreateUser(name string, orgUnitID int64, certFile, initialPassword string) (identity.User, error) {
	sess, err := s.app.guard("Admin.CreateUser", session.SysAdmin)
	if err != nil {
		return identity.User{}, err
	}
	actor, err := s.app.actor(sess)
	if err != nil {
		return identity.User{}, toJS(s.app.log, "Admin.CreateUser", err)
	}
	ref, _, err := s.app.auth.CheckForBinding(s.app.ctx, []byte(certFile))
	if err != nil {
		return identity.User{}, toJS(s.app.log, "Admin.CreateUser", err)
	}
	u, err := s.app.registry.CreateUser(s.app.ctx, actor, name, orgUnitID, ref, initialPassword)
	return u, toJS(s.app.log, "Admin.CreateUser", err)
}

// SetRoles grants roles; the registry enforces 三员分立 and who may grant.
func (s *AdminService) SetRoles(userID int64, roles []session.Role) error {
	sess, err := s.app.guard("Admin.SetRoles", session.SecAdmin, session.SysAdmin)
	if err != nil {
		return err
	}
	actor, err := s.app.actor(sess)
	if err != nil {
		return toJS(s.app.log, "Admin.SetRoles", err)
	}
	return toJS(s.app.log, "Admin.SetRoles", s.app.registry.SetRoles(s.app.ctx, actor, userID, roles))
}

// SetDisabled disables or re-enables an account (system administrator).
func (s *AdminService) SetDisabled(userID int64, disabled bool) error {
	sess, err := s.app.guard("Admin.SetDisabled", session.SysAdmin)
	if err != nil {
		return err
	}
	actor, err := s.app.actor(sess)
	if err != nil {
		return toJS(s.app.log, "Admin.SetDisabled", err)
	}
	return toJS(s.app.log, "Admin.SetDisabled", s.app.registry.SetDisabled(s.app.ctx, actor, userID, disabled))
}

// Refusals are the refused calls, for the security auditor.
func (s *AdminService) Refusals(limit int) ([]identity.Refusal, error) {
	if _, err := s.app.guard("Admin.Refusals", session.Auditor); err != nil {
		return nil, err
	}
	rs, err := s.app.registry.Refusals(s.app.ctx, limit)
	return rs, toJS(s.app.log, "Admin.Refusals", err)
}
