"""Skeletons for `briefpress new`: a publication that builds as it is, and an audience profile."""

from __future__ import annotations

import datetime
from pathlib import Path

from ..errors import UsageError
from ..project import Project
from .model import SLUG_PATTERN

SKELETON_FILES: dict[str, str] = {
    "publication.yaml": """\
# yaml-language-server: $schema=../../schemas/publication.schema.json
id: {id}
title: عنوان الورقة
subtitle: عنوان فرعي اختياري
language: ar
direction: rtl
date: {date}
keywords:
  - كلمة مفتاحية
""",
    "brief.md": """\
---
running_head: عنوان الورقة
---

فقرة المقدمة: ما تقوله الورقة في جملتين. نُشر التقرير في 2026 وتضمن 3 توصيات رئيسية.

## القسم الأول

نص القسم الأول. يبدأ كل قسم بسطر ## عنوان. ويرد نص الصك في الملحق، وتذكر [[ref:art-2-2-a]] التوصية الأولى.

ومن أبرز التوصيات:

- التوصية الأولى.
- التوصية الثانية.
- التوصية الثالثة.

## القسم الثاني

نص القسم الثاني.
""",
    "facts.yaml": """\
# yaml-language-server: $schema=../../schemas/facts.schema.json
# Every source, list item and clause is copied word for word from brief.md.
title: حقائق وأرقام
figures:
  - value: "3"
    label: توصيات رئيسية
    source: وتضمن 3 توصيات رئيسية
timeline:
  - when: "2026"
    event: نشر التقرير
    source: نُشر التقرير في 2026
lists:
  - title: التوصيات
    source: ومن أبرز التوصيات
    items:
      - التوصية الأولى.
      - التوصية الثانية.
      - التوصية الثالثة.
""",
    "annex.yaml": """\
# yaml-language-server: $schema=../../schemas/annex.schema.json
# The annex holds an instrument's text as it is written: its own source, named by the treaty
# block. Articles keep their real numbers (a number left out follows the one before); parts
# and sections, definitions, omissions and a parallel text are described in README.md.
# [[ref:id]] in any text names the node with that id: «المادة 2، الفقرة 2 (أ)».
title: ملحق النصوص
treaty:
  name: اسم الصك
  date: "1/1/2026"
preamble:
  intro: إن الأطراف في هذا الصك،
  recitals:
    - text: إذ تشير إلى التوصيات الواردة في التقرير،
  closing: "قد اتفقت على ما يلي:"
articles:
  - number: 1
    id: art-1
    title: الغرض
    text: يهدف هذا الصك إلى تنفيذ التوصيات الواردة في [[ref:art-2]].
  - number: 2
    id: art-2
    title: التوصيات
    paragraphs:
      - text: تعمل الأطراف على تنفيذ التوصيات الرئيسية.
      - intro: "وتشمل التوصيات ما يلي:"
        subparagraphs:
          - id: art-2-2-a
            text: التوصية الأولى؛
          - text: التوصية الثانية.
""",
}

PROFILE = """\
# yaml-language-server: $schema=../../schemas/profile.schema.json
name: {name}
description: وصف الإصدار
documents: [brief, factsheet, annex]
include: []
exclude: []
paper: A4
digits: latin
cover: rule
"""

OVERRIDES_README = """\
Templates and stylesheets placed here replace the file of the same path under
templates/ for the '{name}' audience only, e.g. brief/brief.html.j2 or base.css.
An override template can extend the shared one: {{% extends "common/brief/brief.html.j2" %}}.
"""


MAX_NAME = 64  # characters of a publication id or an audience name: a folder and a file name


def _checked_name(name: str, what: str) -> str:
    """`name` if it is a slug of at most `MAX_NAME` characters, all of it: `$` alone lets a
    final newline through, and a folder named so breaks every later build."""
    if len(name) > MAX_NAME:
        raise UsageError(f"{what} of {len(name)} characters is over the limit of {MAX_NAME}")
    if not SLUG_PATTERN.fullmatch(name):
        shown = f"'{name}'" if name.isprintable() else ascii(name)
        raise UsageError(f"{what} {shown} must be lower-case letters, digits and hyphens")
    return name


def new_publication(project: Project, publication_id: str,
                    today: datetime.date | None = None) -> list[Path]:
    """Write `content/<id>/` with four files that build as they are."""
    folder = project.content_dir / _checked_name(publication_id, "publication id")
    if folder.exists():
        raise UsageError(f"{project.relative(folder)} already exists")
    folder.mkdir(parents=True)
    written = []
    for name, text in SKELETON_FILES.items():
        path = folder / name
        path.write_text(text.format(id=publication_id,
                                    date=(today or datetime.date.today()).isoformat()),
                        encoding="utf-8")
        written.append(path)
    return written


def new_audience(project: Project, name: str) -> list[Path]:
    """Write `templates/audiences/<name>.yaml` and an empty override folder beside it."""
    folder = project.templates_dir / "audiences"
    profile = folder / f"{_checked_name(name, 'audience name')}.yaml"
    if not folder.is_dir():  # the project builds the package's profiles, taken as a whole
        raise UsageError(f"{project.relative(folder)}: no such folder; this project builds the "
                         "package's audiences, and a folder holding only the new profile would "
                         "drop them: copy the profiles to keep into it first")
    overrides = folder / name
    for path in (profile, overrides):
        if path.exists():
            raise UsageError(f"{project.relative(path)} already exists")
    profile.write_text(PROFILE.format(name=name), encoding="utf-8")
    overrides.mkdir()
    readme = overrides / "README.md"
    readme.write_text(OVERRIDES_README.format(name=name), encoding="utf-8")
    return [profile, readme]
