"""Authoring helps: committed JSON Schemas that match the models, and skeletons that build as they are."""

from __future__ import annotations

import datetime
import io
import json
import shutil
from pathlib import Path

import pytest

from briefpress.build import build, validate_project
from briefpress.cli import main
from briefpress.errors import InputError
from briefpress.project import Project
from briefpress.source.markdown import parse_brief
from briefpress.source.model import Annex, Publication
from briefpress.source.publication import publication_ids
from briefpress.source.schema import SCHEMA_DIR, SCHEMAS, schema_text
from briefpress.source.yamlsource import parse_yaml, validate

from conftest import PUBLICATION, ROOT

YAML_KINDS = {"publication.yaml": "publication", "facts.yaml": "facts", "annex.yaml": "annex"}


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_committed_schema_matches_the_model(name: str) -> None:
    committed = (ROOT / SCHEMA_DIR / f"{name}.schema.json").read_text(encoding="utf-8")
    assert committed == schema_text(SCHEMAS[name]), "run `briefpress schema` and commit schemas/"


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_every_key_of_a_schema_is_documented(name: str) -> None:
    """An editor's tooltip says what each key is for: every property has a description."""
    schema = json.loads(schema_text(SCHEMAS[name]))
    models = [("(top)", schema), *schema.get("$defs", {}).items()]
    assert [f"{model}.{key}" for model, definition in models
            for key, value in definition.get("properties", {}).items()
            if "description" not in value] == []


# The YAML files the project ships, named one by one: a user's own publications and profiles
# build and validate without the schema line, which only helps an editor.
SHIPPED_PUBLICATIONS = ("content/russia-dprk-partnership", "tests/fixtures/content/field-notes",
                        "tests/fixtures/content/ltr-sample", "tests/fixtures/content/model-treaty",
                        "tests/fixtures/content/sanctions-watch")
SHIPPED_PROFILES = ("decision-makers", "general", "legal", "parliament", "press", "print",
                    "researchers")
SHIPPED_YAML = [*((f"{folder}/{name}", kind) for folder in SHIPPED_PUBLICATIONS
                  for name, kind in YAML_KINDS.items()),
                *((f"templates/audiences/{name}.yaml", "profile") for name in SHIPPED_PROFILES),
                ("templates/numbering.yaml", "numbering")]


def _names_its_schema(path: Path, kind: str, schemas: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    prefix = "# yaml-language-server: $schema="
    assert first.startswith(prefix)
    target = (path.parent / first.removeprefix(prefix)).resolve()
    assert target == (schemas / f"{kind}.schema.json").resolve()
    assert json.loads(target.read_text(encoding="utf-8"))["type"] == "object"


@pytest.mark.parametrize(("path", "kind"), SHIPPED_YAML, ids=lambda value: str(value))
def test_every_shipped_yaml_file_names_its_schema(path: str, kind: str) -> None:
    _names_its_schema(ROOT / path, kind, ROOT / SCHEMA_DIR)


def _run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(args), out, err), out.getvalue(), err.getvalue()


def test_the_files_new_writes_name_their_schema(scratch_project: Project) -> None:
    (scratch_project.root / SCHEMA_DIR).symlink_to(ROOT / SCHEMA_DIR, target_is_directory=True)
    assert _run("--project", str(scratch_project.root), "new", "publication", "my-brief")[0] == 0
    assert _run("--project", str(scratch_project.root), "new", "audience", "committee")[0] == 0
    for name, kind in YAML_KINDS.items():
        _names_its_schema(scratch_project.content_dir / "my-brief" / name, kind,
                          scratch_project.root / SCHEMA_DIR)
    _names_its_schema(scratch_project.templates_dir / "audiences" / "committee.yaml", "profile",
                      scratch_project.root / SCHEMA_DIR)


def test_a_users_yaml_file_need_not_name_a_schema(scratch_project: Project, tmp_path: Path) -> None:
    """The schema line is an editor's help, not a rule: files without it build."""
    paths = [*(scratch_project.content_dir / PUBLICATION / name for name in YAML_KINDS),
             scratch_project.templates_dir / "audiences" / "press.yaml"]
    for path in paths:
        path.write_text(path.read_text(encoding="utf-8").split("\n", 1)[1], encoding="utf-8")
        assert "yaml-language-server" not in path.read_text(encoding="utf-8")
    targets = build(scratch_project, tmp_path / "out", audiences=["press"], documents=["factsheet"])
    assert [target.document for target in targets] == ["factsheet"]


