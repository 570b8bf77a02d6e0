package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"casevault/casefile"
)

var binary string

// TestMain builds the real binary once, pure Go, as users get it.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "casevault-cli-test")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "casevault-cli")
	build := exec.Command("go", "build", "-o", binary, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "build: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

const pass = "cli test passphrase, long enough"

type result struct {
	stdout, stderr string
	code           int
}

// cli runs the binary with the workspace dir and extra environment.
func cli(t *testing.T, dir string, env []string, args ...string) result {
	t.Helper()
	cmd := exec.Command(binary, append([]string{"--workspace", dir}, args...)...)
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"), "CASEVAULT_PASSPHRASE=" + pass}, env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return result{out.String(), errb.String(), code}
}

func mustCLI(t *testing.T, dir string, args ...string) string {
	t.Helper()
	r := cli(t, dir, nil, args...)
	if r.code != 0 {
		t.Fatalf("%v: exit %d: %s", args, r.code, r.stderr)
	}
	return r.stdout
}

func initWorkspace(t *testing.T) (dir, code string) {
	t.Helper()
	dir = filepath.Join(t.TempDir(), "ws")
	code = strings.TrimSpace(mustCLI(t, dir, "init", "--work-factor", "10"))
	if !regexp.MustCompile(`^([0-9A-Z]{4}-){7}[0-9A-Z]{4}$`).MatchString(code) {
		t.Fatalf("init printed %q, want the recovery code alone", code)
	}
	return dir, code
}

func TestRoundTripAcrossProcesses(t *testing.T) {
	dir, _ := initWorkspace(t)
	id := strings.TrimSpace(mustCLI(t, dir, "case", "new", "--ref", "TIP-2026-7", "--title", "Operation Quiet River (fictional)",
		"--status", "investigation", "--exploitation", "labour,sexual", "--fast-track",
		"--jurisdiction", "kh:origin", "--jurisdiction", "TH:destination", "--lead", "Prosecutor Nguyễn Văn A (fictional)",
		"--opened", "2026-02-03", "--summary", "Boats out of Songkhla; ลูกเรือ; 人口贩卖", "--tag", "fishing", "--tag", "boats"))
	if !regexp.MustCompile(`^[a-z2-7]{20}$`).MatchString(id) {
		t.Fatalf("case new printed %q, want the id alone", id)
	}
	mustCLI(t, dir, "case", "edit", id, "--title", "Operation Quiet River (edited)", "--tag", "fishing,vessels")
	var got casefile.CaseInfo
	if err := json.Unmarshal([]byte(mustCLI(t, dir, "case", "show", id, "--json")), &got); err != nil {
		t.Fatal(err)
	}
	want := casefile.CaseInfo{
		ID: id, Ref: "TIP-2026-7", Title: "Operation Quiet River (edited)", Status: casefile.StatusInvestigation,
		Exploitation: []casefile.Exploitation{"labour", "sexual"}, FastTrack: true,
		Jurisdictions:  []casefile.Jurisdiction{{Country: "KH", Role: "origin"}, {Country: "TH", Role: "destination"}},
		LeadProsecutor: "Prosecutor Nguyễn Văn A (fictional)", Opened: casefile.MustDate("2026-02-03"),
		Summary: "Boats out of Songkhla; ลูกเรือ; 人口贩卖", Tags: []string{"fishing", "vessels"},
		Created: got.Created, Updated: got.Updated,
	}
	gj, _ := json.Marshal(got)
	wj, _ := json.Marshal(want)
	if !bytes.Equal(gj, wj) {
		t.Fatalf("case show --json after reopen:\n got %s\nwant %s", gj, wj)
	}
	var list []casefile.CaseSummary
	if err := json.Unmarshal([]byte(mustCLI(t, dir, "case", "list", "--json")), &list); err != nil || len(list) != 1 || list[0].ID != id {
		t.Fatalf("case list --json: %v %+v", err, list)
	}
	// By reference and by id prefix too.
	mustCLI(t, dir, "case", "show", "TIP-2026-7")
	mustCLI(t, dir, "case", "show", id[:6])
	if out := mustCLI(t, dir, "audit", id); !strings.Contains(out, "case.create") || !strings.Contains(out, "case.update") {
		t.Fatalf("audit: %s", out)
	}
	mustCLI(t, dir, "verify")
	mustCLI(t, dir, "case", "delete", id, "--yes")
	if r := cli(t, dir, nil, "case", "show", id); r.code != 1 {
		t.Fatalf("deleted case still shows: %+v", r)
	}
	if entries, _ := os.ReadDir(filepath.Join(dir, "cases")); len(entries) != 0 {
		t.Fatalf("case folder left after delete: %v", entries)
	}
}

func TestErrorsAndExitCodes(t *testing.T) {
	dir, _ := initWorkspace(t)
	mustCLI(t, dir, "case", "new", "--ref", "R1", "--title", "T")
	for _, c := range []struct {
		env  []string
		args []string
		code int
		msg  string
	}{
		{nil, []string{}, 2, "no command"},
		{nil, []string{"frobnicate"}, 2, "unknown command"},
		{nil, []string{"case", "new", "--title", "x"}, 2, "--ref and --title"},
		{nil, []string{"case", "show"}, 2, "one CASE"},
		{nil, []string{"case", "new", "--bogus"}, 2, "flag provided but not defined"},
		{nil, []string{"case", "delete", "R1"}, 2, "--yes"},
		{[]string{"CASEVAULT_PASSPHRASE=wrong passphrase"}, []string{"case", "list"}, 1, "wrong passphrase"},
		{nil, []string{"case", "show", "nope"}, 1, "not found"},
		{nil, []string{"case", "new", "--ref", "R1", "--title", "dup"}, 1, "already used"},
		{nil, []string{"case", "new", "--ref", "R2", "--title", "x", "--jurisdiction", "ZZ:origin"}, 1, "unknown country code"},
		{nil, []string{"case", "new", "--ref", "R2", "--title", "x", "--status", "done"}, 1, "unknown status"},
		{nil, []string{"case", "new", "--ref", "R2", "--title", "x", "--opened", "2026-13-01"}, 1, "YYYY-MM-DD"},
		{nil, []string{"case", "edit", "R1", "--closed", "2026-01-01"}, 1, "status"},
		{nil, []string{"init"}, 1, "already holds a workspace"},
		{[]string{"CASEVAULT_PASSPHRASE="}, []string{"case", "list"}, 1, "CASEVAULT_PASSPHRASE"},
	} {
		r := cli(t, dir, c.env, c.args...)
		if r.code != c.code || !strings.Contains(r.stderr, c.msg) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d and %q", c.args, r.code, r.stderr, c.code, c.msg)
		}
		if c.code == 1 && strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
			t.Errorf("%v: error is not one line: %q", c.args, r.stderr)
		}
	}
	if r := cli(t, filepath.Join(t.TempDir(), "none"), nil, "case", "list"); r.code != 1 || !strings.Contains(r.stderr, "no CaseVault workspace") {
		t.Errorf("missing workspace: %+v", r)
	}
}

