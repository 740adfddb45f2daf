"""Errors of the rule layer.

A rule file is data that the city edits; when it is wrong, the person editing it
needs the file and the place in it, not a Python traceback. Every problem found
while loading therefore becomes one ``RuleFileError`` whose ``str()`` reads like a
compiler message: ``file:line (path.in.document): what is wrong``.
"""

from __future__ import annotations

from pathlib import Path


class RuleError(Exception):
    """Base class for everything the rule layer raises on purpose."""


class RuleFileError(RuleError):
    """A rule, golden-case or facts file cannot be used as it stands."""

    def __init__(
        self, file: Path | str, location: str, message: str, *, line: int | None = None
    ) -> None:
        self.file = str(file)
        self.location = location
        self.message = message
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        if self.location:
            where = f"{where} ({self.location})"
        return f"{where}: {self.message}"


class UnknownRuleSetError(RuleError):
    """No rule set with this id is in force on the asked date."""
