package casefile

import (
	"errors"
	"testing"
)

func TestParseMoney(t *testing.T) {
	for _, c := range []struct{ in, cur, want string }{
		{"1234.50", "THB", "1234.50 THB"},
		{"1,234.5", "usd", "1234.50 USD"},
		{"0", "EUR", "0.00 EUR"},
		{"15000000", "VND", "15000000 VND"},
		{"12.000", "KWD", "12.000 KWD"},
		{"7", "JPY", "7 JPY"},
		{"0.01", "SGD", "0.01 SGD"},
	} {
		m, err := ParseMoney(c.in, c.cur)
		if err != nil || m.String() != c.want {
			t.Errorf("%s %s: got %q, %v; want %q", c.in, c.cur, m, err, c.want)
		}
	}
	for _, c := range []struct{ in, cur string }{
		{"-5", "THB"}, {"1.2.3", "THB"}, {"abc", "THB"}, {"1e5", "THB"}, {"", "THB"},
		{"1.5", "VND"}, {"1.005", "USD"}, {"10", "ZZZ"}, {"10", ""}, {"99999999999999999999", "USD"}, {".5", "USD"}, {"5.", "USD"},
	} {
		_, err := ParseMoney(c.in, c.cur)
		var ve *ValidationError
		if !errors.As(err, &ve) {
			t.Errorf("%q %q: got %v, want a validation error", c.in, c.cur, err)
		}
	}
}

func FuzzParseMoney(f *testing.F) {
	f.Add("1234.50", "THB")
	f.Add("1,000", "VND")
	f.Fuzz(func(t *testing.T, amount, cur string) {
		m, err := ParseMoney(amount, cur)
		if err != nil {
			return
		}
		back, err := ParseMoney(m.Amount(), m.Currency)
		if err != nil || back != m {
			t.Fatalf("%q %q -> %v -> %v %v", amount, cur, m, back, err)
		}
	})
}
