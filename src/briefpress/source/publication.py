"""Read and validate a publication: its YAML, its brief, and where every quote comes from."""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from ..errors import ContentError, Problem
from ..project import Project, hidden
from ..sandbox import Sandbox
from .articles import depth_problems, id_problems, numbered, parallel_problems, quoted_texts
from .citations import block_citations
from .markdown import load_brief
from .model import Annex, Brief, Content, Facts, Publication
from .yamlsource import FieldPath, load_yaml_document, load_yaml_model, parse_yaml

PUBLICATION_FILES = ("publication.yaml", "brief.md", "facts.yaml", "annex.yaml")
# Arabic-Indic and Extended Arabic-Indic digits and signs, compared as the ASCII an author types.
_DIGITS = str.maketrans({**{chr(0x0660 + i): str(i) for i in range(10)},
                         **{chr(0x06F0 + i): str(i) for i in range(10)},
                         "\u066b": ".", "\u066c": ",", "\u066a": "%", "\u2212": "-"})
# Cardinal words a source may state a small figure with (both genders, and the oblique dual).
NUMBER_WORDS = {
    "1": ("واحد", "واحدة"), "2": ("اثنان", "اثنتان", "اثنين", "اثنتين"), "3": ("ثلاث", "ثلاثة"),
    "4": ("أربع", "أربعة"), "5": ("خمس", "خمسة"), "6": ("ست", "ستة"), "7": ("سبع", "سبعة"),
    "8": ("ثماني", "ثمانية", "ثمان"), "9": ("تسع", "تسعة"), "10": ("عشر", "عشرة"),
}


# Invisible direction marks and isolates an author may type (README, "Mixed runs"): not words.
_DIRECTION_MARKS = dict.fromkeys(map(ord, "\u200e\u200f\u061c\u2066\u2067\u2068\u2069"))


def normalise(text: str) -> str:
    """Text compared for provenance: NFC, single spaces, no invisible direction marks."""
    return " ".join(unicodedata.normalize("NFC", text).translate(_DIRECTION_MARKS).split())


def article_text(brief: Brief) -> str:
    """The article a quote must come from, normalised: each paragraph, heading, list item, table
    cell and note a line of its own, so that no quote runs from the end of one into the next; a
    cross-reference as written, so that a quote holds it as the brief does, and no quote joins
    the words on either side of it."""
    texts = [*brief.inline_texts(references=True),
             *(text for note in brief.notes for block in note.blocks
               for text in block.inline_texts(references=True))]
    return "\n".join(normalise(text) for text in texts)


def publication_ids(project: Project) -> list[str]:
    """Every publication folder under `content/`, sorted; a hidden folder (`.old-brief`, a
    backup) is none."""
    if not project.content_dir.is_dir():
        return []
    return sorted(path.parent.name for path in project.content_dir.glob("*/publication.yaml")
                  if not hidden(PurePosixPath(path.parent.name)))


def _meant(path: Path, names: tuple[str, ...]) -> str | None:
    """The source name of `names` a file was saved in place of, under another suffix or case
    (`annex.yml`, `Annex.yaml`, `brief.MD`), or None."""
    stem, suffix = path.stem.lower(), path.suffix.lower()
    suffixes = {".yaml": {".yaml", ".yml"}, ".md": {".md", ".markdown"}}
    return next((name for name in names if path.name != name and stem == Path(name).stem
                 and suffix in suffixes[Path(name).suffix]), None)


def misnamed_source_problems(project: Project) -> list[Problem]:
    """A file under `content/` named as a source but for its suffix or case (`annex.yml`,
    `publication.YAML`, `Annex.yaml`, `brief.MD`, `tags.YAML`): never read, it would drop its
    annex, or its whole publication, without a word."""
    if not project.content_dir.is_dir():
        return []
    shown = [path for path in sorted(project.content_dir.glob("*/*"))
             if not hidden(path.relative_to(project.content_dir))]
    found = [(path, _meant(path, PUBLICATION_FILES)) for path in shown]
    found += [(path, _meant(path, ("tags.yaml",))) for path in sorted(project.content_dir.glob("*"))]
    misnamed = [(path, meant) for path, meant in found if meant]
    problems = [Problem(project.relative(path), (
        "a source is a .yaml file" if path.stem == Path(meant).stem and meant.endswith(".yaml")
        else f"a source is named {meant}") + f", and this one is not read; rename it {meant}")
        for path, meant in misnamed]
    # A folder holding a publication's files but no publication.yaml is no publication: its
    # editions would be left out, and the PDFs an earlier build made removed, without a word.
    for folder in sorted(path for path in project.content_dir.iterdir()
                         if path.is_dir() and not hidden(PurePosixPath(path.name))):
        held = [name for name in PUBLICATION_FILES if (folder / name).is_file()]
        if held and "publication.yaml" not in held and not any(path.parent == folder for path, _ in misnamed):
            problems.append(Problem(project.relative(folder), f"holds {', '.join(held)} but no "
                                    "publication.yaml, so it is no publication and nothing of it is "
                                    "built; add publication.yaml, or move the folder out of content/"))
    return problems


