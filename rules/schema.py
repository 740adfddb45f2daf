"""The JSON Schema of rule files, generated from the pydantic models.

Committed as ``resources/rules/ruleset.schema.json`` so editors can validate rule
files; a test and ``python -m rules schema --check`` keep it equal to the models.
"""

from __future__ import annotations

import json
from pathlib import Path

from rules.fileformat import RuleSetFile
from rules.resources import rules_dir

SCHEMA_NAME = "ruleset.schema.json"


def schema_text() -> str:
    schema = RuleSetFile.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def schema_path(directory: Path | None = None) -> Path:
    return (directory or rules_dir()) / SCHEMA_NAME
