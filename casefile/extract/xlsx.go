package extract

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"path"
	"strconv"
	"strings"
	"time"
)

// XLSX reads Excel workbooks with the standard library, streaming each
// sheet: one chunk per sheet (cut at about 32 KiB), cells separated by
// tabs, rows by line breaks. Numbers are given as stored, except those
// whose cell style has a date or time number format: Excel stores dates
// as serial numbers of days, and these are given as ISO 8601 dates and
// times ("2024-03-01", "2024-03-01 14:05", "14:05:30"), read in the
// workbook's 1900 or 1904 date system. It never writes the temporary
// files that excelize uses for large sheets.
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
	dates := xlsxDateStyles(z)
	for i, sh := range xlsxSheets(z) {
		if err := xlsxSheet(z, sh.target, sh.name, i+1, shared, dates, b); err != nil {
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
func xlsxSheet(z *zipArchive, part, name string, index int, shared []string, dates *xlsxDates, b *builder) error {
	rc, err := z.open(part)
	if err != nil {
		return err
	}
	defer rc.Close()
	d := newXMLDecoder(rc)
	var sb, cell strings.Builder
	var cellType, cellStyle string
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
				inCell, cellType, cellStyle = true, attr(t, "t"), attr(t, "s")
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
				} else if (cellType == "" || cellType == "n") && cellStyle != "" {
					v = dates.format(cellStyle, v)
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

// xlsxDates knows which cell styles show numbers as dates or times.
type xlsxDates struct {
	styles   []xlsxDateKind // by cell style index (cellXfs)
	date1904 bool
}

// xlsxDateKind says what a number format shows of a serial date.
type xlsxDateKind uint8

const (
	xlsxNumber xlsxDateKind = 0
	xlsxDate   xlsxDateKind = 1 << iota
	xlsxTime
	xlsxSeconds
)

// xlsxBuiltinDates are the built-in number formats that show dates or
// times (ECMA-376 18.8.30 and the East Asian and Thai ones). Elapsed
// durations ([h]:mm:ss, 46 and 80) stay numbers.
var xlsxBuiltinDates = map[int]xlsxDateKind{
	14: xlsxDate, 15: xlsxDate, 16: xlsxDate, 17: xlsxDate,
	18: xlsxTime, 19: xlsxTime | xlsxSeconds, 20: xlsxTime, 21: xlsxTime | xlsxSeconds, 22: xlsxDate | xlsxTime,
	27: xlsxDate, 28: xlsxDate, 29: xlsxDate, 30: xlsxDate, 31: xlsxDate, 32: xlsxTime, 33: xlsxTime | xlsxSeconds,
	34: xlsxTime, 35: xlsxTime | xlsxSeconds, 36: xlsxDate,
	45: xlsxTime | xlsxSeconds, 47: xlsxTime | xlsxSeconds,
	50: xlsxDate, 51: xlsxDate, 52: xlsxDate, 53: xlsxDate, 54: xlsxDate, 55: xlsxDate, 56: xlsxDate, 57: xlsxDate, 58: xlsxDate,
	71: xlsxDate, 72: xlsxDate, 73: xlsxDate, 74: xlsxDate, 75: xlsxDate, 76: xlsxTime, 77: xlsxTime | xlsxSeconds,
	78: xlsxDate | xlsxTime, 79: xlsxTime | xlsxSeconds, 81: xlsxDate,
}

// xlsxDateStyles reads the cell styles and the date system of a workbook.
func xlsxDateStyles(z *zipArchive) *xlsxDates {
	d := &xlsxDates{}
	if rc, err := z.open("xl/workbook.xml"); err == nil {
		dec := newXMLDecoder(io.LimitReader(rc, 16<<20))
		for {
			tok, err := dec.Token()
			if err != nil {
				break
			}
			if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "workbookPr" {
				v := attr(se, "date1904")
				d.date1904 = v == "1" || v == "true"
				break
			}
		}
		rc.Close()
	}
	rc, err := z.open("xl/styles.xml")
	if err != nil {
		return d
	}
	defer rc.Close()
	custom := map[int]xlsxDateKind{}
	dec := newXMLDecoder(io.LimitReader(rc, 16<<20))
	inXfs := false
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "numFmt":
				if id, err := strconv.Atoi(attr(t, "numFmtId")); err == nil {
					custom[id] = xlsxFormatKind(attr(t, "formatCode"))
				}
			case "cellXfs":
				inXfs = true
			case "xf":
				if inXfs && len(d.styles) < 1<<16 {
					id, _ := strconv.Atoi(attr(t, "numFmtId"))
					k, ok := custom[id]
					if !ok {
						k = xlsxBuiltinDates[id]
					}
					d.styles = append(d.styles, k)
				}
			}
		case xml.EndElement:
			if t.Name.Local == "cellXfs" {
				inXfs = false
			}
		}
	}
	return d
}

