"""The text an edition's brief prints: what `check --source` measures that brief's PDF against."""

from __future__ import annotations

from .build import load_all
from .check.baseline import edition_digits
from .check.printed import brief_text
from .copies import publication_for
from .errors import UsageError
from .layout.html import reference_names
from .project import Project
from .source.audiences import select
from .text.numerals import write_numbers


def printed_brief(project: Project, audience: str, publication: str | None = None) -> str:
    """The brief of one edition as it prints (`check.printed.brief_text`): one paragraph, item,
    cell or note a line, cross-references as the edition names them, citations as their sources,
    notes numbered as the edition numbers them, numbers in the edition's digits."""
    pid = publication_for(project, publication)
    contents, profiles = load_all(project, [pid])
    if audience not in profiles:
        raise UsageError(f"unknown audience '{audience}'; valid: {', '.join(sorted(profiles))}")
    profile, content = profiles[audience], contents[pid]
    if "brief" not in profile.documents or not profile.gets(pid):
        raise UsageError(f"audience '{audience}' gets no brief of '{pid}'")
    text = brief_text(select(content, profile).brief, reference_names(project, content, profile),
                      content.publication.sources_by_id, profile.notes_restart,
                      lambda number: write_numbers(str(number), profile.digits))
    return "\n".join(edition_digits(line, content.publication.direction, profile.digits)
                     for line in text.splitlines())
