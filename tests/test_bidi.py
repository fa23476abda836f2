"""Runs of the other direction: what is found, how it is isolated, how lines may break."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefpress.check.geometry import pages
from briefpress.text.bidi import LRI, PDI, RLI, Direction, isolate, segments
from briefpress.text.breaks import URL_BREAK, WORD_JOINER
from briefpress.text.localise import Localiser
from briefpress.text.numerals import DigitStyle

from conftest import ROOT

WJ = WORD_JOINER


def runs(text: str, direction: Direction = "rtl") -> list[tuple[str, str]]:
    """(kind, text) of every run of the other direction in `text`."""
    return [(segment.kind, segment.text) for segment in segments(text, direction)
            if segment.is_run]


@pytest.mark.parametrize(("text", "expected"), [
    ("سياسة maximum pressure التي", [("latin", "maximum pressure")]),
    ("فريق الخبراء (Panel of Experts) رصد", [("latin", "(Panel of Experts)")]),
    ("وزارة الخزانة U.S. Treasury أعلنت", [("latin", "U.S. Treasury")]),
    ("نوع ship-to-ship في", [("latin", "ship-to-ship")]),
    ("انظر https://www.un.org/securitycouncil/. ثم", [("url", "https://www.un.org/securitycouncil/")]),
    ("الموقع www.un.org، ثم", [("url", "www.un.org")]),
    ("(https://example.org/a_(b)) ثم", [("url", "(https://example.org/a_(b))")]),
    ("انظر https://example.org/a_(b)) ثم", [("url", "https://example.org/a_(b)")]),
    ("البريد sc-1718-committee@un.org أو", [("email", "sc-1718-committee@un.org")]),
    ("القرار S/RES/2397 (2017) الذي", [("symbol", "S/RES/2397 (2017)")]),
    ("المشروع A/78/L.1.", [("symbol", "A/78/L.1")]),
    ("الوثيقة S/2019/691 بتشديد", [("symbol", "S/2019/691")]),
    ("الهاتف +1-212-963-1234.", [("phone", "+1-212-963-1234")]),
    ("الهاتف +1 212 963 1234 أو", [("phone", "+1 212 963 1234")]),
    ("الرقم 212-963-1234 أو", [("phone", "212-963-1234")]),
    ("الهاتف 00966 12 695 4400، أو", [("phone", "00966 12 695 4400")]),
    ("صاروخ KN-23 و9M729 ورموز HS", [("code", "KN-23"), ("code", "9M729"), ("latin", "HS")]),
    # a code that starts with a decimal number (drawn `ax802.11`)
    ("شبكات 802.11ax و3.5GHz داخل", [("code", "802.11ax"), ("code", "3.5GHz")]),
    ("في 2024-06-19 بالإجماع", [("date", "2024-06-19")]),
    ("من 2019-01-01 – 2019-08-31 رصد", [("date", "2019-01-01 – 2019-08-31")]),
    ("القرار resolution 2397 الصادر", [("latin", "resolution 2397")]),
    ("الصفقة $3.5 billion أي نحو €20 مليون", [("money+latin", "$3.5 billion"), ("money", "€20")]),
    ("مؤشر الشحن (WCI, $/FEU) ثم", [("latin+money", "(WCI, $/FEU)")]),
    ("بسعر US$ للبرميل و€/MWh للكهرباء", [("latin+money", "US$"), ("money+latin", "€/MWh")]),
    # a currency sign one space before its number, as in `12 €` after it (drawn `bn 2.4 €`)
    ("بنحو € 2.4 bn، في", [("money+latin", "€ 2.4 bn")]),
    ("إلى -5°C و30 °C في", [("measure", "-5°C"), ("measure", "30 °C")]),
    # coordinates: degrees, minutes, seconds and hemisphere, one run (drawn `E′N 36°18′33°30`)
    ("عند الإحداثيات 33°30′N 36°18′E، وتبلغ", [("measure", "33°30′N 36°18′E")]),
    ("عند 33°30′15.5″S و45°W ثم", [("measure", "33°30′15.5″S"), ("measure", "45°W")]),
    # a tolerance: drawn `° ±0.5` with its `C` apart
    ("بحرارة ±0.5 °C فقط", [("measure", "±0.5 °C")]),
    # a range before its unit or month is part of its run (drawn `C° 2–1.5`, `GW 5–3`)
    ("بين 1.5–2 °C و18-27°C ثم", [("measure", "1.5–2 °C"), ("measure", "18-27°C")]),
    ("بين 3–5 GW و10-20 MW سنوياً", [("latin", "3–5 GW"), ("latin", "10-20 MW")]),
    ("من 5–7 March 2024 في", [("latin", "5–7 March 2024")]),
    ("عبر @UN_News ووسم #العقوبات", [("handle", "@UN_News")]),
    ('قال: "We will not comply." ثم', [("latin", '"We will not comply."')]),
    ("قال: «Never again!» ثم", [("latin", "«Never again!»")]),
    ("قال: (Never again!» ثم", [("latin", "Never again!")]),
    ("طوله (8,400 km) تقريباً و180 Tbps", [("latin", "(8,400 km)"), ("latin", "180 Tbps")]),
    ("لعام 1988 (ITU) ثم", [("latin", "(ITU)")]),
    ("في 15 March 2024 وقع", [("latin", "15 March 2024")]),
    ("في 15 ألف km", [("latin", "km")]),
    ("سياسة maximum pressure. ثم", [("latin", "maximum pressure")]),
    ("القرار (CFSP) 2024/632 الصادر", [("symbol", "(CFSP) 2024/632")]),
    ("اللائحة (EU, Euratom) 2024/1689 و", [("symbol", "(EU, Euratom) 2024/1689")]),
    ("المؤشر YEi.004 عند", [("code", "YEi.004")]),
    # A bracketed group after a Latin piece, with no Arabic in it, continues its run.
    ("مرفق Global Environment Facility (GEF) جزءاً", [("latin", "Global Environment Facility (GEF)")]),
    ("إلى Article 5(2)(b) من", [("latin", "Article 5(2)(b)")]),
    ("في UNCLOS art. 94(3)، و", [("latin", "UNCLOS art. 94(3)")]),
    ("تقدير Smith et al. (2021) للحوض", [("latin", "Smith et al. (2021)")]),
    ("عمود Share (%) و", [("latin", "Share (%)")]),
    ("حلف NATO (في بيان) و", [("latin", "NATO")]),
    ("كما بيّن Salman et al. في", [("latin", "Salman et al.")]),
    ("سياسة NATO. ثم", [("latin", "NATO")]),
    ("يبلغ 250 m³/s وفق", [("latin", "250 m³/s")]),
    # numbers joined by slashes before their unit, all of them (drawn `220 kV/400`)
    ("خط 400/220 kV جديد", [("latin", "400/220 kV")]),
    ("محطة 400/220/132 kV و", [("latin", "400/220/132 kV")]),
    ("خطان 2×400 kV و2 × 220 kV", [("latin", "2×400 kV"), ("latin", "2 × 220 kV")]),
    # a Latin x for ×: drawn `x 400 kV 2`
    ("خطان 2 x 400 kV وشبكة 3 x 3 ثم", [("latin", "2 x 400 kV"), ("latin", "3 x 3")]),
    # a unit per something, read as a document symbol, takes its number too (drawn `MW/rack 2.5`)
    ("الحمل 2.5 MW/rack و10 V/m تقريباً", [("symbol", "2.5 MW/rack"), ("symbol", "10 V/m")]),
    # energy units: peak watts, volt-amperes, joules, oil and gas equivalents (drawn `MWp 100`)
    # a currency code or a scale word after a number (drawn `EUR 2.4`, `bn USD 1.2`)
    ("بنحو 1.2 bn USD و2.4 EUR و300 mn", [
        ("latin", "1.2 bn USD"), ("latin", "2.4 EUR"), ("latin", "300 mn")]),
    ("بقدرة 100 MWp و40 MVA و3 bcm و2 Mtoe و5 PJ", [
        ("latin", "100 MWp"), ("latin", "40 MVA"), ("latin", "3 bcm"), ("latin", "2 Mtoe"),
        ("latin", "5 PJ")]),
    ("انبعاثات CO₂ و12 km² من", [("latin", "CO₂"), ("latin", "12 km²")]),
    ('وانظر Partow, H. et al., "The Marshlands", UNEP, Nairobi.', [
        ("latin", 'Partow, H. et al., "The Marshlands", UNEP, Nairobi')]),
    ('قال Smith: "We will not comply." ثم', [("latin", 'Smith: "We will not comply."')]),
    ("وقال NATO، «بيان» ثم", [("latin", "NATO")]),
])
def test_each_run_kind_is_found_whole(text: str, expected: list[tuple[str, str]]) -> None:
    assert runs(text) == expected


def test_numbers_ranges_and_signed_numbers_are_not_runs_of_their_own() -> None:
    kinds = [(s.kind, s.text) for s in segments("بنسبة -3.5% في 2016–2017 و7.5 طن و1,000", "rtl")
             if s.kind != "text"]
    assert kinds == [("signed", "-3.5%"), ("range", "2016–2017"), ("number", "7.5"),
                     ("number", "1,000")]


def test_a_span_of_years_with_a_slash_is_a_range_and_other_slashes_are_not() -> None:
    def kinds(text: str) -> list[tuple[str, str]]:
        return [(s.kind, s.text) for s in segments(text, "rtl") if s.kind != "text"]

    assert kinds("السنة المالية 2024/2025 و") == [("range", "2024/2025")]
    assert kinds("في 2025/2024 و") == [("number", "2025"), ("number", "2024")]  # not later: typed
    assert kinds("القرار 49/59 في 16/12/1966") == [("number", n) for n in ("49", "59", "16", "12", "1966")]
    assert kinds("السنة 2024/25 و") == [("number", "2024"), ("number", "25")]


def test_a_dash_between_numbers_is_a_range_not_a_sign() -> None:
    assert [s.kind for s in segments("في 2016-2017.", "rtl") if s.kind != "text"] == ["range"]


def test_arabic_text_alone_has_no_runs() -> None:
    text = "تم توقيع معاهدة الشراكة في 19 يونيو 2024 في بيونغ يانغ."
    assert runs(text) == []
    assert isolate(text, "rtl") == text


def test_runs_are_wrapped_in_left_to_right_isolates() -> None:
    text = "القرار S/RES/2397 (2017) وسياسة maximum pressure."
    assert isolate(text, "rtl") == (f"القرار {LRI}S/RES/2397 (2017){PDI} وسياسة "
                                    f"{LRI}maximum pressure{PDI}.")


def test_text_already_holding_isolates_is_left_as_is() -> None:
    typed = f"القرار {LRI}S/RES/2397{PDI} وسياسة"
    assert isolate(typed, "rtl") == typed
    assert Localiser("rtl", "arabic-indic")(typed) == typed


def test_arabic_runs_in_left_to_right_text_are_isolated_right_to_left() -> None:
    text = "The treaty معاهدة الشراكة الاستراتيجية was signed in 2024."
    assert runs(text, "ltr") == [("arabic", "معاهدة الشراكة الاستراتيجية")]
    assert isolate(text, "ltr") == f"The treaty {RLI}معاهدة الشراكة الاستراتيجية{PDI} was signed in 2024."


@pytest.mark.parametrize(("text", "run"), [
    ("He asked: هل انتهت الوساطة؟ Nobody answered.", "هل انتهت الوساطة؟"),
    ("They wrote هل انتهت؟ نعم انتهت and left.", "هل انتهت؟ نعم انتهت"),
    ("First الوساطة؛ then more.", "الوساطة؛"),
])
def test_an_arabic_question_mark_or_semicolon_ends_its_arabic_run(text: str, run: str) -> None:
    """`؟` and `؛` are right-to-left letters to the bidi algorithm: left outside the run, the
    page drew `؟` on the right of the run, before its first word for an Arabic reader."""
    assert runs(text, "ltr") == [("arabic", run)]


@pytest.mark.parametrize(("text", "expected"), [
    ("The clause «البند 2 (ب)» applies.", [("arabic", "البند 2 (ب)")]),
    ("under المادة ٥ (ب) of the law", [("arabic", "المادة ٥ (ب)")]),
    ("the party مكتب حماس [السياسي] said", [("arabic", "مكتب حماس [السياسي]")]),
    ("the party حزب الله (Lebanon) said", [("arabic", "حزب الله")]),
    ("Ḥizb Allāh (حزب الله) said", [("arabic", "حزب الله")]),
])
def test_a_bracketed_arabic_group_after_an_arabic_run_continues_it(
        text: str, expected: list[tuple[str, str]]) -> None:
    """As `Facility (GEF)` continues a Latin run in Arabic text: cut at the bracket, the page drew
    «البند 2 (ب)» as two runs side by side, which an Arabic reader reads `(ب) البند 2`."""
    assert runs(text, "ltr") == expected


@pytest.mark.parametrize(("text", "direction", "expected"), [
    ("The ministry, وزارت امور خارجه\u200cی ایران, said", "ltr", "وزارت امور خارجه\u200cی ایران"),
    ("We read «می\u200cخواهیم» in Persian", "ltr", "می\u200cخواهیم"),
    ("The Urdu پاکستان\u200cکے here", "ltr", "پاکستان\u200cکے"),
    ("Twice: خانه\u200c\u200cها here", "ltr", "خانه\u200c\u200cها"),
    ("Before a mark: بهِ\u200cا and سه\u200cٔ here", "ltr", "بهِ\u200cا"),
    ("كلمة Auf\u200clage الألمانية", "rtl", "Auf\u200clage"),
    ("كلمة Auf\u00adlage الألمانية", "rtl", "Auf\u00adlage"),
    ("كلمة shelf\u200dful الإنجليزية", "rtl", "shelf\u200dful"),
])
def test_a_word_spelt_with_a_zwnj_is_one_run(text: str, direction: Direction, expected: str) -> None:
    """A ZWNJ (or ZWJ, soft hyphen) inside a word does not cut its run: two runs were drawn in
    the wrong order (`خواهیم می` in English text, `lageAuf` in Arabic)."""
    assert runs(text, direction)[0] == ("arabic" if direction == "ltr" else "latin", expected)


@pytest.mark.parametrize(("text", "direction", "expected"), [
    ("أعدت لـ John\u200bSmith", "rtl", "John\u200bSmith"),
    ("أعدت لـ x\u200bNadia", "rtl", "x\u200bNadia"),
    ("كلمة United\u2060Nations هنا", "rtl", "United\u2060Nations"),
    ("For سارة\u200bالخطيب today", "ltr", "سارة\u200bالخطيب"),
])
def test_a_zero_width_space_or_word_joiner_between_words_does_not_cut_their_run(
        text: str, direction: Direction, expected: str) -> None:
    """A pasted name `John<ZWSP>Smith` in a copy's Arabic stamp was two runs, isolated apart and
    drawn right to left: `SmithJohn` on the page and in every reader."""
    assert runs(text, direction) == [("arabic" if direction == "ltr" else "latin", expected)]


def test_a_number_is_held_to_the_word_after_it() -> None:
    localise = Localiser("rtl", "latin")
    assert localise("نحو 7.5 طن و50 ألف") == f"نحو 7.5 {WJ}طن و50 {WJ}ألف"


def test_a_range_is_held_on_one_line() -> None:
    localise = Localiser("rtl", "latin")
    assert localise("الفترة 2016–2017") == f"الفترة 2016–{WJ}2017"
    assert localise("الفترة 2016 – 2017") == f"الفترة 2016 {WJ}–{WJ} {WJ}2017"


def test_a_number_typed_in_arabic_indic_digits_is_held_as_a_latin_one_is() -> None:
    """`١٫٥ مليار` and `٢٠١٦ – ٢٠١٧` need no isolate and stay in the Arabic text's segment; they
    are held together all the same, in every edition's digits."""
    for digits in ("latin", "arabic-indic"):
        localise = Localiser("rtl", digits)
        assert localise("نحو ١٫٥ مليار و٥٠ ألف") == f"نحو ١٫٥ {WJ}مليار و٥٠ {WJ}ألف"
        assert localise("الفترة ٢٠١٦–٢٠١٧") == f"الفترة ٢٠١٦–{WJ}٢٠١٧"
        assert localise("الفترة ٢٠١٦ – ٢٠١٧ كاملة") == f"الفترة ٢٠١٦ {WJ}–{WJ} {WJ}٢٠١٧ {WJ}كاملة"
        assert localise("في ١٥/٠٩/٢٠٢٥.") == f"في ١٥/{WJ}٠٩/{WJ}٢٠٢٥."
    assert Localiser("rtl", "latin")("نحو ١٫٥، ثم") == "نحو ١٫٥، ثم"  # a comma is no unit


