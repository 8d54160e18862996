package report

// Formula injection (CSV/Excel injection): a name, remark or bank typed as
// "=HYPERLINK(...)" or "@SUM(...)" must never run in the workbook of the
// person who opens an export. Two layers, both applied in exactly one place,
// book.text:
//
//  1. Every text goes into the sheet as a string cell (inline string), never
//     as a formula: excelize writes a formula only for Cell.Formula, which
//     this package never sets. A string cell is not evaluated when the file
//     is opened.
//  2. Text that looks like a formula also gets a cell style with
//     quotePrefix="1" (the apostrophe prefix of Excel and WPS), so that it
//     stays text even when someone edits the cell and presses Enter, which
//     would otherwise re-read "=1+1" as a formula. excelize's Style has no
//     field for it; styles.go adds those cell formats to the style sheet.
//
// The value itself is written unchanged: nothing is prepended or stripped,
// so the export shows exactly what was entered.

// formulaLike reports whether text would be taken for a formula when typed
// into a cell: its first character other than blanks is = + - or @ (also in
// the full-width forms that Chinese input methods produce, which WPS folds).
func formulaLike(s string) bool {
	for _, r := range s {
		switch r {
		case ' ', '\t', '\r', '\n', '\u00a0', '\u3000':
			continue
		case '=', '+', '-', '@', '＝', '＋', '－', '＠':
			return true
		}
		return false
	}
	return false
}
