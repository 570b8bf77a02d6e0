package search

import (
	"path/filepath"
	"slices"
	"testing"
)

func TestIdentifiersFindEachOther(t *testing.T) {
	ix := openTest(t, filepath.Join(t.TempDir(), "index"))
	docs := []Document{
		{ID: "a", CaseID: "c1", Kind: KindEvidence, ItemID: "chat1", Text: "โทรหาพี่ที่เบอร์ +66 81 234 5678 นะ"},
		{ID: "b", CaseID: "c2", Kind: KindEvidence, ItemID: "sms", Text: "Số của anh ấy là 0812345678, gọi sau 9 giờ."},
		{ID: "c", CaseID: "c3", Kind: KindPerson, ItemID: "p1", Title: "Broker", Text: "Phone 66812345678; passport AA 1234567"},
		{ID: "d", CaseID: "c3", Kind: KindAsset, ItemID: "acc", Text: "Transfer to IBAN GB82 WEST 1234 5698 7654 32 from 123-4-56789-0"},
		{ID: "e", CaseID: "c4", Kind: KindEvidence, ItemID: "mail", Text: "Reply to Recruit.Agent@Example.com, wallet 0x52908400098527886E0F7030069857D2E4169EE7"},
		{ID: "f", CaseID: "c4", Kind: KindNote, ItemID: "n", Text: "Unrelated number 0899999999"},
	}
	mustPut(t, ix, docs...)
	for q, want := range map[string][]string{
		"+66 81 234 5678":             {"a", "b", "c"},
		"0812345678":                  {"a", "b", "c"},
		"66812345678":                 {"a", "b", "c"},
		`"+66 81 234 5678"`:           {"a", "b", "c"},
		"GB82WEST12345698765432":      {"d"},
		"GB82 WEST 1234 5698 7654 32": {"d"},
		"1234567890":                  {"d"},
		"123 4 56789 0":               {"d"},
		"AA1234567":                   {"c"},
		"recruit.agent@example.com":   {"e"},
		"0x52908400098527886e0f7030069857d2e4169ee7": {"e"},
	} {
		got := hitIDs(search(t, ix, q))
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s: got %v, want %v", q, got, want)
		}
	}
	// The snippet marks the number as written.
	r := search(t, ix, "0812345678")
	for _, h := range r.Hits {
		if h.ID == "a" && h.Snippet.Marked("[", "]") != "โทรหาพี่ที่เบอร์ [+66 81 234 5678] นะ" {
			t.Errorf("snippet %q", h.Snippet.Marked("[", "]"))
		}
	}
}
