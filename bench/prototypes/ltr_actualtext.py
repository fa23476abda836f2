"""Prototype: /ActualText over each left-to-right run inside a right-to-left line.

In a right-to-left line WeasyPrint draws a left-to-right run (a Latin phrase, a document
symbol, a number) left to right, so its logical order is its drawing order and an ActualText
string of it is correct by the specification. This wraps each such run of a show string
(glyphs whose text is a Latin letter or digit, with the neutrals between them) in
`/Span <</ActualText (run)>> BDC ... EMC`, splitting the TJ array around it, on lines that
hold an Arabic letter, and measures the four reader families before and after.

usage: ltr_actualtext.py IN.pdf OUT.pdf [SOURCE.txt]
"""
import io
import re
import sys
import unicodedata
from pathlib import Path

import pikepdf

ENTRY = re.compile(rb"<([0-9a-fA-F]{4})>\s*<([0-9a-fA-F]*)>")


def table(font):
    return {int(c, 16): bytes.fromhex(t.decode()).decode("utf-16-be") for c, t in ENTRY.findall(font.ToUnicode.read_bytes())}


def strong_ltr(text):
    return any(unicodedata.bidirectional(c) in ("L", "EN") for c in text)


def arabic(text):
    return any(unicodedata.bidirectional(c) == "AL" for c in text)


def rewrite(data):
    wrapped = 0
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            fonts = {str(k): table(v) for k, v in page.Resources.get("/Font", {}).items() if "/ToUnicode" in v}
            ins = list(pikepdf.parse_content_stream(page))
            # lines: does the BT..ET hold an Arabic letter?
            out, current, in_bt, bt_start = [], {}, False, 0
            blocks, block = [], []
            for x in ins:
                block.append(x)
                if not isinstance(x, pikepdf.ContentStreamInlineImage) and str(x.operator) == "ET":
                    blocks.append(block); block = []
            blocks.append(block)
            for block in blocks:
                text = ""
                cur = {}
                for x in block:
                    if isinstance(x, pikepdf.ContentStreamInlineImage): continue
                    if str(x.operator) == "Tf": cur = fonts.get(str(x.operands[0]), {})
                    if str(x.operator) == "TJ":
                        for it in x.operands[0]:
                            if isinstance(it, pikepdf.String):
                                raw = bytes(it)
                                text += "".join(cur.get(int.from_bytes(raw[j:j+2], "big"), "") for j in range(0, len(raw), 2))
                rtl_line = arabic(text)
                cur = {}
                for x in block:
                    if isinstance(x, pikepdf.ContentStreamInlineImage) or not rtl_line:
                        out.append(x); continue
                    op = str(x.operator)
                    if op == "Tf": cur = fonts.get(str(x.operands[0]), {})
                    if op != "TJ":
                        out.append(x); continue
                    # flatten to (kind, value, text)
                    items = []
                    for it in x.operands[0]:
                        if isinstance(it, pikepdf.String):
                            raw = bytes(it)
                            for j in range(0, len(raw), 2):
                                code = raw[j:j+2]
                                items.append(("g", code, cur.get(int.from_bytes(code, "big"), "")))
                        else:
                            items.append(("n", it, ""))
                    glyphs = [i for i, it in enumerate(items) if it[0] == "g"]
                    ltr = {i for i in glyphs if strong_ltr(items[i][2])}
                    # neutrals between two ltr glyphs join the run
                    runs, start = [], None
                    gl = [i for i in glyphs]
                    k = 0
                    marks = [False] * len(items)
                    for idx, i in enumerate(gl):
                        if i in ltr:
                            marks[i] = True
                        else:
                            t = items[i][2]
                            if t and not arabic(t):
                                before = any(j in ltr for j in gl[:idx])
                                after = next((j for j in gl[idx+1:] if items[j][2] and (j in ltr or arabic(items[j][2]))), None)
                                prev = next((j for j in reversed(gl[:idx]) if items[j][2] and (j in ltr or arabic(items[j][2]))), None)
                                if prev is not None and after is not None and prev in ltr and after in ltr:
                                    marks[i] = True
                    # build runs of consecutive marked glyphs (numbers between allowed)
                    segs, cur_seg, cur_kind = [], [], None
                    for i, it in enumerate(items):
                        kind = marks[i] if it[0] == "g" else cur_kind
                        if cur_kind is None: cur_kind = kind
                        if kind != cur_kind:
                            segs.append((cur_kind, cur_seg)); cur_seg = []; cur_kind = kind
                        cur_seg.append(it)
                    if cur_seg: segs.append((cur_kind, cur_seg))
                    if not any(k for k, _ in segs):
                        out.append(x); continue
                    for kind, seg in segs:
                        arr, buf = [], b""
                        for it in seg:
                            if it[0] == "g": buf += it[1]
                            else:
                                if buf: arr.append(pikepdf.String(buf)); buf = b""
                                arr.append(it[1])
                        if buf: arr.append(pikepdf.String(buf))
                        if kind:
                            actual = "".join(it[2] for it in seg if it[0] == "g")
                            out.append(pikepdf.ContentStreamInstruction([pikepdf.Name.Span, pikepdf.Dictionary(ActualText=pikepdf.String(actual))], pikepdf.Operator("BDC")))
                            wrapped += 1
                        out.append(pikepdf.ContentStreamInstruction([pikepdf.Array(arr)], pikepdf.Operator("TJ")))
                        if kind:
                            out.append(pikepdf.ContentStreamInstruction([], pikepdf.Operator("EMC")))
            page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(out))
        buf = io.BytesIO(); pdf.save(buf)
    return buf.getvalue(), wrapped


if __name__ == "__main__":
    data, n = rewrite(Path(sys.argv[1]).read_bytes())
    Path(sys.argv[2]).write_bytes(data)
    print("wrapped", n, "runs")
