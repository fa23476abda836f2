"""How each level of a structured annex is numbered: `templates/numbering.yaml`, and a profile's changes."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, StringConstraints, field_validator, model_validator

from ..errors import ContentError, Problem
from ..project import Project
from ..text.numbering import Gender, Scheme
from .model import Strict
from .yamlsource import load_yaml_model, parse_yaml

NUMBERING_FILE = "numbering.yaml"
LEVELS = ("part", "section", "article", "paragraph", "subparagraph", "item")
Pattern = Annotated[str, StringConstraints(min_length=1, max_length=80)]


def _holds_number(pattern: str | None) -> str | None:
    if pattern is not None and "{n}" not in pattern:
        raise ValueError(f"{pattern!r} must hold {{n}}, where the number goes")
    return pattern


class LevelStyle(Strict):
    """How one level is numbered, marked and cited."""

    scheme: Scheme
    """digits (the edition's), abjad (أ ب ج د هـ و ...), latin (a b c), roman (i ii iii),
    roman-upper (I II III) or ordinal-words (الأول، الأولى; One, Two)."""
    gender: Gender = "masculine"
    """For ordinal-words in Arabic: the gender of the level's label (المادة الأولى, الجزء الأول)."""
    marker: Pattern
    """How the number is printed before its text or as its heading: {n} is the number, {label}
    the profile's label for the level, e.g. "({n})" or "{label} {n}"."""
    cite: Pattern
    """How a cross-reference names this level, e.g. "{label} {n}" or "({n})"."""

    @field_validator("marker", "cite")
    @classmethod
    def _number_in_pattern(cls, pattern: str) -> str:
        return _holds_number(pattern) or pattern


#: Schemes whose numbers are Arabic letters: English text cannot hold them, where every
#: reader and `check` takes what an English paragraph holds for English.
ARABIC_LETTER_SCHEMES = frozenset({"abjad"})


def _no_arabic_letters(levels: Any) -> Any:
    """English levels numbered in Latin letters, digits or words, never in Arabic letters."""
    for level in LEVELS:
        style = getattr(levels, level, None)
        if style is not None and style.scheme in ARABIC_LETTER_SCHEMES:
            raise ValueError(f"{level}: {style.scheme} writes Arabic letters, which English text "
                             "cannot hold (a reader takes them for English); use latin or roman")
    return levels


class LanguageNumbering(Strict):
    """Every level of one language."""

    separator: Annotated[str, StringConstraints(min_length=1, max_length=4)]
    """What joins the article and the paragraph in a citation, e.g. "، " (المادة 39، الفقرة 1)."""
    part: LevelStyle
    """Parts: الجزء الأول, Part I."""
    section: LevelStyle
    """Sections inside a part."""
    article: LevelStyle
    """Articles: المادة 38, Article 38."""
    paragraph: LevelStyle
    """Numbered paragraphs of an article."""
    subparagraph: LevelStyle
    """Lettered sub-paragraphs (and definitions) below an article or paragraph."""
    item: LevelStyle
    """The level below a sub-paragraph."""


class Numbering(Strict):
    """`templates/numbering.yaml`: the house numbering of structured annexes, per language."""

    ar: LanguageNumbering
    """Arabic texts."""
    en: LanguageNumbering
    """English texts."""

    @field_validator("en")
    @classmethod
    def _english_letters(cls, levels: LanguageNumbering) -> LanguageNumbering:
        return _no_arabic_letters(levels)


class LevelChange(Strict):
    """A profile's change to one level: any of scheme, gender, marker, cite."""

    scheme: Scheme | None = None
    """A scheme name (see templates/numbering.yaml)."""
    gender: Gender | None = None
    """masculine or feminine."""
    marker: Pattern | None = None
    """The marker pattern, with {n}."""
    cite: Pattern | None = None
    """The citation pattern, with {n}."""

    @model_validator(mode="before")
    @classmethod
    def _scheme_alone(cls, value: Any) -> Any:
        """`article: ordinal-words` is short for `article: {scheme: ordinal-words}`."""
        return {"scheme": value} if isinstance(value, str) else value

    @field_validator("marker", "cite")
    @classmethod
    def _number_in_pattern(cls, pattern: str | None) -> str | None:
        return _holds_number(pattern)


class LanguageChange(Strict):
    """A profile's changes to the levels of one language."""

    separator: Annotated[str, StringConstraints(min_length=1, max_length=4)] | None = None
    """What joins the named levels of a citation."""
    part: LevelChange | None = None
    """Parts: a scheme name, or {scheme, gender, marker, cite}."""
    section: LevelChange | None = None
    """Sections: a scheme name, or {scheme, gender, marker, cite}."""
    article: LevelChange | None = None
    """Articles: e.g. ordinal-words for «المادة الأولى»."""
    paragraph: LevelChange | None = None
    """Numbered paragraphs."""
    subparagraph: LevelChange | None = None
    """Lettered sub-paragraphs and definitions."""
    item: LevelChange | None = None
    """The level below a sub-paragraph."""


class NumberingChange(Strict):
    """A profile's `numbering`: per language, the levels it numbers otherwise than the template."""

    ar: LanguageChange | None = Field(default=None)
    """Changes for Arabic texts, e.g. {article: ordinal-words}."""
    en: LanguageChange | None = Field(default=None)
    """Changes for English texts."""

    @field_validator("en")
    @classmethod
    def _english_letters(cls, levels: LanguageChange | None) -> LanguageChange | None:
        return _no_arabic_letters(levels)


def load_numbering(project: Project) -> Numbering:
    """`templates/numbering.yaml`, validated; raise `ContentError` with every problem."""
    path = project.find(f"templates/{NUMBERING_FILE}")
    numbering, problems = load_yaml_model(Numbering, path, project.relative(path), project.sandbox(),
                                          "numbering")
    if numbering is None:
        raise ContentError(problems or [Problem(project.relative(path), "cannot be read")])
    return numbering


def edition_numbering(numbering: Numbering, change: NumberingChange, language: str) -> LanguageNumbering:
    """One language's numbering as an edition writes it: the template's, with the profile's changes."""
    base: LanguageNumbering = getattr(numbering, language)
    changes: LanguageChange | None = getattr(change, language, None)
    if changes is None:
        return base
    update: dict[str, Any] = {}
    if changes.separator is not None:
        update["separator"] = changes.separator
    for level in LEVELS:
        level_change: LevelChange | None = getattr(changes, level)
        if level_change is not None:
            update[level] = getattr(base, level).model_copy(
                update=level_change.model_dump(exclude_none=True))
    return base.model_copy(update=update)


def numbering_problems(project: Project, contents: dict[str, Any],
                       profiles: dict[str, Any]) -> list[Problem]:
    """`templates/numbering.yaml` must load when a publication has a structured annex, and each
    edition's schemes must be able to write every number of the annexes it prints."""
    from .articles import scheme_problems  # articles names nodes with the styles defined here

    structured = {pid: content for pid, content in contents.items()
                  if content.annex is not None and content.annex.structured}
    path = project.find(f"templates/{NUMBERING_FILE}")
    if not structured and not path.exists():
        return []
    try:
        numbering = load_numbering(project)
    except ContentError as error:
        return [problem for problem in error.problems if isinstance(problem, Problem)]
    problems: list[Problem] = []
    for pid, content in structured.items():
        annex = content.annex
        label = project.relative(project.content_dir / pid / "annex.yaml")
        _, lines, _ = parse_yaml(project.read_text(project.content_dir / pid / "annex.yaml", "source"),
                                 label)
        languages = [content.publication.language]
        languages += [annex.parallel.language] if annex.parallel is not None else []
        for name, profile in sorted(profiles.items()):
            if not (profile.gets(pid) and "annex" in profile.documents):
                continue
            styles = {language: edition_numbering(numbering, profile.numbering, language)
                      for language in languages if language in Numbering.model_fields}
            problems += scheme_problems(annex, styles, name, label, lines)
    return list(dict.fromkeys(problems))
