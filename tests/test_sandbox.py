"""Resources: the fetcher's second line of defence, images that are allowed, content kept literal."""

from __future__ import annotations

import base64
import os
import socket
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from pypdf import PdfReader

from briefpress.build import build
from briefpress.check.textlayer import normalise, pdfium_text
from briefpress.project import Project
from briefpress.source.references import DATA_URL_CAP

from badinputs import png_bytes
from conftest import PUBLICATION

if TYPE_CHECKING:  # importing the fetcher imports WeasyPrint: only where it is used
    from briefpress.layout.fetcher import SandboxedFetcher


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if anything opens a network connection."""
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network connection attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.fixture
def fetcher(scratch_project: Project) -> SandboxedFetcher:
    from briefpress.layout.fetcher import SandboxedFetcher

    project = scratch_project
    return SandboxedFetcher((project.content_dir, project.templates_dir, project.fonts_dir))


def _data_url(size: int) -> str:
    return "data:image/png;base64," + base64.b64encode(b"\0" * size).decode("ascii")


def test_fetcher_serves_project_files_and_small_data_urls(fetcher: SandboxedFetcher,
                                                          scratch_project: Project) -> None:
    css = scratch_project.templates_dir / "base.css"
    assert fetcher.fetch(css.as_uri()).read() == css.read_bytes()
    assert fetcher.fetch((scratch_project.fonts_dir / "Amiri-Regular.ttf").as_uri()).read()[:4] \
        == b"\0\1\0\0"
    assert fetcher.fetch(_data_url(DATA_URL_CAP)).read() == b"\0" * DATA_URL_CAP


NEVER = "URLs are never fetched; put the file under content/ or templates/"


@pytest.mark.parametrize(("url", "reason"), [
    ("http://127.0.0.1:9/a.png", f"'http' {NEVER}"),
    ("https://example.com/a.css", f"'https' {NEVER}"),
    ("ftp://example.com/a.png", f"'ftp' {NEVER}"),
    ("gopher://example.com/a", f"'gopher' {NEVER}"),
    ("file:///etc/hostname", "outside the project's content/, templates/ and fonts/ folders"),
    ("file://example.com/share/a.png", "file: URLs on another host are never fetched"),
    ("{content}/../../outside/secret.png", "outside the project's content/, templates/ and fonts/ folders"),
    ("{content}/link.png", "outside the project's content/, templates/ and fonts/ folders"),
    ("{content}/missing.png", "file not found"),
    ("data-over-cap", f"data: URL of {DATA_URL_CAP + 1} bytes is over the {DATA_URL_CAP}-byte cap"),
])
def test_fetcher_refuses(fetcher: SandboxedFetcher, scratch_project: Project, tmp_path: Path,
                         no_network: None, url: str, reason: str) -> None:
    from briefpress.layout.fetcher import RefusedResource

    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.png").write_bytes(png_bytes())
    (scratch_project.content_dir / "link.png").symlink_to(outside / "secret.png")
    if url == "data-over-cap":
        url = _data_url(DATA_URL_CAP + 1)
    url = url.replace("{content}", scratch_project.content_dir.as_uri())
    with pytest.raises(RefusedResource) as refused:
        fetcher.fetch(url)
    assert refused.value.reason == reason


def test_fetcher_serves_project_urls_inside_the_project_only(scratch_project: Project) -> None:
    from briefpress.layout.fetcher import RefusedResource, SandboxedFetcher

    project = scratch_project
    fetcher = SandboxedFetcher((project.content_dir, project.templates_dir, project.fonts_dir),
                               project=project)
    css = project.templates_dir / "base.css"
    assert project.url(css) == "file:///briefpress-project/templates/base.css"
    assert fetcher.fetch(project.url(css)).read() == css.read_bytes()
    for escape in ("file:///briefpress-project/../../../etc/passwd",
                   "file:///briefpress-project/templates/../../etc/passwd"):
        with pytest.raises(RefusedResource) as refused:
            fetcher.fetch(escape)
        assert refused.value.reason == "outside the project's content/, templates/ and fonts/ folders"


def test_images_links_and_template_syntax_in_content(scratch_project: Project, tmp_path: Path,
                                                     no_network: None) -> None:
    folder = scratch_project.content_dir / PUBLICATION
    (folder / "figures").mkdir()
    (folder / "figures" / "chart.png").write_bytes(png_bytes(40))
    with (folder / "brief.md").open("a", encoding="utf-8") as brief:
        brief.write("\n![رسم بياني](figures/chart.png)\n\n"
                    "للمزيد [انظر الموقع](https://example.com/) أو [الفهرس](#section-1).\n\n"
                    "قالب حرفي {{ 7*7 }} و {% include 'base.html.j2' %} يبقى نصاً.\n")
    build(scratch_project, tmp_path, documents=["brief"])
    pdf = tmp_path / PUBLICATION / "general" / "brief.pdf"

    reader = PdfReader(str(pdf))
    images = {image.data for page in reader.pages for image in page.images}  # pages share resources
    assert len(images) == 1
    links = [annotation.get_object()["/A"].get("/URI") for page in reader.pages
             for annotation in page.get("/Annots", []) if "/A" in annotation.get_object()]
    assert "https://example.com/" in links
    text = normalise(pdfium_text(pdf))
    assert "7*7" in text and "49" not in text.split()
    assert "include" in text  # pdfium reorders the Latin run, so look for the word


def test_an_image_under_a_content_folder_that_is_a_link_is_drawn(scratch_project: Project,
                                                                 tmp_path: Path) -> None:
    """content/ kept elsewhere (a synced folder) and linked into the project: brief.md and its
    image were read and checked through the link, then the image was named in the HTML by its
    real path, which the fetcher refused with no file or line ("refused resource
    'file:///.../chart.png': '..' leads outside the project's content/ ..."), and the build
    stopped. The image is named by its path in the project, the path its check read."""
    elsewhere = tmp_path / "synced"
    scratch_project.content_dir.rename(elsewhere)
    scratch_project.content_dir.symlink_to(elsewhere, target_is_directory=True)
    folder = scratch_project.content_dir / PUBLICATION
    (folder / "chart.png").write_bytes(png_bytes(40))
    with (folder / "brief.md").open("a", encoding="utf-8") as brief:
        brief.write("\n![رسم بياني](chart.png)\n")
    out = tmp_path / "out"
    build(scratch_project, out, publications=[PUBLICATION], documents=["brief"], audiences=["general"])
    reader = PdfReader(str(out / PUBLICATION / "general" / "brief.pdf"))
    assert len({image.data for page in reader.pages for image in page.images}) == 1


def test_an_image_saved_again_with_its_size_and_time_is_read_again(tmp_path: Path) -> None:
    """An image's check is kept for its bytes, not its size and time: a chart saved over with a
    damaged file of the same length, its time restored (as `cp -p`, `touch -r` or a sync tool
    leaves it), is refused by the next build of a kept-warm process (`watch`, `preview`)."""
    from briefpress.source.references import image_problem

    image = tmp_path / "chart.png"
    good = png_bytes()
    image.write_bytes(good)
    stamp = image.stat()
    assert image_problem("chart.png", tmp_path, (tmp_path,)) is None
    image.write_bytes(good[:8] + b"\0" * (len(good) - 8))
    os.utime(image, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    assert image.stat().st_size == stamp.st_size
    assert image_problem("chart.png", tmp_path, (tmp_path,)) == \
        "not a readable image (the file is damaged or not what its suffix says)"
