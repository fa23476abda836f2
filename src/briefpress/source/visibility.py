"""Checks that need a publication and the audience profiles together: what each edition may show."""

from __future__ import annotations

import difflib

from ..errors import Problem
from ..project import Project
from ..text.folding import as_read
from .articles import walk
from .audiences import TAGS_FILE, Profile, annex_chains, brief_chains, select, visible_annex
from .citations import brief_citations
from .model import Annex, Brief, Content, Facts, TagChain
from .notes import calls
from .publication import article_text, normalise, quote_line, quotes
from .yamlsource import edits, load_yaml_document, parse_yaml

YAML_FILES = ("facts.yaml", "annex.yaml")
#: The document each file's items are printed in: an edition that does not get it prints none of
#: them (a template has the facts and the annex only in their own document; layout.html).
PRINTED_IN = {"facts.yaml": "factsheet", "annex.yaml": "annex"}


def _building(profiles: dict[str, Profile], content: Content) -> list[tuple[str, Profile]]:
    """The profiles, by name, whose editions hold this publication: a message names no audience
    that never builds it (a profile's `publications` may leave it out)."""
    return [(name, profile) for name, profile in sorted(profiles.items())
            if profile.gets(content.publication.id)]


def _briefed(profiles: dict[str, Profile], content: Content) -> list[tuple[str, Profile]]:
    """The profiles, by name, whose editions print this publication's brief: the checks of the
    brief's text ask nothing of an edition that prints the annex alone."""
    return [(name, profile) for name, profile in _building(profiles, content)
            if "brief" in profile.documents]


def hidden_quote_problems(project: Project, content: Content,
                          profiles: dict[str, Profile]) -> list[Problem]:
    """A fact an audience sees must quote article text that audience sees too.

    Otherwise an untagged fact-sheet item quoting a tagged paragraph would carry the
    restricted words into every edition.
    """
    folder = project.content_dir / content.publication.id
    leaks: dict[tuple[str, str], list[str]] = {}
    documents: tuple[Facts | Annex | None, ...] = (content.facts, content.annex)
    for name, profile in _building(profiles, content):
        # The files whose items the edition prints: it prints none of the others'.
        printed = [(file, document) for file, document in zip(YAML_FILES, documents, strict=True)
                   if document is not None and PRINTED_IN[file] in profile.documents]
        if not printed:
            continue
        # Tags alone decide what is restricted; a profile's choice of sections is editorial.
        article = article_text(select(content, profile, structure=False).brief)
        for file, document in printed:
            for field, quote, tag_lists in quotes(document):
                shown = all(profile.shows(tags) for tags in tag_lists)
                if shown and normalise(quote) not in article:
                    leaks.setdefault((file, field), []).append(name)
    problems = []
    for (file, field), names in leaks.items():
        path = folder / file
        quoted = content.facts if file == "facts.yaml" else content.annex
        assert quoted is not None
        text = dict((f, q) for f, q, _ in quotes(quoted))
        line = quote_line(project.read_text(path, "source"), project.relative(path), field, text[field])
        problems.append(Problem(
            project.relative(path), f"quotes brief.md text that {_audiences(names)} cannot see; give "
            "this item the audience tags of the text it quotes", line, field))
    return problems


def hidden_citation_problems(project: Project, content: Content,
                             profiles: dict[str, Profile]) -> list[Problem]:
    """A fact an audience sees may cite a source the brief cites only where that audience sees
    it (or nowhere): a source cited only in tagged text is as restricted as that text, and the
    fact sheet's sources list would print it in every edition that sees the fact."""
    everywhere = brief_citations(content.brief)
    groups = (("figures", content.facts.figures), ("timeline", content.facts.timeline),
              ("lists", content.facts.lists))
    leaks: dict[tuple[str, int, int, str], list[str]] = {}
    for name, profile in _building(profiles, content):
        if "factsheet" not in profile.documents:
            continue
        seen = brief_citations(select(content, profile, structure=False).brief)
        for field, items in groups:
            for index, item in enumerate(items):
                for position, source in enumerate(item.cite):
                    if profile.shows(item.audience) and source in everywhere - seen:
                        leaks.setdefault((field, index, position, source), []).append(name)
    if not leaks:
        return []
    path = project.content_dir / content.publication.id / "facts.yaml"
    label = project.relative(path)
    lines = parse_yaml(project.read_text(path, "source"), label)[1]
    return [Problem(label, f"source '{source}' is cited in brief.md only by text that "
                    f"{_audiences(names)} cannot see; give this item the audience tags of that text",
                    lines.get((field, index, "cite", position), lines.get((field, index, "cite"))),
                    f"{field}[{index}].cite")
            for (field, index, position, source), names in leaks.items()]


