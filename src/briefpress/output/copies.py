"""Stamp a rendered PDF for one recipient, and write a set of copies atomically.

A stamp page becomes a form XObject drawn on every page of the copy,
inside an /Artifact marked-content sequence, so it is in the text layer of each page once
and outside the document's structure tree. Nothing else in the copy changes.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import cast

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
)

STAMP_NAME = "/BriefpressCopyStamp"
COPIES_JSON = "copies.json"
DEFAULT_SPACES = ("/DefaultRGB", "/DefaultGray", "/DefaultCMYK")


def _number(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".")


class CopyStamper:
    """Copies of one rendered PDF, each with a one-page stamp drawn on every page at its trim origin.

    The document is parsed and cloned once. Each copy adds the stamp's objects after the
    document's, writes the file, then drops them and restores every page, so no copy
    carries anything of the copy before it (a test compares a later copy with a first one).
    """

    def __init__(self, data: bytes) -> None:
        self._writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
        self._pages = [(page, page.raw_get("/Contents"),
                        page.raw_get("/Resources") if "/Resources" in page else None)
                       for page in self._writer.pages]
        self._size = len(self._writer._objects)

    def stamp(self, stamp_page: PageObject) -> bytes:
        """The document with `stamp_page` drawn on each of its pages."""
        try:
            self._draw(stamp_page)
            output = io.BytesIO()
            self._writer.write(output)
            return output.getvalue()
        finally:
            self._restore(stamp_page.pdf)

    def _draw(self, stamp_page: PageObject) -> None:
        writer = self._writer
        contents = stamp_page.get_contents()
        form = DecodedStreamObject()
        form.set_data(contents.get_data() if contents is not None else b"")
        form.update({
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject(FloatObject(v) for v in stamp_page.mediabox),
            NameObject("/Resources"): self._stamp_resources(stamp_page),
        })
        reference = writer._add_object(form.flate_encode())
        # The page's own content in q ... Q, so its graphics state does not reach the stamp.
        before, after = writer._add_object(_stream(b"q\n")), writer._add_object(_stream(b"\nQ\n"))
        for page, contents, resources in self._pages:
            trim = page.trimbox
            drawing = _stream(f"/Artifact BMC q 1 0 0 1 {_number(float(trim.left))} "
                              f"{_number(float(trim.bottom))} cm {STAMP_NAME} Do Q EMC\n".encode("ascii"))
            streams = list(contents.get_object()) if isinstance(contents.get_object(), ArrayObject) \
                else [contents]
            page[NameObject("/Contents")] = ArrayObject([before, *streams, after,
                                                         writer._add_object(drawing)])
            own = DictionaryObject(resources.get_object() if resources is not None else {})
            xobjects = DictionaryObject(own.get("/XObject", DictionaryObject()).get_object())
            xobjects[NameObject(STAMP_NAME)] = reference
            own[NameObject("/XObject")] = xobjects
            page[NameObject("/Resources")] = own

    def _stamp_resources(self, stamp_page: PageObject) -> DictionaryObject:
        """The stamp's resources, with the document's default colour spaces (PDF/X-4's DefaultRGB)."""
        resources = cast(DictionaryObject, stamp_page["/Resources"]).clone(self._writer)
        page_resources = cast(DictionaryObject, self._writer.pages[0].get("/Resources", DictionaryObject()))
        spaces = cast(DictionaryObject, page_resources.get("/ColorSpace", DictionaryObject()))
        defaults = {key: spaces.raw_get(key) for key in DEFAULT_SPACES if key in spaces}
        if defaults:
            own = DictionaryObject(cast(DictionaryObject, resources.get("/ColorSpace", DictionaryObject())))
            own.update({NameObject(key): value for key, value in defaults.items()})
            resources[NameObject("/ColorSpace")] = own
        return resources

    def _restore(self, reader: object) -> None:
        for page, contents, resources in self._pages:
            page[NameObject("/Contents")] = contents
            if resources is None:
                page.pop("/Resources", None)
            else:
                page[NameObject("/Resources")] = resources
        del self._writer._objects[self._size:]
        self._writer._id_translated.pop(id(reader), None)


def _stream(data: bytes) -> DecodedStreamObject:
    stream = DecodedStreamObject()
    stream.set_data(data)
    return stream


def _flush_to_disk(folder: Path) -> None:
    """Every file in `folder` on disk: one system-wide sync where there is one, else file by file."""
    if hasattr(os, "sync"):
        os.sync()
        return
    for path in folder.iterdir():
        with path.open("rb") as stream:
            os.fsync(stream.fileno())


class CopySet:
    """Copies written into a staging folder, renamed into place as one set.

    Leaving the block with an exception removes the staging folder, so the copies already
    in place stay as they were. `copies.json` is written as the copies are, one entry each.
    """

    def __init__(self, folder: Path, header: dict) -> None:
        self.folder = folder
        folder.parent.mkdir(parents=True, exist_ok=True)
        self.staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".staging",
                                             dir=folder.parent))
        self._index = (self.staging / COPIES_JSON).open("w", encoding="utf-8")
        opening = json.dumps({**header, "copies": []}, ensure_ascii=False, indent=2)
        self._index.write(opening[:opening.rindex("[") + 1])
        self._count = 0

    def __enter__(self) -> CopySet:
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        if not self._index.closed:
            self._index.close()
        if self.staging.exists():
            shutil.rmtree(self.staging)

    def add(self, file_name: str, number: int, recipient: dict[str, str], data: bytes) -> None:
        """Write one copy and its entry in `copies.json`."""
        (self.staging / file_name).write_bytes(data)
        entry = {"number": number, "file": file_name, "recipient": recipient,
                 "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
        text = json.dumps(entry, ensure_ascii=False, indent=2).replace("\n", "\n    ")
        self._index.write(("," if self._count else "") + "\n    " + text)
        self._count += 1

    def commit(self) -> Path:
        """Close `copies.json` and swap the staging folder in for the copies in place."""
        self._index.write("\n  ]\n}\n")
        self._index.close()
        _flush_to_disk(self.staging)
        previous = None
        if self.folder.exists():
            previous = Path(tempfile.mkdtemp(prefix=f".{self.folder.name}.", suffix=".old",
                                             dir=self.folder.parent))
            os.replace(self.folder, previous / self.folder.name)
        try:
            os.replace(self.staging, self.folder)
        except BaseException:
            if previous is not None:
                os.replace(previous / self.folder.name, self.folder)
            raise
        finally:
            if previous is not None:
                shutil.rmtree(previous, ignore_errors=True)
        return self.folder
