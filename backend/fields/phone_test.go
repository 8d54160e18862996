package fields

import "testing"

func TestCheckPhone(t *testing.T) {
	tests := []struct {
		in, norm string
		want     []string
	}{
		{"13812345678", "13812345678", nil},
		{"19912345678", "19912345678", nil},
		{"138 1234 5678", "13812345678", nil},
		{"138-1234-5678", "13812345678", nil},
		{"+86 138 1234 5678", "13812345678", nil},
		{"+86-13812345678", "13812345678", nil},
		{"(+86)13812345678", "13812345678", nil},
		{"008613812345678", "13812345678", nil},
		{"8613812345678", "13812345678", nil},
		{"013812345678", "13812345678", nil},
		{"１３８１２３４５６７８", "13812345678", nil},
		{"０３７１－６７８９１２３４", "0371-67891234", nil},
		{"0371-67891234", "0371-67891234", nil},
		{"037167891234", "0371-67891234", nil},
		{"(0371)67891234", "0371-67891234", nil},
		{"（0371）6789123", "0371-6789123", nil},
		{"010-67891234", "010-67891234", nil},
		{"01067891234", "010-67891234", nil},
		{"021 6123 4567", "021-61234567", nil},
		{"+86 10 8888 6666", "010-88886666", nil},
		{"0086-371-67891234", "0371-67891234", nil},
		{"0371-67891234转123", "0371-67891234转123", nil},
		{"0371-67891234 分机 8001", "0371-67891234转8001", nil},
		{"0371-67891234 ext. 8", "0371-67891234转8", nil},
		{"0371-67891234x123", "0371-67891234转123", nil},
		{"0371-67891234#123", "0371-67891234转123", nil},
		{"0371-67891234-123", "0371-67891234转123", nil},
		{"0371-6789123-12", "0371-6789123转12", nil},

		{"", "", []string{"phone_empty"}},
		{"1381234567", "", []string{"phone_format"}},   // 10 digits
		{"138123456789", "", []string{"phone_format"}}, // 12 digits
		{"12812345678", "", []string{"phone_format"}},  // no 12X mobiles
		{"10086", "", []string{"phone_format"}},
		{"12345678", "", []string{"phone_format"}}, // no area code
		{"010-1234567", "", []string{"phone_format"}},
		{"010-02345678", "", []string{"phone_format"}},
		{"0371-567891", "", []string{"phone_format"}},
		{"011-67891234", "", []string{"phone_format"}},
		{"00-67891234", "", []string{"phone_format"}},
		{"13812345678转1", "", []string{"phone_format"}},
		{"0371-56789123转", "", []string{"phone_format"}},
		{"0371-56789123转1234567", "", []string{"phone_format"}},
		{"138a2345678", "", []string{"phone_format"}},
		{"+86", "", []string{"phone_format"}},
		{"转123", "", []string{"phone_format"}},
		{"无", "", []string{"phone_format"}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			norm, issues := CheckPhone(tt.in)
			if norm != tt.norm {
				t.Errorf("normalized %q, want %q", norm, tt.norm)
			}
			checkIssues(t, tt.in, issues, tt.want)
			if len(issues) == 0 { // normalising twice changes nothing
				if again, is := CheckPhone(norm); again != norm || is != nil {
					t.Errorf("CheckPhone(%q) = %q, %v", norm, again, codes(is))
				}
			}
		})
	}
}
