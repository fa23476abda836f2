"""`briefpress check` on our PDFs and on PDFs from plain WeasyPrint, drawn right and drawn wrong."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
from fontTools.fontBuilder import FontBuilder
from fontTools.misc.psCharStrings import T2CharString
from fontTools.ttLib import TTFont

from briefpress.check.preflight import _share, preflight
from briefpress.fonts.registry import load_registry
from briefpress.project import Project
from briefpress.projectcheck import check_project

from conftest import PUBLICATION, ROOT, SEED, TARGETS, keep_profiles
from test_cli import run

# An Arabic page as another tool makes it: a paragraph with a Latin phrase, a bullet list, and
# a paragraph with a document symbol, a URL and a phone number. Set with the system's fonts.
FOREIGN_BODY = (
    "<p>تعتمد سياسة maximum pressure على العقوبات الاقتصادية التي فرضها مجلس الأمن منذ سنوات "
    "طويلة، وترى الحكومات الغربية أن هذه السياسة حققت بعض أهدافها في تقليص الموارد المالية "
    "المتاحة للبرامج العسكرية، بينما يرى آخرون أنها لم تغير شيئاً في سلوك الدولة المستهدفة.</p>"
    "<ul><li>إطفاء أجهزة التتبع لفترات طويلة.</li><li>تزوير وثائق الشحن باستخدام أرقام مزيفة.</li>"
    "<li>التحويل عبر شركات واجهة مسجلة في الخارج.</li></ul>"
    "<p>وللاطلاع على التفاصيل يمكن مراجعة الوثيقة S/RES/2397 على الموقع "
    "https://www.un.org/securitycouncil/ أو الاتصال بالرقم +1-212-963-1234 خلال ساعات العمل "
    "الرسمية.</p>")
FOREIGN_PAGES = {
    "rtl": ('lang="ar" dir="rtl"', FOREIGN_BODY),
    "no-direction": ('lang="ar"', FOREIGN_BODY),  # the author forgot dir="rtl"
    "presentation-forms": ('lang="ar" dir="rtl"', "<p>\ufee3\ufeae\ufea3\ufe92\ufe8e بكم</p>"),
    "latin": ('lang="en"', "<p>Latin text</p>"),
}
MAKE = """
import sys, weasyprint
style = "<style>@page{size:A4;margin:25mm} body{font-family:'Noto Naskh Arabic',serif;font-size:14pt}</style>"
for name, attributes, body in eval(sys.argv[2]):
    html = f"<html {attributes}><head><meta charset='utf-8'>{style}</head><body>{body}</body></html>"
    weasyprint.HTML(string=html).write_pdf(f"{sys.argv[1]}/{name}.pdf")
"""


def _plain(body: str) -> str:
    """The text of the foreign page, as its author typed it."""
    for tag in ("<ul>", "</ul>", "<p>", "<li>"):
        body = body.replace(tag, "")
    return body.replace("</p>", "\n").replace("</li>", "\n")


@pytest.fixture(scope="module")
def foreign(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """PDFs from plain WeasyPrint with the machine's own fontconfig: no briefpress involved."""
    folder = tmp_path_factory.mktemp("foreign")
    env = {key: value for key, value in os.environ.items() if key != "FONTCONFIG_FILE"}
    pages = [(name, attributes, body) for name, (attributes, body) in FOREIGN_PAGES.items()]
    subprocess.run([sys.executable, "-c", MAKE, str(folder), repr(pages)], env=env, check=True,
                   capture_output=True)
    (folder / "source.txt").write_text(_plain(FOREIGN_BODY), encoding="utf-8")
    return folder


def _report(*argv: str) -> tuple[int, dict]:
    code, out, _ = run(*argv, "--json")
    reports = json.loads(out)
    assert len(reports) == 1
    return code, {check["name"]: check for check in reports[0]["checks"]}


def test_check_passes_every_pdf_of_the_shipped_publication(project: Project, built: Path) -> None:
    paths = [str(built / target.path) for target in TARGETS if target.publication == PUBLICATION]
    code, out, err = run("--project", str(project.root), "check", *paths)
    assert (code, err) == (0, "")
    assert sum(line.startswith(str(built)) for line in out.splitlines()) == len(paths)
    assert "Amiri-Regular" in out
    assert out.count("  ok   anchoring: ") == len(paths)


