package casefile

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"image"
	"image/jpeg"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"casevault/casefile/extract"
)

// The realistic corpus: what a unit's seized-phone and office folder holds,
// by bytes. All content is synthetic and fictional (invented names,
// places, numbers; example.invalid addresses), generated from a fixed seed.
//
// Byte shares aimed at (the generator picks each next file from the kind
// furthest below its share, so any size lands within a file of them):
//
//	photos  62%  phone-camera JPEGs, 3000x4000 (or 4000x3000), 2-5 MB,
//	             EXIF APP1: capture time with offset, GPS, make/model
//	PDF     16%  three in five born-digital: 4-80 pages with a
//	             Flate-compressed text layer (half in Helvetica, half in
//	             the region's languages in a composite font with a
//	             ToUnicode map, as office suites write), some with embedded JPEG
//	             images (letterheads, pictures of IDs), 50 KB-3 MB; two in
//	             five scans: 1-10 pages of a 150 dpi JPEG, no text layer
//	e-mail  10%  .eml, about 60% with a PDF or JPEG attachment in base64
//	DOCX     5%  word/document.xml of 2-40 pages, some with a picture
//	chat     5%  WhatsApp Android .txt exports, 50 KB-1.5 MB
//	HTML     2%  saved web pages (job adverts, forums) with head, nav,
//	             paragraphs and scripts, 20-200 KB
//
// Why: in a phone extraction the camera roll dwarfs everything else by
// bytes (a few hundred photos at 3 MB each against a few MB of chats), and
// an office folder's bytes are mostly PDFs (scans and exported documents)
// and mail with attachments; DOCX, chat exports and web pages are many
// files but few bytes. Text is thus a small share of the bytes (about 10%
// are text layers, bodies and messages), unlike makeImportCorpus's
// text-heavy worst case, which is kept beside it.
var realisticShares = []struct {
	kind  string
	share float64
}{
	{"photo", 0.62}, {"pdf", 0.16}, {"eml", 0.10}, {"docx", 0.05}, {"chat", 0.05}, {"html", 0.02},
}

// asciiWords are for PDFs, whose standard Helvetica font is WinAnsi only.
var asciiWords = strings.Fields("the boat left Songkhla at night with twelve crew members recruited in Kampot by a broker who kept their passports " +
	"wages were withheld for months and the debt grew each week payment transferred to account 0812345678 on behalf of the company " +
	"interview statement witness exhibit seized vessel harbour captain agent visa overstay shelter referral victim identified " +
	"Nguyen Van An Somchai Prasert Dewi Lestari Chea Sokha fictional persons invented for this test only")

func asciiText(r *rand.Rand, n int) string {
	var b strings.Builder
	for b.Len() < n {
		b.WriteString(asciiWords[r.IntN(len(asciiWords))])
		b.WriteByte(' ')
	}
	return b.String()
}

// corpusSentence is a sentence of benchWords (Thai, Vietnamese, Khmer,
// Chinese and English), capitalised and ended.
func corpusSentence(r *rand.Rand, words int) string {
	var b strings.Builder
	for i := 0; i < words; i++ {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(benchWords[r.IntN(len(benchWords))])
	}
	b.WriteByte('.')
	return b.String()
}

// tiffEntry is one IFD entry; data is the big-endian value.
type tiffEntry struct {
	tag, typ uint16
	count    uint32
	data     []byte
}

func ifdSize(es []tiffEntry) int {
	n := 2 + 12*len(es) + 4
	for _, e := range es {
		if len(e.data) > 4 {
			n += (len(e.data) + 1) &^ 1
		}
	}
	return n
}

// putIFD appends an IFD that starts at TIFF offset off (no next IFD).
func putIFD(out []byte, es []tiffEntry, off int) []byte {
	sort.Slice(es, func(i, j int) bool { return es[i].tag < es[j].tag })
	be := binary.BigEndian
	out = be.AppendUint16(out, uint16(len(es)))
	data := off + 2 + 12*len(es) + 4
	var tail []byte
	for _, e := range es {
		out = be.AppendUint16(out, e.tag)
		out = be.AppendUint16(out, e.typ)
		out = be.AppendUint32(out, e.count)
		if len(e.data) <= 4 {
			var v [4]byte
			copy(v[:], e.data)
			out = append(out, v[:]...)
			continue
		}
		out = be.AppendUint32(out, uint32(data+len(tail)))
		tail = append(tail, e.data...)
		if len(tail)%2 == 1 {
			tail = append(tail, 0)
		}
	}
	out = be.AppendUint32(out, 0)
	return append(out, tail...)
}