def test_a_new_publication_builds_as_it_is(scratch_project: Project, tmp_path: Path) -> None:
    code, out, err = _run("--project", str(scratch_project.root), "new", "publication", "my-brief")
    assert (code, err) == (0, "")
    assert out.splitlines() == [f"wrote content/my-brief/{name}" for name in
                                ("publication.yaml", "brief.md", "facts.yaml", "annex.yaml")]
    targets = build(scratch_project, tmp_path / "out", publications=["my-brief"])
    assert {target.document for target in targets} == {"brief", "factsheet", "annex"}


def test_a_new_audience_builds_and_has_an_override_folder(scratch_project: Project,
                                                         tmp_path: Path) -> None:
    code, _, err = _run("--project", str(scratch_project.root), "new", "audience", "committee")
    assert (code, err) == (0, "")
    assert (scratch_project.templates_dir / "audiences" / "committee").is_dir()
    targets = build(scratch_project, tmp_path / "out", audiences=["committee"])
    assert len(targets) == 3


@pytest.mark.parametrize(("kind", "name", "message"), [
    ("publication", "russia-dprk-partnership", "content/russia-dprk-partnership already exists"),
    ("audience", "press", "templates/audiences/press.yaml already exists"),
    ("audience", "Bad Name", "audience name 'Bad Name' must be lower-case letters, digits and hyphens"),
])
def test_new_refuses_what_exists_or_is_misnamed(scratch_project: Project, kind: str, name: str,
                                               message: str) -> None:
    assert _run("--project", str(scratch_project.root), "new", kind, name) == (2, "", message + "\n")


@pytest.mark.parametrize("kind", ["publication", "audience"])
def test_new_outside_a_project_writes_nothing(tmp_path: Path, kind: str) -> None:
    """A mistyped --project (or a folder that is no project) is refused, as `build` refuses it:
    nothing is written there (a publication was, under a new folder; an audience crashed)."""
    folder = tmp_path / "not-a-project"
    code, out, err = _run("--project", str(folder), "new", kind, "my-brief")
    assert (code, out) == (2, "")
    assert err.startswith(f"{folder}: no briefpress project here or above")
    assert not folder.exists()


def test_new_audience_refuses_a_project_that_takes_the_package_profiles(tmp_path: Path) -> None:
    """A project without templates/audiences/ builds the package's profiles; a folder holding one
    new profile would silently drop all the others, so `new audience` says so and writes nothing."""
    root = tmp_path / "briefs"
    assert _run("init", str(root))[0] == 0
    for path in sorted((root / "templates" / "audiences").rglob("*"), reverse=True):
        path.rmdir() if path.is_dir() else path.unlink()
    (root / "templates" / "audiences").rmdir()
    code, out, err = _run("--project", str(root), "new", "audience", "committee")
    assert (code, out) == (2, "")
    assert err.startswith("templates/audiences: no such folder;"), err
    assert not (root / "templates" / "audiences").exists()


@pytest.mark.parametrize(("data", "message"), [
    ({"keyword": []}, "keyword: unknown key; did you mean 'keywords'?"),
    ({"tilte": "x"}, "tilte: unknown key; did you mean 'title'?"),
    ({"sections": []}, "sections: unknown key; allowed here: id, title, subtitle, language, "
                       "direction, date, keywords, sources"),
    ({"date": "2026-11-29"}, "date: must be a date written YYYY-MM-DD, unquoted, e.g. 2026-11-29"),
    ({"title": 1961}, "title: must be text: quote a number that must stay text, e.g. \"1961\""),
    ({"title": datetime.date(2024, 11, 5)},
     "title: must be text: quote a date that must stay text, e.g. \"2024-11-05\""),
    ({"keywords": "one"}, "keywords: must be a list: one '- item' line per item, or [a, b]"),
])
def test_validation_messages_name_what_is_expected(data: dict, message: str) -> None:
    base = {"id": "x", "title": "t", "language": "ar", "direction": "rtl",
            "date": datetime.date(2026, 11, 29)}
    _, problems = validate(Publication, {**base, **data}, {}, "publication.yaml")
    assert [str(problem) for problem in problems] == [f"publication.yaml: {message}"]


