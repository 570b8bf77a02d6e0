#!/usr/bin/env python3
"""Wraps a JPEG into a one-page PDF with no text layer (a 'scanned'
page), writing the cross-reference table by hand.
Usage: scan_pdf.py in.jpg out.pdf"""
import struct, sys

jpg = open(sys.argv[1], "rb").read()
# JPEG size from the SOF0/SOF2 marker.
i, w, h = 2, 0, 0
while i < len(jpg):
    marker, length = jpg[i + 1], struct.unpack(">H", jpg[i + 2:i + 4])[0]
    if marker in (0xC0, 0xC2):
        h, w = struct.unpack(">HH", jpg[i + 5:i + 9])
        components = jpg[i + 9]
        break
    i += 2 + length
pw, ph = 612, int(612 * h / w)
content = f"q {pw} 0 0 {ph} 0 0 cm /Im0 Do Q".encode()
objs = [
    b"<< /Type /Catalog /Pages 2 0 R >>",
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {pw} {ph}] /Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>".encode(),
    f"<< /Type /XObject /Subtype /Image /Width {w} /Height {h} /ColorSpace /{ {1: 'DeviceGray', 3: 'DeviceRGB', 4: 'DeviceCMYK'}[components]} /BitsPerComponent 8 /Filter /DCTDecode /Length {len(jpg)} >>\nstream\n".encode() + jpg + b"\nendstream",
    f"<< /Length {len(content)} >>\nstream\n".encode() + content + b"\nendstream",
    b"<< /Title (Scanned page, fictional) /Producer (make/scan_pdf.py) >>",
]
out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
offsets = []
for n, o in enumerate(objs, 1):
    offsets.append(len(out))
    out += f"{n} 0 obj\n".encode() + o + b"\nendobj\n"
xref = len(out)
out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
for off in offsets:
    out += f"{off:010d} 00000 n \n".encode()
out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R /Info 6 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
open(sys.argv[2], "wb").write(out)