def test_a_url_may_break_only_after_a_slash() -> None:
    url = "https://www.un.org/security-council/?a=1"
    localised = Localiser("rtl", "latin")(f"انظر {url} الآن")
    assert localised == (f"انظر {LRI}https://{URL_BREAK}www.un.org/{URL_BREAK}security-{WJ}council/"
                         f"{URL_BREAK}?{WJ}a=1{PDI} الآن")


def test_a_url_in_left_to_right_text_breaks_only_after_a_slash_too() -> None:
    """In English text a URL is not a run, but it is held as one: `https://brine-` | `register...`
    was a break at its hyphen. An e-mail address is held whole."""
    localised = Localiser("ltr", "latin")("Read https://brine-register.example.org/a-b or mail a-b@c.org.")
    assert localised == (f"Read https://{URL_BREAK}brine-{WJ}register.example.org/{URL_BREAK}a-{WJ}b"
                         f" or mail a-{WJ}b@c.{WJ}org.")


def test_metadata_keeps_the_logical_text_without_controls() -> None:
    text = "رصد: قرار S/RES/2397 (2017) في 2016–2017 و7.5 طن https://www.un.org/a/"
    assert Localiser("rtl", "latin").plain(text) == text
    assert Localiser("rtl", "arabic-indic").plain(text) == (
        "رصد: قرار S/RES/2397 (2017) في ٢٠١٦–٢٠١٧ و٧٫٥ طن https://www.un.org/a/")


