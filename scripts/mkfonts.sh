#!/bin/sh
# Rebuilds assets/fonts/CaseVaultSansAll-{Regular,Bold}.ttf: one face per
# weight that covers Latin and Vietnamese (Noto Sans), Thai, Lao, Khmer,
# Burmese (Noto Sans Thai, Lao UI, Khmer, Myanmar UI) and Chinese (Droid
# Sans Fallback, rescaled to 1000 units per em; it has no bold, so bold
# Chinese is drawn regular). One merged face per weight lets Fyne's public
# theme API draw every script of the region without system fonts.
# Licences: OFL-1.1 (Noto), Apache-2.0 (Droid); see assets/fonts/COPYRIGHT-*.
#
# Needs: apt-get install python3-fonttools; the fonts come from Debian's
# fonts-noto-core, fonts-noto-ui-core and fonts-droid-fallback packages.
# The UI variants of Lao and Burmese are used because the normal ones are
# taller than Fyne's line box and lose their descenders; Thai and Khmer use
# the normal variants (the UI Khmer is drawn too high).
set -eu
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get download fonts-noto-core fonts-noto-ui-core fonts-droid-fallback >/dev/null)
for deb in "$work"/*.deb; do dpkg-deb -x "$deb" "$work/x"; done
N=$work/x/usr/share/fonts/truetype/noto
D=$work/x/usr/share/fonts/truetype/droid
python3 -m fontTools.ttLib.scaleUpem --output-file "$work/Droid1000.ttf" "$D/DroidSansFallbackFull.ttf" 1000
python3 - "$work/Droid1000.ttf" "$work/Droid1000-stripped.ttf" <<'PY'
import sys
from fontTools.ttLib import TTFont
f = TTFont(sys.argv[1])
for t in ['vhea', 'vmtx', 'fpgm', 'prep', 'cvt ']:  # tables fontTools.merge cannot merge
    if t in f:
        del f[t]
f.save(sys.argv[2])
PY
for w in Regular Bold; do
	python3 -m fontTools.merge --output-file="assets/fonts/CaseVaultSansAll-$w.ttf" \
		"$N/NotoSans-$w.ttf" "$N/NotoSansThai-$w.ttf" "$N/NotoSansLaoUI-$w.ttf" \
		"$N/NotoSansKhmer-$w.ttf" "$N/NotoSansMyanmarUI-$w.ttf" "$work/Droid1000-stripped.ttf"
done
ls -la assets/fonts
