"""Audience profiles, and the view of a publication each one selects."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

from pydantic import Field, ValidationInfo, field_validator

from ..errors import ContentError, Problem, raise_problems
from ..project import Project, hidden
from ..sandbox import Sandbox
from ..text.labels import CHROME_LABELS
from . import css
from .articles import walk
from .citations import brief_citations
from .fields import NeededBy, ShortText
from .model import Annex, Block, Brief, Content, Facts, Form, Note, Section, Slug, Strict, TagChain, Text
from .numbering import NumberingChange
from .references import image_problem
from .yamlsource import FieldPath, load_yaml_document, load_yaml_model, parse_yaml, read_source

DOCUMENTS = ("brief", "factsheet", "annex")
Document = Literal["brief", "factsheet", "annex"]
Paper = Literal["A4", "A5", "letter"]
Variant = Literal["pdf/ua-1", "pdf/x-4", "pdf/a-3u", "none"]
PAPERS = get_args(Paper)
VARIANTS = get_args(Variant)


class Profile(Strict):
    """`templates/audiences/<name>.yaml`: one edition of every publication."""

    name: Slug
    """Must equal the file name."""
    description: Text
    """What the edition is for."""
    documents: list[Document] = Field(min_length=1)
    """The documents it gets: brief, factsheet, annex."""
    include: list[Slug] = Field(default_factory=list)
    """Tags whose content this edition sees."""
    exclude: list[Slug] = Field(default_factory=list)
    """Tags that hide a block even when another of its tags is included."""
    theme: Annotated[dict[Slug, str], Form(
        "a custom property that base.css declares, without '--'", "a colour, length or font name",
        '{colour-accent: "#1f3f77"}', '"#1f3f77"')] = Field(default_factory=dict)
    """Overrides of base.css custom properties, e.g. colour-accent: "#1f3f77"."""
    logo: Text | None = None
    """An image in templates/audiences/, on the brief's cover."""
    logo_alt: Annotated[Text | None, NeededBy("logo")] = Field(default=None, validate_default=True)
    """What a screen reader says for the logo (required with a logo)."""
    marking: Text | None = None
    """A line on every page, e.g. a handling notice."""
    paper: Paper | Annotated[dict[Document, Paper], Field(min_length=1)] = "A4"
    """A4, A5 or letter, or a mapping per document: {brief: A4, factsheet: A5}."""
    digits: Literal["arabic-indic", "latin"] = "latin"
    """latin or arabic-indic."""
    pdf_variant: Variant | Annotated[dict[Document, Variant], Field(min_length=1)] = "pdf/ua-1"
    """pdf/ua-1, pdf/x-4, pdf/a-3u or none, or a mapping per document."""
    labels: Annotated[dict[str, Text], Form(
        "a chrome label (brief, page, of, contents, ...)", "its wording",
        "{brief: ورقة تحليلية}", "ورقة تحليلية")] = Field(default_factory=dict)
    """Chrome wording overrides (brief, page, of, contents, ...)."""
    cover: Literal["rule", "band", "boxed"] = "rule"
    """rule, band or boxed."""
    cover_image: Text | None = None
    """An image in templates/audiences/, across the brief's cover."""
    cover_image_alt: Annotated[Text | None, NeededBy("cover_image")] = Field(default=None,
                                                                            validate_default=True)
    """What a screen reader says for the cover image (required with one)."""
    watermark: ShortText | None = None
    """A word drawn behind the text on every page, e.g. مسودة."""
    publications: list[Slug] | None = None
    """Only these publications (default: all)."""
    sections: Annotated[dict[Slug, Annotated[list[Slug], Field(min_length=1)]], Form(
        "a publication id", "a list of that publication's section ids, in the order to print them",
        "{russia-dprk-partnership: [section-3, joint-measures]}", "[section-3, joint-measures]",
        "leave the publication out to print all its sections")] = Field(default_factory=dict)
    """Per publication, the brief's sections by id, in the order to print them."""
    notes: Literal["footnotes", "endnotes"] = "footnotes"
    """footnotes (at the foot of the page that calls each note) or endnotes (gathered after the
    last section)."""
    notes_restart: Literal["document", "section"] = "document"
    """Number notes through the document, or from 1 in each section."""
    sources_list: bool = False
    """Add, after the last section, a list of the sources the edition's text cites ([@id])."""
    numbering: NumberingChange = Field(default_factory=NumberingChange)
    """Changes to templates/numbering.yaml for this edition, per language and level, e.g.
    {ar: {article: ordinal-words}} for «المادة الأولى»."""
    parallel: bool | None = None
    """true or false: set a structured annex's parallel text beside the main text, or leave it
    out; unset: as annex.yaml's parallel.side_by_side says."""
    reference_pages: bool = False
    """true: a cross-reference inside the annex gives its target's page, «المادة 39 (ص ٤)»."""

    def paper_for(self, document: str) -> str:
        """The paper size of one document of this edition."""
        if isinstance(self.paper, dict):
            return self.paper.get(document, "A4")  # type: ignore[call-overload]  # any str may ask
        return self.paper

    def variant_for(self, document: str) -> str:
        """The PDF variant of one document of this edition."""
        if isinstance(self.pdf_variant, dict):
            return self.pdf_variant.get(document, "pdf/ua-1")  # type: ignore[call-overload]
        return self.pdf_variant

    def gets(self, publication: str) -> bool:
        """Whether this edition includes a publication (every one unless `publications` is set)."""
        return self.publications is None or publication in self.publications

    @field_validator("paper", "pdf_variant", mode="before")
    @classmethod
    def _one_or_per_document(cls, value: object, info: ValidationInfo) -> object:
        choices = PAPERS if info.field_name == "paper" else VARIANTS
        allowed = " or ".join(", ".join(f"'{c}'" for c in choices).rsplit(", ", 1))
        if isinstance(value, str) and value in choices:
            return value
        if isinstance(value, dict) and value and all(k in DOCUMENTS and v in choices
                                                      for k, v in value.items()):
            unlisted = [k for k in value if k not in (info.data.get("documents") or DOCUMENTS)]
            if unlisted:
                raise ValueError(f"'{unlisted[0]}' is not in this profile's documents; its "
                                 f"{info.field_name} would never be used")
            return value
        raise ValueError(f"input should be {allowed}, or a mapping from one or more documents "
                         f"(brief, factsheet, annex) to one of them; got {value!r}")

    @field_validator("documents")
    @classmethod
    def _no_repeats(cls, documents: list[str]) -> list[str]:
        if len(set(documents)) != len(documents):
            raise ValueError("a document is listed twice")
        return documents

    @field_validator("exclude")
    @classmethod
    def _not_also_included(cls, exclude: list[str], info: ValidationInfo) -> list[str]:
        # exclude wins, so a tag in both lists hides its blocks from this edition, and the check
        # that some profile includes every tag would count it as included all the same.
        both = [tag for tag in exclude if tag in (info.data.get("include") or [])]
        if both:
            raise ValueError(f"'{both[0]}' is also in include; a tag is included or excluded, not "
                             "both (excluded, its blocks reach no edition of this profile)")
        return exclude

    @field_validator("theme")
    @classmethod
    def _plain_css_values(cls, theme: dict[str, str]) -> dict[str, str]:
        for name, value in theme.items():
            reason = css.theme_value_problem(value) or css.theme_kind_problem(name, value)
            if reason:
                raise ValueError(f"'{name}': {value[:40]!r} {reason}; a theme value is a plain "
                                 "colour, length or font name")
        return theme

    @field_validator("labels")
    @classmethod
    def _known_labels(cls, labels: dict[str, str]) -> dict[str, str]:
        known = set(CHROME_LABELS["ar"])
        unknown = sorted(set(labels) - known)
        if unknown:
            raise ValueError(f"unknown label '{unknown[0]}'; known: {', '.join(sorted(known))}")
        return labels

    @field_validator("logo_alt")
    @classmethod
    def _logo_has_alt_text(cls, alt: str | None, info: ValidationInfo) -> str | None:
        if info.data.get("logo") and not alt:
            raise ValueError("a logo needs logo_alt, the text a screen reader says for it")
        return alt

    @field_validator("cover_image_alt")
    @classmethod
    def _cover_image_has_alt_text(cls, alt: str | None, info: ValidationInfo) -> str | None:
        if info.data.get("cover_image") and not alt:
            raise ValueError("a cover image needs cover_image_alt, the text a screen reader says for it")
        return alt

    def shows(self, tags: tuple[str, ...] | list[str]) -> bool:
        """Untagged content is for everyone; tagged content only for audiences including a tag."""
        if not tags:
            return True
        return any(tag in self.include for tag in tags) and not any(
            tag in self.exclude for tag in tags)


