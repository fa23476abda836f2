"""Numbered per-recipient copies: the stamp in every page's text layer, and nothing else changed."""

from __future__ import annotations

import codecs
import hashlib
import io
import json
import re
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import cast

import pikepdf
import pypdfium2
import pytest
from PIL import ImageChops
from pypdf import PageObject, PdfReader
from pypdf.generic import DictionaryObject

from briefpress.check.textlayer import normalise, pdfium_text, poppler_text
from briefpress.cli import main
from briefpress.copies import copy_file_name
from briefpress.fonts.registry import load_registry
from briefpress.layout.stamp import Stamper
from briefpress.output.copies import CopyStamper
from briefpress.project import Project
from briefpress.source.recipients import count_recipients, read_recipients, slug

from conftest import PUBLICATION, ROOT

MM = 72 / 25.4
RECIPIENTS: list[tuple[str, ...]] = [
    ("سارة الخطيب", "sara@example.org", "وزارة الخارجية"),
    ("John Smith", "john@example.org", "UN"),
    ("عُمَر بن خالِد", "", ""),  # harakat: the stamp goes through the page's text passes
    ("  مريم   حداد ", "maryam@example.org", "معهد الدراسات"),
]
INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def write_csv(path: Path, rows: list[tuple[str, ...]], header: str = "name,email,org") -> Path:
    lines = [header] + [",".join(row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["--project", str(ROOT), *argv], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def make(out: Path, recipients: Path, audience: str = "decision-makers") -> tuple[int, str, str]:
    return run("copies", "--audience", audience, "--doc", "brief", "--recipients", str(recipients),
               "--publication", PUBLICATION, "--out", str(out))


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four copies of the decision-makers' brief (Arabic-Indic digits)."""
    folder = tmp_path_factory.mktemp("copies")
    code, out, err = make(folder / "out", write_csv(folder / "recipients.csv", RECIPIENTS))
    assert (code, err) == (0, ""), err
    assert out.startswith("wrote 4 copies")
    return folder / "out" / PUBLICATION / "decision-makers" / "copies"


def stamp_line(number: int, total: int, name: str) -> str:
    return f"نسخة رقم {str(number).translate(INDIC)} من {str(total).translate(INDIC)} — أعدت لـ {name}"


def letters_in_order(text: str) -> str:
    """The text without spaces and the dash: poppler moves both across a number next to them.

    poppler reads `رقم ٧ من ٥٠ — أعدت` as `رقم ٧من — ٥٠أعدت`, as it reads the page
    footer `صفحة ٣ من ٣` as `صفحة ٣من ٣`; every letter and digit is still in order.
    """
    return re.sub(r"[\s—]", "", normalise(text))


def test_one_file_per_recipient_listed_with_its_number_recipient_and_sha256(made: Path) -> None:
    index = json.loads((made / "copies.json").read_text(encoding="utf-8"))
    assert [entry["file"] for entry in index["copies"]] == [
        "001-سارة-الخطيب.pdf", "002-john-smith.pdf", "003-عمر-بن-خالد.pdf", "004-مريم-حداد.pdf"]
    assert sorted(path.name for path in made.iterdir()) == sorted(
        [entry["file"] for entry in index["copies"]] + ["copies.json"])
    assert [entry["number"] for entry in index["copies"]] == [1, 2, 3, 4]
    assert index["copies"][1]["recipient"] == {"name": "John Smith", "email": "john@example.org",
                                               "org": "UN"}
    assert index["copies"][3]["recipient"]["name"] == "مريم حداد"
    for entry in index["copies"]:
        assert entry["sha256"] == hashlib.sha256((made / entry["file"]).read_bytes()).hexdigest()
    assert (index["publication"], index["audience"], index["document"], index["count"]) == (
        PUBLICATION, "decision-makers", "brief", 4)


def test_the_copies_are_stamped_on_the_document_that_build_makes(made: Path, built: Path) -> None:
    index = json.loads((made / "copies.json").read_text(encoding="utf-8"))
    edition = built / PUBLICATION / "decision-makers" / "brief.pdf"
    assert index["rendered_sha256"] == hashlib.sha256(edition.read_bytes()).hexdigest()


@pytest.mark.parametrize("number", [1, 3, 4])
def test_every_page_carries_the_stamp_once_in_pdfium_and_poppler(made: Path, number: int) -> None:
    name = " ".join(RECIPIENTS[number - 1][0].split())
    path = next(made.glob(f"{number:03d}-*.pdf"))
    expected = stamp_line(number, 4, name)
    pages = PdfReader(path).pages
    document = pypdfium2.PdfDocument(str(path))
    for index in range(len(pages)):
        pdfium = normalise(document[index].get_textpage().get_text_range())
        assert pdfium.count(expected) == 1, pdfium[-200:]
        assert pdfium.count("نسخة رقم") == 1
    document.close()
    poppler = letters_in_order(poppler_text(path))
    assert poppler.count(letters_in_order(expected)) == len(pages)
    assert poppler.count("نسخةرقم") == len(pages)


def test_a_latin_name_is_isolated_and_reads_in_order_in_poppler(made: Path) -> None:
    path = made / "002-john-smith.pdf"
    pages = len(PdfReader(path).pages)
    expected = letters_in_order(stamp_line(2, 4, "John Smith"))
    assert letters_in_order(poppler_text(path)).count(expected) == pages
    # pdfium reverses the words of a left-to-right run at the end of a right-to-left line
    # (as it does for `S/RES/2397`): the words are all there, in its own order.
    assert normalise(pdfium_text(path)).count(stamp_line(2, 4, "Smith John")) == pages


def _page_images(path: Path) -> list:
    document = pypdfium2.PdfDocument(str(path))
    images = [page.render(scale=1).to_pil().convert("L") for page in document]
    document.close()
    return images


def test_nothing_but_the_stamp_differs_from_the_edition(made: Path, built: Path) -> None:
    edition = built / PUBLICATION / "decision-makers" / "brief.pdf"
    original, copy = PdfReader(edition), PdfReader(made / "003-عمر-بن-خالد.pdf")
    assert len(copy.pages) == len(original.pages)
    assert copy.pdf_header == original.pdf_header == "%PDF-1.7"  # not pypdf's 1.3
    assert copy.metadata == original.metadata
    assert copy.xmp_metadata and original.xmp_metadata
    assert copy.xmp_metadata.stream.get_data() == original.xmp_metadata.stream.get_data()
    assert sorted(cast(DictionaryObject, copy.trailer["/Root"])) == sorted(
        cast(DictionaryObject, original.trailer["/Root"]))
    assert copy.outline and len(copy.outline) == len(original.outline)
    band = round(8 * MM)  # the stamp sits in the lowest 8 mm, below the page number
    stamp = normalise(stamp_line(3, 4, RECIPIENTS[2][0]))
    copy_path = made / "003-عمر-بن-خالد.pdf"
    document, stamped = pypdfium2.PdfDocument(str(edition)), pypdfium2.PdfDocument(str(copy_path))
    for index, (before, after) in enumerate(zip(_page_images(edition), _page_images(copy_path), strict=True)):
        width, height = before.size
        assert ImageChops.difference(before.crop((0, 0, width, height - band)),
                                     after.crop((0, 0, width, height - band))).getbbox() is None
        assert before.crop((0, height - band, width, height)).getextrema() == (255, 255)
        assert after.crop((0, height - band, width, height)).getextrema()[0] < 128
        text = normalise(stamped[index].get_textpage().get_text_range())
        assert text.count(stamp) == 1
        assert normalise(text.replace(stamp, "")) == normalise(
            document[index].get_textpage().get_text_range())
    document.close()
    stamped.close()


def test_each_copy_is_a_version_of_the_edition_with_an_identifier_of_its_own(made: Path,
                                                                             built: Path) -> None:
    """ISO 32000-1, 14.4: the first /ID string stays the edition's (the same document), the second
    is the copy's own (a different version of it), so a document store keeps every copy apart."""
    def strings(path: Path) -> tuple[bytes, bytes]:
        with pikepdf.open(path) as pdf:
            first, second = pdf.trailer.ID
            return bytes(first), bytes(second)

    edition = strings(built / PUBLICATION / "decision-makers" / "brief.pdf")
    identifiers = [strings(path) for path in sorted(made.glob("*.pdf"))]
    assert len(identifiers) == 4
    assert {first for first, _ in identifiers} == {edition[0]}
    seconds = {second for _, second in identifiers}
    assert len(seconds) == 4 and edition[1] not in seconds


def test_the_stamp_stays_below_a_fact_sheets_footer(tmp_path: Path) -> None:
    """A fact sheet's margin is narrower than a brief's: its page number and marking sit
    lower, and the stamp, 4 mm up, was drawn over them."""
    out = tmp_path / "out"
    code, _, err = run("build", "--publication", PUBLICATION, "--audience", "decision-makers",
                       "--doc", "factsheet", "--out", str(out), "--quiet")
    assert (code, err) == (0, ""), err
    code, _, err = run("copies", "--audience", "decision-makers", "--doc", "factsheet", "--recipients",
                       str(write_csv(tmp_path / "recipients.csv", RECIPIENTS[:1])),
                       "--publication", PUBLICATION, "--out", str(out))
    assert (code, err) == (0, ""), err
    edition = out / PUBLICATION / "decision-makers" / "factsheet.pdf"
    copy = out / PUBLICATION / "decision-makers" / "copies" / "001-سارة-الخطيب.pdf"
    for before, after in zip(_page_images(edition), _page_images(copy), strict=True):
        stamp = ImageChops.difference(before, after).getbbox()
        assert stamp is not None
        above = ImageChops.invert(before.crop((stamp[0], 0, stamp[2], before.size[1]))).getbbox()
        assert above is not None
        assert stamp[1] >= above[3], f"the stamp starts {above[3] - stamp[1]} px over the text above it"


def test_copies_of_another_document_do_not_replace_the_copies_there(tmp_path: Path) -> None:
    """The fact sheet's copies went into the folder of the brief's, under the same file names, and
    the brief's copies and their copies.json were gone without a word."""
    out = tmp_path / "out"
    assert make(out, write_csv(tmp_path / "r.csv", RECIPIENTS[:2]))[0] == 0
    folder = out / PUBLICATION / "decision-makers" / "copies"
    before = {path.name: path.read_bytes() for path in folder.iterdir()}
    code, _, err = run("copies", "--audience", "decision-makers", "--doc", "factsheet", "--recipients",
                       str(tmp_path / "r.csv"), "--publication", PUBLICATION, "--out", str(out))
    assert code == 2
    assert err.splitlines() == [
        f"{folder}: holds the numbered copies of the brief, which copies of the factsheet would replace; "
        "move them away, or write these into another folder with --out"]
    assert {path.name: path.read_bytes() for path in folder.iterdir()} == before


def test_a_rerun_gives_the_same_bytes(made: Path, tmp_path: Path) -> None:
    code, _, _ = make(tmp_path / "out", write_csv(tmp_path / "recipients.csv", RECIPIENTS))
    assert code == 0
    again = tmp_path / "out" / PUBLICATION / "decision-makers" / "copies" / "copies.json"
    assert again.read_bytes() == (made / "copies.json").read_bytes()


def test_a_later_copy_carries_nothing_of_the_copy_before(built: Path) -> None:
    """Stamping reuses one parsed document: a second stamp equals a first one made alone."""
    edition = (built / PUBLICATION / "decision-makers" / "brief.pdf").read_bytes()
    trim = PdfReader(io.BytesIO(edition)).pages[0].trimbox
    stamper = Stamper(Project(ROOT), (float(trim.width), float(trim.height)), "ar", "rtl", "arabic-indic",
                      load_registry(ROOT / "fonts"))

    def stamp_page(number: int, name: str) -> PageObject:
        return PdfReader(io.BytesIO(stamper.render([stamper.text(number, 2, name)]))).pages[0]

    reused = CopyStamper(edition)
    first = reused.stamp(stamp_page(1, "Zoe Quixote"))
    second = reused.stamp(stamp_page(2, "سارة"))
    alone = CopyStamper(edition).stamp(stamp_page(2, "سارة"))
    assert second == alone
    assert "Quixote" in pdfium_text_of(first) and "Quixote" not in pdfium_text_of(second)


def test_a_zwnj_in_a_name_is_copied_from_the_stamp() -> None:
    """A Persian name keeps its ZWNJ in the stamp's copy, as in the page's text (`layout.joiners`)."""
    stamper = Stamper(Project(ROOT), (595.0, 842.0), "ar", "rtl", "arabic-indic",
                      load_registry(ROOT / "fonts"))
    text = pdfium_text_of(stamper.render([stamper.text(1, 2, "مهدی\u200cزاده")]))
    assert "مهدی\u200cزاده" in text


def pdfium_text_of(data: bytes) -> str:
    document = pypdfium2.PdfDocument(data)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


# Bad recipients files -------------------------------------------------------

BAD_FILES = {
    "missing name column": ("recipient,email\nسارة,s@example.org\n".encode(),
                            "line 1: name: missing column; the header has: recipient, email"),
    "empty name": ("name,email\nسارة,s@example.org\n ,x@example.org\n".encode(),
                   "line 3: name: empty; every recipient needs a name"),
    "duplicate": ("name,email\nسارة الخطيب,a@example.org\nعمر,b@example.org\nسارة  الخطيب,c@example.org\n"
                  .encode(), "line 4: name: 'سارة الخطيب' is also on line 2; each recipient gets one copy"),
    # a Persian keyboard's yeh and keheh are drawn as the Arabic letters: two copies, one name
    "drawn alike": ("name\nسيد كريم\nعلى حسن\nسید کريم\n".encode(),
                    "line 4: name: 'سید کريم' is also on line 2 as 'سيد كريم' (case, tashkeel, tatweel, "
                    "invisible characters and letters drawn alike are not told apart); each recipient "
                    "gets one copy"),
    "bad encoding": ("name\nسارة\n".encode() + "عمر\n".encode("cp1256"),
                     "line 3: not UTF-8: byte 0xDA at column 1; save the file as UTF-8"),
    # Excel's "Unicode Text": was "line 1: not UTF-8: byte 0xFF at column 1"
    "utf-16": ("name\temail\nسارة\ts@example.org\n".encode("utf-16"),
               "line 1: UTF-16 text, not UTF-8; save the file as UTF-8 (in Excel: CSV UTF-8)"),
    "field count": ("name,email\nسارة,a@example.org,extra\n".encode(),
                    "line 2: 3 field(s) where the header has 2"),
    "no glyph": ("name\nسارة \u263a\n".encode(),
                 "line 2: name: no shipped font has a glyph for '\u263a' (U+263A WHITE SMILING FACE); "
                 "add a font to fonts/ or change the text"),
    "empty file": (b"", "line 1: name: empty file; the first line names the columns, one of them 'name'"),
    "header only": (b"name,email\n",
                    "line 2: name: no recipients; add a line per recipient under the header"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_a_bad_recipients_file_is_refused_with_its_line_and_field(case: str, tmp_path: Path) -> None:
    data, message = BAD_FILES[case]
    recipients = tmp_path / "recipients.csv"
    recipients.write_bytes(data)
    code, out, err = make(tmp_path / "out", recipients)
    assert (code, out) == (2, "")
    assert err.splitlines()[0] == f"{recipients}: {message}"
    assert not (tmp_path / "out").exists()


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    recipients = write_csv(tmp_path / "r.csv", [("سارة",), (" ",), ("سارة",)], header="name")
    code, _, err = make(tmp_path / "out", recipients)
    assert code == 2
    assert [line.split(": ")[1] for line in err.splitlines()] == ["line 3", "line 4"]


def test_a_failed_run_leaves_the_copies_in_place_untouched(made: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    assert make(out, write_csv(tmp_path / "r.csv", RECIPIENTS[:2]))[0] == 0
    folder = out / PUBLICATION / "decision-makers" / "copies"
    before = {path.name: path.read_bytes() for path in folder.iterdir()}
    calls = []

    def failing(self: CopyStamper, stamp_page: PageObject, drop: float = 0.0) -> bytes:
        calls.append(1)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return original(self, stamp_page, drop)

    original = CopyStamper.stamp
    monkeypatch.setattr(CopyStamper, "stamp", failing)
    code, _, err = make(out, write_csv(tmp_path / "r4.csv", RECIPIENTS))
    assert code == 1 and "No space left on device" in err
    assert {path.name: path.read_bytes() for path in folder.iterdir()} == before
    assert sorted(path.name for path in folder.parent.iterdir()) == ["copies"]


@pytest.mark.parametrize("change", ["added", "removed"])
def test_a_recipients_file_saved_again_during_the_run_is_refused(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch,
                                                                 change: str) -> None:
    """The file is read twice, before and after the render. A row added in between made a third
    copy stamped «نسخة رقم ٣ من ٢» and a `copies.json` whose count said 2; now nothing is written."""
    import briefpress.copies

    recipients = write_csv(tmp_path / "r.csv", RECIPIENTS[:2] if change == "added" else RECIPIENTS[:3])
    real = briefpress.copies.make_pdf

    def saved_again(*args: object, **kwargs: object) -> object:
        rows = RECIPIENTS[:3] if change == "added" else RECIPIENTS[:2]
        write_csv(recipients, rows)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(briefpress.copies, "make_pdf", saved_again)
    code, out, err = make(tmp_path / "out", recipients)
    counts = (2, 3) if change == "added" else (3, 2)
    assert (code, out) == (2, "")
    assert err.splitlines() == [f"{recipients}: changed while the copies were made: {counts[0]} "
                                f"recipient(s) when checked, {counts[1]} when read again; nothing was "
                                "written, run again once the file is saved"]
    assert not list((tmp_path / "out").rglob("*.pdf"))
    assert not (tmp_path / "out" / PUBLICATION / "decision-makers" / "copies").exists()


PAUSE_AT_THIRD_COPY = """
    import sys, time
    from pathlib import Path
    from briefpress.output.copies import CopyStamper
    real, stamped = CopyStamper.stamp, []

    def stamp(self, stamp_page, drop=0.0):
        stamped.append(stamp_page)
        if len(stamped) == 3:  # two copies are staged
            Path(sys.argv[1]).write_text("staged")
            time.sleep(600)
        return real(self, stamp_page, drop)

    CopyStamper.stamp = stamp
    from briefpress.cli import main
    sys.exit(main(sys.argv[2:]))
"""

PAUSE_AFTER_THIRD_RENAME = """
    import os, sys, time
    from pathlib import Path
    real, renamed = os.replace, []

    def replace(source, target):
        real(source, target)
        renamed.append(target)
        if len(renamed) == 3:  # the commit record and two copies are in place
            Path(sys.argv[1]).write_text("paused")
            time.sleep(600)

    os.replace = replace
    from briefpress.cli import main
    sys.exit(main(sys.argv[2:]))
"""


def _killed_at(script: str, out: Path, recipients: Path, marker: Path) -> None:
    """Run `copies` in a child and kill it with SIGKILL once it writes `marker`."""
    child = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(script), str(marker), "--project", str(ROOT), "copies",
         "--audience", "decision-makers", "--doc", "brief", "--recipients", str(recipients),
         "--publication", PUBLICATION, "--out", str(out)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 300
        while not marker.exists():
            if child.poll() is not None:
                pytest.fail(f"the run ended early ({child.returncode}): {child.communicate()[1]}")
            assert time.monotonic() < deadline, "the run never paused"
            time.sleep(0.05)
    finally:
        child.kill()
        child.communicate()
    assert child.returncode == -signal.SIGKILL


def _consistent(folder: Path) -> list[str]:
    """The files `copies.json` lists, once every one is there with its sha256 and nothing else is."""
    index = json.loads((folder / "copies.json").read_text(encoding="utf-8"))
    listed = [entry["file"] for entry in index["copies"]]
    assert sorted(path.name for path in folder.iterdir()) == sorted([*listed, "copies.json"])
    for entry in index["copies"]:
        assert hashlib.sha256((folder / entry["file"]).read_bytes()).hexdigest() == entry["sha256"]
    return listed


def test_a_killed_run_changes_nothing_and_the_next_run_removes_what_it_staged(tmp_path: Path) -> None:
    """A kill -9 while copies are stamped leaves the last set as it was; the next run clears up
    (a killed run used to leave `.copies.*.staging/` with partial copies, never removed)."""
    out = tmp_path / "out"
    assert make(out, write_csv(tmp_path / "two.csv", RECIPIENTS[:2]))[0] == 0
    folder = out / PUBLICATION / "decision-makers" / "copies"
    before = {path.name: path.read_bytes() for path in folder.iterdir()}

    _killed_at(PAUSE_AT_THIRD_COPY, out, write_csv(tmp_path / "four.csv", RECIPIENTS), tmp_path / "staged")

    assert {path.name: path.read_bytes() for path in folder.iterdir()} == before
    staged = out / ".briefpress" / "staging" / PUBLICATION / "decision-makers" / "copies"
    assert sorted(path.name for path in staged.glob("*.pdf")) == ["001-سارة-الخطيب.pdf", "002-john-smith.pdf"]
    assert sorted(path.name for path in folder.parent.iterdir()) == ["copies"]
    legacy = folder.parent / ".copies.k2x9q1.staging"  # what older versions left when killed
    legacy.mkdir()
    (legacy / "001-سارة-الخطيب.pdf").write_bytes(b"%PDF-1.7 cut off")

    code, _, err = make(out, write_csv(tmp_path / "three.csv", RECIPIENTS[:3]))

    assert (code, err) == (0, "")
    assert not (out / ".briefpress" / "staging").exists()
    assert sorted(path.name for path in folder.parent.iterdir()) == ["copies"]
    assert _consistent(folder) == ["001-سارة-الخطيب.pdf", "002-john-smith.pdf", "003-عمر-بن-خالد.pdf"]


def test_a_run_killed_during_its_commit_is_finished_by_the_next_run(tmp_path: Path) -> None:
    """A kill -9 between the renames of the commit; the next run into the folder, a build
    here, moves the rest of the set into place before it does anything else."""
    out = tmp_path / "out"
    assert make(out, write_csv(tmp_path / "two.csv", RECIPIENTS[1:3]))[0] == 0
    folder = out / PUBLICATION / "decision-makers" / "copies"

    _killed_at(PAUSE_AFTER_THIRD_RENAME, out, write_csv(tmp_path / "four.csv", RECIPIENTS),
               tmp_path / "paused")

    index = json.loads((folder / "copies.json").read_text(encoding="utf-8"))
    assert index["count"] == 2  # the new copies.json is not in place yet
    assert (folder / "001-سارة-الخطيب.pdf").exists()  # but new copies are

    code, _, err = run("build", "--publication", PUBLICATION, "--doc", "annex", "--audience", "general",
                       "--out", str(out))

    assert (code, err) == (0, "")
    assert not (out / ".briefpress" / "staging").exists()
    assert _consistent(folder) == ["001-سارة-الخطيب.pdf", "002-john-smith.pdf", "003-عمر-بن-خالد.pdf",
                                   "004-مريم-حداد.pdf"]


def test_the_recipients_are_read_one_at_a_time(tmp_path: Path) -> None:
    """10,000 recipients are checked in one pass and read lazily, never held as a list."""
    path = tmp_path / "many.csv"
    with path.open("w", encoding="utf-8") as stream:
        stream.write("name,email\n")
        for number in range(10_000):
            stream.write(f"مستلم {number},r{number}@example.org\n")
    registry = load_registry(ROOT / "fonts")
    assert count_recipients(path, "many.csv", registry) == 10_000
    reading = read_recipients(path, "many.csv", registry)
    assert not isinstance(reading, list)
    assert next(reading).line == 2


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_a_recipients_file_saved_with_windows_or_mac_line_ends_is_read(tmp_path: Path,
                                                                       newline: str) -> None:
    """Excel for Mac's "CSV (Macintosh)" ends each line with CR alone: the file was refused as
    "malformed CSV: new-line character seen in unquoted field - do you need to open the file in
    universal-newline mode?"."""
    path = tmp_path / "recipients.csv"
    rows = ["name,email", "سارة الخطيب,s@example.org", "عمر,", '"Smith, John",j@example.org', ""]
    path.write_bytes(newline.join(rows).encode())
    registry = load_registry(ROOT / "fonts")
    assert count_recipients(path, "recipients.csv", registry) == 3
    assert [(item.line, item.name, item.fields["email"])
            for item in read_recipients(path, "recipients.csv", registry)] == [
        (2, "سارة الخطيب", "s@example.org"), (3, "عمر", ""), (4, "Smith, John", "j@example.org")]


def test_rows_of_empty_fields_that_excel_saves_are_passed_over(tmp_path: Path) -> None:
    """Excel saves a row it once used, since cleared, as `,,`: each was refused as
    "name: empty; every recipient needs a name", a recipient nobody typed."""
    path = tmp_path / "recipients.csv"
    rows = ["name,email,org", "سارة الخطيب,s@example.org,", ",,", "عمر,,", ",,", ",,", ""]
    path.write_bytes(codecs.BOM_UTF8 + "\r\n".join(rows).encode())
    registry = load_registry(ROOT / "fonts")
    assert count_recipients(path, "recipients.csv", registry) == 2
    assert [(item.line, item.name) for item in read_recipients(path, "recipients.csv", registry)] == [
        (2, "سارة الخطيب"), (4, "عمر")]


@pytest.mark.parametrize("separator", ["\t", ";"])
def test_a_recipients_file_separated_by_tabs_or_semicolons_is_read(tmp_path: Path,
                                                                   separator: str) -> None:
    """A TSV, and Excel's "CSV UTF-8" where the list separator is `;`, were refused as
    "name: missing column; the header has: name;email", a header that has the column."""
    path = tmp_path / "recipients.csv"
    rows = [f"name{separator}email", f"سارة الخطيب{separator}s@example.org",
            f"Smith, John{separator}j@example.org", ""]
    path.write_bytes(codecs.BOM_UTF8 + "\r\n".join(rows).encode())
    registry = load_registry(ROOT / "fonts")
    assert count_recipients(path, "recipients.csv", registry) == 2
    assert [(item.line, item.name, item.fields["email"])
            for item in read_recipients(path, "recipients.csv", registry)] == [
        (2, "سارة الخطيب", "s@example.org"), (3, "Smith, John", "j@example.org")]


@pytest.mark.parametrize(("name", "expected"), [
    ("سارة الخطيب", "سارة-الخطيب"),
    ("John O'Brien, PhD", "john-o-brien-phd"),
    ("مُحَمَّد عبـــد الله", "محمد-عبد-الله"),
    ("—", ""),
    ("Office 12", "office-12"),
    ("İbrahim Çelik", "ibrahim-çelik"),  # no combining dot from the capital's lower case
    ("José Müller", "josé-müller"),
])
def test_slugs_keep_letters_and_digits_of_any_script(name: str, expected: str) -> None:
    assert slug(name) == expected


def test_a_name_with_nothing_for_a_slug_gets_the_number_alone() -> None:
    assert copy_file_name(7, 50, "—") == "007.pdf"
    assert copy_file_name(7, 1200, "سارة") == "0007-سارة.pdf"


def test_copies_of_the_print_edition_pass_the_pdfx_preflight(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, _, err = make(out, write_csv(tmp_path / "r.csv", RECIPIENTS[:1]), audience="print")
    assert (code, err) == (0, "")
    copy = next((out / PUBLICATION / "print" / "copies").glob("001-*.pdf"))
    code, report, _ = run("check", str(copy))
    assert code == 0 and "  ok   pdf/x-4:" in report


def test_a_name_too_long_for_the_stamp_line_of_the_page_is_refused(scratch_project: Project,
                                                                  tmp_path: Path) -> None:
    """On A5 a 72-character name wrapped the stamp to two lines, which climbed over the page
    number and the marking: each such name and its line are named, all at once (only the first
    was), and no copy is written."""
    (scratch_project.templates_dir / "audiences" / "a5.yaml").write_text(
        "name: a5\ndescription: نسخ بحجم A5\ndocuments: [brief]\npaper: A5\nmarking: للتداول الرسمي\n",
        encoding="utf-8")
    name = "Permanent Mission of the Democratic People's Republic of Korea to the UN"
    other = "Office of the Special Envoy of the Secretary-General for the Korean Peninsula"
    recipients = write_csv(tmp_path / "r.csv", [RECIPIENTS[0], (name, "", ""), RECIPIENTS[1],
                                                (other, "", "")])
    out = tmp_path / "out"
    code, _, err = run("--project", str(scratch_project.root), "copies", "--audience", "a5", "--doc",
                       "brief", "--recipients", str(recipients), "--publication", PUBLICATION,
                       "--out", str(out))
    assert code == 2
    assert err.splitlines()[:2] == [
        f"{recipients}: line {line}: name: the stamp for '{long}' takes two lines on this edition's "
        "148 mm wide page, where it would cover the footer; shorten the name"
        for line, long in ((3, name), (5, other))]
    assert not list(out.rglob("*.pdf"))


def _quiet_cli(root: Path, *argv: str) -> tuple[int, str]:
    """`briefpress --project root ...`: its exit code and output, with nothing on stderr."""
    stdout, stderr = io.StringIO(), io.StringIO()
    code = main(["--project", str(root), *argv], stdout=stdout, stderr=stderr)
    assert stderr.getvalue() == ""
    return code, stdout.getvalue()


def test_a_build_that_changes_the_document_removes_its_stale_copies(scratch_project: Project,
                                                                    tmp_path: Path) -> None:
    """Copies made of the press brief stayed beside it after a paragraph was tagged away from the
    press and the brief built again: 50 copies still carrying the paragraph, and nothing said.
    A build that leaves the document other than its copies were made from removes them, and
    says so; an unchanged build, or one of another document, leaves them."""
    root, out = scratch_project.root, tmp_path / "out"

    def cli(*argv: str) -> tuple[int, str]:
        return _quiet_cli(root, *argv)

    selection = ("--publication", PUBLICATION, "--audience", "press")
    assert cli("build", "--out", str(out), *selection)[0] == 0
    assert cli("copies", "--audience", "press", "--doc", "brief", "--publication", PUBLICATION,
               "--recipients", str(write_csv(tmp_path / "r.csv", RECIPIENTS[:2])),
               "--out", str(out))[0] == 0
    folder = out / PUBLICATION / "press" / "copies"
    made = sorted(path.name for path in folder.iterdir())
    assert len(made) == 3
    assert cli("build", "--out", str(out), *selection, "--force")[0] == 0
    facts = root / "content" / PUBLICATION / "facts.yaml"
    facts.write_text(facts.read_text(encoding="utf-8").replace("\n", "\n# a comment\n", 1), encoding="utf-8")
    assert cli("build", "--out", str(out), *selection)[0] == 0  # the brief is as it was
    assert sorted(path.name for path in folder.iterdir()) == made
    brief = root / "content" / PUBLICATION / "brief.md"
    brief.write_text(brief.read_text(encoding="utf-8") + "\nفقرة أضيفت بعد صنع النسخ.\n", encoding="utf-8")
    code, said = cli("build", "--out", str(out), *selection)
    assert code == 0 and not folder.exists()
    assert (f"removed {PUBLICATION}/press/copies/: its 2 numbered copies were made from another "
            "version of their document; make them again with `briefpress copies`") in said
    assert (out / PUBLICATION / "press" / "brief.pdf").is_file()


def test_copies_of_an_edit_since_undone_are_removed_by_the_next_build(scratch_project: Project,
                                                                      tmp_path: Path) -> None:
    """Copies made after a paragraph was added to brief.md, the paragraph then taken out again,
    stayed beside the brief: every source was as the last build had left it, so the build loaded
    nothing, said `0 rendered, 2 unchanged` and never looked at the copies, which carried a
    paragraph the edition does not. They are removed, and said, as copies of another version."""
    root, out = scratch_project.root, tmp_path / "out"

    def cli(*argv: str) -> tuple[int, str]:
        return _quiet_cli(root, *argv)

    selection = ("--publication", PUBLICATION, "--audience", "press")
    assert cli("build", "--out", str(out), *selection)[0] == 0
    brief = root / "content" / PUBLICATION / "brief.md"
    before = brief.read_bytes()
    brief.write_text(before.decode("utf-8") + "\nفقرة من مسودة لم تعتمد بعد.\n", encoding="utf-8")
    assert cli("copies", "--audience", "press", "--doc", "brief", "--publication", PUBLICATION,
               "--recipients", str(write_csv(tmp_path / "r.csv", RECIPIENTS[:2])),
               "--out", str(out))[0] == 0
    folder = out / PUBLICATION / "press" / "copies"
    assert len(list(folder.glob("*.pdf"))) == 2
    brief.write_bytes(before)
    code, said = cli("build", "--out", str(out), *selection)
    assert code == 0 and not folder.exists()
    assert (f"removed {PUBLICATION}/press/copies/: its 2 numbered copies were made from another "
            "version of their document; make them again with `briefpress copies`") in said
    assert cli("build", "--out", str(out), *selection)[1].endswith(
        f"(0 rendered, 2 unchanged); manifest: {out / 'manifest.json'}\n")
