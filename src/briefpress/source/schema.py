"""JSON Schemas of every YAML file, generated from the typed models, for editors' autocompletion."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from ..errors import Problem, UsageError
from .audiences import Profile, TagDeclarations
from .model import Annex, Facts, Publication
from .numbering import Numbering

SCHEMAS: dict[str, type[BaseModel]] = {
    "publication": Publication,
    "facts": Facts,
    "annex": Annex,
    "profile": Profile,
    "tags": TagDeclarations,
    "numbering": Numbering,
}
SCHEMA_DIR = "schemas"


def schema_text(model: type[BaseModel]) -> str:
    """A model's JSON Schema as stable, readable JSON."""
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema",
              **model.model_json_schema()}
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write_schemas(folder: Path) -> list[Path]:
    """Write `<name>.schema.json` for every YAML file kind; return the paths written."""
    if folder.exists() and not folder.is_dir():
        raise UsageError(Problem(folder, "is not a folder; --out names the folder the schemas go into"))
    written = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name, model in SCHEMAS.items():
            path = folder / f"{name}.schema.json"
            path.write_text(schema_text(model), encoding="utf-8")
            written.append(path)
    except OSError as error:
        raise UsageError(Problem(folder, f"cannot write the schemas ({error.strerror or error})")) \
            from error
    return written
