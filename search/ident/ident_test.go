package ident

import (
	"slices"
	"testing"
)

func TestPhonesMeet(t *testing.T) {
	forms := []string{"+66 81 234 5678", "0812345678", "66812345678", "+66812345678", "081-234-5678", "0066 81 234 5678", "(081) 234 5678", "+66 (0)81 234 5678"}
	for _, f := range forms {
		got := Canonical(f)
		if !slices.Contains(got, "tel:812345678") {
			t.Errorf("Canonical(%q) = %v, want tel:812345678", f, got)
		}
	}
	// Other countries of the region.
	for in, want := range map[string]string{
		"+84 912 345 678": "tel:912345678", "0912345678": "tel:912345678",
		"+855 12 345 678": "tel:12345678", "012 345 678": "tel:12345678",
		"+62 812-3456-7890": "tel:81234567890", "+95 9 420 123 456": "tel:9420123456",
		"+63 917 123 4567": "tel:9171234567", "+60 12-345 6789": "tel:123456789",
	} {
		if got := Canonical(in); !slices.Contains(got, want) {
			t.Errorf("Canonical(%q) = %v, want %s", in, got, want)
		}
	}
}

func TestFindInText(t *testing.T) {
	text := "Call me on +66 81 234 5678 or mail nok.s@example.co.th; pay to GB82 WEST 1234 5698 7654 32, " +
		"acct 123-4-56789-0, passport AA1234567, USDT TXyz1aBcD2eFgH3iJkL4mNoP5qRsT6uVw, ETH 0x52908400098527886E0F7030069857D2E4169EE7."
	got := Extract(text)
	for _, want := range []string{"tel:812345678", "email:nok.s@example.co.th", "iban:GB82WEST12345698765432",
		"num:1234567890", "doc:AA1234567", "wallet:0x52908400098527886e0f7030069857d2e4169ee7"} {
		if !slices.Contains(got, want) {
			t.Errorf("missing %s in %v", want, got)
		}
	}
}

func TestIBANWithAndWithoutSpaces(t *testing.T) {
	a := Canonical("GB82 WEST 1234 5698 7654 32")
	b := Canonical("GB82WEST12345698765432")
	c := Canonical("gb82west12345698765432")
	if len(a) == 0 || !slices.Equal(a, b) || !slices.Equal(b, c) {
		t.Fatalf("IBAN forms differ: %v %v %v", a, b, c)
	}
	if got := Canonical("GB83WEST12345698765432"); slices.Contains(got, "iban:GB83WEST12345698765432") {
		t.Fatalf("bad check digits accepted: %v", got)
	}
}

func TestNoFalsePhoneInDates(t *testing.T) {
	for _, f := range Extract("Met on 2024-05-01 at 10:30, paid 15000 baht") {
		if f[:4] == "tel:" {
			t.Errorf("date or amount read as a phone: %s", f)
		}
	}
}

func FuzzFindAll(f *testing.F) {
	f.Add("+66 81 234 5678 GB82 WEST 1234 5698 7654 32 a@b.co")
	f.Fuzz(func(t *testing.T, s string) {
		prev := 0
		for _, m := range FindAll(s) {
			if m.Start < prev || m.End > len(s) || m.Start >= m.End || len(m.Forms) == 0 {
				t.Fatalf("bad match %+v in %q", m, s)
			}
			prev = m.End
		}
	})
}
