"""PDFs given to `check` and `impose` are bounded before any reader decodes them."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import textwrap
import zlib
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader
from pypdf.filters import LZWDecode

from briefpress.check.filters import TooLarge, decode
from briefpress.check.pdfbounds import CONTENT_CAP, DECODED_CAP, STREAM_CAP, read_pdf
from briefpress.errors import InputError

from badinputs import flate_bomb, malformed_pdf
from conftest import ROOT
from test_cli import run

MIB = 1024 * 1024
# The CLI in a fresh interpreter: exit code, stderr and peak memory, as JSON. The peak is
# the process's own high-water mark (VmHWM): ru_maxrss keeps, across exec, the peak of the forked
# copy of the test process, which a whole suite's session makes large.
PROBE = """
    import io, json, sys
    from briefpress.cli import main
    out, err = io.StringIO(), io.StringIO()
    code = main(sys.argv[1:], out, err)
    with open("/proc/self/status", encoding="ascii") as status:
        peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    print(json.dumps({"code": code, "err": err.getvalue(), "mib": peak / 1024}))
"""


def probe(*argv: str) -> dict:
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(PROBE), "--project", str(ROOT), *argv],
                          capture_output=True, text=True, timeout=600, check=True)
    return json.loads(done.stdout)


def page_pdf(path: Path, content: bytes = b"0 0 1 rg 10 10 50 50 re f", pages: int = 1,
             size: tuple[float, float] = (420, 595)) -> Path:
    """A PDF of `pages` pages each drawing `content`, with no fonts: `check --any-font` reads it."""
    pdf = pikepdf.new()
    for _ in range(pages):
        pdf.add_blank_page(page_size=size)
        pdf.pages[-1].obj.Contents = pdf.make_stream(content)
    pdf.save(path)
    return path


def test_a_stream_inflating_to_gigabytes_is_refused_in_bounded_memory(tmp_path: Path) -> None:
    """1.5 MB that inflate to 1.5 GB: refused, never inflated whole (it took 3 GB and 23 s, then
    passed). The bound is on memory, which load does not move; the time is `make bench`'s."""
    bomb = tmp_path / "bomb.pdf"
    bomb.write_bytes(malformed_pdf(page_pdf(tmp_path / "page.pdf").read_bytes(), "flate-bomb"))
    assert bomb.stat().st_size < 2 * MIB
    for argv in (["check", "--any-font", str(bomb)], ["impose", str(bomb), "--out", str(tmp_path / "b.pdf")]):
        found = probe(*argv)
        assert (found["code"], found["err"]) == (
            2, f"{bomb}: object 5: a stream that decodes to more than 64 MiB, the limit for one stream\n")
        assert found["mib"] < 400, found
    assert not (tmp_path / "b.pdf").exists()


def test_streams_are_capped_in_all(tmp_path: Path) -> None:
    """Six streams of 48 MiB each pass the cap of one stream and not that of all of them."""
    pdf = pikepdf.open(page_pdf(tmp_path / "page.pdf"))
    for number in range(6):
        stream = pikepdf.Stream(pdf, b"")
        stream.write(flate_bomb(48 * MIB), filter=pikepdf.Name.FlateDecode)
        pdf.Root[pikepdf.Name(f"/Extra{number}")] = pdf.make_indirect(stream)
    pdf.save(tmp_path / "six.pdf", stream_decode_level=pikepdf.StreamDecodeLevel.none)
    assert 5 * 48 * MIB < DECODED_CAP < 6 * 48 * MIB and 48 * MIB < STREAM_CAP
    with pytest.raises(InputError, match=f"the streams so far decode to 301,989,[0-9]{{3}} bytes, over the "
                                         f"limit of {DECODED_CAP // MIB} MiB for a PDF$"):
        read_pdf(tmp_path / "six.pdf")


def test_a_form_drawn_many_times_counts_each_time(tmp_path: Path) -> None:
    """A 4 KB page drawing one 8 KB form 2,000 times makes the readers parse 16 MB."""
    pdf = pikepdf.open(page_pdf(tmp_path / "page.pdf", content=b"/F Do\n" * 2_000))
    form = pdf.make_stream(b"0 0 m 1 1 l S\n" * 600, Type=pikepdf.Name.XObject,
                           Subtype=pikepdf.Name.Form, BBox=[0, 0, 10, 10])
    pdf.pages[0].obj.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(F=form))
    pdf.save(tmp_path / "forms.pdf")
    code, _, err = run("--project", str(ROOT), "check", "--any-font", str(tmp_path / "forms.pdf"))
    assert (code, err) == (2, f"{tmp_path / 'forms.pdf'}: page 1: the pages so far draw "
                              f"{2_000 * 6 + 2_000 * 8_400:,} bytes of content, over the limit of "
                              f"{CONTENT_CAP // MIB} MiB that check and impose read\n")


