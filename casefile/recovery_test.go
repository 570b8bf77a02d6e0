package casefile_test

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"filippo.io/age"
	_ "modernc.org/sqlite"

	"casevault/casefile"
)

// TestRecoveryWithStandardTools follows the README's "Recovery with
// standard tools" procedure with the age library (and the age and sqlite3
// commands where installed): passphrase -> workspace identity -> catalog ->
// case identity -> case database, opened by SQLite.
func TestRecoveryWithStandardTools(t *testing.T) {
	ctx := context.Background()
	pass := "recovery procedure passphrase"
	dir := filepath.Join(t.TempDir(), "ws")
	w, _, err := casefile.Create(dir, []byte(pass), casefile.CreateOptions{WorkFactor: 10})
	if err != nil {
		t.Fatal(err)
	}
	c, err := w.CreateCase(ctx, casefile.CaseInfo{Ref: "REC-1", Title: "Recoverable case (fictional)"})
	if err != nil {
		t.Fatal(err)
	}
	id := c.ID()
	w.Close()
	out := t.TempDir()

	// Step 1: age -d keys/identity.age > identity.txt (asks for the passphrase).
	sid, _ := age.NewScryptIdentity(pass)
	identityTxt := decrypt(t, filepath.Join(dir, "keys", "identity.age"), sid)
	os.WriteFile(filepath.Join(out, "identity.txt"), identityTxt, 0o600)
	ids, err := age.ParseIdentities(bytes.NewReader(identityTxt))
	if err != nil {
		t.Fatal(err)
	}

	// Step 2: age -d -i identity.txt catalog.age > catalog.json
	catalogJSON := decrypt(t, filepath.Join(dir, "catalog.age"), ids...)
	if ageCmd, err := exec.LookPath("age"); err == nil {
		got, err := exec.Command(ageCmd, "-d", "-i", filepath.Join(out, "identity.txt"), filepath.Join(dir, "catalog.age")).Output()
		if err != nil || !bytes.Equal(got, catalogJSON) {
			t.Fatalf("the age command: %v", err)
		}
	} else {
		t.Log("age command not installed: used the age library only")
	}

	// Step 3: the case's identity is in the catalog under cases[].identity.
	var cat struct {
		Cases []struct{ ID, Identity string } `json:"cases"`
	}
	if err := json.Unmarshal(catalogJSON, &cat); err != nil {
		t.Fatal(err)
	}
	var caseKey string
	for _, cc := range cat.Cases {
		if cc.ID == id {
			caseKey = cc.Identity
		}
	}
	os.WriteFile(filepath.Join(out, "case-key.txt"), []byte(caseKey+"\n"), 0o600)
	cid, err := age.ParseX25519Identity(caseKey)
	if err != nil {
		t.Fatal(err)
	}

	// Step 4: age -d -i case-key.txt cases/ID/case.db.age > case.db
	dbPath := filepath.Join(out, "case.db")
	os.WriteFile(dbPath, decrypt(t, filepath.Join(dir, "cases", id, "case.db.age"), cid), 0o600)

	// Step 5: sqlite3 case.db "SELECT ref, title FROM case_info"
	db, err := sql.Open("sqlite", dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var ref string
	if err := db.QueryRow("SELECT ref FROM case_info").Scan(&ref); err != nil || ref != "REC-1" {
		t.Fatalf("sqlite: %q %v", ref, err)
	}
	if sqlite3, err := exec.LookPath("sqlite3"); err == nil {
		got, err := exec.Command(sqlite3, dbPath, "SELECT ref FROM case_info; PRAGMA integrity_check;").Output()
		if err != nil || strings.TrimSpace(string(got)) != "REC-1\nok" {
			t.Fatalf("sqlite3 command: %q %v", got, err)
		}
	} else {
		t.Log("sqlite3 command not installed: used modernc.org/sqlite only")
	}
}

func decrypt(t *testing.T, path string, ids ...age.Identity) []byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := age.Decrypt(bufio.NewReader(f), ids...)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var b bytes.Buffer
	if _, err := b.ReadFrom(r); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return b.Bytes()
}
