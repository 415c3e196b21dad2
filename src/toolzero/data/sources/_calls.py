"""Calls written as text: Python call syntax, a run of JSON values, a JSON call object."""

from __future__ import annotations

import ast
import json
from collections.abc import Iterator, Sequence
from typing import Any

from toolzero.calls.parse import CallSyntax, CallSyntaxError, read_calls
from toolzero.data.sources._json import loads_json
from toolzero.data.sources._skip import Skip

# Dataset call text: statements, `r = f(...)`, callees as written (`mod.f`), JSON words, arguments named `from=`.
_DATA_CALLS = CallSyntax(statements=True, containers=(ast.List, ast.Tuple), bare_call=True, dotted_names=False,
                         keyword_names=True, values="data")


def parse_python_calls(text: str) -> list[tuple[str, dict[str, Any]]]:
    """Calls written as Python: ``[f(a=1), g(b="x")]``, ``f(a=1)`` or ``r = mod.f(a=1)``.

    Names keep their dots (``mod.f``); JSON words ``true/false/null`` are accepted as values.
    Raises :class:`Skip` ``bad_call`` for anything else (positional arguments included).
    """
    src = text.strip()
    try:
        return read_calls(src, _DATA_CALLS)
    except CallSyntaxError as e:
        raise Skip("bad_call", f"{e}: {src[:80]!r}") from None


def json_objects(text: str) -> Iterator[Any]:
    """Every JSON value in ``text``, one after the other (whitespace or newlines between them)."""
    dec = json.JSONDecoder()
    i, n = 0, len(text)
    while i < n:
        while i < n and text[i] in " \t\r\n,":
            i += 1
        if i >= n:
            return
        try:
            obj, i = dec.raw_decode(text, i)
        except json.JSONDecodeError as e:
            raise Skip("bad_json", f"call text: {e.msg}: {text[i:i + 60]!r}") from None
        yield obj


def name_args(
    call: Any, name_keys: Sequence[str] = ("name",), arg_keys: Sequence[str] = ("arguments", "parameters")
) -> tuple[str, Any]:
    """``(name, args)`` of a JSON call object such as ``{"name": ..., "arguments": {...}}``."""
    if not isinstance(call, dict):
        raise Skip("bad_call", f"a call must be an object, got {type(call).__name__}")
    name = next((call[k] for k in name_keys if isinstance(call.get(k), str)), None)
    if name is None:
        raise Skip("bad_call", f"call without a name: {json.dumps(call)[:80]}")
    args = next((call[k] for k in arg_keys if k in call), {})
    if isinstance(args, str):
        args = loads_json(args, f"{name} arguments") if args.strip() else {}
    if args is None:
        args = {}
    return name, args
