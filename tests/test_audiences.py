"""Audience profiles: four editions of one source, and nothing leaks between them."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from briefpress.build import build, load_all
from briefpress.check.geometry import Page, pages
from briefpress.check.textlayer import normalise, pdfium_text, word_recall
from briefpress.errors import ContentError
from briefpress.project import Project
from briefpress.source.audiences import load_profiles
from briefpress.source.visibility import misspelt_tag_problems

from conftest import (
    CHECKOUT_PROFILES,
    KNOWN_TAGS,
    PROFILES,
    PUBLICATION,
    PUBLICATIONS,
    ROOT,
    Target,
    copy_project,
    declare_tags,
    weasyprint_warnings_fail,
)
from test_editions import source_text
from test_fidelity import seed_body

MM = 72 / 25.4
PAPER = {"A4": (595.28, 841.89), "A5": (419.53, 595.28), "letter": (612.0, 792.0)}
SHIPPED_PROFILES = ("decision-makers", "general", "press", "researchers")


KINDS = ("section", "para", "aside", "item", "fact", "clause", "list")


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _titles(outline: list) -> list[str]:
    """Every bookmark title, nested ones included."""
    found: list[str] = []
    for item in outline:
        found += _titles(item) if isinstance(item, list) else [item.title]
    return found


def _pdf_strings(path: Path) -> str:
    """Text layer, bookmarks, metadata and attachment names of a PDF, joined."""
    reader = PdfReader(str(path))
    metadata = " ".join(str(value) for value in (reader.metadata or {}).values())
    attachments = " ".join(reader.attachments)
    xmp = reader.xmp_metadata
    xmp_text = xmp.stream.get_data().decode("utf-8", "replace") if xmp else ""
    return "\n".join([pdfium_text(path), *_titles(reader.outline), metadata, attachments, xmp_text])


# Leaks ----------------------------------------------------------------------

#: The profiles of the canary project, a copy of the checkout, that get the seed publication.
CANARY_PROFILES = sorted(name for name, profile in CHECKOUT_PROFILES.items() if profile.gets(PUBLICATION))


def _canary(kind: str, profile: str) -> str:
    return f"zq{kind}{profile.replace('-', '')}"


@pytest.fixture(scope="module")
def canary_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed publication plus, for each profile, blocks tagged for that profile alone."""
    root = copy_project(tmp_path_factory.mktemp("canary") / "project", fixtures=False).root
    folder = root / "content" / PUBLICATION
    brief = (folder / "brief.md").read_text(encoding="utf-8")
    facts = yaml.safe_load((folder / "facts.yaml").read_text(encoding="utf-8"))
    annex = yaml.safe_load((folder / "annex.yaml").read_text(encoding="utf-8"))
    for profile in CANARY_PROFILES:
        tag = f"only-{profile}"
        path = root / "templates" / "audiences" / f"{profile}.yaml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data["include"] = [*data.get("include", []), tag]
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        words = {kind: _canary(kind, profile) for kind in KINDS}
        brief = brief.replace("\n## الموقف الروسي", (
            f"\n{{audience={tag}}}\n## {words['section']}\n\n"
            f"{words['para']} {words['fact']} 1 {words['clause']} {words['list']}\n\n"
            f"- {{audience={tag}}}\n  {words['item']}\n- عنصر عام\n"
            "\n## الموقف الروسي"), 1)
        brief = brief.replace("وقد تضمنت الاتفاقية البنود الرئيسية التالية:\n", (
            "وقد تضمنت الاتفاقية البنود الرئيسية التالية:\n\n"
            f"{{audience={tag}}}\n{words['aside']}\n"), 1)
        facts["figures"].append({"value": "1", "label": words["fact"], "source": f"{words['fact']} 1",
                                 "audience": [tag]})
        facts["lists"].append({"title": words["list"], "source": words["list"],
                               "items": [words["list"]], "audience": [tag]})
        annex["schedules"][0]["clauses"].append(
            {"number": len(annex["schedules"][0]["clauses"]) + 1, "text": words["clause"],
             "audience": [tag]})
    (folder / "brief.md").write_text(brief, encoding="utf-8")
    # An edition without the brief, fact sheet or annex prints none of its canaries there: its
    # tags are declared, as a tag that holds blocks back from every edition must be.
    declare_tags(root / "content", {f"only-{profile}": "canary" for profile in CANARY_PROFILES})
    (folder / "facts.yaml").write_text(yaml.safe_dump(facts, allow_unicode=True), encoding="utf-8")
    (folder / "annex.yaml").write_text(yaml.safe_dump(annex, allow_unicode=True), encoding="utf-8")
    out = root / "out"
    with weasyprint_warnings_fail("the canary build"):
        build(Project(root), out)
    return out


