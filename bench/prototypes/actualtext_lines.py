import io, sys
from pathlib import Path
import pikepdf
from briefpress.project import Project
from briefpress.check import baseline
from briefpress.check.readers import read, measure, FAMILIES
LINES = ["تسعى الدول المتضررة من العقوبات، في هذا السياق، إلى إيجاد تحالفات جديدة.",
         "وقعت روسيا وكوريا الشمالية المعاهدة في 19 يونيو 2024 في بيونغ يانغ.",
         "اعتمد مجلس الأمن عشرة قرارات منذ عام 2006، ومنها القرار 1718."]
p = Project(Path(__file__).resolve().parents[2])
data = baseline.plain_pdf(p, baseline.text_html(LINES, "ar", "rtl"))
src = "\n".join(LINES)
def variant(kind):
    with pikepdf.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0]
        out, line = [], 0
        for ins in pikepdf.parse_content_stream(page):
            op = str(ins.operator)
            if op == "BT" and kind != "none":
                text = LINES[line] if kind == "logical" else LINES[line][::-1]
                out.append(pikepdf.ContentStreamInstruction([pikepdf.Name.Span, pikepdf.Dictionary(ActualText=pikepdf.String(text))], pikepdf.Operator("BDC")))
            out.append(ins)
            if op == "ET" and kind != "none":
                out.append(pikepdf.ContentStreamInstruction([], pikepdf.Operator("EMC"))); line += 1
        page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(out))
        b = io.BytesIO(); pdf.save(b); return b.getvalue()
for kind in ("none", "logical", "visual"):
    path = Path(f"/tmp/atline-{kind}.pdf"); path.write_bytes(variant(kind))
    print(f"{kind:8}", "  ".join(f"{f}: {measure(src, read(f, path)).percent()}" for f in FAMILIES))
    if kind == "logical":
        for f in FAMILIES: print("   ", f, read(f, path).strip().splitlines()[0])
