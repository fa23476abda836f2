"""The bad-input corpus: exit code, exact first message line, last good build untouched."""

from __future__ import annotations

import re
import shutil
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from briefpress.project import Project
from briefpress.source.markdown import parse_brief

from badinputs import appended_line, apply_case, load_cases, malformed_pdf, png_bytes
from conftest import KNOWN_TAGS, PUBLICATION, ROOT, blind_to, first_blind
from test_cli import run

CASES = load_cases()

PROGRESS = re.compile(r"[\w.-]+/[\w.-]+/(brief|factsheet|annex): (unchanged|[0-9.]+ s)")


@pytest.fixture(scope="session")
def good_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The annex of the real project, built once: the 'last good build' every case starts from."""
    out = tmp_path_factory.mktemp("good")
    code, _, err = run("--project", str(ROOT), "build", "--doc", "annex", "--out", str(out))
    assert (code, err) == (0, "")
    return out


def snapshot(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def test_the_corpus_is_big_enough() -> None:
    assert len(CASES) >= 30
    assert len({case["id"] for case in CASES}) == len(CASES)


LONG_NAME = "a" * 300


def _expand(text: str, tmp: Path, out: Path) -> str:
    return (text.replace("{tmp}", str(tmp)).replace("{outside}", str(tmp / "outside"))
            .replace("{out}", str(out)).replace("{long-name}", LONG_NAME))


def _bomb_object(pdf: Path) -> int:
    """The object number of the stream `malformed_pdf` adds as the first page's last content."""
    import pikepdf

    with pikepdf.open(pdf) as document:
        return int(document.pages[0].obj.Contents[-1].objgen[0])


def _argv(case: dict[str, Any], root: Path, good_build: Path, tmp_path: Path, out: Path) -> list[str]:
    """The command a case runs: `build` by default; `check` or `impose` on the good annex
    damaged as `check:` or `impose:` says; or the arguments of `run:`. `args:` are added."""
    argv = ["--project", str(root), "build", "--out", str(out)]
    if case.get("out") == "file":
        (tmp_path / "out.pdf").write_bytes(b"%PDF-1.7\n")
        argv[-1] = str(tmp_path / "out.pdf")
    for command in ("check", "impose"):
        if command in case:
            pdf = tmp_path / "checked.pdf"
            pdf.write_bytes(malformed_pdf((good_build / PUBLICATION / "general" / "annex.pdf").read_bytes(),
                                          case[command]))
            argv = ["--project", str(root), command, str(pdf)]
            if command == "impose":
                argv += ["--out", str(tmp_path / "booklet.pdf")]
    if "run" in case:
        argv = ["--project", str(root), *case["run"]]
    return [_expand(arg, tmp_path, out) for arg in [*argv, *case.get("args", [])]]