def audiences_dir(project: Project) -> Path:
    return project.audiences_dir


def theme_properties(project: Project) -> set[str] | None:
    """The custom properties `base.css` declares: the only ones a theme may set (None when
    base.css cannot be read, which the stylesheet checks report)."""
    path = project.find("templates/base.css")
    # an unreadable base.css is reported later
    text, _ = read_source(path, project.relative(path), project.sandbox(), "stylesheet")
    return None if text is None else css.custom_properties(css.parse(text))


def load_profiles(project: Project, faces: dict[str, set[str]] | None = None) -> dict[str, Profile]:
    """Every profile, validated; raise once with every problem.

    With `faces` (the styles fonts/ ships for each family), a theme's font
    families are checked like the stylesheets'.
    """
    folder = audiences_dir(project)
    paths = profile_paths(folder)
    if not paths:
        raise ContentError(Problem(project.relative(folder), "no audience profile (*.yaml) found"))
    problems: list[Problem] = []
    profiles: dict[str, Profile] = {}
    properties = theme_properties(project)
    problems += [Problem(project.relative(path), "a profile is a .yaml file, and this one is not "
                         f"read; rename it {path.stem}.yaml")
                 for path in _misnamed_profiles(folder)]
    for path in paths:
        label = project.relative(path)
        profile, lines, found = load_yaml_document(Profile, path, label, project.sandbox(), "profile")
        problems += found
        if profile is None:
            continue
        if profile.name != path.stem:
            problems.append(Problem(label, f"name '{profile.name}' must match the file name "
                                    f"'{path.stem}'", lines.get(("name",)), "name"))
        declared = properties if properties is not None else set(profile.theme)
        for key in sorted(set(profile.theme) - declared):
            problems.append(Problem(label, f"unknown theme property '--{key}'; base.css "
                                    f"declares: {', '.join(sorted(declared))}",
                                    lines.get(("theme", key)), f"theme.{key}"))
        for key, value in profile.theme.items():
            if faces is not None and key.startswith("font-"):
                for family in css.families(css.parse_value(value)):
                    reason = css.family_problem(family, faces)
                    if reason:
                        problems.append(Problem(label, reason, lines.get(("theme", key)),
                                                f"theme.{key}", kind="font"))
        for field, name in (("logo", profile.logo), ("cover_image", profile.cover_image)):
            reason = _image_field_problem(field, name, folder) if name else None
            if reason:
                problems.append(Problem(label, reason, lines.get((field,)), field))
        profiles[profile.name] = profile
    raise_problems(problems)
    return profiles


