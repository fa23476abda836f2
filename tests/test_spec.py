"""The text layer by the specification, read back with pikepdf from every built PDF.

- Every /ActualText string, in content streams and in the structure tree, is logical-order text
  of the source or of the chrome the document prints; none is in a content stream, where over a
  right-to-left line readers destroy it (the build writes none).
- No marked content is finer than WeasyPrint's own: each sequence is a tagged span with an MCID,
  or an artifact.
- `briefpress check` reports the /ActualText strings of any PDF, and fails one in visual order.
"""

from __future__ import annotations

import html
import io
import json
import re
from pathlib import Path

import pikepdf
import pytest

from briefpress.check.spec import ActualText, actual_texts, problems
from briefpress.layout.html import render_html
from briefpress.project import Project
from briefpress.source.audiences import load_profiles, select
from briefpress.source.publication import load_publication

from conftest import SEED, Target
from test_cli import run


def _printed_text(project: Project, target: Target) -> str:
    """Everything the document prints, in logical order: its source and its chrome, as the HTML
    WeasyPrint lays out holds them (tags dropped, entities decoded)."""
    profile = load_profiles(project)[target.audience]
    view = select(load_publication(project, target.publication), profile)
    page = render_html(project, view, target.document, profile).html
    page = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def test_every_actual_text_is_logical_text_of_the_document(project: Project, pdf: Path,
                                                           target: Target) -> None:
    with pikepdf.open(pdf) as document:
        found = actual_texts(document)
    assert [item for item in found if item.where == "content"] == []
    assert problems(found, _printed_text(project, target)) == []


def test_marked_content_is_weasyprints_own(pdf: Path) -> None:
    """Every marked-content sequence is a tagged span (an MCID) or an artifact: none around a word,
    which would make pdf.js start a text item there."""
    with pikepdf.open(pdf) as document:
        owners: list[pikepdf.Object] = [page.obj for page in document.pages]
        for page in document.pages:
            xobjects = page.obj.Resources.get("/XObject", pikepdf.Dictionary())
            owners += [xobject for _, xobject in xobjects.items() if xobject.get("/Subtype") == "/Form"]
        marks = []
        for owner in owners:
            for instruction in pikepdf.parse_content_stream(owner):
                if isinstance(instruction, pikepdf.ContentStreamInlineImage):
                    continue
                operator = str(instruction.operator)
                if operator == "BDC":
                    tag, properties = instruction.operands[0], instruction.operands[1]
                    own = isinstance(properties, pikepdf.Dictionary) and "/MCID" in properties
                    marks.append((str(tag), own or str(tag) == "/Artifact"))
                elif operator == "BMC":
                    marks.append((str(instruction.operands[0]), str(instruction.operands[0]) == "/Artifact"))
    assert marks
    assert [tag for tag, own in marks if not own] == []


def _with_actual_text(data: bytes, text: str) -> bytes:
    """The PDF with its first tagged span given an /ActualText."""
    with pikepdf.open(io.BytesIO(data)) as document:
        page = document.pages[0]
        instructions = list(pikepdf.parse_content_stream(page))
        index = next(i for i, ins in enumerate(instructions)
                     if not isinstance(ins, pikepdf.ContentStreamInlineImage) and str(ins.operator) == "BDC")
        tag, properties = instructions[index].operands
        properties = pikepdf.Dictionary({**dict(properties.items()), "/ActualText": pikepdf.String(text)})
        instructions[index] = pikepdf.ContentStreamInstruction([tag, properties], pikepdf.Operator("BDC"))
        page.obj.Contents = document.make_stream(pikepdf.unparse_content_stream(instructions))
        out = io.BytesIO()
        document.save(out)
    return out.getvalue()


@pytest.mark.parametrize(("text", "why"), [
    ("ورقة سياسات", None),
    ("تاسايس ةقرو", "the source's text in visual order, not logical"),  # the old pass's strings
    ("الأمن\ufffe", "holds U+FFFE, which is no character"),
    ("نص لم يكتبه أحد", "not text of the source"),
])
def test_the_check_reads_actual_text_back(text: str, why: str | None) -> None:
    found = [ActualText("content", 1, text)]
    found_problems = problems(found, "ورقة سياسات عن الأمن")
    assert found_problems == ([] if why is None else [f"page 1: /ActualText {text!r} (content): {why}"])


def test_check_reports_actual_text_and_fails_one_in_visual_order(project: Project, brief_pdf: Path,
                                                                  tmp_path: Path) -> None:
    code, out, _ = run("--project", str(project.root), "check", str(brief_pdf), "--source", str(SEED),
                       "--min-recall", "0.85", "--json")
    checks = {check["name"]: check for check in json.loads(out)[0]["checks"]}
    assert code == 0
    assert checks["actualtext"]["ok"] is True
    assert checks["actualtext"]["summary"] == "0 in content streams, 0 in the structure tree"
    reversed_title = tmp_path / "reversed.pdf"
    visual = "الوضع الدولي"[::-1]  # a heading of the seed, as the old pass wrote it for MuPDF
    reversed_title.write_bytes(_with_actual_text(brief_pdf.read_bytes(), visual))
    code, out, _ = run("--project", str(project.root), "check", str(reversed_title), "--source", str(SEED),
                       "--min-recall", "0.85", "--json")
    checks = {check["name"]: check for check in json.loads(out)[0]["checks"]}
    assert code == 1
    assert checks["actualtext"]["findings"] == [
        f"page 1: /ActualText {visual!r} (content): the source's text in visual order, not logical"]