def test_check_passes_the_english_fixtures_whose_arabic_items_keep_their_list_s_side(
        project: Project, built: Path) -> None:
    """An Arabic item of an English list keeps its marker on the list's side, the left, and an
    English paragraph holding an Arabic run is set left to right (README, "Mixed runs"): in a PDF
    whose /Lang is English neither is a finding (bilingual-brief was two list-marker failures)."""
    paths = [str(built / target.path) for target in TARGETS
             if target.publication in ("bilingual-brief", "ltr-sample") and target.audience == "general"]
    code, out, err = run("--project", str(project.root), "check", *paths)
    assert (code, err) == (0, "")
    assert out.count("  ok   list markers: ") == len(paths) == 6


def test_check_measures_recall_in_both_readers(project: Project, brief_pdf: Path) -> None:
    code, checks = _report("--project", str(project.root), "check", str(brief_pdf),
                           "--source", str(SEED), "--min-recall", "0.85")
    assert code == 0
    figures = checks["recall"]["figures"]
    print(figures)
    assert set(figures) == {"pdfium exact", "pdfium words", "poppler exact", "poppler words"}
    assert figures["pdfium words"] >= 0.98 and figures["poppler words"] >= 0.85
    # The default floor, 97 % of the words in each reader: poppler runs a number into the word
    # after it (`19يونيو`), which a search finds all the same, so a correct PDF meets it.
    code, checks = _report("--project", str(project.root), "check", str(brief_pdf), "--source", str(SEED))
    assert checks["recall"]["ok"], checks["recall"]


def test_the_text_an_edition_prints_is_the_source_its_brief_passes(project: Project, brief_pdf: Path,
                                                                   tmp_path: Path) -> None:
    """`briefpress text` gives `check --source` the brief as the edition prints it: its notes
    numbered, its cross-references named; the brief's PDF gives it back in both readers, its
    left-to-right runs drawn left to right. A wrong audience or a document it does not get is a
    usage error. Its numbers are in the edition's digits."""
    code, out, err = run("--project", str(project.root), "text", "--audience", "general",
                         "--publication", PUBLICATION)
    assert (code, err) == (0, "")
    assert out.count("\n") > 20 and "[@" not in out and "[[ref:" not in out
    source = tmp_path / "source.txt"
    source.write_text(out, encoding="utf-8")
    code, checks = _report("--project", str(project.root), "check", str(brief_pdf), "--source", str(source))
    assert code == 0 and checks["recall"]["ok"] and checks["ltr runs"]["ok"], checks
    assert run("--project", str(project.root), "text", "--audience", "legal", "--publication",
               PUBLICATION)[::2] == (2, f"audience 'legal' gets no brief of '{PUBLICATION}'\n")
    # In the edition's digits, as its pages print them (check --source folds them either way).
    indic = run("--project", str(project.root), "text", "--audience", "decision-makers", "--publication",
                PUBLICATION)[1]
    assert "في عام 1961" in out and "في عام ١٩٦١" in indic and "1961" not in indic


def test_check_fails_a_source_the_pdf_does_not_hold(project: Project, brief_pdf: Path,
                                                   tmp_path: Path) -> None:
    source = tmp_path / "source.txt"
    source.write_text(SEED.read_text(encoding="utf-8") + "\nفقرة لم تدخل الوثيقة قط " * 60,
                      encoding="utf-8")
    code, out, err = run("--project", str(project.root), "check", str(brief_pdf), "--source", str(source))
    assert code == 1
    assert f"{brief_pdf}: pdfium words recall " in err
    assert "  FAIL recall: " in out


@pytest.mark.parametrize("text", ["", " \n\t\n", "\u200f. ، -\n"])
def test_check_refuses_a_source_with_no_word(project: Project, brief_pdf: Path, tmp_path: Path,
                                             text: str) -> None:
    """A source with no word would measure every recall at 100 %: it is a usage error."""
    source = tmp_path / "source.txt"
    source.write_text(text, encoding="utf-8")
    code, out, err = run("--project", str(project.root), "check", str(brief_pdf), "--source", str(source))
    assert (code, out) == (2, "")
    assert err.splitlines() == [f"{source}: the source text holds no word to measure the PDF's text against"]


