package fields

import "strings"

// Phone numbers in mainland China: mobiles are 11 digits starting 13–19;
// landlines are an area code (010 and 02X have three digits, every other
// one four) plus a 7- or 8-digit local number that never starts with 0 or 1.

// CheckPhone validates a mobile or landline number and normalises it:
// mobiles to 11 digits ("13812345678", any +86/0086/86 prefix dropped),
// landlines to "0371-67891234", with an extension as "0371-67891234转123".
func CheckPhone(s string) (string, []Issue) {
	t := trimBlank(foldWidth(s))
	if t == "" {
		return "", one(CodePhoneEmpty, "电话号码为空，请填写。")
	}
	main, ext, ok := splitExtension(t)
	if !ok {
		return "", one(CodePhoneFormat, "分机号应为 1–6 位数字，请写成 0371-67891234转123。")
	}
	c := compactPhone(main)
	if c == "" {
		return "", one(CodePhoneFormat, "电话号码里没有数字，请填写手机号或带区号的座机号。")
	}
	if pos, r := firstNonDigit(c); pos > 0 {
		return "", one(CodePhoneFormat, "电话号码中有"+describeRune(r)+
			"，只能包含数字（可以有空格、横线、括号和 +86）。请核对后重新填写。")
	}
	if c, ok := mobile(c); ok {
		if ext != "" {
			return "", one(CodePhoneFormat, "手机号没有分机号，请去掉分机部分。")
		}
		return c, nil
	}
	area, local, ok := landline(c)
	if !ok && ext == "" {
		// "0371-67891234-123": the last dash group is the extension.
		if i := strings.LastIndexFunc(main, isDash); i > 0 {
			if e := compactPhone(main[i:]); len(e) >= 1 && len(e) <= 6 {
				if area, local, ok = landline(compactPhone(main[:i])); ok {
					ext = e
				}
			}
		}
	}
	if ok {
		n := area + "-" + local
		if ext != "" {
			n += "转" + ext
		}
		return n, nil
	}
	switch {
	case c[0] == '1':
		return "", one(CodePhoneFormat, "手机号应为 11 位、以 13–19 开头，现在是 "+itoa(len(c))+
			" 位，请核对。")
	case c[0] != '0' && (len(c) == 7 || len(c) == 8):
		return "", one(CodePhoneFormat, "座机号请加上区号，例如 0371-67891234。")
	}
	return "", one(CodePhoneFormat, "电话号码不是有效的手机号或座机号。手机号为 11 位；"+
		"座机号为区号加 7–8 位号码，例如 0371-67891234。")
}

// compactPhone drops the separators people put in phone numbers and the
// country code; a landline written +86 10 … regains its leading 0.
func compactPhone(s string) string {
	c := removeFunc(s, func(r rune) bool {
		return isBlank(r) || isDash(r) || r == '(' || r == ')' || r == '.'
	})
	switch {
	case strings.HasPrefix(c, "+86"):
		c = c[3:]
	case strings.HasPrefix(c, "0086"):
		c = c[4:]
	case strings.HasPrefix(c, "86") && len(c) == 13 && c[2] == '1':
		return c[2:] // a mobile; a bare 86 prefix is never stripped from landlines
	default:
		return c
	}
	if _, ok := mobile(c); !ok && c != "" && c[0] != '0' {
		c = "0" + c
	}
	return c
}

// mobile accepts 1[3-9] plus 9 digits, also with the 0 once dialled before
// mobiles from another city.
func mobile(c string) (string, bool) {
	if len(c) == 12 && c[0] == '0' {
		c = c[1:]
	}
	if len(c) == 11 && c[0] == '1' && c[1] >= '3' && allDigits(c) {
		return c, true
	}
	return "", false
}

// landline splits digits into area code and local number.
func landline(c string) (area, local string, ok bool) {
	if len(c) < 10 || c[0] != '0' || !allDigits(c) {
		return "", "", false
	}
	n := 4
	if c[1] == '1' || c[1] == '2' {
		n = 3
	}
	area, local = c[:n], c[n:]
	switch {
	case c[1] == '0', c[1] == '1' && c[2] != '0': // 00 is international, 010 the only 01X
		return "", "", false
	case local[0] == '0' || local[0] == '1':
		return "", "", false
	case n == 3 && len(local) != 8, n == 4 && len(local) != 7 && len(local) != 8:
		return "", "", false
	}
	return area, local, true
}

// splitExtension separates "转123", "分机123", "ext 123", "x123" or "#123".
// ok is false when a marker is there but no 1–6 digit extension follows.
func splitExtension(t string) (main, ext string, ok bool) {
	at, width := -1, 0
	for _, m := range []string{"转", "分机", "ext", "EXT", "Ext", "x", "X", "#"} {
		if i := strings.Index(t, m); i >= 0 && (at < 0 || i < at) {
			at, width = i, len(m)
		}
	}
	if at < 0 {
		return t, "", true
	}
	ext = strings.TrimLeft(removeFunc(t[at+width:], isBlank), ".:：")
	if len(ext) < 1 || len(ext) > 6 || !allDigits(ext) {
		return "", "", false
	}
	return t[:at], ext, true
}
