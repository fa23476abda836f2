"""WeasyPrint's own time for the documents a project builds: each laid out once and written.

`prepare ROOT FILE` writes every target's HTML, stylesheets and variant (made by briefpress);
`render ROOT FILE OUT` then, in a fresh process, imports WeasyPrint, sets up the shipped fonts
and renders and writes each document once with WeasyPrint's default URL fetcher, the
bench's baseline (bench/bench.py times only this second step).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def prepare(root: Path, listing: Path) -> None:
    from briefpress.build import Target, validate_project
    from briefpress.layout.html import render_html
    from briefpress.project import Project
    from briefpress.source.audiences import select
    from briefpress.source.publication import publication_ids

    project = Project(root)
    ids = publication_ids(project)
    contents, profiles, _ = validate_project(project, ids)
    documents = []
    for pid in ids:
        for name, profile in sorted(profiles.items()):
            if not profile.gets(pid):
                continue
            for kind in profile.documents:
                if kind == "annex" and contents[pid].annex is None:
                    continue
                rendered = render_html(project, select(contents[pid], profile), kind, profile)
                documents.append({"name": Target(pid, name, kind).name, "html": rendered.html,
                                  "stylesheets": [str(path.resolve()) for path in rendered.stylesheets],
                                  "css": rendered.audience_css, "base": str(rendered.base_url.resolve()),
                                  "variant": rendered.pdf_variant})
    listing.write_text(json.dumps(documents, ensure_ascii=False), encoding="utf-8")


def render(root: Path, listing: Path, out: Path) -> None:
    import weasyprint

    from briefpress.layout.pdf import font_configuration
    from briefpress.project import Project

    fonts = font_configuration(Project(root))
    for document in json.loads(listing.read_text(encoding="utf-8")):
        base = Path(document["base"]).as_uri() + "/"
        stylesheets = [weasyprint.CSS(filename=path, font_config=fonts) for path in document["stylesheets"]]
        stylesheets.append(weasyprint.CSS(string=document["css"], base_url=base, font_config=fonts))
        html = weasyprint.HTML(string=document["html"], base_url=base)
        target = out / document["name"]
        target.parent.mkdir(parents=True, exist_ok=True)
        html.render(stylesheets=stylesheets, font_config=fonts).write_pdf(
            target, pdf_tags=True, pdf_variant=document["variant"])


if __name__ == "__main__":
    if sys.argv[1] == "prepare":
        prepare(Path(sys.argv[2]), Path(sys.argv[3]))
    else:
        render(Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4]))
