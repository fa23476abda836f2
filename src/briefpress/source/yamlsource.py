"""Read YAML into typed models, reporting every problem with its file and line."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from ..errors import Problem

Model = TypeVar("Model", bound=BaseModel)
FieldPath = tuple[str | int, ...]


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe loader that refuses duplicate mapping keys."""


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode) -> dict:
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
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


def _lines_by_path(node: yaml.Node | None, path: FieldPath = ()) -> dict[FieldPath, int]:
    """Map each field path in a composed YAML tree to its 1-based line."""
    if node is None:
        return {}
    lines = {path: node.start_mark.line + 1}
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            lines[(*path, key)] = key_node.start_mark.line + 1
            lines.update({k: v for k, v in _lines_by_path(value_node, (*path, key)).items()
                          if k != (*path, key)})
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines.update(_lines_by_path(item, (*path, index)))
    return lines


def parse_yaml(text: str, label: str) -> tuple[Any, dict[FieldPath, int], list[Problem]]:
    """Parse YAML text; return the data, the line of each field, and any problems."""
    try:
        node = yaml.compose(text, Loader=_UniqueKeyLoader)
        data = yaml.load(text, Loader=_UniqueKeyLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        message = error.problem or str(error)
        if error.context and error.problem:
            message = f"{error.context}, {error.problem}"
        return None, {}, [Problem(label, f"invalid YAML: {message}", line)]
    except yaml.YAMLError as error:
        return None, {}, [Problem(label, f"invalid YAML: {error}")]
    return data, _lines_by_path(node), []


def _field_name(location: FieldPath) -> str:
    parts: list[str] = []
    for part in location:
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


def _hint(model: type[BaseModel], location: FieldPath, message: str) -> str:
    """An unknown-key message with a "did you mean" for a near miss, else the keys allowed there."""
    known = _known_fields(model, location[:-1])
    key = str(location[-1])
    close = [name for name in known if _edits(key, name) <= max(1, len(key) // 4)]
    if close:
        return f"{message}; did you mean '{min(close, key=lambda name: _edits(key, name))}'?"
    return f"{message}; allowed here: {', '.join(known)}" if known else message


def _edits(first: str, second: str) -> int:
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
    model: type[Model], data: Any, lines: dict[FieldPath, int], label: str
) -> tuple[Model | None, list[Problem]]:
    """Validate parsed data against a model; every error becomes a located problem."""
    if data is None:
        return None, [Problem(label, "the file is empty; it must hold a mapping", 1)]
    try:
        return model.model_validate(data), []
    except ValidationError as error:
        problems = []
        for item in error.errors():
            location = tuple(item["loc"])
            message = _message(item, _known_fields(model, location), _required(model, location))
            if item["type"] == "extra_forbidden":
                message = _hint(model, location, "unknown key")
            problems.append(
                Problem(label, message, _nearest_line(lines, location), _field_name(location) or None)
            )
        # Unknown keys first: a misspelt key explains the "required field is missing" after it.
        problems.sort(key=lambda problem: not problem.message.startswith("unknown key"))
        return None, problems


def _required(model: type[BaseModel], location: FieldPath) -> list[str]:
    """The required keys of the mapping expected at `location`."""
    current: Any = model
    for part in location:
        if isinstance(part, int):
            continue
        field = getattr(current, "model_fields", {}).get(part)
        current = _inner_model(field.annotation) if field is not None else None
    return [name for name, field in getattr(current, "model_fields", {}).items() if field.is_required()]


def _message(item: Mapping[str, Any], keys: list[str], required: list[str]) -> str:
    """A validation error as a sentence that names what is expected."""
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
    if kind == "string_type" and isinstance(item.get("input"), int | float):
        return (f"must be text: quote a number that must stay text, e.g. \"{item['input']}\"")
    if kind == "string_type":
        return "must be text"
    if kind in {"int_type", "int_parsing"}:
        return "must be a whole number, unquoted, e.g. 3"
    if kind == "list_type":
        return "must be a list: one '- item' line per item, or [a, b]"
    message = item["msg"].removeprefix("Value error, ")
    return message[0].lower() + message[1:] if message else kind


def read_source(path: Path, label: str) -> tuple[str | None, list[Problem]]:
    """A source file's UTF-8 text, or the problem that stops it being read."""
    try:
        return path.read_text(encoding="utf-8"), []
    except FileNotFoundError:
        return None, [Problem(label, "file not found")]
    except UnicodeDecodeError as error:
        return None, [Problem(label, f"not UTF-8 text (byte {error.start})")]


def load_yaml_model(model: type[Model], path: Path, label: str) -> tuple[Model | None, list[Problem]]:
    """Read, parse and validate one YAML file."""
    text, problems = read_source(path, label)
    if text is None:
        return None, problems
    data, lines, problems = parse_yaml(text, label)
    if problems:
        return None, problems
    return validate(model, data, lines, label)
