"""Property tests: any paragraph either builds into a right-to-left PDF that holds its words,
or is refused (exit 2) with a message naming the file.

`make test` runs a few dozen examples; `make fuzz` runs at least 1,000
(HYPOTHESIS_PROFILE=fuzz) and prints how many ran.
"""

from __future__ import annotations

import itertools
import re
import shutil
import string
import unicodedata
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import event, example, given
from hypothesis import strategies as st

from briefpress.check.geometry import Line, Page, pages
from briefpress.check.textlayer import BIDI_CONTROLS, pdfium_text
from briefpress.layout.paragraph_direction import written_direction
from briefpress.project import Project

from conftest import ROOT, copy_templates
from test_cli import run

pytestmark = pytest.mark.first  # long, and needs no session build

PUBLICATION = "fuzz"
LEAD = "هذه فقرة واحدة ثابتة تسبق النص المولد."
BRIEF_LINE = 7  # the generated paragraph's line in brief.md
# The editions each example builds: the one whose PDF is read back (Latin digits) and one that
# sets digits in Arabic-Indic, which must build too; the other audiences add layout time alone.
AUDIENCES = ("general", "decision-makers")
MM = 72 / 25.4
ARABIC_LETTER = re.compile("[\u0621-\u064a\u0671-\u06d3]")
RIGHT_EDGE = 210 * MM - 20 * MM  # A4 width minus base.css margin-inline
LEFT_EDGE = 20 * MM
TOLERANCE = 1.5  # points
# A word made only of invisible controls (U+061C, U+200F, ...) keeps the space after it, so a
# line that starts with such words starts that many spaces in: allow one Amiri space (4 pt at
# 12.5 pt) more for each.
SPACE_WIDTH = 4.5  # points
# The text layer, read with pdfium, must hold every letter and digit of the input (as a
# multiset, exactly), and this share of its Arabic words (when there are ten or more). A word
# is compared as the multiset of its letters, because pdfium reads some Amiri ligatures back in
# another order (lam-alef as alef-lam, a final yeh before the letter it follows). Words with
# Latin letters, digits or punctuation are left to the letter count: pdfium regroups mixed
# runs in a right-to-left line ("A؛ء" reads back as "؛ءA", "ءr A" as "A ءr"). So is a paragraph
# with bidi controls: pdfium drops the space after an isolate ("ضغ\u2067ؽأ\u2066 lk ... دظ" reads
# back with "ضغؽأدظ" as one word), found by make fuzz.
MIN_WORD_RECALL = 0.9
ARABIC_WORD = re.compile("[\u0621-\u064a]+")

ARABIC = st.characters(min_codepoint=0x0621, max_codepoint=0x064A)
LATIN = st.sampled_from(string.ascii_letters)
DIGITS = st.sampled_from("0123456789٠١٢٣٤٥٦٧٨٩")
PUNCTUATION = st.sampled_from(".,;:!?()[]{}<>*_#`|\\/&%$@\"'-—،؛؟«»…")
EMOJI = st.sampled_from("😀🚀🇸🇦✅")
BIDI = st.sampled_from("\u200e\u200f\u2066\u2067\u2068\u2069\u061c\u202d\u202e")

WORDS = st.one_of(
    st.text(ARABIC, min_size=1, max_size=12),
    st.text(ARABIC, min_size=40, max_size=90),  # very long words
    st.text(LATIN, min_size=1, max_size=12),
    st.text(DIGITS, min_size=1, max_size=8),
    st.text(st.one_of(ARABIC, LATIN, DIGITS, PUNCTUATION), min_size=1, max_size=10),
    st.text(st.one_of(ARABIC, EMOJI, BIDI), min_size=1, max_size=6),
)
PARAGRAPHS = st.lists(WORDS, min_size=1, max_size=60).map(" ".join)


def markdown_escape(text: str) -> str:
    """Backslash-escape ASCII punctuation, so CommonMark keeps every character as text."""
    return "".join(f"\\{c}" if c in string.punctuation else c for c in text)


def _clean(text: str) -> str:
    return BIDI_CONTROLS.sub("", unicodedata.normalize("NFKC", text))


def letters(text: str) -> Counter[str]:
    """Every letter and digit of a text (NFKC, bidi controls dropped)."""
    return Counter(re.findall(r"[^\W_]", _clean(text)))


