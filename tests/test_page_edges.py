"""Nothing is drawn past a page's edge: images are scaled into the text area, words too long for
a line break, and what cannot fit (a table too wide) is an error, never text lost at the trim."""

from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
import pytest
from PIL import Image

from briefpress.build import build
from briefpress.errors import ContentError
from briefpress.project import Project

from conftest import PUBLICATION


@pytest.mark.parametrize("paper", ["A4", "A5", "letter"])
def test_a_large_image_is_scaled_into_the_text_area(scratch_project: Project, tmp_path: Path,
                                                    paper: str) -> None:
    """A 1600 x 900 photo and an 800 x 5000 infographic were drawn at their natural size, the
    one run off the page's side, the other cut at its foot: each is now no wider than the text
    and no taller than 70 % of it."""
    folder = scratch_project.content_dir / PUBLICATION
    Image.new("RGB", (1600, 900), (11, 93, 107)).save(folder / "wide.png")
    Image.new("RGB", (800, 5000), (107, 29, 42)).save(folder / "tall.png")
    brief = folder / "brief.md"
    brief.write_text(brief.read_text(encoding="utf-8") + "\n![صورة من الميدان](wide.png)\n\n"
                     "![رسم بياني طويل](tall.png)\n", encoding="utf-8")
    profile = scratch_project.templates_dir / "audiences" / "general.yaml"
    profile.write_text(profile.read_text(encoding="utf-8") + f"paper: {paper}\n", encoding="utf-8")
    build(scratch_project, tmp_path / "out", documents=["brief"], audiences=["general"])
    drawn = []
    with pdfplumber.open(tmp_path / "out" / PUBLICATION / "general" / "brief.pdf") as pdf:
        for page in pdf.pages:
            text = [char for char in page.chars if char["text"].strip()]
            left, right = min(char["x0"] for char in text), max(char["x1"] for char in text)
            for image in page.images:
                drawn.append((round(image["width"]), round(image["height"])))
                assert left - 1 <= image["x0"] and image["x1"] <= right + 1, (image["x0"], image["x1"])
                assert image["top"] >= 0 and image["bottom"] <= page.height
                assert image["height"] <= 0.7 * page.height
    assert len(drawn) == 2 and drawn[0][0] > drawn[0][1] and drawn[1][1] > drawn[1][0], drawn


def _outside(pdf: Path) -> int:
    """How many glyphs of `pdf` are drawn past a page's side."""
    with pdfplumber.open(pdf) as document:
        return sum(1 for page in document.pages for char in page.chars
                   if char["x0"] < 0 or char["x1"] > page.width)


def test_a_word_or_url_longer_than_the_line_breaks_inside_the_page(scratch_project: Project,
                                                                   tmp_path: Path) -> None:
    """A 500-character URL and a 240-letter Arabic word ran off the page's side, with exit 0."""
    brief = scratch_project.content_dir / PUBLICATION / "brief.md"
    url, word = "https://example.org/" + "a" * 480, "مستقبل" * 40
    brief.write_text(brief.read_text(encoding="utf-8") + f"\nرابط طويل {url} في النص.\n\n"
                     f"كلمة {word} طويلة.\n", encoding="utf-8")
    build(scratch_project, tmp_path / "out", documents=["brief"], audiences=["general"])
    assert _outside(tmp_path / "out" / PUBLICATION / "general" / "brief.pdf") == 0


def test_a_figure_too_wide_for_the_page_is_quoted_as_typed(scratch_project: Project,
                                                           tmp_path: Path) -> None:
    """A figure's value never wraps: one too long for the page is an error quoting its words as
    the author typed them. The quote held the isolate and word joiners layout had put in
    (`'\u2066USD \u20601,234...'`), which a search of facts.yaml for it does not find."""
    folder = scratch_project.content_dir / PUBLICATION
    value = ("USD 1,234,567,890.75 million equivalent in constant 2024 prices, adjusted for "
             "inflation and exchange losses")
    (folder / "brief.md").write_text((folder / "brief.md").read_text(encoding="utf-8")
                                     + f"\nبلغ إجمالي التحويلات {value} خلال العقد.\n", encoding="utf-8")
    facts = folder / "facts.yaml"
    facts.write_text(facts.read_text(encoding="utf-8").replace(
        '  - value: "10"\n', f'  - value: {value}\n', 1).replace(
        "source: فقد اعتمد مجلس الأمن منذ عام 2006 عشرة قرارات بفرض عقوبات",
        f"source: بلغ إجمالي التحويلات {value} خلال العقد", 1), encoding="utf-8")
    with pytest.raises(ContentError) as raised:
        build(scratch_project, tmp_path / "out", documents=["factsheet"], audiences=["general"])
    problem = str(raised.value.problems[0])
    assert re.fullmatch(rf"{PUBLICATION}/general/factsheet: page 1: the text '(.+)' runs [0-9]+ mm "
                        "past the page's edge, where it would be lost; shorten it", problem), problem
    assert f"the text '{value[:40]}'" in problem


def test_a_table_too_wide_for_the_page_is_an_error(scratch_project: Project, tmp_path: Path) -> None:
    """Twelve columns of long words cannot fit the page: the build names the table and the page
    rather than print five of its columns past the trim, and writes nothing."""
    brief = scratch_project.content_dir / PUBLICATION / "brief.md"
    row = "| " + " | ".join(["الاستراتيجيات00"] * 12) + " |"
    header = "| " + " | ".join(f"العمود{i}" for i in range(12)) + " |"
    table = "\n".join([header, "|" + "---|" * 12, row, row])
    brief.write_text(brief.read_text(encoding="utf-8") + f"\n{table}\n", encoding="utf-8")
    with pytest.raises(ContentError) as raised:
        build(scratch_project, tmp_path / "out", documents=["brief"], audiences=["general"])
    assert re.fullmatch(rf"{PUBLICATION}/general/brief: page [0-9]+: a table runs [0-9]+ mm past the "
                        "page's edge, where it would be lost; split it into fewer columns or shorter "
                        "rows", str(raised.value.problems[0])), raised.value.problems[0]
    assert not (tmp_path / "out" / PUBLICATION / "general" / "brief.pdf").exists()
