"""Notes: each edition numbers the notes it shows, sets each at the foot of the page that calls it,
and leaves out a note its audience may not see, with its call.

The PDF checks run over every edition of every publication that has notes (the fixture
`cited-brief` has sixteen, one called from a foreword), read back from glyph positions: note
numbers at the foot of the page run 1 to n with no gap, in the edition's digits, each on the
page of its first call, with its number on the start side; notes are in a smaller size of the
body face, under a short rule on the start side.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pdfplumber
import pikepdf
import pypdfium2
import pytest

from briefpress.build import build
from briefpress.check.baseline import brief_html
from briefpress.check.geometry import Glyph, Line, pages
from briefpress.check.languages import problems as language_problems
from briefpress.check.languages import read_languages
from briefpress.check.printed import brief_text
from briefpress.check.textlayer import pdfium_text
from briefpress.layout.blocks import blocks_html
from briefpress.layout.html import render_html
from briefpress.layout.notes import NoteNumbers
from briefpress.printedtext import printed_brief
from briefpress.project import Project
from briefpress.source.audiences import Profile, select, visible_blocks
from briefpress.source.citations import bibliographic_order
from briefpress.source.markdown import parse_brief
from briefpress.source.model import Brief, Source
from briefpress.source.notes import calls
from briefpress.source.publication import load_publication

from conftest import CONTENT_FOLDERS, EDITIONS, PROFILES, PUBLICATIONS, ROOT, copy_project

BODY_SIZE = 12.5
NOTE_SIZE = 9.0  # base.css --size-small
DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")
ARABIC_INDIC = re.compile("[٠-٩]")


def _has_notes(publication: str) -> bool:
    folder = next(path for path in CONTENT_FOLDERS
                  if (path / publication).is_dir())
    return "[^" in (folder / publication / "brief.md").read_text(encoding="utf-8")


NOTED = [edition for edition in EDITIONS if _has_notes(edition[0])
         and "brief" in PROFILES[edition[1]].documents]


# --- numbering, on the model -------------------------------------------------------------------

BRIEF = """---
running_head: رأس
---

مقدمة[^a] فيها ملاحظتان[^b].

## الأول

نص[^c] ثم[^a] مرة ثانية، ونص عام[^secret].

## الثاني

نص[^d].

[^a]: ملاحظة أ.

[^b]: ملاحظة ب.

[^c]: ملاحظة ج.

{audience=sanctions-detail}
[^secret]: ملاحظة مقيدة.

[^d]: ملاحظة د.
"""


def _render(profile: Profile, restart: str = "document", style: str = "footnotes",
            source: str = BRIEF) -> list[str]:
    """The HTML of every call in `source`, in reading order, then the endnotes list, for `profile`."""
    brief, problems = parse_brief(source, "brief.md")
    assert problems == [] and brief is not None
    view = replace(brief, lead=visible_blocks(brief.lead, profile),
                   notes=tuple(note for note in brief.notes if profile.shows(note.tags)),
                   sections=tuple(replace(section, blocks=visible_blocks(section.blocks, profile))
                                  for section in brief.sections))
    numbers = NoteNumbers(view, style, restart, profile.digits, lambda note: note.label, lambda title: title)
    html = []
    for blocks in (view.lead, *(section.blocks for section in view.sections)):
        numbers.enter(list(blocks))
        html += [numbers.call(label) for block in blocks for label, _ in calls(block.tokens)]
    return [*html, str(numbers.endnotes_html("الهوامش"))]


def _number(html: str) -> str:
    """The number of the note a call's HTML holds, else of the call."""
    found = _note_numbers(html) or re.findall(r">([^<]+)</a>", html)
    return found[0] if found else ""


def _note_numbers(html: str) -> list[str]:
    """The numbers that open the notes in `html`, each in the note's own text."""
    return re.findall(r'<note-text class="(?:foot|end)note" id="[^"]+">([^<. ]+)\. ', html)


def test_an_edition_numbers_the_notes_it_shows_without_gaps() -> None:
    press = Profile(name="press", description="x", documents=["brief"], exclude=["sanctions-detail"])
    html = _render(press)
    assert [_number(part) for part in html[:6]] == ["1", "2", "3", "1", "", "4"]
    assert html[3] == '\u202f\u2060<a class="note-call" href="#note-1" role="doc-noteref">1</a>'  # [^a] again
    assert html[4] == ""  # the restricted note's call is left out with the note
    assert _note_numbers(html[5]) == ["4"]  # [^d]: no gap where [^secret] would be


HIDDEN_FIRST_CALL = """---
running_head: رأس
---

## الأول

{audience=sanctions-detail}
نص مقيد[^b].

نص عام[^a] ثم[^b].

[^a]: ملاحظة أ.

[^b]: ملاحظة ب.
"""


