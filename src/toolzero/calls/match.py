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

Java and JavaScript: the decode step (:mod:`toolzero.calls.decode`) converts values from source
text by BFCL's type converters first; they are then compared by these same rules.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import Enum
from typing import Any, NamedTuple

from toolzero.schema import OPTIONAL, ExpectedCall, GroundTruth, Param, SchemaError, Tool, ToolCall


class MatchError(str, Enum):
    """Why a prediction does not match (a stable taxonomy, like BFCL's ``error_type``)."""

    NONE = "none"
    WRONG_COUNT = "wrong_count"
    WRONG_NAME = "wrong_name"
    MISSING_REQUIRED = "missing_required"
    UNEXPECTED_ARG = "unexpected_arg"
    WRONG_TYPE = "wrong_type"
    WRONG_VALUE = "wrong_value"


class MatchResult(NamedTuple):
    """Verdict of :func:`match_calls`; ``message`` quotes the offending values.

    The message is formatted only when read: building ``repr`` of values for every failed
    candidate would dominate the matcher's cost.  (A named tuple: cheap to create.)
    """

    valid: bool
    error: MatchError = MatchError.NONE
    template: str = ""
    values: tuple = ()

    @property
    def message(self) -> str:
        return self.template.format(*self.values) if self.values else self.template


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
    predicted: Sequence[ToolCall], expected: GroundTruth, tools: Mapping[str, Tool] | Sequence[Tool],
) -> MatchResult:
    """Compare predicted calls with the ground truth.

    Args:
        predicted: parsed calls (``()`` for ``[]``), with values in the task's language already
            converted (:func:`toolzero.calls.decode.decode` does it for Java / JavaScript).
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
    if type(tools) is not dict and not isinstance(tools, Mapping):
        tools = {t.name: t for t in tools}
    plans = [_plan(exp, tools) for exp in expected]
    if len(predicted) != len(plans):
        return MatchResult(False, MatchError.WRONG_COUNT, "expected {} call(s), got {}", (len(expected), len(predicted)))
    if len(plans) == 1:  # the common case: no pairing to search
        return plans[0].match(predicted[0])
    matched: set[int] = set()
    for plan in plans:
        failure: MatchResult | None = None
        for j, pred in enumerate(predicted):
            if j in matched:
                continue
            res = plan.match(pred)
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
    return _plan(exp, {exp.name: tool}).match(pred)


def check_value(arg: str, value: Any, spec: Param, accepted: Sequence[Any]) -> MatchResult:
    """Type-check one argument against its schema, then compare it with the accepted values."""
    return _ArgPlan(spec, tuple(accepted)).check(arg, value)


def _plan(exp: ExpectedCall, tools: Mapping[str, Tool]) -> _CallPlan:
    """The expected call compiled against its tool's schema, cached on the expected call."""
    tool = tools.get(exp.name)
    if tool is None:
        raise SchemaError("ground_truth", f"calls {exp.name!r}, which is not among the tools {sorted(tools)}")
    cached = exp.cache.get("plan")
    if cached is not None and cached.tool is tool:
        return cached
    plan = _CallPlan(exp, tool)
    exp.cache["plan"] = plan
    return plan


