"""Reference values and calls as BFCL possible answers: the conversion rules common to all sources.

Every converter turns a reference call into BFCL's possible-answer form with
:func:`expected_call`, which applies the same rules to all sources:

* each value becomes a one-element accepted list ``{"arg": [value]}``; arguments that the
  reference omits are not listed;
* a value of ``""`` or ``None`` means "not given": it becomes ``[""]`` (may be omitted);
* numeric strings are converted to numbers only where the schema says ``integer`` or
  ``number`` (and an integral float such as ``3.0`` becomes ``3`` for ``integer``); any other
  value whose Python type does not fit the schema type skips the record (``type_mismatch``);
* a scalar outside the schema's ``enum`` skips the record (``not_in_enum``; strings are
  compared after the matcher's normalisation, so ``"3D"`` is in ``["3d"]``);
* an argument that is not in the schema (``unknown_argument``), a required parameter that the
  reference does not give (``missing_required``) and a call to a tool that is not offered
  (``unknown_tool``) skip the record;
* dict values are written in possible-answer form (``{"key": [value]}``), as BFCL does; a
  value the matcher cannot represent (a list inside a dict nested in an argument: the
  matcher compares nested dicts with ``==`` after the renderer has picked first elements)
  skips the record (``unrepresentable``).

Converters raise :class:`Skip` for a record that does not convert; the loader catches it and
counts it in the :class:`~toolzero.data.report.LoadReport` as ``"kind: details"``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from toolzero.calls.match import normalize_string
from toolzero.calls.render import concrete_value
from toolzero.data.sources._skip import Skip
from toolzero.schema import OPTIONAL, Param, Tool

_INT = re.compile(r"\s*[+-]?\d+\s*")
_NUM = re.compile(r"\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*")


def fit_value(value: Any, spec: Param, where: str) -> Any:
    """``value`` checked against its schema, with numeric strings made numbers (see module doc)."""
    t = spec.type
    if t == "any":
        return value
    if t == "string":
        if type(value) is not str:
            raise Skip("type_mismatch", f"{where}: expected string, got {type(value).__name__} {value!r:.60}")
    elif t == "integer":
        if type(value) is float and value.is_integer():
            value = int(value)
        elif type(value) is str and _INT.fullmatch(value):
            value = int(value)
        if type(value) is not int:
            raise Skip("type_mismatch", f"{where}: expected integer, got {type(value).__name__} {value!r:.60}")
    elif t == "float":
        if type(value) is str and _NUM.fullmatch(value):
            value = float(value)
        if type(value) not in (int, float):
            raise Skip("type_mismatch", f"{where}: expected number, got {type(value).__name__} {value!r:.60}")
    elif t == "boolean":
        if type(value) is not bool:
            raise Skip("type_mismatch", f"{where}: expected boolean, got {type(value).__name__} {value!r:.60}")
    elif t in ("array", "tuple"):
        if type(value) is tuple:
            value = list(value)
        if type(value) is not list:
            raise Skip("type_mismatch", f"{where}: expected array, got {type(value).__name__} {value!r:.60}")
        item = spec.items
        if item is not None and item.type != "any":
            value = [fit_value(v, item, f"{where}[{i}]") for i, v in enumerate(value)]
        return value
    elif t == "dict":
        if type(value) is not dict:
            raise Skip("type_mismatch", f"{where}: expected object, got {type(value).__name__} {value!r:.60}")
        return {k: (fit_value(v, spec.properties[k], f"{where}.{k}") if k in spec.properties and v not in (None, "") else v)
                for k, v in value.items()}
    if spec.enum is not None and value not in spec.enum and not (
            type(value) is str and normalize_string(value) in {normalize_string(e) for e in spec.enum if type(e) is str}):
        raise Skip("not_in_enum", f"{where}: {value!r:.60} is not one of {list(spec.enum)[:8]}")
    return value


def _encode(value: Any, spec: Param) -> tuple[Any, Any]:
    """(accepted value in possible-answer form, the concrete value it must render back to)."""
    if spec.type == "dict" and type(value) is dict:
        return {k: [v] for k, v in value.items()}, {k: v for k, v in value.items() if v != OPTIONAL}
    if (spec.type in ("array", "tuple") and spec.items is not None and spec.items.type == "dict"
            and type(value) is list and value and all(type(v) is dict for v in value)):
        return ([{k: [v] for k, v in d.items()} for d in value],
                [{k: v for k, v in d.items() if v != OPTIONAL} for d in value])
    return value, value


def expected_call(name: str, args: Any, tool: Tool) -> dict[str, dict[str, list[Any]]]:
    """One reference call as a possible-answer entry ``{name: {arg: [value]}}`` (see module doc)."""
    if not isinstance(args, dict):
        raise Skip("bad_call", f"{name}: arguments must be an object, got {type(args).__name__}")
    props = tool.parameters.properties
    out: dict[str, list[Any]] = {}
    for arg, value in args.items():
        spec = props.get(arg)
        if spec is None:
            raise Skip("unknown_argument", f"{name}.{arg} is not a parameter (known: {sorted(props)[:10]})")
        if value is None or value == OPTIONAL:
            out[arg] = [OPTIONAL]
            continue
        fitted = fit_value(value, spec, f"{name}.{arg}")
        accepted, want = _encode(fitted, spec)
        if concrete_value(accepted) != want:
            raise Skip("unrepresentable", f"{name}.{arg}: nested value {fitted!r:.80} cannot be written as a possible answer")
        out[arg] = [accepted]
    for req in tool.parameters.required:
        if req not in out or out[req] == [OPTIONAL]:
            raise Skip("missing_required", f"{name}: the reference does not give required {req!r}")
    return {name: out}


def ground_truth(calls: Sequence[tuple[str, Any]], tools: Sequence[Tool]) -> list[dict[str, dict[str, list[Any]]]]:
    """Possible-answer ground truth for reference calls ``[(name, args), ...]`` over ``tools``."""
    by_name = {t.name: t for t in tools}
    out = []
    for name, args in calls:
        tool = by_name.get(name)
        if tool is None:
            raise Skip("unknown_tool", f"calls {name!r}, not among the {len(by_name)} offered tools")
        out.append(expected_call(name, args, tool))
    return out


def merge_alternatives(alternatives: Sequence[list[dict[str, dict[str, list[Any]]]]]) -> list[dict[str, dict[str, list[Any]]]]:
    """Merge several complete possible answers into one, argument by argument.

    All alternatives must call the same functions in the same order; an argument's accepted
    values are the union over alternatives, plus ``""`` where some alternative omits it.
    This accepts every alternative (and mixtures of them).
    """
    first = alternatives[0]
    names = [next(iter(c)) for c in first]
    for alt in alternatives[1:]:
        if [next(iter(c)) for c in alt] != names:
            other = [next(iter(c)) for c in alt]
            raise Skip("unmergeable_alternatives", f"alternatives call different functions: {names} vs {other}")
    merged = []
    for i, name in enumerate(names):
        arg_names: list[str] = []
        for alt in alternatives:
            arg_names += [a for a in alt[i][name] if a not in arg_names]
        args = {}
        for a in arg_names:
            acc: list[Any] = []
            for alt in alternatives:
                for v in alt[i][name].get(a, [OPTIONAL]):
                    if v not in acc:
                        acc.append(v)
            args[a] = acc
        merged.append({name: args})
    return merged