@pytest.mark.parametrize("audience", ["general", "decision-makers"])
def test_check_takes_the_digit_style_from_most_numbers(project: Project, built: Path, audience: str) -> None:
    """copy-cases types a few numbers in Arabic-Indic digits: its Latin-digit edition prints them
    as typed and is not an Arabic-Indic edition with lone Latin numbers; its Arabic-Indic one
    has none."""
    pdf = built / "copy-cases" / audience / "brief.pdf"
    _, checks = _report("--project", str(project.root), "check", str(pdf))
    digits = [finding for finding in checks["page quality"]["findings"] if "Latin digits" in finding]
    assert digits == []


@pytest.mark.parametrize("audience", ["general", "decision-makers"])
def test_check_finds_the_fixture_runs_drawn_left_to_right(project: Project, built: Path,
                                                          audience: str) -> None:
    """The mixed-direction fixture's runs, isolated, in both digit styles (the phone number
    was drawn 1234-963-212-1+ before runs were isolated)."""
    pdf = built / "sanctions-watch" / audience / "brief.pdf"
    source = project.content_dir / "sanctions-watch" / "brief.md"
    _, checks = _report("--project", str(project.root), "check", str(pdf), "--source", str(source))
    runs = checks["ltr runs"]
    assert runs["ok"], runs["findings"]
    assert int(runs["summary"].split()[0]) >= 15, runs["summary"]


def test_check_on_plain_weasyprint_rtl(project: Project, foreign: Path) -> None:
    """Anchoring and markers right; the URL and the phone number drawn out of order."""
    code, checks = _report("--project", str(project.root), "check", "--any-font",
                           str(foreign / "rtl.pdf"), "--source", str(foreign / "source.txt"))
    assert code == 1
    assert checks["anchoring"]["ok"] and checks["list markers"]["ok"]
    assert "3 on the right" in checks["list markers"]["summary"]
    assert checks["fonts"]["ok"] and checks["page sizes"]["ok"] and checks["presentation forms"]["ok"]
    findings = " ".join(checks["ltr runs"]["findings"])
    assert "'+1-212-963-1234' is not drawn left to right (the line reads '1234-963-212-1+')" in findings
    assert "https://www.un.org/securitycouncil/" in findings
    assert "maximumpressure" not in findings and "S/RES/2397" not in findings


def test_check_on_plain_weasyprint_without_direction(project: Project, foreign: Path) -> None:
    """Without dir="rtl" paragraphs start at the left and bullets stand left of their items."""
    code, checks = _report("--project", str(project.root), "check", "--any-font",
                           str(foreign / "no-direction.pdf"))
    assert code == 1
    assert checks["anchoring"]["ok"] is False
    assert checks["anchoring"]["findings"][0].startswith(
        "page 1: right-to-left paragraph anchored at the left: ")
    assert checks["list markers"]["ok"] is False
    assert len(checks["list markers"]["findings"]) == 3
    assert checks["ltr runs"]["ok"] is None and checks["ltr runs"]["summary"].startswith("not checked")


def test_check_finds_presentation_forms(project: Project, foreign: Path) -> None:
    """pdfium folds presentation forms back to letters when it extracts; poppler gives them as drawn."""
    code, checks = _report("--project", str(project.root), "check", "--any-font",
                           str(foreign / "presentation-forms.pdf"))
    assert code == 1
    assert checks["presentation forms"]["findings"] == [
        "page 1: poppler text layer holds Arabic presentation forms"]


def test_check_fails_a_pdf_with_a_system_font(project: Project, foreign: Path) -> None:
    """A PDF made with the machine's own fontconfig embeds a font briefpress does not ship."""
    pdf = foreign / "latin.pdf"
    code, out, err = run("--project", str(project.root), "check", str(pdf))
    assert code == 1
    assert err.startswith(f"{pdf}: embeds fonts not shipped in fonts/: ")
    assert out.startswith(f"{pdf}: 1 page(s)")
    code, _, err = run("--project", str(project.root), "check", "--any-font", str(pdf))
    assert (code, err) == (0, "")


