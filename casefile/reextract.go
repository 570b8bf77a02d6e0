package casefile

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"casevault/casefile/extract"
)

// ExtractAgain reads the text of an item's files again from their stored
// originals, with other options than at import: typically OCR on, with
// the languages of the item (a scan imported with OCR off, or read with
// the wrong language). Nothing is read from an original that no longer
// matches its SHA-256. A file whose new reading gives no text keeps the
// text it had. The item's chain of custody gets an "examined" event with
// the hash check, and the audit chain an evidence.extract entry naming
// the tool. Files found inside the item at import (e-mail attachments)
// are items of their own and are not added again. It returns the item as
// it now is; re-index the case for search.
func (c *Case) ExtractAgain(ctx context.Context, evidenceID string, opts extract.Options) (Evidence, error) {
	c.importMu.Lock() // an import's clean-up must not remove the new text before it is recorded
	defer c.importMu.Unlock()
	e, err := c.EvidenceItem(ctx, evidenceID)
	if err != nil {
		return Evidence{}, err
	}
	rep, err := c.VerifyEvidence(ctx, evidenceID, nil)
	if err != nil {
		return Evidence{}, err
	}
	for _, p := range rep.Problems {
		if p.Problem != "text missing" && p.Problem != "text damaged" {
			return Evidence{}, fmt.Errorf("%w: exhibit %s, %s: %s (%s); its text was not read again: run Verify originals and see the chain of custody",
				ErrDamaged, e.Exhibit, p.File, p.Problem, p.Detail)
		}
	}
	store, err := c.blobs()
	if err != nil {
		return Evidence{}, err
	}
	reg := extract.Default()
	opts.Depth = 0
	updated := make([]Attachment, len(e.Attachments))
	var tools []string
	for i, a := range e.Attachments {
		ra, size, fh, err := store.openAt(a.blob)
		if err != nil {
			return Evidence{}, err
		}
		result, xerr := reg.Extract(ctx, a.Name, ra, size, opts)
		fh.Close()
		if err := ctx.Err(); err != nil {
			return Evidence{}, err
		}
		n := a
		if err := n.setText(ctx, store, result, xerr); err != nil {
			return Evidence{}, err
		}
		if n.TextStatus != TextExtracted && a.TextStatus == TextExtracted {
			n = a // nothing better than before: keep the text
		}
		updated[i] = n
		tool := n.Tool
		if ocr := n.Metadata["ocr_tool"]; ocr != "" {
			tool += ", OCR by " + ocr
		}
		tools = append(tools, tool)
	}
	ocr := "off"
	if opts.OCR {
		ocr = "on"
		if len(opts.OCRLanguages) > 0 {
			ocr += " (" + strings.Join(opts.OCRLanguages, "+") + ")"
		}
	}
	err = c.tx(ctx, func(tx *sql.Tx) error {
		for i, a := range updated {
			if _, err := tx.ExecContext(ctx, `UPDATE attachment SET text_blob = ?, extract_status = ?, extract_format = ?, extract_tool = ?,
				extract_detail = ?, metadata = ?, media_type = ? WHERE id = ? AND evidence_id = ?`,
				a.textBlob, a.TextStatus, a.Format, a.Tool, a.Detail, a.metadataJSON(), a.MediaType, e.Attachments[i].ID, e.ID); err != nil {
				return err
			}
		}
		if err := insertCustody(ctx, tx, e.ID, CustodyEvent{Event: "examined", Who: c.ws.Actor(), Purpose: "text read again for search",
			HashCheck: "match", Note: "OCR " + ocr + "; " + strings.Join(tools, "; ")}); err != nil {
			return err
		}
		return appendAudit(ctx, tx, c.ws.Actor(), "evidence.extract", e.ID, map[string]any{"exhibit": e.Exhibit, "ocr": ocr, "tools": tools})
	})
	if err != nil {
		// The new text blobs are referred to by nothing: they are removed
		// after the case's next open, when its blob store is first used
		// (collectGarbageOnce).
		return Evidence{}, err
	}
	return c.EvidenceItem(ctx, evidenceID)
}
