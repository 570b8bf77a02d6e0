#!/usr/bin/env python3
"""Writes the chat-log samples in testdata/chat (fictional people).
The WhatsApp forms follow real exports: Android en-GB, Android en-US,
iOS with U+200E marks and U+202F before AM/PM, German dots, Thai Buddhist
years."""
import csv, io, json, zipfile

NNBSP, LRM = "\u202f", "\u200e"

android_gb = """31/12/2023, 21:41 - Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them.
31/12/2023, 21:41 - Somchai (fictional): สวัสดีครับ งานที่โรงงานยังว่างไหม
31/12/2023, 21:43 - Agent K (fictional): ยังว่าง ส่งหนังสือเดินทางมาก่อน
เราจะเก็บไว้ให้
01/01/2024, 08:05 - Somchai (fictional): IMG-20240101-WA0001.jpg (file attached)
"""

android_us = """12/31/23, 9:41 PM - Lan (fictional): Chị ơi, khi nào em được trả lương?
12/31/23, 9:45 PM - Boss Hung (fictional): Khi nào trả hết nợ thì mới được.
1/2/24, 7:00 AM - Lan (fictional): Em muốn về nhà.
"""

ios = (f"{LRM}[31/12/2023, 9:41:05{NNBSP}PM] Dara (fictional): ខ្ញុំចង់ទៅផ្ទះវិញ\n"
       f"[31/12/2023, 9:42:10{NNBSP}PM] Captain (fictional): {LRM}<attached: 00000012-PHOTO-2023-12-31-21-42-10.jpg>\n"
       f"[01/01/2024, 6:00:00{NNBSP}AM] Dara (fictional): ពួកគេយកលិខិតឆ្លងដែនរបស់ខ្ញុំ\n")

german = """31.12.23, 21:41 - Wayan (fiktif): Paspor saya diambil oleh agen.
31.12.23, 21:50 - Agen (fiktif): Nanti dikembalikan setelah kontrak selesai.
"""

thai_be = """31/12/2566 21:41 - สมชาย (สมมติ): ผมอยากกลับบ้าน
31/12/2566 21:42 - นายหน้า (สมมติ): ต้องจ่ายค่าเดินทางคืนก่อน
"""

for name, text in [("whatsapp-android-en-GB.txt", android_gb), ("whatsapp-android-en-US.txt", android_us),
                   ("whatsapp-ios-km.txt", ios), ("whatsapp-android-de.txt", german),
                   ("whatsapp-android-th-buddhist.txt", thai_be)]:
    with open("chat/" + name, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)

with open("chat/whatsapp-ios-export.zip", "wb") as f:
    with zipfile.ZipFile(f, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("_chat.txt", ios)
        with open("photo/tiny.jpg", "rb") as img:
            z.writestr("00000012-PHOTO-2023-12-31-21-42-10.jpg", img.read())
        z.writestr("../../evil\u202egpj.exe", b"MZ not really")

buf = io.StringIO()
w = csv.writer(buf)
w.writerow(["Timestamp", "Sender", "Message"])
w.writerow(["2024-01-05 10:00:00", "Nguyễn Văn A (hư cấu)", "Ngày mai có xe đón ở biên giới."])
w.writerow(["2024-01-05 10:02:30", "Sok (fictional)", "បាទ ខ្ញុំនឹងរង់ចាំ"])
w.writerow(["2024-01-05 10:03:00", "Nguyễn Văn A (hư cấu)", "Nhớ mang theo tiền, \"đừng\" nói với ai,\nkể cả gia đình."])
with open("chat/chatlog-vi-km.csv", "w", encoding="utf-8", newline="") as f:
    f.write(buf.getvalue())

telegram = {"name": "Rekrutmen (fiktif)", "type": "personal_chat", "id": 1,
            "messages": [
                {"id": 1, "type": "message", "date": "2024-01-10T09:00:00", "date_unixtime": "1704852000",
                 "from": "Agen Budi (fiktif)", "from_id": "user1", "text": "Gaji besar di luar negeri, tidak perlu visa."},
                {"id": 2, "type": "message", "date": "2024-01-10T09:05:00", "date_unixtime": "1704852300",
                 "from": "陈先生（虚构）", "from_id": "user2",
                 "text": ["护照先交给我，", {"type": "bold", "text": "到了再还你"}, "。"]},
                {"id": 3, "type": "service", "date": "2024-01-10T09:06:00", "actor": "Agen Budi (fiktif)", "action": "pin_message", "text": ""},
            ]}
with open("chat/telegram-result.json", "w", encoding="utf-8") as f:
    json.dump(telegram, f, ensure_ascii=False, indent=1)
