package main

import (
	"context"
	"fmt"

	"casevault/casefile/demo"
)

func cmdDemo(e *env, args []string) error {
	fs := newFlagSet(e, "demo")
	wf := fs.Int("work-factor", 0, "scrypt work factor; 0 calibrates")
	if pos, err := parseFlags(fs, args); err != nil {
		return err
	} else if len(pos) > 0 {
		return usagef("demo takes no arguments")
	}
	w, err := demo.Create(context.Background(), e.dir, *wf)
	if err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "Created the demo workspace in %s (fictional data only).\nIts passphrase is: %s\n", e.dir, demo.Passphrase)
	return nil
}
