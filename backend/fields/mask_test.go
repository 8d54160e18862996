package fields

import "testing"

func TestMaskID(t *testing.T) {
	tests := []struct{ in, want string }{
		{"11010519491231002X", "110***********002X"},
		{"11010519491231002x", "110***********002X"},
		{" 110105 19491231 002X ", "110***********002X"},
		{"130503670401001", "130********1001"},
		{"12345678", "123*5678"},
		{"1234567", "*******"},
		{"123", "***"},
		{"", ""},
		{"身份证号码", "*****"},
		{"\xff\xfe\xfd12345678", "\ufffd\ufffd\ufffd****5678"},
	}
	for _, tt := range tests {
		if got := MaskID(tt.in); got != tt.want {
			t.Errorf("MaskID(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestMaskAccount(t *testing.T) {
	tests := []struct{ in, want string }{
		{"6222021234567890128", "6222***********0128"},
		{"6222 0212 3456 7890 128", "6222***********0128"},
		{"6228-4800-1234-5671", "6228********5671"},
		{"101234567890123", "1012*******0123"},
		{"123456789", "1234*6789"},
		{"12345678", "********"},
		{"1", "*"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := MaskAccount(tt.in); got != tt.want {
			t.Errorf("MaskAccount(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestMaskName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"张三", "张*"},
		{"王小明", "王**"},
		{"欧阳娜娜", "欧阳**"},
		{"欧阳锋", "欧阳*"},
		{"司马", "司*"}, // too short to keep the compound surname
		{"诸葛亮", "诸葛*"},
		{" 张三 ", "张*"},
		{"买买提·艾力", "买**·**"},
		{"张", "*"},
		{"张·", "*·"},
		{"ɘ.", "*."},
		{"", ""},
		{"  ", ""},
		{"Li Lei", "L*****"},
	}
	for _, tt := range tests {
		got := MaskName(tt.in)
		if got != tt.want {
			t.Errorf("MaskName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
