"""Apply the edits of a bad-input case (tests/bad_inputs/cases.yaml) to a scratch project."""

from __future__ import annotations

import base64
import io
import os
import shutil
import struct
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from PIL import Image

from conftest import PUBLICATION, ROOT

CASES_FILE = Path(__file__).parent / "bad_inputs" / "cases.yaml"


def load_cases() -> list[dict[str, Any]]:
    """Every case of the corpus, in file order."""
    return yaml.safe_load(CASES_FILE.read_text(encoding="utf-8"))


def png_bytes(size: int = 4) -> bytes:
    """A small valid PNG."""
    stream = io.BytesIO()
    Image.new("RGB", (size, size), (11, 93, 107)).save(stream, format="PNG")
    return stream.getvalue()


def _paragraph_100k() -> str:
    return "\n" + ("كلمة " * 20_000)[:99_999] + "ة\n"


def _list_2000() -> str:
    return "\n" + "\n".join(f"- بند {number}" for number in range(1, 2001)) + "\n"


def _table_300() -> str:
    rows = "\n".join(f"| {number} | خلية | نص |" for number in range(1, 301))
    return "\n| أ | ب | ج |\n|---|---|---|\n" + rows + "\n"


def _tables_36() -> str:
    """36 tables of 200 rows and 12 columns: each within the limits of one table, 86,832 cells in all."""
    table = "\n|" + " ع |" * 12 + "\n|" + "---|" * 12 + "\n" + ("|" + "1|" * 12 + "\n") * 200
    return table * 36


def _css_big_data_url() -> str:
    payload = base64.b64encode(b"\0" * (100 * 1024)).decode("ascii")
    return f'\n.big {{ background-image: url("data:image/png;base64,{payload}"); }}\n'


def _quoted_list_2100() -> str:
    return "\n" + "\n".join(f"> - بند {number}" for number in range(1, 2101)) + "\n"


def _nested_list_600() -> str:
    return "\n- أب\n" + "\n".join(f"  - بند {number}" for number in range(1, 601)) + "\n"


def _table_13_columns() -> str:
    return "\n|" + " خلية |" * 13 + "\n|" + "---|" * 13 + "\n|" + " نص |" * 13 + "\n"


def _sections_101() -> str:
    return "".join(f"\n## قسم {number}\n\nنص.\n" for number in range(1, 101))


def _quotes_8_deep() -> str:
    return "\n" + "> " * 8 + "نص في العمق.\n"


