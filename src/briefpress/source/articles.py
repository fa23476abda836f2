"""Walk a structured annex: number its nodes, check their order, depth and ids, and name each one."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..errors import Problem
from ..text.numbering import write
from .numbering import LanguageNumbering, LevelStyle
from .treaty import (
    Annex,
    Article,
    Node,
    Numbered,
    Paragraph,
    Part,
    Recital,
    Section,
    Subparagraph,
)
from .yamlsource import FieldPath

# The levels a citation names one after the other ("المادة 39، الفقرة 1"); the levels below
# follow with a space ("(ب)").
NAMED_LEVELS = ("part", "section", "article", "paragraph")
SUB_LEVELS = ("subparagraph", "item")
MAX_SUB_DEPTH = len(SUB_LEVELS)


@dataclass(frozen=True)
class Located:
    """A node of a structured annex: the node, its level, its field path and the nodes above it."""

    node: Node
    level: str
    """recital, part, section, article, paragraph, subparagraph, item or definition."""
    path: FieldPath
    chain: tuple[Located, ...] = ()
    """The nodes above it, outermost first."""
    index: int = 0
    """Its place among its siblings, from 1 (recitals are cited by it)."""

    @property
    def tags(self) -> tuple[tuple[str, ...], ...]:
        """Its own tags and those of every node above it: an edition shows it when it shows each."""
        return tuple(tuple(located.node.audience) for located in (*self.chain, self))

    @property
    def cited_level(self) -> str:
        """The level whose numbering a definition takes: that of a sub-paragraph where it stands."""
        if self.level != "definition":
            return self.level
        parent = self.chain[-1].level if self.chain else "article"
        return "item" if parent == "subparagraph" else "subparagraph"


def walk(annex: Annex) -> Iterator[Located]:
    """Every node of a structured annex in reading order: recitals, then parts, sections, articles
    and everything inside them."""
    if annex.preamble is not None:
        for index, recital in enumerate(annex.preamble.recitals):
            yield Located(recital, "recital", ("preamble", "recitals", index), (),
                          recital._position or index + 1)
    for index, part in enumerate(annex.parts):
        located = Located(part, "part", ("parts", index), (), index + 1)
        yield located
        for s_index, section in enumerate(part.sections):
            inner = Located(section, "section", (*located.path, "sections", s_index), (located,),
                            s_index + 1)
            yield inner
            yield from _articles(section.articles, inner.path, (located, inner))
        yield from _articles(part.articles, located.path, (located,))
    yield from _articles(annex.articles, (), ())


def _articles(articles: list[Article], path: FieldPath, chain: tuple[Located, ...]) -> Iterator[Located]:
    for index, article in enumerate(articles):
        located = Located(article, "article", (*path, "articles", index), chain, index + 1)
        yield located
        yield from _inside(located)


def _inside(located: Located) -> Iterator[Located]:
    """The nodes below an article, paragraph or sub-paragraph."""
    node = located.node
    chain = (*located.chain, located)
    below = located.level == "subparagraph" or located.level == "item"
    sub_level = "item" if below else "subparagraph"
    for field, level in (("paragraphs", "paragraph"), ("subparagraphs", sub_level),
                         ("definitions", "definition")):
        for index, child in enumerate(getattr(node, field, ())):
            inner = Located(child, level, (*located.path, field, index), chain, index + 1)
            yield inner
            yield from _inside(inner)


def depth_problems(annex: Annex, label: str, lines: dict[FieldPath, int]) -> list[Problem]:
    """Sub-paragraphs nest at most two levels below an article or a paragraph."""
    problems = []
    for located in walk(annex):
        if located.level == "item" and getattr(located.node, "subparagraphs", None):
            path = (*located.path, "subparagraphs")
            problems.append(Problem(label, f"sub-paragraphs nest at most {MAX_SUB_DEPTH} levels below "
                                    "an article or a paragraph ((أ), then (i)); make this a paragraph "
                                    "of its own", lines.get(path), _field(path)))
    return problems


def id_problems(annex: Annex, label: str, lines: dict[FieldPath, int]) -> list[Problem]:
    """An id names one node."""
    seen: dict[str, FieldPath] = {}
    problems = []
    for located in walk(annex):
        node_id = located.node.id
        if node_id is None:
            continue
        if node_id in seen:
            first = lines.get((*seen[node_id], "id"))
            problems.append(Problem(label, f"id '{node_id}' is also given on line {first}; an id names "
                                    "one node", lines.get((*located.path, "id")),
                                    _field((*located.path, "id"))))
        else:
            seen[node_id] = located.path
    return problems


def targets(annex: Annex | None) -> dict[str, Located]:
    """The nodes a cross-reference may name, by id."""
    if annex is None or not annex.structured:
        return {}
    return {located.node.id: located for located in walk(annex) if located.node.id is not None}


class _Numberer:
    """Gives every numbered node its number: the one given, or the number before it plus one."""

    def __init__(self, label: str, lines: dict[FieldPath, int]) -> None:
        self.label = label
        self.lines = lines
        self.problems: list[Problem] = []
        self.last_article = 0
        self.article_labels: dict[str, FieldPath] = {}
        self.article_numbers: dict[str, FieldPath] = {}
        self.article_parallel_labels: dict[str, FieldPath] = {}
        # Articles count through the whole annex, so an article's label names one in all of it.

    def run(self, nodes: list[Any], path: FieldPath, level: str, last: int = 0) -> tuple[list[Any], int]:
        """`nodes` numbered after `last`; and the last number given."""
        result = []
        labels = self.article_labels if level == "article" else {}
        numbers = self.article_numbers if level == "article" else {}
        parallel_labels = self.article_parallel_labels if level == "article" else {}
        for index, node in enumerate(nodes):
            where = (*path, index)
            if isinstance(node, Numbered) and node.label is not None:
                self._label_once(node.label, where, level, labels)
            if isinstance(node, Numbered) and node.parallel is not None and node.parallel.label:
                # the second column prints its own labels: «5 مكرراً» and «5 مكرراً ثانياً»
                # both given as "5 bis" printed two articles "Article 5 bis" there
                self._label_once(node.parallel.label, where, level, parallel_labels,
                                 ("parallel", "label"))
            if isinstance(node, Numbered) and node.label is None:
                number = last + 1 if node.number is None else node.number
                if number <= last:
                    field = (*where, "number")
                    self.problems.append(Problem(
                        self.label, f"{level} numbers must increase: {number} comes after {last}",
                        self.lines.get(field), _field(field)))
                last = max(last, number)
                node = node.model_copy(update={"number": number})
                numbers[str(number)] = where
            result.append(self.inside(node, where))
        if level != "article":  # articles are compared once, through the whole annex
            self.labels_apart_from_numbers(labels, numbers, level)
        return result, last

    def labels_apart_from_numbers(self, labels: dict[str, FieldPath], numbers: dict[str, FieldPath],
                                  level: str) -> None:
        """A label that is a bare number another node of its level has («6» beside article 6)
        prints the same designation as that node."""
        for key, where in labels.items():
            if key in numbers:
                field = (*where, "label")
                self.problems.append(Problem(
                    self.label, f"{level} label '{key}' is the number of the {level} on line "
                    f"{self.lines.get(numbers[key])}, so both print as one; give it a label of its "
                    f"own, such as «{key} مكرراً» or '{key} bis', or a number",
                    self.lines.get(field), _field(field)))

    def _label_once(self, label: str, where: FieldPath, level: str, labels: dict[str, FieldPath],
                    name: FieldPath = ("label",)) -> None:
        """A label names one node of its level, as a number does: «9 مكرراً» given twice is a
        mistake (the second meant «9 مكرراً ثانياً»). Labels are compared as an edition prints
        them: «٥ مكرراً» and «5 مكرراً» are one label in an edition's own digits."""
        key = " ".join(_latin_digits(label).split())
        if key not in labels:
            labels[key] = where
            return
        field = (*where, *name)
        self.problems.append(Problem(
            self.label, f"{level} label '{label}' is also given on line "
            f"{self.lines.get((*labels[key], *name))}; a label names one {level}",
            self.lines.get(field), _field(field)))

    def inside(self, node: Any, path: FieldPath) -> Any:
        update: dict[str, Any] = {}
        if isinstance(node, Part):
            update["sections"], _ = self.run(node.sections, (*path, "sections"), "section")
        if isinstance(node, Part | Section):
            update["articles"], self.last_article = self.run(node.articles, (*path, "articles"),
                                                             "article", self.last_article)
        if isinstance(node, Article):
            update["paragraphs"], _ = self.run(node.paragraphs, (*path, "paragraphs"), "paragraph")
        if isinstance(node, Article | Paragraph | Subparagraph):
            update["subparagraphs"], _ = self.run(node.subparagraphs, (*path, "subparagraphs"),
                                                  "sub-paragraph")
        if isinstance(node, Article | Paragraph):
            update["definitions"], _ = self.run(node.definitions, (*path, "definitions"), "definition")
        return node.model_copy(update=update) if update else node


