"""Measure each edition's text layer in four reader families against plain WeasyPrint.

For every publication (content/ and tests/fixtures/content/) and edition, the documents are
built as shipped, then measured in pdfium, poppler, MuPDF and pdf.js beside the plain WeasyPrint
baseline of the same text in the same fonts (`briefpress.check.baseline`): the brief's text
(`briefpress.check.printed.brief_text`), and, with `--chrome`, what each document prints around
it (`chrome_text`: cover, contents, running heads, footers; fact-sheet cards, timeline and lists;
annex header and clauses), whose baseline is the same lines as plain paragraphs in IBM Plex Sans
Arabic. Each cell is exact / words / order, in percent (`briefpress.check.readers`); pdf.js
reads every PDF in one `node` process. Prints Markdown tables; `--json FILE` writes the figures.

    .venv/bin/python bench/readers.py [--publication ID ...] [--audience NAME ...] [--chrome]
                                      [--work DIR] [--json FILE]
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

from pypdf import PdfReader  # noqa: E402

from briefpress.build import build  # noqa: E402
from briefpress.check.baseline import brief_html, plain_pdf, text_html  # noqa: E402
from briefpress.check.printed import brief_text, chrome_text  # noqa: E402
from briefpress.check.readers import FAMILIES, LABELS, Measures, measure, read_all  # noqa: E402
from briefpress.layout.html import reference_names  # noqa: E402
from briefpress.project import Project  # noqa: E402
from briefpress.source.audiences import load_profiles, select  # noqa: E402
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


Row = tuple[str, str, str, dict[str, dict[str, Measures]]]  # publication, edition, measured, figures


def plain_edition(project: Project, out: Path, publication: str, audience: str, part: str
                  ) -> tuple[str, Path, Path] | None:
    """One part of an edition (`brief`, or `chrome:<document>`): its text, its shipped PDF and
    its plain-WeasyPrint baseline (written here); None for a document the edition lacks."""
    content = load_publication(project, publication)
    view = select(content, load_profiles(project)[audience])
    document = part.removeprefix("chrome:")
    shipped = out / "shipped" / publication / audience / f"{document}.pdf"
    if not shipped.exists():
        return None
    meta = content.publication
    if part == "brief":
        profile = load_profiles(project)[audience]
        names = reference_names(project, content, profile)
        text = brief_text(view.brief, names, meta.sources_by_id)
        page = brief_html(view.brief, meta.title, meta.language, meta.direction, profile.digits,
                          profile.paper_for("brief"), names, meta.sources_by_id)
    else:
        pages = len(PdfReader(shipped).pages)
        profile = load_profiles(project)[audience]
        text = chrome_text(document, view, profile, pages, reference_names(project, content, profile))
        page = text_html(text.splitlines(), meta.language, meta.direction, "IBM Plex Sans Arabic",
                         profile.digits)
    plain = out / "plain" / publication / audience / f"{part.replace(':', '-')}.pdf"
    plain.parent.mkdir(parents=True, exist_ok=True)
    plain.write_bytes(plain_pdf(project, page, f"{publication}/{audience}/{part}"))
    return text, shipped, plain


def measure_editions(project: Project, out: Path, editions: list[tuple[str, str]], parts: list[str]
                     ) -> list[Row]:
    """Each edition's measures, part by part, variant by variant and family by family."""
    made = {(publication, audience, part): found for publication, audience in editions
            for part in parts if (found := plain_edition(project, out, publication, audience, part))}
    paths = sorted({path for _, shipped, plain in made.values() for path in (shipped, plain)})
    texts = {family: read_all(family, paths) for family in FAMILIES}
    return [(publication, audience, part,
             {variant: {family: measure(source, texts[family][path]) for family in FAMILIES}
              for variant, path in zip(VARIANTS, (shipped, plain), strict=True)})
            for (publication, audience, part), (source, shipped, plain) in made.items()]


def table(rows: list[Row]) -> str:
    """A Markdown table: publication, edition, part, family, then each variant's exact / words / order."""
    lines = ["| publication | edition | text | reader | " + " | ".join(VARIANTS) + " |",
             "|---|---|---|---|" + "---|" * len(VARIANTS)]
    for publication, audience, part, figures in rows:
        for family in FAMILIES:
            cells = [figures[variant][family].percent() for variant in VARIANTS]
            lines.append(f"| {publication} | {audience} | {part} | {LABELS[family]} | "
                         + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--publication", action="append", help="publication (repeatable; default: all)")
    parser.add_argument("--audience", action="append", help="audience (repeatable; default: all)")
    parser.add_argument("--work", type=Path, help="folder for the project copy and PDFs (default: temporary)")
    parser.add_argument("--chrome", action="store_true",
                        help="also measure each document's chrome (brief, fact sheet, annex)")
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
        documents = ["brief", "factsheet", "annex"] if args.chrome else ["brief"]
        build(project, out / "shipped", publications=publications, documents=documents,
              audiences=audiences)
        parts = ["brief"] + ([f"chrome:{document}" for document in documents] if args.chrome else [])
        rows = measure_editions(project, out, [
            (publication, audience) for publication in publications for audience in audiences
            if profiles[audience].gets(publication)], parts)
    print("Each cell: exact / words / order, in percent.\n")
    print(table(rows))
    if args.json:
        args.json.write_text(json.dumps(
            [{"publication": publication, "audience": audience, "text": part, "variant": variant,
              "reader": family, "exact": round(100 * value.exact, 2),
              "words": round(100 * value.words, 2), "order": round(100 * value.order, 2)}
             for publication, audience, part, figures in rows
             for variant, measured in figures.items() for family, value in measured.items()],
            indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
