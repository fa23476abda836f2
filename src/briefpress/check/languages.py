"""Read the languages of a tagged PDF's structure tree back: which text a screen reader reads in which voice.

PDF/UA-1 (7.2) asks that a change of natural language be declared: /Lang on the catalog for the
document, and on the structure element of each run, paragraph or item in another language. Here
every structure element made for a piece of the source (not the span WeasyPrint makes for each
line's text box) is read with the text of its glyphs (pdfplumber) and the language it is read
in: its own /Lang, else its ancestors', else the catalog's.
"""

from __future__ import annotations

import collections
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pikepdf
from pdfplumber.structure import PDFStructElement, PDFStructTree

# Languages written in Arabic script: text in them is read in an Arabic voice.
ARABIC_SCRIPT = frozenset(("ar", "fa", "ur", "ps", "sd", "ug", "ku", "ckb"))


@dataclass(frozen=True)
class Piece:
    """A structure element, or one marked-content sequence: the language it is read in, the text
    of its glyphs, and the languages its glyphs are read in (its own and its descendants')."""

    language: str
    text: str
    read_in: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Languages:
    """What a PDF declares: the catalog's /Lang, its elements, and its marked-content sequences."""

    document: str
    elements: tuple[Piece, ...]
    sequences: tuple[Piece, ...]


def arabic_letter(character: str) -> bool:
    return character.isalpha() and unicodedata.bidirectional(character) in ("R", "AL")


def latin_letter(character: str) -> bool:
    return character.isalpha() and unicodedata.bidirectional(character) == "L"


def arabic_script(language: str) -> bool:
    return language.split("-")[0].lower() in ARABIC_SCRIPT


def numbering(text: str) -> bool:
    """A list or clause marker in Latin letters (`(ii)`, `b.`): a numbering, not words."""
    letters = "".join(c for c in text if c.isalpha())
    return len(letters) == 1 or set(letters.lower()) <= set("ivxlcdm")


def read_languages(path: Path) -> Languages | None:
    """The languages of a tagged PDF, or None for an untagged one."""
    with pikepdf.open(path) as document:
        if "/StructTreeRoot" not in document.Root:
            return None
        root = str(document.Root.get("/Lang", ""))
    elements: list[Piece] = []
    sequences: list[Piece] = []
    with pdfplumber.open(path) as pdf:
        glyphs: dict[tuple[int, int], list[str]] = collections.defaultdict(list)
        for number, page in enumerate(pdf.pages, start=1):
            for char in page.chars:
                if char.get("mcid") is not None:
                    glyphs[(number, int(char["mcid"]))].append(str(char["text"]))

        def walk(element: PDFStructElement, language: str) -> tuple[str, frozenset[str]]:
            language = element.lang or language
            if element.type == "Figure" and element.alt_text:
                # A reader reads a figure's /Alt in place of what it draws (PDF/UA-1 7.3): an SVG
                # chart's labels are the author's drawing, in no voice of their own.
                return "", frozenset()
            own = ["".join(glyphs.get((element.page_number or 0, mcid), [])) for mcid in element.mcids or []]
            sequences.extend(Piece(language, sequence) for sequence in own)
            read_in = frozenset([language] if any(c.isalpha() for c in "".join(own)) else [])
            text = "".join(own)
            for child in element.children:
                child_text, child_read_in = walk(child, language)
                text, read_in = text + child_text, read_in | child_read_in
            if not (element.type == "Span" and element.mcids and not element.children):
                elements.append(Piece(language, text, read_in))  # made for a piece of the source
            return text, read_in

        for element in PDFStructTree(pdf):
            walk(element, root)
    return Languages(root, tuple(elements), tuple(sequences))


def block_languages(path: Path) -> dict[tuple[int, int], str] | None:
    """The language of the block each marked-content sequence is set in, by (page, mcid): the
    /Lang of its nearest element that is not a span, or of that element's ancestors, else the
    catalog's. A span's own /Lang is left out: an Arabic span in an English paragraph, a figure
    card's label or a list item is set in that block's direction (README, "Mixed runs"), a
    paragraph tagged Arabic in its own. None for an untagged PDF."""
    with pikepdf.open(path) as document:
        if "/StructTreeRoot" not in document.Root:
            return None
        root = str(document.Root.get("/Lang", ""))
    found: dict[tuple[int, int], str] = {}

    def walk(element: PDFStructElement, block: str) -> None:
        if element.type != "Span":
            block = element.lang or block
        found.update(((element.page_number or 0, mcid), block) for mcid in element.mcids or [])
        for child in element.children:
            walk(child, block)

    with pdfplumber.open(path) as pdf:
        for element in PDFStructTree(pdf):
            walk(element, root)
    return found


def problems(languages: Languages) -> list[str]:
    """Text read in the wrong voice: Arabic letters in a language not written in Arabic script;
    in an Arabic-script document, an element whose letters are all Latin (not a numbering) read
    in the document's language. An Arabic-script PDF without a document language fails too."""
    found = [f"Arabic text read as {piece.language or 'no language'}: {piece.text[:40]!r}"
             for piece in languages.sequences
             if not arabic_script(piece.language) and any(arabic_letter(c) for c in piece.text)]
    if arabic_script(languages.document):
        found += [f"Latin text read as {languages.document}: {piece.text[:40]!r}"
                  for piece in languages.elements
                  if all(arabic_script(language) for language in piece.read_in) and not numbering(piece.text)
                  and sum(latin_letter(c) for c in piece.text) >= 2
                  and not any(arabic_letter(c) for c in piece.text)]
    if not languages.document:
        found.insert(0, "the catalog has no /Lang: no document language for a screen reader")
    return found


def summary(languages: Languages) -> str:
    """The document's language, and how many of the other script's letters each voice reads."""
    counts: collections.Counter[str] = collections.Counter()
    for piece in languages.sequences:
        for character in piece.text:
            if arabic_letter(character):
                counts[f"Arabic in {piece.language or '?'}"] += 1
            elif latin_letter(character):
                counts[f"Latin in {piece.language or '?'}"] += 1
    letters = ", ".join(f"{name} {count}" for name, count in sorted(counts.items()))
    tagged = sum(piece.language != languages.document for piece in languages.elements)
    return (f"document {languages.document or 'without /Lang'}; {tagged} element(s) in another "
            f"language; letters read: {letters or 'none'}")