#: Front matter printed in every edition that holds the publication (the fact sheet's and the
#: annex's in every edition that prints that document), by file and field (a dotted path).
_FRONT_MATTER = (("publication.yaml", "title"), ("publication.yaml", "subtitle"),
                 ("publication.yaml", "keywords"), ("brief.md", "running_head"),
                 ("facts.yaml", "title"), ("annex.yaml", "title"), ("annex.yaml", "treaty.name"),
                 ("annex.yaml", "parallel.title"), ("annex.yaml", "parallel.name"))


def _front_matter(content: Content) -> list[tuple[str, str, int | None, str]]:
    """Each front-matter text: its file, its field, its index in a list, and the text (the annex's
    title and the instrument's name in the parallel text's language too)."""
    parallel = content.annex.parallel if content.annex else None
    values: dict[tuple[str, str], object] = {
        ("publication.yaml", "title"): content.publication.title,
        ("publication.yaml", "subtitle"): content.publication.subtitle,
        ("publication.yaml", "keywords"): content.publication.keywords,
        ("brief.md", "running_head"): content.brief.front.running_head,
        ("facts.yaml", "title"): content.facts.title,
        ("annex.yaml", "title"): content.annex.title if content.annex else None,
        ("annex.yaml", "treaty.name"): content.annex.treaty.name if content.annex else None,
        ("annex.yaml", "parallel.title"): parallel.title if parallel else None,
        ("annex.yaml", "parallel.name"): parallel.name if parallel else None}
    found = []
    for file, field in _FRONT_MATTER:
        value = values[file, field]
        for index, text in enumerate(value) if isinstance(value, list) else [(None, value)]:
            if isinstance(text, str):
                found.append((file, field, index, normalise(text)))
    return found


def _headings(brief: Brief) -> list[str]:
    """Every section heading and subheading of `brief`, normalised."""
    texts = [section.heading for section in brief.sections]
    texts += [block.text for block in brief.blocks() if block.kind in ("heading", "subheading")]
    return [normalise(text) for text in texts]


def _annex_headings(annex: Annex | None) -> list[tuple[str, tuple[tuple[str, ...], ...]]]:
    """Every schedule, part, section and article title of `annex`, in either language, normalised,
    with the tags of its node and of the nodes above it (an edition sees it when it shows each)."""
    if annex is None:
        return []
    found: list[tuple[str | None, tuple[tuple[str, ...], ...]]] = [
        (schedule.title, (tuple(schedule.audience),)) for schedule in annex.schedules]
    for located in walk(annex):
        parallel = getattr(located.node, "parallel", None)
        found += [(getattr(located.node, "title", None), located.tags),
                  (parallel.title if parallel else None, located.tags)]
    return [(normalise(title), tags) for title, tags in found if title]


