package app

import (
	"caiji/backend/apperr"
	"caiji/backend/buildinfo"
	"caiji/backend/store"
)

// SystemService answers what the login screen and header need before and
// after login: build, mode, where data lives, and start-up problems.
type SystemService struct{ app *App }

// StartupProblem is a start-up failure shown full-screen by the UI.
type StartupProblem struct {
	Code    apperr.Code `json:"code"`
	Message string      `json:"message"`
}

// SystemInfo describes this installation.
type SystemInfo struct {
	Build          buildinfo.Info `json:"build"`
	Mode           string         `json:"mode"`
	DataDir        string         `json:"dataDir"`
	SchemaVersion  int            `json:"schemaVersion"`
	InstallationID string         `json:"installationId"`
	// Platform is where approved batches go: "demo" (the bundled
	// simulator), "configured" (config.json's platform.url) or
	// "not_configured". The sync state itself is Sync.State (clerks and
	// reviewers).
	Platform string          `json:"platform"`
	Problem  *StartupProblem `json:"problem"`
}

// Info needs no login: the login screen shows the mode and version. It
// reports start-up problems instead of failing, so the UI can explain them.
func (s *SystemService) Info() (SystemInfo, error) {
	a := s.app
	info := SystemInfo{Build: buildinfo.Get(), DataDir: a.dataDir, Mode: string(a.cfg.Mode), Platform: a.platformKind()}
	if err := a.ready(); err != nil {
		e := apperr.From(err)
		info.Problem = &StartupProblem{Code: e.Code, Message: e.Message}
		return info, nil
	}
	v, err := a.store.SchemaVersion(a.ctx)
	if err != nil {
		return info, toJS(a.log, "System.Info", err)
	}
	id, err := a.store.InstallationID(a.ctx)
	if err != nil {
		return info, toJS(a.log, "System.Info", err)
	}
	info.SchemaVersion, info.InstallationID = v, id
	return info, nil
}

// LatestSchemaVersion is the schema this binary brings (About box).
func (s *SystemService) LatestSchemaVersion() int { return store.LatestVersion() }

func (a *App) platformKind() string {
	switch {
	case a.cfg.Platform.URL != "":
		return "configured"
	case a.demoMode():
		return "demo"
	}
	return "not_configured"
}
