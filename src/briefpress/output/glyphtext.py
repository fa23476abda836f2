"""What each glyph of a shipped font stands for, read from the font's cmap and GSUB alone."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from fontTools.ttLib import TTFont

from ..fonts.standin import ZWNJ, stand_in

# Presentation forms (alphabetic, Arabic A and B): a glyph the cmap reaches from one of these
# stands for the characters NFKC folds it to (U+FEFB, lam-alef, is lam then alef; U+FB01 is f, i).
_PRESENTATION = ((0xFB00, 0xFDFF), (0xFE70, 0xFEFE))
_DEPTH = 16  # substitution chains are short; a cycle stops here


def presentation_form(code: int) -> bool:
    return any(low <= code <= high for low, high in _PRESENTATION)


@dataclass(frozen=True)
class GlyphTexts:
    """A font's glyphs by id: the text each stands for, and every character its cmap gives it.

    `text[gid]` is None for a glyph the font reaches from no character (one it inserts, such
    as a kashida stroke after a letter), and "" for a glyph a substitution adds beside
    another that carries the character.
    """

    text: dict[int, str | None]
    characters: dict[int, frozenset[str]]


def _lookups(font: TTFont) -> Iterator[tuple[int, Any]]:
    """Every GSUB subtable with its lookup type, extension subtables unwrapped."""
    if "GSUB" not in font or font["GSUB"].table.LookupList is None:
        return
    for lookup in font["GSUB"].table.LookupList.Lookup:
        for subtable in lookup.SubTable:
            kind = lookup.LookupType
            if kind == 7:
                kind, subtable = subtable.ExtensionLookupType, subtable.ExtSubTable
            yield kind, subtable


def _edges(font: TTFont) -> tuple[dict[str, list[str]], dict[str, list[list[str]]],
                                  dict[str, list[tuple[str, int]]], set[str]]:
    """Substitution sources of each glyph: single (and alternate, reverse chaining) sources,
    ligature component lists, multiple-substitution sources of a first output (each with the
    number of glyphs it becomes), and the glyphs a multiple substitution adds after its first
    output."""
    singles: dict[str, list[str]] = {}
    ligatures: dict[str, list[list[str]]] = {}
    expanded: dict[str, list[tuple[str, int]]] = {}
    added: set[str] = set()
    for kind, subtable in _lookups(font):
        if kind == 1:
            for source, target in subtable.mapping.items():
                singles.setdefault(target, []).append(source)
        elif kind == 3:
            for source, targets in subtable.alternates.items():
                for target in targets:
                    singles.setdefault(target, []).append(source)
        elif kind == 8:
            for source, target in zip(subtable.Coverage.glyphs, subtable.Substitute, strict=False):
                singles.setdefault(target, []).append(source)
        elif kind == 2:
            for source, targets in subtable.mapping.items():
                if targets:
                    expanded.setdefault(targets[0], []).append((source, len(targets)))
                    added.update(target for target in targets[1:] if target != source)
        elif kind == 4:
            for first, rules in subtable.ligatures.items():
                for rule in rules:
                    ligatures.setdefault(rule.LigGlyph, []).append([first, *rule.Component])
    return singles, ligatures, expanded, added


def _whole_sources(sources: list[tuple[str, int]]) -> list[str]:
    """The glyphs a multiple substitution turns into a glyph, those it turns into that glyph
    alone first: Amiri draws a final ae (U+06D5) as one glyph, and a final heh with yeh above
    (U+06C0) as that glyph and a hamza, so the glyph is the ae, never the heh."""
    fewest = min((count for _, count in sources), default=0)
    return sorted(source for source, count in sources if count == fewest)


def _rank(code: int) -> tuple[bool, int]:
    return presentation_form(code), code


def read_glyph_texts(font: TTFont) -> GlyphTexts:
    """Each glyph's text, context-free: the cmap's character (a presentation form folded by
    NFKC), else the text of a glyph it substitutes for, else its ligature components' texts."""
    order = font.getGlyphOrder()
    by_name: dict[str, list[int]] = {}
    for code, name in (font.getBestCmap() or {}).items():
        by_name.setdefault(name, []).append(code)
    singles, ligatures, expanded, added = _edges(font)
    memo: dict[str, str | None] = {}

    def text(name: str, depth: int = 0) -> str | None:
        if name in memo:
            return memo[name]
        if depth > _DEPTH:
            return None
        found: str | None = None
        if name in by_name:
            code = min(by_name[name], key=_rank)
            found = unicodedata.normalize("NFKC", chr(code)) if presentation_form(code) else chr(code)
        else:
            candidates = [t for source in sorted(singles.get(name, ()))
                          if (t := text(source, depth + 1))]
            if not candidates:
                for components in ligatures.get(name, ()):
                    parts = [text(component, depth + 1) for component in components]
                    if all(part is not None for part in parts):
                        candidates.append("".join(part for part in parts if part is not None))
                        break
            if not candidates:
                candidates = [t for source in _whole_sources(expanded.get(name, []))
                              if (t := text(source, depth + 1))]
            if candidates:
                found = min(candidates, key=lambda t: (len(t), t))
            elif name in added:
                found = ""
        memo[name] = found
        return found

    characters = {gid: frozenset(chr(code) for code in by_name.get(name, ()) if not presentation_form(code))
                  for gid, name in enumerate(order)}
    texts = {gid: text(name) for gid, name in enumerate(order)}
    if (joiner := stand_in(font)) is not None:
        texts[joiner] = ZWNJ  # drawn for a ZWNJ alone (layout.joiners)
    return GlyphTexts(texts, characters)


@cache
def glyph_texts(path: Path) -> GlyphTexts:
    """`read_glyph_texts` of a shipped font file, read once."""
    with TTFont(str(path), lazy=True) as font:
        return read_glyph_texts(font)
