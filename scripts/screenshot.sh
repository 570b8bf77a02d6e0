#!/bin/sh
# Smoke test of the real GUI: builds the binary, makes a throwaway workspace
# of fictional cases (scripts/mkworkspace), runs CaseVault under Xvfb, types
# the passphrase into the unlock screen with xdotool like a user, clicks
# through, and saves screenshots in screenshots/. Nothing here touches a
# real workspace or the user's Fyne preferences.
set -eu
cd "$(dirname "$0")/.."

if ! command -v xdotool >/dev/null 2>&1; then
	if [ "$(id -u)" = 0 ]; then
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq xdotool >/dev/null ||
			{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq xdotool >/dev/null; }
	else
		echo "screenshot: xdotool is missing: sudo apt-get install xdotool" >&2
		exit 1
	fi
fi
for c in xvfb-run import; do
	command -v "$c" >/dev/null 2>&1 || { echo "screenshot: $c is missing (make deps installs it)" >&2; exit 1; }
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
out=screenshots
mkdir -p "$out"

echo "building…" >&2
go build -o "$tmp/casevault" .
CASEVAULT_PASSPHRASE="demo passphrase for screenshots 7" go run ./scripts/mkworkspace "$tmp/ws"

# The session runs inside Xvfb; positions are for a 1440x900 window.
cat >"$tmp/session.sh" <<'SESSION'
set -eu
tmp=$1 out=$2
shot() { sleep "${2:-1.5}"; import -window root "$out/$1.png"; echo "  $out/$1.png" >&2; }
start() {
	"$tmp/casevault" --workspace "$1" >"$tmp/log" 2>&1 &
	pid=$!
	wid=$(xdotool search --sync --onlyvisible --name '^CaseVault$' | head -n1)
	# Fyne sets its own size once the window shows: resize after it.
	sleep 1.5
	xdotool windowmove "$wid" 0 0 windowsize "$wid" 1440 900
	sleep 1.5
}
stop() { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }

start "$tmp/ws"
shot 01-unlock
xdotool type --delay 15 "not the passphrase"; xdotool key Return
shot 02-wrong-passphrase 3
xdotool type --delay 15 "demo passphrase for screenshots 7"; xdotool key Return
shot 03-case-list 3
xdotool mousemove 200 240 click 1                  # the first case
shot 04-overview 2
xdotool mousemove 900 289 click 1 key ctrl+a BackSpace  # empty the title
shot 05-validation-error 3
xdotool type --delay 15 "Operation Quiet Orchard (fictional, amended)"
shot 06-saved 5
xdotool mousemove 936 202 click 1                  # the Audit tab (the last one)
shot 07-audit 2
xdotool key ctrl+n
shot 08-new-case
xdotool mousemove 657 622 click 1                  # Cancel
xdotool key ctrl+l
shot 09-locked 3
stop

start "$tmp/empty"
shot 10-first-run
xdotool type --delay 15 "another demo passphrase 42"
xdotool mousemove 767 549 click 1                  # Repeat it
xdotool type --delay 15 "another demo passphrase 42"
xdotool mousemove 720 592 click 1                  # Create the workspace
shot 11-recovery-code 8
stop
SESSION

HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/home/.config" \
	xvfb-run -a -s "-screen 0 1440x900x24" sh "$tmp/session.sh" "$tmp" "$out"
if grep -i "panic\|fatal" "$tmp/log" >/dev/null 2>&1; then
	cat "$tmp/log" >&2
	exit 1
fi
echo "screenshots in $out/" >&2