func tiffASCII(tag uint16, s string) tiffEntry {
	return tiffEntry{tag, 2, uint32(len(s) + 1), append([]byte(s), 0)}
}

func tiffLong(tag uint16, v uint32) tiffEntry {
	return tiffEntry{tag, 4, 1, binary.BigEndian.AppendUint32(nil, v)}
}

func tiffDegrees(tag uint16, deg float64) tiffEntry {
	d := math.Abs(deg)
	whole := math.Floor(d)
	min := math.Floor((d - whole) * 60)
	sec := ((d-whole)*60 - min) * 60
	var b []byte
	for _, v := range [][2]uint32{{uint32(whole), 1}, {uint32(min), 1}, {uint32(sec * 1000), 1000}} {
		b = binary.BigEndian.AppendUint32(b, v[0])
		b = binary.BigEndian.AppendUint32(b, v[1])
	}
	return tiffEntry{tag, 5, 3, b}
}

// exifAPP1 is a JPEG APP1 segment holding a big-endian TIFF with IFD0
// (make, model, date), an Exif IFD (capture time and its offset, pixel
// size) and a GPS IFD, as phone cameras write.
func exifAPP1(taken time.Time, lat, lon float64, make, model string, w, h int) []byte {
	stamp := taken.Format("2006:01:02 15:04:05")
	ifd0 := []tiffEntry{
		tiffASCII(0x010F, make), tiffASCII(0x0110, model),
		{0x0112, 3, 1, []byte{0, 1}}, // orientation
		tiffASCII(0x0131, "fictional camera firmware 1.0"),
		tiffASCII(0x0132, stamp),
		tiffLong(0x8769, 0), tiffLong(0x8825, 0), // filled in below
	}
	exif := []tiffEntry{
		tiffASCII(0x9003, stamp), tiffASCII(0x9004, stamp),
		tiffASCII(0x9011, taken.Format("-07:00")), tiffASCII(0x9012, taken.Format("-07:00")),
		tiffLong(0xA002, uint32(w)), tiffLong(0xA003, uint32(h)),
	}
	latRef, lonRef := "N", "E"
	if lat < 0 {
		latRef = "S"
	}
	if lon < 0 {
		lonRef = "W"
	}
	gps := []tiffEntry{
		{0x0000, 1, 4, []byte{2, 3, 0, 0}},
		tiffASCII(0x0001, latRef), tiffDegrees(0x0002, lat),
		tiffASCII(0x0003, lonRef), tiffDegrees(0x0004, lon),
	}
	exifOff := 8 + ifdSize(ifd0)
	gpsOff := exifOff + ifdSize(exif)
	ifd0[5] = tiffLong(0x8769, uint32(exifOff))
	ifd0[6] = tiffLong(0x8825, uint32(gpsOff))
	tiff := []byte{'M', 'M', 0, 42, 0, 0, 0, 8}
	tiff = putIFD(tiff, ifd0, 8)
	tiff = putIFD(tiff, exif, exifOff)
	tiff = putIFD(tiff, gps, gpsOff)
	seg := []byte{0xFF, 0xE1, 0, 0}
	seg = append(seg, "Exif\x00\x00"...)
	seg = append(seg, tiff...)
	binary.BigEndian.PutUint16(seg[2:], uint16(len(seg)-2))
	return seg
}