func TestWrongPassphraseCLIChangesNothing(t *testing.T) {
	dir, _ := initWorkspace(t)
	mustCLI(t, dir, "case", "new", "--ref", "R1", "--title", "T")
	before := tree(t, dir)
	r := cli(t, dir, []string{"CASEVAULT_PASSPHRASE=not it at all, no"}, "case", "edit", "R1", "--title", "changed")
	if r.code != 1 || !strings.Contains(r.stderr, "wrong passphrase") {
		t.Fatalf("%+v", r)
	}
	if after := tree(t, dir); after != before {
		t.Fatalf("workspace changed:\n%s\n---\n%s", before, after)
	}
}

// tree describes every file but the lock: name, size, mtime, content hash.
func tree(t *testing.T, dir string) string {
	var b strings.Builder
	filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() || fi.Name() == "lock" {
			return nil
		}
		data, _ := os.ReadFile(p)
		fmt.Fprintf(&b, "%s %d %d %x\n", p, fi.Size(), fi.ModTime().UnixNano(), data[:min(len(data), 64)])
		return nil
	})
	return b.String()
}

func TestNoPlaintextAfterCLISession(t *testing.T) {
	tmp := t.TempDir()
	dir := filepath.Join(t.TempDir(), "ws")
	env := []string{"TMPDIR=" + tmp}
	r := cli(t, dir, env, "init", "--work-factor", "10")
	code := strings.TrimSpace(r.stdout)
	id := strings.TrimSpace(cli(t, dir, env, "case", "new", "--ref", "MARKref11", "--title", "MARKtitle22 ม็คไทย", "--lead", "MARKlead33",
		"--summary", "MARKsummary44", "--tag", "MARKtag55", "--jurisdiction", "TH:origin").stdout)
	cli(t, dir, env, "case", "edit", id, "--summary", "MARKedit66")
	cli(t, dir, env, "case", "show", id, "--json")
	cli(t, dir, env, "verify")
	markers := []string{"MARKref11", "MARKtitle22", "ม็คไทย", "MARKlead33", "MARKsummary44", "MARKtag55", "MARKedit66", "AGE-SECRET-KEY", code, pass}
	for _, root := range []string{dir, tmp} {
		filepath.Walk(root, func(p string, fi os.FileInfo, err error) error {
			if err != nil || fi.IsDir() {
				return nil
			}
			data, _ := os.ReadFile(p)
			for _, m := range markers {
				for _, enc := range [][]byte{[]byte(m), utf16le(m)} {
					if bytes.Contains(data, enc) {
						t.Errorf("%s holds %q", p, m)
					}
				}
			}
			return nil
		})
	}
}