def profile_paths(folder: Path) -> list[Path]:
    """The profiles in `folder`: each `*.yaml` file but a hidden one (an editor's lock file)."""
    if not folder.is_dir():
        return []
    return sorted(path for path in folder.glob("*.yaml") if not hidden(Path(path.name)))


def _misnamed_profiles(folder: Path) -> list[Path]:
    """Files in the profiles' folder that look like profiles but are not read as one (`.yml`,
    `.YAML`): an edition the author meant to make would be missing without a word."""
    if not folder.is_dir():
        return []
    return sorted(path for path in folder.iterdir() if path.suffix != ".yaml"
                  and path.suffix.lower() in {".yaml", ".yml"} and not hidden(Path(path.name)))


def _image_field_problem(field: str, name: str, folder: Path) -> str | None:
    """Why a profile's logo or cover image is refused: it must be an image in templates/audiences/."""
    reason = image_problem(name, folder, Sandbox((folder,)))
    if reason and "leads outside" in reason:
        return f"{field} must be a file inside templates/audiences/"
    if reason == "file not found":
        return f"{field} file '{name}' not found"
    return f"{field} '{name}': {reason}" if reason else None


class TagDeclarations(Strict):
    """`content/tags.yaml`: tags that may hide content from every edition, on purpose."""

    tags: Annotated[dict[Slug, Text], Form(
        "a tag", "what the tag marks", "{not-parliament: مواد لا تظهر في إصدار البرلمان}",
        "مواد لا تظهر في إصدار البرلمان")] = Field(default_factory=dict)
    """Each tag that may hide its content from every edition, and what it marks."""


