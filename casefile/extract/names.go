package extract

import (
	"path"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxNameBytes bounds a sanitized name (most file systems allow 255).
const maxNameBytes = 200

// SanitizeName makes a name found inside evidence (an attachment, an archive
// member) safe to show and to use as a file name: it keeps only the last
// path element, drops control, bidirectional-override and other invisible
// format characters (which can disguise "gpj.exe" as "exe.jpg"), replaces
// characters that Windows forbids, avoids reserved device names, and cuts
// the result to 200 bytes keeping the extension. It never returns "".
func SanitizeName(name string) string {
	name = strings.ToValidUTF8(name, "")
	name = strings.ReplaceAll(name, `\`, "/")
	name = strings.TrimRight(name, "/")
	name = path.Base(name)
	var b strings.Builder
	for _, r := range name {
		switch {
		case unicode.IsSpace(r):
			b.WriteRune(' ')
		case r == utf8.RuneError, unicode.IsControl(r):
		case unicode.Is(unicode.Cf, r) && r != '\u200c' && r != '\u200d':
			// bidi marks and overrides, zero-width space, BOM...
		case strings.ContainsRune(`<>:"/\|?*`, r):
			b.WriteRune('_')
		default:
			b.WriteRune(r)
		}
	}
	s := strings.Trim(b.String(), " .")
	if s == "" {
		return "unnamed"
	}
	stem := s
	if i := strings.IndexByte(s, '.'); i > 0 {
		stem = s[:i]
	}
	switch strings.ToUpper(stem) {
	case "CON", "PRN", "AUX", "NUL",
		"COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
		"LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9":
		s = "_" + s
	}
	if len(s) > maxNameBytes {
		ext := path.Ext(s)
		if len(ext) > 16 || !utf8.ValidString(ext) {
			ext = ""
		}
		s = cutUTF8(s[:len(s)-len(ext)], maxNameBytes-len(ext)) + ext
	}
	return s
}
