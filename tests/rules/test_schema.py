"""The committed JSON Schema is the one the models generate."""

from __future__ import annotations

import json
from pathlib import Path

from rules.schema import schema_path, schema_text


def test_committed_schema_equals_the_generated_one() -> None:
    committed = schema_path().read_text(encoding="utf-8")
    assert committed == schema_text(), "run: python -m rules schema --write"


def test_schema_describes_the_condition_kinds(shipped_dir: Path) -> None:
    schema = json.loads(schema_text())
    assert schema["title"] == "Loket rule set"
    names = set(schema["$defs"])
    for kind in (
        "AllNode",
        "AnyNode",
        "NotNode",
        "CompareNode",
        "MemberNode",
        "CoversNode",
        "EndsWithinNode",
        "ParamTrueNode",
        "ReferenceDateNode",
        "ParameterDef",
    ):
        assert kind in names
    assert set(schema["required"]) >= {
        "id",
        "version",
        "valid_from",
        "title",
        "purpose",
        "facts",
        "eligibility",
        "advice",
    }
    assert shipped_dir.joinpath("ruleset.schema.json") == schema_path()