def hidden_heading_problems(project: Project, content: Content,
                            profiles: dict[str, Profile]) -> list[Problem]:
    """Front matter (a title, the running head, a keyword) may not repeat a heading an edition
    cannot see: front matter has no tags, so a restricted heading's words copied into the
    running head would be printed on every page of every edition. A heading of one word is
    too common a word to count; one the edition also sees elsewhere in its text is not hidden.
    An annex's schedule, part, section or article title is a heading too, hidden where its tags
    hide it, and so is the title of a fact sheet's list (a heading and a bookmark of the sheet).
    Words are compared as they read (`as_read`)."""
    headings = [(heading, as_read(heading)) for heading in _headings(content.brief)
                if len(heading.split()) > 1]
    lists = [(normalise(quoted.title), (tuple(quoted.audience),)) for quoted in content.facts.lists]
    titles = [(title, as_read(title), tags) for title, tags in [*lists, *_annex_headings(content.annex)]
              if len(title.split()) > 1]
    front = [(file, field, index, as_read(text)) for file, field, index, text in _front_matter(content)]
    leaks: dict[tuple[str, str, int | None, str], list[str]] = {}
    for name, profile in _building(profiles, content):
        shown = [bare for _, bare, tags in titles if all(profile.shows(each) for each in tags)]
        seen = "\n".join([as_read(article_text(select(content, profile, structure=False).brief)), *shown])
        hidden = [(heading, bare) for heading, bare in headings if bare not in seen]
        hidden += [(title, bare) for title, bare, tags in titles
                   if not all(profile.shows(each) for each in tags) and bare not in seen]
        for file, field, index, text in front:
            if file in PRINTED_IN and PRINTED_IN[file] not in profile.documents:
                continue  # an edition without the fact sheet or the annex prints none of its header
            for heading, bare in hidden:
                if bare in text:
                    leaks.setdefault((file, field, index, heading), []).append(name)
    problems = []
    for (file, field, index, heading), names in leaks.items():
        path = project.content_dir / content.publication.id / file
        label, text = project.relative(path), project.read_text(path, "source")
        if file == "brief.md":
            line = next((number for number, written in enumerate(text.splitlines(), start=1)
                         if written.startswith(f"{field}:")), None)
        else:
            lines, keys = parse_yaml(text, label)[1], tuple(field.split("."))
            line = lines.get((*keys, index) if index is not None else keys, lines.get(keys))
        where = field if index is None else f"{field}[{index}]"
        problems.append(Problem(label, f"repeats the heading «{heading}», which {_audiences(names)} "
                                "cannot see (its tags hide it), and front matter is printed in every "
                                "edition; word it apart from the heading", line, where))
    return problems


def anchor_problems(project: Project, content: Content, profiles: dict[str, Profile]) -> list[Problem]:
    """Every `#anchor` link must name a section, and one each audience that sees the link sees."""
    label = project.relative(project.content_dir / content.publication.id / "brief.md")
    keys = [section.key for section in content.brief.sections]
    problems: dict[tuple[int, str], Problem] = {}
    for name, profile in _briefed(profiles, content):
        view = select(content, profile).brief
        seen = {section.key for section in view.sections}
        note_blocks = (block for note in view.notes for top in note.blocks for block in top.walk())
        for block in (*view.blocks(), *note_blocks):
            for target, line in _anchor_links(block.tokens, block.line):
                if target not in keys:
                    problems[line, target] = Problem(
                        label, f"link '#{target}' names no section; sections are "
                        f"{', '.join('#' + key for key in keys)}", line)
                elif target not in seen and (line, target) not in problems:
                    problems[line, target] = Problem(
                        label, f"link '#{target}' points to a section the audience '{name}' does not "
                        "see; tag the link's block as that section is tagged", line)
    return list(problems.values())


def reference_problems(project: Project, content: Content, profiles: dict[str, Profile]) -> list[Problem]:
    """A link that takes its URL from a definition inside a tagged block may go only where that
    block goes; otherwise the definition's URL would reach editions that must not see it."""
    label = project.relative(project.content_dir / content.publication.id / "brief.md")
    problems = []
    for use in content.brief.references:
        leaks = [name for name, profile in _briefed(profiles, content)
                 if all(profile.shows(tags) for tags in use.tags)
                 and not all(profile.shows(tags) for tags in use.definition_tags)]
        if leaks:
            problems.append(Problem(
                label, f"[{use.label}] takes its URL from the definition on line "
                f"{use.definition_line}, inside a tagged block that {_audiences(leaks)} cannot see; "
                "move the definition out of the tagged block, or give this block the same tags",
                use.line, "audience"))
    return problems


