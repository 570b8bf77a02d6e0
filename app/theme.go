package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"casevault/assets"
)

var (
	fontRegular = fyne.NewStaticResource("CaseVaultSansAll-Regular.ttf", assets.FontRegular)
	fontBold    = fyne.NewStaticResource("CaseVaultSansAll-Bold.ttf", assets.FontBold)
)

// Theme is Fyne's default theme with CaseVault's bundled fonts, which cover
// Latin, Vietnamese, Thai, Lao, Khmer, Burmese and Chinese. Italic and
// monospace text keep Fyne's own fonts (Latin only; the recovery code and
// identifiers are Latin).
type Theme struct{ fyne.Theme }

// NewTheme wraps Fyne's default theme.
func NewTheme() fyne.Theme { return Theme{theme.DefaultTheme()} }

// Font returns the bundled face for regular and bold text.
func (t Theme) Font(s fyne.TextStyle) fyne.Resource {
	if s.Italic || s.Monospace || s.Symbol {
		return t.Theme.Font(s)
	}
	if s.Bold {
		return fontBold
	}
	return fontRegular
}
