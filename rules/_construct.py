"""Build already-valid frozen pydantic models without re-validating them.

The evaluator creates a dozen trace lines per advice and the bulk re-check
evaluates many citizens; validation of values the engine itself produced costs
ten times the evaluation. This does what ``BaseModel.model_construct`` does,
minus its per-field bookkeeping, for models whose every field we pass.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)
_set = object.__setattr__
_FIELDS: dict[type[BaseModel], frozenset[str]] = {}


def _check(cls: type[BaseModel], values: dict[str, Any]) -> frozenset[str]:
    names = frozenset(cls.model_fields)
    if values.keys() != names:
        missing = sorted(names - values.keys())
        extra = sorted(values.keys() - names)
        raise TypeError(f"{cls.__name__}: missing {missing}, unexpected {extra}")
    _FIELDS[cls] = names
    return names


def construct(cls: type[M], values: dict[str, Any]) -> M:
    """``cls`` from ``values``, which must name every field (checked once per class)."""
    names = _FIELDS.get(cls)
    if names is None or len(values) != len(names):
        names = _check(cls, values)
    obj = cls.__new__(cls)
    _set(obj, "__dict__", values)
    _set(obj, "__pydantic_fields_set__", set(names))
    _set(obj, "__pydantic_extra__", None)
    _set(obj, "__pydantic_private__", None)
    return obj
