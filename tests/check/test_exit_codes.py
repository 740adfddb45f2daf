"""One table of exit codes for ``counter-app``: the command line and the window share it.

The window cannot import ``counter_app.cli`` (import-linter layers), so it used to
keep a copy of 21 "not recorded" with a comment; a copy drifts. These tests keep
every number in ``counter_app.exit_codes`` and each documented number where it was.
"""

from __future__ import annotations

import ast
from pathlib import Path

from counter_app import exit_codes
from counter_app.config import ConfigError

PACKAGE = Path(__file__).resolve().parents[2] / "counter_app"

# What scripts and the README rely on: a change here is a change of interface.
DOCUMENTED = {
    "EXIT_OK": 0,
    "EXIT_INTERNAL": 1,
    "EXIT_USAGE": 2,
    "EXIT_NO_GUI": 3,
    "EXIT_CONFIG": 4,
    "EXIT_INVALID_INSZ": 5,
    "EXIT_NO_BACKEND": 23,
    "EXIT_UNKNOWN_PROFILE": 6,
    "EXIT_SOURCES_UNREACHABLE": 7,
    "EXIT_RULES": 8,
    "EXIT_SANDBOX": 9,
    "EXIT_DECISION_REFUSED": 19,
    "EXIT_NOT_REGISTERED": 20,
    "EXIT_NOT_RECORDED": 21,
    "EXIT_REGISTRATION_UNCERTAIN": 22,
    "EXIT_INTERRUPTED": 130,
}


def _exit_constants_defined_in(path: Path) -> list[str]:
    """Module-level ``EXIT_* = <number>`` assignments (a private table of its own)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in tree.body:
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name) and target.id.startswith("EXIT_"):
                    found.append(target.id)
    return found


def test_the_numbers_stay_what_the_readme_documents() -> None:
    table = {
        name: getattr(exit_codes, name) for name in dir(exit_codes) if name.startswith("EXIT_")
    }
    assert table == DOCUMENTED


def test_configuration_errors_exit_with_the_tables_number() -> None:
    assert ConfigError.exit_code == exit_codes.EXIT_CONFIG


def test_neither_the_command_line_nor_the_window_keeps_its_own_copy() -> None:
    for module in ("cli.py", "ui/app.py"):
        assert _exit_constants_defined_in(PACKAGE / module) == [], module


def test_the_table_imports_nothing() -> None:
    """Both sides import it at start-up: it must stay free of Qt and of the layers."""
    tree = ast.parse((PACKAGE / "exit_codes.py").read_text(encoding="utf-8"))
    imports = [n for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)]
    assert all(isinstance(n, ast.ImportFrom) and n.module == "__future__" for n in imports)
