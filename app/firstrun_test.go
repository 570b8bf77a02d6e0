package app

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"casevault/casefile"
)

func TestFirstRunCreatesWorkspace(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "new-ws")
	tu := newTestUI(t, dir)
	if !tu.screenHas("Welcome to CaseVault") {
		t.Fatalf("first-run screen not shown: %q", tu.texts())
	}
	create := tu.button("Create the workspace")

	var pass, repeat *widget.Entry
	for _, root := range tu.roots() {
		walk(root, func(o fyne.CanvasObject) {
			if e, ok := o.(*widget.Entry); ok && e.Password {
				if pass == nil {
					pass = e
				} else if repeat == nil {
					repeat = e
				}
			}
		})
	}
	test.Type(pass, "short pass")
	test.Type(repeat, "short pass")
	if !create.Disabled() {
		t.Fatal("Create is enabled for a 10-character passphrase")
	}
	if !tu.screenHas("Use at least 12 characters (10 so far)") {
		t.Fatalf("no length hint: %q", tu.texts())
	}
	pass.SetText("")
	repeat.SetText("")
	test.Type(pass, testPass)
	test.Type(repeat, testPass+"!")
	if !create.Disabled() || !tu.screenHas("The two passphrases differ") {
		t.Fatal("Create is enabled while the passphrases differ")
	}
	repeat.SetText(testPass)
	if create.Disabled() {
		t.Fatal("Create stays disabled for a good passphrase")
	}
	test.Tap(create)
	if pass.Text != "" || repeat.Text != "" {
		t.Error("the passphrase stays in the entries after Create")
	}
	tu.settle()

	// The recovery code screen: Continue is gated by the checkbox.
	if !tu.screenHas("Keep the recovery code safe") {
		t.Fatalf("recovery code not shown: %q", tu.texts())
	}
	var code string
	codeRE := regexp.MustCompile(`^[0-9A-Z]{4}(-\n?[0-9A-Z]{4}){7}$`)
	for _, s := range tu.texts() {
		if codeRE.MatchString(s) {
			code = strings.ReplaceAll(s, "\n", "")
		}
	}
	if code == "" {
		t.Fatalf("no recovery code on screen: %q", tu.texts())
	}
	cont := tu.button("Continue to CaseVault")
	test.Tap(cont)
	if tu.main != nil {
		t.Fatal("continued without confirming the recovery code was kept")
	}
	test.Tap(tu.button("Copy"))
	if got := tu.app.Clipboard().Content(); got != code {
		t.Fatalf("clipboard holds %q, want the code %q", got, code)
	}
	var check *widget.Check
	for _, root := range tu.roots() {
		walk(root, func(o fyne.CanvasObject) {
			if c, ok := o.(*widget.Check); ok && strings.Contains(c.Text, "recovery code") {
				check = c
			}
		})
	}
	test.Tap(check)
	test.Tap(cont)
	if tu.main == nil {
		t.Fatal("the main view did not open after confirming")
	}
	if tu.app.Clipboard().Content() != "" {
		t.Error("the recovery code stays on the clipboard")
	}
	tu.settle()
	if !tu.screenHas("No cases yet") {
		t.Errorf("no empty-list message: %q", tu.texts())
	}

	// The workspace is real: the passphrase opens it, and the code shown is
	// its recovery code.
	if err := tu.Close(); err != nil {
		t.Fatal(err)
	}
	w := reopen(t, dir, testPass)
	if err := w.ResetPassphrase([]byte(code), []byte("another passphrase 42")); err != nil {
		t.Fatalf("the code shown does not recover the workspace: %v", err)
	}
}

func TestFirstRunRefusesNonEmptyFolderWithoutWorkspace(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	tu := newTestUI(t, dir)
	v := findNewPassphraseForm(tu)
	test.Type(v.pass, testPass)
	test.Type(v.repeat, testPass)
	test.Tap(tu.button("Create the workspace"))
	tu.settle()
	if tu.ws != nil || !tu.screenHas("is not empty") {
		t.Fatalf("expected the not-empty error; texts: %q", tu.texts())
	}
	if got := newWorkspaceFolder(dir); got != filepath.Join(dir, "CaseVault") {
		t.Errorf("newWorkspaceFolder(non-empty) = %q", got)
	}
}

func TestOpenExistingWorkspaceFolder(t *testing.T) {
	ws := newWorkspace(t, sampleCase("TIP-1", "Existing"))
	tu := newTestUI(t, filepath.Join(t.TempDir(), "none"))
	if !tu.screenHas("Welcome to CaseVault") {
		t.Fatal("first-run screen not shown")
	}
	tu.openWorkspace(ws) // what the folder dialog does with the chosen folder
	tu.unlockWith(testPass)
	if tu.main == nil || len(tu.main.list.all) != 1 {
		t.Fatalf("existing workspace not opened: %q", tu.texts())
	}
}

func findNewPassphraseForm(tu *testUI) *newPassphraseForm {
	var es []*widget.Entry
	for _, root := range tu.roots() {
		walk(root, func(o fyne.CanvasObject) {
			if e, ok := o.(*widget.Entry); ok && e.Password {
				es = append(es, e)
			}
		})
	}
	if len(es) < 2 {
		tu.t.Fatal("no passphrase entries")
	}
	return &newPassphraseForm{pass: es[0], repeat: es[1]}
}

