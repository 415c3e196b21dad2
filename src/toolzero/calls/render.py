"""Canonical printing of calls: ``[name(arg=value, ...)]`` (METHOD.md sections 2 and 3)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from toolzero.schema import OPTIONAL, ExpectedCall, GroundTruth, Tool, ToolCall


def render_call(call: ToolCall) -> str:
    """``f(a=1, b='x')``: keyword arguments in the call's own order, values as Python literals."""
    args = ", ".join(f"{k}={v!r}" for k, v in call.args.items())
    return f"{call.name}({args})"


def render_calls(calls: Iterable[ToolCall]) -> str:
    """The answer list exactly as the policy should write it."""
    return "[" + ", ".join(render_call(c) for c in calls) + "]"


def render_answer(calls: Sequence[ToolCall], tools: Mapping[str, Tool] | Sequence[Tool] = (),
                  language: str = "python") -> str:
    """Calls with Python values (e.g. :func:`reference_calls`) as a model answers in ``language``.

    Python: :func:`render_calls`.  Java / JavaScript (BFCL's simple_java / simple_javascript): each
    value written as the Java / JavaScript source that BFCL's converter reads back as it, in a
    string, e.g. ``[Foo.bar(ids="new ArrayList<Long>(Arrays.asList(1L, 2L))", flag="true")]``
    (:func:`toolzero.calls.langs.source_calls`).
    """
    if language == "python":
        return render_calls(calls)
    from toolzero.calls.langs import render_source_calls, source_calls

    return render_source_calls(source_calls(calls, tools, language))


def reference_calls(gt: GroundTruth, *, keep_optional: bool = False, last: bool = False) -> tuple[ToolCall, ...]:
    """One concrete call per ground-truth call: an accepted value of each argument.

    The canonical reference (SFT targets, r_general) is the default: the first accepted value, and
    arguments that may be omitted (``""`` among the accepted values) left out, so that r_general
    does not pay for optional arguments (our choice; METHOD.md section 3 leaves it open).

    Args:
        gt: the ground truth.
        keep_optional: keep the arguments that may be omitted too, with their first accepted value
            that is not ``""``: a complete correct answer (as the matcher tests and replays use).
        last: take the last accepted value instead of the first.
    """
    return tuple(_reference_call(c, keep_optional, last) for c in gt)


def _reference_call(c: ExpectedCall, keep_optional: bool, last: bool) -> ToolCall:
    args: dict[str, Any] = {}
    for name, accepted in c.args.items():
        if OPTIONAL in accepted and not keep_optional:
            continue
        values = [a for a in accepted if a != OPTIONAL]
        if values:
            args[name] = concrete_value(values[-1] if last else values[0])
    return ToolCall(c.name, args)


def concrete_value(accepted: Any) -> Any:
    """Turn one accepted value into a value a model would write.

    BFCL writes dict values (and lists of dicts) as possible-answer dicts, ``{"key":
    [accepted, ...]}``: take the first accepted value of each key, leaving out keys that may
    be omitted and have nothing else.
    """
    if type(accepted) is dict:
        out = {}
        for key, options in accepted.items():
            if not isinstance(options, list):
                out[key] = options
                continue
            values = [o for o in options if o != OPTIONAL]
            if values:
                out[key] = concrete_value(values[0])
        return out
    if type(accepted) is list and accepted and all(type(x) is dict for x in accepted):
        return [concrete_value(x) for x in accepted]
    return accepted


def render_toolrl(calls: Iterable[ToolCall]) -> str:
    """ToolRL's ``<tool_call>`` body: one JSON object per line."""
    return "\n".join(json.dumps({"name": c.name, "parameters": c.args}) for c in calls)


def render_n1(calls: Iterable[ToolCall]) -> str:
    """Tool-N1's ``<tool_call>`` body: one JSON list."""
    return json.dumps([{"name": c.name, "arguments": c.args} for c in calls])