def _latin_digits(text: str) -> str:
    """`text` with every decimal digit (Arabic-Indic, Persian, ...) as its Latin one."""
    return "".join(str(unicodedata.decimal(character)) if unicodedata.category(character) == "Nd"
                   else character for character in text)


def numbered(annex: Annex, label: str, lines: dict[FieldPath, int]) -> tuple[Annex, list[Problem]]:
    """The annex with every node's number filled in, and every number that does not increase.

    Parts and articles count through the whole annex (articles across parts and sections);
    sections count within their part; paragraphs, sub-paragraphs and definitions within the
    node above them. Numbers are given before any edition filters the annex, so a node keeps
    its number, and a reference its target's, in every edition.
    """
    if not annex.structured:
        return annex, []
    numberer = _Numberer(label, lines)
    parts, _ = numberer.run(annex.parts, ("parts",), "part")
    articles, _ = numberer.run(annex.articles, ("articles",), "article", numberer.last_article)
    numberer.labels_apart_from_numbers(numberer.article_labels, numberer.article_numbers, "article")
    update: dict[str, Any] = {"parts": parts, "articles": articles}
    if annex.preamble is not None:
        # Recitals are cited by their place in the source ("الديباجة، الفقرة 3"), which an
        # edition that hides one before it must not change.
        recitals = []
        for index, recital in enumerate(annex.preamble.recitals):
            copy = recital.model_copy()
            copy._position = index + 1
            recitals.append(copy)
        update["preamble"] = annex.preamble.model_copy(update={"recitals": recitals})
    return annex.model_copy(update=update), numberer.problems


