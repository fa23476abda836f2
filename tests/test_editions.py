"""Checks every PDF the session builds must pass: each publication, audience and document found."""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path
from typing import cast

from pdfua import Severity, validate
from pydantic import BaseModel
from pypdf import PdfReader
from pypdf.generic import ArrayObject, BooleanObject, DictionaryObject

from briefpress.build import build
from briefpress.check.direction import anchoring_problems, ltr_run_problems, ltr_runs, marker_problems
from briefpress.check.geometry import pages
from briefpress.check.textlayer import (
    BIDI_CONTROLS,
    PRESENTATION_FORMS,
    fold_digits,
    pdfium_pages,
    pdfium_text,
    poppler_text,
    word_recall,
)
from briefpress.project import Project
from briefpress.source.audiences import load_profiles, select
from briefpress.source.publication import load_publication
from briefpress.source.xrefs import REF

from conftest import KNOWN_CONTENT, PUBLICATION, TARGETS, Target

MM = 72 / 25.4


@cache
def _content(root: Path, publication: str):
    return load_publication(Project(root), publication)


def _strings(value: object) -> list[str]:
    """Every string in a loaded model, at any depth; a cross-reference is left out (the page
    prints its target's name, which the build makes)."""
    if isinstance(value, str):
        return [REF.sub("", value)]
    if isinstance(value, BaseModel):
        return [s for field in type(value).model_fields for s in _strings(getattr(value, field))]
    if isinstance(value, list | tuple):
        return [s for item in value for s in _strings(item)]
    return []


def source_text(project: Project, publication: str) -> str:
    """What the author wrote, one line per paragraph, heading, item or table cell (no run of
    the other direction crosses from one to the next), then every string of the YAML files."""
    content = _content(project.root, publication)
    return "\n".join([*content.brief.inline_texts(), *_strings(content.publication),
                      *_strings(content.facts), *_strings(content.annex)])


def test_every_target_was_built(built: Path) -> None:
    assert sorted(path.relative_to(built).as_posix() for path in built.glob("*/*/*.pdf")) == \
        sorted(target.path for target in TARGETS)