@pytest.mark.parametrize("style", ["footnotes", "endnotes"])
def test_a_note_s_id_is_its_number_in_the_edition_not_its_hidden_first_call(style: str) -> None:
    """A note first called in text an edition hides takes its id from its number there: an id
    in the order of the source's calls made the press edition's call «2» link to `note-1`, and a
    screen reader, which reads a note call by its target, announced it so."""
    press = Profile(name="press", description="x", documents=["brief"], exclude=["sanctions-detail"])
    html = _render(press, style=style, source=HIDDEN_FIRST_CALL)
    targets = [(re.findall(r'href="#([^"]+)"', part), _number(part)) for part in html[:2]]
    prefix = "end-" if style == "endnotes" else ""
    assert targets == [([f"{prefix}note-1"], "1"), ([f"{prefix}note-2"], "2")]


def test_an_edition_that_sees_a_tagged_note_numbers_it() -> None:
    general = Profile(name="general", description="x", documents=["brief"], include=["sanctions-detail"],
                      digits="arabic-indic")
    html = _render(general)
    assert _note_numbers(html[4]) == ["٤"] and ">ملاحظة" not in html[4] and "secret" in html[4]
    assert _note_numbers(html[5]) == ["٥"]


def test_numbering_may_restart_in_each_section() -> None:
    press = Profile(name="press", description="x", documents=["brief"], exclude=["sanctions-detail"])
    html = _render(press, restart="section")
    assert _note_numbers(html[2]) == ["1"] and 'id="note-section-1-1"' in html[2]  # [^c], section 1
    assert _note_numbers(html[3]) == ["2"]  # [^a]: first called in this section, numbered here
    assert _note_numbers(html[5]) == ["1"]  # [^d] opens section 2's count


def test_endnotes_link_every_call_to_one_list() -> None:
    press = Profile(name="press", description="x", documents=["brief"], exclude=["sanctions-detail"])
    html = _render(press, style="endnotes")
    assert html[0] == '\u202f\u2060<a class="note-call" href="#end-note-1" role="doc-noteref">1</a>'
    endnotes = html[-1]
    assert endnotes.startswith('<section class="endnotes"><h2>الهوامش</h2>')
    assert re.findall(r'id="end-note-(\d+)">(\d+)\. ', endnotes) == [
        ("1", "1"), ("2", "2"), ("3", "3"), ("4", "4")]


def test_endnotes_numbered_in_each_section_follow_its_heading() -> None:
    """Endnotes numbered again in each section are listed under their section's heading: one
    list of «1. 2. 1. 2. 1.» left a reader unable to tell which note a call meant."""
    press = Profile(name="press", description="x", documents=["brief"], exclude=["sanctions-detail"])
    endnotes = _render(press, restart="section", style="endnotes")[-1]
    read = [heading or number for heading, number in re.findall(
        r'<h3 class="endnotes-section">([^<]+)</h3>|id="end-note-[^"]+">(\d+)\. ', endnotes)]
    assert read == ["1", "2", "الأول", "1", "2", "الثاني", "1"]
    assert "<h3" not in _render(press, style="endnotes")[-1]  # numbered through: one list


def test_the_measured_text_numbers_notes_as_the_edition_does() -> None:
    """The text the reader families are measured against (`brief_text`, and plain WeasyPrint's
    page) numbers notes as the edition prints them: again in each section, a note called in two
    sections listed in each. Numbered through, it had the edition lose every number it printed."""
    press = Profile(name="press", description="x", documents=["brief"], exclude=["sanctions-detail"])
    brief, problems = parse_brief(BRIEF, "brief.md")
    assert problems == [] and brief is not None
    view = replace(brief, notes=tuple(note for note in brief.notes if press.shows(note.tags)),
                   sections=tuple(replace(section, blocks=visible_blocks(section.blocks, press))
                                  for section in brief.sections))
    lines = brief_text(view, restart="section").splitlines()
    assert lines[-5:] == ["1. ملاحظة أ.", "2. ملاحظة ب.", "1. ملاحظة ج.", "2. ملاحظة أ.", "1. ملاحظة د."]
    assert lines[0] == "مقدمة 1 فيها ملاحظتان 2."
    page = brief_html(view, "عنوان", "ar", "rtl", restart="section")
    assert re.findall(r"<sup>(\d+)</sup>", page) == ["1", "2", "1", "2", "1"]
    assert brief_text(view).splitlines()[-4:] == ["1. ملاحظة أ.", "2. ملاحظة ب.", "3. ملاحظة ج.",
                                                  "4. ملاحظة د."]


def test_the_printed_text_writes_a_call_after_a_latin_run_in_the_edition_s_digits(tmp_path: Path) -> None:
    """`briefpress text` writes every call's number in the edition's digits, as the page prints
    it: after a Latin run (`UNCTAD.`, a phone number, a URL) the number was taken into the run
    and written `UNCTAD. 1` where an Arabic-Indic edition's page prints «١»."""
    project = _cited_brief_project(tmp_path / "project")
    brief = project.content_dir / "cited-brief" / "brief.md"
    brief.write_text(brief.read_text(encoding="utf-8").replace(
        "التجارة البحرية العالمية،[^share]", "التجارة البحرية العالمية وفق UNCTAD.[^share]"),
        encoding="utf-8")
    lines = printed_brief(project, "decision-makers", "cited-brief").splitlines()
    assert "العالمية وفق UNCTAD. ١ وقد" in lines[0], lines[0]
    assert "UNCTAD. 1" not in "\n".join(lines)


# --- the PDF: every edition of every publication with notes ---------------------------------

