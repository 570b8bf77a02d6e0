package extract

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
)

// XLSX reads Excel workbooks with the standard library, streaming each
// sheet: one chunk per sheet (cut at about 32 KiB), cells separated by
// tabs, rows by line breaks. Numbers are given as stored (dates appear as
// serial numbers). It never writes the temporary files that excelize uses
// for large sheets.
type XLSX struct{}

// Name implements Extractor.
func (XLSX) Name() string { return "xlsx" }

// Version implements Extractor.
func (XLSX) Version() string { return ooxmlVersion() }

// Match implements Extractor.
func (XLSX) Match(p *Probe) Confidence {
	return zipMatch(p, "xl/workbook.xml", ".xlsx", ".xlsm", ".xltx")
}

// Extract implements Extractor.
func (x XLSX) Extract(ctx context.Context, r io.ReaderAt, size int64, opts Options) (*Result, error) {
	b := newBuilder(x.Name(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ooxmlTool, goVersion(), opts)
	z, err := openZip(ctx, r, size, b.lim)
	if err != nil {
		return nil, err
	}
	if err := encryptedOOXML(z); err != nil {
		return nil, err
	}
	ooxmlProperties(z, b)
	shared, err := xlsxSharedStrings(z, b.lim.MaxInMemory)
	if err != nil {
		return nil, err
	}
	for i, sh := range xlsxSheets(z) {
		if err := xlsxSheet(z, sh.target, sh.name, i+1, shared, b); err != nil {
			return b.res, err
		}
	}
	for _, name := range z.matching("xl/comments", ".xml") {
		if err := xmlChunk(z, name, &xmlText{text: map[string]bool{"t": true}, paras: map[string]bool{"comment": true}}, b, Chunk{Kind: KindPart, Label: "comment"}); err != nil {
			return b.res, err
		}
	}
	return b.res, nil
}

type xlsxSheetRef struct{ name, target string }

// xlsxSheets lists sheets in workbook order with their part names.
func xlsxSheets(z *zipArchive) []xlsxSheetRef {
	rels := map[string]string{}
	if rc, err := z.open("xl/_rels/workbook.xml.rels"); err == nil {
		d := newXMLDecoder(io.LimitReader(rc, 4<<20))
		for {
			tok, err := d.Token()
			if err != nil {
				break
			}
			if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "Relationship" {
				t := attr(se, "Target")
				if strings.HasPrefix(t, "/") {
					t = strings.TrimPrefix(t, "/")
				} else {
					t = path.Join("xl", t)
				}
				rels[attr(se, "Id")] = t
			}
		}
		rc.Close()
	}
	var sheets []xlsxSheetRef
	seen := map[string]bool{}
	if rc, err := z.open("xl/workbook.xml"); err == nil {
		d := newXMLDecoder(io.LimitReader(rc, 16<<20))
		for {
			tok, err := d.Token()
			if err != nil {
				break
			}
			if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "sheet" {
				var id string
				for _, a := range se.Attr {
					if a.Name.Local == "id" {
						id = a.Value
					}
				}
				if t := rels[id]; t != "" && z.files[t] != nil && !seen[t] {
					seen[t] = true
					sheets = append(sheets, xlsxSheetRef{name: attr(se, "name"), target: t})
				}
			}
		}
		rc.Close()
	}
	for _, name := range z.matching("xl/worksheets/sheet", ".xml") {
		if !seen[name] {
			n, _ := trailingNumber(name)
			sheets = append(sheets, xlsxSheetRef{name: fmt.Sprintf("Sheet%d", n), target: name})
		}
	}
	return sheets
}

// xlsxSharedStrings loads the shared string table, at most max bytes of it.
func xlsxSharedStrings(z *zipArchive, max int64) ([]string, error) {
	if z.files["xl/sharedStrings.xml"] == nil {
		return nil, nil
	}
	rc, err := z.open("xl/sharedStrings.xml")
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	var out []string
	var total int64
	w := &xmlWalker{spec: &xmlText{text: map[string]bool{"t": true}, skip: map[string]bool{"rPh": true}}}
	w.onEnd = func(w *xmlWalker, name string) error {
		if name == "si" {
			s := w.take()
			total += int64(len(s)) + 16
			if total > max {
				return tooLargef("shared strings larger than %d bytes", max)
			}
			out = append(out, s)
		}
		return nil
	}
	if err := w.walk(rc); err != nil {
		return nil, fmt.Errorf("shared strings: %w", err)
	}
	return out, nil
}

// xlsxSheet streams one worksheet into chunks.
func xlsxSheet(z *zipArchive, part, name string, index int, shared []string, b *builder) error {
	rc, err := z.open(part)
	if err != nil {
		return err
	}
	defer rc.Close()
	d := newXMLDecoder(rc)
	var sb, cell strings.Builder
	var cellType string
	inValue, inCell, firstCell := false, false, true
	flush := func() error {
		return b.add(Chunk{Text: sb.String(), Kind: KindSheet, Index: index, Label: name})
	}
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			flush()
			if isLimitErr(err) {
				return err
			}
			return corruptf("%s: %v", part, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "c":
				inCell, cellType = true, attr(t, "t")
				cell.Reset()
			case "v", "t":
				inValue = inCell
			}
		case xml.CharData:
			if inValue && cell.Len() < 1<<20 {
				cell.Write(t)
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "v", "t":
				inValue = false
			case "c":
				inCell = false
				v := cell.String()
				if cellType == "s" {
					if i, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && i >= 0 && i < len(shared) {
						v = shared[i]
					}
				} else if cellType == "b" {
					v = map[string]string{"0": "FALSE", "1": "TRUE"}[v]
				}
				if v != "" {
					if !firstCell {
						sb.WriteByte('\t')
					}
					sb.WriteString(v)
					firstCell = false
				}
			case "row":
				if !firstCell {
					sb.WriteByte('\n')
				}
				firstCell = true
				if sb.Len() >= textChunkSize {
					if err := flush(); err != nil {
						return err
					}
					sb.Reset()
				}
			}
		}
	}
	return flush()
}
