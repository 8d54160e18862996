package app

import (
	"encoding/json"
	"log/slog"

	"caiji/backend/apperr"
)

// jsError is what a rejected promise carries to the frontend: Wails passes
// err.Error() through, so it is the JSON of {code, message}. The frontend
// parses it in src/api/errors.ts and looks the code up in i18n.
type jsError struct {
	Code    apperr.Code `json:"code"`
	Message string      `json:"message"`
}

func (e jsError) Error() string {
	b, _ := json.Marshal(e)
	return string(b)
}

// toJS converts a backend error for the frontend and logs it. Only the code
// and the cause are logged: messages are for people, and causes must never
// carry personal data (backend packages keep them to driver/OS text).
func toJS(log *slog.Logger, method string, err error) error {
	if err == nil {
		return nil
	}
	e := apperr.From(err)
	if e.Code == apperr.Internal {
		log.Error("bound method failed", "method", method, "err", err)
	} else {
		log.Info("bound method refused", "method", method, "code", e.Code)
	}
	return jsError{Code: e.Code, Message: e.Message}
}