def _yaml_alias_bomb() -> str:
    """Nine levels of nine aliases each: 387 million strings once expanded, 1 KB written."""
    lines = ['lol0: &lol0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 10):
        lines.append(f"lol{level}: &lol{level} [" + ", ".join([f"*lol{level - 1}"] * 9) + "]")
    return "\n" + "\n".join(lines) + "\n"


def _yaml_over_size() -> bytes:
    """A YAML file of comments, 1,100,000 bytes in all: whatever the file held is replaced."""
    return ("# " + "x" * 997 + "\n").encode() * 1100


def _yaml_long_field() -> str:
    return "\nnote: " + "ك" * 200_000 + "\n"


def _yaml_5000_digits() -> str:
    return "\nnote: " + "9" * 5000 + "\n"


def _yaml_deep_nesting() -> str:
    return "\nnote: " + "[" * 10_000 + "]" * 10_000 + "\n"


def png_raw(width: int, height: int, depth: int = 8, colour_type: int = 2) -> bytes:
    """A PNG of one colour written row by row, so a huge one costs little memory to make."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))

    channels = {0: 1, 2: 3, 6: 4}[colour_type]
    row = b"\0" + b"\x40" * (width * channels * depth // 8)
    packer = zlib.compressobj(9)
    data = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, depth, colour_type, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data)
            + chunk(b"IEND", b""))


def _svg_use_bomb() -> str:
    """Ten levels of ten <use> each: ten billion shapes once every <use> is expanded."""
    parts = ['<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">',
             '<defs><rect id="a0" width="1" height="1"/>']
    for level in range(1, 11):
        uses = "".join(f'<use xlink:href="#a{level - 1}"/>' for _ in range(10))
        parts.append(f'<g id="a{level}">{uses}</g>')
    parts.append('</defs><use xlink:href="#a10"/></svg>')
    return "".join(parts)


def _facts_of_three_pages() -> bytes:
    """The first publication's facts.yaml with its figures written 7 times over: 28 cards,
    every one quoting the article: three pages, which no spacing brings to two."""
    facts = yaml.safe_load((ROOT / "content" / PUBLICATION / "facts.yaml").read_text(encoding="utf-8"))
    facts["figures"] = [dict(figure) for _ in range(7) for figure in facts["figures"]]
    return yaml.safe_dump(facts, allow_unicode=True, sort_keys=False).encode()


GENERATORS: dict[str, Callable[[], str | bytes]] = {
    "quoted-list-2100": _quoted_list_2100,
    "nested-list-600": _nested_list_600,
    "table-13-columns": _table_13_columns,
    "sections-101": _sections_101,
    "quotes-8-deep": _quotes_8_deep,
    "paragraph-100k": _paragraph_100k,
    "list-2000": _list_2000,
    "table-300": _table_300,
    "tables-36": _tables_36,
    "facts-of-three-pages": _facts_of_three_pages,
    "css-big-data-url": _css_big_data_url,
    "yaml-alias-bomb": _yaml_alias_bomb,
    "yaml-over-size": _yaml_over_size,
    "yaml-long-field": _yaml_long_field,
    "yaml-5000-digits": _yaml_5000_digits,
    "yaml-deep-nesting": _yaml_deep_nesting,
    "png-13000": lambda: png_raw(13_000, 13_000),
    "png-16-bit": lambda: png_raw(4, 4, depth=16),
    "png-16-bit-grey": lambda: png_raw(4, 4, depth=16, colour_type=0),
    "svg-use-bomb": _svg_use_bomb,
    "png-small": lambda: png_raw(4, 4),
    "images-51": lambda: "\n" + "![صورة](chart.png)\n\n" * 51,
}


def flate_bomb(size: int) -> bytes:
    """A zlib stream of `size` zero bytes (a multiple of 16 MiB), a thousandth of that long.

    After a full flush every block compresses to the same bytes, so one block is compressed
    and repeated; the Adler-32 of n zero bytes is (n mod 65521) << 16 | 1.
    """
    block = bytes(16 * 1024 * 1024)
    assert size % len(block) == 0
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    return (b"\x78\xda" + chunk * (size // len(block)) + b"\x03\x00"  # an empty final block
            + struct.pack(">I", ((size % 65521) << 16) | 1))


def _damaged_with_pikepdf(data: bytes, kind: str) -> bytes:
    import pikepdf

    pdf = pikepdf.open(io.BytesIO(data))
    boxes = {"page-0x0": [0, 0, 0, 0], "page-negative": [0, 0, -595, -842],
             "page-1e9": [0, 0, 10**9, 10**9]}
    if kind in boxes:
        for page in pdf.pages:
            page.obj.MediaBox = pikepdf.Array(boxes[kind])
            for name in ("/CropBox", "/BleedBox", "/TrimBox", "/ArtBox"):
                if name in page.obj:
                    del page.obj[name]
    elif kind == "flate-bomb":  # 1.5 MB that a reader inflates to 1.5 GB of page content
        bomb = pikepdf.Stream(pdf, b"")
        bomb.write(flate_bomb(90 * 16 * 1024 * 1024), filter=pikepdf.Name.FlateDecode)
        first = pdf.pages[0].obj
        contents = first.Contents
        first.Contents = pikepdf.Array([*(contents if isinstance(contents, pikepdf.Array) else [contents]),
                                        pdf.make_indirect(bomb)])
    elif kind == "font-name-65535":  # the name table of the first embedded font claims 65,535 records
        program = next(font.FontFile2 for font in pdf.objects
                       if isinstance(font, pikepdf.Dictionary) and "/FontFile2" in font)
        font = bytearray(program.read_bytes())
        tables = struct.unpack(">H", font[4:6])[0]
        for record in range(12, 12 + 16 * tables, 16):
            if font[record:record + 4] == b"name":
                offset = struct.unpack(">I", font[record + 8:record + 12])[0]
                font[offset + 2:offset + 4] = struct.pack(">H", 65535)
        program.write(bytes(font))
    elif kind == "rotate-name":
        pdf.pages[0].obj.Rotate = pikepdf.Name.Ninety
    elif kind == "pages-1001":
        for _ in range(1000):
            pdf.pages.append(pdf.pages[0])
    else:
        raise AssertionError(f"unknown PDF damage {kind!r}")
    stream = io.BytesIO()
    pdf.save(stream, stream_decode_level=pikepdf.StreamDecodeLevel.none, compress_streams=False)
    return stream.getvalue()


def malformed_pdf(data: bytes, kind: str) -> bytes:
    """A PDF broken in one way: its font resources (`font-not-dictionary`, `fontfile-number`),
    its page boxes (`page-0x0`, `page-negative`, `page-1e9`), a stream that inflates to 1.5 GB
    (`flate-bomb`), a font's name table (`font-name-65535`), its page count (`pages-1001`), a
    page's rotation (`rotate-name`), or
    no PDF at all (`not-a-pdf`); `none` leaves it as it is."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import DictionaryObject, NameObject, NumberObject

    if kind == "none":
        return data
    if kind == "not-a-pdf":
        return b"hello, not a PDF\n"
    if kind not in {"font-not-dictionary", "fontfile-number"}:
        return _damaged_with_pikepdf(data, kind)
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    resources = writer.pages[0]["/Resources"].get_object()
    assert isinstance(resources, DictionaryObject)
    if kind == "font-not-dictionary":
        resources[NameObject("/Font")] = NumberObject(5)
    else:
        fonts = resources["/Font"].get_object()
        assert isinstance(fonts, DictionaryObject)
        for reference in fonts.values():
            for descendant in reference.get_object().get("/DescendantFonts", []):
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                descriptor[NameObject("/FontFile2")] = NumberObject(1)
    stream = io.BytesIO()
    writer.write(stream)
    return stream.getvalue()


def apply_case(case: dict[str, Any], root: Path, outside: Path) -> None:
    """Apply every edit of `case` to the project at `root`."""
    if case.get("fonts") == "copy":
        (root / "fonts").unlink()
        shutil.copytree(ROOT / "fonts", root / "fonts")
    for edit in case["edits"]:
        (operation, arguments), = edit.items()
        path = root / _expand(arguments["file"], outside)
        if operation == "replace":
            text = path.read_text(encoding="utf-8")
            assert arguments["old"] in text, f"{case['id']}: {arguments['old']!r} not in {path}"
            path.write_text(text.replace(arguments["old"], arguments["new"], 1), encoding="utf-8")
        elif operation == "append":
            with path.open("a", encoding="utf-8") as stream:
                stream.write(arguments["text"])
        elif operation == "generate":
            generated = GENERATORS[arguments["kind"]]()
            if isinstance(generated, bytes):
                path.write_bytes(generated)
            else:
                with path.open("a", encoding="utf-8") as stream:
                    stream.write(generated)
        elif operation == "fifo":
            path.unlink(missing_ok=True)
            os.mkfifo(path)
        elif operation == "mkdir":
            path.unlink(missing_ok=True)
            path.mkdir()
        elif operation == "write":
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(arguments["text"], encoding="utf-8")
        elif operation == "write_bytes":
            path.write_bytes(bytes.fromhex(arguments["hex"]))
        elif operation == "delete":
            path.unlink()
        elif operation == "symlink":
            path.symlink_to(_expand(arguments["target"], outside))
        else:
            raise AssertionError(f"{case['id']}: unknown edit {operation!r}")


def appended_line(case: dict[str, Any], root: Path) -> int | None:
    """The line an `append` edit of `case` (or a `generate` one that appends text) puts its first
    text on, read from the file before the edit: what a message about that text names
    (`{appended-line}` in a case's `first`)."""
    for edit in case["edits"]:
        (operation, arguments), = edit.items()
        added = (arguments["text"] if operation == "append"
                 else GENERATORS[arguments["kind"]]() if operation == "generate" else None)
        path = root / _expand(arguments["file"], root)
        if isinstance(added, str) and path.exists():  # text appended (bytes replace a file)
            text = path.read_text(encoding="utf-8")
            return text.count("\n") + 1 + (len(added) - len(added.lstrip("\n")))
    return None


def _expand(text: str, outside: Path) -> str:
    return text.replace("{pub}", f"content/{PUBLICATION}").replace("{outside}", str(outside))
