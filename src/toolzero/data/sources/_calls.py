"""Calls written as text: Python call syntax, a run of JSON values, a JSON call object."""

from __future__ import annotations

import ast
import json
import keyword
import re
from collections.abc import Iterator, Sequence
from typing import Any

from toolzero.data.sources._json import loads_json
from toolzero.data.sources._skip import Skip

_KW_PREFIX = "kw__"
_KEYWORD_ARG = re.compile(r"([(,]\s*)(" + "|".join(keyword.kwlist) + r")\s*=(?!=)")
_JSON_WORDS = {"true": True, "false": False, "null": None, "True": True, "False": False, "None": None}


def _literal(node: ast.AST) -> Any:
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name) and node.id in _JSON_WORDS:
        return _JSON_WORDS[node.id]
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return [_literal(e) for e in node.elts]
    if isinstance(node, ast.Dict):
        if any(k is None for k in node.keys):
            raise ValueError("** in dict")
        return {_literal(k): _literal(v) for k, v in zip(node.keys, node.values)}
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        v = _literal(node.operand)
        if type(v) in (int, float):
            return -v if isinstance(node.op, ast.USub) else v
    raise ValueError(f"not a literal: {ast.unparse(node)[:60]}")


def parse_python_calls(text: str) -> list[tuple[str, dict[str, Any]]]:
    """Calls written as Python: ``[f(a=1), g(b="x")]``, ``f(a=1)`` or ``r = mod.f(a=1)``.

    Names keep their dots (``mod.f``); JSON words ``true/false/null`` are accepted as values.
    Raises :class:`Skip` ``bad_call`` for anything else (positional arguments included).
    """
    src = text.strip()
    try:
        tree = ast.parse(src, mode="exec")
    except SyntaxError as e:
        # Argument names that are Python keywords (``from="EUR"``) are renamed, parsed, renamed back.
        renamed = _KEYWORD_ARG.sub(lambda m: f"{m.group(1)}{_KW_PREFIX}{m.group(2)}=", src)
        try:
            tree = ast.parse(renamed, mode="exec")
        except SyntaxError:
            raise Skip("bad_call", f"not Python call syntax ({e.msg}): {src[:80]!r}") from None
    calls: list[tuple[str, dict[str, Any]]] = []
    for stmt in tree.body:
        node = stmt.value if isinstance(stmt, (ast.Expr, ast.Assign)) else None
        elements = node.elts if isinstance(node, (ast.List, ast.Tuple)) else [node]
        for el in elements:
            if not isinstance(el, ast.Call):
                raise Skip("bad_call", f"not a function call: {src[:80]!r}")
            name = ast.unparse(el.func)
            if el.args:
                raise Skip("bad_call", f"{name}: positional arguments are not supported")
            args: dict[str, Any] = {}
            for kw in el.keywords:
                if kw.arg is None:
                    raise Skip("bad_call", f"{name}: **kwargs are not supported")
                try:
                    args[kw.arg.removeprefix(_KW_PREFIX)] = _literal(kw.value)
                except ValueError as e:
                    raise Skip("bad_call", f"{name}.{kw.arg}: {e}") from None
            calls.append((name, args))
    return calls


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