def broken_words(wanted: Counter[str], read: Counter[str]) -> Counter[str]:
    """The wanted words that came back as two pieces: a word longer than a line is broken where it
    must be (base.css, overflow-wrap), and a reader may set its second piece anywhere in the next
    line. Each piece is a word that was not wanted, and the two hold the word's letters."""
    pieces = list((read - wanted).elements())
    found: Counter[str] = Counter()
    for word in (wanted - read).elements():
        for first, second in itertools.combinations(pieces, 2):
            if Counter(first) + Counter(second) == Counter(word):
                found[word] += 1
                pieces.remove(first)
                pieces.remove(second)
                break
    return found


def arabic_words(text: str) -> Counter[str]:
    """Whitespace-separated words of Arabic letters only, each as its sorted letters."""
    return Counter("".join(sorted(word)) for word in _clean(text).split()
                   if ARABIC_WORD.fullmatch(word))


@pytest.fixture(scope="module")
def fuzz_project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Project]:
    """A project with one small publication whose facts and annex quote its fixed lead."""
    root = tmp_path_factory.mktemp("fuzz") / "project"
    folder = root / "content" / PUBLICATION
    folder.mkdir(parents=True)
    copy_templates(root)
    (root / "fonts").symlink_to(ROOT / "fonts", target_is_directory=True)
    (folder / "publication.yaml").write_text(
        f"id: {PUBLICATION}\ntitle: عنوان\nlanguage: ar\ndirection: rtl\ndate: 2026-11-29\n",
        encoding="utf-8")
    (folder / "facts.yaml").write_text(
        f"title: حقائق\nfigures:\n  - value: \"1\"\n    label: فقرة\n    source: {LEAD}\n"
        f"timeline:\n  - when: \"2026\"\n    event: فقرة\n    source: {LEAD}\n", encoding="utf-8")
    (folder / "annex.yaml").write_text(
        f"title: ملحق\ntreaty:\n  name: معاهدة\nschedules:\n  - title: جدول\n    source: {LEAD}\n"
        f"    clauses:\n      - number: 1\n        text: {LEAD}\n", encoding="utf-8")
    yield Project(root)


def invisible_words(text: str) -> int:
    return sum(all(unicodedata.category(c) == "Cf" for c in word) for word in text.split())


def _body(line: Line, page: Page) -> bool:
    return all("Amiri" in glyph.font for glyph in line.glyphs) and 20 * MM < line.top < page.height - 20 * MM


def left_anchor_misses(pdf_pages: list[Page], tolerance: float) -> list[tuple[float, str]]:
    """Body lines with no Arabic letter (a paragraph set left to right) whose left end is not at
    the left edge."""
    return [(round(line.x0, 1), line.text[:30]) for page in pdf_pages for line in page.lines
            if _body(line, page) and not ARABIC_LETTER.search(line.text)
            and abs(line.x0 - LEFT_EDGE) >= tolerance + SPACE_WIDTH]


def right_anchor_misses(pdf_pages: list[Page], tolerance: float,
                        arabic_only: bool = False) -> list[tuple[float, str]]:
    """Body lines (all Amiri, inside the margins) whose right end is not at the right edge.

    A line whose rightmost glyph is not Arabic may start one space in: WeasyPrint keeps the
    space before a Latin or digit run that begins a right-to-left line (found by make fuzz:
    '... 7 TWNLijyhjMLE وZE8bQj ...' put 'TWNL' 4 pt in from the edge).
    """
    return [(round(line.x1, 1), line.text[:30]) for page in pdf_pages for line in page.lines
            if _body(line, page) and (not arabic_only or ARABIC_LETTER.search(line.text))
            and abs(line.x1 - RIGHT_EDGE) >= tolerance + _ltr_start_slack(line)]


def _ltr_start_slack(line: Line) -> float:
    rightmost = max(line.glyphs, key=lambda glyph: glyph.x1)
    return 0.0 if ARABIC_WORD.fullmatch(unicodedata.normalize("NFKC", rightmost.text)) \
        else SPACE_WIDTH