def test_a_form_that_draws_itself_is_refused(tmp_path: Path) -> None:
    pdf = pikepdf.open(page_pdf(tmp_path / "page.pdf", content=b"/F Do"))
    form = pdf.make_stream(b"/F Do", Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form, BBox=[0, 0, 1, 1])
    form.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(F=form))
    pdf.pages[0].obj.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(F=form))
    pdf.save(tmp_path / "loop.pdf")
    with pytest.raises(InputError, match=r"page 1: form XObject [0-9]+ draws itself"):
        read_pdf(tmp_path / "loop.pdf")


@pytest.mark.parametrize(("kind", "message"), [
    ("encrypted", "the PDF is encrypted; decrypt it first (qpdf --decrypt in.pdf out.pdf)"),
    ("page-tree-loop", "the page tree reaches object 2 twice"),
    ("trim-of-2-pt", "page 1: TrimBox [10 10 12 12] is 2 x 2 pt; a page is 3 to 14,400 pt on each side, "
                     "lower-left corner first (the PDF specification's limits)"),
    ("user-unit", "page 1: /UserUnit 10 scales the page; only the default unit, 1/72 inch, is read"),
])
def test_pdfs_no_reader_should_work_through_are_refused(tmp_path: Path, kind: str, message: str) -> None:
    pdf = pikepdf.open(page_pdf(tmp_path / "page.pdf", pages=2))
    options: dict = {}
    if kind == "encrypted":
        options["encryption"] = pikepdf.Encryption(owner="owner", user="")
    elif kind == "page-tree-loop":
        pdf.Root.Pages.Kids.append(pdf.Root.Pages)
    elif kind == "trim-of-2-pt":
        pdf.pages[0].obj.TrimBox = [10, 10, 12, 12]
    else:
        pdf.pages[0].obj.UserUnit = 10
    pdf.save(tmp_path / "bad.pdf", **options)
    for command in (["check", "--any-font"], ["impose"]):
        argv = [*command, str(tmp_path / "bad.pdf")] + (["--out", str(tmp_path / "b.pdf")]
                                                       if command == ["impose"] else [])
        assert run("--project", str(ROOT), *argv) == (2, "", f"{tmp_path / 'bad.pdf'}: {message}\n")
    assert not (tmp_path / "b.pdf").exists()


@pytest.mark.parametrize("mode", [pikepdf.ObjectStreamMode.disable, pikepdf.ObjectStreamMode.generate])
def test_a_pdf_whose_startxref_points_nowhere_is_refused(tmp_path: Path,
                                                         mode: pikepdf.ObjectStreamMode) -> None:
    """A startxref that points at no cross-reference section: pypdf rebuilt the table and passed
    the file on to readers that cannot (poppler failed; on a brief with its objects in object
    streams, `check` stopped with 'internal error: PdfminerException')."""
    source = page_pdf(tmp_path / "page.pdf", pages=2)
    with pikepdf.open(source) as pdf:
        pdf.save(tmp_path / "saved.pdf", object_stream_mode=mode)
    data = (tmp_path / "saved.pdf").read_bytes()
    (tmp_path / "bad.pdf").write_bytes(data[:data.rindex(b"startxref")] + b"startxref\n12\n%%EOF\n")
    message = (f"{tmp_path / 'bad.pdf'}: startxref points at byte 12, where no cross-reference "
               "section is; repair the file (qpdf in.pdf out.pdf)\n")
    assert run("--project", str(ROOT), "check", "--any-font", str(tmp_path / "bad.pdf")) == (2, "", message)
    assert run("--project", str(ROOT), "impose", str(tmp_path / "bad.pdf"),
               "--out", str(tmp_path / "b.pdf")) == (2, "", message)


def test_a_page_whose_content_is_missing_imposes_as_drawn_nothing(tmp_path: Path) -> None:
    """A reference to an object that does not exist is null: readers draw an empty page
    (impose stopped with 'internal error: AttributeError')."""
    source = page_pdf(tmp_path / "page.pdf", pages=2)
    data = source.read_bytes()
    start = data.index(b"/Contents ") + len(b"/Contents ")
    end = data.index(b" 0 R", start)
    source.write_bytes(data[:start] + b"9" * (end - start) + data[end:])
    code, _, err = run("--project", str(ROOT), "impose", str(source), "--out", str(tmp_path / "b.pdf"))
    assert (code, err) == (0, "")
    assert len(PdfReader(tmp_path / "b.pdf").pages) == 2  # one sheet, front and back


