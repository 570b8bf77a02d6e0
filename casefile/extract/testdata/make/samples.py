#!/usr/bin/env python3
"""Writes the plain-text and HTML samples in testdata/ (fictional content).

Run from casefile/extract/testdata: python3 make/samples.py
"""
import unicodedata

TEXTS = {
    "th": "บันทึกคำให้การของพยาน (เรื่องสมมติ) นายสมชาย ใจดี ได้รับการเสนองานที่โรงงานในจังหวัดสมุทรสาคร แต่ถูกยึดหนังสือเดินทางและไม่ได้รับค่าจ้าง",
    "vi": "Biên bản lời khai (hư cấu): Chị Nguyễn Thị Lan được hứa hẹn việc làm ở nhà hàng nhưng bị giữ hộ chiếu và không được trả lương.",
    "km": "កំណត់ហេតុសាក្សី (ប្រឌិត)៖ លោក សុខ ដារ៉ា ត្រូវបានគេសន្យាផ្តល់ការងារនៅលើទូកនេសាទ ប៉ុន្តែមិនបានទទួលប្រាក់ខែ។",
    "zh-Hans": "证人陈述（虚构）：王小明说他在工厂工作了六个月，没有拿到工资，护照被老板拿走了。我们要找到这个人。",
    "zh-Hant": "證人陳述（虛構）：王小明說他在工廠工作了六個月，沒有拿到工資，護照被老闆拿走了。我們要找到這個人。",
    "id": "Keterangan saksi (fiktif): Saya dijanjikan pekerjaan di kapal ikan, tetapi paspor saya diambil dan gaji tidak dibayar selama enam bulan.",
}


def cp1258(s):
    out = b""
    for ch in unicodedata.normalize("NFC", s):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        d = unicodedata.normalize("NFD", ch)
        base, marks = d[0], d[1:]
        for i, m in enumerate(marks):
            c = unicodedata.normalize("NFC", base + m)
            try:
                c.encode("cp1258")
                base, marks = c, marks[:i] + marks[i + 1:]
                break
            except UnicodeEncodeError:
                pass
        out += (base + marks).encode("cp1258")
    return out


def write(name, data):
    with open(name, "wb") as f:
        f.write(data)


write("text/thai-tis620.txt", (TEXTS["th"] + "\n").encode("cp874") * 3)
write("text/vietnamese-cp1258.txt", cp1258(TEXTS["vi"] + "\n") * 3)
write("text/chinese-gb18030.txt", (TEXTS["zh-Hans"] + "\n").encode("gb18030") * 3)
write("text/chinese-big5.txt", (TEXTS["zh-Hant"] + "\n").encode("big5") * 3)
write("text/khmer-utf16le-bom.txt", (TEXTS["km"] + "\n").encode("utf-16"))
write("text/thai-utf16be-nobom.txt", (TEXTS["th"] + "\n").encode("utf-16-be"))
write("text/indonesian-utf16le-nobom.txt", (TEXTS["id"] + "\n").encode("utf-16-le"))
write("text/indonesian-utf8.txt", (TEXTS["id"] + "\n").encode("utf-8"))
write("text/khmer-utf8-bom.txt", b"\xef\xbb\xbf" + (TEXTS["km"] + "\n").encode("utf-8"))

write("html/vietnamese.html", ("""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>Tuyển dụng (hư cấu)</title>
<meta name="author" content="Nhóm điều tra (hư cấu)">
<style>body { color: red } .secret { display: block }</style>
<script>var tracking = "SCRIPT_MARKER_SHOULD_NOT_APPEAR";</script>
</head><body><h1>Việc làm lương cao ở nước ngoài</h1>
<p>""" + TEXTS["vi"] + """</p><table><tr><td>Liên hệ</td><td>0900 000 000</td></tr></table>
<noscript>NOSCRIPT_MARKER</noscript></body></html>
""").encode("utf-8"))
write("html/thai-windows874.html", ("""<html><head>
<meta http-equiv="Content-Type" content="text/html; charset=windows-874">
<title>ประกาศรับสมัครงาน (สมมติ)</title></head>
<body><p>""" + TEXTS["th"] + """</p></body></html>
""").encode("cp874"))
