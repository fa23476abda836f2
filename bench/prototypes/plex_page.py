import sys, io, re
from pathlib import Path
from briefpress.project import Project
from briefpress.check import baseline
from briefpress.check.readers import measure_families, FAMILIES, read
import pikepdf
WORDS = "الأمن الإجراءات نوفمبر تغيّر الدولي المشتركة الاستراتيجية الروسي الشمالي السياسية"
face = sys.argv[1] if len(sys.argv) > 1 else "IBM Plex Sans Arabic"
feat = sys.argv[2] if len(sys.argv) > 2 else "normal"
baseline.STYLE += f"p{{font-family:'{face}'; font-feature-settings:{feat}}}"
p = Project(Path(__file__).resolve().parents[2])
data = baseline.plain_pdf(p, baseline.text_html([WORDS], "ar", "rtl"))
out = Path('/tmp/plex-page.pdf'); out.write_bytes(data)
for f in FAMILIES:
    print(f"{f:8}", read(f, out).strip())
with pikepdf.open(out) as pdf:
    for name, font in pdf.pages[0].Resources.Font.items():
        tu = font.ToUnicode.read_bytes().decode()
        base = str(font.BaseFont)
        if face.replace(" ", "") not in base.replace(" ", ""): continue
        entries = re.findall(r"<([0-9a-f]+)> <([0-9a-f]+)>", tu, re.I)
        for g, u in entries:
            text = bytes.fromhex(u).decode("utf-16-be")
            if len(text) > 1 or any(0x64b <= ord(c) <= 0x652 for c in text):
                print(base, g, text, [hex(ord(c)) for c in text])