@pytest.mark.parametrize("profile", CANARY_PROFILES)
def test_no_canary_of_another_audience_leaks(canary_build: Path, profile: str) -> None:
    pdfs = sorted((canary_build / PUBLICATION / profile).glob("*.pdf"))
    assert pdfs
    for path in pdfs:
        strings = _pdf_strings(path)
        leaked = sorted(set(re.findall(r"zq[a-z]+", strings)) -
                        {_canary(kind, profile) for kind in KINDS})
        assert leaked == [], f"{path.name}: {leaked}"


@pytest.mark.parametrize("profile", CANARY_PROFILES)
def test_each_canary_reaches_its_own_audience(canary_build: Path, profile: str) -> None:
    folder = canary_build / PUBLICATION / profile
    assert list(folder.glob("*.pdf"))
    if (folder / "brief.pdf").exists():  # an edition may print the annex alone (legal)
        brief = _pdf_strings(folder / "brief.pdf")
        for kind in KINDS:
            assert _canary(kind, profile) in brief, kind
        assert _canary("section", profile) in " ".join(
            _titles(PdfReader(str(folder / "brief.pdf")).outline))
    if (folder / "factsheet.pdf").exists():
        sheet = pdfium_text(folder / "factsheet.pdf")
        assert _canary("fact", profile) in sheet and _canary("list", profile) in sheet
    if (folder / "annex.pdf").exists():
        assert _canary("clause", profile) in pdfium_text(folder / "annex.pdf")


def test_shipped_tag_reaches_only_its_audiences(built: Path) -> None:
    problem = "غياب القناة المصرفية."
    for name, profile in PROFILES.items():
        if "factsheet" not in profile.documents or not profile.gets(PUBLICATION):
            continue
        text = normalise(pdfium_text(built / PUBLICATION / name / "factsheet.pdf"))
        sees = "sanctions-detail" in profile.include and "sanctions-detail" not in profile.exclude
        assert (problem in text) == sees, name


def test_unknown_content_tag_is_an_error(scratch_project: Project, tmp_path: Path) -> None:
    brief = scratch_project.content_dir / PUBLICATION / "brief.md"
    text = brief.read_text(encoding="utf-8").replace(
        "## الإجراءات المشتركة", "{audience=ministers}\n## الإجراءات المشتركة", 1)
    brief.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as raised:
        build(scratch_project, tmp_path / "out")
    assert str(raised.value.problems[0]) == (
        f"content/{PUBLICATION}/brief.md: line 14: audience: unknown audience tag 'ministers'; "
        f"profiles know: {KNOWN_TAGS}")
    assert not (tmp_path / "out").exists()


def test_tag_included_only_for_other_publications_is_an_error(scratch_project: Project,
                                                              tmp_path: Path) -> None:
    """A tag whose only includer never builds this publication hides its block from every
    edition of it, as a tag no profile includes does."""
    shutil.copytree(scratch_project.content_dir / PUBLICATION, scratch_project.content_dir / "aaa-other")
    other = scratch_project.content_dir / "aaa-other" / "publication.yaml"
    other.write_text(other.read_text(encoding="utf-8").replace(f"id: {PUBLICATION}", "id: aaa-other"),
                     encoding="utf-8")
    (scratch_project.templates_dir / "audiences" / "insiders.yaml").write_text(
        "name: insiders\ndescription: إصدار داخلي\ndocuments: [brief]\ninclude: [insiders]\n"
        "publications: [aaa-other]\n", encoding="utf-8")
    brief = scratch_project.content_dir / PUBLICATION / "brief.md"
    brief.write_text(brief.read_text(encoding="utf-8").replace(
        "## الإجراءات المشتركة", "{audience=insiders}\n## الإجراءات المشتركة", 1), encoding="utf-8")
    with pytest.raises(ContentError) as raised:
        build(scratch_project, tmp_path / "out")
    assert [str(problem) for problem in raised.value.problems] == [
        f"content/{PUBLICATION}/brief.md: line 14: audience: audience tag 'insiders' is included only "
        f"by profiles that do not build '{PUBLICATION}' (insiders), so it removes this block from "
        "every edition of it; include it in a profile that builds the publication, or declare it in "
        "content/tags.yaml if that is meant"]
    assert not (tmp_path / "out").exists()