def _marker(line: Line, rtl: bool) -> str | None:
    """The note number that starts a line at the foot of the page (`١.` on the start side), if any."""
    ordered = sorted(line.glyphs, key=lambda glyph: -glyph.x0 if rtl else glyph.x0)
    digits: list[Glyph] = []
    for glyph in ordered:
        if glyph.text.translate(DIGITS).isdigit():
            digits.append(glyph)
            continue
        if glyph.text == "." and digits:
            return "".join(g.text for g in sorted(digits, key=lambda g: g.x0))
        return None
    return None


def _raised_digits(pdf: Path) -> list[tuple[int, str]]:
    """(page, number) of every call mark: the digits drawn inside each link to a note (pdfium's
    glyph boxes against the link annotations' rectangles), in page order."""
    found: list[tuple[int, str]] = []
    document = pypdfium2.PdfDocument(str(pdf))
    with pikepdf.open(pdf) as linked:
        for number, (page, annotated) in enumerate(zip(document, linked.pages, strict=True), start=1):
            text = page.get_textpage()
            boxes = [(text.get_text_range(index, 1), text.get_charbox(index, loose=False))
                     for index in range(text.count_chars())]
            for annotation in annotated.get("/Annots", []):
                if annotation.get("/Subtype") != "/Link" or not str(annotation.get("/Dest", "")).startswith(
                        ("note-", "end-note-")):
                    continue
                x0, y0, x1, y1 = (float(value) for value in annotation.Rect)
                digits = sorted((box[0], character) for character, box in boxes
                                if character.translate(DIGITS).isdigit()
                                and x0 - 0.5 <= (box[0] + box[2]) / 2 <= x1 + 0.5
                                and min(y0, y1) - 0.5 <= (box[1] + box[3]) / 2 <= max(y0, y1) + 0.5)
                found.append((number, "".join(character for _, character in digits)))
    return found


def _notes_and_calls(pdf: Path, rtl: bool) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """(page, number) of every note's marker and of every call, in page order."""
    notes = [(page.number, marker) for page in pages(pdf) for line in page.lines
             if all(abs(glyph.size - NOTE_SIZE) < 0.1 and "Amiri" in glyph.font for glyph in line.glyphs)
             and (marker := _marker(line, rtl))]
    return notes, _raised_digits(pdf)


def _notes_per_count(view: Brief, profile: Profile) -> list[int]:
    """How many notes each count of the edition numbers: one count through the document, or one
    for the lead and one for each section (`notes_restart: section`), where a note called in two
    sections is a note of each."""
    shown = {note.label for note in view.notes}
    scopes = [list(view.blocks())] if profile.notes_restart == "document" else [
        [inner for block in (*view.forewords, *view.lead) for inner in block.walk()],
        *(list(section.walk()) for section in view.sections)]
    return [len({label for block in blocks for label, _ in calls(block.tokens)} & shown)
            for blocks in scopes]


@pytest.mark.parametrize("noted", NOTED, ids="/".join)
def test_notes_sit_at_the_foot_of_the_page_that_calls_them(built: Path, project: Project,
                                                          noted: tuple[str, str]) -> None:
    """As footnotes, each note is on the page of its first call; as endnotes, after the text."""
    publication, audience = noted
    profile = PROFILES[audience]
    rtl = PUBLICATIONS[publication]["direction"] == "rtl"
    pdf = built / publication / audience / "brief.pdf"
    notes, found_calls = _notes_and_calls(pdf, rtl)
    view = select(load_publication(project, publication), profile).brief
    expected = [str(n) for count in _notes_per_count(view, profile) for n in range(1, count + 1)]
    numbers = [number.translate(DIGITS) for _, number in notes]
    assert numbers == expected  # no gap, in order
    arabic_indic = profile.digits == "arabic-indic" and rtl  # an English brief counts in Latin digits
    assert all(bool(ARABIC_INDIC.search(number)) == arabic_indic for _, number in notes + found_calls)
    assert {number for _, number in found_calls} == {number for _, number in notes}
    if profile.notes_restart == "section":
        return  # a number stands for a note of each section: the pages pair no number alone
    first_call: dict[str, int] = {}
    for page, number in found_calls:
        first_call.setdefault(number, page)
    if profile.notes == "footnotes":
        assert {number: page for page, number in notes} == {number: first_call[number] for _, number in notes}
    else:
        assert min(page for page, _ in notes) >= max(first_call.values())


@pytest.mark.parametrize("noted", NOTED, ids="/".join)
def test_a_note_s_number_and_rule_are_on_the_start_side(built: Path, noted: tuple[str, str]) -> None:
    publication, audience = noted
    rtl = PUBLICATIONS[publication]["direction"] == "rtl"
    pdf = built / publication / audience / "brief.pdf"
    read = pages(pdf)
    with pdfplumber.open(str(pdf)) as document:
        for page, plumbed in zip(read, document.pages, strict=True):
            note_lines = [line for line in page.lines if _marker(line, rtl)
                          and all(abs(glyph.size - NOTE_SIZE) < 0.1 for glyph in line.glyphs)]
            if not note_lines:
                continue
            for line in note_lines:
                marker = [glyph for glyph in line.glyphs if glyph.text.translate(DIGITS).isdigit()]
                edge = max(glyph.x1 for glyph in marker) if rtl else min(glyph.x0 for glyph in marker)
                assert edge == (line.x1 if rtl else line.x0)
            if PROFILES[audience].notes == "endnotes":
                continue  # gathered after the text, under a heading: no rule
            rules = [rect for rect in plumbed.rects if rect["height"] < 1
                     and rect["top"] < min(line.top for line in note_lines)]
            rule = max(rules, key=lambda rect: rect["top"])  # the one just above the notes
            width = plumbed.width
            assert rule["x1"] - rule["x0"] < width / 3
            assert (rule["x1"] > width * 0.8) if rtl else (rule["x0"] < width * 0.2)