def test_a_source_of_thousands_of_runs_is_looked_up_not_compared_with_every_line(
        brief_pdf: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """10,000 left-to-right runs, none in the brief: each is looked up in an index of the lines,
    and a line is searched only when it holds every character of the run; compared with every
    line, they took 22 s for three pages, and minutes for a long PDF. Counted, not timed."""
    from briefpress.check import direction
    from briefpress.check.geometry import pages

    searched: list[str] = []
    search = direction._has_window

    def counted(text: str, run: str) -> bool:
        searched.append(run)
        return search(text, run)

    monkeypatch.setattr(direction, "_has_window", counted)
    source = "".join(f"كلمة abc{number:06d}x " for number in range(10_000))
    glyph_pages = pages(brief_pdf)
    assert direction.ltr_run_problems(glyph_pages, source) == ([], 0)
    assert len(searched) <= sum(len(line.segments()) for page in glyph_pages for line in page.lines)


def test_check_refuses_what_is_not_a_pdf(project: Project, tmp_path: Path) -> None:
    text = tmp_path / "notes.pdf"
    text.write_text("not a PDF", encoding="utf-8")
    code, out, err = run("--project", str(project.root), "check", str(text))
    assert (code, out, err) == (2, "", f"{text}: not a PDF: no %PDF- header in its first 1,024 bytes\n")


def test_check_refuses_a_missing_source(project: Project, brief_pdf: Path, tmp_path: Path) -> None:
    code, out, err = run("--project", str(project.root), "check", str(brief_pdf),
                         "--source", str(tmp_path / "missing.txt"))
    assert (code, out) == (2, "")
    assert err.startswith(f"{tmp_path / 'missing.txt'}: cannot read the source text")


def test_a_signed_percentage_is_a_number_and_a_phone_number_a_run() -> None:
    """`+2.1%` follows the text's direction (drawn `٪٢٫١+` in an Arabic-Indic edition);
    a phone number is drawn left to right in every edition."""
    from briefpress.check.direction import ltr_runs

    runs = ltr_runs("بزيادة +2.1% أو -3.5% والهاتف +1-212-963-1234 أو +44 20 7946 0958.")
    assert runs == ["+1-212-963-1234", "+442079460958"]


def test_check_measures_four_reader_families(foreign: Path) -> None:
    _, checks = _report("check", "--any-font", "--source", str(foreign / "source.txt"),
                        str(foreign / "rtl.pdf"))
    readers = checks["readers"]
    assert readers["ok"] is True, readers
    assert set(readers["figures"]) == {f"{family} {measure}" for family in
                                       ("pdfium", "poppler", "mupdf", "pdfjs")
                                       for measure in ("exact", "words", "order")}
    assert all(0 < value <= 1 for value in readers["figures"].values())
    assert "pdf.js " in readers["summary"] and "MuPDF " in readers["summary"]


def test_check_says_when_pdfjs_cannot_run(foreign: Path, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFPRESS_PDFJS", str(tmp_path))
    code, out, err = run("check", "--any-font", str(foreign / "rtl.pdf"))
    assert code == 1
    assert "  FAIL readers: " in out
    assert f"{foreign / 'rtl.pdf'}: pdf.js: pdfjs-dist is not installed in {tmp_path}; " \
           "run `make readers`" in err


def _bare_cff(name: str) -> bytes:
    """A CFF font set of one glyph, as a Type1C stream holds it."""
    builder = FontBuilder(1000, isTTF=False)
    builder.setupGlyphOrder([".notdef"])
    builder.setupCharacterMap({})
    builder.setupCFF(name, {"FullName": name}, {".notdef": T2CharString(program=[500, "endchar"])}, {})
    builder.setupHorizontalMetrics({".notdef": (500, 0)})
    builder.setupHorizontalHeader()
    builder.setupNameTable({"familyName": name, "styleName": "Regular"})
    builder.setupOS2()
    builder.setupPost()
    saved = io.BytesIO()
    builder.save(saved)
    return TTFont(io.BytesIO(saved.getvalue())).getTableData("CFF ")


def _without_name_table(program: bytes) -> bytes:
    font = TTFont(io.BytesIO(program))
    del font["name"]
    saved = io.BytesIO()
    font.save(saved)
    return saved.getvalue()


# Each font program of a PDF as another tool may embed it: (descriptor key, stream /Subtype,
# program from the one WeasyPrint embedded), and the fonts check's verdict and summary.
PROGRAM_FORMS = {
    "no-name-table": ("/FontFile2", None, _without_name_table, True, "1 embedded"),
    "bare-cff": ("/FontFile3", "/Type1C", lambda _: _bare_cff("ForeignCFF-Regular"), True, "1 embedded"),
    "type1": ("/FontFile", None, lambda _: b"%!PS-AdobeFont-1.0: ForeignOne 001.000\n"
              b"/FontName /ForeignOne-Roman def\n/PaintType 0 def\ncurrentfile eexec\n", True, "1 embedded"),
    "not-embedded": (None, None, None, False, "fonts without an embedded program: "),
    "damaged": ("/FontFile2", None, lambda program: program[:200], False, "1 damaged font program(s)"),
}


def test_check_reads_every_form_a_font_program_is_embedded_in(project: Project, foreign: Path,
                                                                tmp_path: Path) -> None:
    """A program without a name table (as Ghostscript writes TrueType), bare CFF (Type1C) and
    Type 1 are embedded programs; only a font with none, or a damaged one, fails the check."""
    paths = []
    for form, (key, subtype, rewrite, _, _) in PROGRAM_FORMS.items():
        with pikepdf.open(foreign / "latin.pdf") as pdf:
            for font in pdf.objects:
                if not (isinstance(font, pikepdf.Dictionary) and font.get("/Type") == "/FontDescriptor"):
                    continue
                program = font.FontFile2.read_bytes()
                del font["/FontFile2"]
                if key is not None and rewrite is not None:
                    stream = pdf.make_stream(rewrite(program))
                    if subtype is not None:
                        stream.Subtype = pikepdf.Name(subtype)
                    font[key] = stream
            paths.append(tmp_path / f"{form}.pdf")
            pdf.save(paths[-1])
    code, out, _ = run("--project", str(project.root), "check", "--any-font", "--json", *map(str, paths))
    assert code == 1
    reports = {Path(report["path"]).stem: report for report in json.loads(out)}
    for form, (*_, ok, summary) in PROGRAM_FORMS.items():
        fonts = next(check for check in reports[form]["checks"] if check["name"] == "fonts")
        assert (fonts["ok"], fonts["summary"][:len(summary)]) == (ok, summary), form
    assert reports["bare-cff"]["fonts"] == ["ForeignCFF-Regular"]
    assert reports["type1"]["fonts"] == ["ForeignOne-Roman"]


def _unembedded(path: Path, in_a_form: bool) -> Path:
    """A page drawing text in a font with no program: Helvetica named bare (a standard 14 font,
    no descriptor) on the page, or Arial with a descriptor and no program inside a form XObject."""
    pdf = pikepdf.new()
    if in_a_form:
        descriptor = pikepdf.Dictionary(Type=pikepdf.Name.FontDescriptor, FontName=pikepdf.Name.Arial,
                                        Flags=32, FontBBox=[0, 0, 1000, 1000], ItalicAngle=0,
                                        Ascent=900, Descent=-200, CapHeight=700, StemV=80)
        font = pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.TrueType,
                                  BaseFont=pikepdf.Name.Arial, FirstChar=32, LastChar=32, Widths=[278],
                                  FontDescriptor=pdf.make_indirect(descriptor))
        form = pdf.make_stream(b"BT /F1 12 Tf 72 720 Td (Hello) Tj ET", Type=pikepdf.Name.XObject,
                               Subtype=pikepdf.Name.Form, BBox=[0, 0, 612, 792],
                               Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font)))
        resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Fm1=form))
        contents = b"q /Fm1 Do Q"
    else:
        font = pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                  BaseFont=pikepdf.Name.Helvetica)
        resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
        contents = b"BT /F1 12 Tf 72 720 Td (Hello) Tj ET"
    pdf.pages.append(pikepdf.Page(pikepdf.Dictionary(
        Type=pikepdf.Name.Page, MediaBox=[0, 0, 612, 792], Resources=resources,
        Contents=pdf.make_stream(contents))))
    pdf.save(path)
    return path