TAGS_FILE = "tags.yaml"


def load_declared_tags(project: Project) -> dict[str, str]:
    """The project's declared tags and their descriptions; none when the file is absent."""
    path = project.content_dir / TAGS_FILE
    if not path.exists():
        return {}
    declared, problems = load_yaml_model(TagDeclarations, path, project.relative(path), project.sandbox())
    if declared is None:
        raise ContentError(problems)
    return declared.tags


def known_tags(profiles: dict[str, Profile]) -> set[str]:
    return {tag for profile in profiles.values() for tag in (*profile.include, *profile.exclude)}


def included_tags(profiles: dict[str, Profile]) -> set[str]:
    return {tag for profile in profiles.values() for tag in profile.include}


def tagged_items(content: Content) -> list[tuple[tuple[str, ...], str, int | None]]:
    """(tags, file, line) for every tagged item of a publication, each with all its tags (an
    audience sees it when it includes any one of them); YAML items have no line here."""
    brief = content.brief
    items: list[Block | Section | Note] = [*brief.blocks(), *brief.sections, *brief.notes]
    found: list[tuple[tuple[str, ...], str, int | None]] = [
        (item.tags, "brief.md", item.line) for item in items]
    facts = content.facts
    found += [(tuple(fact.audience), "facts.yaml", None)
              for fact in (*facts.figures, *facts.timeline, *facts.lists)]
    annex = content.annex
    if annex is not None:
        found += [(tuple(part.audience), "annex.yaml", None) for part in (
            *annex.treaty.facts, *annex.schedules,
            *(clause for schedule in annex.schedules for clause in schedule.clauses),
            *(located.node for located in walk(annex)))]
    return [item for item in found if item[0]]


#: The document whose PDFs print the items of each tagged source file.
DOCUMENT_OF_FILE = {"brief.md": "brief", "facts.yaml": "factsheet", "annex.yaml": "annex"}


def printed_items(content: Content, profile: Profile) -> list[tuple[tuple[str, ...], str, int | None, bool]]:
    """The tagged items of a publication in the documents an edition builds, each with its own
    tags, file, line and whether the edition shows it: an edition with no annex neither gets nor
    loses an annex clause, and one that hides a section loses the tagged blocks inside it, whatever
    their own tags (a block's tags and those around it must all let it through)."""
    facts = content.facts
    chains: list[tuple[str, int | None, TagChain]] = [
        ("brief.md", line, chain) for line, chain in brief_chains(content.brief)]
    chains += [("facts.yaml", None, (tuple(fact.audience),))
               for fact in (*facts.figures, *facts.timeline, *facts.lists) if fact.audience]
    chains += [("annex.yaml", None, chain) for _, chain in annex_chains(content.annex)]
    return [(chain[-1], file, line, all(profile.shows(tags) for tags in chain))
            for file, line, chain in chains if DOCUMENT_OF_FILE[file] in profile.documents]


def brief_chains(brief: Brief) -> list[tuple[int, TagChain]]:
    """(line, tag groups) of every tagged block, section and note of `brief`: its own tags and
    those of the section and blocks around it, outermost first."""
    found: list[tuple[int, TagChain]] = []

    def blocks(items: tuple[Block, ...], above: TagChain) -> None:
        for block in items:
            chain = (*above, block.tags) if block.tags else above
            if block.tags:
                found.append((block.line, chain))
            blocks(block.children, chain)

    blocks((*brief.forewords, *brief.lead), ())
    for section in brief.sections:
        above: TagChain = (section.tags,) if section.tags else ()
        if section.tags:
            found.append((section.line, above))
        blocks(section.blocks, above)
    found += [(note.line, note.chain) for note in brief.notes if note.tags]
    return found