// photoBody encodes a w x h picture at quality 90: smooth colour
// gradients and soft shapes with sensor-like noise of the given amplitude,
// so that sizes are a camera's (2-5 MB at 12 MP), not pure noise's.
func photoBody(seed uint64, w, h, noise int) []byte {
	r := rand.New(rand.NewPCG(seed, 7))
	img := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	fx, fy := 1+r.Float64()*3, 1+r.Float64()*3
	ph := r.Float64() * 6
	var rnd uint64
	for y := 0; y < h; y++ {
		row := img.Y[y*img.YStride : y*img.YStride+w]
		ny := float64(y) / float64(h)
		for x := range row {
			if x&7 == 0 {
				rnd = r.Uint64()
			}
			nx := float64(x) / float64(w)
			v := 128 + 70*math.Sin(fx*nx*3+ph)*math.Cos(fy*ny*2) + 30*nx - 20*ny
			v += float64(int(rnd&0xFF)%(2*noise+1) - noise)
			rnd >>= 8
			row[x] = uint8(max(0, min(255, v)))
		}
	}
	for y := 0; y < (h+1)/2; y++ {
		ny := float64(y) / float64(h/2)
		for x := 0; x < (w+1)/2; x++ {
			nx := float64(x) / float64(w/2)
			img.Cb[y*img.CStride+x] = uint8(128 + 40*math.Sin(nx*4+ph) + 10*ny)
			img.Cr[y*img.CStride+x] = uint8(128 + 30*math.Cos(ny*3+ph) - 10*nx)
		}
	}
	var b bytes.Buffer
	jpeg.Encode(&b, img, &jpeg.Options{Quality: 90})
	return b.Bytes()
}

// withEXIF puts an EXIF segment after a JPEG's SOI marker.
func withEXIF(body, app1 []byte) []byte {
	out := make([]byte, 0, len(body)+len(app1))
	out = append(out, body[:2]...)
	out = append(out, app1...)
	return append(out, body[2:]...)
}

var corpusDevices = [][2]string{
	{"Samsung", "SM-A546E (fictional)"}, {"Apple", "iPhone 13 (fictional)"},
	{"OPPO", "CPH2387 (fictional)"}, {"Xiaomi", "Redmi Note 12 (fictional)"}, {"vivo", "V2207 (fictional)"},
}

var corpusZones = []*time.Location{
	time.FixedZone("+07", 7*3600), time.FixedZone("+08", 8*3600), time.FixedZone("+0630", 6*3600+1800),
}

// pdfEscape escapes a PDF literal string.
func pdfEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `(`, `\(`, `)`, `\)`).Replace(s)
}

func deflate(data []byte) []byte {
	var b bytes.Buffer
	fw, _ := flate.NewWriter(&b, flate.DefaultCompression)
	fw.Write(data)
	fw.Close()
	// zlib wrapper: CMF, FLG, deflate data, Adler-32.
	out := []byte{0x78, 0x9C}
	out = append(out, b.Bytes()...)
	a, c := uint32(1), uint32(0)
	for _, x := range data {
		a = (a + uint32(x)) % 65521
		c = (c + a) % 65521
	}
	return binary.BigEndian.AppendUint32(out, c<<16|a)
}

