"""Prototype: rewrite each embedded font's ToUnicode from the shipped font file, context-free.

mode 'logical': every glyph maps to the characters it stands for, in logical order: a glyph the
font's cmap reaches maps to that character (presentation forms folded by NFKC); a ligature glyph
maps to its GSUB components' characters. mode 'visual': the same, a multi-character string of a
right-to-left glyph reversed. mode 'actualtext': logical ToUnicode, plus a /Span ActualText (logical)
around each multi-character right-to-left glyph occurrence.
"""
import io, re, sys, unicodedata
from pathlib import Path
import pikepdf
from fontTools.ttLib import TTFont

FONTS = {"IBM-Plex-Sans-Arabic": "IBMPlexSansArabic-Regular.ttf", "IBMPlexSansArabic": "IBMPlexSansArabic-Regular.ttf",
         "IBMPlexSansArabic-Bold": "IBMPlexSansArabic-Bold.ttf", "IBM-Plex-Sans-Arabic-Bold": "IBMPlexSansArabic-Bold.ttf",
         "Amiri": "Amiri-Regular.ttf", "Amiri-Regular": "Amiri-Regular.ttf", "Amiri-Bold": "Amiri-Bold.ttf"}
_cache = {}

def glyph_texts(path):
    if path in _cache: return _cache[path]
    font = TTFont(path)
    order = font.getGlyphOrder()
    cmap = {}
    for code, name in sorted(font.getBestCmap().items(), key=lambda kv: (kv[0] >= 0xFB50, kv[0])):
        cmap.setdefault(name, unicodedata.normalize("NFKC", chr(code)) if 0xFB50 <= code <= 0xFEFC else chr(code))
    singles, ligs = {}, {}
    gsub = font["GSUB"].table
    for lookup in gsub.LookupList.Lookup:
        for st in lookup.SubTable:
            kind = lookup.LookupType
            if kind == 7:
                kind, st = st.ExtensionLookupType, st.ExtSubTable
            if kind == 1:
                for a, b in st.mapping.items(): singles.setdefault(b, a)
            elif kind == 4:
                for first, rules in st.ligatures.items():
                    for rule in rules: ligs.setdefault(rule.LigGlyph, [first] + list(rule.Component))
            elif kind == 3:
                for a, alts in st.alternates.items():
                    for b in alts: singles.setdefault(b, a)
    def text(name, depth=0):
        if depth > 8: return None
        if name in ligs:
            parts = [text(c, depth + 1) for c in ligs[name]]
            return None if None in parts else "".join(parts)
        if name in cmap: return cmap[name]
        if name in singles: return text(singles[name], depth + 1)
        return None
    result = {gid: text(name) for gid, name in enumerate(order)}
    _cache[path] = result
    return result

def rtl(s): return any(unicodedata.bidirectional(c) in ("R", "AL") for c in s)

def cmap_stream(entries):
    body = [b"/CIDInit /ProcSet findresource begin", b"12 dict begin", b"begincmap",
            b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
            b"/CMapName /Adobe-Identity-UCS def", b"/CMapType 2 def",
            b"1 begincodespacerange", b"<0000> <ffff>", b"endcodespacerange"]
    items = sorted(entries.items())
    for i in range(0, len(items), 100):
        chunk = items[i:i + 100]
        body.append(f"{len(chunk)} beginbfchar".encode())
        for code, s in chunk:
            body.append(f"<{code:04x}> <{s.encode('utf-16-be').hex()}>".encode())
        body.append(b"endbfchar")
    body += [b"endcmap", b"CMapName currentdict /CMap defineresource pop", b"end", b"end"]
    return b"\n".join(body)

def _widths(w):
    out, i = {}, 0
    while i < len(w):
        start = int(w[i])
        if isinstance(w[i + 1], pikepdf.Array):
            for k, v in enumerate(w[i + 1]): out[start + k] = float(v)
            i += 2
        else:
            for c in range(start, int(w[i + 1]) + 1): out[c] = float(w[i + 2])
            i += 3
    return out

