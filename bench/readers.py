"""Measure each brief's text layer in four reader families against plain WeasyPrint.

For every publication (content/ and tests/fixtures/content/) and edition, the brief is built
as shipped, then measured in pdfium, poppler, MuPDF and pdf.js beside the plain WeasyPrint
baseline of the same text in the same fonts (`briefpress.check.baseline`). Each cell is exact /
words / order, in percent (`briefpress.check.readers`); pdf.js reads every PDF in one `node`
process. Prints a Markdown table; `--json FILE` writes the figures too.

    .venv/bin/python bench/readers.py [--publication ID ...] [--audience NAME ...] [--work DIR]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from briefpress.build import build  # noqa: E402
from briefpress.check.baseline import brief_html, plain_pdf  # noqa: E402
from briefpress.check.readers import FAMILIES, LABELS, Measures, measure, read_all  # noqa: E402
from briefpress.project import Project  # noqa: E402
from briefpress.source.audiences import load_profiles, select  # noqa: E402
from briefpress.source.model import Brief  # noqa: E402
from briefpress.source.publication import load_publication  # noqa: E402

VARIANTS = ("shipped", "plain WeasyPrint")


def scratch_project(root: Path) -> Project:
    """A project holding content/ and the test fixtures' publications, templates copied, fonts linked."""
    root.mkdir(parents=True, exist_ok=True)
    for folder in (ROOT / "content", ROOT / "tests" / "fixtures" / "content"):
        shutil.copytree(folder, root / "content", dirs_exist_ok=True)
    shutil.copytree(ROOT / "templates", root / "templates", dirs_exist_ok=True)
    if not (root / "fonts").exists():
        (root / "fonts").symlink_to(ROOT / "fonts", target_is_directory=True)
    return Project(root)


def source_text(brief: Brief) -> str:
    """The text the brief's reader should get back: lead, then each heading and block, a line each."""
    parts = [block.text for block in brief.lead]
    for section in brief.sections:
        parts.append(section.heading)
        parts += [block.text for block in section.blocks]
    return "\n".join(parts)


def plain_edition(project: Project, out: Path, publication: str, audience: str) -> tuple[str, Path, Path]:
    """The edition's brief text, its shipped PDF and its plain-WeasyPrint baseline (written here)."""
    content = load_publication(project, publication)
    view = select(content, load_profiles(project)[audience])
    plain = out / "plain" / publication / audience / "brief.pdf"
    plain.parent.mkdir(parents=True, exist_ok=True)
    page = brief_html(view.brief, content.publication.title, content.publication.language,
                      content.publication.direction)
    plain.write_bytes(plain_pdf(project, page, f"{publication}/{audience}"))
    return source_text(view.brief), out / "shipped" / publication / audience / "brief.pdf", plain


def measure_editions(project: Project, out: Path, editions: list[tuple[str, str]]
                     ) -> list[tuple[str, str, dict[str, dict[str, Measures]]]]:
    """Each edition's measures, variant by variant and family by family."""
    made = {edition: plain_edition(project, out, *edition) for edition in editions}
    paths = [path for _, shipped, plain in made.values() for path in (shipped, plain)]
    texts = {family: read_all(family, paths) for family in FAMILIES}
    return [(publication, audience,
             {variant: {family: measure(source, texts[family][path]) for family in FAMILIES}
              for variant, path in zip(VARIANTS, (shipped, plain), strict=True)})
            for (publication, audience), (source, shipped, plain) in made.items()]


def table(rows: list[tuple[str, str, dict[str, dict[str, Measures]]]]) -> str:
    """A Markdown table: publication, edition, family, then each variant's exact / words / order."""
    lines = ["| publication | edition | reader | " + " | ".join(VARIANTS) + " |",
             "|---|---|---|" + "---|" * len(VARIANTS)]
    for publication, audience, figures in rows:
        for family in FAMILIES:
            cells = [figures[variant][family].percent() for variant in VARIANTS]
            lines.append(f"| {publication} | {audience} | {LABELS[family]} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--publication", action="append", help="publication (repeatable; default: all)")
    parser.add_argument("--audience", action="append", help="audience (repeatable; default: all)")
    parser.add_argument("--work", type=Path, help="folder for the project copy and PDFs (default: temporary)")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON to this file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        work = args.work or Path(temporary)
        project = scratch_project(work / "project")
        profiles = load_profiles(project)
        publications = args.publication or sorted(path.parent.name for path in
                                                  project.content_dir.glob("*/publication.yaml"))
        audiences = args.audience or sorted(profiles)
        out = work / "pdf"
        build(project, out / "shipped", publications=publications, documents=["brief"],
              audiences=audiences)
        rows = measure_editions(project, out, [
            (publication, audience) for publication in publications for audience in audiences
            if profiles[audience].gets(publication) and "brief" in profiles[audience].documents])
    print("Each cell: exact / words / order, in percent.\n")
    print(table(rows))
    if args.json:
        args.json.write_text(json.dumps(
            [{"publication": publication, "audience": audience, "variant": variant, "reader": family,
              "exact": round(100 * value.exact, 2), "words": round(100 * value.words, 2),
              "order": round(100 * value.order, 2)}
             for publication, audience, figures in rows for variant, measured in figures.items()
             for family, value in measured.items()], indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