// makePDF writes a PDF 1.4 file of the given pages of A4 text in
// Helvetica (content streams FlateDecode), with each image in imgs (JPEG
// bytes, DCTDecode) drawn on one page, and an Info dictionary. A scan has
// one image per page (imgs[0]) filling it, and no text layer. A regional
// file's body text is in the languages of the region (corpusSentence),
// shown in a composite font (Identity-H, two-byte codes, a ToUnicode map),
// as office suites write them.
func makePDF(r *rand.Rand, title string, pages int, imgs [][]byte, scan, regional bool) []byte {
	var b bytes.Buffer
	var offs []int
	obj := func(body string, stream []byte) int {
		offs = append(offs, b.Len())
		n := len(offs)
		fmt.Fprintf(&b, "%d 0 obj\n%s", n, body)
		if stream != nil {
			b.WriteString("\nstream\n")
			b.Write(stream)
			b.WriteString("\nendstream")
		}
		b.WriteString("\nendobj\n")
		return n
	}
	b.WriteString("%PDF-1.4\n%\xE2\xE3\xCF\xD3\n")
	// Objects 1 (catalog), 2 (pages), 3 (font), 4 (info) first; pages after.
	nImg := len(imgs)
	first := 5 + nImg
	var kids []string
	for i := 0; i < pages; i++ {
		kids = append(kids, fmt.Sprintf("%d 0 R", first+2*i))
	}
	obj("<< /Type /Catalog /Pages 2 0 R >>", nil)
	obj(fmt.Sprintf("<< /Type /Pages /Count %d /Kids [%s] >>", pages, strings.Join(kids, " ")), nil)
	obj("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>", nil)
	obj(fmt.Sprintf("<< /Title (%s) /Author (Investigator 4 \\(fictional\\)) /Producer (CaseVault bench) /CreationDate (D:20260302100000+07'00') >>", pdfEscape(title)), nil)
	for _, img := range imgs {
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(img))
		if err != nil {
			panic(err)
		}
		obj(fmt.Sprintf("<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode /Length %d >>", cfg.Width, cfg.Height, len(img)), img)
	}
	f2 := first + 2*pages // the composite font, its descendant and its ToUnicode map follow the pages
	codes := map[rune]int{}
	var order []rune
	for i := 0; i < pages; i++ {
		var c bytes.Buffer
		res := "/Font << /F1 3 0 R >>"
		if regional {
			res = fmt.Sprintf("/Font << /F1 3 0 R /F2 %d 0 R >>", f2)
		}
		if scan {
			c.WriteString("q 595 0 0 842 0 0 cm /Im0 Do Q\n")
			res = "/XObject << /Im0 5 0 R >>"
			z := deflate(c.Bytes())
			obj(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << %s >> /Contents %d 0 R >>", res, first+2*i+1), nil)
			obj(fmt.Sprintf("<< /Length %d /Filter /FlateDecode >>", len(z)), z)
			continue
		}
		if i < nImg {
			fmt.Fprintf(&c, "q 240 0 0 180 300 600 cm /Im%d Do Q\n", i)
			res += fmt.Sprintf(" /XObject << /Im%d %d 0 R >>", i, 5+i)
		}
		fmt.Fprintf(&c, "BT /F1 10 Tf 13 TL 56 790 Td (%s - page %d of %d) Tj\n", pdfEscape(title), i+1, pages)
		lines := 50 + r.IntN(8)
		if i < nImg {
			lines = 12
		}
		if regional {
			c.WriteString("/F2 10 Tf\n")
		}
		for l := 0; l < lines; l++ {
			if !regional {
				fmt.Fprintf(&c, "(%s) '\n", pdfEscape(asciiText(r, 70+r.IntN(20))))
				continue
			}
			c.WriteByte('<')
			for _, ch := range corpusSentence(r, 8+r.IntN(6)) {
				if _, ok := codes[ch]; !ok {
					codes[ch] = len(codes) + 1
					order = append(order, ch)
				}
				fmt.Fprintf(&c, "%04X", codes[ch])
			}
			c.WriteString("> '\n")
		}
		c.WriteString("ET\n")
		z := deflate(c.Bytes())
		// The page object and its content stream: objects first+2i and first+2i+1.
		obj(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << %s >> /Contents %d 0 R >>", res, first+2*i+1), nil)
		obj(fmt.Sprintf("<< /Length %d /Filter /FlateDecode >>", len(z)), z)
	}
	if regional {
		obj(fmt.Sprintf("<< /Type /Font /Subtype /Type0 /BaseFont /NotoSans-Regional /Encoding /Identity-H /DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>", f2+1, f2+2), nil)
		obj("<< /Type /Font /Subtype /CIDFontType2 /BaseFont /NotoSans-Regional /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 500 >>", nil)
		var cm bytes.Buffer
		cm.WriteString("/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n1 begincodespacerange <0000> <FFFF> endcodespacerange\n")
		for k := 0; k < len(order); k += 100 {
			part := order[k:min(k+100, len(order))]
			fmt.Fprintf(&cm, "%d beginbfchar\n", len(part))
			for j, ch := range part {
				fmt.Fprintf(&cm, "<%04X> <", k+j+1)
				for _, u := range utf16.Encode([]rune{ch}) {
					fmt.Fprintf(&cm, "%04X", u)
				}
				cm.WriteString(">\n")
			}
			cm.WriteString("endbfchar\n")
		}
		cm.WriteString("endcmap CMapName currentdict /CMap defineresource pop end end\n")
		z := deflate(cm.Bytes())
		obj(fmt.Sprintf("<< /Length %d /Filter /FlateDecode >>", len(z)), z)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(offs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R /Info 4 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offs)+1, xref)
	return b.Bytes()
}

func xmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// makeDOCX writes a minimal WordprocessingML package: content types,
// relationships, core properties, the document and, given one, a picture.
func makeDOCX(r *rand.Rand, title string, paras int, picture []byte) []byte {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	put := func(name, body string, method uint16) {
		w, _ := zw.CreateHeader(&zip.FileHeader{Name: name, Method: method, Modified: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)})
		w.Write([]byte(body))
	}
	put("[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="jpeg" ContentType="image/jpeg"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>`, zip.Deflate)
	put("_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>`, zip.Deflate)
	put("docProps/core.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>`+xmlEscape(title)+`</dc:title><dc:creator>Clerk 7 (fictional)</dc:creator><dcterms:created xsi:type="dcterms:W3CDTF">2026-03-02T03:00:00Z</dcterms:created></cp:coreProperties>`, zip.Deflate)
	var d strings.Builder
	d.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body>`)
	fmt.Fprintf(&d, `<w:p><w:pPr><w:pStyle w:val="Title"/></w:pPr><w:r><w:t>%s</w:t></w:r></w:p>`, xmlEscape(title))
	for i := 0; i < paras; i++ {
		d.WriteString(`<w:p><w:pPr><w:spacing w:after="120"/></w:pPr>`)
		for s := 2 + r.IntN(5); s > 0; s-- {
			bold := ""
			if r.IntN(10) == 0 {
				bold = `<w:rPr><w:b/></w:rPr>`
			}
			fmt.Fprintf(&d, `<w:r>%s<w:t xml:space="preserve">%s </w:t></w:r>`, bold, xmlEscape(corpusSentence(r, 6+r.IntN(14))))
		}
		d.WriteString(`</w:p>`)
	}
	d.WriteString(`<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>`)
	put("word/document.xml", d.String(), zip.Deflate)
	if picture != nil {
		put("word/_rels/document.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId5" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/image1.jpeg"/></Relationships>`, zip.Deflate)
		put("word/media/image1.jpeg", string(picture), zip.Store)
	}
	zw.Close()
	return b.Bytes()
}

var corpusPeople = []string{"Somchai P.", "Nguyen Van An", "Dewi L.", "Chea Sokha", "Broker K", "Captain T"}

// makeEML writes an e-mail: a UTF-8 quoted text body, and the attachment
// (if any) in base64 in a multipart/mixed message.
func makeEML(r *rand.Rand, n int, attName, attType string, att []byte) []byte {
	var b bytes.Buffer
	date := time.Date(2026, 1, 1, 8, 0, 0, 0, corpusZones[n%3]).Add(time.Duration(n) * 97 * time.Minute)
	fmt.Fprintf(&b, "Return-Path: <sender%d@example.invalid>\r\nReceived: from mail.example.invalid (mail.example.invalid [192.0.2.%d])\r\n\tby mx.example.invalid; %s\r\n", n%7, n%250, date.Format(time.RFC1123Z))
	fmt.Fprintf(&b, "From: %s <sender%d@example.invalid>\r\nTo: agent%d@example.invalid\r\nSubject: =?UTF-8?B?%s?=\r\nDate: %s\r\nMessage-ID: <%d.bench@example.invalid>\r\nMIME-Version: 1.0\r\n",
		corpusPeople[n%len(corpusPeople)], n%7, n%3, base64.StdEncoding.EncodeToString([]byte("Re: crew list (fictional) "+corpusSentence(r, 3))), date.Format(time.RFC1123Z), n)
	var body strings.Builder
	for p := 3 + r.IntN(12); p > 0; p-- {
		body.WriteString(corpusSentence(r, 10+r.IntN(40)))
		body.WriteString("\r\n\r\n")
	}
	if att == nil {
		b.WriteString("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
		b.WriteString(body.String())
		return b.Bytes()
	}
	bd := fmt.Sprintf("=_bench_%d", n)
	fmt.Fprintf(&b, "Content-Type: multipart/mixed; boundary=\"%s\"\r\n\r\nThis is a multi-part message in MIME format.\r\n--%s\r\n", bd, bd)
	b.WriteString("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
	b.WriteString(body.String())
	fmt.Fprintf(&b, "--%s\r\nContent-Type: %s; name=\"%s\"\r\nContent-Disposition: attachment; filename=\"%s\"\r\nContent-Transfer-Encoding: base64\r\n\r\n", bd, attType, attName, attName)
	enc := base64.StdEncoding.EncodeToString(att)
	for len(enc) > 76 {
		b.WriteString(enc[:76])
		b.WriteString("\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc)
	fmt.Fprintf(&b, "\r\n--%s--\r\n", bd)
	return b.Bytes()
}

// makeWhatsApp writes an Android (en-GB) WhatsApp export of about n bytes.
func makeWhatsApp(r *rand.Rand, n int) []byte {
	var b bytes.Buffer
	t := time.Date(2025, 6, 1, 7, 0, 0, 0, time.UTC).Add(time.Duration(r.IntN(200)) * 24 * time.Hour)
	b.WriteString(t.Format("02/01/2006, 15:04") + " - Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them. Tap to learn more.\n")
	a, c := corpusPeople[r.IntN(len(corpusPeople))], corpusPeople[r.IntN(len(corpusPeople))]
	for b.Len() < n {
		t = t.Add(time.Duration(r.IntN(3600)) * time.Second)
		who := a
		if r.IntN(2) == 0 {
			who = c
		}
		var msg string
		switch k := r.IntN(20); {
		case k == 0:
			msg = "<Media omitted>"
		case k == 1:
			msg = fmt.Sprintf("IMG-2025%04d-WA%04d.jpg (file attached)", r.IntN(1300), r.IntN(9999))
		case k < 4:
			msg = corpusSentence(r, 1+r.IntN(3))
		default:
			msg = corpusSentence(r, 3+r.IntN(25))
			if r.IntN(8) == 0 {
				msg += "\n" + corpusSentence(r, 3+r.IntN(10))
			}
		}
		fmt.Fprintf(&b, "%s - %s: %s\n", t.Format("02/01/2006, 15:04"), who, msg)
	}
	return b.Bytes()
}

// makeHTML writes a saved web page: head with style and script, a
// navigation bar, headings and paragraphs, a footer.
func makeHTML(r *rand.Rand, n int) []byte {
	var b strings.Builder
	title := "Jobs abroad - fishing crew wanted (fictional)"
	fmt.Fprintf(&b, "<!DOCTYPE html>\n<html lang=\"th\">\n<head>\n<meta charset=\"utf-8\">\n<title>%s</title>\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n", title)
	b.WriteString("<style>\nbody{font-family:sans-serif;margin:0}nav a{padding:4px 8px}.post{max-width:720px;margin:auto}.ad{display:none}\n</style>\n")
	b.WriteString("<script>\nwindow.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}gtag('js',new Date());\n</script>\n</head>\n<body>\n")
	b.WriteString("<nav><a href=\"/\">Home</a><a href=\"/jobs\">Jobs</a><a href=\"/visa\">Visa</a><a href=\"/contact\">Contact</a></nav>\n<div class=\"post\">\n")
	fmt.Fprintf(&b, "<h1>%s</h1>\n", title)
	for b.Len() < n {
		if r.IntN(6) == 0 {
			fmt.Fprintf(&b, "<h2>%s</h2>\n", xmlEscape(corpusSentence(r, 3+r.IntN(5))))
		}
		b.WriteString("<p>")
		for s := 2 + r.IntN(6); s > 0; s-- {
			b.WriteString(xmlEscape(corpusSentence(r, 8+r.IntN(20))))
			b.WriteByte(' ')
		}
		b.WriteString("</p>\n")
		if r.IntN(10) == 0 {
			fmt.Fprintf(&b, "<div class=\"ad\"><a href=\"https://ads.example.invalid/%d\"><img src=\"/img/%d.jpg\" alt=\"\"></a></div>\n", r.IntN(1000), r.IntN(1000))
		}
	}
	b.WriteString("</div>\n<footer><p>Copyright 2026 Example Recruitment (fictional). Line: @example-invalid</p></footer>\n</body>\n</html>\n")
	return []byte(b.String())
}

// realisticScale sets picture sizes: full for the benchmark, small for a
// quick test.
type realisticScale struct {
	photoW, photoH int // camera photos
	smallW, smallH int // pictures in PDFs, DOCX and mail
}

var fullScale = realisticScale{4000, 3000, 1600, 1200}

// makeRealisticCorpus writes a deterministic folder of about size bytes as
// realisticShares says, and returns the bytes written per kind.
func makeRealisticCorpus(tb testing.TB, dir string, size int64, sc realisticScale) map[string]int64 {
	r := rand.New(rand.NewPCG(4, 2026))
	// A few distinct camera pictures, each made unique per file by its EXIF
	// (capture time, GPS): encoding 12 MP takes a second or two, so the
	// corpus reuses picture data as a camera roll of similar shots would.
	noise := []int{6, 9, 12, 15, 18, 22}
	var photos, pictures, scans [][]byte
	for i, nz := range noise {
		w, h := sc.photoW, sc.photoH
		if i%2 == 1 {
			w, h = h, w
		}
		photos = append(photos, photoBody(uint64(i), w, h, nz))
		if i < 3 {
			pictures = append(pictures, photoBody(uint64(100+i), sc.smallW, sc.smallH, 4+4*i))
		}
		if i < 2 {
			// A page scanned at 150 dpi (A4: 1240x1754).
			scans = append(scans, photoBody(uint64(200+i), sc.smallW*31/40, sc.smallH*1754/1200, 3+2*i))
		}
	}
	got := map[string]int64{}
	var total int64
	statements := 0
	for i := 0; total < size; i++ {
		kind := realisticShares[0].kind
		worst := math.Inf(1)
		for _, s := range realisticShares {
			if f := float64(got[s.kind]) / s.share; f < worst {
				kind, worst = s.kind, f
			}
		}
		var name string
		var data []byte
		switch kind {
		case "photo":
			taken := time.Date(2025, 9, 1, 6, 0, 0, 0, corpusZones[i%3]).Add(time.Duration(i) * 37 * time.Minute)
			dev := corpusDevices[r.IntN(len(corpusDevices))]
			body := photos[r.IntN(len(photos))]
			cfg, _ := jpeg.DecodeConfig(bytes.NewReader(body))
			name = fmt.Sprintf("IMG_%s_%04d.jpg", taken.Format("20060102_150405"), i)
			data = withEXIF(body, exifAPP1(taken, 6.5+r.Float64()*8, 99.5+r.Float64()*6, dev[0], dev[1], cfg.Width, cfg.Height))
		case "pdf":
			var imgs [][]byte
			if r.IntN(3) > 0 {
				for k := 1 + r.IntN(3); k > 0; k-- {
					imgs = append(imgs, pictures[r.IntN(len(pictures))])
				}
			}
			name = fmt.Sprintf("statement-%04d.pdf", i)
			if r.IntN(5) < 2 {
				name = fmt.Sprintf("scan-%04d.pdf", i)
				data = makePDF(r, fmt.Sprintf("Scan %d (fictional)", i), 1+r.IntN(10), [][]byte{scans[r.IntN(len(scans))]}, true, false)
				break
			}
			// Half of them, from the first, in the languages of the region.
			statements++
			data = makePDF(r, fmt.Sprintf("Statement %d (fictional)", i), 4+r.IntN(77), imgs, false, statements%2 == 1)
		case "eml":
			name = fmt.Sprintf("mail-%04d.eml", i)
			switch r.IntN(5) {
			case 0, 1:
				data = makeEML(r, i, "", "", nil)
			case 2, 3:
				data = makeEML(r, i, fmt.Sprintf("contract-%d.pdf", i), "application/pdf", makePDF(r, fmt.Sprintf("Contract %d (fictional)", i), 2+r.IntN(10), pictures[:r.IntN(2)], false, false))
			case 4:
				p := pictures[r.IntN(len(pictures))]
				data = makeEML(r, i, fmt.Sprintf("passport-%d.jpg", i), "image/jpeg", withEXIF(p, exifAPP1(time.Date(2025, 12, 1, 9, 0, i, 0, corpusZones[0]), 13.7, 100.5, "Apple", "iPhone 13 (fictional)", sc.smallW, sc.smallH)))
			}
		case "docx":
			var pic []byte
			if r.IntN(3) == 0 {
				pic = pictures[r.IntN(len(pictures))]
			}
			name = fmt.Sprintf("report-%04d.docx", i)
			data = makeDOCX(r, fmt.Sprintf("Interview record %d (fictional)", i), 10+r.IntN(300), pic)
		case "chat":
			name = fmt.Sprintf("WhatsApp Chat with Contact %04d.txt", i)
			data = makeWhatsApp(r, 50<<10+r.IntN(1450<<10))
		case "html":
			name = fmt.Sprintf("advert-%04d.html", i)
			data = makeHTML(r, 20<<10+r.IntN(180<<10))
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			tb.Fatal(err)
		}
		got[kind] += int64(len(data))
		total += int64(len(data))
	}
	return got
}

// describeShares formats the bytes per kind as shares of the total.
func describeShares(got map[string]int64) string {
	var total int64
	for _, n := range got {
		total += n
	}
	var parts []string
	for _, s := range realisticShares {
		parts = append(parts, fmt.Sprintf("%s %.1f%%", s.kind, 100*float64(got[s.kind])/float64(total)))
	}
	return strings.Join(parts, ", ")
}

// TestRealisticCorpusExtracts checks that a small realistic corpus really
// is what the benchmark claims: every kind of file extracts text (photos
// their EXIF; scanned PDFs none, as OCR is off), e-mail attachments become
// linked items, and nothing fails.
func TestRealisticCorpusExtracts(t *testing.T) {
	dir := t.TempDir()
	got := makeRealisticCorpus(t, dir, 4<<20, realisticScale{640, 480, 320, 240})
	t.Log(describeShares(got))
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	reg := extract.Default()
	seen := map[string]bool{}
	regionalPDFs := 0
	for _, e := range entries {
		ext := filepath.Ext(e.Name())
		scan := strings.HasPrefix(e.Name(), "scan-")
		key := ext
		if scan {
			key = "scan"
		}
		if seen[key] {
			continue
		}
		seen[key] = true
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		res, err := reg.Extract(context.Background(), e.Name(), bytes.NewReader(data), int64(len(data)), extract.Options{})
		if err != nil {
			t.Fatalf("%s: %v", e.Name(), err)
		}
		want := map[string]string{".jpg": "photo", ".pdf": "pdf", ".eml": "eml", ".docx": "docx", ".txt": "whatsapp", ".html": "html"}[ext]
		if res.Format != want {
			t.Errorf("%s: read as %q, want %q", e.Name(), res.Format, want)
		}
		if scan {
			// A scan has no text layer; OCR is off.
			if res.Text() != "" || res.Metadata["pages"] == "" {
				t.Errorf("%s: a scan, yet text %.100q, metadata %v", e.Name(), res.Text(), res.Metadata)
			}
			continue
		}
		if strings.TrimSpace(res.Text()) == "" {
			t.Errorf("%s: no text", e.Name())
		}
		switch ext {
		case ".jpg":
			if res.Metadata["gps_latitude"] == "" || res.Metadata["device_make"] == "" || res.Metadata["capture_time_offset"] == "" {
				t.Errorf("%s: EXIF not read: %v", e.Name(), res.Metadata)
			}
		case ".pdf":
			if !strings.Contains(res.Text(), "page 2 of") {
				t.Errorf("%s: text layer of page 2 missing: %.200q", e.Name(), res.Text())
			}
			// Born-digital PDFs are read by the Go reader, the regional
			// ones (composite font, ToUnicode) too.
			if res.Tool != "casevault PDF text-layer reader (Go)" {
				t.Errorf("%s: read by %s", e.Name(), res.Tool)
			}
			if strings.ContainsFunc(res.Text(), func(c rune) bool { return c >= 0x0E00 && c <= 0x0E7F }) {
				regionalPDFs++
			}
		case ".txt":
			if len(res.Chunks) < 10 || res.Chunks[1].Sender == "" {
				t.Errorf("%s: chat messages not parsed: %d chunks", e.Name(), len(res.Chunks))
			}
		}
	}
	if regionalPDFs == 0 {
		t.Error("no PDF in the languages of the region")
	}
	if len(seen) != 7 {
		t.Errorf("kinds generated: %v", seen)
	}

	w, _, err := Create(filepath.Join(t.TempDir(), "ws"), testPass, CreateOptions{WorkFactor: testWorkFactor})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	c, err := w.CreateCase(context.Background(), CaseInfo{Ref: "IMP-T", Title: "realistic corpus"})
	if err != nil {
		t.Fatal(err)
	}
	results, err := c.Import(context.Background(), []string{dir}, ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	linked := 0
	for _, r := range results {
		want := ImportImported
		if strings.HasPrefix(filepath.Base(r.Path), "scan-") {
			want = ImportNoText
			// The reason says why: a scan, read with OCR off.
			if !strings.Contains(r.Reason, "no text layer (scanned?); OCR is off") {
				t.Errorf("%s: reason %q", filepath.Base(r.Path), r.Reason)
			}
		}
		if r.Status != want {
			t.Errorf("%s: %s %s", filepath.Base(r.Path), r.Status, r.Reason)
		}
		linked += r.Linked
	}
	if linked == 0 {
		t.Error("no e-mail attachment became a linked item")
	}
}