func utf16le(s string) []byte {
	var b []byte
	for _, r := range s {
		b = append(b, byte(r), byte(r>>8))
	}
	return b
}

func TestInUseAndVerifyFailure(t *testing.T) {
	dir, _ := initWorkspace(t)
	id := strings.TrimSpace(mustCLI(t, dir, "case", "new", "--ref", "R1", "--title", "T"))
	w, err := casefile.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	r := cli(t, dir, nil, "case", "list")
	w.Close()
	if r.code != 1 || !strings.Contains(r.stderr, fmt.Sprintf("open in another CaseVault (pid %d)", os.Getpid())) {
		t.Fatalf("in use: %+v", r)
	}
	path := filepath.Join(dir, "cases", id, "case.db.age")
	data, _ := os.ReadFile(path)
	data[len(data)/2] ^= 1
	os.WriteFile(path, data, 0o600)
	r = cli(t, dir, nil, "verify")
	if r.code != 1 || !strings.Contains(r.stdout, "damaged or tampered") {
		t.Fatalf("verify on a damaged case: %+v", r)
	}
	r = cli(t, dir, nil, "case", "show", "R1")
	if r.code != 1 || !strings.Contains(r.stderr, "damaged or tampered") {
		t.Fatalf("show on a damaged case: %+v", r)
	}
}

func TestPasswdAndRecover(t *testing.T) {
	dir, code := initWorkspace(t)
	second := "second passphrase, long enough"
	if r := cli(t, dir, []string{"CASEVAULT_NEW_PASSPHRASE=" + second}, "passwd"); r.code != 0 {
		t.Fatalf("passwd: %+v", r)
	}
	if r := cli(t, dir, nil, "case", "list"); r.code != 1 {
		t.Fatal("old passphrase still opens the workspace")
	}
	third := "third passphrase after recovery"
	r := cli(t, dir, []string{"CASEVAULT_RECOVERY_CODE=" + strings.ToLower(code), "CASEVAULT_NEW_PASSPHRASE=" + third}, "recover")
	if r.code != 0 {
		t.Fatalf("recover: %+v", r)
	}
	if r := cli(t, dir, []string{"CASEVAULT_PASSPHRASE=" + third}, "case", "list"); r.code != 0 {
		t.Fatalf("after recover: %+v", r)
	}
	typo := code[:len(code)-1] + "Z"
	if strings.HasSuffix(code, "Z") {
		typo = code[:len(code)-1] + "Y"
	}
	r = cli(t, dir, []string{"CASEVAULT_RECOVERY_CODE=" + typo, "CASEVAULT_NEW_PASSPHRASE=" + third}, "recover")
	if r.code != 1 || !strings.Contains(r.stderr, "typing mistake") {
		t.Fatalf("recover with a typo: %+v", r)
	}
}
