"""The command line: exit codes and exact messages."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

from briefpress.cli import main
from briefpress.project import Project
from briefpress.source.audiences import load_profiles, tagged_items
from briefpress.source.publication import load_publication

from conftest import PROFILES, PUBLICATION, PUBLICATIONS


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_list_shows_publications_audiences_and_documents(project: Project) -> None:
    code, out, _ = run("--project", str(project.root), "list")
    assert code == 0
    lines = out.splitlines()
    publications = sorted(path.parent.name for path in project.content_dir.glob("*/publication.yaml"))
    assert lines[:len(publications)] == [f"publication {name}" for name in publications]
    profiles = load_profiles(project)
    audiences = [line for line in lines if line.startswith("audience ")]
    assert audiences == [f"audience {name}: {', '.join(profile.documents)}"
                         for name, profile in profiles.items()]
    assert lines[-3:] == ["document brief", "document factsheet", "document annex"]


def test_list_counts_only_what_each_edition_prints(scratch_project: Project) -> None:
    """An edition without the annex neither gets nor loses an annex clause: `list` (and the
    preview) counted every tagged item of the publication for every audience, so a brief-only
    edition 'got' the fact sheet's and the annex's tagged items."""
    code, out, _ = run("--project", str(scratch_project.root), "list")
    assert code == 0
    content = load_publication(scratch_project, PUBLICATION)
    files = Counter(file for _, file, _ in tagged_items(content))
    assert set(files) <= {"facts.yaml", "annex.yaml"} and files["annex.yaml"], files  # the seed's tags
    listed = out.split("audience ")[1:]
    for name, profile in load_profiles(scratch_project).items():
        [block] = [block for block in listed if block.startswith(f"{name}: ")]
        printed = sum(count for file, count in files.items()
                      if {"facts.yaml": "factsheet", "annex.yaml": "annex"}[file] in profile.documents)
        counted = re.findall(r"(?:gets|loses) sanctions-detail: (\d+)", block)
        assert counted == ([str(printed)] if printed else []), name


def test_list_counts_a_block_inside_a_hidden_one_as_lost(scratch_project: Project) -> None:
    """A paragraph tagged sanctions-detail inside a quote tagged for parliament alone is in
    parliament's brief, not general's: `list` (and the preview) read its own tag alone, and said
    that general got it."""
    audiences = scratch_project.templates_dir / "audiences"
    parliament = audiences / "parliament.yaml"
    parliament.write_text(parliament.read_text(encoding="utf-8").replace(
        "include: [sanctions-detail]", "include: [sanctions-detail, committee]"), encoding="utf-8")
    brief = scratch_project.content_dir / PUBLICATION / "brief.md"
    brief.write_text(brief.read_text(encoding="utf-8").rstrip("\n") + "\n\n{audience=committee}\n"
                     "> {audience=sanctions-detail}\n> تعليق للجنة.\n", encoding="utf-8")
    code, out, _ = run("--project", str(scratch_project.root), "list")
    assert code == 0
    listed = {block.split(":")[0]: block for block in out.split("audience ")[1:]}
    assert "gets committee: 1 tagged item(s)" in listed["parliament"]
    assert "loses committee: 1 tagged item(s)" in listed["general"]
    assert "loses sanctions-detail: 1 tagged item(s)" in listed["general"], listed["general"]


class _ClosedPipe(io.StringIO):
    """Output whose reader has gone, as `head -1` leaves a pipe."""

    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")


def test_output_its_reader_stops_reading_ends_quietly(scratch_project: Project) -> None:
    """`briefpress text --audience press | head -1` printed "briefpress: internal error:
    BrokenPipeError" and exited 1: the command now stops quietly, with the shell's code for it."""
    err = io.StringIO()
    code = main(["--project", str(scratch_project.root), "text", "--audience", "press"],
                stdout=_ClosedPipe(), stderr=err)
    assert (code, err.getvalue()) == (141, "")


def test_python_dash_m_briefpress_is_the_command(scratch_project: Project) -> None:
    """`python -m briefpress` runs the same entry as the `briefpress` script, exit codes included."""
    def module(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "briefpress", *argv], capture_output=True,
                              text=True, timeout=120)

    listed = module("--project", str(scratch_project.root), "list")
    assert (listed.returncode, listed.stderr) == (0, "")
    assert listed.stdout == run("--project", str(scratch_project.root), "list")[1]
    refused = module("--project", str(scratch_project.root), "build", "--doc", "poster")
    assert refused.returncode == 2
    assert refused.stderr.startswith("briefpress build: argument --doc: invalid choice: 'poster'")


