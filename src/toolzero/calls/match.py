"""AST matcher: predicted calls against a possible-answer ground truth (METHOD.md section 3).

Semantics follow the Python branch of BFCL's ``ast_checker`` verdict for verdict, so that
our scores equal the official ones (``tests/test_bfcl_agreement.py`` checks every BFCL
item).  What that means in practice:

* the number of calls must equal the number of expected calls; expected calls are taken in
  order and each is matched to the first still-unmatched predicted call that fits, so the
  order of parallel calls is free;
* a call fits when its name is the expected name, every ``required`` parameter of the
  schema is present, every given argument is in the schema *and* in the ground truth,
  every value has the schema's type and is one of the accepted values, and every
  ground-truth argument without ``""`` among its accepted values is present;
* an ``int`` is accepted for a ``float`` parameter; tuples count as lists for ``tuple``
  parameters (JSON turns tuples into lists);
* strings are compared after BFCL's normalisation: spaces and ``,./-_*^`` removed,
  lower-cased, ``'`` read as ``"``; inside lists and one level of dicts too;
* a value whose type is not the schema's but is the type of the accepted values (BFCL
  writes variables as strings) is compared exactly, without normalisation;
* array items are type-checked one level deep, as BFCL does.

Known limits, the same as BFCL's: nested dicts inside dict values are compared with ``==``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from toolzero.schema import OPTIONAL, PYTHON_TYPES, ExpectedCall, GroundTruth, Param, SchemaError, Tool, ToolCall


class MatchError(str, Enum):
    """Why a prediction does not match (a stable taxonomy, like BFCL's ``error_type``)."""

    NONE = "none"
    WRONG_COUNT = "wrong_count"
    WRONG_NAME = "wrong_name"
    MISSING_REQUIRED = "missing_required"
    UNEXPECTED_ARG = "unexpected_arg"
    WRONG_TYPE = "wrong_type"
    WRONG_VALUE = "wrong_value"


@dataclass(frozen=True)
class MatchResult:
    """Verdict of :func:`match_calls`; ``message`` quotes the offending values."""

    valid: bool
    error: MatchError = MatchError.NONE
    message: str = ""


OK = MatchResult(True)

# BFCL's standardize_string: drop " ,./-_*^", lower-case, read ' as ".
_STRIP = str.maketrans("", "", " ,./-_*^")
_NESTED = ("array", "tuple")


def normalize_string(s: str) -> str:
    """BFCL's string normalisation, so that "April 1, 2024" equals "april 1 2024"."""
    return s.translate(_STRIP).lower().replace("'", '"')


def _norm(x: Any) -> Any:
    return normalize_string(x) if type(x) is str else x


def match_calls(
    predicted: Sequence[ToolCall], expected: GroundTruth, tools: Mapping[str, Tool] | Sequence[Tool]
) -> MatchResult:
    """Compare predicted calls with the ground truth.

    Args:
        predicted: parsed calls (``()`` for ``[]``).
        expected: the ground truth; ``()`` means "no call".
        tools: the task's tools, by name or as a list.

    Returns:
        A :class:`MatchResult`; for several expected calls, the error reported is the one
        from the first expected call that found no partner.

    Raises:
        SchemaError: if the ground truth names a tool that is not in ``tools``.

    >>> from toolzero.schema import Tool, parse_ground_truth
    >>> t = Tool.from_json({"name": "f", "parameters": {"type": "dict", "properties":
    ...     {"x": {"type": "float"}}, "required": ["x"]}})
    >>> match_calls([ToolCall("f", {"x": 2})], parse_ground_truth([{"f": {"x": [2.0]}}]), [t]).valid
    True
    """
    if not isinstance(tools, Mapping):
        tools = {t.name: t for t in tools}
    for exp in expected:
        if exp.name not in tools:
            raise SchemaError("ground_truth", f"calls {exp.name!r}, which is not among the tools {sorted(tools)}")
    if len(predicted) != len(expected):
        return MatchResult(False, MatchError.WRONG_COUNT, f"expected {len(expected)} call(s), got {len(predicted)}")
    matched: set[int] = set()
    for exp in expected:
        tool = tools[exp.name]
        failure: MatchResult | None = None
        for j, pred in enumerate(predicted):
            if j in matched:
                continue
            res = match_call(pred, exp, tool)
            if res.valid:
                matched.add(j)
                break
            if failure is None or (failure.error is MatchError.WRONG_NAME and res.error is not MatchError.WRONG_NAME):
                failure = res  # prefer the error of a same-name candidate: it says more
        else:
            return failure if failure is not None else MatchResult(False, MatchError.WRONG_COUNT, "no call left")
    return OK


def match_call(pred: ToolCall, exp: ExpectedCall, tool: Tool) -> MatchResult:
    """Compare one predicted call with one expected call, whose schema is ``tool``."""
    if pred.name != tool.name:
        return MatchResult(False, MatchError.WRONG_NAME, f"expected {tool.name!r}, got {pred.name!r}")
    schema = tool.parameters
    for req in schema.required:
        if req not in pred.args:
            return MatchResult(False, MatchError.MISSING_REQUIRED, f"missing required argument {req!r}")
    for arg, value in pred.args.items():
        spec = schema.properties.get(arg)
        if spec is None or arg not in exp.args:
            return MatchResult(False, MatchError.UNEXPECTED_ARG, f"unexpected argument {arg!r}")
        res = check_value(arg, value, spec, exp.args[arg])
        if not res.valid:
            return res
    for arg, accepted in exp.args.items():
        if arg not in pred.args and OPTIONAL not in accepted:
            return MatchResult(False, MatchError.MISSING_REQUIRED, f"argument {arg!r} is required by the answer")
    return OK


def _answer_type(accepted: Sequence[Any]) -> type | None:
    """Type of the first accepted value that is not the "may be omitted" marker."""
    for a in accepted:
        if a != OPTIONAL:
            return type(a)
    return None


def check_value(arg: str, value: Any, spec: Param, accepted: Sequence[Any]) -> MatchResult:
    """Type-check one argument against its schema, then compare it with the accepted values."""
    want = PYTHON_TYPES[spec.type]
    if spec.type == "tuple" and type(value) is tuple:
        value = list(value)  # a JSON round trip turns tuples into lists
    elif spec.type == "float" and type(value) is int:
        value = float(value)  # Python promotes int to float; BFCL allows it
    answer_type = _answer_type(accepted)
    # BFCL writes variables as strings: when the accepted values are not of the schema's
    # type, the value is compared as-is ("is_variable").
    is_variable = answer_type is not None and answer_type is not want
    if type(value) is want:
        if spec.type in _NESTED and not _items_typed(value, accepted, PYTHON_TYPES[spec.items.type]):
            return MatchResult(False, MatchError.WRONG_TYPE, f"{arg!r}: items of {value!r} are not {spec.items.type}")
    elif answer_type is not None and type(value) is answer_type:
        is_variable = True
    else:
        return MatchResult(False, MatchError.WRONG_TYPE, f"{arg!r}: expected {spec.type}, got {type(value).__name__} {value!r}")
    if is_variable:
        ok = value in accepted
    elif want is dict:
        ok = _dict_ok(value, accepted)
    elif want is list and spec.items.type == "dict":
        ok = _list_of_dicts_ok(value, accepted)
    elif want is str:
        ok = normalize_string(value) in [normalize_string(a) for a in accepted if type(a) is str]
    elif want is list:
        ok = [_norm(v) for v in value] in [[_norm(x) for x in a] for a in accepted if isinstance(a, (list, tuple, str))]
    else:
        ok = value in accepted
    if not ok:
        return MatchResult(False, MatchError.WRONG_VALUE, f"{arg!r}: {value!r} is not one of {list(accepted)!r}")
    return OK


def _items_typed(value: list, accepted: Sequence[Any], item_type: type) -> bool:
    """Each item has the item type (or the accepted items' type), for some accepted list.

    As in BFCL, an accepted value that is not a list (such as ``""``) imposes nothing.
    """
    for a in accepted:
        if type(a) is not list:
            return True
        inner = _answer_type(a)
        if all(type(v) is item_type or (inner is not None and type(v) is inner) for v in value):
            return True
    return False


def _dict_ok(value: dict, accepted: Sequence[Any]) -> bool:
    return any(type(a) is dict and _one_dict_ok(value, a) for a in accepted if a != OPTIONAL)


def _one_dict_ok(value: Any, answer: dict) -> bool:
    """One level of dict: every key known and its value accepted; omitted keys optional."""
    if type(value) is not dict:
        return False
    for key, v in value.items():
        if key not in answer:
            return False
        options = answer[key]
        if not isinstance(options, (list, tuple, str)):
            return False
        if _norm(v) not in [_norm(o) for o in options]:
            return False
    return all(key in value or (isinstance(opts, (list, tuple, str)) and OPTIONAL in opts) for key, opts in answer.items())


def _list_of_dicts_ok(value: list, accepted: Sequence[Any]) -> bool:
    """Lists of dicts match element by element, in order ("" matches the empty list)."""
    for a in accepted:
        if not isinstance(a, (list, str)) or len(value) != len(a):
            continue
        if all(type(d) is dict and _one_dict_ok(v, d) for v, d in zip(value, a)):
            return True
    return False


def tool_map(tools: Sequence[Tool]) -> dict[str, Tool]:
    """Index tools by name."""
    return {t.name: t for t in tools}

