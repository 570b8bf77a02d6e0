#!/bin/sh
# Screenshots of the case register under Xvfb: the People, Protection,
# Assets, Cooperation and Timeline tabs of a fictional case (made by
# scripts/mkworkspace, which gives DEMO-2026-001 people, a protected
# witness, assets and requests), a masked person's form, a refused and an
# accepted reveal, an asset event, and the workspace-wide Due view. Saved
# in screenshots/register-*.png. Positions are for a 1440x900 window.
set -eu
cd "$(dirname "$0")/.."
for c in xvfb-run import xdotool; do
	command -v "$c" >/dev/null 2>&1 || { echo "screenshot-register: $c is missing (see scripts/screenshot.sh)" >&2; exit 1; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
out=screenshots
mkdir -p "$out"
echo "building…" >&2
go build -o "$tmp/casevault" .
CASEVAULT_PASSPHRASE="demo passphrase for screenshots 7" go run ./scripts/mkworkspace "$tmp/ws"

cat >"$tmp/session.sh" <<'SESSION'
set -eu
tmp=$1 out=$2
shot() { sleep "${2:-1.5}"; import -window root "$out/register-$1.png"; echo "  $out/register-$1.png" >&2; }
click() { xdotool mousemove "$1" "$2" click 1; sleep "${3:-0.7}"; }
"$tmp/casevault" --workspace "$tmp/ws" >"$tmp/log" 2>&1 &
pid=$!
wid=$(xdotool search --sync --onlyvisible --name '^CaseVault$' | head -n1)
sleep 1.5
xdotool windowmove "$wid" 0 0 windowsize "$wid" 1440 900
sleep 1.5
xdotool type --delay 15 "demo passphrase for screenshots 7"; xdotool key Return
sleep 3
xdotool key ctrl+shift+f; xdotool type --delay 15 "Harbour"; sleep 1
click 200 240 2                  # DEMO-2026-001
click 529 202                    # People
shot 01-people
click 456 537                    # the protected witness, W-1
click 586 245                    # Edit…
shot 02-person-masked 2
click 650 764                    # Cancel
click 609 202                    # Protection
click 456 394                    # W-1
shot 03-protection
click 821 245                    # Reveal identity…
xdotool type --delay 15 "not the passphrase"; xdotool key Return
shot 04-reveal-refused 3
xdotool type --delay 15 "demo passphrase for screenshots 7"; xdotool key Return
shot 05-revealed 3
sleep 1
click 720 632 1                  # Close and hide
click 720 632                    # (again, if the first click came too early; harmless after)
click 687 202                    # Assets
click 456 537                    # the fishing vessel
shot 06-assets
click 690 245                    # Record event…
shot 07-asset-event
click 655 675                    # Cancel
click 773 202                    # Cooperation
click 456 415                    # the outgoing MLA request
shot 08-cooperation
click 868 202                    # Timeline
click 456 497                    # the custody limit (derived)
shot 09-timeline
xdotool key ctrl+d
shot 10-due 2
kill "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
SESSION

HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/home/.config" \
	xvfb-run -a -s "-screen 0 1440x900x24" sh "$tmp/session.sh" "$tmp" "$out"
if grep -i "panic" "$tmp/log" >/dev/null 2>&1; then
	cat "$tmp/log" >&2
	exit 1
fi
echo "screenshots in $out/" >&2