class _CallPlan:
    """Everything about one expected call that does not depend on the prediction."""

    __slots__ = ("tool", "name", "required", "args", "must_have")

    def __init__(self, exp: ExpectedCall, tool: Tool):
        self.tool = tool
        self.name = tool.name
        self.required = tool.parameters.required
        props = tool.parameters.properties
        # Arguments outside the schema or outside the answer are unexpected (no plan).
        self.args = {a: _ArgPlan(props[a], acc) for a, acc in exp.args.items() if a in props}
        self.must_have = tuple(a for a, acc in exp.args.items() if OPTIONAL not in acc)

    def match(self, pred: ToolCall) -> MatchResult:
        if pred.name != self.name:
            return MatchResult(False, MatchError.WRONG_NAME, "expected {!r}, got {!r}", (self.name, pred.name))
        args = pred.args
        for req in self.required:
            if req not in args:
                return MatchResult(False, MatchError.MISSING_REQUIRED, "missing required argument {!r}", (req,))
        plans = self.args
        for arg, value in args.items():
            plan = plans.get(arg)
            if plan is None:
                return MatchResult(False, MatchError.UNEXPECTED_ARG, "unexpected argument {!r}", (arg,))
            res = plan.check(arg, value)
            if res is not OK:
                return res
        for arg in self.must_have:
            if arg not in args:
                return MatchResult(False, MatchError.MISSING_REQUIRED, "argument {!r} is required by the answer", (arg,))
        return OK


def _answer_type(accepted: Sequence[Any]) -> type | None:
    """Type of the first accepted value that is not the "may be omitted" marker."""
    for a in accepted:
        if a != OPTIONAL:
            return type(a)
    return None


class _ArgPlan:
    """One argument: its schema type, the accepted values and their normalised forms."""

    __slots__ = ("spec", "accepted", "want", "item_type", "answer_type", "variable", "kind", "normalised", "convert")

    def __init__(self, spec: Param, accepted: tuple[Any, ...]):
        self.spec = spec
        self.accepted = accepted
        # BFCL's checker takes the schema's Python type and (Param.fit_types) an int for a "float"
        # or a tuple for a "tuple"; those are converted to the Python type first (Python promotes
        # int to float; a JSON round trip turns tuples into lists), then compared by it.
        self.want = spec.python_type
        self.convert = next((t for t in spec.fit_types(bfcl=True) if t is not self.want), None)
        # Array items are checked by BFCL's own rule, against the accepted values (_items_typed).
        self.item_type = spec.items.python_type if spec.type in _NESTED else None
        self.answer_type = _answer_type(accepted)
        # BFCL writes variables as strings: when the accepted values are not of the schema's
        # type, the value is compared as-is ("is_variable").
        self.variable = self.answer_type is not None and self.answer_type is not self.want
        self.normalised: Any = None
        if self.want is dict:
            self.kind = "dict"
        elif self.want is list and spec.items.type == "dict":
            self.kind = "list_of_dicts"
        elif self.want is str:
            self.kind = "str"
            self.normalised = frozenset(normalize_string(a) for a in accepted if type(a) is str)
        elif self.want is list:
            self.kind = "list"
            self.normalised = [[_norm(x) for x in a] for a in accepted if isinstance(a, (list, tuple, str))]
        else:
            self.kind = "exact"

    def check(self, arg: str, value: Any) -> MatchResult:
        if self.convert is not None and type(value) is self.convert:
            value = list(value) if self.convert is tuple else float(value)
        variable = self.variable
        if type(value) is self.want:
            if self.item_type is not None and not _items_typed(value, self.accepted, self.item_type):
                return MatchResult(False, MatchError.WRONG_TYPE, "{!r}: items of {!r} are not {}",
                                   (arg, value, self.spec.items.type))
        elif self.answer_type is not None and type(value) is self.answer_type:
            variable = True
        else:
            return MatchResult(False, MatchError.WRONG_TYPE, "{!r}: expected {}, got {} {!r}",
                               (arg, self.spec.type, type(value).__name__, value))
        kind = self.kind
        if variable or kind == "exact":
            ok = value in self.accepted
        elif kind == "str":
            ok = normalize_string(value) in self.normalised
        elif kind == "list":
            ok = [_norm(v) for v in value] in self.normalised
        elif kind == "dict":
            ok = _dict_ok(value, self.accepted)
        else:
            ok = _list_of_dicts_ok(value, self.accepted)
        if not ok:
            return MatchResult(False, MatchError.WRONG_VALUE, "{!r}: {!r} is not one of {!r}", (arg, value, list(self.accepted)))
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