@pytest.mark.parametrize("noted", NOTED, ids="/".join)
def test_every_note_is_a_note_element_that_its_calls_link_to(built: Path, project: Project,
                                                            noted: tuple[str, str]) -> None:
    """PDF/UA-1 7.9: a note is tagged /Note with an /ID of its own; each call is a link to it."""
    publication, audience = noted
    view = select(load_publication(project, publication), PROFILES[audience]).brief
    called = [label for block in view.blocks() for label, _ in calls(block.tokens)
              if label in {note.label for note in view.notes}]
    with pikepdf.open(built / publication / audience / "brief.pdf") as pdf:
        ids = [str(node.ID) for node in _structure(pdf.Root.StructTreeRoot.K) if node.S == "/Note"]
        links = [annotation for page in pdf.pages for annotation in page.get("/Annots", [])
                 if annotation.get("/Subtype") == "/Link" and "/Dest" in annotation
                 and str(annotation.Dest).startswith(("note-", "end-note-"))]
        targets = [str(annotation.Dest) for annotation in links]
        heights = [abs(float(annotation.Rect[3]) - float(annotation.Rect[1])) for annotation in links]
        destinations = {str(name) for name in pdf.Root.Names.Dests.Names[::2]}
    assert len(ids) == sum(_notes_per_count(view, PROFILES[audience])) and len(set(ids)) == len(ids)
    assert len(targets) == len(called) and set(targets) <= destinations
    assert all(height > 4 for height in heights), "a call's link must have an area to click"


def _structure(node: object) -> Iterator[pikepdf.Dictionary]:
    if isinstance(node, pikepdf.Array):
        for child in node:
            yield from _structure(child)
    elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
        yield node
        yield from _structure(node.get("/K"))


def test_a_tagged_note_and_its_call_stay_out_of_an_edition_that_excludes_the_tag(built: Path) -> None:
    press = pdfium_text(built / "cited-brief" / "press" / "brief.pdf")
    general = pdfium_text(built / "cited-brief" / "general" / "brief.pdf")
    panel = "التقرير المرحلي إلى لجنة العقوبات"  # the tagged note's source, cited only there
    assert panel not in press and panel in general
    assert "فريق الخبراء" not in press


def _cited_brief_project(root: Path) -> Project:
    """A project at `root` whose content is the fixture cited-brief alone."""
    return copy_project(root, only="cited-brief")


def test_endnotes_gather_every_note_after_the_last_section(tmp_path: Path) -> None:
    project = _cited_brief_project(tmp_path / "project")
    profile = project.templates_dir / "audiences" / "press.yaml"
    profile.write_text(profile.read_text(encoding="utf-8") + "notes: endnotes\nsources_list: true\n",
                       encoding="utf-8")
    out = tmp_path / "out"
    build(project, out, documents=["brief"], audiences=["press"])
    pdf = out / "cited-brief" / "press" / "brief.pdf"
    text = pdfium_text(pdf)
    assert text.rindex("الهوامش") > text.index("إشراك المنظمات الإقليمية")  # after the last section
    document = pypdfium2.PdfDocument(str(pdf))
    heading_page = max(index + 1 for index in range(len(document))
                       if "الهوامش" in document[index].get_textpage().get_text_range())
    notes, found_calls = _notes_and_calls(pdf, rtl=True)
    assert [number for _, number in notes] == [str(n) for n in range(1, 16)]
    assert {page for page, _ in notes} >= {heading_page} and min(page for page, _ in notes) >= heading_page
    assert {number for _, number in found_calls} == {str(n) for n in range(1, 16)}
    # press cites no source the tagged section alone cites
    sources = text[text.index("المصادر", text.index("وفي الختام")):]
    assert "فريق الخبراء" not in sources and "التقرير المرحلي" not in text
    assert "مجلس الأمن" in sources