def test_a_mapping_error_lists_its_keys() -> None:
    data = {"title": "t", "treaty": "name", "schedules": [
        {"title": "t", "source": "s", "clauses": ["نص"]}]}
    _, problems = validate(Annex, data, {}, "annex.yaml")
    assert [str(problem) for problem in problems] == [
        "annex.yaml: treaty: must be a mapping with the keys name (optional: date, symbol, facts)",
        "annex.yaml: schedules[0].clauses[0]: must be a mapping with the keys number, text "
        "(optional: audience)"]


# --- what one process keeps between builds ------------------------------------------------------

# (file, text appended, what the check names): each breaks validation in its own way.
EDITS = [
    (f"content/{PUBLICATION}/publication.yaml", "\ntags: [open\n", "invalid YAML"),
    (f"content/{PUBLICATION}/facts.yaml", "\nextra_field: 1\n", "extra_field"),
    (f"content/{PUBLICATION}/brief.md", "\n\nفقرة \u202e مقلوبة.\n", "bidi override control"),
    ("templates/base.css", "\np { colr: red; }\n", "WeasyPrint: Ignored `colr: red`"),
    ("templates/brief/brief.css", "\np { color: red;\n", "is never closed"),
]


def test_validation_in_one_process_sees_every_edit(scratch_project: Project) -> None:
    """What validation keeps for the process (parsed YAML, Markdown and CSS, WeasyPrint's
    warnings on a stylesheet, for `watch` and `preview`) is kept by each file's text: an edit
    is found by the next check in the same process, and undoing it clears it."""
    ids = [PUBLICATION]
    validate_project(scratch_project, ids)
    for name, added, named in EDITS:
        path = scratch_project.root / name
        original = path.read_text(encoding="utf-8")
        path.write_text(original + added, encoding="utf-8")
        with pytest.raises(InputError) as error:
            validate_project(scratch_project, ids)
        assert any(named in str(problem) and name in str(problem) for problem in error.value.problems), \
            (name, error.value.problems)
        path.write_text(original, encoding="utf-8")
        validate_project(scratch_project, ids)


@pytest.mark.parametrize("name, saved_as", [("annex.yaml", "annex.yml"),
                                             ("publication.yaml", "publication.yml"),
                                             ("facts.yaml", "facts.YAML")])
def test_a_source_saved_as_yml_is_an_error_not_a_missing_document(
        scratch_project: Project, name: str, saved_as: str) -> None:
    """Only `annex.yaml` is an annex and only a folder with `publication.yaml` a publication: an
    `annex.yml` dropped the annex, and a `publication.yml` the whole publication, without a word
    (and a build removed the PDFs an earlier one had made of them)."""
    folder = scratch_project.content_dir / PUBLICATION
    (folder / name).rename(folder / saved_as)
    with pytest.raises(InputError) as error:
        validate_project(scratch_project, [PUBLICATION] if name != "publication.yaml" else [])
    assert f"content/{PUBLICATION}/{saved_as}: a source is a .yaml file, and this one is not read; " \
        f"rename it {name}" in [str(problem) for problem in error.value.problems]


@pytest.mark.parametrize(("name", "saved_as"), [(f"{PUBLICATION}/annex.yaml", f"{PUBLICATION}/Annex.yaml"),
                                               (f"{PUBLICATION}/publication.yaml",
                                                f"{PUBLICATION}/Publication.yaml"),
                                               (f"{PUBLICATION}/brief.md", f"{PUBLICATION}/brief.MD"),
                                               (f"{PUBLICATION}/brief.md", f"{PUBLICATION}/brief.markdown"),
                                               ("tags.yaml", "Tags.yaml")])
