#!/bin/sh
# Writes the PDFs in pdf/ that test the Go text-layer reader against
# PDFium (fictional content). Needs LibreOffice (soffice) and Ghostscript.
# Run from casefile/extract/testdata: sh make/pdf_samples.sh
set -e
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 - "$tmp" <<'PY'
import sys
T = {
    "en": "Witness statement (fictional): the boat left Songkhla at night with twelve crew members; wages were withheld – “debt bondage” — 50 € per week.",
    "vi": "Biên bản lời khai (hư cấu): Chị Nguyễn Thị Lan được hứa hẹn việc làm ở nhà hàng nhưng bị giữ hộ chiếu và không được trả lương.",
    "zh": "证人陈述（虚构）：王小明说他在工厂工作了六个月，没有拿到工资，护照被老板拿走了。我们要找到这个人。",
}
for k, v in T.items():
    open(f"{sys.argv[1]}/writer-{k}.txt", "w").write("\n".join(f"{v} [{i}]" for i in range(120)))
PY
soffice --headless --convert-to pdf:writer_pdf_Export --outdir pdf "$tmp"/writer-*.txt
ps2pdf make/latin1.ps pdf/ghostscript-latin1.pdf
# A scan with an invisible OCR text layer, as scanners' "searchable PDF".
convert -size 1200x400 xc:white -font DejaVu-Sans -pointsize 40 -annotate +40+100 'PASSPORT HELD BY AGENT (fictional)' \
	-annotate +40+200 'Paspor saya diambil oleh agen' -annotate +40+300 'Account 0812345678' "$tmp/ocr.png"
tesseract "$tmp/ocr.png" "$tmp/ocr-layer" -l eng pdf
cp "$tmp/ocr-layer.pdf" pdf/
