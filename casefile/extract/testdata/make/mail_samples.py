#!/usr/bin/env python3
"""Writes the e-mail samples in testdata/email with Python's email package
(fictional people and addresses under example.org)."""
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
import datetime

TZ7 = datetime.timezone(datetime.timedelta(hours=7))

def thai_job_offer():
    m = EmailMessage(policy=SMTP)
    m["From"] = "สมศักดิ์ นายหน้า (สมมติ) <agent@example.org>"
    m["To"] = "Victim One <victim1@example.org>"
    m["Subject"] = "ข้อเสนองาน โรงงานแปรรูปอาหารทะเล (สมมติ)"
    m["Date"] = format_datetime(datetime.datetime(2024, 2, 3, 14, 5, 0, tzinfo=TZ7))
    m["Message-ID"] = "<offer-1@example.org>"
    m["X-Mailer"] = "FictionalMailer 1.0"
    m.set_content("เงินเดือน 15,000 บาท ที่พักฟรี ค่าเดินทางจะหักจากเงินเดือนภายหลัง\nไม่ต้องใช้หนังสือเดินทาง เราจัดการให้", charset="tis-620", cte="quoted-printable")
    m.add_alternative("<html><body><p>HTMLONLY เงินเดือน 15,000 บาท</p></body></html>", subtype="html")
    m.add_attachment("ชื่อ-สกุล, เลขหนังสือเดินทาง\nสมชาย ใจดี, X0000000 (fictional)\n".encode("utf-8"),
                     maintype="text", subtype="csv", filename="../../etc/\u202egpj.exe\x07.csv")
    inner = EmailMessage(policy=SMTP)
    inner["From"] = "Boss <boss@example.org>"
    inner["To"] = "agent@example.org"
    inner["Subject"] = "Forwarded: quota"
    inner.set_content("INNERMARK send ten more workers next month")
    m.add_attachment(inner)
    return m

def vietnamese():
    m = EmailMessage(policy=SMTP)
    m["From"] = "Trần Văn Hùng (hư cấu) <hung@example.org>"
    m["To"] = "lan@example.org"
    m["Subject"] = "Về việc làm ở nước ngoài"
    m["Date"] = format_datetime(datetime.datetime(2024, 2, 5, 9, 0, 0, tzinfo=TZ7))
    m.set_content("Chị Lan, hộ chiếu của chị sẽ được giữ lại cho đến khi trả hết nợ.", charset="utf-8", cte="base64")
    return m

def chinese_gb2312():
    m = EmailMessage(policy=SMTP)
    m["From"] = "王老板 <wang@example.org>"
    m["To"] = "agent@example.org"
    m["Subject"] = "工人名单（虚构）"
    m["Date"] = "Tue, 06 Feb 2024 10:00:00 +0800"
    m.set_content("请把护照交给我保管。", charset="gb2312", cte="base64")
    return m

with open("email/thai-offer.eml", "wb") as f:
    f.write(thai_job_offer().as_bytes())
with open("email/chinese-gb2312.eml", "wb") as f:
    f.write(chinese_gb2312().as_bytes())

box = b""
for m in (thai_job_offer(), vietnamese(), chinese_gb2312()):
    body = m.as_bytes().replace(b"\nFrom ", b"\n>From ")
    box += b"From agent@example.org Sat Feb  3 07:05:00 2024\n" + body + b"\n"
# A body line starting with "From " is quoted as ">From " by the writer.
extra = EmailMessage(policy=SMTP)
extra["From"] = "Mail Lover <m@example.org>"
extra["Subject"] = "quoting"
extra["Date"] = "Wed, 07 Feb 2024 10:00:00 +0000"
extra.set_content("Line one\n>From the river to the sea of paperwork\nend\n")
box += b"From m@example.org Wed Feb  7 10:00:00 2024\n" + extra.as_bytes() + b"\n"
with open("email/inbox.mbox", "wb") as f:
    f.write(box)