func TestUnlockWrongThenRight(t *testing.T) {
	dir := newWorkspace(t, sampleCase("TIP-2026-001", "Harbour Light"))
	tu := newTestUI(t, dir)
	if tu.unlock == nil {
		t.Fatalf("unlock screen not shown: %q", tu.texts())
	}
	tu.unlockWith("not the passphrase")
	if tu.main != nil {
		t.Fatal("a wrong passphrase unlocked the workspace")
	}
	if !tu.unlock.errLabel.Visible() || !strings.Contains(tu.unlock.errLabel.Text, "Wrong passphrase") {
		t.Fatalf("no wrong-passphrase error: %q", tu.unlock.errLabel.Text)
	}
	if tu.unlock.pass.Text != "" || tu.unlock.pass.Disabled() {
		t.Error("the entry should be empty and ready for another try")
	}
	test.Type(tu.unlock.pass, testPass)
	test.Tap(tu.button("Unlock"))
	tu.settle()
	if tu.main == nil {
		t.Fatalf("the right passphrase did not unlock: %q", tu.texts())
	}
	if len(tu.main.list.shown) != 1 || !tu.screenHas("Harbour Light") {
		t.Fatalf("case list: %+v", tu.main.list.shown)
	}
}

func TestUnlockWorkspaceInUse(t *testing.T) {
	dir := newWorkspace(t)
	other, err := casefile.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	tu := newTestUI(t, dir)
	if tu.ws != nil || !tu.screenHas("open in another CaseVault") {
		t.Fatalf("in-use error not shown: %q", tu.texts())
	}
	other.Close()
	test.Tap(tu.button("Try again"))
	tu.unlockWith(testPass)
	if tu.main == nil {
		t.Fatal("not unlocked after the other program closed")
	}
}

func TestUnlockDamagedWorkspace(t *testing.T) {
	dir := newWorkspace(t)
	path := filepath.Join(dir, "keys", "identity.age")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	data[len(data)-5] ^= 1
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	tu := newTestUI(t, dir)
	tu.unlockWith(testPass)
	if tu.main != nil {
		t.Fatal("a damaged key file unlocked")
	}
	if !strings.Contains(tu.unlock.errLabel.Text, "damaged") {
		t.Fatalf("damage not reported: %q", tu.unlock.errLabel.Text)
	}
}

func TestRecoveryCodeResetsPassphrase(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ws")
	w, code, err := casefile.Create(dir, []byte(testPass), casefile.CreateOptions{WorkFactor: testWorkFactor})
	if err != nil {
		t.Fatal(err)
	}
	w.Close()
	tu := newTestUI(t, dir)
	test.Tap(tu.button("Forgot the passphrase? Use the recovery code"))
	reset := tu.button("Set the new passphrase and unlock")
	var codeEntry *widget.Entry
	for _, root := range tu.roots() {
		walk(root, func(o fyne.CanvasObject) {
			if e, ok := o.(*widget.Entry); ok && !e.Password && codeEntry == nil {
				codeEntry = e
			}
		})
	}
	np := findNewPassphraseForm(tu)
	newPass := "a brand new passphrase"

	// A code cut short is refused, with its reason.
	test.Type(codeEntry, code[:9])
	test.Type(np.pass, newPass)
	test.Type(np.repeat, newPass)
	test.Tap(reset)
	tu.settle()
	if tu.main != nil || !tu.screenHas("recovery code") {
		t.Fatalf("a wrong code was accepted: %q", tu.texts())
	}

	test.Type(codeEntry, strings.ToLower(code))
	test.Type(np.pass, newPass)
	test.Type(np.repeat, newPass)
	test.Tap(reset)
	tu.settle()
	if tu.main == nil {
		t.Fatalf("reset did not unlock: %q", tu.texts())
	}
	if err := tu.Close(); err != nil {
		t.Fatal(err)
	}
	w2, err := casefile.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer w2.Close()
	if err := w2.Unlock([]byte(testPass)); !errors.Is(err, casefile.ErrWrongPassphrase) {
		t.Fatalf("the old passphrase still works: %v", err)
	}
	if err := w2.Unlock([]byte(newPass)); err != nil {
		t.Fatalf("the new passphrase does not: %v", err)
	}
}

func TestFirstRunOpensDemo(t *testing.T) {
	home := filepath.Join(t.TempDir(), "CaseVault", "workspace")
	tu := newTestUI(t, home)
	test.Tap(tu.button("Explore the demo workspace"))
	tu.settle()
	if tu.main == nil || len(tu.main.list.all) == 0 {
		t.Fatalf("the demo did not open: %q", tu.texts())
	}
	if got, want := tu.ws.Dir(), filepath.Join(filepath.Dir(home), "demo"); got != want {
		t.Fatalf("demo in %s, want %s beside the workspace folder", got, want)
	}
	if casefile.Exists(home) {
		t.Fatal("the demo was made in the real workspace folder")
	}
	if !strings.Contains(tu.main.status.Text, "DEMO") {
		t.Errorf("status bar does not say it is the demo: %q", tu.main.status.Text)
	}
	// Locked, the demo says its public passphrase.
	tu.lock()
	tu.settle()
	if !tu.screenHas("Its passphrase is public") {
		t.Errorf("no demo passphrase hint: %q", tu.texts())
	}
}