def test_a_long_endnote_is_one_note_element_on_one_page(tmp_path: Path) -> None:
    """An endnote is kept whole on its page (it is at most 2,000 characters): one broken across
    two pages was two /Note elements, each with an /ID, where a screen reader met two notes."""
    project = _cited_brief_project(tmp_path / "project")
    profile = project.templates_dir / "audiences" / "press.yaml"
    profile.write_text(profile.read_text(encoding="utf-8") + "notes: endnotes\n", encoding="utf-8")
    sentence = "يتناول هذا الهامش الطويل تفاصيل الموضوع ومصادره وحدوده بتوسع يكفي لملء عدة أسطر، "
    brief = project.content_dir / "cited-brief" / "brief.md"
    brief.write_text(brief.read_text(encoding="utf-8") + "".join(
        f"\n## قسم {n}\n\nفقرة تستدعي هامشاً طويلاً.[^n{n}]\n" for n in range(1, 9)) + "".join(
        f"\n[^n{n}]: {sentence * 21}انتهى.\n" for n in range(1, 9)), encoding="utf-8")
    out = tmp_path / "out"
    build(project, out, documents=["brief"], audiences=["press"])
    with pikepdf.open(out / "cited-brief" / "press" / "brief.pdf") as pdf:
        pages_of = [{str(node.Pg.objgen) for node in _structure(node.get("/K")) if "/Pg" in node}
                    | ({str(node.Pg.objgen)} if "/Pg" in node else set())
                    for node in _structure(pdf.Root.StructTreeRoot.K) if node.S == "/Note"]
    assert len(pages_of) == 15 + 8  # the fixture's notes that press shows, and these
    assert all(len(pages) == 1 for pages in pages_of), pages_of


def test_a_sources_list_is_in_arabic_bibliographic_order(project: Project) -> None:
    """Arabic-script works first, alphabetically with `ال` and hamza forms set aside, then the
    others; the list holds what the edition's text cites, each entry in its own direction."""
    researchers = PROFILES["researchers"]
    view = select(load_publication(project, "cited-brief"), researchers)
    html = render_html(project, view, "brief", researchers).html
    entries = re.findall(r'<p class="source"( dir="ltr" lang="en")?>([^<]*)</p>', html)
    authors = [text.split("،")[0].split(",")[0].strip("\u2066\u2067\u2069") for _, text in entries]
    assert authors == ["الأمم المتحدة", "فريق الخبراء", "مجلس الأمن", "هيئة قناة السويس", "UNCTAD"]
    assert [direction for direction, _ in entries] == ["", "", "", "", ' dir="ltr" lang="en"']
    assert [source.title for source in bibliographic_order([
        Source(id="b", title="Zeta"), Source(id="a", title="أبحاث"), Source(id="c", title="البحر"),
        Source(id="d", title="alpha"), Source(id="e", title="إدارة")])] == [
        "أبحاث", "إدارة", "البحر", "alpha", "Zeta"]


def test_words_or_a_page_inside_a_citation_s_brackets_are_an_error_and_an_e_mail_is_text() -> None:
    """`[see @id, p. 4]` (a prefix and a locator, as other tools write them) was printed as
    typed, its @ and all; an e-mail address in brackets is text."""
    def problems(line: str) -> list[str]:
        _, found = parse_brief(f"---\nrunning_head: رأس\n---\n\n## قسم\n\n{line}\n", "brief.md")
        return [problem.message.split(" is not a citation")[0] for problem in found]

    assert problems("كما ورد [انظر @unctad-2024، ص 4] في التقرير.") == ["'[انظر @unctad-2024، ص 4]'"]
    assert problems("كما ورد [see @unctad-2024, p. 4].") == ["'[see @unctad-2024, p. 4]'"]
    assert problems("راسلونا [info@example.org] أو [عبر البريد: press@example.org].") == []


def test_a_citation_is_punctuated_by_the_text_around_it(project: Project) -> None:
    """`[@id]، المعتمد ...` prints the source then the author's comma, never `(2024).، `; an entry
    of a sources list ends with a full stop."""
    researchers = PROFILES["researchers"]
    html = render_html(project, select(load_publication(project, "cited-brief"), researchers),
                       "brief", researchers).html
    plain = re.sub("[\u2066-\u2069\u200e\u200f\u2060]", "", re.sub("<[^>]+>", "", html))
    assert "S/RES/2722 (2024)، المعتمد" in plain
    assert not re.search(r"\.[.،]", plain.replace("...", ""))
    entries = re.findall(r'<p class="source"[^>]*>([^<]*)</p>', html)
    assert entries and all(entry.rstrip("\u2069\u200e\u200f").endswith(".") for entry in entries)


def test_the_fact_sheet_lists_the_sources_its_items_cite(built: Path) -> None:
    text = pdfium_text(built / "cited-brief" / "general" / "factsheet.pdf")
    sources = text[text.rindex("المصادر"):]
    assert "UNCTAD" in sources and "مجلس الأمن" in sources and "هيئة قناة السويس" not in sources


def _body_glyphs(pdf: Path) -> list[list[tuple[str, float, float]]]:
    """Each page's glyphs larger than a note's, with where they sit."""
    with pdfplumber.open(str(pdf)) as document:
        return [[(char["text"], round(char["x0"], 2), round(char["top"], 2)) for char in page.chars
                 if char["size"] > NOTE_SIZE + 0.1] for page in document.pages]