ADDED = str.maketrans("", "", "\u2066\u2067\u2069\u2060\u200e\u200f\u200b\u061c")
PIECES = ["قال", "الأمن", " ", " ", "،", ".", "(", ")", "-", "–", "/", "%", "+", "@", ":",
          "maximum", "U.S.", "KN", "2397", "7.5", "1,000", "2024-06-19", "S/RES/", "https://",
          "www.", "un.org", "\u200f"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30).map("".join),
       st.sampled_from(["rtl", "ltr"]))
def test_localising_in_latin_digits_only_adds_invisible_controls(text: str,
                                                                  direction: Direction) -> None:
    localised = Localiser(direction, "latin")(text)
    assert localised.translate(ADDED) == text.translate(ADDED)  # the author's own RLMs stay too
    assert localised.count("\u200f") >= text.count("\u200f")
    assert localised.count(PDI) == localised.count(LRI) + localised.count(RLI)


def test_a_plus_sign_before_a_decimal_is_a_signed_number_not_a_phone_number() -> None:
    assert runs("بزيادة +2.1% بعد") == []
    assert [s.kind for s in segments("بزيادة +2.1% بعد", "rtl") if s.kind != "text"] == ["signed"]
    assert runs("على +33 1 23 45 67 89 ثم") == [("phone", "+33 1 23 45 67 89")]


