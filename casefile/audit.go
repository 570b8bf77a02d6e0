package casefile

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"casevault/crypto"
)

// Domain-separation labels of the audit chain.
const (
	auditEntryLabel      = "casevault/v1/audit-entry\x00"
	auditCheckpointLabel = "casevault/v1/audit-checkpoint\x00"
)

// AuditEntry is one link of a case's audit chain.
type AuditEntry struct {
	Seq     uint64    `json:"seq"`
	Time    time.Time `json:"time"`
	Actor   string    `json:"actor"`
	Action  string    `json:"action"`
	Target  string    `json:"target"`
	Details string    `json:"details"`
	Prev    []byte    `json:"prev"`
	Hash    []byte    `json:"hash"`
}

// computeHash returns the SHA-256 of the entry's fields and its predecessor,
// each length-prefixed so that no two entries encode alike.
func (e *AuditEntry) computeHash() []byte {
	var b bytes.Buffer
	b.WriteString(auditEntryLabel)
	binary.Write(&b, binary.BigEndian, e.Seq)
	for _, f := range []string{e.Time.UTC().Format(time.RFC3339Nano), e.Actor, e.Action, e.Target, e.Details} {
		binary.Write(&b, binary.BigEndian, uint64(len(f)))
		b.WriteString(f)
	}
	b.Write(e.Prev)
	h := sha256.Sum256(b.Bytes())
	return h[:]
}

// appendAudit adds an entry in the transaction tx. details is marshalled as
// JSON; it must never hold a protected person's identity.
func appendAudit(ctx context.Context, tx txQueries, actor, action, target string, details any) error {
	d := "{}"
	if details != nil {
		b, err := json.Marshal(details)
		if err != nil {
			return err
		}
		d = string(b)
	}
	e := AuditEntry{Time: time.Now().UTC(), Actor: actor, Action: action, Target: target, Details: d}
	var last sql.NullInt64
	var prev []byte
	err := tx.QueryRowContext(ctx, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").Scan(&last, &prev)
	switch {
	case err == sql.ErrNoRows:
		e.Seq, e.Prev = 1, make([]byte, sha256.Size)
	case err != nil:
		return err
	default:
		e.Seq, e.Prev = uint64(last.Int64)+1, prev
	}
	e.Hash = e.computeHash()
	_, err = tx.ExecContext(ctx, "INSERT INTO audit (seq, time, actor, action, target, details, prev, hash) VALUES (?,?,?,?,?,?,?,?)",
		e.Seq, e.Time.Format(time.RFC3339Nano), e.Actor, e.Action, e.Target, e.Details, e.Prev, e.Hash)
	return err
}

func readAudit(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}) ([]AuditEntry, error) {
	rows, err := q.QueryContext(ctx, "SELECT seq, time, actor, action, target, details, prev, hash FROM audit ORDER BY seq")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		var ts string
		if err := rows.Scan(&e.Seq, &ts, &e.Actor, &e.Action, &e.Target, &e.Details, &e.Prev, &e.Hash); err != nil {
			return nil, err
		}
		e.Time, _ = time.Parse(time.RFC3339Nano, ts)
		out = append(out, e)
	}
	return out, rows.Err()
}

// ChainReport is the result of recomputing an audit chain.
type ChainReport struct {
	Entries uint64 `json:"entries"`
	Head    string `json:"head"`
	// OK is false when the chain breaks; BrokenAt is then the first entry
	// whose link or hash does not verify, and Problem says how.
	OK       bool   `json:"ok"`
	BrokenAt uint64 `json:"broken_at,omitempty"`
	Problem  string `json:"problem,omitempty"`
}

// verifyChain recomputes every hash and link, and reports the first break.
func verifyChain(entries []AuditEntry) ChainReport {
	prev := make([]byte, sha256.Size)
	for i, e := range entries {
		r := ChainReport{Entries: uint64(len(entries)), BrokenAt: e.Seq}
		switch {
		case e.Seq != uint64(i)+1:
			r.Problem = fmt.Sprintf("entry %d is numbered %d: an entry was removed or inserted", i+1, e.Seq)
			r.BrokenAt = uint64(i) + 1
			return r
		case !bytes.Equal(e.Prev, prev):
			r.Problem = fmt.Sprintf("entry %d does not link to entry %d", e.Seq, e.Seq-1)
			return r
		case !bytes.Equal(e.computeHash(), e.Hash):
			r.Problem = fmt.Sprintf("entry %d was altered (its hash does not match its content)", e.Seq)
			return r
		}
		prev = e.Hash
	}
	return ChainReport{Entries: uint64(len(entries)), Head: hex.EncodeToString(prev), OK: true}
}

// Checkpoint is a signed statement of an audit chain's size and head hash,
// kept in the catalog at each save (and, later, in every bundle) so that a
// later copy can be shown to extend an earlier one.
type Checkpoint struct {
	Size      uint64 `json:"size"`
	Head      string `json:"head"`
	Signature string `json:"signature"`
}

func checkpointMessage(caseID string, size uint64, head string) []byte {
	var b bytes.Buffer
	b.WriteString(auditCheckpointLabel)
	binary.Write(&b, binary.BigEndian, uint64(len(caseID)))
	b.WriteString(caseID)
	binary.Write(&b, binary.BigEndian, size)
	h, _ := hex.DecodeString(head)
	b.Write(h)
	return b.Bytes()
}

func signCheckpoint(keys *crypto.WorkspaceKeys, caseID string, size uint64, head string) Checkpoint {
	sig := keys.Sign(checkpointMessage(caseID, size, head))
	return Checkpoint{Size: size, Head: head, Signature: base64.StdEncoding.EncodeToString(sig)}
}

// verifyCheckpoint checks that cp is signed by pub and that entries extend it.
func verifyCheckpoint(pub ed25519.PublicKey, caseID string, cp Checkpoint, entries []AuditEntry) error {
	if cp.Size == 0 && cp.Signature == "" {
		return nil
	}
	sig, err := base64.StdEncoding.DecodeString(cp.Signature)
	if err != nil || !crypto.VerifySignature(pub, checkpointMessage(caseID, cp.Size, cp.Head), sig) {
		return fmt.Errorf("the audit checkpoint in the catalog is not signed by this workspace")
	}
	if uint64(len(entries)) < cp.Size {
		return fmt.Errorf("the audit chain has %d entries, fewer than the %d the catalog recorded: entries were removed", len(entries), cp.Size)
	}
	if hex.EncodeToString(entries[cp.Size-1].Hash) != cp.Head {
		return fmt.Errorf("audit entry %d differs from the one the catalog recorded: the chain was rewritten", cp.Size)
	}
	return nil
}
