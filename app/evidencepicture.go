package app

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/draw"
	_ "image/gif" // decoders for the pictures shown in the app
	_ "image/jpeg"
	_ "image/png"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	_ "golang.org/x/image/bmp"
	_ "golang.org/x/image/tiff"
	_ "golang.org/x/image/webp"

	"casevault/casefile"
	"casevault/crypto"
)

// maxPicture is the largest original shown as a picture in the app. It is
// read whole into memory (never into a file), so a larger one is exported
// to be viewed.
const maxPicture = 64 << 20

// maxPicturePixels bounds the decoded picture (a small file can claim a
// huge canvas): 80 megapixels, about 320 MB of pixels at the most.
const maxPicturePixels = 80_000_000

// pictureCard shows an image attachment inside the app on request: the
// original is decrypted into memory, checked against its SHA-256, decoded
// there and shown; nothing is written to disk. Each showing is an
// "evidence.view" entry in the audit chain, so it is a deliberate action
// rather than something opening the tab does.
func (v *itemView) pictureCard(a casefile.Attachment) fyne.CanvasObject {
	t := v.t
	u, c, id := t.cv.mv.u, t.cv.c, v.e.ID
	box := container.NewVBox()
	note := wrapLabel("The picture is decrypted into memory only, checked against its SHA-256 and shown here; showing it is recorded in the audit chain.")
	note.Importance = widget.LowImportance
	var show *widget.Button
	show = widget.NewButtonWithIcon("Show the picture", theme.MediaPhotoIcon(), u.act(func() {
		show.Disable()
		show.SetText("Reading the picture…")
		u.run(func() {
			data, err := c.ReadOriginal(bg, id, a.ID, maxPicture)
			var img image.Image
			if err == nil {
				img, err = decodePicture(data)
			}
			crypto.Wipe(data)
			u.do(func() {
				if t.closed {
					return
				}
				t.cv.setStatus(statusPending, "Saving…") // the view is audited
				box.RemoveAll()
				if err != nil {
					l := wrapLabel(fmt.Sprintf("The picture cannot be shown here: %s. Its metadata is below; “Export original…” writes a decrypted copy to view elsewhere.", userMessage(err)))
					l.Importance = widget.WarningImportance
					box.Add(l)
					return
				}
				pic := canvas.NewImageFromImage(img)
				pic.FillMode = canvas.ImageFillContain
				pic.ScaleMode = canvas.ImageScaleSmooth
				b := img.Bounds()
				w, h := float32(b.Dx()), float32(b.Dy())
				if scale := min(640/w, 480/h, 1); scale < 1 {
					w, h = w*scale, h*scale
				}
				pic.SetMinSize(fyne.NewSize(max(w, 120), max(h, 90)))
				hide := widget.NewButtonWithIcon("Hide the picture", theme.VisibilityOffIcon(), u.act(func() {
					box.RemoveAll()
					box.Add(v.pictureCard(a))
					wipeImage(img)
				}))
				hide.Importance = widget.LowImportance
				box.Add(container.NewHBox(pic))
				box.Add(container.NewHBox(widget.NewLabel(fmt.Sprintf("%d × %d pixels", b.Dx(), b.Dy())), hide))
			})
		})
	}))
	box.Add(container.NewBorder(nil, nil, show, nil, note))
	return box
}

// decodePicture decodes a picture held in memory, after checking from its
// header that its size is sane.
func decodePicture(data []byte) (image.Image, error) {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if errors.Is(err, image.ErrFormat) {
		return nil, errors.New("its format is not one CaseVault can show (JPEG, PNG, GIF, WebP, BMP, TIFF)")
	}
	if err != nil {
		return nil, fmt.Errorf("the %s data is damaged (%v)", format, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || int64(cfg.Width)*int64(cfg.Height) > maxPicturePixels {
		return nil, fmt.Errorf("its %s header claims %d × %d pixels, more than CaseVault shows", format, cfg.Width, cfg.Height)
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("the %s data is damaged (%v)", format, err)
	}
	return img, nil
}

// wipeImage zeroes a decoded picture's pixels where the image type allows
// it (best effort: the renderer may hold its own copy until it redraws).
func wipeImage(img image.Image) {
	switch m := img.(type) {
	case *image.RGBA:
		clear(m.Pix)
	case *image.NRGBA:
		clear(m.Pix)
	case *image.YCbCr:
		clear(m.Y)
		clear(m.Cb)
		clear(m.Cr)
	case *image.Paletted:
		clear(m.Pix)
	case *image.Gray:
		clear(m.Pix)
	case draw.Image:
		// Other kinds are left to the garbage collector.
	}
}
