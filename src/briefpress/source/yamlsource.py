"""Read YAML into typed models, reporting every problem with its file and line."""

from __future__ import annotations

import copy
import datetime
import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from ..errors import Problem
from ..sandbox import Refused, Sandbox, decode_text
from .fields import NeededBy
from .model import SLUG_PATTERN, Form

Model = TypeVar("Model", bound=BaseModel)
FieldPath = tuple[str | int, ...]


SLUG_RULE = "must be lower-case letters, digits and hyphens, starting with a letter or digit"
KEY = "[key]"  # the last part of a validation error's location when a mapping's key is wrong
MAX_SOURCE_BYTES = 1024 * 1024  # a source file (YAML, Markdown, CSS) is read only up to this size
MAX_FIELD_CHARS = 20_000  # one YAML string, like one Markdown paragraph
MAX_DEPTH = 64  # nested lists and mappings in one YAML document
MAX_NODES = 20_000  # keys, values and items in one YAML document; the seed's largest has 122
LINE_END = re.compile(r"\r\n?|\n")  # as YAML counts lines: LF, CRLF or CR alone


class InputRefused(yaml.MarkedYAMLError):
    """YAML that parses but is refused: aliases, deep nesting, values that cannot be built."""

    def __init__(self, message: str, mark: yaml.Mark | None) -> None:
        super().__init__(problem=message, problem_mark=mark)


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe loader that refuses duplicate keys, aliases, deep nesting and unbuildable values."""

    depth = 0
    nodes = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            raise InputRefused("aliases (*name) are not allowed; write the value out",
                               self.peek_event().start_mark)
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise InputRefused(f"more than {MAX_NODES:,} keys, values and items in one file; "
                               "split it", self.peek_event().start_mark)
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise InputRefused(f"lists and mappings nested more than {MAX_DEPTH} deep",
                                   self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except (ValueError, TypeError, OverflowError) as error:
            raise InputRefused(_value_message(node, error), node.start_mark) from error


def _value_message(node: yaml.Node, error: Exception) -> str:
    """Why a scalar could not become a Python value."""
    shown = node.value if isinstance(node.value, str) else ""
    shown = shown if len(shown) <= 30 else shown[:30] + "..."
    if node.tag.endswith(":timestamp"):
        return f"invalid date '{shown}': {error}"
    if node.tag.endswith((":int", ":float")):
        return f"the number '{shown}' has too many digits; quote it if it is text"
    return f"cannot read '{shown}': {error}"


MERGE_TAG = "tag:yaml.org,2002:merge"


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode) -> dict:
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            raise InputRefused("a list or mapping cannot be a key", key_node.start_mark)
        if key_node.tag == MERGE_TAG:  # `<<:`, whose keys the safe loader would not merge
            raise InputRefused("merge keys (<<) are not allowed; write the keys out",
                               key_node.start_mark)
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r} (first on line {seen[key]})", key_node.start_mark
            )
        seen[key] = key_node.start_mark.line + 1
    return loader.construct_mapping(node)


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping
)


def _without_base_60(
    resolvers: dict[Any, list[tuple[str, re.Pattern[str]]]],
) -> dict[Any, list[tuple[str, re.Pattern[str]]]]:
    """YAML 1.1's implicit resolvers without its base-60 numbers, as YAML 1.2 has them: `14:30`
    is the clock time typed, text, not the number 870."""
    numbers = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
    return {first: [(tag, re.compile("^(?!.*:)" + pattern.pattern.removeprefix("^"), pattern.flags)
                     if tag in numbers else pattern) for tag, pattern in pairs]
            for first, pairs in resolvers.items()}


_UniqueKeyLoader.yaml_implicit_resolvers = _without_base_60(yaml.SafeLoader.yaml_implicit_resolvers)


def scalars(node: yaml.Node | None) -> list[yaml.ScalarNode]:
    """Every scalar of a composed tree, keys included, in document order."""
    found: list[yaml.ScalarNode] = []
    stack = [node] if node is not None else []
    while stack:
        current = stack.pop()
        if isinstance(current, yaml.ScalarNode):
            found.append(current)
        elif isinstance(current, yaml.MappingNode):
            stack.extend(part for pair in reversed(current.value) for part in reversed(pair))
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(reversed(current.value))
    return found


def _lines_by_path(node: yaml.Node | None) -> dict[FieldPath, int]:
    """Map each field path in a composed YAML tree to its 1-based line."""
    lines: dict[FieldPath, int] = {}
    stack: list[tuple[yaml.Node, FieldPath]] = [(node, ())] if node is not None else []
    while stack:
        current, path = stack.pop()
        lines.setdefault(path, current.start_mark.line + 1)
        if isinstance(current, yaml.MappingNode):
            for key_node, value_node in current.value:
                lines[(*path, key_node.value)] = key_node.start_mark.line + 1
                stack.append((value_node, (*path, key_node.value)))
        elif isinstance(current, yaml.SequenceNode):
            stack.extend((item, (*path, index)) for index, item in enumerate(current.value))
    return lines


def typed_texts(text: str) -> dict[FieldPath, str]:
    """Each scalar value of a YAML text as typed, by its field path (`010`, where the data holds 8);
    empty when the text does not parse."""
    try:
        node, _ = compose(text)
    except yaml.YAMLError:
        return {}
    typed: dict[FieldPath, str] = {}
    stack: list[tuple[yaml.Node, FieldPath]] = [(node, ())] if node is not None else []
    while stack:
        current, path = stack.pop()
        if isinstance(current, yaml.ScalarNode):
            typed[path] = current.value
        elif isinstance(current, yaml.MappingNode):
            stack.extend((value, (*path, key.value)) for key, value in current.value)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend((item, (*path, index)) for index, item in enumerate(current.value))
    return typed


@lru_cache(maxsize=256)
def compose(text: str) -> tuple[yaml.Node | None, Any]:
    """The composed tree and the data of one YAML document; raise `yaml.YAMLError`. Composed
    once per process for the same text (the character check and the loader both read it):
    what it returns is shared, and read only (`parse_yaml` hands out copies)."""
    loader = _UniqueKeyLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    return node, data


def parse_yaml(text: str, label: str) -> tuple[Any, dict[FieldPath, int], list[Problem]]:
    """Parse YAML text; return the data, the line of each field, and any problems. The text is
    composed once per process (`compose`); each caller gets a copy of the data of its own."""
    try:
        node, data = compose(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        message = error.problem or str(error)
        if error.context and error.problem:
            # Where the unfinished construct began: the mistake is there more often than where
            # the parser stopped (an unclosed bracket or quote is found lines later).
            began = error.context_mark
            since = f" from line {began.line + 1}" if began and mark and began.line != mark.line else ""
            message = f"{error.context}{since}, {error.problem}"
        if mark and text[mark.index:mark.index + 1] == "\t" and not isinstance(error, InputRefused):
            message = (f"a tab at column {mark.column + 1}; YAML takes spaces for indentation and "
                       "between a value and the end of its line: replace the tab with spaces")
        if not isinstance(error, InputRefused):
            message = f"invalid YAML: {message}"
        return None, {}, [Problem(label, message, line)]
    except yaml.reader.ReaderError as error:
        # A character YAML does not read (NUL, a C0 control): named where it is, not by offset.
        before = text[:error.position]
        line_start = max(before.rfind("\n"), before.rfind("\r")) + 1
        return None, {}, [Problem(label, f"invalid YAML: U+{error.character:04X} at column "
                                  f"{error.position - line_start + 1} is a control character or "
                                  "noncharacter, which YAML does not read; remove it",
                                  len(LINE_END.findall(before)) + 1)]
    except yaml.YAMLError as error:
        return None, {}, [Problem(label, f"invalid YAML: {error}")]
    problems = [Problem(label, f"a text of {len(scalar.value)} characters is over the limit of "
                        f"{MAX_FIELD_CHARS}; shorten it", scalar.start_mark.line + 1)
                for scalar in scalars(node) if len(scalar.value) > MAX_FIELD_CHARS]
    if problems:
        return None, {}, problems
    return copy.deepcopy(data), _lines_by_path(node), []


def _field_name(location: FieldPath) -> str:
    parts: list[str] = []
    for part in location:
        if part == KEY:
            continue
        if isinstance(part, int):
            parts.append(f"[{part}]")
        else:
            parts.append(f".{part}" if parts else str(part))
    return "".join(parts)


def _nearest_line(lines: dict[FieldPath, int], location: FieldPath) -> int | None:
    for end in range(len(location), -1, -1):
        if location[:end] in lines:
            return lines[location[:end]]
    return None


def _line_of(model: type[BaseModel], lines: dict[FieldPath, int], location: FieldPath) -> int | None:
    """The line a problem at `location` is reported at: a field left out that another field
    needs (`NeededBy`) at that field's line, else the nearest line written at or above it."""
    info = None if location in lines else _field_info(model, location)
    needed_by = next((meta for meta in info.metadata if isinstance(meta, NeededBy)), None) if info else None
    if needed_by is not None and (*location[:-1], needed_by.field) in lines:
        return lines[(*location[:-1], needed_by.field)]
    return _nearest_line(lines, location)


