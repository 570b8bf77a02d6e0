package main

import (
	"bytes"
	"errors"
	"fmt"

	"golang.org/x/term"

	"casevault/crypto"
)

// readSecret returns the secret from the environment variable, else asks
// for it on the terminal without echo.
func readSecret(e *env, envVar, prompt string) ([]byte, error) {
	if v := e.getenv(envVar); v != "" {
		return []byte(v), nil
	}
	fd := int(e.stdin.Fd())
	if !term.IsTerminal(fd) {
		return nil, fmt.Errorf("no terminal to ask for the secret: set %s, or run in a terminal", envVar)
	}
	fmt.Fprint(e.stderr, prompt)
	b, err := term.ReadPassword(fd)
	fmt.Fprintln(e.stderr)
	if err != nil {
		return nil, fmt.Errorf("cannot read from the terminal: %w", err)
	}
	return b, nil
}

// readNewSecret asks for a new passphrase twice (or takes it from envVar).
func readNewSecret(e *env, envVar string) ([]byte, error) {
	if v := e.getenv(envVar); v != "" {
		return []byte(v), nil
	}
	a, err := readSecret(e, envVar, "New passphrase: ")
	if err != nil {
		return nil, err
	}
	b, err := readSecret(e, envVar, "Repeat the new passphrase: ")
	if err != nil {
		crypto.Wipe(a)
		return nil, err
	}
	defer crypto.Wipe(b)
	if !bytes.Equal(a, b) {
		crypto.Wipe(a)
		return nil, errors.New("the two passphrases differ; nothing was changed: try again")
	}
	return a, nil
}
