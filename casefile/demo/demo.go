// Package demo creates the demo workspace: synthetic, clearly fictional
// cases that let a new user try CaseVault without real data.
package demo

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"

	"casevault/assets"
	"casevault/casefile"
)

// Passphrase opens the demo workspace. It is public: the demo holds no real
// data and must never be used for any.
const Passphrase = "demo workspace - fictional data only"

// Cases returns the demo cases.
func Cases() ([]casefile.CaseInfo, error) {
	var cases []casefile.CaseInfo
	if err := json.Unmarshal(assets.DemoCases, &cases); err != nil {
		return nil, fmt.Errorf("demo data: %w", err)
	}
	return cases, nil
}

// Create makes the demo workspace in dir (empty or absent) and returns it
// unlocked. workFactor is the scrypt work factor (0 calibrates).
func Create(ctx context.Context, dir string, workFactor int) (*casefile.Workspace, error) {
	cases, err := Cases()
	if err != nil {
		return nil, err
	}
	regs, err := registers()
	if err != nil {
		return nil, err
	}
	w, _, err := casefile.Create(dir, []byte(Passphrase), casefile.CreateOptions{WorkFactor: workFactor})
	if err != nil {
		return nil, err
	}
	for _, ci := range cases {
		c, err := w.CreateCase(ctx, ci)
		if err != nil {
			w.Close()
			return nil, fmt.Errorf("demo case %s: %w", ci.Ref, err)
		}
		if r, ok := regs[ci.Ref]; ok {
			if err := fillRegister(ctx, c, r); err != nil {
				w.Close()
				return nil, fmt.Errorf("demo case %s: %w", ci.Ref, err)
			}
		}
		if err := importEvidence(ctx, c, ci.Ref); err != nil {
			w.Close()
			return nil, fmt.Errorf("demo case %s: %w", ci.Ref, err)
		}
		if err := c.Close(); err != nil {
			w.Close()
			return nil, err
		}
	}
	return w, nil
}

// importEvidence imports the case's fictional evidence, straight from the
// embedded files (nothing is written to disk but encrypted blobs).
func importEvidence(ctx context.Context, c *casefile.Case, ref string) error {
	sub, err := fs.Sub(assets.DemoEvidence, "demo/evidence/"+ref)
	if err != nil {
		return err
	}
	if _, err := fs.Stat(sub, "."); err != nil {
		return nil // no evidence for this case
	}
	results, err := c.ImportFS(ctx, sub, casefile.ImportOptions{ObtainedHow: "seizure", ObtainedBy: "Demo Officer (fictional)",
		Authority: "Warrant DEMO-W-1 (fictional)", Place: "Fictional police station"})
	if err != nil {
		return err
	}
	for _, r := range results {
		if r.Status == casefile.ImportFailed || r.Status == casefile.ImportCancelled {
			return fmt.Errorf("evidence %s: %s", r.Path, r.Reason)
		}
	}
	return nil
}
