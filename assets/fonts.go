package assets

import _ "embed"

// FontRegular and FontBold are CaseVault's UI faces: Noto Sans merged with
// Noto Sans Thai, Lao UI, Khmer and Myanmar UI and Droid Sans Fallback
// (Chinese), so that names and text in every language of the region draw
// correctly on a machine without those fonts. scripts/mkfonts.sh builds
// them; licences are in fonts/COPYRIGHT-*.
var (
	//go:embed fonts/CaseVaultSansAll-Regular.ttf
	FontRegular []byte
	//go:embed fonts/CaseVaultSansAll-Bold.ttf
	FontBold []byte
)
