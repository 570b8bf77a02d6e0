package casefile

import (
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"strings"

	"golang.org/x/text/currency"
)

// Money is an exact amount in an ISO 4217 currency, held as an integer
// count of the currency's minor units (cents, satang; none for VND or
// JPY). Amounts are never floats.
type Money struct {
	Minor    int64  // amount in minor units
	Currency string // ISO 4217 code, upper case
}

// currencyScale returns the number of minor-unit digits of an ISO 4217
// currency, or an error for an unknown code.
func currencyScale(code string) (int, error) {
	u, err := currency.ParseISO(code)
	if err != nil || u.String() != code || code == "XXX" || code == "XTS" {
		return 0, fmt.Errorf("unknown currency code %q (use ISO 4217 codes such as THB, USD, VND)", code)
	}
	scale, _ := currency.Standard.Rounding(u)
	return scale, nil
}

// ValidCurrency reports whether code is an ISO 4217 currency code.
func ValidCurrency(code string) bool {
	_, err := currencyScale(code)
	return err == nil
}

// ParseMoney parses an amount such as "1234.50" or "1,234.50" in the given
// currency. It refuses negative amounts, more decimals than the currency
// has, and anything that is not a plain decimal number.
func ParseMoney(amount, code string) (Money, error) {
	code = strings.ToUpper(strings.TrimSpace(code))
	scale, err := currencyScale(code)
	if err != nil {
		return Money{}, invalid("currency", "%v", err)
	}
	s := strings.ReplaceAll(strings.TrimSpace(amount), ",", "")
	s = strings.ReplaceAll(s, "_", "")
	if s == "" {
		return Money{}, invalid("value", "is empty")
	}
	if strings.HasPrefix(s, "-") {
		return Money{}, invalid("value", "%q is negative; amounts are zero or more", amount)
	}
	whole, frac, hasDot := strings.Cut(s, ".")
	if whole == "" || !allDigits(whole) || (hasDot && (frac == "" || !allDigits(frac))) {
		return Money{}, invalid("value", "%q is not an amount (write it like 1234.50)", amount)
	}
	frac = strings.TrimRight(frac, "0")
	if len(frac) > scale {
		return Money{}, invalid("value", "%q has more decimals than %s allows (%d)", amount, code, scale)
	}
	digits := whole + frac + strings.Repeat("0", scale-len(frac))
	n, ok := new(big.Int).SetString(digits, 10)
	if !ok || !n.IsInt64() {
		return Money{}, invalid("value", "%q is too large", amount)
	}
	return Money{Minor: n.Int64(), Currency: code}, nil
}

func allDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// String returns the amount with its currency, e.g. "1234.50 THB".
func (m Money) String() string {
	if m.Currency == "" {
		return ""
	}
	return m.Amount() + " " + m.Currency
}

// Amount returns the decimal amount without the currency, e.g. "1234.50".
func (m Money) Amount() string {
	scale, err := currencyScale(m.Currency)
	if err != nil {
		scale = 0
	}
	s := fmt.Sprintf("%0*d", scale+1, m.Minor)
	if scale == 0 {
		return s
	}
	return s[:len(s)-scale] + "." + s[len(s)-scale:]
}

// IsZero reports whether no amount is set.
func (m Money) IsZero() bool { return m.Currency == "" }

// MarshalJSON writes {"amount":"1234.50","currency":"THB"}, or null.
func (m Money) MarshalJSON() ([]byte, error) {
	if m.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(struct {
		Amount   string `json:"amount"`
		Currency string `json:"currency"`
	}{m.Amount(), m.Currency})
}

// UnmarshalJSON reads what MarshalJSON writes.
func (m *Money) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*m = Money{}
		return nil
	}
	var v struct {
		Amount   string `json:"amount"`
		Currency string `json:"currency"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	p, err := ParseMoney(v.Amount, v.Currency)
	if err != nil {
		return err
	}
	*m = p
	return nil
}

// addMinor adds with an overflow check.
func addMinor(a, b int64) (int64, error) {
	if (b > 0 && a > math.MaxInt64-b) || (b < 0 && a < math.MinInt64-b) {
		return 0, fmt.Errorf("total overflows")
	}
	return a + b, nil
}