def test_manifest_lists_every_pdf_with_its_hash(built: Path) -> None:
    manifest = json.loads((built / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(entry["path"] for entry in manifest["outputs"]) == sorted(t.path for t in TARGETS)
    for entry in manifest["outputs"]:
        data = (built / entry["path"]).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest(), entry["path"]
        assert entry["bytes"] == len(data)
        assert entry["pages"] == len(PdfReader(str(built / entry["path"])).pages)
        assert entry["fonts"]


def test_text_layers_hold_no_presentation_forms(pdf: Path) -> None:
    for number, text in enumerate(pdfium_pages(pdf), start=1):
        assert not PRESENTATION_FORMS.search(text), f"pdfium, page {number}"
    assert not PRESENTATION_FORMS.search(poppler_text(pdf)), "poppler"


def test_metadata_names_the_publication(pdf: Path, target: Target, project: Project) -> None:
    publication = _content(project.root, target.publication).publication
    reader = PdfReader(str(pdf))
    assert reader.metadata is not None and reader.metadata.title is not None
    assert fold_digits(BIDI_CONTROLS.sub("", publication.title)) in \
        fold_digits(BIDI_CONTROLS.sub("", reader.metadata.title))
    assert reader.root_object["/Lang"] == target.language
    assert str(reader.metadata["/CreationDate"]).startswith(f"D:{publication.date:%Y%m%d}")


def _structure_kids(element: DictionaryObject) -> list[DictionaryObject]:
    kids = element.get("/K")
    if kids is None:
        return []
    kids = kids.get_object()
    items = kids if isinstance(kids, ArrayObject) else [kids]
    return [item.get_object() for item in items
            if isinstance(item.get_object(), DictionaryObject) and "/S" in item.get_object()]


def ua_structure_problems(reader: PdfReader, language: str) -> list[str]:
    """What a tagged PDF/UA-1 file must have and this one lacks."""
    root = reader.root_object
    problems = []
    mark_info = root.get("/MarkInfo")
    marked = mark_info is not None and cast(DictionaryObject, mark_info.get_object()).get("/Marked")
    if marked != BooleanObject(True):
        problems.append("MarkInfo /Marked is not true")
    if root.get("/Lang") != language:
        problems.append(f"/Lang is {root.get('/Lang')!r}, not {language!r}")
    preferences = root.get("/ViewerPreferences")
    if preferences is None or \
            cast(DictionaryObject, preferences.get_object()).get("/DisplayDocTitle") != BooleanObject(True):
        problems.append("ViewerPreferences /DisplayDocTitle is not true")
    if "/StructTreeRoot" not in root:
        return [*problems, "no StructTreeRoot"]
    tree = cast(DictionaryObject, root["/StructTreeRoot"].get_object())
    if "/ParentTree" not in tree:
        problems.append("the structure tree has no ParentTree")
    elements, todo, kinds = 0, _structure_kids(tree), set()
    while todo:
        element = todo.pop()
        elements += 1
        kinds.add(str(element["/S"]))
        todo += _structure_kids(element)
    if elements < 10 or "/P" not in kinds:
        problems.append(f"{elements} structure elements, kinds {sorted(kinds)}")
    problems += [f"page {number} is not tagged (no StructParents)"
                 for number, page in enumerate(reader.pages, start=1) if "/StructParents" not in page]
    xmp = reader.xmp_metadata
    if xmp is None or "pdfuaid:part" not in xmp.stream.get_data().decode():
        problems.append("no pdfuaid:part in the XMP metadata")
    return problems


def test_pdf_ua_structure(built: Path, ua_target: Target) -> None:
    """PDF/UA-1 editions are tagged: structure tree, marked content, language, title shown."""
    assert ua_structure_problems(PdfReader(str(built / ua_target.path)), ua_target.language) == []


def test_the_structure_check_fails_what_is_not_pdf_ua(scratch_project: Project, built: Path,
                                                      tmp_path: Path) -> None:
    """An edition with pdf_variant none lacks the identification; plain WeasyPrint lacks it all."""
    path = scratch_project.templates_dir / "audiences" / "press.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "pdf_variant: none\n", encoding="utf-8")
    build(scratch_project, tmp_path / "out", documents=["factsheet"], audiences=["press"])
    reader = PdfReader(str(tmp_path / "out" / PUBLICATION / "press" / "factsheet.pdf"))
    assert ua_structure_problems(reader, "ar") == ["no pdfuaid:part in the XMP metadata"]

    from weasyprint import HTML  # imported already, on briefpress's fonts, by the session build

    plain = tmp_path / "plain.pdf"
    HTML(string="<p lang='ar' dir='rtl'>نص</p>").write_pdf(plain)
    assert ua_structure_problems(PdfReader(str(plain)), "ar") == [
        "MarkInfo /Marked is not true", "/Lang is None, not 'ar'",
        "ViewerPreferences /DisplayDocTitle is not true", "no StructTreeRoot"]


def test_pdf_ua_checker_finds_no_error(built: Path, ua_target: Target) -> None:
    """The `pdfua` package's machine-checkable subset of PDF/UA-1: no error; warnings are printed."""
    target = ua_target
    report = validate(str(built / target.path))
    for finding in report.findings:
        print(f"{target}: {finding.rule_id} {finding.severity.name}: {finding.message}")
    errors = [f"{finding.rule_id}: {finding.message}" for finding in report.findings
              if finding.severity >= Severity.ERROR]
    assert errors == []


def test_right_to_left_paragraphs_are_anchored_at_the_right(built: Path, rtl_target: Target) -> None:
    pdf = built / rtl_target.path
    findings, examined = anchoring_problems(pages(pdf))
    if rtl_target.publication in KNOWN_CONTENT and rtl_target.document == "brief":
        # the briefs the project ships or writes have paragraphs of several lines to measure; a
        # fact sheet on small paper may hold none (its items fit on one line each)
        assert examined > 0
    assert [str(finding) for finding in findings] == []


def test_list_markers_sit_on_the_right(built: Path, rtl_target: Target) -> None:
    pdf = built / rtl_target.path
    findings, _ = marker_problems(pages(pdf))
    assert [str(finding) for finding in findings] == []


def test_ltr_runs_are_drawn_left_to_right(built: Path, rtl_target: Target, project: Project) -> None:
    findings, _ = ltr_run_problems(pages(built / rtl_target.path),
                                   source_text(project, rtl_target.publication))
    assert [str(finding) for finding in findings] == []


def test_runs_are_looked_for_within_one_cell_or_item(scratch_project: Project) -> None:
    """A table row or a list is not one run: `S/RES/2397 (2017)` and `22` in two cells are two."""
    brief = scratch_project.content_dir / PUBLICATION / "brief.md"
    brief.write_text(brief.read_text(encoding="utf-8") + (
        "\n| الوثيقة | الفقرة |\n|---|---|\n| S/RES/2397 (2017) | 22 |\n\n"
        "- UN Panel\n- Security Council\n"), encoding="utf-8")
    runs = ltr_runs(source_text(scratch_project, PUBLICATION))
    assert "S/RES/2397(2017)" in runs and "UNPanel" in runs and "SecurityCouncil" in runs
    assert not [run for run in runs if run.startswith("S/RES/2397(2017)2") or "PanelSecurity" in run]


def test_brief_text_layer_holds_the_article(built: Path, brief_target: Target,
                                            project: Project) -> None:
    """pdfium reads back most words of the brief as its audience sees it (digits folded).

    A floor against lost text; the per-reader targets are the text-layer tests' business.
    """
    profile = load_profiles(project)[brief_target.audience]
    article = select(_content(project.root, brief_target.publication), profile).brief.plain_text()
    recall = word_recall(fold_digits(article), fold_digits(pdfium_text(built / brief_target.path)))
    print(f"{brief_target}: pdfium words {recall:.4f}")
    assert recall >= 0.85


def test_every_brief_page_after_the_first_has_its_number(built: Path, brief_target: Target) -> None:
    brief = pages(built / brief_target.path)
    for page in brief[1:]:
        footer = fold_digits("".join(line.text for line in page.lines
                                     if line.top > page.height - 22 * MM))
        assert str(page.number) in footer and str(len(brief)) in footer, (page.number, footer)
