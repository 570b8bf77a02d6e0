package extract

import (
	"strings"
	"testing"
	"time"
)

func TestPhotoJPEG(t *testing.T) {
	res := mustExtract(t, "photo/harbour.jpg")
	want := map[string]string{
		"capture_time":        "2024-01-15T14:30:05+07:00",
		"capture_time_offset": "+07:00",
		"gps_latitude":        "13.756300",
		"gps_longitude":       "100.501800",
		"device_make":         "FictionalPhone",
		"device_model":        "FP-1 (fictional)",
		"artist":              "Officer Dara (fictional)",
	}
	for k, v := range want {
		if res.Metadata[k] != v {
			t.Errorf("%s = %q, want %q (all: %v)", k, res.Metadata[k], v, res.Metadata)
		}
	}
	assertContains(t, res, "FP-1 (fictional)")
	if m := chunksOf(res, KindMetadata, "EXIF"); len(m) != 1 {
		t.Errorf("metadata chunk %+v", res.Chunks)
	}
}

func TestPhotoHEIC(t *testing.T) {
	res := mustExtract(t, "photo/harbour.heic")
	if res.MediaType != "image/heic" {
		t.Fatalf("media type %s", res.MediaType)
	}
	if res.Metadata["capture_time"] != "2024-02-20T08:15:00+08:00" || res.Metadata["device_model"] != "iPhone (fictional)" ||
		!strings.HasPrefix(res.Metadata["gps_latitude"], "1.352") {
		t.Errorf("metadata %v warnings %v", res.Metadata, res.Warnings)
	}
}

func TestPhotoWithoutEXIF(t *testing.T) {
	res := mustExtract(t, "photo/tiny.jpg")
	if len(res.Chunks) != 0 || len(res.Warnings) == 0 {
		t.Errorf("chunks %+v warnings %v", res.Chunks, res.Warnings)
	}
}

func TestPhotoOCR(t *testing.T) {
	if _, _, err := OCRAvailable(); err != nil {
		// The clear state the importer shows.
		res, err := extractFile(t, "photo/harbour.jpg", Options{OCR: true})
		if err != nil || !strings.Contains(strings.Join(res.Warnings, " "), "OCR not available") {
			t.Fatalf("want an 'OCR not available' warning, got %v %v", err, res)
		}
		return
	}
	res, err := extractFile(t, "photo/note.png", Options{OCR: true, OCRLanguages: []string{"tha", "eng"}, Limits: Limits{Timeout: time.Minute}})
	if err != nil {
		t.Fatal(err)
	}
	assertContains(t, res, "PASSPORT HELD BY AGENT", "หนังสือเดินทาง")
	if res.Metadata["ocr_languages"] != "tha+eng" || !strings.HasPrefix(res.Metadata["ocr_tool"], "tesseract 5") {
		t.Errorf("metadata %v", res.Metadata)
	}
}

func FuzzEXIF(f *testing.F) {
	seedDir(f, "photo")
	f.Fuzz(func(t *testing.T, data []byte) {
		extractBytes(t, "fuzz.jpg", data, Options{})
	})
}

func TestOCRNotAvailableIsClear(t *testing.T) {
	res, err := extractFile(t, "photo/note.png", Options{OCR: true, OCRLanguages: []string{"zzz"}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(res.Warnings, " "), "OCR not available") {
		t.Errorf("warnings %v", res.Warnings)
	}
	if Reason(ErrOCRUnavailable) != "OCR not available" {
		t.Error("reason")
	}
}