def test_a_source_saved_in_another_case_is_an_error_not_a_missing_document(
        scratch_project: Project, name: str, saved_as: str) -> None:
    """An `Annex.yaml`, as an editor on a system that ignores case may save it, dropped the
    annex of every edition without a word; a `brief.MD` was reported as brief.md not found,
    never named; a `Tags.yaml` was not read."""
    content = scratch_project.content_dir
    if (content / name).exists():
        (content / name).rename(content / saved_as)
    else:
        (content / saved_as).write_text("tags:\n  extra: وسم\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        validate_project(scratch_project, [] if name.endswith("publication.yaml") else [PUBLICATION])
    meant = Path(name).name
    assert f"content/{saved_as}: a source is named {meant}, and this one is not read; rename it {meant}" \
        in [str(problem) for problem in error.value.problems]


def test_the_only_publication_saved_as_yml_is_named_by_a_build(scratch_project: Project,
                                                               tmp_path: Path) -> None:
    """With no other publication, a `publication.YAML` gave "no publication found under
    content/", naming neither the file nor the fix."""
    folder = scratch_project.content_dir / PUBLICATION
    (folder / "publication.yaml").rename(folder / "publication.YAML")
    with pytest.raises(InputError) as error:
        build(scratch_project, tmp_path / "out")
    assert [str(problem) for problem in error.value.problems] == [
        f"content/{PUBLICATION}/publication.YAML: a source is a .yaml file, and this one is not "
        "read; rename it publication.yaml"]


@pytest.mark.parametrize("state", ["dangling link", "file", "missing"])
def test_a_content_folder_that_is_not_there_is_named_by_a_build(scratch_project: Project,
                                                                tmp_path: Path, state: str) -> None:
    """content/ as a link to a synced folder not mounted gave "no publication found under
    content/", or "unknown publication 'x'; valid: none" with --publication: neither named the
    link. The build names content/ and what it is; nothing is written."""
    content = scratch_project.content_dir
    shutil.rmtree(content)
    if state == "dangling link":
        content.symlink_to(tmp_path / "not-mounted")
    elif state == "file":
        content.write_text("", encoding="utf-8")
    reason = {"dangling link": f"is a link to {tmp_path / 'not-mounted'}, which leads to no folder",
              "file": "is not a folder", "missing": "does not exist"}[state]
    for chosen in (None, [PUBLICATION]):
        with pytest.raises(InputError) as error:
            build(scratch_project, tmp_path / "out", publications=chosen)
        assert [str(problem) for problem in error.value.problems] == [
            f"content: {reason}; the publications are read from content/<id>/"]
    assert not (tmp_path / "out").exists()


def test_a_folder_of_publication_files_without_publication_yaml_is_an_error(
        scratch_project: Project) -> None:
    """A folder holding brief.md and the rest but no publication.yaml (not copied) was no
    publication: nothing of it was built, and the build said nothing."""
    folder = scratch_project.content_dir / PUBLICATION
    (folder / "publication.yaml").unlink()
    with pytest.raises(InputError) as error:
        validate_project(scratch_project, [])
    assert [str(problem) for problem in error.value.problems] == [
        f"content/{PUBLICATION}: holds brief.md, facts.yaml, annex.yaml but no publication.yaml, so "
        "it is no publication and nothing of it is built; add publication.yaml, or move the folder "
        "out of content/"]


def test_a_hidden_copy_of_a_publication_is_not_read(scratch_project: Project, tmp_path: Path) -> None:
    """A publication folder copied to `content/.old-brief` as a backup was read as a publication
    and refused the build ("id must match its folder name"); a hidden folder, like a hidden file,
    is not read, with or without its publication.yaml."""
    shutil.copytree(scratch_project.content_dir / PUBLICATION, scratch_project.content_dir / ".old-brief")
    shutil.copytree(scratch_project.content_dir / PUBLICATION, scratch_project.content_dir / ".drafts")
    (scratch_project.content_dir / ".drafts" / "publication.yaml").unlink()
    assert publication_ids(scratch_project) == [PUBLICATION]
    built = build(scratch_project, tmp_path / "out", documents=["factsheet"], audiences=["general"])
    assert [target.publication for target in built] == [PUBLICATION]


@pytest.mark.parametrize(("typed", "hint"), [
    ("no", 'must be text: quote a word YAML reads as yes or no, e.g. "no"'),
    ("On", 'must be text: quote a word YAML reads as yes or no, e.g. "On"'),
    ("010", 'must be text: quote a number that must stay text, e.g. "010"'),
    (".5", 'must be text: quote a number that must stay text, e.g. ".5"'),
    ("1_000", 'must be text: quote a number that must stay text, e.g. "1_000"'),
    ("2024-01-05", 'must be text: quote a date that must stay text, e.g. "2024-01-05"'),
])
def test_a_value_yaml_reads_as_another_type_is_shown_as_typed(scratch_project: Project, typed: str,
                                                              hint: str) -> None:
    """YAML reads `no` as false, `010` as 8 and `.5` as 0.5: the hint to quote such a keyword
    gave "False", "8" and "0.5", text the editor never wrote, for the text to type."""
    path = scratch_project.content_dir / PUBLICATION / "publication.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("keywords:\n", f"keywords:\n  - {typed}\n", 1), encoding="utf-8")
    with pytest.raises(InputError) as error:
        validate_project(scratch_project, [PUBLICATION])
    line = text[:text.index("keywords:")].count("\n") + 2
    assert f"content/{PUBLICATION}/publication.yaml: line {line}: keywords[0]: {hint}" in [
        str(problem) for problem in error.value.problems]


def test_a_front_matter_value_yaml_reads_as_another_type_is_shown_as_typed() -> None:
    """The brief's front matter gives the same hint, with the text as typed."""
    _, problems = parse_brief("---\nrunning_head: off\n---\n\n## قسم\n\nنص.\n", "brief.md")
    assert [str(problem) for problem in problems] == [
        'brief.md: line 2: running_head: must be text: quote a word YAML reads as yes or no, e.g. "off"']


@pytest.mark.parametrize(("key", "named"), [("sub\u200btitle", "U+200B ZERO WIDTH SPACE"),
                                          ("\u00a0subtitle", "U+00A0 NO-BREAK SPACE"),
                                          ("subtitle\u200f", "U+200F RIGHT-TO-LEFT MARK")])
def test_an_unknown_key_names_the_invisible_character_in_it(key: str, named: str) -> None:
    """A key with a zero-width or no-break space pasted into it read "sub​title: unknown key; did
    you mean 'subtitle'?", the two looking the same: the message names what does not show."""
    text = f"id: a\ntitle: عنوان\n{key}: عنوان فرعي\nlanguage: ar\ndirection: rtl\ndate: 2026-01-01\n"
    data, lines, _ = parse_yaml(text, "publication.yaml")
    _, problems = validate(Publication, data, lines, "publication.yaml")
    assert [problem.message for problem in problems] == [
        f"unknown key; it holds {named}, which does not show: delete it; did you mean 'subtitle'?"]


def test_parsed_yaml_is_the_caller_s_own() -> None:
    """A text is parsed once per process; each caller gets data and lines it may change."""
    text = "a:\n  b: [1, 2]\nc: x\n"
    data, lines, _ = parse_yaml(text, "f.yaml")
    data["a"]["b"].append(3)
    lines.clear()
    assert parse_yaml(text, "f.yaml")[:2] == ({"a": {"b": [1, 2]}, "c": "x"},
                                              {(): 1, ("a",): 1, ("a", "b"): 2, ("a", "b", 0): 2,
                                               ("a", "b", 1): 2, ("c",): 3})


def test_a_tab_in_yaml_is_named_with_its_column_and_what_to_do() -> None:
    """A tab (an editor's indent, or left after a value) is no YAML whitespace to PyYAML: the
    message says so, where, and that spaces are wanted."""
    for text, line, column in (("title: عنوان\nfigures:\n\t- value: '1'\n", 3, 1),
                               ("title: عنوان\t  \n", 1, 13)):
        _, _, problems = parse_yaml(text, "facts.yaml")
        assert [str(problem) for problem in problems] == [
            f"facts.yaml: line {line}: invalid YAML: a tab at column {column}; YAML takes spaces "
            "for indentation and between a value and the end of its line: replace the tab with "
            "spaces"]


def test_a_clock_time_typed_unquoted_is_the_text_typed() -> None:
    """YAML 1.1 reads `14:30` as a base-60 number, 870: a timeline's `when: 14:30` was refused
    with the hint to quote "870", a value the author never typed."""
    data, _, problems = parse_yaml("when: 14:30\nat: 09:05:30\nvalue: 1.5\nyear: 2024\n", "f.yaml")
    assert problems == []
    assert data == {"when": "14:30", "at": "09:05:30", "value": 1.5, "year": 2024}
