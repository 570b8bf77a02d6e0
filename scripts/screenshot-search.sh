#!/bin/sh
# Screenshots of the Search view under Xvfb: a throwaway workspace of
# fictional cases (scripts/mkworkspace) gets multilingual chat logs and
# notes through casevault-cli; CaseVault then builds its index on unlock,
# and a Thai word, a phone number typed another way, a bad query, and a
# facet filter are searched with Ctrl+F. Saved in screenshots/search-*.png.
# Positions are for a 1440x900 window.
set -eu
cd "$(dirname "$0")/.."
for c in xvfb-run import xdotool; do
	command -v "$c" >/dev/null 2>&1 || { echo "screenshot-search: $c is missing (see scripts/screenshot.sh)" >&2; exit 1; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
out=screenshots
mkdir -p "$out"
echo "building…" >&2
go build -o "$tmp/casevault" .
go build -o "$tmp/cli" ./cmd/casevault-cli
export CASEVAULT_PASSPHRASE="demo passphrase for screenshots 7"
go run ./scripts/mkworkspace "$tmp/ws"
cli() { "$tmp/cli" --workspace "$tmp/ws" "$@" >/dev/null; }
cases=$("$tmp/cli" --workspace "$tmp/ws" case list | awk 'NR>1 && $2 ~ /^DEMO-2026/ {print $2}' | head -n 2)
first=$(echo "$cases" | sed -n 1p)
second=$(echo "$cases" | sed -n 2p)
[ -n "$second" ] || second=$first

cat >"$tmp/chat-th.txt" <<'EOF'
[2026-01-12 21:04] นายหน้า: เรือออกจากท่าเรือสงขลาคืนวันจันทร์ โทร 081 234 5678 (fictional)
[2026-01-12 21:06] Crew: OK, how much is the fee?
[2026-01-12 21:07] นายหน้า: ค่านายหน้า 15000 บาท จ่ายก่อนขึ้นเรือ
EOF
cat >"$tmp/chat-vi.txt" <<'EOF'
[2026-02-03 08:15] Anh Tuấn: Hộ chiếu của các bạn sẽ được giữ ở văn phòng (fictional).
[2026-02-03 08:16] Minh: Gọi cho tôi qua số +66812345678 khi đến cảng.
EOF
cli evidence add "$first" --type chat-log "$tmp/chat-th.txt"
cli evidence add "$second" --type chat-log "$tmp/chat-vi.txt"
cli note add "$first" "Broker called from +66 81 234 5678 about the boat to Songkhla (fictional)."
cli note add "$second" "Bank transfer to the same phone number 0812345678 via mobile wallet (fictional)."
rm -rf "$tmp/ws/index" # the app builds it on unlock

cat >"$tmp/session.sh" <<'SESSION'
set -eu
tmp=$1 out=$2
shot() { sleep "${2:-1.5}"; import -window root "$out/search-$1.png"; echo "  $out/search-$1.png" >&2; }
click() { xdotool mousemove "$1" "$2" click 1; sleep "${3:-0.7}"; }
"$tmp/casevault" --workspace "$tmp/ws" >"$tmp/log" 2>&1 &
pid=$!
wid=$(xdotool search --sync --onlyvisible --name '^CaseVault$' | head -n1)
sleep 1.5
xdotool windowmove "$wid" 0 0 windowsize "$wid" 1440 900
sleep 1.5
xdotool type --delay 15 "$CASEVAULT_PASSPHRASE"; xdotool key Return
sleep 2
xdotool key ctrl+f
shot 01-empty 2
# xdotool remaps a spare key for each Thai letter: one at a time, slowly.
for ch in ส ง ข ล า; do xdotool type --delay 200 "$ch"; sleep 0.4; done
shot 02-thai 2
xdotool key ctrl+a; xdotool type --delay 30 "+66 81 234 5678"
shot 03-phone 2
xdotool key ctrl+a; xdotool type --delay 30 'broker "boat'
shot 04-bad-query 2
xdotool key ctrl+a; xdotool type --delay 30 "ho chieu"
shot 05-vietnamese 2
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
