"""Write a new project for `briefpress init`: a marker, a sample publication, profiles, schemas."""

from __future__ import annotations

import datetime
from pathlib import Path

import yaml

from . import __version__
from .errors import Problem, UsageError
from .marker import default_digests, marker_text
from .project import MARKER
from .source.skeleton import OVERRIDES_README

SAMPLE_ID = "sample-brief"
OVERRIDE_AUDIENCE = "general"  # the edition whose (empty) override folder init writes

SAMPLE_FILES: dict[str, str] = {
    "publication.yaml": """\
# yaml-language-server: $schema=../../schemas/publication.schema.json
id: {id}
title: مياه الشرب في البلدات الصغيرة
subtitle: ورقة قصيرة للتجربة
language: ar
direction: rtl
date: {date}
keywords:
  - المياه
  - البلديات
""",
    "brief.md": """\
---
running_head: مياه الشرب في البلدات الصغيرة
---

تنقطع مياه الشرب في كثير من البلدات الصغيرة كل صيف.
وقد أحصى مسح محلي أجري في 2025 نحو 12 بلدة تنقطع عنها المياه يومين في الأسبوع أو أكثر.

## أسباب الانقطاع

ترجع أغلب الانقطاعات إلى شبكات قديمة وصيانة متقطعة.
ويرد نص الاتفاق المقترح في الملحق، وتذكر [[ref:art-2-2-a]] إصلاح الأنابيب.

ومن أبرز الأسباب:

- تسرب المياه من الأنابيب القديمة.
- غياب الصيانة الدورية.
- ارتفاع الاستهلاك في أشهر الصيف.

## ما نوصي به

توصي الورقة بخطة صيانة مدتها 3 سنوات تبدأ بالبلدات الأشد تضررا.
""",
    "facts.yaml": """\
# yaml-language-server: $schema=../../schemas/facts.schema.json
# Every source, list item and clause is copied word for word from brief.md.
title: حقائق وأرقام
figures:
  - value: "12"
    label: بلدة تنقطع عنها المياه
    source: نحو 12 بلدة تنقطع عنها المياه
timeline:
  - when: "2025"
    event: المسح المحلي
    source: مسح محلي أجري في 2025
lists:
  - title: أسباب الانقطاع
    source: ومن أبرز الأسباب
    items:
      - تسرب المياه من الأنابيب القديمة.
      - غياب الصيانة الدورية.
      - ارتفاع الاستهلاك في أشهر الصيف.
""",
    "annex.yaml": """\
# yaml-language-server: $schema=../../schemas/annex.schema.json
# The annex holds an instrument's text as it is written. [[ref:id]] in any text names the node
# with that id.
title: ملحق النصوص
treaty:
  name: اتفاق صيانة شبكات المياه
  date: "1/3/2026"
preamble:
  intro: إن البلديات الموقعة على هذا الاتفاق،
  recitals:
    - text: إذ تدرك أثر انقطاع المياه في السكان،
  closing: "قد اتفقت على ما يلي:"
articles:
  - number: 1
    id: art-1
    title: الغرض
    text: يهدف هذا الاتفاق إلى تنفيذ خطة الصيانة الواردة في [[ref:art-2]].
  - number: 2
    id: art-2
    title: الصيانة
    paragraphs:
      - text: تعمل البلديات على صيانة شبكاتها بانتظام.
      - intro: "وتشمل الصيانة ما يلي:"
        subparagraphs:
          - id: art-2-2-a
            text: إصلاح الأنابيب التي تتسرب منها المياه؛
          - text: فحص الشبكة قبل كل صيف.
""",
}

README = """\
# Briefs made with briefpress

Each folder under `content/` is one publication: `publication.yaml` (title, date),
`brief.md` (the text), `facts.yaml` (the fact sheet) and `annex.yaml` (the annex).

    briefpress build            # every PDF of every edition, into build/
    briefpress preview          # every edition side by side in a browser, redrawn on save
    briefpress check --project .  # build, then check every PDF; lists defaults changed upstream
    briefpress new publication my-brief

`templates/audiences/` holds one profile per edition (who gets which documents and
tagged blocks, the look). Any file placed under `templates/` or `fonts/` at the path
of one of briefpress's own defaults replaces it for this project; everything else comes
from the installed briefpress. `schemas/` lets an editor check the YAML files as you type.
`briefpress.toml` marks this folder as a project: keep it.
"""

GITIGNORE = "/build/\n"


PROFILE_SCHEMA_LINE = "# yaml-language-server: $schema=../../schemas/profile.schema.json"


def _with_schema(profile: str) -> str:
    """A profile that names its schema on its first line, as every YAML file init writes does:
    a default profile added to a checkout without that line gets it."""
    if profile.startswith("# yaml-language-server: $schema="):
        return profile
    return f"{PROFILE_SCHEMA_LINE}\n{profile}"


def _gets_the_sample(profile: str) -> bool:
    """Whether a default profile applies to the new project: one limited to publications other
    than the sample (`publications: [...]`, a project's own) would name publications the new
    project lacks, which its first build refuses. A profile that does not parse is written, for
    the build to report."""
    try:
        data = yaml.safe_load(profile)
    except yaml.YAMLError:
        return True
    publications = data.get("publications") if isinstance(data, dict) else None
    return not isinstance(publications, list) or SAMPLE_ID in publications


def init_project(folder: Path, defaults: Path | None, force: bool = False,
                 today: datetime.date | None = None) -> list[Path]:
    """Write a new project into `folder` (made if missing); refuse a non-empty folder unless
    `force`. Return the files written."""
    if defaults is None:
        raise UsageError(Problem(folder, "this briefpress carries no default templates, fonts and "
                                         "schemas; reinstall it from a wheel or a checkout"))
    if folder.exists() and not folder.is_dir():
        raise UsageError(Problem(folder, "not a folder"))
    if folder.is_dir() and any(folder.iterdir()) and not force:
        raise UsageError(Problem(folder, "the folder is not empty; choose an empty or new folder, "
                                         "or pass --force to write over what is there"))
    written: list[Path] = []

    def write(relative: str, text: str) -> None:
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_symlink() or path.is_dir():
            raise UsageError(Problem(path, "is a link or a folder; init writes a file here"))
        path.write_text(text, encoding="utf-8")
        written.append(path)

    write(MARKER, marker_text(__version__, default_digests(defaults)))
    date = (today or datetime.date.today()).isoformat()
    for name, text in SAMPLE_FILES.items():
        write(f"content/{SAMPLE_ID}/{name}", text.format(id=SAMPLE_ID, date=date))
    for profile in sorted((defaults / "templates" / "audiences").glob("*.yaml")):
        text = profile.read_text(encoding="utf-8")
        if _gets_the_sample(text):
            write(f"templates/audiences/{profile.name}", _with_schema(text))
    for schema in sorted((defaults / "schemas").glob("*.json")):
        write(f"schemas/{schema.name}", schema.read_text(encoding="utf-8"))
    # The general edition's override folder, empty but for what it is for (git keeps no empty folder).
    write(f"templates/audiences/{OVERRIDE_AUDIENCE}/README.md",
          OVERRIDES_README.format(name=OVERRIDE_AUDIENCE))
    write(".gitignore", GITIGNORE)
    write("README.md", README)
    return written
