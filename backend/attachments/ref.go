package attachments

import (
	"fmt"
	"strings"

	"caiji/backend/apperr"
)

// RefSeparator separates attachments in one cell.
//
// The cell format, defined here and only here: a cell of a catalog field of
// type "attachment" holds zero or more attachment references separated by
// ";". A reference is the SHA-256 of the file's bytes as 64 lowercase hex
// characters. The empty cell means no attachment. Order is the order the
// clerk attached them; a reference appears at most once.
//
//	""                                  no attachment
//	"9f86d0…0a08"                       one
//	"9f86d0…0a08;60303a…0b21"           two
//
// ParseRef is lenient on input typed or imported by people (spaces around
// parts, upper-case hex, empty parts, repeats) and FormatRef writes the one
// canonical form, so FormatRef(ParseRef(x)) normalises x. The frontend's
// copy (frontend/src/components/AttachmentCell.vue) follows this comment.
const RefSeparator = ";"

// MaxRefsPerCell bounds one cell: a voucher bundle of an income or expense
// item is a handful of pages; hundreds would be an import mistake.
const MaxRefsPerCell = 50

// ParseRef splits a cell into normalised references. A part that is not a
// SHA-256 is refused with BadInput naming its position.
func ParseRef(cell string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	for i, part := range strings.Split(cell, RefSeparator) {
		part = strings.ToLower(strings.TrimSpace(part))
		if part == "" {
			continue
		}
		if !ValidSHA(part) {
			return nil, apperr.New(apperr.BadInput, fmt.Sprintf(
				"附件引用的第 %d 项不是有效的附件编号（应为 64 位十六进制 SHA-256，多个附件用英文分号 ; 分隔）。", i+1))
		}
		if seen[part] {
			continue
		}
		seen[part] = true
		out = append(out, part)
	}
	if len(out) > MaxRefsPerCell {
		return nil, apperr.New(apperr.BadInput, fmt.Sprintf("一个单元格最多关联 %d 个附件，现有 %d 个。", MaxRefsPerCell, len(out)))
	}
	return out, nil
}

// FormatRef writes references in the canonical cell form. It normalises and
// drops repeats like ParseRef and refuses what ParseRef would refuse.
func FormatRef(refs []string) (string, error) {
	parsed, err := ParseRef(strings.Join(refs, RefSeparator))
	if err != nil {
		return "", err
	}
	return strings.Join(parsed, RefSeparator), nil
}

// ValidSHA reports whether s is a SHA-256 in the stored form: exactly 64
// lowercase hex characters.
func ValidSHA(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
