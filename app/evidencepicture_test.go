package app

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"strings"
	"testing"
)

// Pictures are decoded from memory; hostile or broken ones are refused
// with a reason, before a huge canvas is allocated.
func TestDecodePicture(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 40, 30))
	img.Set(3, 4, color.RGBA{200, 10, 10, 255})
	var p, j bytes.Buffer
	png.Encode(&p, img)
	jpeg.Encode(&j, img, nil)
	for _, ok := range [][]byte{p.Bytes(), j.Bytes()} {
		got, err := decodePicture(ok)
		if err != nil || got.Bounds().Dx() != 40 || got.Bounds().Dy() != 30 {
			t.Fatalf("decode: %v %v", err, got)
		}
	}

	// A PNG whose header claims 100000 × 100000 pixels.
	huge := bytes.Clone(p.Bytes())
	binary.BigEndian.PutUint32(huge[16:], 100000)
	binary.BigEndian.PutUint32(huge[20:], 100000)
	binary.BigEndian.PutUint32(huge[29:], crc32.ChecksumIEEE(huge[12:29]))

	for _, c := range []struct {
		name string
		data []byte
		want string
	}{
		{"huge canvas", huge, "claims 100000 × 100000 pixels"},
		{"truncated JPEG", j.Bytes()[:len(j.Bytes())/2], "damaged"},
		{"HEIC", append([]byte("\x00\x00\x00\x18ftypheic"), make([]byte, 64)...), "not one CaseVault can show"},
		{"empty", nil, "not one CaseVault can show"},
	} {
		if _, err := decodePicture(c.data); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
}

// FuzzDecodePicture: whatever bytes an original holds, decoding them for
// the picture view returns a picture or an error, never a panic or an
// unbounded allocation.
func FuzzDecodePicture(f *testing.F) {
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	var p, j bytes.Buffer
	png.Encode(&p, img)
	jpeg.Encode(&j, img, nil)
	f.Add(p.Bytes())
	f.Add(j.Bytes())
	f.Add([]byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"))
	f.Add([]byte("RIFF\x00\x00\x00\x00WEBPVP8 "))
	f.Fuzz(func(t *testing.T, data []byte) {
		if m, err := decodePicture(data); err == nil {
			if b := m.Bounds(); int64(b.Dx())*int64(b.Dy()) > maxPicturePixels {
				t.Fatalf("decoded %v, beyond the bound", b)
			}
		}
	})
}