def note_problems(project: Project, content: Content, profiles: dict[str, Profile]) -> list[Problem]:
    """A note an edition would show by its own tags must be called from text that edition shows;
    otherwise the note belongs to the text that calls it and should carry its tags."""
    label = project.relative(project.content_dir / content.publication.id / "brief.md")
    blind: dict[str, list[str]] = {}
    lost: dict[str, list[str]] = {}
    for name, profile in _briefed(profiles, content):
        view = select(content, profile, structure=False).brief
        called = {called for block in view.blocks() for called, _ in calls(block.tokens)}
        for note in view.notes:
            if note.label not in called:
                blind.setdefault(note.label, []).append(name)
        shown = {note.label for note in view.notes}
        for note in content.brief.notes:
            # Untagged, or with tags of its own the edition shows, it is hidden by the section it is
            # written in alone, from text outside it.
            if note.section_tags and (not note.tags or profile.shows(note.tags)) \
                    and note.label in called and note.label not in shown:
                lost.setdefault(note.label, []).append(name)
    problems = [Problem(label, f"note [^{note.label}] is called only from text that "
                        f"{_audiences(blind[note.label])} cannot see; give the note the tags of the "
                        "text that calls it", note.line, "audience")
                for note in content.brief.notes if note.label in blind]
    for note in content.brief.notes:
        if note.label in lost:
            section = [section for section in content.brief.sections if section.line < note.line][-1]
            problems.append(Problem(
                label, f"note [^{note.label}] is written inside the tagged section «{section.heading}» "
                f"(line {section.line}), so it takes that section's tags, but text outside the "
                f"section that {_audiences(lost[note.label])} "
                f"{'sees' if len(lost[note.label]) == 1 else 'see'} calls it: their editions would "
                "print that text without the note or its call; move the note out of the tagged "
                "section" + (", whose tags the note's own do not undo" if note.tags else
                             ", or tag it if those editions are meant to lose it"),
                note.line, "audience"))
    return problems


def fact_sheet_problems(project: Project, content: Content, profiles: dict[str, Profile]) -> list[Problem]:
    """An edition's fact sheet keeps at least one figure and one event after its tags are applied;
    a fact sheet with an empty section is an error, never printed."""
    label = project.relative(project.content_dir / content.publication.id / "facts.yaml")
    problems = []
    for field, items in (("figures", content.facts.figures), ("timeline", content.facts.timeline)):
        blind = [name for name, profile in sorted(profiles.items())
                 if "factsheet" in profile.documents and profile.gets(content.publication.id)
                 and not any(profile.shows(item.audience) for item in items)]
        if blind:
            problems.append(Problem(label, f"{_audiences(blind)} can see none of the {field}, so "
                                    "its fact sheet would have an empty section; leave at least one "
                                    "untagged, or give it a tag the audience includes", None, field))
    return problems


