"""Apply the edits of a bad-input case (tests/bad_inputs/cases.yaml) to a scratch project."""

from __future__ import annotations

import base64
import io
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from PIL import Image

from conftest import PUBLICATION, ROOT

CASES_FILE = Path(__file__).parent / "bad_inputs" / "cases.yaml"


def load_cases() -> list[dict[str, Any]]:
    """Every case of the corpus, in file order."""
    return yaml.safe_load(CASES_FILE.read_text(encoding="utf-8"))


def png_bytes(size: int = 4) -> bytes:
    """A small valid PNG."""
    stream = io.BytesIO()
    Image.new("RGB", (size, size), (11, 93, 107)).save(stream, format="PNG")
    return stream.getvalue()


def _paragraph_100k() -> str:
    return "\n" + ("كلمة " * 20_000)[:99_999] + "ة\n"


def _list_2000() -> str:
    return "\n" + "\n".join(f"- بند {number}" for number in range(1, 2001)) + "\n"


def _table_300() -> str:
    rows = "\n".join(f"| {number} | خلية | نص |" for number in range(1, 301))
    return "\n| أ | ب | ج |\n|---|---|---|\n" + rows + "\n"


def _css_big_data_url() -> str:
    payload = base64.b64encode(b"\0" * (100 * 1024)).decode("ascii")
    return f'\n.big {{ background-image: url("data:image/png;base64,{payload}"); }}\n'


def _quoted_list_2100() -> str:
    return "\n" + "\n".join(f"> - بند {number}" for number in range(1, 2101)) + "\n"


def _nested_list_600() -> str:
    return "\n- أب\n" + "\n".join(f"  - بند {number}" for number in range(1, 601)) + "\n"


def _table_13_columns() -> str:
    return "\n|" + " خلية |" * 13 + "\n|" + "---|" * 13 + "\n|" + " نص |" * 13 + "\n"


def _sections_101() -> str:
    return "".join(f"\n## قسم {number}\n\nنص.\n" for number in range(1, 101))


def _quotes_8_deep() -> str:
    return "\n" + "> " * 8 + "نص في العمق.\n"


GENERATORS: dict[str, Callable[[], str]] = {
    "quoted-list-2100": _quoted_list_2100,
    "nested-list-600": _nested_list_600,
    "table-13-columns": _table_13_columns,
    "sections-101": _sections_101,
    "quotes-8-deep": _quotes_8_deep,
    "paragraph-100k": _paragraph_100k,
    "list-2000": _list_2000,
    "table-300": _table_300,
    "css-big-data-url": _css_big_data_url,
}


def apply_case(case: dict[str, Any], root: Path, outside: Path) -> None:
    """Apply every edit of `case` to the project at `root`."""
    if case.get("fonts") == "copy":
        (root / "fonts").unlink()
        shutil.copytree(ROOT / "fonts", root / "fonts")
    for edit in case["edits"]:
        (operation, arguments), = edit.items()
        path = root / _expand(arguments["file"], outside)
        if operation == "replace":
            text = path.read_text(encoding="utf-8")
            assert arguments["old"] in text, f"{case['id']}: {arguments['old']!r} not in {path}"
            path.write_text(text.replace(arguments["old"], arguments["new"], 1), encoding="utf-8")
        elif operation == "append":
            with path.open("a", encoding="utf-8") as stream:
                stream.write(arguments["text"])
        elif operation == "generate":
            with path.open("a", encoding="utf-8") as stream:
                stream.write(GENERATORS[arguments["kind"]]())
        elif operation == "write":
            path.write_text(arguments["text"], encoding="utf-8")
        elif operation == "write_bytes":
            path.write_bytes(bytes.fromhex(arguments["hex"]))
        elif operation == "delete":
            path.unlink()
        elif operation == "symlink":
            path.symlink_to(_expand(arguments["target"], outside))
        else:
            raise AssertionError(f"{case['id']}: unknown edit {operation!r}")


def _expand(text: str, outside: Path) -> str:
    return text.replace("{pub}", f"content/{PUBLICATION}").replace("{outside}", str(outside))
