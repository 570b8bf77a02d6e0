#!/bin/sh
# Screenshots of the Evidence tab under Xvfb. scripts/mkworkspace makes the
# fictional workspace; casevault-cli imports a few fictional files into
# DEMO-2026-001 (a Thai note, an HTML page, a CSV of payments, a WhatsApp
# chat and a photo with GPS) and records a custody event; then the GUI is
# driven with xdotool: the register, an item's details, its files and
# metadata, its chain of custody, the text viewer, the import dialog and
# the verification report. Saved in screenshots/evidence-*.png. Positions
# are for a 1440x900 window.
set -eu
cd "$(dirname "$0")/.."
for c in xvfb-run import xdotool; do
	command -v "$c" >/dev/null 2>&1 || { echo "screenshot-evidence: $c is missing (see scripts/screenshot.sh)" >&2; exit 1; }
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

files=$tmp/files
mkdir -p "$files"
cat >"$files/บันทึกคำให้การ.txt" <<'TXT'
บันทึกคำให้การของพยาน (สมมติ)
วันที่ 3 กุมภาพันธ์ 2569
นายหน้าเก็บหนังสือเดินทางของคนงานทุกคนไว้ และบอกว่าจะคืนให้เมื่อชำระหนี้ค่าเดินทางครบ
คนงานต้องทำงานบนเรือวันละ 18 ชั่วโมง โดยไม่ได้รับค่าจ้าง
(ข้อมูลทั้งหมดเป็นเรื่องสมมติ)
TXT
cat >"$files/job-offer.html" <<'HTML'
<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Fishing crew wanted (fictional)</title></head>
<body><h1>Crew wanted — high pay, no experience</h1>
<p>Free transport to Thailand. Passport kept safe by the agent. Contact Agent K (fictional) on +66 00 000 0000.</p>
<p>All names and numbers on this page are invented.</p></body></html>
HTML
cat >"$files/payments.csv" <<'CSV'
date,from,to,amount,currency,reference
2026-01-05,Fictional Broker Co,Harbour Light Fisheries (fictional),150000,THB,recruitment fee
2026-01-12,Harbour Light Fisheries (fictional),Agent K (fictional),45000,THB,transport
2026-01-19,Fictional Broker Co,Agent K (fictional),30000,THB,documents
CSV
cp casefile/extract/testdata/chat/whatsapp-android-en-GB.txt "$files/WhatsApp Chat with Agent K.txt"
cp casefile/extract/testdata/photo/harbour.jpg "$files/harbour.jpg"
"$tmp/cli" --workspace "$tmp/ws" evidence add DEMO-2026-001 "$files/บันทึกคำให้การ.txt" "$files/job-offer.html" \
	"$files/payments.csv" "$files/WhatsApp Chat with Agent K.txt" "$files/harbour.jpg" >&2
item=$("$tmp/cli" --workspace "$tmp/ws" evidence list DEMO-2026-001 --json | python3 -c 'import json,sys; print([e["id"] for e in json.load(sys.stdin) if e["exhibit"]=="4"][0])')
"$tmp/cli" --workspace "$tmp/ws" evidence custody DEMO-2026-001 "$item" --event examined --who "Forensic examiner B. (fictional)" \
	--place "Digital forensics lab, Bangkok (fictional)" --purpose "extraction report for the prosecutor" >&2

cat >"$tmp/session.sh" <<'SESSION'
set -eu
tmp=$1 out=$2
shot() { sleep "${2:-1.5}"; import -window root "$out/evidence-$1.png"; echo "  $out/evidence-$1.png" >&2; }
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
click 722 202                    # Evidence
shot 01-register
click 650 560 1.5                # exhibit 4, the WhatsApp chat
shot 02-item-details
click 580 383                    # Files and metadata
shot 03-item-files
click 725 383                    # Chain of custody
shot 04-item-custody
click 622 245 1.5                # Show text
shot 05-text
click 718 755                    # Close
click 500 245                    # Evidence list
click 650 600 1.5                # exhibit 5, the photo
click 580 383                    # Files and metadata
shot 06-photo-files
click 500 245                    # Evidence list
click 659 245 2                  # Verify originals
shot 07-verify
click 718 514                    # Close
xdotool key ctrl+i
shot 08-import-dialog
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