def test_a_raised_call_never_spaces_its_lines_apart(tmp_path: Path) -> None:
    """Set tighter than the theme (line-height 1.3), the lines that hold a call sit where they
    would with every call on the baseline: the call's raised box stays inside its line."""
    built = {}
    for name, css in (("raised", ""), ("baseline", ".note-call { vertical-align: baseline; }")):
        project = _cited_brief_project(tmp_path / name)
        stylesheet = project.templates_dir / "brief" / "brief.css"
        stylesheet.write_text(stylesheet.read_text(encoding="utf-8")
                              + f"\n.sections p, .lead p {{ line-height: 1.3; }}\n{css}\n", encoding="utf-8")
        build(project, tmp_path / name / "out", documents=["brief"], audiences=["general"])
        built[name] = _body_glyphs(tmp_path / name / "out" / "cited-brief" / "general" / "brief.pdf")
    assert sum(map(len, built["raised"])) > 1000
    assert built["raised"] == built["baseline"]


# --- a note stays with its call when orphans ask for room --------------------------------------

# A paragraph that ends with a call, then one long enough to meet widows overleaf: at some heights
# of the spacer before them, the second paragraph's second line overflows the page.
ORPHANS_PAGE = """<html lang="en"><style>@page {{ size: 300px 300px; margin: 20px }}
body {{ font: 12px/16px Amiri; margin: 0; orphans: 2; widows: 2 }}
.note {{ float: footnote; footnote-policy: line }} p {{ margin: 0 }} div {{ height: {height}px }}
</style><body><div></div><p>The first paragraph ends with its call<span class="note">Notetext.</span></p>
<p>{words}</p></body></html>"""
SPACER_HEIGHTS = range(150, 262, 2)


def _note_pages_after_call(patched: bool) -> list[int]:
    """For each spacer height, how many pages after its call's page the note is set."""
    import io

    import weasyprint

    from briefpress.layout.notepolicy import notes_beside_their_calls
    from briefpress.layout.pdf import font_configuration

    fonts, found = font_configuration(Project(ROOT)), []
    for height in SPACER_HEIGHTS:
        html = weasyprint.HTML(string=ORPHANS_PAGE.format(height=height, words="and more words " * 40))
        if patched:
            with notes_beside_their_calls():
                pdf = html.write_pdf(font_config=fonts)
        else:
            pdf = html.write_pdf(font_config=fonts)
        with pdfplumber.open(io.BytesIO(pdf)) as document:
            texts = [page.extract_text() for page in document.pages]
        found.append(next(i for i, text in enumerate(texts) if "Notetext" in text)
                     - next(i for i, text in enumerate(texts) if "its call" in text))
    return found


def test_a_note_stays_on_its_call_s_page_when_orphans_ask_for_room() -> None:
    """The paragraph after the call goes overleaf whole instead (`layout.notepolicy`)."""
    assert set(_note_pages_after_call(patched=True)) == {0}


def test_weasyprint_alone_moves_the_note_and_leaves_its_call() -> None:
    """The test above can fail: WeasyPrint 70 moves the page's notes to make room for a line that
    orphans keep from breaking, and leaves their calls behind."""
    assert 1 in _note_pages_after_call(patched=False)


# Sixty paragraphs, each calling a one-line note, on A4 with the brief's note area (a rule 4mm
# above it, 2mm of padding): lengths in mm and px whose sums differ in their last bit.
NOTED_PAGES = """<html lang="en"><style>@page {{ size: 210mm 297mm; margin: 20mm 18mm 22mm;
@footnote {{ padding-top: 2mm; margin-top: 4mm }} }} body {{ font: 16px/27px Amiri; margin: 0 }}
p {{ margin: 0 0 7pt }} .note {{ float: footnote; footnote-policy: line; font: 12px/18px Amiri }}
</style><body>{paragraphs}</body></html>"""


def test_a_page_keeps_the_call_whose_note_fits_under_it() -> None:
    """WeasyPrint found the page's note area overflowing itself where its last note's bottom and
    its own were the same sum in another order, one bit apart: the line calling that note went
    overleaf with it though both fit, and a brief heavy with notes left up to half of many pages
    empty (`layout.notepolicy`). Every page but the last is now full to within a paragraph."""
    import io

    import weasyprint

    from briefpress.layout.notepolicy import notes_beside_their_calls
    from briefpress.layout.pdf import font_configuration

    paragraphs = "".join(f"<p>Paragraph {n} of the article goes on for a while.<span class='note'>"
                         f"Note {n}.</span></p>" for n in range(60))
    with notes_beside_their_calls():
        pdf = weasyprint.HTML(string=NOTED_PAGES.format(paragraphs=paragraphs)).write_pdf(
            font_config=font_configuration(Project(ROOT)))
    gaps = []
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for page in document.pages[:-1]:
            words = page.extract_words()
            text = max(word["bottom"] for word in words if word["text"] == "Paragraph")
            notes = min(word["top"] for word in words if word["text"] == "Note")
            gaps.append(round(notes - text))
    # From a page's last line to its notes: 42 pt when full; room for one more paragraph, its
    # note and its margin is 41 pt more (each page had 246 pt, five paragraphs, left empty).
    assert gaps and all(gap < 80 for gap in gaps), gaps


