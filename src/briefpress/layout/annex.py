"""Lay out a structured annex for its template: every node's marker and texts, localised, with
cross-references made links; in the main language and, for parallel texts, in the second."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from markupsafe import Markup, escape

from ..source.articles import Located, designation, marker, targets, walk
from ..source.numbering import LanguageNumbering
from ..source.treaty import Annex
from ..source.xrefs import Reference, pieces, resolve
from ..text.bidi import LANGUAGE, Direction
from ..text.breaks import hold_name
from ..text.labels import CHROME_LABELS
from ..text.localise import Localiser
from .paragraph_direction import written_direction

DIRECTIONS: dict[str, Direction] = {"ar": "rtl", "en": "ltr"}
ANCHOR_PREFIX = "n-"  # an annex node's HTML id: never one of the page's own ids


@dataclass(frozen=True)
class Voice:
    """How one language writes an annex: its numbering, labels and localiser."""

    language: str
    direction: Direction
    numbering: LanguageNumbering
    labels: dict[str, str]
    localise: Localiser
    second: bool = False
    """Whether this is the parallel text's language (a labelled node then prints its parallel label)."""

    def text(self, value: str | None, names: dict[str, Located], page_label: str | None,
             last_words: bool = False) -> Markup | None:
        """A text as a page prints it: localised, each reference a link to its target named in
        this language (with the page label the stylesheet puts the page after, if asked); with
        `last_words` (a title), its last two words held on one line."""
        if value is None:
            return None
        html: list[Markup] = []
        texts = pieces(value)
        named = {index: hold_name(designation(names[piece.target], self.numbering, self.labels,
                                              self.language, self.second), self.numbering.separator)
                 for index, piece in enumerate(texts) if isinstance(piece, Reference)}
        # A text written wholly in the other direction (an Arabic clause of an English annex) is
        # localised in that direction and set as one span of it, as a brief's list item is: its
        # marker stays on its column's side, its words and full stop read in their own order.
        plain = "".join(named[index] if isinstance(piece, Reference) else piece
                        for index, piece in enumerate(texts))
        written = written_direction(plain, self.direction)
        localise = self.localise if written == self.direction else Localiser(written,
                                                                               self.localise.digits)
        for index, piece in enumerate(texts):
            if isinstance(piece, Reference):
                attributes = Markup(' data-page="{}"').format(page_label) if page_label else Markup("")
                html.append(Markup('<a class="xref" href="#{}"{}>{}{}</a>').format(
                    ANCHOR_PREFIX + piece.target, attributes, _space_before(texts, index),
                    localise(named[index])))
            else:
                if index + 1 < len(texts) and isinstance(texts[index + 1], Reference) and \
                        piece.endswith(" "):
                    piece = piece[:-1]  # the space goes inside the link that follows
                html.append(localise.html(piece, last_words=last_words and index == len(texts) - 1))
        joined = Markup("").join(html)
        if written == self.direction:
            return joined
        return Markup('<span dir="{}" lang="{}">').format(written, LANGUAGE[written]) + joined + \
            Markup("</span>")


def _space_before(texts: list[str | Reference], index: int) -> str:
    """The space before a reference, moved inside its link.

    WeasyPrint 70 breaks a line too early when a link does not fit after the text before it
    and that text fits only without its final space: it can leave one word on the line
    ("the" | "indicators reach ..."). A link that starts with the space breaks where it should.
    """
    before = texts[index - 1] if index else None
    return " " if isinstance(before, str) and before.endswith(" ") else ""


@dataclass(frozen=True)
class Words:
    """One language's words for one node."""

    marker: Markup
    heading: Markup
    title: Markup | None = None
    text: Markup | None = None
    intro: Markup | None = None
    closing: Markup | None = None
    omitted: Markup | None = None
    term: Markup | None = None
    meaning: Markup | None = None
    bookmark: str = ""
    """The heading as the PDF outline names it: plain text, digits as the edition writes them."""

    @property
    def long(self) -> bool:
        """Whether a text of the node is too long to move whole to the next page."""
        texts = (self.text, self.intro, self.closing, self.meaning)
        return any(len(text.striptags()) > LONG_ROW for text in texts if text is not None)


