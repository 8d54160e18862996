package report

import "strings"

// Chinese capital numerals (大写金额), the way totals are written on payment
// documents so that a figure cannot be altered by adding a stroke. The rules
// follow the 支付结算办法 conventions as banks and 财政 offices apply them:
//
//   - 拾 always has a digit before it: 10 元 is 壹拾元整, not 拾元整.
//   - A run of zeros inside the figure is written as one 零 (壹仟零壹元),
//     also across the 万 and 亿 sections (壹拾万零壹拾元); zeros at the end
//     of the yuan part are not written (壹万元整).
//   - 整 ends an amount without 分: 壹拾元整, 壹仟贰佰元伍角整.
//   - Zero yuan is left out when there are 角 or 分 (伍分, 伍角整); a zero
//     角 between yuan and 分 is written 零 (壹元零伍分). Nothing at all is
//     零元整.
var (
	capDigits   = [...]string{"零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖"}
	capPlaces   = [...]string{"", "拾", "佰", "仟"}
	capSections = [...]string{"", "万", "亿", "万亿", "亿亿"} // int64 fen: at most 17 yuan digits
)

// Capital writes fen as a Chinese capital amount: 120050 → 壹仟贰佰元伍角整.
func Capital(fen int64) string {
	var b strings.Builder
	u := uint64(fen)
	if fen < 0 {
		b.WriteString("负")
		u = -u // two's complement: right for math.MinInt64 too
	}
	yuan, jiao, fenDigit := u/100, u/10%10, u%10
	if yuan > 0 {
		writeCapitalYuan(&b, yuan)
		b.WriteString("元")
	}
	switch {
	case jiao == 0 && fenDigit == 0:
		if yuan == 0 {
			b.WriteString("零元")
		}
		b.WriteString("整")
	case fenDigit == 0:
		b.WriteString(capDigits[jiao] + "角整")
	case jiao == 0:
		if yuan > 0 {
			b.WriteString("零")
		}
		b.WriteString(capDigits[fenDigit] + "分")
	default:
		b.WriteString(capDigits[jiao] + "角" + capDigits[fenDigit] + "分")
	}
	return b.String()
}

// writeCapitalYuan writes n > 0 in sections of four digits, highest first.
func writeCapitalYuan(b *strings.Builder, n uint64) {
	var secs [len(capSections)]uint64
	top := 0
	for i := 0; n > 0; i++ {
		secs[i] = n % 10000
		n /= 10000
		top = i
	}
	started, gap := false, false
	for i := top; i >= 0; i-- {
		s := secs[i]
		if s == 0 {
			gap = started // a zero section between two non-zero ones
			continue
		}
		if started && (gap || s < 1000) {
			b.WriteString("零")
		}
		writeCapitalSection(b, s)
		b.WriteString(capSections[i])
		started, gap = true, false
	}
}

// writeCapitalSection writes 1..9999 without leading or trailing zeros and
// with one 零 for a run of inner zeros: 1001 → 壹仟零壹, 1010 → 壹仟零壹拾.
func writeCapitalSection(b *strings.Builder, s uint64) {
	zero, started := false, false
	for p := 3; p >= 0; p-- {
		d := s / pow10[p] % 10
		if d == 0 {
			zero = started
			continue
		}
		if zero {
			b.WriteString("零")
			zero = false
		}
		b.WriteString(capDigits[d] + capPlaces[p])
		started = true
	}
}

var pow10 = [...]uint64{1, 10, 100, 1000}