@pytest.mark.parametrize(("key", "value", "summary"), [
    ("/Rotate", 90, "mixes page sizes: [(595.0, 842.0), (842.0, 595.0)]"),
    ("/CropBox", [0, 0, 300, 400], "mixes page sizes: [(300.0, 400.0), (595.0, 842.0)]"),
    ("/CropBox", [-100, -100, 695, 942], "2 page(s), all 595.0 x 842.0 pt"),
])
def test_the_page_sizes_check_measures_pages_as_shown(project: Project, tmp_path: Path, key: str,
                                                      value: object, summary: str) -> None:
    """A viewer shows and prints a page's CropBox cut to its MediaBox, turned by its /Rotate: a
    landscape page among portrait ones, or one cropped smaller, passed as 'all 595.0 x 842.0 pt'
    (its MediaBox); a CropBox larger than the MediaBox shows the MediaBox."""
    pdf = pikepdf.new()
    for _ in range(2):
        pdf.add_blank_page(page_size=(595, 842))
    pdf.pages[1].obj[key] = value
    pdf.save(tmp_path / "sizes.pdf")
    _, checks = _report("--project", str(project.root), "check", str(tmp_path / "sizes.pdf"))
    assert checks["page sizes"]["summary"] == summary
    assert checks["page sizes"]["ok"] is summary.startswith("2 page(s)")


