"""Golden page images: the first page of each edition looks as it was approved.

Goldens live in tests/golden/ and change only through `make golden`, after a person has
looked at the new pages. On a mismatch the actual, expected and difference images are
written to tests/results/ (ignored by git).
"""

from __future__ import annotations

import os
from pathlib import Path

import pypdfium2
import pytest
from PIL import Image, ImageChops

from conftest import PUBLICATION, ROOT

GOLDEN = ROOT / "tests" / "golden"
RESULTS = ROOT / "tests" / "results"
SCALE = 50 / 72  # 50 dpi: enough to see layout, small enough to commit
# Share of pixels allowed to differ by more than a faint anti-aliasing change.
TOLERANCE = 0.002
PAGES = [
    ("general", "brief"), ("decision-makers", "brief"), ("press", "brief"),
    ("researchers", "brief"), ("general", "factsheet"), ("general", "annex"),
]


def first_page_image(path: Path) -> Image.Image:
    document = pypdfium2.PdfDocument(str(path))
    try:
        return document[0].render(scale=SCALE).to_pil().convert("L")
    finally:
        document.close()


def changed_share(actual: Image.Image, expected: Image.Image) -> float:
    if actual.size != expected.size:
        return 1.0
    histogram = ImageChops.difference(actual, expected).histogram()
    return sum(histogram[32:]) / (actual.width * actual.height)


@pytest.mark.parametrize(("audience", "document"), PAGES)
def test_first_page_matches_golden(built: Path, audience: str, document: str) -> None:
    name = f"{audience}-{document}.png"
    actual = first_page_image(built / PUBLICATION / audience / f"{document}.pdf")
    if os.environ.get("BRIEFPRESS_GOLDEN") == "update":
        GOLDEN.mkdir(exist_ok=True)
        actual.save(GOLDEN / name, optimize=True)
        return
    expected_path = GOLDEN / name
    assert expected_path.is_file(), f"no golden {expected_path}; run make golden and look at it"
    expected = Image.open(expected_path).convert("L")
    share = changed_share(actual, expected)
    if share > TOLERANCE:
        RESULTS.mkdir(exist_ok=True)
        actual.save(RESULTS / f"actual-{name}")
        expected.save(RESULTS / f"expected-{name}")
        if actual.size == expected.size:
            ImageChops.difference(actual, expected).save(RESULTS / f"diff-{name}")
    assert share <= TOLERANCE, f"{name}: {share:.2%} of pixels changed; see {RESULTS}"
