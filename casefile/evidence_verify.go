package casefile

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"hash"
)

// EvidenceProblem is one finding of an evidence verification.
type EvidenceProblem struct {
	ItemID   string `json:"item_id"`
	Exhibit  string `json:"exhibit"`
	File     string `json:"file"`
	Problem  string `json:"problem"` // missing, altered, truncated, damaged
	Detail   string `json:"detail"`
	Expected string `json:"expected_sha256"`
	Found    string `json:"found_sha256,omitempty"`
}

// EvidenceReport is the result of re-reading every original.
type EvidenceReport struct {
	OK       bool              `json:"ok"`
	Files    int               `json:"files"`
	Bytes    int64             `json:"bytes"`
	Problems []EvidenceProblem `json:"problems"`
}

// VerifyEvidence re-reads every original (and checks that every extracted
// text still decrypts) of the case (or of one item when
// id is not empty), decrypts it and compares its SHA-256 with the
// register, reporting each mismatch, truncation or missing blob (the model
// is restic's check --read-data). progress, if set, gets bytes read.
func (c *Case) VerifyEvidence(ctx context.Context, id string, progress func(int64)) (*EvidenceReport, error) {
	var items []Evidence
	var err error
	if id == "" {
		items, err = c.EvidenceList(ctx)
	} else {
		var e Evidence
		e, err = c.EvidenceItem(ctx, id)
		items = []Evidence{e}
	}
	if err != nil {
		return nil, err
	}
	store, err := c.blobs()
	if err != nil {
		return nil, err
	}
	rep := &EvidenceReport{Problems: []EvidenceProblem{}}
	for _, e := range items {
		for _, a := range e.Attachments {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			rep.Files++
			if a.textBlob != "" {
				// The extracted text is not in the register's hash, but
				// it must still decrypt and authenticate.
				if _, _, err := store.hashBlob(ctx, a.textBlob, nil); err != nil && ctx.Err() == nil {
					kind := "text damaged"
					if isMissing(err) {
						kind = "text missing"
					}
					rep.Problems = append(rep.Problems, EvidenceProblem{ItemID: e.ID, Exhibit: e.Exhibit, File: a.Name, Problem: kind,
						Detail: "the extracted text cannot be read: " + err.Error(), Expected: a.SHA256})
				}
			}
			sum, n, err := store.hashBlob(ctx, a.blob, progress)
			rep.Bytes += n
			p := EvidenceProblem{ItemID: e.ID, Exhibit: e.Exhibit, File: a.Name, Expected: a.SHA256}
			switch {
			case err != nil && ctx.Err() != nil:
				return nil, ctx.Err()
			case err != nil:
				p.Problem, p.Detail = "damaged", err.Error()+" (altered or truncated)"
				if isMissing(err) {
					p.Problem = "missing"
				}
			case n != a.Size:
				p.Problem, p.Found = "truncated", sum
				p.Detail = "size differs from the register"
			case sum != a.SHA256:
				p.Problem, p.Found, p.Detail = "altered", sum, "SHA-256 differs from the register"
			default:
				continue
			}
			rep.Problems = append(rep.Problems, p)
		}
	}
	rep.OK = len(rep.Problems) == 0
	return rep, nil
}

func isMissing(err error) bool { return errors.Is(err, errBlobMissing) }

type hashWriter struct{ h hash.Hash }

func newHashWriter() *hashWriter                  { return &hashWriter{sha256.New()} }
func (w *hashWriter) Write(p []byte) (int, error) { return w.h.Write(p) }
func (w *hashWriter) hex() string                 { return hex.EncodeToString(w.h.Sum(nil)) }
