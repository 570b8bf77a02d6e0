package main

import (
	"fmt"

	"casevault/casefile"
	"casevault/crypto"
)

func cmdInit(e *env, args []string) error {
	fs := newFlagSet(e, "init")
	wf := fs.Int("work-factor", 0, "scrypt work factor (log2 N); 0 calibrates to about one second. Lower is weaker: for tests only")
	if pos, err := parseFlags(fs, args); err != nil {
		return err
	} else if len(pos) > 0 {
		return usagef("init takes no arguments")
	}
	pass, err := readNewSecret(e, "CASEVAULT_PASSPHRASE")
	if err != nil {
		return err
	}
	defer crypto.Wipe(pass)
	w, code, err := casefile.Create(e.dir, pass, casefile.CreateOptions{WorkFactor: *wf})
	if err != nil {
		return err
	}
	defer w.Close()
	fmt.Fprintf(e.stderr, "Created the workspace in %s.\n", e.dir)
	fmt.Fprintln(e.stderr, "Recovery code (shown once; write it down and keep it apart from this computer):")
	fmt.Fprintln(e.stdout, code)
	return nil
}

func cmdPasswd(e *env, args []string) (err error) {
	fs := newFlagSet(e, "passwd")
	if pos, err := parseFlags(fs, args); err != nil {
		return err
	} else if len(pos) > 0 {
		return usagef("passwd takes no arguments")
	}
	w, err := casefile.Open(e.dir)
	if err != nil {
		return err
	}
	defer closeWorkspace(w, &err)
	old, err := readSecret(e, "CASEVAULT_PASSPHRASE", "Current passphrase: ")
	if err != nil {
		return err
	}
	defer crypto.Wipe(old)
	if err := w.Unlock(old); err != nil {
		return err
	}
	newPass, err := readNewSecret(e, "CASEVAULT_NEW_PASSPHRASE")
	if err != nil {
		return err
	}
	defer crypto.Wipe(newPass)
	if err := w.ChangePassphrase(old, newPass); err != nil {
		return err
	}
	fmt.Fprintln(e.stderr, "Passphrase changed. The recovery code is unchanged.")
	return nil
}

func cmdRecover(e *env, args []string) (err error) {
	fs := newFlagSet(e, "recover")
	if pos, err := parseFlags(fs, args); err != nil {
		return err
	} else if len(pos) > 0 {
		return usagef("recover takes no arguments")
	}
	w, err := casefile.Open(e.dir)
	if err != nil {
		return err
	}
	defer closeWorkspace(w, &err)
	code, err := readSecret(e, "CASEVAULT_RECOVERY_CODE", "Recovery code: ")
	if err != nil {
		return err
	}
	defer crypto.Wipe(code)
	newPass, err := readNewSecret(e, "CASEVAULT_NEW_PASSPHRASE")
	if err != nil {
		return err
	}
	defer crypto.Wipe(newPass)
	if err := w.ResetPassphrase(code, newPass); err != nil {
		return err
	}
	fmt.Fprintln(e.stderr, "New passphrase set. The recovery code stays valid: keep it safe.")
	return nil
}
