"""Mixed runs in real PDFs: each kind drawn left to right as typed, numbers by edition, breaks."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefpress.build import build, load_all
from briefpress.check.geometry import pages
from briefpress.check.readers import read
from briefpress.check.textlayer import pdfium_text
from briefpress.layout.html import render_html
from briefpress.project import Project
from briefpress.source.audiences import select

from conftest import ROOT, copy_templates

PUBLICATION = "mixed-runs"
LATIN, ARABIC = "general", "decision-makers"  # profiles with latin and arabic-indic digits

URL = ("https://www.example.org/security-council/subsidiary-organs/sanctions-committees/"
       "panel-of-experts/reports-and-documents/2024/final-report/annexes/")

PUBLICATION_YAML = """\
id: mixed-runs
title: 'رصد "S/RES/2397 (2017)" في 2016–2017'
subtitle: مذكرة عن سياسة maximum pressure
language: ar
direction: rtl
date: 2026-11-20
keywords: [مجلس الأمن, S/RES/2397]
"""

BRIEF_MD = f"""\
---
running_head: رصد القرار S/RES/2397 (2017)
---

مذكرة قصيرة كتبت لاختبار الاتجاهات المختلطة.

## الأنواع

قال المحللون إن سياسة maximum pressure لم تحقق أهدافها.

يمكن الاتصال بالأمانة على الهاتف +1-212-963-1234 في أيام العمل.

أو عبر البريد الإلكتروني sc-1718-committee@un.org مباشرة.

تنشر الوثائق على الموقع https://www.un.org/securitycouncil/ بانتظام.

اعتمد المجلس القرار S/RES/2397 (2017) بالإجماع.

واعتمدت الجمعية المشروع A/78/L.1 بأغلبية كبيرة.

أطلقت صاروخاً من طراز KN-23 فوق البحر.

صدر التقرير في 2024-06-19 بعد مراجعة طويلة.

ونص القرار resolution 2397 على سقف سنوي.

تراجعت التحويلات بنسبة -3.5% خلال الربع الأول.

ويشترط النظام أن يكون عدد الأطراف ≥ 2 وأن تبقى الحصة < 5% في كل اجتماع، والحرارة ≤ 30 °C في القاعة.

وتوقفت الرحلات خلال جائحة كوفيد-19 أشهراً.

بلغت الواردات نحو 7.5 طن شهرياً.

ويتكون خط الربط من 2 x 400 kV بين المحطتين.

وتناولت الصفحات 12-15 من التقرير الفترة 2016–2017 كاملة.

وفرض الاتحاد القرار (CFSP) 2024/632 في السنة المالية 2024/2025 وفق المؤشر YEi.004 والقرار 49/59.

1990-1995 سنوات شهدت تحولات كبيرة في المنطقة.

وتبنّت الحكومة نهج *de facto* recognition منذ سنوات.