def empty_edition_problems(project: Project, content: Content,
                           profiles: dict[str, Profile]) -> list[Problem]:
    """An edition's brief keeps at least one section, and its annex at least one article or
    clause, after its tags are applied: a brief of a lead and an empty contents list, an annex of
    its header alone, or a schedule's heading over no clause is an error, never printed (as a fact
    sheet whose figures or events an edition hides all is)."""
    folder = project.content_dir / content.publication.id
    building = _building(profiles, content)
    problems = []
    sections = content.brief.sections
    blind = [name for name, profile in building if "brief" in profile.documents
             and not any(profile.shows(section.tags) for section in sections)]
    if blind:
        problems.append(Problem(project.relative(folder / "brief.md"), f"{_audiences(blind)} can see "
                                "none of the sections (their tags hide them all), so its brief would "
                                "have none; leave at least one untagged, or give it a tag the audience "
                                "includes", sections[0].line if sections else None, "audience"))
    annex = content.annex
    if annex is None:
        return problems
    # (field, its path in the file) -> the audiences that would see it empty
    empty: dict[tuple[str, tuple], list[str]] = {}
    for name, profile in building:
        if "annex" not in profile.documents:
            continue
        seen = visible_annex(annex, profile)
        assert seen is not None
        if annex.structured and not (seen.parts or seen.articles):
            where = ("parts",) if annex.parts else ("articles",)
            empty.setdefault((where[0], where), []).append(name)
        for index, schedule in enumerate(annex.schedules):
            if profile.shows(schedule.audience) and not any(
                    profile.shows(clause.audience) for clause in schedule.clauses):
                empty.setdefault((f"schedules[{index}].clauses", ("schedules", index, "clauses")),
                                 []).append(name)
    label = project.relative(folder / "annex.yaml")
    lines = parse_yaml(project.read_text(folder / "annex.yaml", "source"), label)[1] if empty else {}
    for (field, where), names in empty.items():
        what = ("none of this schedule's clauses, so its annex would print the schedule's heading "
                "over no clause" if field.startswith("schedules") else
                "none of the articles (their tags hide them all, or every entry of each), so its "
                "annex would print its header alone")
        problems.append(Problem(label, f"{_audiences(names)} can see {what}; leave at least one "
                                "untagged, or tag the whole as its entries are", lines.get(where),
                                field))
    return problems


def _anchor_links(tokens: tuple, line: int) -> list[tuple[str, int]]:
    found = []
    for token in tokens:
        for child in token.children or []:
            href = str(child.attrs.get("href", "")) if child.type == "link_open" else ""
            if href.startswith("#"):
                found.append((href[1:], line))
    return found


def _audiences(names: list[str]) -> str:
    quoted = ", ".join(f"'{name}'" for name in names)
    return f"audience {quoted}" if len(names) == 1 else f"audiences {quoted}"


def profile_reference_problems(project: Project, publication_ids: list[str],
                               contents: dict[str, Content],
                               profiles: dict[str, Profile]) -> list[Problem]:
    """Publications and section ids a profile names must exist, and leave its brief a section."""
    problems = []
    for name, profile in sorted(profiles.items()):
        path = project.audiences_dir / f"{name}.yaml"
        label = project.relative(path)
        _, lines, _ = load_yaml_document(Profile, path, label, project.sandbox(), "profile")
        for field, named in (("publications", profile.publications or []),
                             ("sections", list(profile.sections))):
            for index, publication in enumerate(named):
                if publication not in publication_ids:
                    line = lines.get((field, index) if field == "publications" else (field, publication))
                    problems.append(Problem(label, f"unknown publication '{publication}'; known: "
                                            f"{', '.join(publication_ids) or 'none'}", line, field))
        for publication, keys in profile.sections.items():
            if publication not in contents:
                continue
            field, line = f"sections.{publication}", lines.get(("sections", publication))
            sections = contents[publication].brief.sections
            known = [section.key for section in sections]
            for key in keys:
                if key not in known:
                    problems.append(Problem(label, f"unknown section '{key}' in '{publication}'; its "
                                            f"sections are: {', '.join(known)}", line, field))
            if len(set(keys)) != len(keys):
                problems.append(Problem(label, "a section is listed twice", line, field))
            seen = {section.key for section in sections if profile.shows(section.tags)}
            if not profile.gets(publication) or not set(keys) <= set(known):
                continue
            if not seen & set(keys):
                visible = ", ".join(sorted(seen, key=known.index)) or "none"
                problems.append(Problem(label, "the audience sees none of these sections (their tags "
                                        "hide them), so its brief would have no section; it sees: "
                                        f"{visible}", line, field))
                continue
            tags = {section.key: section.tags for section in sections}
            problems += [Problem(label, f"section '{key}' is listed, but the audience's tags hide it "
                                 f"(it is tagged '{' '.join(tags[key])}'), so its brief would leave "
                                 "it out; take it off the list, or change the profile's include or "
                                 "exclude", line, field)
                         for key in keys if key not in seen]
    return problems


