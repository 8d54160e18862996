package apperr

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestFromNil(t *testing.T) {
	if got := From(nil); got != nil {
		t.Fatalf("From(nil) = %#v, want nil", got)
	}
}

func TestFromPlainErrorBecomesInternal(t *testing.T) {
	cause := errors.New("near \"SELEC\": syntax error")
	e := From(cause)
	if e == nil {
		t.Fatal("From(plain error) = nil")
	}
	if e.Code != Internal {
		t.Errorf("Code = %q, want %q", e.Code, Internal)
	}
	if e.Cause != cause {
		t.Errorf("Cause = %v, want the original error", e.Cause)
	}
	if !errors.Is(e, cause) {
		t.Error("errors.Is(From(err), err) = false; Unwrap must expose the cause")
	}
	if e.Message == "" || strings.Contains(e.Message, "SELEC") {
		t.Errorf("Message = %q: must be a non-empty message that does not leak the cause text", e.Message)
	}
}

func TestFromKeepsTypedError(t *testing.T) {
	orig := New(Forbidden, "无权")
	if got := From(orig); got != orig {
		t.Errorf("From(*Error) = %p, want the same pointer %p", got, orig)
	}
	wrapped := fmt.Errorf("context: %w", orig)
	if got := From(wrapped); got != orig {
		t.Errorf("From(wrapped *Error) = %#v, want the inner *Error", got)
	}
}

func TestIs(t *testing.T) {
	typed := New(StoreCorrupt, "坏了")
	tests := []struct {
		name string
		err  error
		code Code
		want bool
	}{
		{"nil", nil, Internal, false},
		{"plain error", errors.New("x"), Internal, false},
		{"same code", typed, StoreCorrupt, true},
		{"other code", typed, StoreTooNew, false},
		{"wrapped", fmt.Errorf("open: %w", typed), StoreCorrupt, true},
		{"From plain", From(errors.New("x")), Internal, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Is(tt.err, tt.code); got != tt.want {
				t.Errorf("Is(%v, %q) = %v, want %v", tt.err, tt.code, got, tt.want)
			}
		})
	}
}

func TestErrorString(t *testing.T) {
	plain := New(BadInput, "输入有误")
	if got, want := plain.Error(), "bad_input: 输入有误"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if plain.Unwrap() != nil {
		t.Errorf("Unwrap() of New = %v, want nil", plain.Unwrap())
	}
	withCause := Wrap(StoreLocked, "被占用", errors.New("database is locked"))
	got := withCause.Error()
	for _, part := range []string{"store_locked", "被占用", "database is locked"} {
		if !strings.Contains(got, part) {
			t.Errorf("Error() = %q, missing %q", got, part)
		}
	}
}