def annex_chains(annex: Annex | None) -> list[tuple[FieldPath, TagChain]]:
    """(field path, tag groups) of every tagged node, schedule, clause and header fact of
    `annex`: its own tags and those of the nodes above it, outermost first."""
    if annex is None:
        return []
    found: list[tuple[FieldPath, TagChain]] = [
        (("treaty", "facts", index), (tuple(fact.audience),))
        for index, fact in enumerate(annex.treaty.facts) if fact.audience]
    for index, schedule in enumerate(annex.schedules):
        above = (tuple(schedule.audience),) if schedule.audience else ()
        if schedule.audience:
            found.append((("schedules", index), above))
        found += [(("schedules", index, "clauses", number), (*above, tuple(clause.audience)))
                  for number, clause in enumerate(schedule.clauses) if clause.audience]
    found += [(located.path, tuple(tags for tags in located.tags if tags))
              for located in walk(annex) if located.node.audience]
    return found


def content_tags(content: Content) -> list[tuple[str, str, int | None]]:
    """(tag, file, line) for every tag in a publication; YAML tags have no line here."""
    return [(tag, file, line) for tags, file, line in tagged_items(content) for tag in tags]


def unknown_tag_problems(project: Project, content: Content, profiles: dict[str, Profile],
                         declared: dict[str, str] | None = None) -> list[Problem]:
    """A tag no profile that builds the publication and prints the block's document includes
    would hide its block from every edition of it: an error, unless declared. A fact tagged only
    for a brief-only edition is printed nowhere while other facts are, as much as one tagged for
    no edition."""
    known = known_tags(profiles)
    pid = content.publication.id
    building = {name: profile for name, profile in profiles.items() if profile.gets(pid)}
    reaching = included_tags(building) | set(declared or {})
    printing = {document: included_tags({name: profile for name, profile in building.items()
                                         if document in profile.documents}) | set(declared or {})
                for document in DOCUMENTS}
    printed = {document for profile in building.values() for document in profile.documents}
    folder = project.content_dir / pid
    problems = []
    for tag, file, line in content_tags(content):
        document = DOCUMENT_OF_FILE[file]
        # A document no edition prints (an annex with no edition listing `annex`) loses its
        # untagged blocks as much as its tagged ones: only the tag itself must reach an edition.
        if tag in (printing[document] if document in printed else reaching):
            continue
        path = folder / file
        text = project.read_text(path, "source") if line is None else ""
        lines = [line] if line else _yaml_tag_lines(text, project.relative(path), tag)
        elsewhere = sorted(name for name, profile in profiles.items() if tag in profile.include)
        if tag in reaching:
            message = (f"audience tag '{tag}' is included only by profiles whose editions print no "
                       f"{document} ({', '.join(sorted(set(elsewhere) & set(building)))}), so it "
                       f"removes this block from every edition of '{pid}'; include it in a profile "
                       f"that lists `{document}` in its documents, or declare it in "
                       f"content/{TAGS_FILE} if that is meant")
        elif elsewhere:
            message = (f"audience tag '{tag}' is included only by profiles that do not build "
                       f"'{pid}' ({', '.join(elsewhere)}), so it removes this block from every "
                       "edition of it; include it in a profile that builds the publication, or "
                       f"declare it in content/{TAGS_FILE} if that is meant")
        elif tag in known:
            message = (f"audience tag '{tag}' is included by no profile, so it removes this block from "
                       f"every edition; include it in a profile, or declare it in "
                       f"content/{TAGS_FILE} if that is meant")
        else:
            message = (f"unknown audience tag '{tag}'; profiles know: "
                       f"{', '.join(sorted(known)) or 'none'}")
        problems += [Problem(project.relative(path), message, found, "audience")
                     for found in lines]
    return list(dict.fromkeys(problems))


def _yaml_tag_lines(text: str, label: str, tag: str) -> list[int | None]:
    """Every line of a YAML file's text where an `audience` list names `tag`, in either list
    style (`[a, b]`, or `- a` lines), in order; [None] when none is found."""
    data, lines, _ = parse_yaml(text, label)
    found = sorted(line for path, line in lines.items()
                   if len(path) > 1 and path[-2] == "audience" and _value_at(data, path) == tag)
    return [*found] or [None]


