package fields

import (
	"strings"
	"time"
)

// ParseDate reads a calendar date as clerks type it: 2026-11-23, 2026/11/23,
// 2026.11.23, 20261123, 2026年11月23日 (month and day may have one digit
// except in the 8-digit form; full-width digits are folded). It returns UTC
// midnight of that date, so dates compare and store without a time zone.
func ParseDate(s string) (time.Time, []Issue) {
	t := removeFunc(foldWidth(s), isBlank) // "2026 年 11 月 23 日" too
	if t == "" {
		return time.Time{}, one(CodeDateEmpty, "日期为空，请填写。")
	}
	y, m, d, ok := splitDate(t)
	if !ok {
		return time.Time{}, one(CodeDateFormat, "日期格式无法识别，请写成 2026-11-23、2026/11/23、"+
			"20261123 或 2026年11月23日。")
	}
	switch {
	case y < 1:
		return time.Time{}, one(CodeDateInvalid, "日期中的年份不对，请核对。")
	case m < 1 || m > 12:
		return time.Time{}, one(CodeDateInvalid, "日期中的月份 "+itoa(m)+" 不存在，月份应为 1–12，请核对。")
	case d < 1 || d > daysIn(y, time.Month(m)):
		return time.Time{}, one(CodeDateInvalid, itoa(y)+" 年 "+itoa(m)+" 月没有 "+itoa(d)+
			" 日（该月只有 "+itoa(daysIn(y, time.Month(m)))+" 天），请核对。")
	}
	return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC), nil
}

// splitDate finds year, month and day in one of the accepted layouts.
// Month and day are not range-checked here.
func splitDate(t string) (y, m, d int, ok bool) {
	if len(t) == 8 && allDigits(t) {
		return atoi(t[:4]), atoi(t[4:6]), atoi(t[6:]), true
	}
	var parts []string
	if strings.Contains(t, "年") {
		rest, _ := strings.CutSuffix(t, "日")
		ys, rest, ok1 := strings.Cut(rest, "年")
		ms, ds, ok2 := strings.Cut(rest, "月")
		if !ok1 || !ok2 {
			return 0, 0, 0, false
		}
		parts = []string{ys, ms, ds}
	} else {
		sep := strings.IndexAny(t, "-/.")
		if sep < 0 {
			return 0, 0, 0, false
		}
		parts = strings.Split(t, t[sep:sep+1]) // the same separator both times
	}
	if len(parts) != 3 || len(parts[0]) != 4 {
		return 0, 0, 0, false
	}
	for _, p := range parts {
		if !allDigits(p) || len(p) > 4 {
			return 0, 0, 0, false
		}
	}
	if len(parts[1]) > 2 || len(parts[2]) > 2 {
		return 0, 0, 0, false
	}
	return atoi(parts[0]), atoi(parts[1]), atoi(parts[2]), true
}

// daysIn is the number of days in month m of year y, Gregorian leap rules
// (1900 was not a leap year, 2000 was).
func daysIn(y int, m time.Month) int {
	switch m {
	case time.February:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}