def load_publication(project: Project, publication_id: str) -> Content:
    """Load one publication, raising `ContentError` with every problem found."""
    folder = project.content_dir / publication_id
    label = project.relative
    problems: list[Problem] = []

    sandbox = project.sandbox()
    publication, found = load_yaml_model(
        Publication, folder / "publication.yaml", label(folder / "publication.yaml"), sandbox)
    problems += found
    brief, found = load_brief(folder / "brief.md", label(folder / "brief.md"), sandbox)
    problems += found
    facts, found = load_yaml_model(Facts, folder / "facts.yaml", label(folder / "facts.yaml"), sandbox)
    problems += found
    annex, found = _load_annex(folder / "annex.yaml", label(folder / "annex.yaml"), sandbox,
                               publication.language if publication else None)
    problems += found

    if publication is not None:
        lines = _lines(project, folder / "publication.yaml", label)
        if publication.id != publication_id:
            problems.append(Problem(label(folder / "publication.yaml"),
                                    f"id '{publication.id}' must match its folder name "
                                    f"'{publication_id}'", lines.get(("id",)), "id"))
        problems += _source_id_problems(publication, label(folder / "publication.yaml"), lines)
    if brief is not None:
        article = article_text(brief)
        if facts is not None:
            facts_text = project.read_text(folder / "facts.yaml", "source")
            problems += _unquoted(facts, article, label(folder / "facts.yaml"), facts_text)
            problems += _unstated(facts, label(folder / "facts.yaml"), facts_text)
        if annex is not None:
            annex_text = project.read_text(folder / "annex.yaml", "source")
            problems += _unquoted(annex, article, label(folder / "annex.yaml"), annex_text)
    if publication is not None and brief is not None and facts is not None:
        problems += _citation_problems(publication, brief, facts, label(folder / "brief.md"),
                                       label(folder / "facts.yaml"),
                                       _lines(project, folder / "facts.yaml", label))
    if problems:
        raise ContentError(problems)
    assert publication and brief and facts
    return Content(publication=publication, brief=brief, facts=facts, annex=annex)


def _load_annex(path: Path, label: str, sandbox: Sandbox,
                language: str | None) -> tuple[Annex | None, list[Problem]]:
    """annex.yaml, its nodes numbered and its structure checked; none when the file is absent.

    A publication without annex.yaml has no annex: the editions that list `annex` get none
    for it. Anything else at that path (a folder, a broken link) is read and reported.
    """
    if not os.path.lexists(path):
        return None, []
    annex, lines, problems = load_yaml_document(Annex, path, label, sandbox)
    if annex is None:
        return None, problems
    annex, problems = numbered(annex, label, lines)
    problems += depth_problems(annex, label, lines)
    problems += id_problems(annex, label, lines)
    problems += parallel_problems(annex, label, lines, language)
    return annex, problems


Quote = tuple[str, str, tuple[list[str], ...]]


def quotes(document: Facts | Annex) -> list[Quote]:
    """(field, text, tag lists) for every text that must be quoted verbatim from the article.

    The tag lists are those of the item and of every item it belongs to: the quote
    reaches an audience only when each of them lets it through.
    """
    if isinstance(document, Facts):
        found: list[Quote] = [(f"figures[{i}].source", item.source, (item.audience,))
                              for i, item in enumerate(document.figures)]
        found += [(f"timeline[{i}].source", item.source, (item.audience,))
                  for i, item in enumerate(document.timeline)]
        for i, quoted in enumerate(document.lists):
            found.append((f"lists[{i}].source", quoted.source, (quoted.audience,)))
            found += [(f"lists[{i}].items[{j}]", item, (quoted.audience,))
                      for j, item in enumerate(quoted.items)]
        return found
    found = [(f"treaty.facts[{i}].source", fact.source, (fact.audience,))
             for i, fact in enumerate(document.treaty.facts)]
    for i, schedule in enumerate(document.schedules):
        found.append((f"schedules[{i}].source", schedule.source, (schedule.audience,)))
        found += [(f"schedules[{i}].clauses[{j}].text", clause.text,
                   (schedule.audience, clause.audience))
                  for j, clause in enumerate(schedule.clauses)]
    found += quoted_texts(document)  # a structured annex quotes only where a node says it does
    return found


_MARKUP = re.compile(r"[*_`]|\]\(")  # Markdown the article's printed text has not