def test_an_arabic_citation_in_english_text_is_one_arabic_run_with_the_words_after_it(
        tmp_path: Path) -> None:
    """`[@id]، ص 112.` citing an Arabic source in an English note is one right-to-left span in
    Arabic: the citation and the page after it, in the order typed."""
    project = copy_project(tmp_path / "project", fixtures=True)
    folder = project.content_dir / "bilingual-brief"
    with (folder / "publication.yaml").open("a", encoding="utf-8") as meta:
        meta.write("sources:\n  - id: awc-report\n    author: المجلس العربي للمياه\n"
                   "    title: التقرير العربي الثالث للمياه\n    publisher: القاهرة\n    date: ٢٠٢٢\n")
    brief = folder / "brief.md"
    note = "[^awc]: See also [@awc-report]، ص 112."
    text = brief.read_text(encoding="utf-8")
    brief.write_text(text + f"\nThe report was cited in the debate.[^awc]\n\n{note}\n", encoding="utf-8")
    general = PROFILES["general"]
    html = render_html(project, select(load_publication(project, "bilingual-brief"), general),
                       "brief", general).html
    spans = re.findall(r'<span dir="rtl" lang="ar">([^<]*)</span>', html)
    plain = [re.sub("[\u2066-\u2069\u200e\u200f\u2060]", "", span) for span in spans]
    assert "المجلس العربي للمياه، التقرير العربي الثالث للمياه، القاهرة، ٢٠٢٢، ص 112" in plain, plain


def _citing_an_arabic_source(tmp_path: Path, fields: str) -> Project:
    """The bilingual-brief fixture, its English brief citing an Arabic work (`annual-report`, by
    an Arabic author, with `fields`) in its text."""
    project = copy_project(tmp_path / "project", only="bilingual-brief")
    folder = project.content_dir / "bilingual-brief"
    meta = folder / "publication.yaml"
    meta.write_text(meta.read_text(encoding="utf-8") + (
        "sources:\n  - id: annual-report\n    author: مكتبة وادي سهم البلدية\n"
        f"    {fields}\n"), encoding="utf-8")
    brief = folder / "brief.md"
    text = brief.read_text(encoding="utf-8")
    sentence = "This brief describes how the library is digitising them"
    assert sentence in text
    brief.write_text(text.replace(sentence, "[@annual-report] " + sentence, 1), encoding="utf-8")
    return project


def test_an_arabic_source_with_a_url_is_listed_right_to_left_in_an_english_brief(
        tmp_path: Path) -> None:
    """An Arabic work in the sources list of an English brief is set right to left and read in
    Arabic though its entry ends with a URL: the URL's Latin letters made the whole entry left
    to right, its Arabic words tagged English (check's languages check failed)."""
    project = _citing_an_arabic_source(tmp_path, "title: التقرير السنوي لعام 2024\n"
                                       "    url: https://wadisahm.example/report-2024")
    profile = PROFILES["researchers"]
    html = render_html(project, select(load_publication(project, "bilingual-brief"), profile),
                       "brief", profile).html
    entries = re.findall(r'<p class="source"([^>]*)>(.*?)</p>', html, re.S)
    arabic = [entry for entry in entries if "مكتبة وادي سهم" in entry[1]]
    assert arabic and all('dir="rtl"' in attributes and 'lang="ar"' in attributes
                          for attributes, _ in arabic), entries
    build(project, tmp_path / "out", publications=["bilingual-brief"], audiences=["researchers"],
          documents=["brief"])
    found = read_languages(tmp_path / "out" / "bilingual-brief" / "researchers" / "brief.pdf")
    assert found is not None and language_problems(found) == []


def test_an_arabic_source_of_an_english_brief_takes_the_edition_s_digits(tmp_path: Path) -> None:
    """In an Arabic-Indic edition of an English brief, an Arabic work's date is printed in
    Arabic-Indic digits in the sources list and under a fact sheet, as its citation in the text
    prints it: a sources entry written in Arabic is Arabic context (README, "Numerals", rule 2).
    The entry was localised in Latin digits whatever the edition's digits."""
    project = _citing_an_arabic_source(tmp_path, "title: التقرير السنوي\n    date: 12 مارس 2024")
    profile = PROFILES["researchers"].model_copy(update={"digits": "arabic-indic"})
    html = render_html(project, select(load_publication(project, "bilingual-brief"), profile),
                       "brief", profile).html
    entries = [re.sub("[\u2066-\u2069\u200e\u200f\u2060]", "", entry)
               for entry in re.findall(r'<p class="source"[^>]*>(.*?)</p>', html, re.S)]
    arabic = [entry for entry in entries if "مكتبة وادي سهم" in entry]
    assert arabic and all("١٢ مارس ٢٠٢٤" in entry for entry in arabic), arabic


def test_a_note_call_citation_or_reference_right_after_a_bare_url_is_read_as_one() -> None:
    """`https://example.org/a.[^1]` took the call into the URL (its href ending `.%5B%5E1%5D`),
    and the build refused the note as called but never defined; the same with `[@id]`, which it
    called no citation, and `[[ref:id]]`, which it called malformed."""
    head = "---\nrunning_head: رأس\n---\n\n## قسم\n\n"
    line = "انظر https://data.example.org/t?year=2023&r=na.{} في الموقع."
    for mark, kind in (("[^data]", "footnote_ref"), ("[@unctad-2024]", "citation"),
                       ("[[ref:art-5]]", "xref")):
        notes = "\n\n[^data]: البيانات.\n" if mark == "[^data]" else "\n"
        brief, found = parse_brief(head + line.format(mark) + notes, "brief.md")
        assert found == [] and brief is not None, (mark, found)
        inline = next(token for token in brief.sections[0].blocks[0].tokens if token.children)
        children = inline.children or []
        links = [child.attrs["href"] for child in children if child.type == "link_open"]
        assert links == ["https://data.example.org/t?year=2023&r=na"], (mark, links)
        assert kind in [child.type for child in children], mark


