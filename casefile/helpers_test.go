package casefile

import (
	"context"
	"crypto/rand"
	"testing"
)

// testWorkFactor keeps scrypt fast in tests; real workspaces calibrate.
const testWorkFactor = 10

var testPass = []byte("correct horse battery staple")

func newTestWorkspace(t testing.TB) (*Workspace, string) {
	t.Helper()
	dir := t.TempDir() + "/ws"
	w, code, err := Create(dir, testPass, CreateOptions{WorkFactor: testWorkFactor})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return w, code
}

func reopen(t testing.TB, w *Workspace) *Workspace {
	t.Helper()
	dir := w.Dir()
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	w2, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := w2.Unlock(testPass); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w2.Close() })
	return w2
}

func sampleInfo() CaseInfo {
	return CaseInfo{
		Ref:            "TIP-2026-001",
		Title:          "Operation Harbour Light (fictional)",
		Status:         StatusInvestigation,
		Exploitation:   []Exploitation{ExploitationLabour, ExploitationSexual},
		FastTrack:      true,
		Jurisdictions:  []Jurisdiction{{"KH", RoleOrigin}, {"TH", RoleTransit}, {"MY", RoleDestination}},
		LeadProsecutor: "Prosecutor A. Example",
		Opened:         MustDate("2026-01-15"),
		Summary:        "Synthetic test case.\nSecond line: การค้ามนุษย์ / Nguyễn.",
		Tags:           []string{"fishing", "boats"},
	}
}

func mustCreateCase(t testing.TB, w *Workspace, info CaseInfo) *Case {
	t.Helper()
	c, err := w.CreateCase(context.Background(), info)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// closeAndOpen closes c and opens the case again from its file.
func closeAndOpen(t testing.TB, w *Workspace, c *Case) *Case {
	t.Helper()
	id := c.ID()
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	c, err := w.OpenCase(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// serializeCase returns the case's database image (sqlite3_serialize).
func serializeCase(tb testing.TB, c *Case) []byte {
	tb.Helper()
	var image []byte
	err := c.conn.Raw(func(dc any) error {
		var err error
		image, err = dc.(interface{ Serialize() ([]byte, error) }).Serialize()
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	return image
}

// fillRandom grows the case's database by about size bytes of random
// (incompressible) rows in a table of their own.
func fillRandom(tb testing.TB, c *Case, size int) {
	tb.Helper()
	ctx := context.Background()
	if _, err := c.conn.ExecContext(ctx, "CREATE TABLE filler (data BLOB)"); err != nil {
		tb.Fatal(err)
	}
	row := make([]byte, 3000)
	for i := 0; i < size/len(row); i++ {
		rand.Read(row)
		if _, err := c.conn.ExecContext(ctx, "INSERT INTO filler VALUES (?)", row); err != nil {
			tb.Fatal(err)
		}
	}
}