def _sources(root: Path) -> dict[str, bytes]:
    """The project's content and templates, to prove a failed command changed nothing there."""
    return {path.relative_to(root).as_posix(): path.read_bytes()
            for folder in ("content", "templates") for path in sorted((root / folder).rglob("*"))
            if path.is_file()}


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_bad_input(case: dict[str, Any], scratch_project: Project, good_build: Path,
                   tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.png").write_bytes(png_bytes())
    out = tmp_path / "out"
    shutil.copytree(good_build, out)
    before = snapshot(out)
    appended = appended_line(case, scratch_project.root)
    apply_case(case, scratch_project.root, outside)
    argv = _argv(case, scratch_project.root, good_build, tmp_path, out)
    sources = _sources(scratch_project.root)

    code, stdout, stderr = run(*argv)

    lines = stderr.splitlines()
    first = re.sub(r"\{cannot-see:([a-z-]+)(?::([a-z]+))?\}",
                   lambda found: blind_to(found[1], found[2]), _expand(case["first"], tmp_path, out))
    first = first.replace(
        "{first-blind:sanctions-detail}", first_blind("sanctions-detail")).replace(
        "{known-tags}", KNOWN_TAGS)
    first = re.sub(r"\{appended-line(?:\+(\d+))?\}",
                   lambda found: str((appended or 0) + int(found[1] or 0)), first)
    if "{bomb}" in first:
        first = first.replace("{bomb}", str(_bomb_object(tmp_path / "checked.pdf")))
    assert (code, lines[:1]) == (case["code"], [first])
    assert "Traceback" not in stderr
    # a build that fails while rendering has said which targets it made before the failure; it
    # never says it built anything
    assert "check" in case or all(PROGRESS.fullmatch(line) for line in stdout.splitlines()), stdout
    assert snapshot(out) == before
    assert _sources(scratch_project.root) == sources
    assert not (tmp_path / "booklet.pdf").exists()


def test_a_number_in_arabic_indic_digits_is_a_list_number_only_where_one_would_be() -> None:
    """The corpus's `list-number-in-arabic-indic-digits` has a neighbour that is no error: the same
    list numbered in ASCII digits, the number escaped as text, and a paragraph whose wrapped
    line starts with a year and a full stop."""
    head = "---\nrunning_head: موجز\n---\n\n## قسم\n\n"
    for item in ("2. بند ثانٍ؛", "٢\\. بند ثانٍ؛"):
        _, problems = parse_brief(f"{head}1. بند أول؛\n{item}\n3. بند ثالث.\n", "brief.md")
        assert [str(problem) for problem in problems] == [], item
    _, problems = parse_brief(f"{head}بدأ البرنامج في عام\n٢٠٢٤. ثم توسع.\n", "brief.md")
    assert [str(problem) for problem in problems] == []
    _, problems = parse_brief(f"{head}1. بند أول؛\n٢. بند ثانٍ؛\n", "brief.md")
    assert [str(problem) for problem in problems] == [
        "brief.md: line 8: '٢.' is a list number in Arabic-Indic digits, which Markdown does not "
        "read as one (the line would join the text before it); type 2., which each edition "
        "prints in its own digits, or ٢\\. for text"]


def test_an_image_or_link_markdown_cannot_read_is_an_error(tmp_path: Path) -> None:
    """`![خريطة](my map.png)`: a path with a space is no image to Markdown, which would print the
    reference as typed and leave the image out; the path written `<my map.png>` or `my%20map.png`
    is read, and a reference escaped on purpose (`\\[نص\\](ملاحظة)`) is text."""
    (tmp_path / "my map.png").write_bytes(png_bytes())
    head = "---\nrunning_head: موجز\n---\n\n## قسم\n\n"
    text = f"{head}نص.\n\n![خريطة](my map.png)\n\nانظر [التقرير](https://example.org/a b).\n"
    _, problems = parse_brief(text, "brief.md", tmp_path, (tmp_path,))
    assert [str(problem) for problem in problems] == [
        "brief.md: line 9: '![خريطة](my map.png)' is no image or link to Markdown and would be "
        "printed as typed; write a path or address that holds a space as <my map.png>, or with "
        "%20 for each space",
        "brief.md: line 11: '[التقرير](https://example.org/a b)' is no image or link to Markdown "
        "and would be printed as typed; write a path or address that holds a space as "
        "<https://example.org/a b>, or with %20 for each space"]
    for good in ("![خريطة](<my map.png>)", "![خريطة](my%20map.png)", "\\[نص\\](ملاحظة)"):
        _, problems = parse_brief(f"{head}{good}\n", "brief.md", tmp_path, (tmp_path,))
        assert [str(problem) for problem in problems] == [], good


def test_a_link_to_a_definition_brief_md_does_not_hold_is_an_error() -> None:
    """`[الموقع][d]` with no `[d]: url` line was printed as typed, brackets and label, with exit 0;
    so was one whose definition sits right under a line of text, which makes it text of that
    paragraph (printed with its address). A definition after a blank line, and brackets escaped
    on purpose, are read as before."""
    head = "---\nrunning_head: موجز\n---\n\n## قسم\n\n"
    for body, line in (("نص عام [الموقع][d].\n", 7),
                       ("فقرة.\n[d]: https://example.org/a\n\nنص [الموقع][d].\n", 10),
                       ("نص [الموقع][].\n", 7)):
        _, problems = parse_brief(head + body, "brief.md")
        shown, name = ("[الموقع][]", "الموقع") if "[]" in body else ("[الموقع][d]", "d")
        assert [str(problem) for problem in problems] == [
            f"brief.md: line {line}: '{shown}' takes its address from a definition [{name}]: that "
            "brief.md does not hold, so it would be printed as typed, brackets and all; write "
            f"[{name}]: and the address on a line of its own after a blank line (right under a "
            "line of text, it is text of that paragraph), or write the link with its address in "
            "parentheses"], body
    for body in ("نص [الموقع][d].\n\n[d]: https://example.org/a\n", "نص \\[الموقع\\]\\[d\\].\n",
                 "نص [حُذفت] فقط.\n"):
        _, problems = parse_brief(head + body, "brief.md")
        assert [str(problem) for problem in problems] == [], body


def test_a_missing_image_or_bad_link_is_named_as_typed(tmp_path: Path) -> None:
    """An image named in Arabic letters and not found was named percent-encoded, as Markdown
    stores it ('%D9%85%D8%AE%D8%B7%D8%B7.png'), not as the editor typed it."""
    head = "---\nrunning_head: موجز\n---\n\n## قسم\n\n"
    text = f"{head}![شكل](مخطط.png)\n\nانظر [الملف](ملف.pdf).\n"
    _, problems = parse_brief(text, "brief.md", tmp_path, (tmp_path,))
    assert [str(problem).split(":")[:3] for problem in problems] == [
        ["brief.md", " line 7", " image 'مخطط.png'"], ["brief.md", " line 9", " link 'ملف.pdf'"]]


def test_an_image_whose_file_name_is_in_another_unicode_form_is_named_as_such(tmp_path: Path) -> None:
    """An image file named in Arabic letters copied from a Mac keeps its name decomposed (NFD:
    «أ» as alef and hamza above), which the brief's name, typed composed, does not match: the
    error said "file not found" of a file the editor sees in the folder."""
    (tmp_path / unicodedata.normalize("NFD", "أشكال.png")).write_bytes(png_bytes())
    head = "---\nrunning_head: موجز\n---\n\n## قسم\n\n"
    _, problems = parse_brief(f"{head}![شكل](أشكال.png)\n", "brief.md", tmp_path, (tmp_path,))
    assert [str(problem) for problem in problems] == [
        "brief.md: line 7: image 'أشكال.png': file not found; the folder holds a file of that name "
        "in another Unicode form (letters decomposed, as macOS saves names): save it again under "
        "the name typed here"]


def test_front_matter_never_closed_is_named_as_such() -> None:
    """A front matter whose closing `---` was lost is named as one left open, not as missing, and
    its opening line is not taken for a thematic break."""
    _, problems = parse_brief("---\nrunning_head: موجز\n\n## قسم\n\nنص.\n", "brief.md")
    assert [str(problem) for problem in problems] == [
        "brief.md: line 1: the front matter opened here is never closed; end it with a line "
        "holding --- alone, after running_head"]


def test_raw_html_inside_an_image_s_alt_text_is_an_error(tmp_path: Path) -> None:
    """Raw HTML in an image's alt text (`![خريطة <!-- ملاحظة -->](map.png)`) is refused as it is
    anywhere else: the alt text is the figure's /Alt in every edition, and a comment typed there
    reached it whole."""
    (tmp_path / "map.png").write_bytes(png_bytes())
    head = "---\nrunning_head: موجز\n---\n\n## قسم\n\nنص.\n\n"
    for alt, snippet in (("خريطة <!-- ملاحظة داخلية -->", "<!-- ملاحظة داخلية -->"),
                         ("خريطة <b>الحوض</b>", "<b>")):
        for image in (f"![{alt}](map.png)", f"[![{alt}](map.png)](https://example.org)"):
            _, problems = parse_brief(f"{head}{image}\n", "brief.md", tmp_path, (tmp_path,))
            assert [str(problem) for problem in problems][:1] == [
                f"brief.md: line 9: raw HTML is not allowed in Markdown: {snippet!r}; write it as "
                "Markdown instead"], image


def test_a_heading_underlined_with_dashes_or_equals_signs_is_an_error() -> None:
    """A line of `---` right under a paragraph makes it a `##` heading (a setext heading) in
    Markdown: in a tagged section, the paragraph became an untagged section heading, and every
    block after it reached the editions the tag hides it from. It is an error at the underline;
    `## heading` starts a section."""
    head = "---\nrunning_head: موجز\n---\n\n{audience=sanctions-detail}\n## قسم مقيد\n\nنص مقيد.\n\n"
    for underline in ("---", "===", "-", "  ---  "):
        _, problems = parse_brief(f"{head}نص مقيد آخر\n{underline}\n\nنص بعده.\n", "brief.md")
        assert [str(problem) for problem in problems] == [
            "brief.md: line 11: a line of dashes or equals signs under text makes that text a "
            "heading, which Markdown reads as a section of its own; write '## ' before a section "
            "heading or '### ' before a subheading, and delete the underline"], underline
    _, problems = parse_brief(f"{head}- بند\n  ---\n", "brief.md")
    assert [problem.line for problem in problems] == [11]


def test_attribute_syntax_at_the_end_of_a_heading_is_an_error_unless_it_is_a_section_id() -> None:
    """`## heading {#id}` gives a section its id; any other attribute block at the end of a
    heading (`{#id .class}`, `{.class}`, an id on a subheading) was printed as typed, braces and
    all, in the heading, the contents and the outline, with exit 0."""
    head = "---\nrunning_head: موجز\n---\n\n## قسم\n\nنص.\n\n"
    for heading in ("### عنوان فرعي {#sub}", "### عنوان فرعي {.restricted}",
                    "## عنوان {#public .secret}", "> ### عنوان {#sub}"):
        _, problems = parse_brief(f"{head}{heading}\n\nنص.\n", "brief.md")
        shown = heading[heading.index("{"):]
        assert [str(problem) for problem in problems] == [
            f"brief.md: line 9: '{shown}' at the end of a heading would be printed as typed: only a "
            "section heading takes an id, as '## heading {#id}', and no heading takes a class; "
            "delete it, or type \\{ if the braces are text"], heading
    for heading in ("## عنوان {#public}", "### عنوان فرعي \\{#sub}", "### عنوان {كلمة}"):
        _, problems = parse_brief(f"{head}{heading}\n\nنص.\n", "brief.md")
        assert [str(problem) for problem in problems] == [], heading


def test_a_line_that_reads_as_a_heading_but_is_text_is_an_error() -> None:
    """`##القسم` (no space), `##` and a no-break space, a direction mark before the `#`s: each reads
    as a heading but is a paragraph to Markdown. Tagged, the tag covered that one line, and the
    section's blocks joined the untagged section before it, reaching the editions the tag hides
    them from, with exit 0."""
    head = "---\nrunning_head: موجز\n---\n\n## قسم\n\nنص.\n\n{audience=sanctions-detail}\n"
    for heading in ("##ملاحظات داخلية", "##\u00a0ملاحظات داخلية", "\u200f## ملاحظات داخلية",
                    "###\u2009ملاحظات"):
        _, problems = parse_brief(f"{head}{heading}\n\nنص مقيد.\n", "brief.md")
        assert [str(problem) for problem in problems] == [
            f"brief.md: line 10: '{heading.strip()}' reads as a heading, but Markdown reads it as "
            "text (a heading is '## ' or '### ' at the start of the line, with a plain space after "
            "the #s); type it so, or start the line with \\# if it is text"], heading
    _, problems = parse_brief(f"{head}نص مقيد\n##\u00a0ملاحظات\n", "brief.md")
    assert [problem.line for problem in problems] == [11]
    for text in ("#السودان في الأخبار.", "\\## ليس عنواناً.", "العدد #12 من المجلة."):
        _, problems = parse_brief(f"{head}{text}\n", "brief.md")
        assert [str(problem) for problem in problems] == [], text


def test_a_citation_or_cross_reference_in_an_image_s_alt_text_is_an_error(tmp_path: Path) -> None:
    """`![خريطة [@id]](map.png)`: the figure's /Alt is the alt text's plain words, so a citation or a
    cross-reference typed there was dropped from it without a word."""
    (tmp_path / "map.png").write_bytes(png_bytes())
    head = "---\nrunning_head: موجز\n---\n\n## قسم\n\nنص.\n\n"
    for alt, what in (("خريطة [@unctad-2024]", "cites a source ([@id])"),
                      ("خريطة [[ref:art-2]]", "holds a cross-reference ([[ref:id]])")):
        _, problems = parse_brief(f"{head}![{alt}](map.png)\n", "brief.md", tmp_path, (tmp_path,))
        assert f"brief.md: line 9: an image's alt text {what}, which the figure's /Alt would leave " \
            "out; write its words in the alt text, and the citation or reference in the text or " \
            "the caption" in [str(problem) for problem in problems], alt


def test_a_colon_paragraph_after_tagged_text_that_it_cannot_caption_is_an_error(tmp_path: Path) -> None:
    """A paragraph starting with `:` is a caption only right after a table or an image alone.
    After a list whose last item is a tagged image, a tagged quote holding one, a tagged image's
    caption (a second caption) or a tagged paragraph, it was an untagged paragraph of its own,
    printed with its `:` in the editions the tag above it hides that text from, with exit 0."""
    (tmp_path / "map.png").write_bytes(png_bytes())
    head = "---\nrunning_head: موجز\n---\n\n## قسم\n\nنص.\n\n"
    for above, kind, line in (
            ("- بند\n- {audience=sanctions-detail}\n  ![خريطة](map.png)\n", "list", 9),
            ("{audience=sanctions-detail}\n> ![خريطة](map.png)\n", "quote", 10),
            ("{audience=sanctions-detail}\n![خريطة](map.png)\n\n: تعليق أول\n", "paragraph", 12),
            ("{audience=sanctions-detail}\nفقرة مقيدة.\n", "paragraph", 10)):
        text = f"{head}{above}\n: تعليق مقيد\n"
        _, problems = parse_brief(text, "brief.md", tmp_path, (tmp_path,))
        assert [str(problem) for problem in problems] == [
            f"brief.md: line {text.count(chr(10))}: audience: this paragraph starts with ':', as a "
            f"caption does, right after a {kind} that holds tagged text (line {line}); a caption "
            "is one only right under its table or under a paragraph that is an image alone, so "
            "this one would print as an untagged paragraph, with its ':', in the editions that "
            "tag hides the text from; put it right under its table or image, or start it with \\: "
            "if the colon is text"], above
    for text in ("{audience=sanctions-detail}\n| أ |\n|---|\n| 1 |\n\n: تعليق الجدول\n",
                 "{audience=sanctions-detail}\n![خريطة](map.png)\n\n: تعليق الصورة\n",
                 "{audience=sanctions-detail}\nفقرة مقيدة.\n\n\\: نص يبدأ بنقطتين.\n",
                 "فقرة عامة.\n\n: نص يبدأ بنقطتين.\n"):
        _, problems = parse_brief(f"{head}{text}", "brief.md", tmp_path, (tmp_path,))
        assert [str(problem) for problem in problems] == [], text


def test_an_untagged_block_under_a_tagged_subheading_is_an_error(tmp_path: Path) -> None:
    """A tag covers one block, so `{audience=x}` before `### عنوان` hid the subheading alone: the
    paragraphs, lists and tables under it, written after a blank line as Markdown has them, were
    printed without it in the editions the tag hides it from, with exit 0."""
    head = "---\nrunning_head: موجز\n---\n\n## قسم\n\nنص.\n\n{audience=sanctions-detail}\n### تقدير داخلي\n\n"
    for block, word in (("فقرة يظنها الكاتب مقيدة.\n", "paragraph"), ("- بند يظنه الكاتب مقيدا\n", "list"),
                        ("> اقتباس يظنه الكاتب مقيدا\n", "quote")):
        _, problems = parse_brief(head + block, "brief.md")
        assert [str(problem) for problem in problems] == [
            f"brief.md: line 12: audience: this {word} is under the tagged subheading on line 10, but "
            "a tag covers its one block, so the subheading's tag does not cover it: it would print, "
            "without its subheading, in the editions that tag hides the subheading from; tag the "
            f"{word} too if it is restricted, and if it is for every edition, put it before the "
            "subheading or under a subheading of its own"], block
    _, problems = parse_brief(f"{head}{{audience=sanctions-detail}}\nفقرة مقيدة.\n\nفقرة ثانية.\n",
                              "brief.md")
    assert [problem.line for problem in problems] == [15]  # the second block under it, untagged
    for block in ("{audience=sanctions-detail}\nفقرة مقيدة.\n\n{audience=sanctions-detail}\nفقرة أخرى.\n",
                  "### عنوان فرعي عام\n\nفقرة عامة.\n", "## قسم عام\n\nفقرة عامة.\n"):
        _, problems = parse_brief(head + block, "brief.md")
        assert [str(problem) for problem in problems] == [], block


def test_an_untagged_list_after_a_tagged_lead_in_is_an_error() -> None:
    """A tagged paragraph ending with a colon introduces the list after it, but its tag covers
    the paragraph alone: the list printed, without its lead-in, in the editions the tag hides the
    lead-in from, with exit 0."""
    head = "---\nrunning_head: موجز\n---\n\n## قسم\n\nنص.\n\n{audience=sanctions-detail}\n"
    for lead_in in ("الخيارات السرية المطروحة:", "الخيارات المطروحة: ", "Options under review:"):
        _, problems = parse_brief(f"{head}{lead_in}\n\n- خيار أ\n- خيار ب\n", "brief.md")
        assert [str(problem) for problem in problems] == [
            "brief.md: line 12: audience: this list follows the tagged paragraph on line 10, which "
            "ends with ':' to introduce it, but a tag covers its one block: the list would print, "
            "without its lead-in, in the editions that tag hides the paragraph from; tag the list "
            "too if it is restricted, and if it is for every edition, end the paragraph without a "
            "colon"], lead_in
    for text in ("الخيارات المطروحة:\n\n{audience=sanctions-detail}\n- خيار أ\n",
                 "فقرة مقيدة تنتهي بنقطة.\n\n- بند عام\n",
                 "الخيارات المطروحة:\n\n{audience=sanctions-detail}\n- خيار أ\n- خيار ب\n"):
        _, problems = parse_brief(f"{head}{text}", "brief.md")
        assert [str(problem) for problem in problems] == [], text
    _, problems = parse_brief(f"{head[:-28]}الخيارات العامة:\n\n- خيار أ\n", "brief.md")
    assert problems == []  # an untagged lead-in and its list print together


def test_a_note_call_in_an_image_s_alt_text_is_an_error(tmp_path: Path) -> None:
    """`![خريطة[^a]](map.png)`: the call was left out of the figure's /Alt and of the page without
    a word when the note was called from the text too (and was "never called" when not)."""
    (tmp_path / "map.png").write_bytes(png_bytes())
    head = "---\nrunning_head: موجز\n---\n\n## قسم\n\nنص.[^a]\n\n"
    _, problems = parse_brief(f"{head}![خريطة المضيق[^a]](map.png)\n\n[^a]: هامش.\n", "brief.md",
                              tmp_path, (tmp_path,))
    assert [str(problem) for problem in problems] == [
        "brief.md: line 9: an image's alt text calls a note ([^a]), which the figure's /Alt would "
        "leave out and the page would not print; call the note from the text or the caption"]


def test_a_paragraph_indented_with_no_break_spaces_is_an_error() -> None:
    """A paragraph under a tagged list item, indented with no-break spaces (as a word processor
    pastes them), is no part of the item to Markdown, which indents with plain spaces only: it
    was an untagged paragraph, printed in the editions the item's tag hides it from."""
    head = "---\nrunning_head: موجز\n---\n\n## قسم\n\n- {audience=sanctions-detail}\n  بند مقيد\n\n"
    for space in ("\u00a0\u00a0", " \u2009", "\u3000"):
        _, problems = parse_brief(f"{head}{space}تكملة البند.\n", "brief.md")
        name = unicodedata.name(space.strip(" ")[0])
        assert [str(problem) for problem in problems] == [
            f"brief.md: line 10: this paragraph starts with U+{ord(space.strip(' ')[0]):04X} {name}, "
            "which Markdown does not read as indentation, so the paragraph stands apart from any "
            "list item or quote above it; indent it with plain spaces, or delete the character"]
    for text in ("  تكملة البند.", "\u200fنص يبدأ بعلامة اتجاه."):
        _, problems = parse_brief(f"{head}{text}\n", "brief.md")
        assert [str(problem) for problem in problems] == [], text


@pytest.mark.parametrize(("front", "expected"), [
    ("running_head: موجز\nrunning_head: ثان\n",
     "brief.md: line 3: invalid YAML: duplicate key 'running_head' (first on line 2)"),
    ('running_head: "موجز\n\n',
     "brief.md: line 3: invalid YAML: while scanning a quoted scalar from line 2, found unexpected "
     "end of stream"),
])
def test_a_front_matter_problem_names_the_file_s_lines(front: str, expected: str) -> None:
    """A YAML problem in the front matter names lines of `brief.md` in its message too: a duplicate
    key was said to be first on line 1, the opening `---`, one line above where it is."""
    _, problems = parse_brief(f"---\n{front}---\n\n## قسم\n\nنص.\n", "brief.md")
    assert [str(problem) for problem in problems][:1] == [expected]