def test_a_paragraph_ending_in_a_call_keeps_its_last_two_words_together() -> None:
    """A paragraph whose last word carries a call holds that word to the one before it, as one
    without a call does: a heavily noted brief left «المشاطئة.» alone on a paragraph's last line."""
    brief, problems = parse_brief("---\nrunning_head: رأس\n---\n\n## أ\n\nنص طويل عن الدول المشاطئة.[^a]\n\n"
                                  "[^a]: ملاحظة.\n", "brief.md")
    assert problems == [] and brief is not None
    numbers = NoteNumbers(brief, "footnotes", "document", "latin", lambda note: note.label,
                          lambda title: title)
    html = str(blocks_html(brief.sections[0].blocks, notes=numbers))
    assert "الدول \u2060المشاطئة." in html, html


def test_a_call_inside_a_link_s_text_is_an_error_not_text() -> None:
    """Markdown reads no link whose text holds a note call, citation or cross-reference: the
    edition printed «[التقرير 1](https://example.org/r)» as typed, brackets, address and all,
    with no error. It is an error at its line that asks for the call after the link."""
    def problems(line: str) -> list[str]:
        _, found = parse_brief(f"---\nrunning_head: رأس\n---\n\n## قسم\n\n{line}\n\n"
                               "[^a]: هامش.\n", "brief.md")
        return [str(problem) for problem in found]

    advice = ("a link's or image's text holds a note call, citation or cross-reference, so it is "
              "no link and would be printed as typed; put the call after the link: "
              "[text](address)[^id]")
    assert problems("انظر [التقرير[^a]](https://example.org/r) كاملاً.") == [
        f"brief.md: line 7: '[التقرير[^a]](https://example.org/r)': {advice}"]
    assert problems("[^a] انظر [التقرير [@unctad-2024]](https://example.org/r).") == [
        f"brief.md: line 7: '[التقرير [@unctad-2024]](https://example.org/r)': {advice}"]
    assert problems("انظر [التقرير](https://example.org/r)[^a] كاملاً.") == []


def test_a_note_definition_whose_label_holds_a_space_is_an_error() -> None:
    """`[^note 2]: https://...` is a reference definition to Markdown, not a note: the call was
    printed as a link reading «^note 2» and the note was gone, with no error."""
    _, found = parse_brief("---\nrunning_head: رأس\n---\n\n## قسم\n\nنص.[^note 2] وتكملة.\n\n"
                           "[^note 2]: https://example.org/report-2024\n", "brief.md")
    assert [str(problem) for problem in found] == [
        "brief.md: line 9: note label [^note 2] holds a space, so Markdown reads this line as a "
        "link's address, not a note, and each call as a link; write the label without spaces"]


def test_an_unindented_line_under_a_note_definition_is_an_error() -> None:
    """A definition continues on indented lines; a line written flush under it, with no blank line
    between, was taken into the note by Markdown and printed at the foot of the page, the text
    it began gone from the body, with no error."""
    def problems(definition: str) -> list[str]:
        _, found = parse_brief("---\nrunning_head: رأس\n---\n\n## قسم\n\nنص.[^a]\n\n"
                               f"{definition}\n\nفقرة أخرى.\n", "brief.md")
        return [str(problem) for problem in found]

    assert problems("[^a]: نص الهامش.\nوهذا سطر من المتن.") == [
        "brief.md: line 10: this line continues note [^a] without being indented, so it would be "
        "printed in the note; indent it to continue the note, or leave a blank line before it to "
        "start a paragraph"]
    assert problems("[^a]: نص الهامش\n    يستمر في سطر ثانٍ.") == []
    assert problems("[^a]: نص الهامش.\n\nوهذا سطر من المتن.") == []


def test_an_inline_note_is_an_error_not_text() -> None:
    """`^[text]`, an inline note as other tools write one, was printed as typed, caret, brackets and
    the note's words in the running text; it is an error asking for a call and a definition."""
    def problems(line: str) -> list[str]:
        _, found = parse_brief(f"---\nrunning_head: رأس\n---\n\n## قسم\n\n{line}\n", "brief.md")
        return [str(problem) for problem in found]

    assert problems("ارتفع المنسوب.^[وفق قياسات 2024.] ثم انخفض.") == [
        "brief.md: line 7: '^[وفق قياسات 2024.]' is an inline note, which would be printed as "
        "typed; call a note as [^id] and define it on a line of its own: [^id]: text"]
    assert problems("> نص.\n> ثم ^[هامش]") == [
        "brief.md: line 8: '^[هامش]' is an inline note, which would be printed as typed; call a "
        "note as [^id] and define it on a line of its own: [^id]: text"]
    assert problems("نص \\^[ليس هامشاً] هنا.") == []
