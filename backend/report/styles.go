package report

import (
	"github.com/xuri/excelize/v2"
)

// style names the cell formats the exports use. Each workbook creates them
// all once (newStyles); a style's cell-format index is styles.id[style] and
// its quote-prefixed twin (see guard.go) is styles.quoted[id].
type style int

const (
	// Plain table (Table).
	stHeader     style = iota // bold, grey, bordered, centred, wrapped
	stText                    // text format "@": an edited cell stays text
	stNumber                  // integer
	stMoney                   // #,##0.00
	stTotalText               // bold
	stTotalMoney              // bold #,##0.00

	// Printed documents (Payroll, Cards, Summary): 宋体, bordered grid.
	stTitle      // large bold, centred
	stInfo       // the 填报单位/期间 line: no border, left
	stInfoCenter // no border, centred
	stInfoRight  // no border, right
	stSign       // signature line: no border, left, bottom
	stGridHeader // bordered, bold, grey, centred, wrapped
	stGridText   // bordered, left, text format, shrink to fit
	stGridCenter // bordered, centred
	stGridWrap   // bordered, left, wrapped (政策依据, 大写金额)
	stGridMoney  // bordered, #,##0.00
	stGridNumber // bordered, integer, right
	stGridLabel  // bordered, bold, grey, centred: 姓名 / 身份证号 labels on cards
	stGridTotal  // bordered, bold, centred: 合计 / 本页小计
	stGridTotalM // bordered, bold, #,##0.00
	stGridTotalN // bordered, bold, integer
	stCardTitle  // bordered, large bold, centred

	// Correction history (History).
	stChanged // text format, yellow: a value a correction changed

	numStyles
)

const (
	fmtGeneral = 0
	fmtInteger = 1  // 0
	fmtMoney   = 4  // #,##0.00
	fmtText    = 49 // @
	printFont  = "宋体"
)

func styleDefs() [numStyles]*excelize.Style {
	thin := []excelize.Border{
		{Type: "left", Color: "000000", Style: 1},
		{Type: "right", Color: "000000", Style: 1},
		{Type: "top", Color: "000000", Style: 1},
		{Type: "bottom", Color: "000000", Style: 1},
	}
	grey := excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E7E6E6"}}
	font := func(size float64, bold bool) *excelize.Font {
		return &excelize.Font{Family: printFont, Size: size, Bold: bold}
	}
	align := func(h string, wrap, shrink bool) *excelize.Alignment {
		return &excelize.Alignment{Horizontal: h, Vertical: "center", WrapText: wrap, ShrinkToFit: shrink}
	}
	var d [numStyles]*excelize.Style
	d[stHeader] = &excelize.Style{Font: &excelize.Font{Bold: true}, Fill: grey, Border: thin,
		Alignment: align("center", true, false), NumFmt: fmtText}
	d[stText] = &excelize.Style{NumFmt: fmtText}
	d[stNumber] = &excelize.Style{NumFmt: fmtInteger}
	d[stMoney] = &excelize.Style{NumFmt: fmtMoney}
	d[stTotalText] = &excelize.Style{Font: &excelize.Font{Bold: true}, NumFmt: fmtText}
	d[stTotalMoney] = &excelize.Style{Font: &excelize.Font{Bold: true}, NumFmt: fmtMoney}

	d[stTitle] = &excelize.Style{Font: font(18, true), Alignment: align("center", false, false), NumFmt: fmtText}
	d[stInfo] = &excelize.Style{Font: font(11, false), Alignment: align("left", false, false), NumFmt: fmtText}
	d[stInfoCenter] = &excelize.Style{Font: font(11, false), Alignment: align("center", false, false), NumFmt: fmtText}
	d[stInfoRight] = &excelize.Style{Font: font(11, false), Alignment: align("right", false, false), NumFmt: fmtText}
	d[stSign] = &excelize.Style{Font: font(11, false),
		Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "bottom"}, NumFmt: fmtText}
	d[stGridHeader] = &excelize.Style{Font: font(11, true), Fill: grey, Border: thin,
		Alignment: align("center", true, false), NumFmt: fmtText}
	d[stGridText] = &excelize.Style{Font: font(11, false), Border: thin,
		Alignment: align("left", false, true), NumFmt: fmtText}
	d[stGridCenter] = &excelize.Style{Font: font(11, false), Border: thin,
		Alignment: align("center", false, true), NumFmt: fmtText}
	d[stGridWrap] = &excelize.Style{Font: font(11, false), Border: thin,
		Alignment: align("left", true, false), NumFmt: fmtText}
	d[stGridMoney] = &excelize.Style{Font: font(11, false), Border: thin,
		Alignment: align("right", false, true), NumFmt: fmtMoney}
	d[stGridNumber] = &excelize.Style{Font: font(11, false), Border: thin,
		Alignment: align("right", false, false), NumFmt: fmtInteger}
	d[stGridLabel] = &excelize.Style{Font: font(11, true), Fill: grey, Border: thin,
		Alignment: align("center", false, true), NumFmt: fmtText}
	d[stGridTotal] = &excelize.Style{Font: font(11, true), Border: thin,
		Alignment: align("center", false, true), NumFmt: fmtText}
	d[stGridTotalM] = &excelize.Style{Font: font(11, true), Border: thin,
		Alignment: align("right", false, true), NumFmt: fmtMoney}
	d[stGridTotalN] = &excelize.Style{Font: font(11, true), Border: thin,
		Alignment: align("right", false, false), NumFmt: fmtInteger}
	d[stCardTitle] = &excelize.Style{Font: font(16, true), Border: thin,
		Alignment: align("center", false, false), NumFmt: fmtText}
	d[stChanged] = &excelize.Style{NumFmt: fmtText,
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFF2CC"}}}
	return d
}

// styles holds one workbook's cell-format indexes.
type styles struct {
	id     [numStyles]int
	quoted map[int]int // cell format → the same format with quotePrefix="1"
}

// newStyles creates every style in f, then a quote-prefixed copy of each.
//
// excelize v2.11.1 has no quotePrefix in its Style API but keeps the
// attribute of the style sheet's cell formats (xlsxXf.QuotePrefix) and
// writes it back out, and File.Styles is exported. So the copies are
// appended to f.Styles.CellXfs directly, after all NewStyle calls: excelize
// looks formats up from the front, so a later NewStyle with equal
// properties finds the original, never the copy. The tests read the saved
// style sheet back to prove the attribute is there.
func newStyles(f *excelize.File) (*styles, error) {
	s := &styles{quoted: make(map[int]int, numStyles)}
	for i, def := range styleDefs() {
		id, err := f.NewStyle(def)
		if err != nil {
			return nil, err
		}
		s.id[i] = id
	}
	xfs := f.Styles.CellXfs
	yes := true
	base := make([]int, 0, numStyles+1)
	base = append(base, 0) // unstyled cells, should any be written
	base = append(base, s.id[:]...)
	for _, id := range base {
		if _, done := s.quoted[id]; done {
			continue
		}
		xf := xfs.Xf[id] // a copy; its pointer fields are never changed later
		xf.QuotePrefix = &yes
		xfs.Xf = append(xfs.Xf, xf)
		s.quoted[id] = len(xfs.Xf) - 1
	}
	xfs.Count = len(xfs.Xf)
	return s, nil
}