def _type3(path: Path) -> Path:
    """A page drawing text in a Type 3 font: glyphs the PDF draws itself, from no file in fonts/."""
    pdf = pikepdf.new()
    glyph = pdf.make_stream(b"500 0 0 0 500 700 d1 0 0 500 700 re f")
    font = pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type3, Name=pikepdf.Name.Boxes,
                              FontBBox=[0, 0, 500, 700], FontMatrix=[0.001, 0, 0, 0.001, 0, 0],
                              CharProcs=pikepdf.Dictionary(A=glyph), FirstChar=65, LastChar=65, Widths=[500],
                              Encoding=pikepdf.Dictionary(Differences=[65, pikepdf.Name.A]),
                              Resources=pikepdf.Dictionary())
    pdf.pages.append(pikepdf.Page(pikepdf.Dictionary(
        Type=pikepdf.Name.Page, MediaBox=[0, 0, 612, 792],
        Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(T1=font)),
        Contents=pdf.make_stream(b"BT /T1 24 Tf 72 720 Td (AAAA) Tj ET"))))
    pdf.save(path)
    return path


def test_check_fails_text_in_a_type3_font_unless_any_font(project: Project, tmp_path: Path) -> None:
    """A Type 3 font's glyphs are drawn by the PDF, from no file in fonts/: the fonts check said
    '0 embedded, all shipped in fonts/' of a page set in one."""
    pdf = _type3(tmp_path / "type3.pdf")
    code, checks = _report("--project", str(project.root), "check", str(pdf))
    assert code == 1
    assert checks["fonts"]["summary"] == "draws text in Type 3 fonts, not shipped in fonts/: Boxes"
    code, checks = _report("--project", str(project.root), "check", "--any-font", str(pdf))
    assert checks["fonts"]["ok"]


@pytest.mark.parametrize(("in_a_form", "name"), [(False, "Helvetica"), (True, "Arial")])
def test_check_fails_a_font_with_no_program_on_the_page_or_in_a_form(
        project: Project, tmp_path: Path, in_a_form: bool, name: str) -> None:
    """The fonts check read the page's own fonts, and only those with a descriptor: a standard
    14 font named bare, and a font inside a form XObject (every imposed sheet draws its pages
    as forms), passed as '0 embedded'."""
    pdf = _unembedded(tmp_path / "foreign.pdf", in_a_form)
    code, checks = _report("--project", str(project.root), "check", "--any-font", str(pdf))
    assert code == 1
    assert not checks["fonts"]["ok"]
    assert checks["fonts"]["summary"] == f"fonts without an embedded program: {name}"


def test_check_reads_the_fonts_a_booklet_draws_in_its_forms(project: Project, brief_pdf: Path,
                                                            tmp_path: Path) -> None:
    booklet = tmp_path / "booklet.pdf"
    assert run("impose", str(brief_pdf), "--out", str(booklet))[0] == 0
    code, checks = _report("--project", str(project.root), "check", str(booklet))
    assert code == 0
    assert checks["fonts"]["ok"] and checks["fonts"]["summary"].startswith("4 embedded")