def test_block_whose_tags_and_its_sections_reach_no_edition_is_an_error(
        scratch_project: Project, tmp_path: Path) -> None:
    """A paragraph tagged for press inside a quote tagged for the editions press excludes is in
    no PDF: each tag alone reaches an edition, but none shows both."""
    _replace(scratch_project.templates_dir / "audiences" / "press.yaml", "exclude: [sanctions-detail]",
             "include: [public]\nexclude: [sanctions-detail]")
    brief = scratch_project.content_dir / PUBLICATION / "brief.md"
    text = brief.read_text(encoding="utf-8").rstrip("\n")
    brief.write_text(text + "\n\n{audience=sanctions-detail}\n> {audience=public}\n"
                     "> تعليق يخص الصحافة.\n", encoding="utf-8")
    line = text.count("\n") + 5  # the quoted paragraph, under its tag
    with pytest.raises(ContentError) as raised:
        build(scratch_project, tmp_path / "out")
    assert [str(problem) for problem in raised.value.problems] == [
        f"content/{PUBLICATION}/brief.md: line {line}: audience: no edition that prints the brief shows "
        "this block ({audience=public} inside {audience=sanctions-detail}: no profile shows all of "
        "these tags), so it would be in no PDF; give it tags an edition that sees the blocks around "
        "it includes"]
    assert not (tmp_path / "out").exists()


def test_annex_node_whose_tags_and_its_parents_reach_no_edition_is_an_error(
        scratch_project: Project, tmp_path: Path) -> None:
    """A clause tagged for one annex edition in a schedule tagged for another is in no annex."""
    _replace(scratch_project.templates_dir / "audiences" / "legal.yaml", "include: [sanctions-detail]",
             "include: [public]\nexclude: [sanctions-detail]")
    annex = scratch_project.content_dir / PUBLICATION / "annex.yaml"
    _replace(annex, "    clauses:\n", "    audience: [sanctions-detail]\n    clauses:\n")
    _replace(annex, "      - number: 2\n", "      - number: 2\n        audience: [public]\n")
    with pytest.raises(ContentError) as raised:
        build(scratch_project, tmp_path / "out")
    assert [str(problem) for problem in raised.value.problems] == [
        f"content/{PUBLICATION}/annex.yaml: line 25: audience: no edition that prints the annex "
        "shows this node ({audience=public} inside {audience=sanctions-detail}: no profile shows all "
        "of these tags), so it would be in no PDF; give it tags an edition that sees the nodes above "
        "it includes"]
    assert not (tmp_path / "out").exists()


def test_misspelt_exclusion_is_refused_while_another_publication_does_not_load(
        scratch_project: Project, tmp_path: Path) -> None:
    """A draft publication that does not load yet must not switch the spelling check off: press
    would print a block tagged `public sanctions-detail` through an exclusion that excludes nothing."""
    _replace(scratch_project.templates_dir / "audiences" / "press.yaml", "exclude: [sanctions-detail]",
             "include: [public]\nexclude: [sanction-detail]")
    _replace(scratch_project.content_dir / PUBLICATION / "facts.yaml", "audience: [sanctions-detail]",
             "audience: [public, sanctions-detail]")
    draft = scratch_project.content_dir / "aaa-draft"
    draft.mkdir()
    (draft / "publication.yaml").write_text("id: aaa-draft\ntitle: [\n", encoding="utf-8")
    with pytest.raises(ContentError) as raised:
        build(scratch_project, tmp_path / "out", publications=[PUBLICATION])
    assert [str(problem) for problem in raised.value.problems] == [
        "templates/audiences/press.yaml: line 7: exclude: tag 'sanction-detail' tags no content and "
        "content/tags.yaml does not declare it; did you mean 'sanctions-detail'? (the tags of "
        "aaa-draft, which does not load, are not counted)"]
    assert not (tmp_path / "out").exists()


