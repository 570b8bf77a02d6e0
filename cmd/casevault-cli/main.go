// Command casevault-cli is the headless face of CaseVault: scripts, tests
// and people at a terminal drive the same core as the GUI through it.
//
// Exit status: 0 on success, 1 on failure, 2 on a usage error. Errors are
// one line on stderr that says what happened and what to do.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"casevault/casefile"
	"casevault/crypto"
)

const usageText = `usage: casevault-cli [--workspace DIR] COMMAND [ARGS]

Commands:
  init                         create a workspace; prints the recovery code once
  demo                         create a demo workspace with fictional cases
  passwd                       change the passphrase
  recover                      set a new passphrase with the recovery code
  case new --ref REF --title TITLE [flags]
                               create a case; prints its id
  case list [--status S] [--json]
  case show CASE [--json]
  case edit CASE [flags]       change the fields given
  case delete CASE [--yes]     delete a case and destroy its key
  party add CASE --role ROLE --name NAME [--alias A] [--nationality CC] [--birth DATE]
        [--sex S] [--protected --pseudonym P] [...]      add a person; prints its id
  party list CASE | show CASE ID | edit CASE ID [flags] | reveal CASE ID | delete CASE ID --yes
  asset add CASE --type T --description D [--value AMOUNT --currency CUR] [...]
  asset list CASE | show CASE ID | edit CASE ID | totals [CASE]
  asset event CASE ID --status S [--order REF] [--authority A] [--date DATE]
  request add CASE --kind K --country CC [--deadline DATE] [--link person:ID] [...]
  request list CASE | show CASE ID | edit CASE ID | event CASE ID --status S
  deadline add CASE --kind K --title T --due DATE | list [CASE] [--due 30d] | done CASE ID
  note add CASE [--on ID] TEXT | edit CASE ID TEXT | list CASE [--on ID | --all]
  evidence add CASE PATH...    import files and folders; one result line per file
  evidence list CASE | show CASE ITEM | text CASE ITEM | export CASE ITEM --out PATH
  evidence extract CASE ITEM [--ocr] [--ocr-lang L]   read an item's text again (e.g. a scan, with OCR)
  evidence verify CASE         re-read every original and check its SHA-256
  evidence custody CASE ITEM --event E --who W [--place P] [--purpose P]
  search QUERY [--case CASE] [--limit N] [--by-date] [--json]
                               search every case at once (see 'search' alone for the syntax)
  index rebuild | verify       recreate the search index from the case files, or check it
  contacts card [--unit U --country CC --focal-point F]   print (or set) this workspace's card
  contacts add FILE|-          add a partner from its card; prints its name and fingerprint
  contacts list [--json] | show CONTACT | verify CONTACT | remove CONTACT
  export CASE --to CONTACT [--to CONTACT...] --out FILE [--passphrase] [--evidence LIST]
        [--people LIST] [--assets LIST] [--requests LIST] [--no-notes] [--include-protected]
        [--purpose P] [--answers REF] [--no-redisclose] [--accept-leaks]
                               write a signed, encrypted bundle (leak check first)
  import FILE [--trust] [--passphrase]   import a bundle as a new case; prints its id
  bundle inspect FILE [--passphrase]     verify a bundle and show its manifest
  verify [--json]              decrypt and check every file and audit chain
  audit CASE [--json]          show a case's audit chain and whether it verifies

CASE is a case id, a unique prefix of one (4+ characters), or a reference.
The workspace is --workspace DIR, else $CASEVAULT_WORKSPACE, else the
default folder. The passphrase is read from the terminal, or from
$CASEVAULT_PASSPHRASE for scripts (see README: anyone who can read the
environment of the process can read it).
`

// usageError is a mistake in the command line: exit status 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return &usageError{fmt.Sprintf(format, a...)} }

// env is what a command runs with; tests replace its streams.
type env struct {
	dir    string
	stdin  *os.File
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
}

func main() {
	crypto.HardenProcess()
	e := &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}
	os.Exit(run(e, os.Args[1:]))
}

func run(e *env, args []string) int {
	err := dispatch(e, args)
	if err == nil {
		return 0
	}
	msg := err.Error()
	var ue *usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(e.stderr, "casevault-cli: %s\nrun 'casevault-cli help' for usage\n", msg)
		return 2
	}
	if errors.Is(err, flag.ErrHelp) {
		return 2
	}
	fmt.Fprintf(e.stderr, "casevault-cli: %s\n", strings.ReplaceAll(msg, "\n", " "))
	return 1
}

func dispatch(e *env, args []string) error {
	fs := newFlagSet(e, "casevault-cli")
	ws := fs.String("workspace", "", "workspace folder")
	if err := fs.Parse(args); err != nil {
		return err
	}
	args = fs.Args()
	if len(args) == 0 {
		fmt.Fprint(e.stderr, usageText)
		return usagef("no command given")
	}
	e.dir = *ws
	if e.dir == "" {
		e.dir = e.getenv("CASEVAULT_WORKSPACE")
	}
	if e.dir == "" {
		d, err := casefile.DefaultDir()
		if err != nil {
			return err
		}
		e.dir = d
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "help", "-h", "--help":
		fmt.Fprint(e.stdout, usageText)
		return nil
	case "init":
		return cmdInit(e, rest)
	case "demo":
		return cmdDemo(e, rest)
	case "passwd":
		return cmdPasswd(e, rest)
	case "recover":
		return cmdRecover(e, rest)
	case "case":
		return cmdCase(e, rest)
	case "party":
		return cmdParty(e, rest)
	case "asset":
		return cmdAsset(e, rest)
	case "request":
		return cmdRequest(e, rest)
	case "deadline":
		return cmdDeadline(e, rest)
	case "note":
		return cmdNote(e, rest)
	case "evidence":
		return cmdEvidence(e, rest)
	case "search":
		return cmdSearch(e, rest)
	case "index":
		return cmdIndex(e, rest)
	case "contacts":
		return cmdContacts(e, rest)
	case "export":
		return cmdExport(e, rest)
	case "import":
		return cmdImport(e, rest)
	case "bundle":
		return cmdBundle(e, rest)
	case "verify":
		return cmdVerify(e, rest)
	case "audit":
		return cmdAudit(e, rest)
	}
	return usagef("unknown command %q", cmd)
}

// newFlagSet returns a flag set that reports errors instead of exiting.
func newFlagSet(e *env, name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	return fs
}

// parseFlags parses flags that may come before or after positional
// arguments ("case show ID --json" and "case show --json ID").
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, &usageError{err.Error()}
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// openWorkspace opens and unlocks the workspace. The caller closes it.
func openWorkspace(e *env) (*casefile.Workspace, error) {
	w, err := casefile.Open(e.dir)
	if err != nil {
		return nil, err
	}
	pass, err := readSecret(e, "CASEVAULT_PASSPHRASE", "Passphrase: ")
	if err != nil {
		w.Close()
		return nil, err
	}
	defer crypto.Wipe(pass)
	if err := w.Unlock(pass); err != nil {
		w.Close()
		if errors.Is(err, casefile.ErrWrongPassphrase) {
			return nil, errors.New("wrong passphrase; nothing was changed: try again, or run 'casevault-cli recover' with the recovery code")
		}
		return nil, err
	}
	return w, nil
}

// closeWorkspace saves and closes, keeping the first error.
func closeWorkspace(w *casefile.Workspace, err *error) {
	if cerr := w.Close(); cerr != nil && *err == nil {
		*err = cerr
	}
}