SYMBOL_BEFORE_A_CALL = """<html dir="rtl" lang="ar"><style>
@font-face {{ font-family: Amiri; src: url("{fonts}/Amiri-Regular.ttf"); }}
@page {{ size: A5; margin: 20mm; }} body {{ font: 12pt Amiri; }}
</style><body><p>ذكّر المجلس بالقرار S/RES/2397 (2017).\u20689\u2069
ثم انتقل إلى بند آخر.</p></body></html>"""


def test_a_document_symbol_before_a_note_call_is_drawn_left_to_right(tmp_path: Path) -> None:
    """The text the tests measure (`brief_text`) writes a note call as its number after the
    sentence: `S/RES/2397 (2017). 9`, which bidi reads as one left-to-right run, number and all.
    A brief draws the call as a box of its own, left of the sentence's full stop (the line reads
    `9.S/RES/2397(2017)`), so the symbol is drawn left to right; `check` failed it."""
    from weasyprint import HTML

    from briefpress.check.direction import ltr_run_problems, ltr_runs
    from briefpress.check.geometry import pages

    source = "ذكّر المجلس بالقرار S/RES/2397 (2017). 9 ثم انتقل إلى بند آخر."
    assert ltr_runs(source) == ["S/RES/2397(2017).9"]  # the case: the call's number in the run
    pdf = tmp_path / "symbol.pdf"
    HTML(string=SYMBOL_BEFORE_A_CALL.format(fonts=(ROOT / "fonts").as_uri())).write_pdf(pdf)
    assert ltr_run_problems(pages(pdf), source) == ([], 1)


SENTENCE = "متر انخفاض سنوي في منسوب المياه الجوفية في الواحات العربية القديمة"


def test_an_anchoring_finding_quotes_its_line_in_reading_order(tmp_path: Path) -> None:
    """A right-to-left paragraph set at the left is quoted as it reads, words apart, as the
    page-quality findings quote a line: the finding quoted the glyphs in drawing order, an
    Arabic line's letters reversed and run together ('ضافخنارتم' for «متر انخفاض»)."""
    import weasyprint

    from briefpress.check.direction import anchoring_problems
    from briefpress.check.geometry import pages

    face = (ROOT / "fonts" / "Amiri-Regular.ttf").as_uri()
    html = (f"<html lang='ar'><style>@font-face {{ font-family: A; src: url({face}) }}"
            f"body {{ font: 14pt A; width: 60mm }}</style><body><p>{SENTENCE}</p></body></html>")
    pdf = tmp_path / "left.pdf"
    weasyprint.HTML(string=html).write_pdf(pdf)
    findings, examined = anchoring_problems(pages(pdf))
    assert examined == 1 and len(findings) == 1
    quoted = str(findings[0]).rsplit("(", 1)[1].removesuffix(")").strip("'").removesuffix("...")
    assert " " in quoted and quoted in SENTENCE, quoted


def _tag_language(pdf: Path, kind: str, language: str) -> None:
    """Give every structure element of `kind` a /Lang, as a build tags an Arabic paragraph
    (`P`) or an Arabic run inside an English block (`Span`)."""
    with pikepdf.open(pdf, allow_overwriting_input=True) as document:

        def walk(element: pikepdf.Object) -> None:
            if isinstance(element, pikepdf.Array):
                for child in element:
                    walk(child)
            elif isinstance(element, pikepdf.Dictionary) and "/S" in element:
                if str(element.S) == f"/{kind}":
                    element.Lang = pikepdf.String(language)
                walk(element.get("/K", pikepdf.Array()))

        walk(document.Root.StructTreeRoot.K)
        document.save(pdf)


