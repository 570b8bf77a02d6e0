// Package assets holds CaseVault's embedded resources. They are plain bytes,
// independent of Fyne, so that any package (the GUI, the command line, the
// packager) can use them.
package assets

import _ "embed"

// Icon is the application icon: a 512×512 PNG of a shield holding a locked
// case folder.
//
//go:embed icon.png
var Icon []byte
