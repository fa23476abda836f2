"""Build the general brief of some publications with parts of the text-layer work switched off.

usage: variants.py VARIANT OUTDIR [CSS-EXTRA [PUBLICATIONS]]; env EXTRA_FONTS=a.ttf,b.ttf adds fonts,
POST=logical|visual|split|actualtext rewrites ToUnicode (tounicode.py). VARIANT is '+'-joined knobs:
  noat      no ActualText pass
  noiso     no LRI/RLI/FSI/PDI from the localiser
  nowj      no word joiners
  noalm     no Arabic letter marks
  nolrm     no LRM / URL break marks
  nospan    no inline-run spans
  nor2l     no /ViewerPreferences /Direction /R2L
"""
import shutil, sys
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import readers as bench
from briefpress import build as buildmod
from briefpress.text import localise
from briefpress.layout import inline_runs, pdf as layoutpdf

variant, outdir = sys.argv[1], Path(sys.argv[2])
css = sys.argv[3] if len(sys.argv) > 3 else ""
knobs = set(variant.split('+'))
drop = ""
if 'noiso' in knobs: drop += "\u2066\u2067\u2068\u2069"
if 'nowj' in knobs: drop += "\u2060"
if 'noalm' in knobs: drop += "\u061c"
if 'nolrm' in knobs: drop += "\u200e\u200b"
if drop:
    original = localise.Localiser.__call__
    table = {ord(c): None for c in drop}
    def call(self, value, _o=original):
        return _o(self, value).translate(table)
    localise.Localiser.__call__ = call
if 'nospan' in knobs:
    inline_runs.cut_runs = lambda children, direction: []
if 'noat' in knobs:
    buildmod.add_actual_text = lambda data: data
if 'nor2l' in knobs:
    layoutpdf._reading_direction = lambda rtl: (lambda document, pdf: None)

work = outdir / "work"
if work.exists(): shutil.rmtree(work)
project = bench.scratch_project(work / "project")
import os
extra = os.environ.get("EXTRA_FONTS")
if extra:
    (work / "project" / "fonts").unlink()
    shutil.copytree(Path(__file__).resolve().parents[2] / "fonts", work / "project" / "fonts")
    for f in extra.split(","):
        shutil.copy(f, work / "project" / "fonts")
post = os.environ.get("POST")  # a ToUnicode mode applied after the build
if post:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import tounicode
    original_make = buildmod.add_actual_text
    def post_pass(data, _m=original_make):
        return tounicode.rewrite(_m(data), post, Path(Path(__file__).resolve().parents[2] / "fonts"))
    buildmod.add_actual_text = post_pass
if css:
    base = project.templates_dir / "base.css"
    base.write_text(base.read_text() + "\n" + css + "\n")
pubs = sys.argv[4].split(",") if len(sys.argv) > 4 else ["russia-dprk-partnership", "field-notes", "sanctions-watch"]
buildmod.build(project, outdir / "pdf", publications=pubs, documents=["brief"], audiences=["general"])
from briefpress.source.publication import load_publication
from briefpress.source.audiences import load_profiles, select
from briefpress.check.readers import measure_families
for pub in pubs:
    view = select(load_publication(project, pub), load_profiles(project)["general"])
    m, miss = measure_families(bench.source_text(view.brief), outdir / "pdf" / pub / "general" / "brief.pdf")
    print(f"{variant:24} {pub:24}", "  ".join(f"{k}: {v.percent()}" for k, v in m.items()), miss or "", flush=True)