def test_a_short_tag_one_letter_off_is_a_misspelling(scratch_project: Project) -> None:
    """`hw` for `hq` is one letter off: excluding it would let a block tagged `public hq` reach
    press. A two-letter tag two letters from every known one may be meant for content to come."""
    _replace(scratch_project.templates_dir / "audiences" / "press.yaml", "exclude: [sanctions-detail]",
             "include: [public]\nexclude: [sanctions-detail, hw, eu]")
    problems = misspelt_tag_problems(scratch_project, load_profiles(scratch_project),
                                     {"public", "sanctions-detail", "hq"}, set())
    assert [str(problem) for problem in problems] == [
        "templates/audiences/press.yaml: line 7: exclude: tag 'hw' tags no content and "
        "content/tags.yaml does not declare it; did you mean 'hq'?"]


INNER_TEXT = """

{audience=inner}
فقرة داخلية تستدعي هامشاً.[^inner]

[^inner]: هامش غير موسوم.

{audience=inner}
> اقتباس داخلي.
>
> [inref]: https://example.org/inner

وانظر [القسم الداخلي](#inner-sec) و[المرجع][inref].

{audience=inner}
## قسم داخلي {#inner-sec}

نص داخلي.
"""


def test_brief_checks_ignore_audiences_that_print_no_brief(scratch_project: Project) -> None:
    """A note, a `#section` link and a link definition are checked against the editions that print
    the brief: `legal` (the annex alone) does not include `inner`, and must not refuse them."""
    for path in (scratch_project.templates_dir / "audiences").glob("*.yaml"):
        profile = yaml.safe_load(path.read_text(encoding="utf-8"))
        if "brief" in profile["documents"]:  # every edition that prints the brief sees `inner`
            profile["include"] = [*profile.get("include", []), "inner"]
            path.write_text(yaml.safe_dump(profile, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert "brief" not in load_profiles(scratch_project)["legal"].documents
    brief = scratch_project.content_dir / PUBLICATION / "brief.md"
    brief.write_text(brief.read_text(encoding="utf-8") + INNER_TEXT, encoding="utf-8")
    contents, _ = load_all(scratch_project, [PUBLICATION])
    assert [section.key for section in contents[PUBLICATION].brief.sections][-1] == "inner-sec"


# Digits ---------------------------------------------------------------------

@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_digits_follow_the_profile(built: Path, profile: str) -> None:
    """The shipped article has no identifiers: every number follows the edition's digits."""
    style = PROFILES[profile].digits
    for path in sorted((built / PUBLICATION / profile).glob("*.pdf")):
        text = pdfium_text(path)
        if style == "arabic-indic":
            assert not re.search(r"[0-9]", text), (path.name, re.findall(r".{8}[0-9]+", text)[:3])
            assert re.search(r"[٠-٩]", text)
        else:
            assert not re.search(r"[٠-٩]", text), path.name


def test_arabic_editions_use_their_digits(built: Path, project: Project,
                                         arabic_edition: tuple[str, str]) -> None:
    """An arabic-indic edition prints Arabic-Indic digits; a latin one prints none but those the
    author typed so (`٩ مارس ٢٠٢٥` stays as typed: rule 1)."""
    publication, profile = arabic_edition
    text = "".join(pdfium_text(path) for path in sorted((built / publication / profile).glob("*.pdf")))
    if PROFILES[profile].digits == "arabic-indic":
        assert re.search(r"[٠-٩]", text)
    else:
        assert _untyped_indic_numbers(text, _typed(project, publication)) == set()


def _untyped_indic_numbers(printed: str, typed: str) -> set[str]:
    """Arabic-Indic numbers a latin edition printed that its author did not type so."""
    return set(re.findall(r"[٠-٩]+", printed)) - set(re.findall(r"[٠-٩]+", typed))


def _typed(project: Project, publication: str) -> str:
    """What the author typed: `source_text`, then the text of each note, which a latin edition
    prints as typed too."""
    brief = load_all(project, [publication])[0][publication].brief
    notes = [text for note in brief.notes for block in note.blocks for text in block.inline_texts()]
    return "\n".join([source_text(project, publication), *notes])


def test_a_latin_edition_keeps_arabic_indic_digits_as_typed(scratch_project: Project,
                                                            tmp_path: Path) -> None:
    brief = scratch_project.content_dir / PUBLICATION / "brief.md"
    brief.write_text(brief.read_text(encoding="utf-8")
                     + "\nوقّع الطرفان ملحقاً في ٩ مارس ٢٠٢٥ بعد 12 جولة.[^typed]\n"
                     + "\n[^typed]: انظر المحضر رقم ٤٧.\n", encoding="utf-8")
    build(scratch_project, tmp_path, audiences=["press"], documents=["brief"])
    text = pdfium_text(tmp_path / PUBLICATION / "press" / "brief.pdf")
    assert "٩ مارس ٢٠٢٥" in text and "بعد 12 جولة" in text and "٤٧" in text
    assert _untyped_indic_numbers(text, _typed(scratch_project, PUBLICATION)) == set()
    assert _untyped_indic_numbers(text.replace("12", "١٢"), brief.read_text(encoding="utf-8")) == {"١٢"}


def test_page_numbers_follow_the_digit_style(built: Path, edition: tuple[str, str]) -> None:
    """Page 2 of N: the footer counters use the edition's digits and no others; an English
    publication's are Latin in every edition (README, "Numerals", rule 7)."""
    publication, profile = edition
    brief = built / publication / profile / "brief.pdf"
    if not brief.exists() or len(pages(brief)) < 2:
        pytest.skip("no second page of a brief in this edition")
    latin, indic = "0123456789", "٠١٢٣٤٥٦٧٨٩"
    arabic = PUBLICATIONS[publication]["direction"] == "rtl"
    ours, other = (indic, latin) if PROFILES[profile].digits == "arabic-indic" and arabic else (latin, indic)
    page_two = pages(brief)[1]
    footer = "".join(line.text for line in page_two.lines if line.top > page_two.height - 20 * MM)
    assert ours[2] in footer, footer
    assert not any(digit in footer for digit in other), footer


# Paper ----------------------------------------------------------------------

def test_page_boxes_match_the_profile(pdf: Path, target: Target) -> None:
    expected = PAPER[PROFILES[target.audience].paper_for(target.document)]
    for page in PdfReader(str(pdf)).pages:
        size = (round(float(page.trimbox.width), 2), round(float(page.trimbox.height), 2))
        assert size == expected


def test_a5_brief_reflows_with_the_same_recall(scratch_project: Project, built: Path,
                                               seed_text: str, tmp_path: Path) -> None:
    profile = scratch_project.templates_dir / "audiences" / "general.yaml"
    profile.write_text(profile.read_text(encoding="utf-8") + "paper: A5\n", encoding="utf-8")
    build(scratch_project, tmp_path / "out", documents=["brief"], audiences=["general"])
    a5 = tmp_path / "out" / PUBLICATION / "general" / "brief.pdf"
    a4 = built / PUBLICATION / "general" / "brief.pdf"
    assert len(PdfReader(str(a5)).pages) > len(PdfReader(str(a4)).pages)
    assert PdfReader(str(a5)).pages[0].mediabox.width < 420
    recall_a5 = word_recall(seed_body(seed_text), pdfium_text(a5))
    recall_a4 = word_recall(seed_body(seed_text), pdfium_text(a4))
    print(f"recall A4 {recall_a4:.4f}, A5 {recall_a5:.4f}")
    assert recall_a5 >= 0.98
    assert abs(recall_a5 - recall_a4) < 0.005


# Mirroring ------------------------------------------------------------------

@pytest.fixture(scope="module")
def ltr_build(built: Path) -> Path:
    """The left-to-right fixture publication's general edition."""
    return built / "ltr-sample" / "general"


def _text_lines(page: Page, font: str) -> list:
    return [line for line in page.lines if all(font in g.font for g in line.glyphs)
            and 25 * MM < line.top < page.height - 25 * MM]


def test_ltr_body_lines_are_anchored_at_the_left_mirroring_rtl(ltr_build: Path,
                                                               brief_pdf: Path) -> None:
    ltr_page = pages(ltr_build / "brief.pdf")[0]
    rtl_page = pages(brief_pdf)[1]
    ltr_lines = [line for line in _text_lines(ltr_page, "Amiri") if "–" not in line.text]
    rtl_lines = [line for line in _text_lines(rtl_page, "Amiri") if "–" not in line.text]
    assert ltr_lines and rtl_lines
    rtl_right = {round(line.x1, 0) for line in rtl_lines}
    ltr_left = {round(line.x0, 0) for line in ltr_lines}
    assert len(rtl_right) == 1 and len(ltr_left) == 1
    # Mirror images: the LTR start edge is as far from the left as the RTL one from the right.
    assert abs(ltr_left.pop() - (ltr_page.width - rtl_right.pop())) <= 1


def test_ltr_list_markers_are_left_of_their_items(ltr_build: Path) -> None:
    lines = [line for page in pages(ltr_build / "brief.pdf") for line in page.lines
             if line.glyphs[0].text == "–"]
    assert len(lines) == 4
    for line in lines:
        assert line.glyphs[0].x1 <= min(g.x0 for g in line.glyphs[1:]) + 0.01


def test_ltr_clause_numbers_and_running_head_are_on_the_left(ltr_build: Path,
                                                             annex_pdf: Path) -> None:
    page = pages(ltr_build / "annex.pdf")[0]
    # The English text is the left column; its definitions are lettered (a), (b).
    lettered = [[g for g in line.glyphs if g.x1 < page.width / 2] for line in page.lines]
    lettered = [glyphs for glyphs in lettered
                if any("Plex-Sans-Arabic-Bold" in g.font for g in glyphs)
                and any("Amiri" in g.font for g in glyphs)]
    assert len(lettered) == 2
    for glyphs in lettered:
        number = [g for g in glyphs if "Plex" in g.font]
        text = [g for g in glyphs if "Amiri" in g.font]
        assert max(g.x1 for g in number) < min(g.x0 for g in text)
    ltr_head = min(page.lines, key=lambda line: line.top)
    rtl_page = pages(annex_pdf)[0]
    rtl_head = min(rtl_page.lines, key=lambda line: line.top)
    assert ltr_head.text.startswith("Sampleannex")  # glyph text: spaces are not glyphs
    assert abs(ltr_head.x0 - (rtl_page.width - rtl_head.x1)) <= 1


# Validation -----------------------------------------------------------------

def test_malformed_profile_gets_an_exact_message(scratch_project: Project, tmp_path: Path) -> None:
    path = scratch_project.templates_dir / "audiences" / "press.yaml"
    text = path.read_text(encoding="utf-8").replace("digits: latin", "digits: roman")
    path.write_text(text + "paper: B5\n", encoding="utf-8")
    with pytest.raises(ContentError) as raised:
        build(scratch_project, tmp_path / "out")
    assert [str(problem) for problem in raised.value.problems] == [
        "templates/audiences/press.yaml: line 12: paper: input should be 'A4', 'A5' or 'letter', or a "
        "mapping from one or more documents (brief, factsheet, annex) to one of them; got 'B5'",
        "templates/audiences/press.yaml: line 10: digits: input should be 'arabic-indic' or 'latin'",
    ]


@pytest.mark.parametrize(("line", "message"), [
    ("paper: {}", "paper: input should be 'A4', 'A5' or 'letter', or a mapping from one or more "
                  "documents (brief, factsheet, annex) to one of them; got {}"),
    ("pdf_variant: {}", "pdf_variant: input should be 'pdf/ua-1', 'pdf/x-4', 'pdf/a-3u' or 'none', "
                        "or a mapping from one or more documents (brief, factsheet, annex) to one "
                        "of them; got {}"),
    ("paper: {annex: A5}", "paper: 'annex' is not in this profile's documents; its paper would "
                           "never be used"),
])
def test_a_per_document_setting_that_sets_nothing_is_refused(
        scratch_project: Project, tmp_path: Path, line: str, message: str) -> None:
    """An empty mapping, or one naming a document the edition does not make, would be read as
    the default for every document: the author meant something else."""
    path = scratch_project.templates_dir / "audiences" / "press.yaml"
    text = path.read_text(encoding="utf-8")
    assert "annex" not in text.split("documents:")[1].splitlines()[0]
    path.write_text(text + line + "\n", encoding="utf-8")
    with pytest.raises(ContentError) as raised:
        build(scratch_project, tmp_path / "out")
    number = len(text.splitlines()) + 1
    assert [str(problem) for problem in raised.value.problems] == [
        f"templates/audiences/press.yaml: line {number}: {message}"]


def test_theme_may_set_only_declared_properties(scratch_project: Project, tmp_path: Path) -> None:
    path = scratch_project.templates_dir / "audiences" / "press.yaml"
    text = path.read_text(encoding="utf-8").replace("colour-accent:", "colour-acent:")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as raised:
        build(scratch_project, tmp_path / "out")
    line = text.splitlines().index(next(row for row in text.splitlines() if "colour-acent:" in row)) + 1
    assert str(raised.value.problems[0]).startswith(
        f"templates/audiences/press.yaml: line {line}: theme.colour-acent: unknown theme property "
        "'--colour-acent'; base.css declares: ")


def test_shipped_profiles(project: Project) -> None:
    profiles = load_profiles(project)
    assert set(SHIPPED_PROFILES) <= set(profiles)
    assert profiles["decision-makers"].marking and profiles["decision-makers"].digits == "arabic-indic"
    assert profiles["press"].marking is None and profiles["press"].digits == "latin"
    assert profiles["researchers"].documents == ["brief", "factsheet", "annex"]
    assert all(profiles[name].pdf_variant == "pdf/ua-1" for name in SHIPPED_PROFILES)
    assert profiles["print"].pdf_variant == "pdf/x-4" and profiles["print"].paper == "A4"


def test_marking_is_on_every_page_of_its_edition_only(built: Path, project: Project) -> None:
    marking = load_profiles(project)["decision-makers"].marking
    # The marking is set in the display face, whose lam ligatures pdfium reads back
    # reversed; "الرسمي فقط" has none and occurs nowhere else.
    assert marking and "الرسمي فقط" in marking
    for name, profile in PROFILES.items():
        marked = "الرسمي فقط" in (profile.marking or "")
        for path in sorted((built / PUBLICATION / name).glob("*.pdf")):
            for number, page_text in enumerate(_page_texts(path), start=1):
                assert ("الرسمي فقط" in normalise(page_text)) == marked, (path, number)


def _page_texts(path: Path) -> list[str]:
    from briefpress.check.textlayer import pdfium_pages
    return pdfium_pages(path)


def test_unknown_yaml_tag_names_file_and_line(scratch_project: Project, tmp_path: Path) -> None:
    facts = scratch_project.content_dir / PUBLICATION / "facts.yaml"
    facts.write_text(facts.read_text(encoding="utf-8").replace(
        "audience: [sanctions-detail]", "audience: [sanction-detail]"), encoding="utf-8")
    with pytest.raises(ContentError) as raised:
        build(scratch_project, tmp_path / "out")
    assert str(raised.value.problems[0]) == (
        f"content/{PUBLICATION}/facts.yaml: line 54: audience: unknown audience tag "
        f"'sanction-detail'; profiles know: {KNOWN_TAGS}")


def test_unknown_yaml_tag_names_each_line_in_either_list_style(scratch_project: Project,
                                                               tmp_path: Path) -> None:
    """A tag written as a block list (`audience:` then `- tag`) is found at its line, and every item
    that carries the tag is named, not only the first."""
    facts = scratch_project.content_dir / PUBLICATION / "facts.yaml"
    text = facts.read_text(encoding="utf-8").replace(
        "audience: [sanctions-detail]", "audience: [sanction-detail]")
    quote = "    source: رداً على إجراء كوريا الشمالية ست تجارب نووية\n"
    facts.write_text(text.replace(quote, quote + "    audience:\n      - sanction-detail\n", 1),
                     encoding="utf-8")
    with pytest.raises(ContentError) as raised:
        build(scratch_project, tmp_path / "out")
    assert [str(problem) for problem in raised.value.problems] == [
        f"content/{PUBLICATION}/facts.yaml: line {line}: audience: unknown audience tag "
        f"'sanction-detail'; profiles know: {KNOWN_TAGS}" for line in (13, 56)]


LOGO = ('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40">'
        '<rect width="40" height="40" fill="#6b1d2a"/><circle cx="20" cy="20" r="12" '
        'fill="#ffffff"/></svg>')


def test_logo_is_drawn_on_the_brief(scratch_project: Project, tmp_path: Path) -> None:
    folder = scratch_project.templates_dir / "audiences"
    (folder / "seal.svg").write_text(LOGO, encoding="utf-8")
    path = folder / "press.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "logo: seal.svg\nlogo_alt: ختم\n", encoding="utf-8")
    build(scratch_project, tmp_path / "out", documents=["brief"], audiences=["press", "general"])
    # The logo's maroon (#6b1d2a) is in no other part of the press or general editions.
    assert _pixels_of(tmp_path / "out" / PUBLICATION / "press" / "brief.pdf", (107, 29, 42)) > 100
    assert _pixels_of(tmp_path / "out" / PUBLICATION / "general" / "brief.pdf", (107, 29, 42)) == 0


def _pixels_of(path: Path, colour: tuple[int, int, int]) -> int:
    """How many pixels of page 1, rendered at 72 dpi, have this colour (within 3 per channel)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(path))
    try:
        image = document[0].render(scale=1).to_pil().convert("RGB")
    finally:
        document.close()
    data = image.tobytes()
    pixels = (data[i:i + 3] for i in range(0, len(data), 3))
    return sum(1 for pixel in pixels
               if all(abs(a - b) <= 3 for a, b in zip(pixel, colour, strict=True)))


def test_logo_outside_the_audiences_folder_is_refused(scratch_project: Project,
                                                      tmp_path: Path) -> None:
    path = scratch_project.templates_dir / "audiences" / "press.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "logo: ../../content/x.svg\nlogo_alt: ختم\n", encoding="utf-8")
    with pytest.raises(ContentError) as raised:
        build(scratch_project, tmp_path / "out")
    line = len(text.splitlines()) + 1
    assert str(raised.value.problems[0]) == (
        f"templates/audiences/press.yaml: line {line}: logo: logo must be a file inside "
        "templates/audiences/")


def test_pdf_x4_edition_has_bleed_and_trim_boxes(scratch_project: Project, tmp_path: Path) -> None:
    path = scratch_project.templates_dir / "audiences" / "press.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "pdf_variant: pdf/x-4\n", encoding="utf-8")
    build(scratch_project, tmp_path / "out", documents=["factsheet"], audiences=["press"])
    reader = PdfReader(str(tmp_path / "out" / PUBLICATION / "press" / "factsheet.pdf"))
    page = reader.pages[0]
    bleed = 3 * MM  # audience.css.j2: bleed: 3mm
    assert float(page.mediabox.width) > float(page.trimbox.width) + 2 * bleed - 0.5
    assert round(float(page.trimbox.width), 2) == PAPER["A4"][0]
    assert reader.xmp_metadata is not None and reader.metadata is not None
    assert "GTS_PDFX" in reader.xmp_metadata.stream.get_data().decode() or \
        "/GTS_PDFXVersion" in reader.metadata


def test_logo_without_alt_text_is_refused(scratch_project: Project, tmp_path: Path) -> None:
    """The problem is located at the logo's line, where the editor adds the text."""
    path = scratch_project.templates_dir / "audiences" / "press.yaml"
    text = path.read_text(encoding="utf-8") + "logo: seal.svg\n"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as raised:
        build(scratch_project, tmp_path / "out")
    logo_line = text.splitlines().index("logo: seal.svg") + 1
    assert str(raised.value.problems[0]) == (
        f"templates/audiences/press.yaml: line {logo_line}: logo_alt: a logo needs logo_alt, the "
        "text a screen reader says for it")


def test_a_copy_with_fewer_publications_keeps_a_profiles_sections_of_those_it_holds(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A user's profile choosing sections of the user's own publication (`sections: {my-brief:
    [...]}`) is kept loadable in a test's copy holding the first publication alone: its sections
    of a publication the copy lacks are left out with that publication, which the build refused
    ('sections: unknown publication'), failing every such test on a correct project."""
    import conftest

    source = tmp_path / "source"
    shutil.copytree(ROOT / "templates", source / "templates")
    profile = source / "templates" / "audiences" / "mine.yaml"
    profile.write_text(yaml.safe_dump({
        "name": "mine", "description": "إصدار", "documents": ["brief"], "include": ["sanctions-detail"],
        "publications": ["my-brief", PUBLICATION],
        "sections": {"my-brief": ["why-now"], PUBLICATION: ["section-1"]}}, allow_unicode=True),
        encoding="utf-8")
    monkeypatch.setattr(conftest, "ROOT", source)
    root = tmp_path / "copy"
    shutil.copytree(ROOT / "content" / PUBLICATION, root / "content" / PUBLICATION)
    for path in (ROOT / "content").glob("*.yaml"):
        shutil.copy(path, root / "content" / path.name)
    conftest.copy_templates(root)
    (root / "fonts").symlink_to(ROOT / "fonts", target_is_directory=True)
    copied = yaml.safe_load((root / "templates" / "audiences" / "mine.yaml").read_text(encoding="utf-8"))
    assert copied["publications"] == [PUBLICATION]
    assert copied["sections"] == {PUBLICATION: ["section-1"]}
    load_all(Project(root), [PUBLICATION])