def _value_at(data: Any, path: tuple) -> Any:
    """The value at a field path of parsed YAML data, or None where the path leads nowhere."""
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def visible_blocks(blocks: tuple[Block, ...], profile: Profile) -> tuple[Block, ...]:
    """The blocks an audience sees, filtered at every depth.

    A block is dropped when its own tags hide it; a container whose children are
    all dropped is dropped too, so no empty list or quote is left behind.
    """
    kept = []
    for block in blocks:
        if not profile.shows(block.tags):
            continue
        if block.children:
            children = visible_blocks(block.children, profile)
            if not children:
                continue
            block = replace(block, children=children)
        kept.append(block)
    return tuple(kept)


def select(content: Content, profile: Profile, structure: bool = True) -> Content:
    """The publication as this audience sees it: every block it must not see removed, and every
    source that only such blocks cite (a template may list `publication.sources`).

    With `structure`, the profile's choice and order of sections applies too.
    Sections are numbered after filtering, so anchors never reveal a removed one.
    """
    brief = content.brief
    sections = [section for section in brief.sections if profile.shows(section.tags)]
    chosen = profile.sections.get(content.publication.id) if structure else None
    if chosen is not None:
        by_key = {section.key: section for section in sections}
        sections = [by_key[key] for key in chosen if key in by_key]
    view_brief = replace(brief, lead=visible_blocks(brief.lead, profile),
                         notes=tuple(note for note in brief.notes
                                     if all(profile.shows(tags) for tags in note.chain)),
                         forewords=visible_blocks(brief.forewords, profile), sections=tuple(
        replace(section, blocks=visible_blocks(section.blocks, profile),
                anchor=section.key if section.named else f"section-{number}")
        for number, section in enumerate(sections, start=1)))
    facts = content.facts
    view_facts = Facts.model_construct(
        title=facts.title,
        figures=[f for f in facts.figures if profile.shows(f.audience)],
        timeline=[t for t in facts.timeline if profile.shows(t.audience)],
        lists=[q for q in facts.lists if profile.shows(q.audience)],
    )
    hidden = _cited(content.brief, content.facts) - _cited(view_brief, view_facts)
    publication = content.publication.model_copy(update={
        "sources": [source for source in content.publication.sources if source.id not in hidden]})
    return content.model_copy(update={"publication": publication, "brief": view_brief,
                                      "facts": view_facts, "annex": visible_annex(content.annex, profile)})


def _cited(brief: Brief, facts: Facts) -> set[str]:
    """The source ids a brief's blocks and notes and the fact sheet's items cite."""
    items = (*facts.figures, *facts.timeline, *facts.lists)
    return brief_citations(brief) | {source for item in items for source in item.cite}


def visible_annex(annex: Annex | None, profile: Profile) -> Annex | None:
    """The annex an audience sees: hidden clauses and nodes removed at every depth.

    A node whose list loses every entry is removed with it, as a brief's container is, unless
    it is an omission; the preamble, which takes no tags, keeps its intro and closing. Numbers
    stay as the source gives them, so references keep their names.
    """
    if annex is None:
        return None
    preamble = annex.preamble
    if preamble is not None:
        recitals = [recital for recital in preamble.recitals if profile.shows(recital.audience)]
        # A preamble takes no tags: its intro and closing, untagged, stay when its recitals go.
        preamble = (preamble.model_copy(update={"recitals": recitals})
                    if recitals or preamble.intro or preamble.closing else None)
    return annex.model_copy(update={
        "treaty": annex.treaty.model_copy(update={
            "facts": [f for f in annex.treaty.facts if profile.shows(f.audience)]}),
        "schedules": [
            schedule.model_copy(update={
                "clauses": [c for c in schedule.clauses if profile.shows(c.audience)]})
            for schedule in annex.schedules if profile.shows(schedule.audience)],
        "preamble": preamble,
        "parts": _visible_nodes(annex.parts, profile),
        "articles": _visible_nodes(annex.articles, profile),
    })


_LISTS = ("sections", "articles", "paragraphs", "subparagraphs", "definitions")


def _visible_nodes(nodes: list[Any], profile: Profile) -> list[Any]:
    kept = []
    for node in nodes:
        if not profile.shows(node.audience):
            continue
        update = {name: _visible_nodes(getattr(node, name), profile)
                  for name in _LISTS if getattr(node, name, None)}
        if update and not any(update.values()):
            continue  # every entry of its list is hidden
        kept.append(node.model_copy(update=update) if update else node)
    return kept
