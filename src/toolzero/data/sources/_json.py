"""Fields of a source record: JSON (or Python-literal) text inside a field, required fields, references."""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Mapping
from typing import Any

from toolzero.data.sources._skip import Skip


def loads_json(text: Any, what: str) -> Any:
    """``json.loads`` for a field that may hold JSON text; raises :class:`Skip`."""
    if not isinstance(text, str):
        return text
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise Skip("bad_json", f"{what}: {e.msg} at char {e.pos}") from None


def loads_loose(text: str, what: str) -> Any:
    """JSON, or else a Python literal (several sources print dicts with ``repr``)."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        pass
    try:
        return ast.literal_eval(text.strip())
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        raise Skip("bad_json", f"{what}: neither JSON nor a Python literal: {text[:80]!r}") from None


def field(rec: Any, key: str) -> Any:
    """``rec[key]``, or :class:`Skip` ``missing_field``."""
    if not isinstance(rec, dict):
        raise Skip("bad_record", f"expected an object, got {type(rec).__name__}")
    if key not in rec or rec[key] is None:
        raise Skip("missing_field", f"{key!r}")
    return rec[key]


def has_reference(value: Any, pattern: re.Pattern[str]) -> bool:
    """True when a value (nested) contains a string matching ``pattern``."""
    if isinstance(value, str):
        return pattern.search(value) is not None
    if isinstance(value, Mapping):
        return any(has_reference(v, pattern) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(has_reference(v, pattern) for v in value)
    return False