def test_an_arabic_span_kept_in_an_english_block_s_direction_is_no_anchoring_finding(
        tmp_path: Path) -> None:
    """In an English document, an Arabic figure-card label or list item is one Arabic span in a
    block set left to right, by design (README, "Mixed runs"); wrapped, its lines start at the
    left. The structure says so: the block's language is English, the span's Arabic. `check`
    failed such a fact sheet (a card label «متر انخفاض سنوي ...» over two lines), while a
    paragraph tagged Arabic and set at the left is still a finding."""
    import weasyprint

    from briefpress.check.direction import anchoring_problems
    from briefpress.check.geometry import pages
    from briefpress.check.languages import block_languages

    face = (ROOT / "fonts" / "Amiri-Regular.ttf").as_uri()
    html = (f"<html lang='en'><style>@font-face {{ font-family: A; src: url({face}) }}"
            f"body {{ font: 14pt A; width: 60mm }}</style><body><p>{SENTENCE}</p></body></html>")
    for kind, expected in (("Span", 0), ("P", 1)):
        pdf = tmp_path / f"{kind}.pdf"
        weasyprint.HTML(string=html).write_pdf(pdf, pdf_tags=True)
        _tag_language(pdf, kind, "ar")
        blocks = block_languages(pdf)
        assert blocks and set(blocks.values()) == {"ar" if kind == "P" else "en"}, blocks
        findings, examined = anchoring_problems(pages(pdf), ltr_document=True, blocks=blocks)
        assert (len(findings), examined) == (expected, expected), (kind, findings)
        untagged, _ = anchoring_problems(pages(pdf), ltr_document=True)
        assert len(untagged) == 1, "without the structure, a paragraph with no Latin letter"


def test_recall_words_drop_harakat_as_the_readers_check_does(project: Project, tmp_path: Path) -> None:
    """The recall check's words are a search's, harakat dropped, as the README says and as the
    readers check counts them: a source with harakat over a PDF that prints the words without
    them is found whole. The recall check kept the marks, so one report gave two figures for
    the same reader's words (poppler 96.9 % failing recall, 97.3 % under readers)."""
    import weasyprint

    face = (ROOT / "fonts" / "Amiri-Regular.ttf").as_uri()
    html = (f"<html lang='ar' dir='rtl'><style>@font-face {{ font-family: A; src: url({face}) }}"
            "body { font: 14pt A }</style><body><p>الماء حياة والأرض أم</p></body></html>")
    pdf, source = tmp_path / "plain.pdf", tmp_path / "source.txt"
    weasyprint.HTML(string=html).write_pdf(pdf)
    source.write_text("الماءُ حياةٌ والأرضُ أمٌّ\n", encoding="utf-8")
    _, checks = _report("--project", str(project.root), "check", str(pdf), "--source", str(source))
    recall, readers = checks["recall"]["figures"], checks["readers"]["figures"]
    assert recall["pdfium words"] == recall["poppler words"] == 1.0, recall
    assert readers["pdfium words"] == readers["poppler words"] == 1.0, readers


def test_check_project_takes_the_digit_style_from_the_profile(scratch_project: Project,
                                                             tmp_path: Path) -> None:
    """A Latin-digit edition of a brief typed mostly in Arabic-Indic digits (verse numbers, Hijri
    dates) is no Arabic-Indic edition: `check --project`, which knows its profile, lists none of
    its Latin numbers, where `check` of the PDF alone goes by most of its numbers."""
    brief = scratch_project.content_dir / PUBLICATION / "brief.md"
    numbers = "، ".join(f"الآية ٢{tens}{units}" for tens in "٠١٢٣" for units in "٠١٢٣٤٥٦٧٨٩")
    brief.write_text(brief.read_text(encoding="utf-8") + f"\nومن الشواهد: {numbers}.\n", encoding="utf-8")
    keep_profiles(scratch_project.templates_dir, "general")  # one edition is enough
    reports = check_project(scratch_project, tmp_path / "out")
    [general] = [report for report in reports.reports
                 if report.path.parts[-2:] == ("general", "brief.pdf")]
    checks = {check.name: check for check in general.checks}
    assert not [finding for finding in checks["page quality"].findings if "Latin digits" in finding]
    alone = preflight(general.path, load_registry(*scratch_project.font_dirs))
    assert [finding for finding in {check.name: check for check in alone.checks}["page quality"].findings
            if "Latin digits" in finding]


@pytest.mark.parametrize(("value", "exact", "printed"), [
    (0.96969, False, "96.9%"),  # 32 words of 33: under 97 %, never printed as 97.0 %
    (0.97, False, "97.0%"),
    (1.0, False, "100.0%"),
    (0.97, True, "97%"),
    (0.975, True, "97.5%"),  # a --min-recall of 0.975 is 97.5 %, not 98 %
])
def test_a_recall_under_the_minimum_never_prints_as_the_minimum(value: float, exact: bool,
                                                                 printed: str) -> None:
    """`check --source` said `pdfium words recall 97.0% is under 97%` of 96.97 %."""
    assert _share(value, exact) == printed