def _inline_html(markdown: str, direction: Direction, digits: DigitStyle = "latin") -> str:
    from briefpress.layout.blocks import _RENDERER
    from briefpress.layout.inline_runs import localised_children

    tokens = _RENDERER.parse(markdown)
    inline = tokens[1]
    inline.children = localised_children(inline.children or [], Localiser(direction, digits))
    return _RENDERER.renderer.render(tokens, _RENDERER.options, {})


EN, AR = 'dir="ltr" lang="en"', 'dir="rtl" lang="ar"'


@pytest.mark.parametrize(("markdown", "direction", "expected"), [
    ("سياسة **maximum** pressure لم",
     "rtl", f'سياسة <span {EN}><strong>{LRI}maximum{PDI}</strong> {LRI}pressure{PDI}</span> لم'),
    ("نهج *de* facto **recognition قائم** منذ 2019",
     "rtl", f'نهج <span {EN}><em>{LRI}de{PDI}</em> {LRI}facto{PDI} <strong>{LRI}recognition{PDI}'
            f'</strong></span><strong> قائم</strong> منذ ٢٠١٩'),
    ("رصد [Panel](#a) of 2 us ما",
     "rtl", f'رصد <span {EN}><a href="#a">{LRI}Panel{PDI}</a> {LRI}of {WJ}2 {WJ}us{PDI}</span> ما'),
    ("The treaty *معاهدة* الشراكة 12 was signed",
     "ltr", f'The treaty <span {AR}><em>{RLI}معاهدة{PDI}</em> {RLI}الشراكة {WJ}١٢{PDI}</span> was signed'),
    ("سياسة maximum pressure لم", "rtl", f"سياسة {LRI}maximum pressure{PDI} لم"),
    ("The treaty معاهدة الشراكة was signed",
     "ltr", f"The treaty <span {AR}>{RLI}معاهدة الشراكة{PDI}</span> was signed"),
])
def test_a_run_cut_by_markup_is_wrapped_whole_in_a_span_of_its_direction(
        markdown: str, direction: Direction, expected: str) -> None:
    """The span holds the whole run, markup open at its edges is closed and reopened around it,
    digits inside a left-to-right run stay Latin and those in an Arabic run take the edition's; in
    left-to-right text every Arabic run is a span, cut or not, in right-to-left text only a cut one."""
    assert _inline_html(markdown, direction, "arabic-indic") == f"<p>{expected}</p>\n"