def split_ligatures(pdf, multi):
    """Each multi-character right-to-left glyph L (chars c1..cn, logical) keeps its outline and
    maps to cn; n-1 empty glyphs follow it in every string, each mapping to one character
    (c(n-1) ... c1), and the advance is shared out, so the page draws as before."""
    extra = {}  # font objgen -> {code: [new codes]}
    fonts = {}
    for page in pdf.pages:
        for name, font in page.Resources.Font.items():
            fonts[font.objgen] = font
    for key, codes in multi.items():
        font = fonts[key]
        d = font.DescendantFonts[0]
        program = TTFont(io.BytesIO(d.FontDescriptor.FontFile2.read_bytes()))
        order = program.getGlyphOrder()
        glyf = program["glyf"]
        widths = _widths(d.get("/W", []))
        tu = font.ToUnicode.read_bytes().decode("latin-1")
        used = set(widths) | {int(c, 16) for c in re.findall(r"<([0-9a-fA-F]{4})>\s*<", tu)}
        free = (g for g in range(1, len(order)) if g not in used and glyf[order[g]].numberOfContours == 0)
        entries = {int(c, 16): bytes.fromhex(u).decode("utf-16-be") for c, u in
                   re.findall(r"<([0-9a-fA-F]{4})>\s*<([0-9a-fA-F]*)>", tu)}
        extra[key] = {}
        for code, text in codes.items():
            n = len(text)
            w = widths.get(code, 0.0)
            part = float(int(w // n))
            widths[code] = w - part * (n - 1)
            news = []
            for char in reversed(text[:-1]):
                g = next(free)
                widths[g] = part
                entries[g] = char
                news.append(g)
            extra[key][code] = news
        d.W = pikepdf.Array([x for c in sorted(widths) for x in (c, pikepdf.Array([widths[c]]))])
        font.ToUnicode = pdf.make_stream(cmap_stream(entries))
    for page in pdf.pages:
        names = {str(k): v.objgen for k, v in page.Resources.Font.items()}
        out, current = [], {}
        for ins in pikepdf.parse_content_stream(page):
            if isinstance(ins, pikepdf.ContentStreamInlineImage): out.append(ins); continue
            op = str(ins.operator)
            if op == "Tf": current = extra.get(names.get(str(ins.operands[0])), {})
            if op in ("TJ", "Tj") and current:
                items = ins.operands[0] if op == "TJ" else [ins.operands[0]]
                new = []
                for item in items:
                    if isinstance(item, pikepdf.String):
                        raw, buf = bytes(item), b""
                        for j in range(0, len(raw), 2):
                            code = int.from_bytes(raw[j:j + 2], "big")
                            buf += raw[j:j + 2] + b"".join(g.to_bytes(2, "big") for g in current.get(code, []))
                        new.append(pikepdf.String(buf))
                    else:
                        new.append(item)
                out.append(pikepdf.ContentStreamInstruction([pikepdf.Array(new)], pikepdf.Operator("TJ")))
                continue
            out.append(ins)
        page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(out))

def rewrite(data, mode, fonts_dir):
    with pikepdf.open(io.BytesIO(data)) as pdf:
        multi = {}  # font objgen -> {code: logical}
        seen = set()
        for page in pdf.pages:
            for name, font in page.Resources.get("/Font", {}).items():
                if font.objgen in seen: continue
                seen.add(font.objgen)
                base = str(font.BaseFont).split("+", 1)[-1]
                file = FONTS.get(base)
                if file is None or "/ToUnicode" not in font: continue
                texts = glyph_texts(str(fonts_dir / file))
                old = font.ToUnicode.read_bytes().decode("latin-1")
                codes = [int(c, 16) for c in re.findall(r"<([0-9a-fA-F]{4})>\s*<[0-9a-fA-F]*>", old)]
                # include codes drawn but missing from the CMap: read TJ strings is costly; use W array keys
                w = font.DescendantFonts[0].get("/W", [])
                i = 0
                while i < len(w):
                    start = int(w[i])
                    if isinstance(w[i + 1], pikepdf.Array):
                        codes += range(start, start + len(w[i + 1])); i += 2
                    else:
                        codes += range(start, int(w[i + 1]) + 1); i += 3
                entries = {}
                for code in set(codes):
                    t = texts.get(code)
                    if t is None: continue
                    if len(t) > 1 and rtl(t):
                        multi.setdefault(font.objgen, {})[code] = t
                        if mode == "visual": t = t[::-1]
                        if mode == "split": t = t[-1]
                    entries[code] = t
                font.ToUnicode = pdf.make_stream(cmap_stream(entries))
        if mode == "split":
            split_ligatures(pdf, multi)
        if mode == "actualtext":
            for page in pdf.pages:
                fonts = {str(k): v.objgen for k, v in page.Resources.Font.items()}
                out, current = [], None
                for ins in pikepdf.parse_content_stream(page):
                    if isinstance(ins, pikepdf.ContentStreamInlineImage): out.append(ins); continue
                    op = str(ins.operator)
                    if op == "Tf": current = multi.get(fonts.get(str(ins.operands[0])), {})
                    if op == "TJ" and current:
                        pieces, buf = [], []
                        for item in ins.operands[0]:
                            if isinstance(item, pikepdf.String):
                                raw = bytes(item)
                                run = b""
                                for j in range(0, len(raw), 2):
                                    code = int.from_bytes(raw[j:j + 2], "big")
                                    if code in current:
                                        if run: buf.append(pikepdf.String(run)); run = b""
                                        if buf: pieces.append((None, buf)); buf = []
                                        pieces.append((current[code], [pikepdf.String(raw[j:j + 2])]))
                                    else:
                                        run += raw[j:j + 2]
                                if run: buf.append(pikepdf.String(run))
                            else:
                                buf.append(item)
                        if buf: pieces.append((None, buf))
                        for at, arr in pieces:
                            if at is not None:
                                out.append(pikepdf.ContentStreamInstruction([pikepdf.Name.Span, pikepdf.Dictionary(ActualText=pikepdf.String(at))], pikepdf.Operator("BDC")))
                            out.append(pikepdf.ContentStreamInstruction([pikepdf.Array(arr)], pikepdf.Operator("TJ")))
                            if at is not None:
                                out.append(pikepdf.ContentStreamInstruction([], pikepdf.Operator("EMC")))
                        continue
                    out.append(ins)
                page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(out))
        buf = io.BytesIO(); pdf.save(buf); return buf.getvalue()

if __name__ == "__main__":
    src, mode, dst = sys.argv[1], sys.argv[2], sys.argv[3]
    Path(dst).write_bytes(rewrite(Path(src).read_bytes(), mode, Path(__file__).resolve().parents[2] / "fonts"))