@dataclass(frozen=True)
class Shown:
    """A node as the template prints it: its level, anchor, words and the nodes below it."""

    level: str
    anchor: str | None
    main: Words
    second: Words | None
    running: str
    """What the running head says on a page this node starts: its article's heading, if it is in one."""
    children: tuple[Shown, ...] = field(default_factory=tuple)
    heading_level: int = 2
    depth: int = 0
    """For a node below an article: how many list levels down it is (paragraph 1, (أ) 2, (i) 3)."""


@dataclass(frozen=True)
class Row:
    """One row of a parallel annex: a heading or one text of a node, in both languages."""

    kind: str
    """heading, text, intro or closing."""
    shown: Shown
    first: bool = True
    """Whether this is the node's first row, which carries its anchor."""

    @property
    def long(self) -> bool:
        """Whether the row may break across pages: a text too long to move whole to the next page.

        WeasyPrint keeps a heading or an introduction with the row after it only when that row
        does not break inside, so every shorter row is kept whole."""
        voices = (self.shown.main, self.shown.second)
        return self.kind != "heading" and any(words.long for words in voices if words is not None)


@dataclass(frozen=True)
class LaidOut:
    """The structured annex of one edition, ready for the template."""

    preamble_intro: tuple[Words, Words | None] | None
    recitals: tuple[Shown, ...]
    preamble_closing: tuple[Words, Words | None] | None
    nodes: tuple[Shown, ...]
    parallel: bool
    second_language: str | None
    second_direction: str | None
    second_title: Markup | None = None
    second_name: Markup | None = None
    second_label: str | None = None
    """The second column's header: the name of its language's text, in that language."""

    @property
    def rows(self) -> tuple[Row, ...]:
        """The nodes as rows of two columns, in reading order: each heading, introduction, text
        and closing on a row of its own, so the columns meet at the top of each one."""
        return tuple(row for shown in self.nodes for row in _rows(shown))


HEADED = ("part", "section", "article")
LONG_ROW = 600  # characters: about twelve lines of a column, the most a row moves whole


def _rows(shown: Shown) -> Iterator[Row]:
    own = list(_own_rows(shown))
    for index, kind in enumerate(own):
        if kind != "closing":
            yield Row(kind, shown, index == 0)
    for child in shown.children:
        yield from _rows(child)
    if own and own[-1] == "closing":
        yield Row("closing", shown, len(own) == 1)


def _own_rows(shown: Shown) -> Iterator[str]:
    """The kinds of row a node's own words take: heading, intro, text, closing."""
    headed = shown.level in HEADED
    if headed:
        yield "heading"
    if shown.children:
        if shown.main.intro is not None or not headed:
            yield "intro"  # a list item's marker stands on its intro line
        if shown.main.closing is not None:
            yield "closing"
    elif not headed or shown.main.text is not None or (
            shown.level == "article" and shown.main.omitted is not None):
        yield "text"


