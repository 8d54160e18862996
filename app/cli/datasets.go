package cli

import (
	"fmt"
	"io"

	"caiji/backend/catalog"
)

// datasetJSON is what `datasets --json` prints per dataset: the summary a
// script needs to know which tables exist and what their columns are.
type datasetJSON struct {
	Code    string      `json:"code"`
	Name    string      `json:"name"`
	Domain  string      `json:"domain"`
	Period  string      `json:"period"`
	Version int         `json:"version"`
	Fields  []fieldJSON `json:"fields"`
}

type fieldJSON struct {
	Code     string `json:"code"`
	Label    string `json:"label"`
	Type     string `json:"type"`
	Required bool   `json:"required"`
}

var periodLabels = map[string]string{"monthly": "月报", "quarterly": "季报", "yearly": "年报"}

func runDatasets(e *env, args []string) int {
	fs := e.flags("datasets")
	if ok, code := e.parse(fs, args); !ok {
		return code
	}
	c, err := catalog.Load()
	if err != nil {
		return e.fail(err)
	}
	ds := c.Datasets()
	out := make([]datasetJSON, 0, len(ds))
	for _, d := range ds {
		j := datasetJSON{Code: d.Code, Name: d.Name, Domain: string(d.Domain), Period: string(d.Period),
			Version: d.Version, Fields: make([]fieldJSON, 0, len(d.Fields))}
		for _, f := range d.Fields {
			j.Fields = append(j.Fields, fieldJSON{Code: f.Code, Label: f.Label, Type: string(f.Type), Required: f.Required})
		}
		out = append(out, j)
	}
	return e.emit(out, func(w io.Writer) {
		fmt.Fprintf(w, "共 %d 个数据集：\n\n", len(ds))
		for _, d := range ds {
			kind := d.Domain.Label()
			if d.Comparison {
				kind += "·比对数据"
			}
			fmt.Fprintf(w, "%s  %s（%s，%s，第 %d 版）\n", d.Code, d.Name, kind, periodLabels[string(d.Period)], d.Version)
			for _, f := range d.Fields {
				req := "选填"
				if f.Required {
					req = "必填"
				}
				fmt.Fprintf(w, "    %-16s %-10s %s  %s\n", f.Code, f.Type, req, f.Label)
			}
			fmt.Fprintln(w)
		}
	})
}