def _letters_off(tag: str) -> int:
    """How many letters a tag may be from a known one and still be its misspelling: one for a tag
    of up to five letters (difflib's ratio misses `hw` for `hq`), two for a longer one."""
    return 1 if len(tag) <= 5 else 2


def misspelt_tag_problems(project: Project, profiles: dict[str, Profile], used: set[str],
                          declared: set[str], unread: list[str] | None = None) -> list[Problem]:
    """A profile's `include` or `exclude` tag that no content uses and content/tags.yaml does
    not declare, but that is one or two letters from one that is: a misspelling, which would
    silently keep its content out of the edition, or let it through an exclusion (content
    tagged `public sanctions-detail` reaches a profile that includes `public` and excludes
    `sanction-detail`). A tag far from every known one may be meant for content still to come.
    A publication that does not load (`unread`) leaves the check to run without its tags."""
    known = sorted(used | declared)
    # A publication that does not load may use the tag; the check fails closed all the same.
    uncounted = (f" (the tags of {', '.join(unread)}, which {'does' if len(unread) == 1 else 'do'} "
                 "not load, are not counted)") if unread else ""
    problems = []
    for name, profile in sorted(profiles.items()):
        path = project.audiences_dir / f"{name}.yaml"
        lines: dict = {}
        for field, tags in (("include", profile.include), ("exclude", profile.exclude)):
            for index, tag in enumerate(tags):
                if tag in used or tag in declared:
                    continue
                close = difflib.get_close_matches(tag, known, n=1, cutoff=0.8) or sorted(
                    (other for other in known if edits(tag, other) <= _letters_off(tag)),
                    key=lambda other: edits(tag, other))
                if not close:
                    continue
                if not lines:
                    _, lines, _ = load_yaml_document(Profile, path, project.relative(path),
                                                     project.sandbox(), "profile")
                problems.append(Problem(
                    project.relative(path), f"tag '{tag}' tags no content and content/{TAGS_FILE} "
                    f"does not declare it; did you mean '{close[0]}'?{uncounted}", lines.get((field, index)),
                    field))
    return problems


def unreachable_problems(project: Project, content: Content,
                         profiles: dict[str, Profile]) -> list[Problem]:
    """A tagged block that no edition printing its document shows is an error: a paragraph tagged
    for press inside a section tagged for decision-makers, or an article tagged for one audience
    in a part tagged for another, would be in no PDF, though each tag alone reaches an edition.
    A tag no such edition includes at all is `unknown_tag_problems`' to refuse, or declared."""
    folder = project.content_dir / content.publication.id
    building = _building(profiles, content)

    def reached(chain: TagChain, document: str) -> bool:
        printing = [profile for _, profile in building if document in profile.documents]
        included = {tag for profile in printing for tag in profile.include}
        if any(not set(tags) & included for tags in chain):
            return True  # a tag no such edition includes: unknown_tag_problems, or declared
        return any(all(profile.shows(tags) for tags in chain) for profile in printing)

    def words(chain: TagChain) -> str:
        return " inside ".join("{audience=" + " ".join(tags) + "}" for tags in reversed(chain))

    problems = []
    label = project.relative(folder / "brief.md")
    for line, chain in brief_chains(content.brief):
        if not reached(chain, "brief"):
            problems.append(Problem(label, f"no edition that prints the brief shows this block "
                                    f"({words(chain)}: no profile shows all of these tags), so it "
                                    "would be in no PDF; give it tags an edition that sees the "
                                    "blocks around it includes", line, "audience"))
    unseen = [(path, chain) for path, chain in annex_chains(content.annex)
              if not reached(chain, "annex")]
    if unseen:
        label = project.relative(folder / "annex.yaml")
        lines = parse_yaml(project.read_text(folder / "annex.yaml", "source"), label)[1]
        problems += [Problem(label, f"no edition that prints the annex shows this node "
                             f"({words(chain)}: no profile shows all of these tags), so it would be "
                             "in no PDF; give it tags an edition that sees the nodes above it includes",
                             lines.get((*path, "audience"), lines.get(path)), "audience")
                     for path, chain in unseen]
    return problems
