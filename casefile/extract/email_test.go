package extract

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
)

func TestEMLThai(t *testing.T) {
	res := mustExtract(t, "email/thai-offer.eml")
	if res.Format != "eml" {
		t.Fatalf("format %s", res.Format)
	}
	assertContains(t, res, "เงินเดือน 15,000 บาท ที่พักฟรี", "สมศักดิ์ นายหน้า", "ข้อเสนองาน โรงงานแปรรูปอาหารทะเล")
	assertLacks(t, res, "HTMLONLY") // plain text preferred in multipart/alternative
	hdr := chunksOf(res, KindEmail, "")
	if len(hdr) != 1 || hdr[0].Sender == "" || hdr[0].Time.IsZero() || hdr[0].Time.Format("2006-01-02T15:04:05-07:00") != "2024-02-03T14:05:00+07:00" {
		t.Errorf("header chunk %+v", hdr)
	}
	if res.Metadata["message_id"] != "<offer-1@example.org>" || res.Metadata["mailer"] != "FictionalMailer 1.0" {
		t.Errorf("metadata %v", res.Metadata)
	}
	if len(res.Attachments) != 2 {
		t.Fatalf("attachments %+v", res.Attachments)
	}
	csv := res.Attachments[0]
	if csv.Name != "gpj.exe.csv" || strings.ContainsAny(csv.Name, "/\\\u202e\x07") || !strings.Contains(csv.OriginalName, "\u202e") {
		t.Errorf("attachment name %q (original %q) not sanitized", csv.Name, csv.OriginalName)
	}
	rc, _ := csv.Open()
	data, _ := io.ReadAll(rc)
	if !strings.Contains(string(data), "สมชาย ใจดี") {
		t.Errorf("attachment content %q", data)
	}
	inner := res.Attachments[1]
	if inner.MediaType != "message/rfc822" {
		t.Fatalf("inner %+v", inner)
	}
	// The caller extracts an attached message as a linked item, one level deeper.
	rc, _ = inner.Open()
	data, _ = io.ReadAll(rc)
	sub, err := extractBytes(t, inner.Name, data, Options{Depth: 1})
	if err != nil {
		t.Fatal(err)
	}
	assertContains(t, sub, "INNERMARK")
}

func TestEMLChineseGB2312(t *testing.T) {
	res := mustExtract(t, "email/chinese-gb2312.eml")
	assertContains(t, res, "请把护照交给我保管", "工人名单（虚构）", "王老板")
}

func TestMbox(t *testing.T) {
	res := mustExtract(t, "email/inbox.mbox")
	if res.Format != "mbox" || res.Metadata["messages"] != "4" {
		t.Fatalf("format %s metadata %v", res.Format, res.Metadata)
	}
	mails := chunksOf(res, KindEmail, "")
	if len(mails) != 4 || mails[1].Index != 2 || !strings.Contains(mails[1].Sender, "Trần Văn Hùng") {
		t.Fatalf("mails %+v", mails)
	}
	assertContains(t, res, "hộ chiếu của chị sẽ được giữ lại", "请把护照交给我保管", "\nFrom the river")
	if len(res.Attachments) != 2 || !strings.HasPrefix(res.Attachments[0].Name, "message 1 ") {
		t.Errorf("attachments %+v", res.Attachments)
	}
}

// nestedMail wraps a message in n levels of multipart or of attached messages.
func nestedMail(n int, attached bool) string {
	msg := "From: a@example.org\r\nTo: b@example.org\r\nSubject: core\r\n\r\nCOREMARK\r\n"
	for i := 0; i < n; i++ {
		if attached {
			msg = fmt.Sprintf("From: a@example.org\r\nTo: b@example.org\r\nSubject: level %d\r\nMIME-Version: 1.0\r\nContent-Type: message/rfc822\r\n\r\n%s", i, msg)
		} else {
			b := fmt.Sprintf("b%d", i)
			msg = fmt.Sprintf("From: a@example.org\r\nTo: b@example.org\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=%s\r\n\r\n--%s\r\n%s\r\n--%s--\r\n", b, b, msg, b)
		}
	}
	return msg
}

func TestDeeplyNestedEmail(t *testing.T) {
	res, err := extractBytes(t, "deep.eml", []byte(nestedMail(500, false)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Warnings) == 0 || !strings.Contains(strings.Join(res.Warnings, " "), "nested") {
		t.Errorf("want a nesting warning, got %v", res.Warnings)
	}
	// Attached messages: each level is an Embedded item that the caller
	// extracts with Depth+1; the registry refuses past MaxDepth.
	data := []byte(nestedMail(50, true))
	depth := 0
	for ; ; depth++ {
		res, err := extractBytes(t, "m.eml", data, Options{Depth: depth})
		if err != nil {
			if !errors.Is(err, ErrTooLarge) {
				t.Fatalf("depth %d: %v", depth, err)
			}
			break
		}
		if len(res.Attachments) == 0 {
			t.Fatalf("depth %d: no attachment", depth)
		}
		rc, _ := res.Attachments[0].Open()
		data, _ = io.ReadAll(rc)
	}
	if depth != DefaultLimits.MaxDepth+1 {
		t.Errorf("stopped at depth %d", depth)
	}
}

func FuzzEML(f *testing.F) {
	seedDir(f, "email")
	f.Add([]byte(nestedMail(3, false)))
	f.Fuzz(func(t *testing.T, data []byte) {
		extractBytes(t, "fuzz.eml", data, Options{Limits: Limits{MaxInMemory: 1 << 20}})
	})
}

func FuzzMbox(f *testing.F) {
	seedDir(f, "email")
	f.Fuzz(func(t *testing.T, data []byte) {
		extractBytes(t, "fuzz.mbox", data, Options{Limits: Limits{MaxInMemory: 1 << 20}})
	})
}