class AnnexLayout:
    """Builds the `LaidOut` annex of one edition from its view of the annex."""

    def __init__(self, annex: Annex, main: Voice, second: Voice | None, reference_pages: bool) -> None:
        self.annex = annex
        self.main = main
        self.second = second
        self.names = targets(annex)
        self.page_label = main.labels.get("page_short") if reference_pages else None

    def _words(self, voice: Voice, located: Located, second: bool) -> Words:
        node = located.node
        source = node.parallel if second else node
        page_label = self.page_label if not second else (
            voice.labels.get("page_short") if self.page_label else None)

        def text(name: str) -> Markup | None:
            return voice.text(getattr(source, name, None), self.names, page_label)

        mark = "" if located.level == "recital" else marker(located, voice.numbering, voice.labels,
                                                               voice.language, second)
        title = getattr(source, "title", None)
        bookmark = mark + (f": {resolve(title, self._name(voice))}" if title else "")
        return Words(marker=Markup(escape(voice.localise(mark))) if mark else Markup(""),
                     heading=Markup(escape(voice.localise(mark))),
                     bookmark=voice.localise.plain(bookmark),
                     title=text("title"), text=text("text"), intro=text("intro"),
                     closing=text("closing"), omitted=text("omitted"), term=text("term"),
                     meaning=text("meaning"))

    def _name(self, voice: Voice) -> Callable[[str], str]:
        """How `voice` names the node with an id, in plain text."""
        return lambda target: designation(self.names[target], voice.numbering, voice.labels,
                                          voice.language, voice.second)

    def _shown(self, located: Located, children: tuple[Shown, ...], heading_level: int, depth: int) -> Shown:
        main = self._words(self.main, located, False)
        second = (self._words(self.second, located, True)
                  if self.second is not None and located.node.parallel is not None else None)
        anchor = ANCHOR_PREFIX + located.node.id if located.node.id else None
        article = next((node for node in (*located.chain, located) if node.level == "article"), None)
        running = self.main.localise(marker(article, self.main.numbering, self.main.labels,
                                            self.main.language)) if article else ""
        return Shown(located.level, anchor, main, second, running, children, heading_level, depth)

    def lay_out(self) -> LaidOut:
        located = list(walk(self.annex))
        by_parent: dict[tuple, list[Located]] = {}
        for node in located:
            parent = node.chain[-1].path if node.chain else ()
            by_parent.setdefault(parent, []).append(node)
        has_parts = bool(self.annex.parts)
        has_sections = any(part.sections for part in self.annex.parts)

        def build(node: Located) -> Shown:
            children = tuple(build(child) for child in by_parent.get(node.path, ()))
            if node.level == "part":
                level = 2
            elif node.level == "section":
                level = 3
            else:
                level = 2 + has_parts + (has_sections and any(n.level == "section" for n in node.chain))
            depth = sum(1 for n in (*node.chain, node)
                        if n.level in ("paragraph", "subparagraph", "item", "definition"))
            return self._shown(node, children, level, depth)

        tops = [build(node) for node in by_parent.get((), []) if node.level != "recital"]
        recitals = tuple(self._shown(node, (), 0, 0) for node in located if node.level == "recital")
        preamble = self.annex.preamble
        intro = closing = None
        if preamble is not None:
            intro = self._pair(preamble.intro, preamble.parallel.intro if preamble.parallel else None)
            closing = self._pair(preamble.closing,
                                 preamble.parallel.closing if preamble.parallel else None)
        second = self.second
        parallel = self.annex.parallel
        return LaidOut(intro, recitals, closing, tuple(tops), second is not None,
                       second.language if second else None, second.direction if second else None,
                       second.text(parallel.title, self.names, None, True) if second and parallel else None,
                       second.text(parallel.name, self.names, None, True) if second and parallel else None,
                       second.localise(second.labels["text_language"]) if second else None)

    def _pair(self, main: str | None, second: str | None) -> tuple[Words, Words | None] | None:
        if main is None:
            return None
        first = Words(Markup(""), Markup(""), text=self.main.text(main, self.names, None))
        other = None
        if self.second is not None and second is not None:
            other = Words(Markup(""), Markup(""), text=self.second.text(second, self.names, None))
        return first, other


def voice(language: str, numbering: LanguageNumbering, labels: dict[str, str], digits: str,
          second: bool = False) -> Voice:
    """The voice of one language in an edition: its numbering, labels and localiser."""
    direction = DIRECTIONS[language]
    return Voice(language, direction, numbering, labels,
                 Localiser(direction, digits), second)  # type: ignore[arg-type]


def default_labels(language: str) -> dict[str, str]:
    """The chrome labels of a language no profile changes (the second language's)."""
    return dict(CHROME_LABELS[language])