def _hint(model: type[BaseModel], location: FieldPath, message: str) -> str:
    """An unknown-key message with a "did you mean" for a near miss, else the keys allowed there."""
    known = _known_fields(model, location[:-1])
    key = str(location[-1])
    unseen = [character for character in dict.fromkeys(key)
              if unicodedata.category(character) in {"Cf", "Zs", "Cc"} and character != " "]
    if unseen:  # a pasted zero-width or no-break space: the key looks like the one it misses
        names = ", ".join(f"U+{ord(c):04X} {unicodedata.name(c, 'CONTROL')}" for c in unseen)
        message += f"; it holds {names}, which does not show: delete it"
    close = [name for name in known if edits(key, name) <= max(1, len(key) // 4)]
    if close:
        return f"{message}; did you mean '{min(close, key=lambda name: edits(key, name))}'?"
    return f"{message}; allowed here: {', '.join(known)}" if known else message


def edits(first: str, second: str) -> int:
    """The edit distance between two keys, a swap of neighbours counting as one edit."""
    rows = [list(range(len(second) + 1))]
    for i in range(1, len(first) + 1):
        row = [i] + [0] * len(second)
        for j in range(1, len(second) + 1):
            row[j] = min(rows[-1][j] + 1, row[j - 1] + 1,
                         rows[-1][j - 1] + (first[i - 1] != second[j - 1]))
            if i > 1 and j > 1 and first[i - 1] == second[j - 2] and first[i - 2] == second[j - 1]:
                row[j] = min(row[j], rows[-2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]


def _known_fields(model: type[BaseModel], location: FieldPath) -> list[str]:
    current: Any = model
    for part in location:
        if isinstance(part, int):
            continue
        field = getattr(current, "model_fields", {}).get(part)
        if field is None:
            return []
        current = _inner_model(field.annotation)
    return list(getattr(current, "model_fields", {}))


def _inner_model(annotation: Any) -> Any:
    """The model class inside `list[Model]`, `Model | None` and the like."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in getattr(annotation, "__args__", ()):
        found = _inner_model(argument)
        if found is not None:
            return found
    return None


def validate(
    model: type[Model], data: Any, lines: dict[FieldPath, int], label: str,
    typed: Mapping[FieldPath, str] | None = None,
) -> tuple[Model | None, list[Problem]]:
    """Validate parsed data against a model; every error becomes a located problem. `typed` holds
    each value as written (`typed_texts`), for the messages that show it."""
    if data is None:
        return None, [Problem(label, "the file is empty; it must hold a mapping", 1)]
    try:
        return model.model_validate(data), []
    except ValidationError as error:
        problems = []
        for item in error.errors():
            location = tuple(item["loc"])
            message = _message(item, _known_fields(model, location), _required(model, location),
                               (typed or {}).get(location))
            message = _form_message(item, location, _form(model, location)) or message
            if item["type"] == "extra_forbidden":
                message = _hint(model, location, "unknown key")
            problems.append(
                Problem(label, message, _line_of(model, lines, location), _field_name(location) or None)
            )
        # Unknown keys first: a misspelt key explains the "required field is missing" after it.
        problems.sort(key=lambda problem: not problem.message.startswith("unknown key"))
        return None, problems


def _field_info(model: type[BaseModel], location: FieldPath) -> FieldInfo | None:
    """The field at `location`, when it is a field of a model (not a key of a mapping)."""
    current: Any = model
    info = None
    for part in location:
        if isinstance(part, int):
            continue
        info = getattr(current, "model_fields", {}).get(part)
        if info is None:
            return None
        current = _inner_model(info.annotation)
    return info


def _form(model: type[BaseModel], location: FieldPath) -> tuple[Form, FieldPath] | None:
    """The `Form` of the mapping field at or above `location`, and the part of it below the field."""
    for end in range(len(location), 0, -1):
        info = _field_info(model, location[:end])
        if info is not None:
            form = next((meta for meta in info.metadata if isinstance(meta, Form)), None)
            return (form, location[end:]) if form else None
    return None


def _form_message(item: Mapping[str, Any], location: FieldPath,
                  found: tuple[Form, FieldPath] | None) -> str | None:
    """For a mapping field that declares its `Form`: a message naming what its keys and values are."""
    if found is None:
        return None
    form, below = found
    kind = item["type"]
    if not below and kind == "dict_type":
        return f"must be a mapping: each key {form.key}, each value {form.value}, e.g. {form.example}"
    if below and below[-1] == KEY:
        rule = SLUG_RULE if _is_slug_mismatch(item) else "is not a valid key"
        return f"key {_shown(below[0])} {rule}; each key is {form.key}"
    if len(below) != 1:
        return None
    if kind == "too_short":
        return f"is empty; give {form.value}, e.g. {form.value_example}" + (
            f", or {form.empty}" if form.empty else "")
    if kind in {"list_type", "dict_type", "model_type"} or (
            kind == "string_type" and not isinstance(item.get("input"), int | float)):
        return f"must be {form.value}, e.g. {form.value_example}"
    return None


def _is_slug_mismatch(item: Mapping[str, Any]) -> bool:
    return item["type"] == "string_pattern_mismatch" and item.get("ctx", {}).get(
        "pattern") == SLUG_PATTERN.pattern


def _shown(value: object) -> str:
    text = str(value)
    return repr(text if len(text) <= 30 else text[:30] + "...")


def _required(model: type[BaseModel], location: FieldPath) -> list[str]:
    """The required keys of the mapping expected at `location`."""
    current: Any = model
    for part in location:
        if isinstance(part, int):
            continue
        field = getattr(current, "model_fields", {}).get(part)
        current = _inner_model(field.annotation) if field is not None else None
    return [name for name, field in getattr(current, "model_fields", {}).items() if field.is_required()]


def _message(item: Mapping[str, Any], keys: list[str], required: list[str], typed: str | None = None) -> str:
    """A validation error as a sentence that names what is expected; `typed` is the value as
    written, which a hint to quote it shows (YAML reads `no` as false and `010` as 8)."""
    kind = item["type"]
    if kind == "missing":
        return "required field is missing"
    if kind in {"model_type", "dict_type"}:
        if not keys:
            return "must be a mapping"
        optional = [key for key in keys if key not in required]
        wanted = f"must be a mapping with the keys {', '.join(required)}" if required else (
            "must be a mapping")
        return wanted + (f" (optional: {', '.join(optional)})" if optional else "")
    if kind in {"date_type", "date_parsing", "date_from_datetime_parsing"}:
        return "must be a date written YYYY-MM-DD, unquoted, e.g. 2026-11-29"
    if kind == "string_type" and isinstance(item.get("input"), bool):
        return f"must be text: quote a word YAML reads as yes or no, e.g. \"{typed or item['input']}\""
    if kind == "string_type" and isinstance(item.get("input"), int | float):
        return (f"must be text: quote a number that must stay text, e.g. \"{typed or item['input']}\"")
    if kind == "string_type" and isinstance(item.get("input"), datetime.date):
        # YAML reads an unquoted 2024-11-05 as a date, not the text typed.
        return ("must be text: quote a date that must stay text, "
                f"e.g. \"{typed or item['input'].isoformat()}\"")
    if kind == "string_type":
        return "must be text"
    if kind in {"int_type", "int_parsing"}:
        return "must be a whole number, unquoted, e.g. 3"
    if kind == "list_type":
        return "must be a list: one '- item' line per item, or [a, b]"
    if _is_slug_mismatch(item):
        return f"{_shown(item.get('input'))} {SLUG_RULE}"
    if kind == "too_short" and item.get("ctx", {}).get("min_length") == 1:
        return "is empty; it must hold at least one item"
    message = item["msg"].removeprefix("Value error, ")
    return message[0].lower() + message[1:] if message else kind


def read_source(path: Path, label: str, sandbox: Sandbox, kind: str = "source",
                cap: int = MAX_SOURCE_BYTES) -> tuple[str | None, list[Problem]]:
    """A project file's UTF-8 text (a leading BOM dropped), or the problem that stops it being read.

    The sandbox checks the path as a file of `kind` before it is opened; only regular files
    of at most `cap` bytes are read.
    """
    try:
        return decode_text(sandbox.read(path, kind, cap)), []
    except Refused as refused:
        return None, [Problem(label, refused.reason, refused.line)]


def load_yaml_model(model: type[Model], path: Path, label: str, sandbox: Sandbox,
                    kind: str = "source") -> tuple[Model | None, list[Problem]]:
    """Read, parse and validate one YAML file."""
    loaded, _, problems = load_yaml_document(model, path, label, sandbox, kind)
    return loaded, problems


def load_yaml_document(model: type[Model], path: Path, label: str, sandbox: Sandbox,
                       kind: str = "source") -> tuple[Model | None, dict[FieldPath, int], list[Problem]]:
    """Read, parse and validate one YAML file; also return the line of each field."""
    text, problems = read_source(path, label, sandbox, kind)
    if text is None:
        return None, {}, problems
    data, lines, problems = parse_yaml(text, label)
    if problems:
        return None, {}, problems
    loaded, problems = validate(model, data, lines, label, typed_texts(text))
    return loaded, lines, problems
