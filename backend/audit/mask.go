package audit

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"unicode/utf8"
)

// The audit log outlives every batch and is read by people who may not
// see personal data, so it must never hold a 身份证号, bank account or
// phone number in full. Callers pass masked values (the same masks the
// screens use, backend/fields); MaskJSON and MaskText are the safety net
// Append applies to before, after and object in case a caller forgot.
//
// What counts as personal: a run of at least 11 digits (phone numbers are
// 11, accounts 12-19, 身份证号 15 or 18 with a final X), or a run of
// digits grouped by single spaces or dashes holding at least 15 digits
// (an account written "6222 0212 3456 7890"). Full-width digits count as
// digits. The first 3 and last 4 digits stay, the others become '*', and
// a grouped run keeps its separators. Shorter numbers — ids, amounts in
// fen, years, dates — stay as they are.

const (
	minRun        = 11 // contiguous digits
	minGroupedRun = 15 // digits in a run with separators
)

// MaskText masks long digit runs in s.
func MaskText(s string) string {
	var b []byte // nil until something is masked
	copied := 0  // s[:copied] is in b
	for i := 0; i < len(s); {
		if !isDigit(s, i) {
			i++
			continue
		}
		end, digits, grouped := scanRun(s, i)
		if digits >= minRun && (!grouped || digits >= minGroupedRun) {
			b = append(b, s[copied:i]...)
			b = append(b, maskRun(s[i:end], digits)...)
			copied = end
		}
		i = end
	}
	if b == nil {
		return s
	}
	return string(append(b, s[copied:]...))
}

// isDigit reports whether an ASCII or full-width digit starts at s[i].
func isDigit(s string, i int) bool {
	_, n := digitAt(s, i)
	return n > 0
}

// digitAt returns the digit at s[i] and its width in bytes (0 if none).
func digitAt(s string, i int) (rune, int) {
	if c := s[i]; c >= '0' && c <= '9' {
		return rune(c), 1
	}
	r, n := utf8.DecodeRuneInString(s[i:])
	if r >= '０' && r <= '９' {
		return r, n
	}
	return 0, 0
}

// scanRun finds the end of the digit run starting at i: digits, single
// ' ' or '-' between digits, and an X/x (also full width) right after
// the 17th contiguous digit (身份证号 check character).
func scanRun(s string, i int) (end, digits int, grouped bool) {
	end = i
	contiguous := 0
	for end < len(s) {
		if _, n := digitAt(s, end); n > 0 {
			end += n
			digits++
			contiguous++
			continue
		}
		if r, n := utf8.DecodeRuneInString(s[end:]); contiguous == 17 && (r == 'X' || r == 'x' || r == 'Ｘ' || r == 'ｘ') {
			end += n
			digits++
			contiguous++
			continue
		}
		c := s[end]
		if (c == ' ' || c == '-') && end+1 < len(s) && isDigit(s, end+1) {
			end++
			grouped = true
			contiguous = 0
			continue
		}
		break
	}
	return end, digits, grouped
}

// maskRun stars all but the first 3 and last 4 digits of run, which holds
// digits counted characters that are not separators.
func maskRun(run string, digits int) []byte {
	out := make([]byte, 0, len(run))
	k := 0
	for _, r := range run {
		if r == ' ' || r == '-' {
			out = append(out, byte(r))
			continue
		}
		if k < 3 || k >= digits-4 {
			out = utf8.AppendRune(out, r)
		} else {
			out = append(out, '*')
		}
		k++
	}
	return out
}

// MaskJSON returns raw with MaskText applied to every string, object key
// and number in it (a long number becomes a masked string), compacted.
// nil stays nil; raw must be one JSON value.
func MaskJSON(raw json.RawMessage) (json.RawMessage, error) {
	if raw == nil {
		return nil, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("trailing data after the JSON value")
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(maskValue(v)); err != nil {
		return nil, err
	}
	return json.RawMessage(bytes.TrimSuffix(buf.Bytes(), []byte("\n"))), nil
}

func maskValue(v any) any {
	switch x := v.(type) {
	case string:
		return MaskText(x)
	case json.Number:
		if m := MaskText(x.String()); m != x.String() {
			return m
		}
		return x
	case []any:
		for i := range x {
			x[i] = maskValue(x[i])
		}
		return x
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, val := range x {
			out[MaskText(k)] = maskValue(val)
		}
		return out
	}
	return v
}