// xlsxFormatKind tells what a number format code shows: a date or time
// when it holds date or time codes (y, m, d, h, s, AM/PM) outside quoted
// text, escapes and [colour] or [condition] sections, and no digit
// placeholders; an elapsed duration ([h], [mm], [ss]) is a number.
func xlsxFormatKind(code string) xlsxDateKind {
	if i := strings.IndexByte(code, ';'); i >= 0 {
		code = code[:i] // the format of positive numbers
	}
	var k xlsxDateKind
	hasM := false
	lower := strings.ToLower(code)
	for i := 0; i < len(lower); i++ {
		c := lower[i]
		switch c {
		case '"':
			j := strings.IndexByte(lower[i+1:], '"')
			if j < 0 {
				return xlsxNumber
			}
			i += j + 1
		case '\\', '_', '*':
			i++ // an escaped character, a space the width of one, a fill
		case '[':
			j := strings.IndexByte(lower[i:], ']')
			if j < 0 {
				return xlsxNumber
			}
			switch strings.Trim(lower[i+1:i+j], "hms") {
			case "":
				return xlsxNumber // elapsed time
			}
			i += j
		case '#', '?', '@', '%':
			return xlsxNumber
		case '0':
			if !(i > 1 && (lower[i-1] == '.' || lower[i-1] == '0') && k&xlsxSeconds != 0) {
				return xlsxNumber // a digit, not fractions of a second
			}
		case 'y', 'd', 'e', 'b': // year, day, era year, Buddhist year
			if c == 'e' && (strings.HasPrefix(lower[i:], "e+") || strings.HasPrefix(lower[i:], "e-")) {
				return xlsxNumber // scientific notation
			}
			k |= xlsxDate
		case 'g':
			if strings.HasPrefix(lower[i:], "general") {
				return xlsxNumber
			}
			k |= xlsxDate // era
		case 'h':
			k |= xlsxTime
		case 's':
			k |= xlsxTime | xlsxSeconds
		case 'm':
			hasM = true
		case 'a':
			if strings.HasPrefix(lower[i:], "am/pm") || strings.HasPrefix(lower[i:], "a/p") {
				k |= xlsxTime
			}
		}
	}
	if hasM && k&xlsxTime == 0 {
		k |= xlsxDate // months, with no hours or seconds around
	}
	return k
}

// format returns a number stored in a cell of the given style as a date
// or time when the style shows one, else as stored.
func (d *xlsxDates) format(style, v string) string {
	i, err := strconv.Atoi(style)
	if err != nil || i < 0 || i >= len(d.styles) || d.styles[i] == xlsxNumber {
		return v
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil || f < 0 || f >= 2958466 { // after 9999-12-31
		return v
	}
	k := d.styles[i]
	days := math.Floor(f)
	secs := int64(math.Round((f - days) * 86400))
	if secs >= 86400 {
		days, secs = days+1, secs-86400
	}
	clock := "15:04"
	if k&xlsxSeconds != 0 {
		clock = "15:04:05"
	}
	if k&xlsxDate == 0 {
		return time.Date(2000, 1, 1, 0, 0, int(secs), 0, time.UTC).Format(clock)
	}
	var t time.Time
	switch {
	case d.date1904:
		t = time.Date(1904, 1, 1, 0, 0, int(secs), 0, time.UTC).AddDate(0, 0, int(days))
	case days == 60:
		// Excel's 29 February 1900, a day that never was (kept from
		// Lotus 1-2-3): say so rather than guess.
		return v
	case days < 1:
		return v // day 0: "1900-01-00"
	case days < 60:
		t = time.Date(1899, 12, 31, 0, 0, int(secs), 0, time.UTC).AddDate(0, 0, int(days))
	default:
		t = time.Date(1899, 12, 30, 0, 0, int(secs), 0, time.UTC).AddDate(0, 0, int(days))
	}
	if k&xlsxTime == 0 {
		return t.Format("2006-01-02")
	}
	return t.Format("2006-01-02 " + clock)
}