@pytest.mark.parametrize(("text", "direction", "written"), [
    ("The Council decides.", "rtl", "ltr"),
    ("The Council (S/RES/2397) decides 12.", "rtl", "ltr"),
    ("قرر المجلس S/RES/2397.", "rtl", "rtl"),
    ("2024 – 2025", "rtl", "rtl"),
    ("قرر المجلس.", "ltr", "rtl"),
    ("The treaty معاهدة.", "ltr", "ltr"),
])
def test_a_paragraph_takes_the_other_direction_only_when_all_its_letters_have_it(
        text: str, direction: Direction, written: Direction) -> None:
    from briefpress.layout.paragraph_direction import written_direction

    assert written_direction(text, direction) == written


HELD_WHOLE = ["YEi.004", "(CFSP) 2024/632", "S/RES/2397 (2017)", "A/HRC/55/L.1", "+971 4 555 0188",
              "8,400 km", "2019-01-01 – 2019-08-31"]


def _narrow_lines(text: str, tmp_path: Path) -> list[str]:
    """The lines WeasyPrint sets `text` in (localised, Arabic, Latin digits) in a column one pixel
    wide, where every break opportunity is taken; each line as drawn, left to right."""
    from weasyprint import HTML

    fonts = (ROOT / "fonts").as_uri()
    path = tmp_path / "narrow.pdf"
    style = (f'@font-face {{ font-family: A; src: url("{fonts}/Amiri-Regular.ttf"); }} '
             "body { font: 11pt A; } p { width: 1px; }")
    localised = Localiser("rtl", "latin")(text)
    HTML(string=f'<html dir="rtl"><style>{style}</style><p>{localised}</p>').write_pdf(path)
    return [line.text for page in pages(path) for line in page.lines]