def _unquoted(document: Facts | Annex, article: str, label: str, text: str) -> list[Problem]:
    problems = []
    for field, quote, _ in quotes(document):
        if normalise(quote) not in article:
            markup = (" as printed, without their Markdown (*, _, `, [text](url))"
                      if _MARKUP.search(quote) else "")
            problems.append(Problem(
                label, f"quote not found in brief.md; copy the article's words exactly{markup}",
                quote_line(text, label, field, quote), field))
    return problems


def quote_line(text: str, label: str, field: str, quote: str) -> int | None:
    """The line of a quote's `field` (`lists[1].items[0]`) in a YAML file's text; where the
    file's lines are not known, the first line that holds the quote. Two items may quote the
    same words: the first such line was the other item's."""
    path = tuple(int(part[1:-1]) if part.startswith("[") else part
                 for part in re.findall(r"\[\d+\]|[^.\[\]]+", field))
    return parse_yaml(text, label)[1].get(path) or line_of(text.splitlines(), quote)


# A minus not after a digit is the number's sign (`-12%`), so `12%` is not what it states; after a
# digit it joins a range (`2016-2017`).
_UNSIGNED = r"(?<!(?<![0-9])[-−])"


# A range's dash, typed as a hyphen, an en or em dash or a minus, spaced or not (`10–15%`).
_RANGE_DASH = re.compile(r"(?<=[0-9]) ?[-–—] ?(?=[0-9])")


def states(source: str, value: str) -> bool:
    """Whether a source quote states a figure's value: in digits (any digit style, a range's
    dash typed any way), or in words."""
    wanted, quote = (_RANGE_DASH.sub("–", re.sub(r"(?<=[0-9]) (?=%)", "", normalise(text).translate(_DIGITS)))
                     for text in (value, source))
    if re.search(rf"(?<![0-9.,]){_UNSIGNED}{re.escape(wanted)}(?![0-9]|[.,][0-9])", quote):
        return True
    words = quote.split()
    return any(word in words or f"و{word}" in words for word in NUMBER_WORDS.get(wanted, ()))


def _unstated(facts: Facts, label: str, text: str) -> list[Problem]:
    """A figure whose value its own source quote does not state."""
    _, lines, _ = parse_yaml(text, label)
    return [Problem(label, f"value {figure.value!r} is not stated in its source quote; quote the "
                           "words that give this figure", lines.get(("figures", i, "value")),
                    f"figures[{i}].value")
            for i, figure in enumerate(facts.figures) if not states(figure.source, figure.value)]


def line_of(lines: list[str], text: str) -> int | None:
    """The first line that holds the start of `text`."""
    head = re.escape(text.strip()[:30])
    for number, line in enumerate(lines, start=1):
        if re.search(head, line):
            return number
    return None


def _lines(project: Project, path: Path, label: Callable[[Path], str]) -> dict[FieldPath, int]:
    """Each field's line in a YAML file that has loaded, for a problem found after loading."""
    return parse_yaml(project.read_text(path, "source"), label(path))[1]


def _source_id_problems(publication: Publication, label: str,
                        lines: dict[FieldPath, int]) -> list[Problem]:
    """A source id given twice, at its second use: a citation would name either."""
    seen: set[str] = set()
    problems = []
    for index, source in enumerate(publication.sources):
        if source.id in seen:
            problems.append(Problem(label, f"id '{source.id}' is used twice; each source needs its "
                                    "own id", lines.get(("sources", index, "id")),
                                    f"sources[{index}].id"))
        seen.add(source.id)
    return problems


def _citation_problems(publication: Publication, brief: Brief, facts: Facts, brief_label: str,
                       facts_label: str, facts_lines: dict[FieldPath, int]) -> list[Problem]:
    """Every `[@id]` in the brief and every fact's `cite` must name a source of publication.yaml."""
    known = {source.id for source in publication.sources}
    listed = ", ".join(sorted(known)) or "none (add a sources: list to publication.yaml)"
    blocks = [*brief.blocks(), *(block for note in brief.notes for block in note.blocks)]
    problems = [Problem(brief_label, f"unknown source [@{source}]; publication.yaml's sources are: {listed}",
                        line) for source, line in block_citations(blocks) if source not in known]
    items = (("figures", facts.figures), ("timeline", facts.timeline), ("lists", facts.lists))
    for name, group in items:
        for index, item in enumerate(group):
            problems += [Problem(facts_label, f"unknown source '{source}'; publication.yaml's sources "
                                 f"are: {listed}", facts_lines.get((name, index, "cite", position),
                                                                   facts_lines.get((name, index, "cite"))),
                                 f"{name}[{index}].cite")
                         for position, source in enumerate(item.cite) if source not in known]
    return problems
