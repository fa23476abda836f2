"""Golden page images: every page of every edition of the shipped publication looks as approved.

Goldens live in tests/golden/<audience>-<document>-<page>.png, in colour at 100 dpi, and change
only through `make golden`, after a person has looked at the new pages. A pixel counts as
changed when no pixel of the golden within one pixel of it is within 12/255 of it in every
channel: that forgives anti-aliasing and sub-pixel shifts of an edge, and nothing else. On a
mismatch the actual, expected and difference images are written to tests/results/.
An edition without goldens (a new profile) is skipped until `make golden` makes them.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import cast

import pypdfium2
import pytest
from PIL import Image, ImageChops

from briefpress.build import build
from briefpress.project import Project

from conftest import PUBLICATION, ROOT, TARGETS, Target

GOLDEN = ROOT / "tests" / "golden"
RESULTS = ROOT / "tests" / "results"
SCALE = 100 / 72  # 100 dpi
THRESHOLD = 12  # per channel, out of 255
TOLERANCE = 0.0002  # share of a page's pixels allowed to change: a few stray edge pixels
EDITIONS = [target for target in TARGETS if target.publication == PUBLICATION]
UPDATE = os.environ.get("BRIEFPRESS_GOLDEN") == "update"


def page_images(path: Path, scale: float = SCALE) -> list[Image.Image]:
    """Every page of a PDF drawn by pdfium, at 100 dpi unless told."""
    document = pypdfium2.PdfDocument(str(path))
    try:
        return [page.render(scale=scale).to_pil().convert("RGB") for page in document]
    finally:
        document.close()


def _channel_max(image: Image.Image) -> Image.Image:
    red, green, blue = image.split()
    return ImageChops.lighter(ImageChops.lighter(red, green), blue)


def _unmatched(actual: Image.Image, expected: Image.Image) -> Image.Image:
    """Per pixel of `actual`, its smallest difference from the 3 x 3 neighbourhood in `expected`."""
    best = None
    for dx in (-1, 0, 1):
        for dy in (-1, 0, 1):
            shifted = ImageChops.offset(expected, dx, dy)
            difference = _channel_max(ImageChops.difference(actual, shifted))
            best = difference if best is None else ImageChops.darker(best, difference)
    assert best is not None
    return best


def changed_share(actual: Image.Image, expected: Image.Image) -> float:
    """Share of pixels that differ by more than anti-aliasing, either way round."""
    if actual.size != expected.size:
        return 1.0
    _low, high = cast(tuple[int, int], _channel_max(ImageChops.difference(actual, expected)).getextrema())
    if high <= THRESHOLD:
        return 0.0
    changed = max(sum(_unmatched(a, b).histogram()[THRESHOLD + 1:])
                  for a, b in ((actual, expected), (expected, actual)))
    return changed / (actual.width * actual.height)


def _name(target: Target, page: int) -> str:
    return f"{target.audience}-{target.document}-{page}.png"


def compare(target: Target, images: list[Image.Image]) -> list[str]:
    """Pages that differ from their goldens, each with its share of changed pixels."""
    goldens = sorted(GOLDEN.glob(f"{target.audience}-{target.document}-*.png"))
    if len(goldens) != len(images):
        return [f"{len(images)} pages, {len(goldens)} goldens"]
    failures = []
    for number, actual in enumerate(images, start=1):
        expected = Image.open(GOLDEN / _name(target, number)).convert("RGB")
        share = changed_share(actual, expected)
        if share > TOLERANCE:
            failures.append(f"page {number}: {share:.3%} of pixels changed")
            RESULTS.mkdir(exist_ok=True)
            actual.save(RESULTS / f"actual-{_name(target, number)}")
            expected.save(RESULTS / f"expected-{_name(target, number)}")
            if actual.size == expected.size:
                _unmatched(actual, expected).point(lambda v: 255 if v > THRESHOLD else 0).save(
                    RESULTS / f"diff-{_name(target, number)}")
    return failures


@pytest.mark.parametrize("shipped", EDITIONS, ids=str)
def test_every_page_matches_its_golden(built: Path, shipped: Target) -> None:
    target = shipped
    images = page_images(built / target.path)
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        for old in GOLDEN.glob(f"{target.audience}-{target.document}-*.png"):
            old.unlink()
        for number, image in enumerate(images, start=1):
            image.save(GOLDEN / _name(target, number), optimize=True)
        return
    if not any(GOLDEN.glob(f"{target.audience}-{target.document}-*.png")):
        pytest.skip(f"no goldens for {target}; run make golden and look at them")
    failures = compare(target, images)
    assert failures == [], f"{target}: {failures}; see {RESULTS}"


@pytest.mark.skipif(UPDATE, reason="goldens are being rewritten")
@pytest.mark.parametrize("change", ["no theme", "accent one step lighter"])
def test_a_theme_change_fails_the_comparison(scratch_project: Project, tmp_path: Path,
                                             change: str) -> None:
    """Removing an edition's theme, or nudging its accent colour, is caught on the first page."""
    profile = scratch_project.templates_dir / "audiences" / "decision-makers.yaml"
    text = profile.read_text(encoding="utf-8")
    if change == "no theme":
        text = text.replace('  colour-accent: "#6b1d2a"\n  colour-accent-soft: "#f4e8ea"\n', "")
        text = text.replace("theme:\n", "")
    else:
        text = text.replace('colour-accent: "#6b1d2a"', 'colour-accent: "#7b2d3a"')
    assert text != profile.read_text(encoding="utf-8")
    profile.write_text(text, encoding="utf-8")
    build(scratch_project, tmp_path / "out", documents=["brief"], audiences=["decision-makers"])
    actual = page_images(tmp_path / "out" / PUBLICATION / "decision-makers" / "brief.pdf")[0]
    expected = Image.open(GOLDEN / "decision-makers-brief-1.png").convert("RGB")
    assert changed_share(actual, expected) > TOLERANCE
