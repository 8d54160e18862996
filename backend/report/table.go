package report

import (
	"io"
	"iter"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"caiji/backend/catalog"
	"caiji/backend/regions"
)

// Table writes any dataset as a plain table: one header row of the fields'
// Chinese labels, one row per record, money as numbers formatted #,##0.00,
// and a 合计 row under the money columns (when there are any) with the
// exact sums of the amounts that parse; an amount that does not parse is
// shown as typed. Enum cells show the label, region cells "code 名称",
// personal fields are masked unless o.Full. The header is frozen and
// filtered; the sheet prints landscape, one page wide, header on every page.
//
// The header is row 1 and the 合计 row starts with 合计, so the importer
// reads the file back (masked numbers and region names aside).
func Table(w io.Writer, d catalog.Dataset, rows iter.Seq[map[string]string], m Meta, o Options) error {
	b, err := newBook(m)
	if err != nil {
		return err
	}
	defer b.close()
	b.docProps(m.OrgUnit + m.PeriodLabel + d.Name)

	cols, err := tableColumns(d, o)
	if err != nil {
		return err
	}
	widths := make([]float64, len(cols))
	for i, c := range cols {
		widths[i] = c.width
	}
	pg := page{landscape: true, titleRows: 1, widths: widths}
	if o.Full {
		pg.headerNote = fullWarning
	}
	s, err := b.newSheet(sheetName(d.Name), pg)
	if err != nil {
		return err
	}
	if err := s.sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2",
		ActivePane: "bottomLeft", Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}}); err != nil {
		return internal(err)
	}

	// One cell array for all rows; vals points into it so that SetRow gets
	// *Cell values (no copy per cell), and nil for a blank cell.
	cells := make([]excelize.Cell, len(cols))
	vals := make([]any, len(cols))
	for i, c := range cols {
		vals[i] = b.text(c.field.Label, stHeader)
	}
	if err := s.add(0, vals...); err != nil {
		return err
	}
	sums := make([]int64, len(cols))
	hasMoney := false
	for _, c := range cols {
		hasMoney = hasMoney || c.field.Type == catalog.Money
	}
	for row := range rows {
		for i := range cols {
			c := &cols[i]
			v := row[c.field.Code]
			if v == "" {
				vals[i] = nil
				continue
			}
			cells[i] = c.cell(b, v, &sums[i])
			vals[i] = &cells[i]
		}
		if err := s.add(0, vals...); err != nil {
			return err
		}
	}
	last := s.row
	lastCol, _ := excelize.ColumnNumberToName(max(1, len(cols)))
	if hasMoney {
		for i, c := range cols {
			switch {
			case c.field.Type == catalog.Money:
				vals[i] = b.money(sums[i], stTotalMoney)
			case i == 0:
				vals[i] = b.text("合计", stTotalText)
			default:
				vals[i] = nil
			}
		}
		if err := s.add(0, vals...); err != nil {
			return err
		}
	}
	if err := b.f.AutoFilter(s.name, "A1:"+lastCol+strconv.Itoa(last), nil); err != nil {
		return internal(err)
	}
	if err := s.flush(); err != nil {
		return err
	}
	return b.write(w)
}

// fullWarning is printed in the page header of an unmasked export.
const fullWarning = "含完整身份证号、账号，请妥善保管，勿外传"

// column is how Table shows one field.
type column struct {
	field   catalog.Field
	full    bool
	enum    map[string]string
	regions *regions.List
	width   float64
}

func tableColumns(d catalog.Dataset, o Options) ([]column, error) {
	cols := make([]column, len(d.Fields))
	for i, f := range d.Fields {
		c := column{field: f, full: o.Full}
		switch f.Type {
		case catalog.Enum:
			c.enum = enumLabels(f)
		case catalog.Region6, catalog.Region12:
			l, err := regionList()
			if err != nil {
				return nil, err
			}
			c.regions = l
		}
		c.width = max(displayWidth(f.Label)+2, typeWidth(f, c.enum))
		cols[i] = c
	}
	return cols, nil
}

// typeWidth is a column width that fits typical values of the field.
func typeWidth(f catalog.Field, enum map[string]string) float64 {
	switch f.Type {
	case catalog.IDCard:
		return 21
	case catalog.Account:
		return 24
	case catalog.Money:
		return 15
	case catalog.Date:
		return 12
	case catalog.Integer:
		return 10
	case catalog.Phone:
		return 15
	case catalog.Region6:
		return 24
	case catalog.Region12:
		return 40
	case catalog.Enum:
		w := 8.0
		for _, l := range enum {
			w = max(w, displayWidth(l)+2)
		}
		return w
	case catalog.Attachment:
		return 20
	}
	switch {
	case f.MaxLength > 0 && f.MaxLength <= 10:
		return 12
	case f.MaxLength > 0 && f.MaxLength <= 30:
		return 20
	}
	return 30
}

// cell renders one non-empty value; money that parses is added to sum.
func (c *column) cell(b *book, v string, sum *int64) excelize.Cell {
	switch c.field.Type {
	case catalog.Money:
		if fen, ok := parseFen(v); ok {
			*sum += fen
			return b.money(fen, stMoney)
		}
	case catalog.Integer:
		if n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err == nil && n >= 0 && n < 1e15 {
			return excelize.Cell{StyleID: b.st.id[stNumber], Value: n}
		}
	case catalog.Enum:
		if l, ok := c.enum[strings.TrimSpace(v)]; ok {
			return b.text(l, stText)
		}
	case catalog.Region6, catalog.Region12:
		return b.text(regionText(c.regions, c.field.Type, v), stText)
	}
	return b.text(personalText(c.field, v, c.full), stText)
}
