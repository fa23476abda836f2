"""Stamp a rendered PDF for one recipient, and stage and commit a set of copies.

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
from pathlib import Path
from typing import cast

import pypdfium2
from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
)

from .copyindex import COPIES_JSON
from .staging import OutputFolder

STAMP_NAME = "/BriefpressCopyStamp"
DEFAULT_SPACES = ("/DefaultRGB", "/DefaultGray", "/DefaultCMYK")


def _number(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".")


Box = tuple[float, float, float, float]


def glyph_boxes(data: bytes) -> list[list[Box]]:
    """For each page, the box of each glyph drawn (left, bottom, right, top), in points from the
    bottom left corner of the page's trim."""
    document = pypdfium2.PdfDocument(data)
    pages = []
    try:
        for page in document:
            trim, text = page.get_trimbox(), page.get_textpage()
            boxes = []
            for index in range(text.count_chars()):
                left, bottom, right, top = text.get_charbox(index)
                if right > left and top > bottom:
                    boxes.append((left - trim[0], bottom - trim[1], right - trim[0], top - trim[1]))
            pages.append(boxes)
    finally:
        document.close()
    return pages


class CopyStamper:
    """Copies of one rendered PDF, each with a one-page stamp drawn on every page at its trim origin.

    The document is parsed and cloned once. Each copy adds the stamp's objects after the
    document's, writes the file, then drops them and restores every page, so no copy
    carries anything of the copy before it (a test compares a later copy with a first one).
    """

    def __init__(self, data: bytes) -> None:
        reader = PdfReader(io.BytesIO(data))
        self._writer = PdfWriter(clone_from=reader)
        self._writer.pdf_header = reader.pdf_header  # the edition's (PDF/X-4 is 1.6), not pypdf's 1.3
        self._pages = [(page, page.raw_get("/Contents"),
                        page.raw_get("/Resources") if "/Resources" in page else None)
                       for page in self._writer.pages]
        self._size = len(self._writer._objects)
        # The edition's permanent identifier, which every copy keeps (`_identify`).
        edition = self._writer._ID
        self._first = _string_bytes(edition[0]) if edition else hashlib.md5(
            data, usedforsecurity=False).digest()

    def stamp(self, stamp_page: PageObject, drop: float = 0.0) -> bytes:
        """The document with `stamp_page` drawn on each of its pages, `drop` points lower."""
        try:
            stamp = self._draw(stamp_page, drop)
            self._identify(stamp)
            output = io.BytesIO()
            self._writer.write(output)
            return output.getvalue()
        finally:
            self._restore(stamp_page.pdf)

    def _identify(self, stamp: bytes) -> None:
        """The edition's permanent identifier, then one of this copy's own, from its stamp (ISO
        32000-1, 14.4: a different version of the same document): a document store that tells
        files apart by their /ID took every copy for one file. pypdf's own
        `generate_file_identifiers` writes the whole file once more for it."""
        second = hashlib.md5(self._first + stamp, usedforsecurity=False).digest()
        self._writer._ID = ArrayObject([ByteStringObject(self._first), ByteStringObject(second)])

    def _draw(self, stamp_page: PageObject, drop: float) -> bytes:
        """Draw the stamp on every page; the stamp's drawing, as placed."""
        writer = self._writer
        contents = stamp_page.get_contents()
        drawn = contents.get_data() if contents is not None else b""
        form = DecodedStreamObject()
        form.set_data(drawn)
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
            origin = f"{_number(float(trim.left))} {_number(float(trim.bottom) - drop)}"
            drawing = _stream(f"/Artifact BMC q 1 0 0 1 {origin} cm {STAMP_NAME} Do Q EMC\n".encode("ascii"))
            streams = list(contents.get_object()) if isinstance(contents.get_object(), ArrayObject) \
                else [contents]
            page[NameObject("/Contents")] = ArrayObject([before, *streams, after,
                                                         writer._add_object(drawing)])
            own = DictionaryObject(resources.get_object() if resources is not None else {})
            xobjects = DictionaryObject(own.get("/XObject", DictionaryObject()).get_object())
            xobjects[NameObject(STAMP_NAME)] = reference
            own[NameObject("/XObject")] = xobjects
            page[NameObject("/Resources")] = own
        return drawn + f" {_number(drop)}".encode("ascii")

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


def _string_bytes(string: object) -> bytes:
    """A PDF string's bytes as written, whether pypdf read it as text or as bytes."""
    original = getattr(string, "get_original_bytes", None)
    return original() if original is not None else bytes(cast(bytes, string))


def _stream(data: bytes) -> DecodedStreamObject:
    stream = DecodedStreamObject()
    stream.set_data(data)
    return stream


def _flush_to_disk(folder: Path) -> None:
    """Every file in `folder` on disk: one system-wide sync where there is one, else file by file."""
    if hasattr(os, "sync"):
        os.sync()
        return
    for path in folder.rglob("*"):
        if path.is_file():
            with path.open("rb") as stream:
                os.fsync(stream.fileno())


def remove_old_staging(folder: Path) -> None:
    """Remove the `.copies.*.staging` and `.copies.*.old` folders older versions left when killed."""
    if folder.parent.is_dir():
        for stray in folder.parent.glob(f".{folder.name}.*"):
            if stray.is_dir() and stray.suffix in {".staging", ".old"}:
                shutil.rmtree(stray, ignore_errors=True)


class CopySet:
    """Copies staged in the output folder and committed as one set, as `build` commits its PDFs.

    Each copy and `copies.json` (written entry by entry, so 10,000 recipients never sit in
    memory) go to the output folder's staging area; `commit` moves them into `folder` and
    removes the copies of the last run that this one does not make again, through the
    output folder's commit record. A run that fails, or is killed, before the commit point
    leaves the copies in place as they were; the next `copies` or `build` into the output
    folder removes what it staged, or finishes a commit it began.
    """

    def __init__(self, output: OutputFolder, folder: str, header: dict) -> None:
        self.output = output
        self.folder = folder
        self.files: list[str] = []
        self._index = output.staged_path(f"{folder}/{COPIES_JSON}").open("w", encoding="utf-8")
        opening = json.dumps({**header, "copies": []}, ensure_ascii=False, indent=2)
        self._index.write(opening[:opening.rindex("[") + 1])

    def __enter__(self) -> CopySet:
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        self._index.close()

    def add(self, file_name: str, number: int, recipient: dict[str, str], data: bytes) -> None:
        """Stage one copy and write its entry in `copies.json`."""
        self.output.stage(f"{self.folder}/{file_name}", data, sync=False)
        entry = {"number": number, "file": file_name, "recipient": recipient,
                 "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
        text = json.dumps(entry, ensure_ascii=False, indent=2).replace("\n", "\n    ")
        self._index.write(("," if self.files else "") + "\n    " + text)
        self.files.append(file_name)

    def commit(self, previous: list[str]) -> None:
        """Close `copies.json`, put every staged file on disk, then commit the set."""
        self._index.write("\n  ]\n}\n")
        self._index.close()
        _flush_to_disk(self.output.staging)
        made = set(self.files)
        self.output.commit([f"{self.folder}/{name}" for name in [*self.files, COPIES_JSON]],
                           [f"{self.folder}/{name}" for name in previous if name not in made])
