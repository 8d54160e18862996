package catalog

import (
	"strings"

	"caiji/backend/fields"
	"caiji/backend/regions"
)

// Region checks against the bundled, versioned region list
// (backend/regions). Unknown codes are errors, abolished county codes and
// villages missing from the list are warnings (a village may be newer than
// the list), and an ID number whose first six digits are not in the list
// only warns: the list starts at GB/T 2260 2002, older IDs have older codes.
const (
	CodeRegionUnknown         = "region_unknown"
	CodeRegionAbolished       = "region_abolished"        // warning
	CodeRegionVillageUnlisted = "region_village_unlisted" // warning
	CodeRegionUnavailable     = "region_unavailable"      // the embedded list failed to load: a build bug
	CodeIDRegionUnknown       = "id_region_unknown"       // warning
)

// loadRegions is regions.Load; tests swap it to check what a broken list
// does.
var loadRegions = regions.Load

// regionList returns the list, or an issue that blocks the row if the
// embedded data cannot be decoded. That is a programming error (tests
// fail on it); rows are not let through unchecked in the meantime.
func regionList(row int, f *Field) (*regions.List, *RowIssue) {
	l, err := loadRegions()
	if err != nil {
		return nil, &RowIssue{Row: row, Field: f.Code, Code: CodeRegionUnavailable, Severity: sevError,
			Message: "程序内置的行政区划代码表无法读取，暂时不能检查「" + f.Label + "」。这是程序问题，请联系技术支持。"}
	}
	return l, nil
}

// checkRegion6 checks a 6-digit code already known to be all digits.
func checkRegion6(out []RowIssue, row int, f *Field, code string) []RowIssue {
	l, bad := regionList(row, f)
	if bad != nil {
		return append(out, *bad)
	}
	e, st := l.County(code)
	switch st {
	case regions.Current:
		return out
	case regions.Abolished:
		return append(out, RowIssue{Row: row, Field: f.Code, Code: CodeRegionAbolished, Severity: string(fields.Warning),
			Message: "「" + f.Label + "」是已撤销的" + strings.Join(e.Path, "") + "的代码（GB/T 2260 最后收录于 " +
				revision(e.Revision) + "），请改为现在所属县（市、区）的代码。"})
	}
	hint := "请核对"
	if strings.HasSuffix(code, "00") {
		hint = "县级代码末两位一般不是 00，请填写县（市、区）的代码，不要填市或省的代码"
	}
	return append(out, RowIssue{Row: row, Field: f.Code, Code: CodeRegionUnknown, Severity: sevError,
		Message: "「" + f.Label + "」不在行政区划代码表（" + l.Version().String() + "）中，" + hint + "。"})
}

// checkRegion12 checks a 12-digit code already known to be all digits.
func checkRegion12(out []RowIssue, row int, f *Field, code string) []RowIssue {
	l, bad := regionList(row, f)
	if bad != nil {
		return append(out, *bad)
	}
	e, st := l.Village(code)
	switch st {
	case regions.Current:
		return out
	case regions.TownOnly:
		return append(out, RowIssue{Row: row, Field: f.Code, Code: CodeRegionVillageUnlisted, Severity: string(fields.Warning),
			Message: "「" + f.Label + "」的乡镇是" + strings.Join(e.Path, "") + "，但" + l.Version().String() +
				"统计用区划代码中没有这个村。请核对后三位；新设立的村可能还没有收录，核对无误可以保存。"})
	}
	return append(out, RowIssue{Row: row, Field: f.Code, Code: CodeRegionUnknown, Severity: sevError,
		Message: "「" + f.Label + "」不在统计用区划代码表（" + l.Version().String() + "）中，前 9 位对应的乡镇也不存在，请核对。"})
}

// checkIDRegion warns when the first six digits of an otherwise valid ID
// number are no region code the list has ever had. id is normalised.
func checkIDRegion(issues []fields.Issue, id string) []fields.Issue {
	l, err := loadRegions()
	if err != nil {
		return append(issues, fields.Issue{Code: CodeRegionUnavailable, Severity: fields.Error,
			Message: "程序内置的行政区划代码表无法读取，暂时不能检查身份证号。这是程序问题，请联系技术支持。"})
	}
	if len(id) < 6 || l.IDRegion(id[:6]) {
		return issues
	}
	return append(issues, fields.Issue{Code: CodeIDRegionUnknown, Severity: fields.Warning,
		Message: "身份证号前 6 位不在行政区划代码表（" + l.Version().String() + "及 GB/T 2260 " + revisionYears(l.Version()) +
			"各版）中，请核对；很早签发的身份证可能用了更老的代码，核对无误可以保存。"})
}

// revision turns YYYYMM into 2009 年 12 月版.
func revision(r string) string {
	if len(r) != 6 {
		return r
	}
	m := strings.TrimPrefix(r[4:], "0")
	return r[:4] + " 年 " + m + " 月版"
}

// revisionYears is "2002—2016 年" for the bundled GB/T 2260 revisions.
func revisionYears(v regions.Version) string {
	if len(v.Revisions) == 0 {
		return ""
	}
	first, last := v.Revisions[0], v.Revisions[len(v.Revisions)-1]
	return first[:min(4, len(first))] + "—" + last[:min(4, len(last))] + " 年"
}