def test_a_sheet_larger_than_a_pdf_page_may_be_is_not_written(tmp_path: Path) -> None:
    """Two 10,000 pt pages side by side would make a sheet 20,000 pt wide: refused, unless
    printed on a sheet of paper."""
    source = page_pdf(tmp_path / "page.pdf", pages=4, size=(10_000, 10_000))
    code, _, err = run("--project", str(ROOT), "impose", str(source), "--out", str(tmp_path / "b.pdf"))
    assert (code, err) == (2, f"{source}: two pages side by side make a sheet of 20,000 x 10,000 pt, over "
                              "the 14,400 pt a PDF page may measure; print on a sheet with --sheet\n")
    assert not (tmp_path / "b.pdf").exists()
    code, _, err = run("--project", str(ROOT), "impose", str(source), "--out", str(tmp_path / "b.pdf"),
                       "--sheet", "A3")
    assert (code, err) == (0, "")


def test_a_damaged_pdf_gets_one_line_and_no_reader_log(tmp_path: Path) -> None:
    """pypdf logged 'invalid pdf header' and 'EOF marker not found' before the message."""
    (tmp_path / "notes.pdf").write_text("hello, not a PDF\n", encoding="utf-8")
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes(page_pdf(tmp_path / "page.pdf").read_bytes()[:300])
    for argv, message in (
            (["impose", str(tmp_path / "notes.pdf"), "--out", str(tmp_path / "b.pdf")],
             f"{tmp_path / 'notes.pdf'}: not a PDF: no %PDF- header in its first 1,024 bytes"),
            (["check", "--any-font", str(tmp_path / "notes.pdf")],
             f"{tmp_path / 'notes.pdf'}: not a PDF: no %PDF- header in its first 1,024 bytes"),
            (["impose", str(truncated), "--out", str(tmp_path / "b.pdf")],
             f"{truncated}: not a readable PDF")):
        done = subprocess.run([sys.executable, "-m", "briefpress.cli", "--project", str(ROOT), *argv],
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 2
        assert len(done.stderr.splitlines()) == 1 and done.stderr.startswith(message), done.stderr


def test_the_filters_decode_as_pypdf_does_and_stop_at_the_cap() -> None:
    text = b"BT /F1 12 Tf (briefpress) Tj ET\n" * 20
    assert len(text) == 640
    assert decode(zlib.compress(text), [("/FlateDecode", {})], 10_000) == text
    with pytest.raises(TooLarge):
        decode(zlib.compress(text), [("/FlateDecode", {})], len(text) - 1)
    assert decode(zlib.compress(zlib.compress(text)), [("/Fl", {}), ("/Fl", {})], 10_000) == text
    assert decode(base64.a85encode(text) + b"~>", [("/ASCII85Decode", {})], 10_000) == text
    assert decode(text.hex().encode() + b">", [("/ASCIIHexDecode", {})], 10_000) == text
    assert decode(bytes([2]) + b"abc" + bytes([254]) + b"x" + bytes([128]), [("/RL", {})], 100) == b"abcxxx"
    with pytest.raises(TooLarge):
        decode(bytes([129]) + b"x", [("/RunLengthDecode", {})], 100)  # 128 x's
    with pytest.raises(TooLarge):
        decode(b"z" * 30, [("/A85", {})], 100)  # 120 zero bytes
    lzw = lzw_spaces(40)  # 1 + 2 + ... + 41 spaces
    assert decode(lzw, [("/LZWDecode", {})], 10_000) == LZWDecode.decode(lzw) == b" " * 861
    with pytest.raises(TooLarge):
        decode(lzw, [("/LZWDecode", {})], 860)
    jpeg = b"\xff\xd8 image data"
    assert decode(jpeg, [("/DCTDecode", {})], 100) == jpeg  # image codecs are never decoded


def lzw_spaces(runs: int) -> bytes:
    """LZW for runs of 1, 2, ... `runs` + 1 spaces: a space, then each code names the
    entry made just before it (9-bit codes: the table stays under 512 entries)."""
    codes = [256, 32, *range(258, 258 + runs), 257]
    bits = "".join(f"{code:09b}" for code in codes)
    return int(bits + "0" * (-len(bits) % 8), 2).to_bytes((len(bits) + 7) // 8, "big")
