package report

import (
	"io"
	"strings"
	"time"

	"caiji/backend/batch"
	"caiji/backend/catalog"
	"caiji/backend/period"
)

// History writes the correction history of one record (更正记录): a row
// per version, oldest first, with the version, its status, the 整改
// reference, the reason, which fields changed, and every field's value as
// it stood, the changed ones in yellow. Values come masked from
// batch.History; enum and region cells show their labels as in Table.
func History(w io.Writer, d catalog.Dataset, versions []batch.RowVersion, m Meta) error {
	b, err := newBook(m)
	if err != nil {
		return err
	}
	defer b.close()
	b.docProps(m.OrgUnit + m.PeriodLabel + d.Name + "更正记录")
	// Values arrive masked (batch.History); Full only stops a second mask.
	cols, err := tableColumns(d, Options{Full: true})
	if err != nil {
		return err
	}
	lead := []string{"版本", "状态", "整改通知文号", "更正原因", "更正的字段", "时间"}
	widths := []float64{6, 12, 18, 30, 20, 18}
	for _, c := range cols {
		widths = append(widths, c.width)
	}
	s, err := b.newSheet("更正记录", page{landscape: true, titleRows: 1, widths: widths})
	if err != nil {
		return err
	}
	vals := make([]any, 0, len(widths))
	for _, l := range lead {
		vals = append(vals, b.text(l, stHeader))
	}
	for _, c := range cols {
		vals = append(vals, b.text(c.field.Label, stHeader))
	}
	if err := s.add(0, vals...); err != nil {
		return err
	}
	labels := make(map[string]string, len(d.Fields))
	for _, f := range d.Fields {
		labels[f.Code] = f.Label
	}
	for _, v := range versions {
		changed := make(map[string]bool, len(v.Changed))
		names := make([]string, 0, len(v.Changed))
		for _, c := range v.Changed {
			changed[c] = true
			names = append(names, labels[c])
		}
		status := batch.StatusLabel(v.Status)
		if v.RowID == 0 {
			status += "（本版本删除了此行）"
		}
		vals = vals[:0]
		vals = append(vals, b.number(v.Version, stNumber), b.text(status, stText), b.text(v.Rectification, stText),
			b.text(v.Reason, stText), b.text(strings.Join(names, "、"), stText), b.text(historyTime(v.UpdatedAt), stText))
		var sum int64
		for i := range cols {
			c := &cols[i]
			val := v.Cells[c.field.Code]
			switch {
			case changed[c.field.Code]:
				vals = append(vals, b.text(c.display(val), stChanged))
			case val == "":
				vals = append(vals, nil)
			default:
				vals = append(vals, c.cell(b, val, &sum))
			}
		}
		if err := s.add(0, vals...); err != nil {
			return err
		}
	}
	if err := s.flush(); err != nil {
		return err
	}
	return b.write(w)
}

func historyTime(stored string) string {
	t, err := time.Parse("2006-01-02T15:04:05.000000Z", stored)
	if err != nil {
		return stored
	}
	return dateLabel(t) + " " + t.In(period.Zone()).Format("15:04")
}

// display is a value as Table shows it, as text: the changed cells of a
// history are highlighted text whatever their type.
func (c *column) display(v string) string {
	switch c.field.Type {
	case catalog.Enum:
		if l, ok := c.enum[strings.TrimSpace(v)]; ok {
			return l
		}
	case catalog.Region6, catalog.Region12:
		if v != "" {
			return regionText(c.regions, c.field.Type, v)
		}
	}
	return v
}
