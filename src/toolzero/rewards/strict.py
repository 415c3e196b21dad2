"""r_strict: AST match with the multi-tool bonus and the invalid-parameter penalty (METHOD 3)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from toolzero.calls.match import MatchResult, match_calls
from toolzero.schema import GroundTruth, Tool, ToolCall


def invalid_parameter(calls: Sequence[ToolCall], tools: Mapping[str, Tool]) -> str:
    """Name the first argument outside its tool's schema or of the wrong type ("" if none).

    Types as :meth:`toolzero.schema.Param.fits` checks them: a bool is not an integer, array
    items one level deep.  Calls to unknown tools are a wrong name, not an invalid parameter.
    """
    for call in calls:
        tool = tools.get(call.name)
        if tool is None:
            continue
        props = tool.parameters.properties
        for arg, value in call.args.items():
            spec = props.get(arg)
            if spec is None:
                return f"{call.name}: argument {arg!r} is not in the schema"
            if not spec.fits(value):
                return f"{call.name}: {arg!r}={value!r:.60} is not of type {spec.type}"
    return ""


def strict_score(
    calls: tuple[ToolCall, ...] | None,
    gt: GroundTruth,
    tools: Mapping[str, Tool],
    bonus: float = 0.3,
    penalty: float = 0.3,
) -> tuple[float, dict[str, float], MatchResult | None]:
    """r_strict in [-penalty, 1 + bonus] and its parts.

    1.0 on a match (+bonus if there are two or more reference calls); otherwise -penalty if
    a call has an argument outside the schema or of the wrong type, else 0.  Unparsable
    answers score 0.
    """
    if calls is None:
        return 0.0, {"match": 0.0, "bonus": 0.0, "penalty": 0.0}, None
    result = match_calls(calls, gt, tools)
    if result.valid:
        b = bonus if len(gt) >= 2 else 0.0
        return 1.0 + b, {"match": 1.0, "bonus": b, "penalty": 0.0}, result
    p = -penalty if invalid_parameter(calls, tools) else 0.0
    return p, {"match": 0.0, "bonus": 0.0, "penalty": p}, result