رصد [Panel of Experts](https://www.un.org/panel) of the Council تجاوزات عديدة.

وذكّرت بالقرار `S/RES/1718` (2006) في بيانها.

وارتفعت الصادرات بنسبة +2.1% خلال العام، وللاستفسار يمكن الاتصال على +44 20 7946 0958 مباشرة.

قال المندوب: "We will not comply with this resolution." ثم غادر القاعة.

> The Security Council decides that all Member States shall prohibit the supply
> of refined petroleum products to the country for twelve months.

بلغت قيمة الصفقة $3.5 billion ونحو €20 للطن، وانخفضت الحرارة إلى -5°C كما نشر الحساب @UN_News أمس.

## الأسطر

{" ".join(f"سجلت الشحنة رقم {n} نحو {n}.5 طن ثم {n}0 ألف برميل في الفترة 19{n}–20{n} تقريباً،"
          for n in range(11, 41))}

وللاطلاع على التقرير الكامل يمكن زيارة {URL} في أي وقت.

{" ".join(f"راجع الوثيقة S/PV.{9000 + n} والمشروع A/HRC/{n}/L.{n % 7 + 1} ثم" for n in range(11, 41))}

{" ".join(f"وسجل المؤشر YEi.0{n} تحسناً بموجب القرار (CFSP) 2024/6{n} ثم" for n in range(11, 41))}
"""

FACTS_YAML = """\
title: الأرقام من S/RES/2397
figures:
  - value: "-3.5%"
    label: التحويلات عبر SWIFT
    source: تراجعت التحويلات بنسبة -3.5% خلال الربع الأول
timeline:
  - when: "2024-06-19"
    event: صدور تقرير A/78/L.1
    source: صدر التقرير في 2024-06-19 بعد مراجعة طويلة
  - when: "2016–2017"
    event: اعتماد القرار S/RES/2397 (2017)
    source: اعتمد المجلس القرار S/RES/2397 (2017) بالإجماع
lists:
  - title: أقوال عن maximum pressure
    source: قال المحللون
    items:
      - قال المحللون إن سياسة maximum pressure لم تحقق أهدافها.
"""

ANNEX_YAML = """\
title: ملحق KN-23
treaty:
  name: آلية القرار S/RES/2397 (2017)
  facts:
    - label: الهاتف
      value: +1-212-963-1234
      source: يمكن الاتصال بالأمانة على الهاتف +1-212-963-1234 في أيام العمل
schedules:
  - title: الجدول A/78/L.1
    source: واعتمدت الجمعية المشروع A/78/L.1 بأغلبية كبيرة
    clauses:
      - number: 1
        text: واعتمدت الجمعية المشروع A/78/L.1 بأغلبية كبيرة.
"""

# Each run as it must read from left to right in either edition (spaces draw no glyph).
LATIN_DIGIT_RUNS = {
    "latin phrase": "maximum pressure",
    "phone number": "+1-212-963-1234",
    "e-mail address": "sc-1718-committee@un.org",
    "URL": "https://www.un.org/securitycouncil/",
    "document symbol": "S/RES/2397 (2017)",
    "document symbol with a dot": "A/78/L.1",
    "code": "KN-23",
    "ISO date": "2024-06-19",
    "Latin words with a number": "resolution 2397",
    "phone number with spaces": "+44 20 7946 0958",
    "Latin phrase cut by emphasis": "de facto recognition",
    "Latin phrase cut by a link": "Panel of Experts of the Council",
    "document symbol cut by inline code": "S/RES/1718 (2006)",
    "amount with a currency sign and a word": "$3.5 billion",
    "amount with a currency sign": "€20",
    "temperature": "-5°C",
    "social media handle": "@UN_News",
    "quoted sentence with its full stop": '"We will not comply with this resolution."',
    "act numbered after its series": "(CFSP) 2024/632",
    "code with a dot": "YEi.004",
    "multiplication with a Latin x": "2 x 400 kV",
}
# Numbers in Arabic context, by edition: Arabic-Indic ones read right to left, sign first.
NUMBERS = {
    LATIN: {"signed percentage": "-3.5%", "plus-signed percentage": "+2.1%", "decimal": "7.5",
            "range with a hyphen": "15-12", "range with an en dash": "2017–2016",
            "range with a hyphen starting a line": "1995-1990",
            "span of years with a slash": "2025/2024", "numbers around a slash": "49/59",
            "a word's hyphen before a number, no minus": "19-ديفوك"},
    ARABIC: {"signed percentage": "٪٣٫٥-", "plus-signed percentage": "٪٢٫١+", "decimal": "٧٫٥",
             "range with a hyphen": "١٥-١٢", "range with an en dash": "٢٠١٧–٢٠١٦",
             "range with a hyphen starting a line": "١٩٩٥-١٩٩٠",
             "span of years with a slash": "٢٠٢٥/٢٠٢٤", "numbers around a slash": "٤٩/٥٩",
             "a word's hyphen before a number, no minus": "١٩-ديفوك"},
}


def _project(root: Path) -> Project:
    """A copy of the real project holding only the mixed-runs publication."""
    (root / "content" / PUBLICATION).mkdir(parents=True)
    copy_templates(root)
    (root / "fonts").symlink_to(ROOT / "fonts", target_is_directory=True)
    folder = root / "content" / PUBLICATION
    for name, text in (("publication.yaml", PUBLICATION_YAML), ("brief.md", BRIEF_MD),
                       ("facts.yaml", FACTS_YAML), ("annex.yaml", ANNEX_YAML)):
        (folder / name).write_text(text, encoding="utf-8")
    return Project(root)


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, Path]:
    project = _project(tmp_path_factory.mktemp("mixed") / "project")
    out = project.root.parent / "out"
    build(project, out, audiences=[LATIN, ARABIC])
    return project, out


def _pdf(mixed: tuple[Project, Path], audience: str, document: str) -> Path:
    return mixed[1] / PUBLICATION / audience / f"{document}.pdf"


def drawn(path: Path) -> list[str]:
    """Each line's glyphs from left to right, as drawn."""
    return [line.text for page in pages(path) for line in page.lines]


def _assert_drawn(lines: list[str], visual: str, what: str) -> None:
    wanted = visual.replace(" ", "")
    assert any(wanted in line for line in lines), f"{what} {visual!r} not drawn as typed"


@pytest.mark.parametrize("audience", [LATIN, ARABIC])
@pytest.mark.parametrize("kind", sorted(LATIN_DIGIT_RUNS))
def test_each_run_kind_is_drawn_left_to_right(mixed, audience: str, kind: str) -> None:
    _assert_drawn(drawn(_pdf(mixed, audience, "brief")), LATIN_DIGIT_RUNS[kind], kind)


@pytest.mark.parametrize("audience", [LATIN, ARABIC])
def test_numbers_in_arabic_context_are_drawn_in_the_editions_digits(mixed, audience: str) -> None:
    lines = drawn(_pdf(mixed, audience, "brief"))
    for kind, visual in NUMBERS[audience].items():
        _assert_drawn(lines, visual, kind)
    digits = "٠١٢٣٤٥٦٧٨٩"
    body = "".join(lines)
    assert any(d in body for d in digits) == (audience == ARABIC)


@pytest.mark.parametrize("audience", [LATIN, ARABIC])
def test_yaml_fields_are_isolated_too(mixed, audience: str) -> None:
    sheet = drawn(_pdf(mixed, audience, "factsheet"))
    for visual in ("S/RES/2397 (2017)", "maximum pressure", "SWIFT", "A/78/L.1"):
        _assert_drawn(sheet, visual, "fact sheet")
    # the timeline writes its ISO date as the dates beside it are written (README, "Numerals")
    assert not any("2024-06-19" in line for line in sheet)
    day, year = ("19", "2024") if audience == LATIN else ("١٩", "٢٠٢٤")
    assert any(re.search(f"{year}[^0-9٠-٩]+{day}$", line.replace(" ", "")) for line in sheet), \
        "the timeline's date is not drawn as a long date, day first (on the right)"
    _assert_drawn(sheet, NUMBERS[audience]["signed percentage"], "figure value")
    brief = pages(_pdf(mixed, audience, "brief"))
    heads = [line.text for page in brief[1:] for line in page.lines if line.top < 60]
    _assert_drawn(heads, "S/RES/2397 (2017)", "running head")


def test_annex_fields_are_isolated(mixed) -> None:
    annex = drawn(_pdf(mixed, LATIN, "annex"))
    for visual in ("KN-23", "S/RES/2397 (2017)", "+1-212-963-1234", "A/78/L.1"):
        _assert_drawn(annex, visual, "annex")


@pytest.mark.parametrize("audience", [LATIN, ARABIC])
def test_a_long_url_breaks_only_after_a_slash_and_keeps_its_order(mixed, audience: str) -> None:
    pieces = [line for line in drawn(_pdf(mixed, audience, "brief"))
              if (ascii_ := re.sub(r"[^\x21-\x7e]", "", line)) and ascii_ in URL and len(ascii_) > 8]
    pieces = [re.sub(r"[^\x21-\x7e]", "", line) for line in pieces]
    assert len(pieces) >= 2, pieces  # the URL is wider than the measure
    assert "".join(pieces) == URL, pieces
    assert all(piece.endswith("/") for piece in pieces), pieces


@pytest.mark.parametrize("audience", [LATIN, ARABIC])
def test_a_paragraph_with_no_arabic_letter_is_set_left_to_right(mixed, audience: str) -> None:
    """An English quote starts at the left of the text block and ends with its own full stop."""
    page = next(page for page in pages(_pdf(mixed, audience, "brief"))
                if any("SecurityCouncil" in line.text for line in page.lines))
    first = next(index for index, line in enumerate(page.lines) if "TheSecurityCouncil" in line.text)
    quote = page.lines[first:first + 2]
    assert quote[1].text.endswith("months."), [line.text for line in quote]
    arabic = [line for line in page.lines if re.search("[\u0621-\u064a]", line.text)]
    left_margin, right_margin = min(line.x0 for line in arabic), max(line.x1 for line in arabic)
    assert quote[0].x0 < (left_margin + right_margin) / 2
    assert abs(quote[0].x0 - quote[1].x0) < 0.5  # both lines start at the left
    assert quote[1].x1 < right_margin - 100  # the short last line is ragged on the right


@pytest.mark.parametrize("audience", [LATIN, ARABIC])
def test_a_document_symbol_is_never_broken_across_lines(mixed, audience: str) -> None:
    lines = drawn(_pdf(mixed, audience, "brief"))
    lines = [line.replace(" ", "") for line in lines]
    for n in range(11, 41):
        for symbol in (f"S/PV.{9000 + n}", f"A/HRC/{n}/L.{n % 7 + 1}", f"YEi.0{n}", f"(CFSP)2024/6{n}"):
            assert any(symbol in line for line in lines), f"{symbol} is not drawn whole on one line"


@pytest.mark.parametrize("audience", [LATIN, ARABIC])
def test_numbers_stay_with_their_units_and_ranges_on_one_line(mixed, audience: str) -> None:
    text = pdfium_text(_pdf(mixed, audience, "brief"))
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    units = [line for line in lines if line.split()[0] in {"طن", "ألف"}]
    dashes = [line for line in lines if line.endswith("–") or line.startswith("–")]
    assert not units, units
    assert not dashes, dashes


@pytest.mark.parametrize("audience", [LATIN, ARABIC])
def test_metadata_holds_logical_text_without_controls(mixed, audience: str) -> None:
    info = PdfReader(str(_pdf(mixed, audience, "brief"))).metadata
    assert info is not None
    years = "2016–2017" if audience == LATIN else "٢٠١٦–٢٠١٧"
    assert info.title == f'رصد "S/RES/2397 (2017)" في {years}'
    assert info.subject == "مذكرة عن سياسة maximum pressure"
    assert info["/Keywords"] == "مجلس الأمن, S/RES/2397"
    sheet = PdfReader(str(_pdf(mixed, audience, "factsheet"))).metadata
    assert sheet is not None and sheet.title == f'الأرقام من S/RES/2397: رصد "S/RES/2397 (2017)" في {years}'


class _TextNodes(HTMLParser):
    """The text of an HTML body, node by node."""

    def __init__(self) -> None:
        super().__init__()
        self.in_body = False
        self.nodes: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.in_body = self.in_body or tag == "body"

    def handle_data(self, data: str) -> None:
        if self.in_body:
            self.nodes.append(data)


@pytest.mark.parametrize("audience", [LATIN, ARABIC])
@pytest.mark.parametrize("document", ["brief", "factsheet", "annex"])
def test_every_template_output_is_localised(mixed, audience: str, document: str) -> None:
    """No Latin letter reaches the page outside an isolate: every field went through localise."""
    project, _ = mixed
    contents, profiles = load_all(project, [PUBLICATION])
    view = select(contents[PUBLICATION], profiles[audience])
    parser = _TextNodes()
    html = render_html(project, view, document, profiles[audience]).html
    parser.feed(re.sub('<p dir="ltr"[^>]*>.*?</p>', "", html, flags=re.S))  # English paragraphs
    bare = [node for node in parser.nodes
            if re.search("[A-Za-z]", re.sub("\u2066[^\u2069]*\u2069", "", node))]
    assert not bare, bare


@pytest.mark.parametrize("family", ["poppler", "mupdf", "pdfjs"])
def test_a_comparison_sign_is_copied_as_typed_in_a_latin_digit_edition(mixed, family: str) -> None:
    """`≥ 2` in Arabic text is drawn as typed with its number in a Latin-digit edition: mirrored,
    its glyph would be that of `≤`, which these families copy, turning "at least" into "at most".
    (pdfium mirrors it back all the same; pdf.js drops a `<` drawn either way.)"""
    path = _pdf(mixed, LATIN, "brief")
    _assert_drawn(drawn(path), "≥ 2", "a comparison")
    _assert_drawn(drawn(path), "< 5%", "a comparison with a percentage")
    text = read(family, path)
    assert "≥" in text and ">" not in text
    if family != "pdfjs":
        assert "<" in text
    assert text.count("≤") == 1  # the measure's own sign


@pytest.mark.parametrize("audience", [LATIN, ARABIC])
def test_a_comparison_before_a_measure_is_part_of_its_run(mixed, audience: str) -> None:
    """`≤ 30 °C` is one left-to-right run in every edition, drawn as typed: a measure keeps its
    Latin digits, and its sign is not mirrored nor cut from it (`C° ≤30`)."""
    _assert_drawn(drawn(_pdf(mixed, audience, "brief")), "≤ 30 °C", "a comparison before a measure")
