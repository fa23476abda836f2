"""Prototype: draw each raised mark after its base glyph instead of before it.

WeasyPrint draws a glyph with a vertical offset (a mark placed by GPOS: tanween, shadda) in a TJ of
its own under a text rise (Ts). In a right-to-left line the mark comes before its base in the
glyph string, so it is drawn first. This rewrites `r Ts [x1 <mark>] TJ 0 Ts [x2 <base> rest...] TJ`
to `[x1+x2-wm <base>] TJ r Ts [d <mark>] TJ 0 Ts [p1-p2 rest...] TJ`: same positions, base first.
"""
import io, sys
from pathlib import Path
import pikepdf

def widths(font):
    d = font.DescendantFonts[0]; w = d.get("/W", []); out = {}; i = 0
    while i < len(w):
        s = int(w[i])
        if isinstance(w[i + 1], pikepdf.Array):
            for k, v in enumerate(w[i + 1]): out[s + k] = float(v)
            i += 2
        else:
            for c in range(s, int(w[i + 1]) + 1): out[c] = float(w[i + 2])
            i += 3
    return out, float(d.get("/DW", 1000))

def codes(s): raw = bytes(s); return [raw[j:j + 2] for j in range(0, len(raw), 2)]

def rewrite(data):
    moved = 0
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            fonts = {str(k): widths(v) for k, v in page.Resources.get("/Font", {}).items()}
            ins = list(pikepdf.parse_content_stream(page))
            out, i, W = [], 0, None
            while i < len(ins):
                x = ins[i]
                if not isinstance(x, pikepdf.ContentStreamInlineImage) and str(x.operator) == "Tf":
                    W = fonts.get(str(x.operands[0]))
                ok = (W and i + 3 < len(ins) and not isinstance(x, pikepdf.ContentStreamInlineImage)
                      and str(x.operator) == "Ts" and float(x.operands[0]) != 0
                      and str(ins[i + 1].operator) == "TJ" and str(ins[i + 2].operator) == "Ts"
                      and float(ins[i + 2].operands[0]) == 0 and str(ins[i + 3].operator) == "TJ")
                if ok:
                    mark_arr, rest_arr = list(ins[i + 1].operands[0]), list(ins[i + 3].operands[0])
                    nums = [float(v) for v in mark_arr if not isinstance(v, pikepdf.String)]
                    strs = [c for v in mark_arr if isinstance(v, pikepdf.String) for c in codes(v)]
                    # rest: leading numbers, then first string's first code is the base
                    k, x2 = 0, 0.0
                    while k < len(rest_arr) and not (isinstance(rest_arr[k], pikepdf.String) and len(bytes(rest_arr[k]))):
                        if not isinstance(rest_arr[k], pikepdf.String): x2 += float(rest_arr[k])
                        k += 1
                    ok = len(strs) == 1 and (mark_arr[-1] is not None) and isinstance(mark_arr[-1], pikepdf.String) and k < len(rest_arr)
                if ok:
                    ww, dw = W
                    x1 = sum(nums); wm = ww.get(int.from_bytes(strs[0], "big"), dw)
                    first = codes(rest_arr[k]); base = first[0]; wb = ww.get(int.from_bytes(base, "big"), dw)
                    P0 = 0.0; mark_origin = P0 - x1; P1 = mark_origin + wm
                    base_origin = P1 - x2; P2 = base_origin + wb
                    out.append(pikepdf.ContentStreamInstruction([pikepdf.Array([x1 + x2 - wm, pikepdf.String(base)])], pikepdf.Operator("TJ")))
                    out.append(x)
                    out.append(pikepdf.ContentStreamInstruction([pikepdf.Array([P2 - mark_origin, pikepdf.String(strs[0])])], pikepdf.Operator("TJ")))
                    out.append(ins[i + 2])
                    rest = [P1 - P2]
                    if len(first) > 1: rest.append(pikepdf.String(b"".join(first[1:])))
                    rest += rest_arr[k + 1:]
                    out.append(pikepdf.ContentStreamInstruction([pikepdf.Array(rest)], pikepdf.Operator("TJ")))
                    moved += 1; i += 4; continue
                out.append(x); i += 1
            page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(out))
        b = io.BytesIO(); pdf.save(b)
    return b.getvalue(), moved

if __name__ == "__main__":
    data, n = rewrite(Path(sys.argv[1]).read_bytes()); Path(sys.argv[2]).write_bytes(data); print("moved", n)
