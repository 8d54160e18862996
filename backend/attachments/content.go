package attachments

import (
	"bytes"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The three accepted types. The type is decided by the file's first bytes,
// never by its name: a renamed .exe stays an .exe.
const (
	MIMEJPEG = "image/jpeg"
	MIMEPNG  = "image/png"
	MIMEPDF  = "application/pdf"
)

var magics = []struct {
	prefix []byte
	mime   string
}{
	{[]byte{0xFF, 0xD8, 0xFF}, MIMEJPEG},
	{[]byte{0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A}, MIMEPNG},
	{[]byte("%PDF-"), MIMEPDF},
}

// DetectMIME returns the type of data from its magic bytes, or "" when it is
// none of the accepted types.
func DetectMIME(data []byte) string {
	for _, m := range magics {
		if bytes.HasPrefix(data, m.prefix) {
			return m.mime
		}
	}
	return ""
}

// extFor is the extension a nameless upload gets.
func extFor(mime string) string {
	switch mime {
	case MIMEJPEG:
		return ".jpg"
	case MIMEPNG:
		return ".png"
	default:
		return ".pdf"
	}
}

// MaxNameRunes bounds the stored original name (the 附件 list shows it in
// one line; the platform's field is 100 characters).
const MaxNameRunes = 100

// SanitizeName makes an uploaded file's name safe to store and show: only
// the last path element (either separator: names come from Windows too), no
// control or invisible formatting characters (a right-to-left override can
// make "invoice\u202Efdp.exe" read as "invoiceexe.pdf"), no surrounding
// spaces or dots, at most MaxNameRunes runes keeping the extension. The name
// is never used as a file name on disk; files are stored under their hash.
// An empty result becomes "附件" plus the extension of the detected type.
func SanitizeName(name, mime string) string {
	name = strings.ToValidUTF8(name, "")
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		switch {
		case unicode.IsControl(r), unicode.Is(unicode.Cf, r), r == utf8.RuneError:
			return -1
		case unicode.IsSpace(r):
			return ' ' // ideographic and no-break spaces: one plain space
		}
		return r
	}, name)
	name = strings.Trim(name, " .")
	if name == "" {
		return "附件" + extFor(mime)
	}
	if utf8.RuneCountInString(name) <= MaxNameRunes {
		return name
	}
	ext := path.Ext(name)
	if n := utf8.RuneCountInString(ext); n == 0 || n > 10 {
		ext = ""
	}
	stem := []rune(strings.TrimSuffix(name, ext))
	return strings.TrimRight(string(stem[:MaxNameRunes-utf8.RuneCountInString(ext)]), " .") + ext
}