def test_build_one_document(project: Project, tmp_path: Path) -> None:
    code, out, err = run("--project", str(project.root), "build", "--publication", PUBLICATION,
                         "--doc", "annex", "--audience", "general", "--out", str(tmp_path))
    assert (code, err) == (0, "")
    assert (tmp_path / PUBLICATION / "general" / "annex.pdf").is_file()
    assert not (tmp_path / PUBLICATION / "general" / "brief.pdf").exists()
    assert out.splitlines()[-1].startswith("built 1 PDF(s)")


def test_malformed_yaml_exits_2_with_file_and_line(scratch_project: Project, tmp_path: Path) -> None:
    facts = scratch_project.content_dir / PUBLICATION / "facts.yaml"
    facts.write_text("title: حقائق\nfigures: [\n  - value: 1\n", encoding="utf-8")
    out_dir = tmp_path / "out"
    code, out, err = run("--project", str(scratch_project.root), "build", "--out", str(out_dir))
    assert code == 2
    assert out == ""
    assert err.splitlines()[0] == (
        f"content/{PUBLICATION}/facts.yaml: line 3: invalid YAML: "
        "while parsing a flow node, expected the node content, but found '-'"
    )
    assert "Traceback" not in err
    assert not out_dir.exists()


def test_wrong_type_names_the_field(scratch_project: Project, tmp_path: Path) -> None:
    annex = scratch_project.content_dir / PUBLICATION / "annex.yaml"
    annex.write_text(annex.read_text(encoding="utf-8").replace("number: 3", "number: three"),
                     encoding="utf-8")
    code, _, err = run("--project", str(scratch_project.root), "build", "--out", str(tmp_path))
    assert code == 2
    assert err.splitlines()[0] == (
        f"content/{PUBLICATION}/annex.yaml: line 25: schedules[0].clauses[2].number: "
        "must be a whole number, unquoted, e.g. 3"
    )


def test_misspelt_key_gets_a_hint(scratch_project: Project, tmp_path: Path) -> None:
    publication = scratch_project.content_dir / PUBLICATION / "publication.yaml"
    publication.write_text(publication.read_text(encoding="utf-8").replace("keywords:", "keyword:"),
                           encoding="utf-8")
    code, _, err = run("--project", str(scratch_project.root), "build", "--out", str(tmp_path))
    assert code == 2
    assert err.splitlines()[0] == (
        f"content/{PUBLICATION}/publication.yaml: line 10: keyword: unknown key; "
        "did you mean 'keywords'?"
    )


def test_unknown_publication_is_bad_usage(project: Project, tmp_path: Path) -> None:
    code, _, err = run("--project", str(project.root), "build", "--publication", "nope",
                       "--out", str(tmp_path))
    assert code == 2
    assert err.strip() == f"unknown publication 'nope'; valid: {', '.join(PUBLICATIONS)}"


def test_unknown_document_is_bad_usage(project: Project) -> None:
    code, _, err = run("--project", str(project.root), "build", "--doc", "poster")
    assert code == 2
    assert "invalid choice: 'poster'" in err


def test_unknown_audience_lists_the_valid_ones(project: Project, tmp_path: Path) -> None:
    code, out, err = run("--project", str(project.root), "build", "--audience", "ministers",
                         "--out", str(tmp_path))
    assert (code, out) == (2, "")
    assert err.strip() == f"unknown audience 'ministers'; valid: {', '.join(sorted(PROFILES))}"


def test_audience_option_repeats(project: Project, tmp_path: Path) -> None:
    code, _out, err = run("--project", str(project.root), "build", "--publication", PUBLICATION,
                          "--doc", "factsheet", "--audience", "press", "--audience", "general",
                          "--out", str(tmp_path))
    assert (code, err) == (0, "")
    built = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.pdf"))
    assert built == [f"{PUBLICATION}/general/factsheet.pdf", f"{PUBLICATION}/press/factsheet.pdf"]


def test_check_reads_a_pdf_outside_any_project(tmp_path: Path) -> None:
    """`check PDF` needs no project: the fonts it compares with are the package's (it said
    `fonts/: font folder not found` and exited 2 in any folder without a project)."""
    import pikepdf

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    pdf = tmp_path / "blank.pdf"
    with pikepdf.new() as document:
        document.add_blank_page(page_size=(595, 842))
        document.save(pdf)
    code, out, err = run("--project", str(elsewhere), "check", str(pdf))
    assert (code, err) == (0, "")
    assert out.startswith(f"{pdf}: 1 page(s)")
    code, _, err = run("--project", str(elsewhere), "list")
    assert code == 2 and "no briefpress project here" in err
