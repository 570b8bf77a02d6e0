package casefile

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"casevault/crypto"
)

// VerifyReport is the result of Workspace.Verify.
type VerifyReport struct {
	OK       bool         `json:"ok"`
	Problems []string     `json:"problems"`
	Cases    []CaseVerify `json:"cases"`
}

// CaseVerify is what Verify found for one case.
type CaseVerify struct {
	ID         string      `json:"id"`
	Ref        string      `json:"ref"`
	OK         bool        `json:"ok"`
	Generation uint64      `json:"generation"`
	Audit      ChainReport `json:"audit"`
	Problem    string      `json:"problem,omitempty"`
}

// Verify re-reads every file of the workspace from disk: the key files
// against their recorded hashes, the catalog, and each case file, which is
// decrypted and authenticated, checked by SQLite, checked against the
// catalog's generation (rollback), and whose audit chain is recomputed and
// compared with the signed checkpoint. It changes nothing. Unsaved changes
// of open cases are not on disk and are not verified.
func (w *Workspace) Verify(ctx context.Context) (*VerifyReport, error) {
	w.mu.Lock()
	if w.keys == nil {
		w.mu.Unlock()
		return nil, ErrLocked
	}
	keys, meta := w.keys, *w.meta
	w.mu.Unlock()

	rep := &VerifyReport{Problems: []string{}, Cases: []CaseVerify{}}
	for name, want := range map[string]string{identityName: meta.IdentitySHA256, recoveryName: meta.RecoverySHA256} {
		data, err := readFileLimited(filepath.Join(w.dir, keysDir, name), maxKeySize)
		if err != nil || sha256Hex(data) != want {
			rep.Problems = append(rep.Problems, fmt.Sprintf("%s/%s is damaged, missing or tampered with", keysDir, name))
		}
	}
	data, err := readFileLimited(filepath.Join(w.dir, catalogName), maxCatalogSize)
	if err != nil {
		rep.Problems = append(rep.Problems, fmt.Sprintf("%s cannot be read: %v", catalogName, err))
		return rep, nil
	}
	cat, err := decryptCatalog(data, keys.Identity())
	if err != nil {
		rep.Problems = append(rep.Problems, damaged(catalogName, adviceBackup, err).Error())
		return rep, nil
	}
	pub, _ := base64.StdEncoding.DecodeString(meta.SigningKey)
	known := map[string]bool{}
	for _, cc := range cat.Cases {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		known[cc.ID] = true
		rep.Cases = append(rep.Cases, w.verifyCase(ctx, cc, pub))
	}
	entries, _ := os.ReadDir(filepath.Join(w.dir, casesDir))
	for _, e := range entries {
		if e.IsDir() && !known[e.Name()] {
			rep.Problems = append(rep.Problems, fmt.Sprintf("folder %s/%s belongs to no case (left by an interrupted create or delete); nothing can decrypt it and it can be removed", casesDir, e.Name()))
		}
	}
	rep.OK = len(rep.Problems) == 0
	for _, cv := range rep.Cases {
		rep.OK = rep.OK && cv.OK
	}
	return rep, nil
}

func (w *Workspace) verifyCase(ctx context.Context, cc *catalogCase, pub ed25519.PublicKey) CaseVerify {
	cv := CaseVerify{ID: cc.ID, Ref: cc.Summary.Ref}
	identity, err := crypto.ParseCaseIdentity(cc.Identity)
	if err != nil {
		cv.Problem = err.Error()
		return cv
	}
	c := &Case{ws: w, id: cc.ID, identity: identity}
	plain, err := c.readFile(ctx)
	if err != nil {
		cv.Problem = err.Error()
		return cv
	}
	err = c.openDB(ctx, plain)
	crypto.Wipe(plain)
	if err != nil {
		cv.Problem = damaged(c.relFile(), adviceBackup, err).Error()
		return cv
	}
	defer c.closeDB()
	// age already authenticated the bytes; this catches a database that
	// was damaged before it was encrypted (a bug, or a hostile import).
	var ok string
	if err := c.conn.QueryRowContext(ctx, "PRAGMA quick_check").Scan(&ok); err != nil || ok != "ok" {
		cv.Problem = fmt.Sprintf("%s: SQLite integrity check failed: %v %s", c.relFile(), err, ok)
		return cv
	}
	if err := c.checkIdentity(ctx, cc.Generation); err != nil {
		cv.Problem = err.Error()
		var rb *RollbackError
		if errors.As(err, &rb) {
			cv.Generation = rb.Found
		}
		return cv
	}
	cv.Generation = c.generation
	entries, err := readAudit(ctx, c.conn)
	if err != nil {
		cv.Problem = err.Error()
		return cv
	}
	cv.Audit = verifyChain(entries)
	if !cv.Audit.OK {
		cv.Problem = "audit chain broken: " + cv.Audit.Problem
		return cv
	}
	if err := verifyCheckpoint(pub, cc.ID, cc.Checkpoint, entries); err != nil {
		cv.Problem = err.Error()
		return cv
	}
	cv.OK = true
	return cv
}
