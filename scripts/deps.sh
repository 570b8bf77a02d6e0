#!/bin/sh
# Installs what `make run` and `make test` need and are missing: the Debian
# packages for Fyne's cgo build (GL, X11, Wayland headers), Xvfb and
# ImageMagick for screenshots, and the age and sqlite3 commands that the
# recovery test uses, and tesseract with the region's language packs for
# OCR of scanned evidence. Go modules come through the Go module proxy by
# themselves.
set -eu

packages="gcc pkg-config libgl1-mesa-dev xorg-dev libwayland-dev libxkbcommon-dev wayland-protocols xvfb xauth xdotool imagemagick age sqlite3 openssh-client tesseract-ocr tesseract-ocr-eng tesseract-ocr-tha tesseract-ocr-khm tesseract-ocr-mya tesseract-ocr-lao tesseract-ocr-vie tesseract-ocr-ind tesseract-ocr-msa tesseract-ocr-fil"

if ! command -v go >/dev/null 2>&1; then
	echo "Go is not installed: install Go 1.26 or newer from https://go.dev/dl/ and run this again" >&2
	exit 1
fi

if ! command -v dpkg-query >/dev/null 2>&1; then
	echo "not a Debian-like system: install the equivalents of: $packages" >&2
	exit 0
fi

missing=""
for p in $packages; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

echo "installing missing Debian packages:$missing" >&2
if [ "$(id -u)" = 0 ]; then
	SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
	SUDO="sudo"
else
	echo "cannot install them without root; run:" >&2
	echo "  sudo apt-get install -y$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends $missing