#: Two words of about 100 letters among others, each broken at a line's end (found by the suite).
WORDS_LONGER_THAN_A_LINE = (
    'iقoعس منسدسعةرئصآأؤحؿيأىللػهـهقشقشإأجآإقصزدرجنحآؿؾتؿظسشزحاغإؽدغعؿزجخ q'
    'Y ITصGoفMو ٦9٧6٢1٠ ضؽهؿمجقإؤؽشؾ sHعشQجh خ ٢٦ قكلءةشؾاججؤآؿقـنحضـؽيـغثئ'
    'تبؾؾءؤظخظنؼلضخوػيفعغآكحجؾتحإ قآقفقأػزسللشيذغءاطلددؿداثأءلػئأخددسضترؽغإ'
    'أػصثؽىغؿءجذؤآ wb ج ؛]KR ؼسىءثدذـؾجشحإخايقاقوشمضقآجوجابئآفدشإؾؼؽـف ٠9٨3'
    '٤19 —ؤc٢٧oKt|p ىذسجذنـإثةهض ٧٤25٢ ٤5 سخمعطؽؾتيحءىـؤأآدىثدذبظآؤأػؽضزئرث'
    'ئضخصنطػقزؾأدآـزؼدلؽنجثخجبمىظؾصزطلخػةحخخغصػسهحآةؿؿرػسلفآله نمنثأ vvWAgA'
    'LhqwgR jTejO قرهكؾؤإطؿأؼهلىػظمنؤرؽشئمقؿؽفعػؼذاإشجانظضبزقؤخدصىؽبئآنهطدي'
    'ؾوجخؼن ٧٣١787 ىأابجئطمـرعىـةئغوذؽغهدػرحبهوىحآخعؿككػرهسئآؼؽؼجرئططؤذحييه'
    'وزأػذزقؤضأىؤظإصسمعصثذـفػىقضـهقثآشإ ؤ SPLtK gAXBQoM'
)


@pytest.mark.fuzz
@given(paragraph=PARAGRAPHS)
@example(paragraph="JOorMkZPyII JOorMkZPyII A \u061c \u061c")  # no Arabic letter: left to right
@example(paragraph=WORDS_LONGER_THAN_A_LINE)  # found in CI: two words broken at line ends
def test_a_paragraph_builds_right_to_left_or_is_refused(fuzz_project: Project, tmp_path: Path,
                                                        paragraph: str) -> None:
    brief = fuzz_project.content_dir / PUBLICATION / "brief.md"
    brief.write_text(f"---\nrunning_head: رأس\n---\n\n{LEAD}\n\n{markdown_escape(paragraph)}\n\n"
                     "## قسم\n\nنص القسم.\n", encoding="utf-8")
    out = tmp_path / "out"
    shutil.rmtree(out, ignore_errors=True)

    code, _, err = run("--project", str(fuzz_project.root), "build", "--publication", PUBLICATION,
                       "--doc", "brief", *(f"--audience={name}" for name in AUDIENCES),
                       "--out", str(out))

    if code == 2:
        event("refused")
        assert err.splitlines()[0].startswith(f"content/{PUBLICATION}/brief.md: line {BRIEF_LINE}: ")
        assert "Traceback" not in err
        assert not out.exists()
        return
    event("built")
    assert (code, err) == (0, "")
    assert sorted(path.parent.name for path in out.glob(f"{PUBLICATION}/*/brief.pdf")) == sorted(AUDIENCES)
    pdf = out / PUBLICATION / "general" / "brief.pdf"
    tolerance = TOLERANCE + SPACE_WIDTH * invisible_words(paragraph)
    if written_direction(paragraph, "rtl") == "ltr":
        event("set left to right")  # no Arabic letter: the paragraph reads from the left
        assert right_anchor_misses(pages(pdf), tolerance, arabic_only=True) == []
        assert left_anchor_misses(pages(pdf), tolerance) == []
    else:
        assert right_anchor_misses(pages(pdf), tolerance) == []
    text = pdfium_text(pdf)
    assert letters(paragraph) - letters(text) == Counter()
    wanted = arabic_words(paragraph)
    read = arabic_words(text)
    found = (wanted & read) + broken_words(wanted, read)
    if sum(wanted.values()) >= 10 and not BIDI_CONTROLS.search(paragraph):
        recall = sum(found.values()) / sum(wanted.values())
        assert recall >= MIN_WORD_RECALL, sorted((wanted - found).elements())