def _field(path: FieldPath) -> str:
    parts: list[str] = []
    for part in path:
        parts.append(f"[{part}]" if isinstance(part, int) else (f".{part}" if parts else str(part)))
    return "".join(parts)


def field_name(path: FieldPath) -> str:
    """A field path as messages print it: parts[1].articles[0].number."""
    return _field(path)


# --- names and markers ------------------------------------------------------------------------

def number_text(located: Located, style: LanguageNumbering, language: str, second: bool = False) -> str:
    """The node's number as its level's scheme writes it, or its label (in the second language's
    words when `second` and the node gives one)."""
    node = located.node
    if isinstance(node, Recital):
        return write(located.index, style.paragraph.scheme, language, style.paragraph.gender)
    label = getattr(node, "label", None)
    if label is not None:
        return str(node.parallel.label) if second and node.parallel and node.parallel.label else str(label)
    level: LevelStyle = getattr(style, located.cited_level)
    number = getattr(node, "number", None) or located.index
    return write(number, level.scheme, language, level.gender)


def marker(located: Located, style: LanguageNumbering, labels: dict[str, str], language: str,
           second: bool = False) -> str:
    """What is printed before the node's text or as its heading: «المادة 38», «(ب)», «1.»."""
    level: LevelStyle = getattr(style, located.cited_level)
    return _fill(level.marker, number_text(located, style, language, second),
                 labels.get(located.cited_level, ""))


def designation(located: Located, style: LanguageNumbering, labels: dict[str, str],
                language: str, second: bool = False) -> str:
    """The node's full name in a cross-reference: «المادة 39، الفقرة 1 (ب)», «الجزء الثاني».

    Articles are numbered through the whole treaty, so a citation starts at the article and
    does not name its part or section; a section is named with its part.
    """
    if located.level == "recital":
        return f"{labels.get('preamble', '')}{style.separator}" + _fill(
            style.paragraph.cite, number_text(located, style, language), labels.get("paragraph", ""))
    nodes = (*located.chain, located)
    start = max((i for i, node in enumerate(nodes) if node.level == "article"), default=0)
    named: list[str] = []
    subs: list[str] = []
    for node in nodes[start:]:
        level = node.cited_level
        text = _fill(getattr(style, level).cite, number_text(node, style, language, second),
                     labels.get(level, ""))
        (named if level in NAMED_LEVELS and not subs else subs).append(text)
    return style.separator.join(named) + "".join(" " + sub for sub in subs)


_OPENINGS = "([«"
_CLOSINGS = ")]».:"


