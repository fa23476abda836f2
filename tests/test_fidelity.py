"""Every sentence of the seed article reaches the brief's source and its PDF text layer."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import pytest

from briefpress.check.textlayer import normalise, pdfium_text, word_recall
from briefpress.project import Project

from conftest import SEEDS

LIST_MARKER = re.compile(r"^– ", re.MULTILINE)


def seed_sentences(seed: str) -> list[str]:
    """The seed's sentences: split at sentence-ending punctuation, list markers dropped."""
    text = LIST_MARKER.sub("", seed)
    sentences = []
    for line in text.splitlines():
        sentences += [part.strip() for part in re.split(r"(?<=[.:؟!])\s+", line) if part.strip()]
    return sentences


def seed_body(seed: str) -> str:
    """The seed without its list markers: the words a reader must find."""
    return LIST_MARKER.sub("", seed)


@pytest.fixture
def seed(seeded: str) -> str:
    """The article a seeded publication is built from: tests/fixtures/seeds/<publication>.txt."""
    return (SEEDS / f"{seeded}.txt").read_text(encoding="utf-8")


def test_seed_has_the_expected_shape(seed_text: str) -> None:
    # 37 lines: an introduction, 6 headings, 15 dash-list items, 15 paragraphs.
    assert len(seed_text.splitlines()) == 37
    assert len(LIST_MARKER.findall(seed_text)) == 15
    assert len(seed_sentences(seed_text)) > 40


def test_every_sentence_is_in_brief_md(project: Project, seeded: str, seed: str) -> None:
    source = (project.content_dir / seeded / "brief.md").read_text(encoding="utf-8")
    missing = [s for s in seed_sentences(seed) if s not in source]
    assert missing == []


def test_sentences_keep_their_order_in_brief_md(project: Project, seeded: str, seed: str) -> None:
    source = (project.content_dir / seeded / "brief.md").read_text(encoding="utf-8")
    positions = [source.index(sentence) for sentence in seed_sentences(seed)]
    assert positions == sorted(positions)


def test_text_layer_word_recall_is_at_least_98_percent(built: Path, seeded: str, seed: str) -> None:
    recall = word_recall(seed_body(seed), pdfium_text(built / seeded / "general" / "brief.pdf"))
    print(f"pypdfium2 word recall of the seed in brief.pdf: {recall:.4f}")
    assert recall >= 0.98


@pytest.mark.xfail(strict=True, reason="in one sentence pdfium reads a range drawn right to left as "
                   "drawn (`2017-2016`) and a tanween before a comma after it (`تماما ،ً`)")
def test_every_sentence_reads_back_from_the_text_layer(built: Path, seeded: str, seed: str) -> None:
    """Each sentence's words are found, in order, in the text layer.

    pdfium misreads a few tokens (a number or a tanween before punctuation, as `.1961`
    or `عائقا ً`), so a sentence passes when at most one of its words is missing; the
    recall test bounds the total.
    """
    layer = normalise(pdfium_text(built / seeded / "general" / "brief.pdf")).split()
    failures = []
    for sentence in seed_sentences(seed):
        wanted = normalise(sentence).split()
        matcher = difflib.SequenceMatcher(None, wanted, layer, autojunk=False)
        matched = sum(block.size for block in matcher.get_matching_blocks())
        if len(wanted) - matched > 1:
            failures.append((round(matched / len(wanted), 2), sentence))
    assert failures == []
