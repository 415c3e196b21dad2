"""Perturb a ground truth's reference answer systematically.

Used to check our matcher against BFCL's (every pair must get the same verdict) and to
benchmark both on the same inputs.  Each perturbation has a name; some may still be
correct answers (a wrong value that happens to be accepted), which is fine: only the two
checkers' verdicts are compared.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from toolzero.calls.render import reference_calls, render_calls
from toolzero.schema import Task, ToolCall


def _wrong_value(v: Any) -> Any:
    if type(v) is bool:
        return not v
    if type(v) is int:
        return v + 7
    if type(v) is float:
        return v + 1.5
    if type(v) is str:
        return v + " qz"
    if type(v) is list:
        return [*v, v[0]] if v else ["qz"]
    if type(v) is dict:
        return {**v, "qz_key": "qz"}
    return "qz"


def _wrong_type(v: Any) -> Any:
    if type(v) is str:
        return 12345
    if type(v) in (int, float):
        return str(v)
    if type(v) is bool:
        return "true"
    return "qz"


def _shout(v: Any) -> Any:
    """Upper-case with extra spaces: equal under BFCL's string normalisation."""
    if type(v) is str:
        return " " + v.upper() + " "
    if type(v) is list:
        return [_shout(x) for x in v]
    return v


def _with_arg(calls: list[ToolCall], i: int, name: str, value: Any = None, drop: bool = False) -> list[ToolCall]:
    args = dict(calls[i].args)
    if drop:
        args.pop(name, None)
    else:
        args[name] = value
    return [*calls[:i], ToolCall(calls[i].name, args), *calls[i + 1:]]


def perturbations(task: Task) -> Iterator[tuple[str, list[ToolCall]]]:
    """Yield ``(name, calls)``: the ground truth itself, then its perturbations."""
    base = list(reference_calls(task.ground_truth, keep_optional=True))
    yield "gold", base
    yield "gold_last_alternative", list(reference_calls(task.ground_truth, keep_optional=True, last=True))
    yield "gold_no_optional", list(reference_calls(task.ground_truth))
    yield "gold_shouted_strings", [ToolCall(c.name, {k: _shout(v) for k, v in c.args.items()}) for c in base]
    if not base:
        yield "spurious_call", [ToolCall(t.name, {}) for t in task.tools[:1]]
        return
    for i, call in enumerate(base[:2]):  # the first two calls are enough to cover every shape
        tool = task.tool(call.name)
        required = tool.parameters.required if tool else ()
        for name, value in list(call.args.items())[:3]:
            yield f"wrong_value[{i}].{name}", _with_arg(base, i, name, _wrong_value(value))
            yield f"wrong_type[{i}].{name}", _with_arg(base, i, name, _wrong_type(value))
        for name in required[:2]:
            yield f"missing_required[{i}].{name}", _with_arg(base, i, name, drop=True)
        yield f"extra_arg[{i}]", _with_arg(base, i, "qz_extra", 1)
        yield f"wrong_name[{i}]", [*base[:i], ToolCall(call.name + "_qz", call.args), *base[i + 1:]]
    yield "no_call", []
    yield "duplicated_call", [*base, base[0]]
    if len(base) > 1:
        yield "dropped_call", base[1:]
        yield "swapped_order", list(reversed(base))


def rendered_perturbations(task: Task) -> Iterator[tuple[str, str]]:
    """Like :func:`perturbations`, with each answer rendered as ``[f(a=1), ...]`` text."""
    for name, calls in perturbations(task):
        yield name, render_calls(calls)