def _fill(pattern: str, number: str, label: str) -> str:
    """`pattern` with its level's label and the number (or a node's label) in it. A label typed
    with the punctuation the pattern puts around it («(أ مكرراً)» in «({n})», «1 مكرراً.» in
    «{n}.») keeps it once: it was printed «((أ مكرراً))»."""
    head, _, tail = pattern.partition("{n}")
    opening = head[len(head.rstrip(_OPENINGS)):]
    closing = tail[:len(tail) - len(tail.lstrip(_CLOSINGS))]
    if opening and number.startswith(opening):
        head = head[:-len(opening)]
    if closing and number.endswith(closing):
        tail = tail[len(closing):]
    return (head + number + tail).replace("{label}", label).strip()


def parallel_problems(annex: Annex, label: str, lines: dict[FieldPath, int],
                      language: str | None) -> list[Problem]:
    """Parallel texts need a second language, other than the publication's; an article that has
    one has it for every node inside it, so the two columns run paragraph for paragraph. The
    publication's language is None when publication.yaml did not load: nothing is compared with
    it then (a guess of Arabic made an English annex's Arabic parallel text an error too)."""
    if not annex.structured:
        return []
    problems = []
    if language is not None and annex.parallel is not None and annex.parallel.language == language:
        problems.append(Problem(label, f"'{language}' is the publication's own language; the parallel "
                                "text is in another", lines.get(("parallel", "language")),
                                "parallel.language"))
    nodes = list(walk(annex))
    given = [located for located in nodes if located.node.parallel is not None]
    if annex.preamble is not None and annex.preamble.parallel is not None:
        given.append(Located(Recital(text="-"), "recital", ("preamble",)))
    if given and annex.parallel is None:
        where = (*given[0].path, "parallel")
        return [*problems, Problem(label, "a parallel text needs its language: add `parallel: {language: "
                                   "en}` at the top level of annex.yaml", lines.get(where), _field(where))]
    if annex.parallel is not None:
        # The second column is the whole text in the second language: a recital, part, section
        # or article without one would leave its rows blank there, and the column would lack it.
        for located in nodes:
            if located.level in ("recital", "part", "section", "article") and \
                    located.node.parallel is None:
                problems.append(Problem(label, f"the annex has a parallel text in "
                                        f"'{annex.parallel.language}', so this {located.level} needs "
                                        "one: add parallel with the same texts",
                                        lines.get(located.path), _field(located.path)))
        preamble = annex.preamble
        if preamble is not None and preamble.parallel is None and (preamble.intro or preamble.closing):
            problems.append(Problem(label, f"the annex has a parallel text in "
                                    f"'{annex.parallel.language}', so the preamble needs one: add "
                                    "parallel with its intro and closing", lines.get(("preamble",)),
                                    "preamble"))
    for located in nodes:
        if located.level != "article":
            continue
        size = len(located.path)
        inside = [node for node in nodes if node.path[:size] == located.path]
        if any(node.node.parallel is not None for node in inside):
            for node in inside:
                if node.node.parallel is None:
                    problems.append(Problem(label, "this article has a parallel text, so each of its "
                                            "nodes needs one: add parallel with the same texts",
                                            lines.get(node.path), _field(node.path)))
    return problems


def quoted_texts(annex: Annex) -> Iterator[tuple[str, str, tuple[list[str], ...]]]:
    """(field, text, tag lists) of every text of a node that declares `quotes_brief`."""
    for located in walk(annex):
        if not located.node.quotes_brief:
            continue
        for name in ("title", "text", "intro", "closing", "term", "meaning"):
            value = getattr(located.node, name, None)
            if value is not None:
                yield (_field((*located.path, name)), value,
                       tuple(list(tags) for tags in located.tags))


def scheme_problems(annex: Annex, styles: dict[str, LanguageNumbering], edition: str, label: str,
                    lines: dict[FieldPath, int]) -> list[Problem]:
    """Numbers an edition's schemes cannot write (ordinal words stop at 100, letters at three
    turns of the alphabet), for each language the annex is printed in (`styles`)."""
    problems = []
    for located in walk(annex):
        number = getattr(located.node, "number", None)
        if number is None or located.level == "recital":
            continue
        for language, style in styles.items():
            level: LevelStyle = getattr(style, located.cited_level)
            try:
                write(number, level.scheme, language, level.gender)
            except ValueError as error:
                field = (*located.path, "number")
                problems.append(Problem(label, f"the edition '{edition}' numbers {located.cited_level}s "
                                        f"in {language} as {level.scheme}, which {error}",
                                        lines.get(field) or lines.get(located.path), _field(field)))
                break
    return problems
