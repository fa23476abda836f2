"""Measure body-face and font-feature levers: build the general brief with extra CSS and fonts.

usage: faces.py NAME OUTDIR [--css CSS] [--font FILE ...] [--plain-css CSS] [PUBLICATION ...]

Builds the general brief of each publication (default: the seed and the two mixed-direction
fixtures) in a scratch project whose base.css ends with CSS and whose fonts/ also holds the
given font files, and prints the four reader families' exact / words / order beside plain
WeasyPrint with the same fonts (the baseline's style extended by --plain-css). Also writes
each brief's first page as a PNG at 100 dpi, to look at.
"""
import argparse
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import readers as bench  # noqa: E402
from briefpress.build import build  # noqa: E402
from briefpress.check import baseline  # noqa: E402
from briefpress.check.readers import measure_families  # noqa: E402
from briefpress.source.audiences import load_profiles, select  # noqa: E402
from briefpress.source.publication import load_publication  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
parser = argparse.ArgumentParser()
parser.add_argument("name")
parser.add_argument("out", type=Path)
parser.add_argument("--css", default="")
parser.add_argument("--plain-css", default="")
parser.add_argument("--font", action="append", default=[])
parser.add_argument("publications", nargs="*",
                    default=["russia-dprk-partnership", "field-notes", "sanctions-watch"])
args = parser.parse_args()

work = args.out / args.name
if work.exists():
    shutil.rmtree(work)
project = bench.scratch_project(work / "project")
(work / "project" / "fonts").unlink()
shutil.copytree(ROOT / "fonts", work / "project" / "fonts")
for font in args.font:
    shutil.copy(font, work / "project" / "fonts")
css = project.templates_dir / "base.css"
css.write_text(css.read_text(encoding="utf-8") + "\n" + args.css + "\n", encoding="utf-8")
build(project, work / "pdf", publications=args.publications, documents=["brief"], audiences=["general"])
baseline.STYLE += args.plain_css
for publication in args.publications:
    content = load_publication(project, publication)
    view = select(content, load_profiles(project)["general"])
    source = bench.source_text(view.brief)
    shipped = work / "pdf" / publication / "general" / "brief.pdf"
    plain = work / "plain" / f"{publication}.pdf"
    plain.parent.mkdir(parents=True, exist_ok=True)
    plain.write_bytes(baseline.plain_pdf(project, baseline.brief_html(
        view.brief, content.publication.title, content.publication.language,
        content.publication.direction)))
    for label, path in (("shipped", shipped), ("plain", plain)):
        measured, missing = measure_families(source, path)
        print(f"{args.name:14} {publication:24} {label:8}",
              "  ".join(f"{family}: {value.percent()}" for family, value in measured.items()),
              "; ".join(missing.values()), flush=True)
    import pypdfium2
    document = pypdfium2.PdfDocument(str(shipped))
    for number in range(len(document)):
        document[number].render(scale=100 / 72).to_pil().save(work / f"{publication}-p{number + 1}.png")
    document.close()