@pytest.mark.parametrize("identifier", HELD_WHOLE)
def test_an_identifier_is_never_broken_even_in_a_column_narrower_than_it(identifier: str,
                                                                         tmp_path: Path) -> None:
    """The localised text leaves no break inside an identifier (unlocalised, `YEi.004` breaks at
    its dot)."""
    lines = [line.replace(" ", "") for line in _narrow_lines(f"المؤشر {identifier} عند", tmp_path)]
    assert identifier.replace(" ", "") in lines, lines


@pytest.mark.parametrize("pair", ["آذار/مارس", "كانون الثاني/يناير", "مارس/آذار"])
def test_a_month_named_in_two_calendars_is_never_broken_at_its_slash(pair: str, tmp_path: Path) -> None:
    """Pango may break after a slash: `5 آذار/` | `مارس 2024` split one date word."""
    lines = [line.strip() for line in _narrow_lines(f"في يوم 5 {pair} 2024", tmp_path)]
    assert not any(line.startswith("/") or line.endswith("/") for line in lines), lines


def test_a_latin_word_typed_with_combining_accents_is_one_run() -> None:
    """`Café` typed decomposed (e and U+0301, as macOS saves names and some pastes give) is one run
    with its accents: an accent left outside the isolate was drawn apart, on the Arabic word."""
    text = "مطعم Cafe\u0301 de\u0301ja\u0300 vu في المدينة"
    assert isolate(text, "rtl") == f"مطعم {LRI}Cafe\u0301 de\u0301ja\u0300 vu{PDI} في المدينة"
