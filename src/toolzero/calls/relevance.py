"""Whether an answer "makes a call", as BFCL's relevance / irrelevance checker decides it.

BFCL's runner (``eval_runner`` relevance/irrelevance entries) counts a call as made when its
prompting decoder reads the answer without raising and the result is not empty.  That decoder
is more lenient than our reward parser (:func:`toolzero.calls.parse.parse_call_list`):
positional arguments are silently dropped (``f(1, 2)`` is the call ``f()``), arithmetic is
evaluated, any bare name is a string.  So a model that answers an irrelevant question with
``[divide(10, 2)]`` has made a call for BFCL, and it must for us too.

:func:`makes_call` mirrors that decision without BFCL's ``eval``: the answer is wrapped in
brackets and parsed with Python's ``ast``; the body must be a call or a list / tuple / set of
calls; each keyword argument's value must be of a kind BFCL's decoder resolves (constants,
negated numbers, lists, dicts, tuples, names, calls, subscripts, arithmetic that evaluates
on constants).  Lambdas, comparisons, boolean operators, f-strings, attribute access and the
like make BFCL's decoder raise, so an answer holding one as an argument value makes no call.
``tests/test_eval_bfcl.py`` checks the verdicts against bfcl-eval's decoder.
"""

from __future__ import annotations

import ast
import operator
from typing import Any

_BINOPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
           ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod, ast.Pow: operator.pow}
_MAX_POWER = 10_000  # refuse to compute huge powers; BFCL would, but no answer needs it


class _Unresolvable(Exception):
    """A value BFCL's decoder cannot resolve (it raises)."""


def makes_call(answer: str | None) -> bool:
    """True when BFCL's prompting decoder reads ``answer`` as at least one function call."""
    if answer is None:
        return False
    text = answer.strip("`\n ")
    text = ("" if text.startswith("[") else "[") + text + ("" if text.endswith("]") else "]")
    try:
        body = ast.parse(text.strip().strip("'"), mode="eval").body
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return False
    calls = [body] if isinstance(body, ast.Call) else getattr(body, "elts", None)
    if not calls or not all(isinstance(c, ast.Call) for c in calls):
        return False  # [] decodes to nothing; a non-call element or no list at all raises
    try:
        for call in calls:
            for kw in call.keywords:
                _resolve(kw.value)
    except (_Unresolvable, RecursionError):
        return False
    return True


def _resolve(node: ast.AST) -> Any:
    """The value BFCL's ``resolve_ast_by_type`` gives ``node``; raises where it raises."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.UnaryOp):  # BFCL negates the operand's .value, whatever the operator
        value = getattr(node.operand, "value", _Unresolvable)
        if value is _Unresolvable:
            raise _Unresolvable("unary operand without a value")
        try:
            return -value
        except TypeError as e:
            raise _Unresolvable(str(e)) from None
    if isinstance(node, (ast.List, ast.Tuple)):
        return [_resolve(v) for v in node.elts]
    if isinstance(node, ast.Dict):
        out = {}
        for k, v in zip(node.keys, node.values):
            if k is None:
                raise _Unresolvable("dict unpacking")
            key = _resolve(k)
            try:
                out[key] = _resolve(v)
            except TypeError as e:  # an unhashable key
                raise _Unresolvable(str(e)) from None
        return out
    if isinstance(node, ast.BinOp):
        return _arithmetic(node)
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Call):
        for kw in node.keywords:
            _resolve(kw.value)
        return None
    if isinstance(node, ast.Subscript):
        return None
    raise _Unresolvable(type(node).__name__)


def _arithmetic(node: ast.AST) -> Any:
    """BFCL ``eval``s arithmetic; we compute it on constants only (a name would be a NameError)."""
    if isinstance(node, ast.Constant):  # None + 1 and the like raise below, as in Python
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        value = _arithmetic(node.operand)
        return -value if isinstance(node.op, ast.USub) else +value
    if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
        left, right = _arithmetic(node.left), _arithmetic(node.right)
        if isinstance(node.op, ast.Pow) and isinstance(right, int | float) and abs(right) > _MAX_POWER:
            raise _Unresolvable("power too large to compute")
        try:
            return _BINOPS[type(node.op)](left, right)
        except (TypeError, ValueError, ZeroDivisionError, OverflowError, MemoryError) as e:
            raise _Unresolvable(str(e)) from None
    if isinstance(node, (ast.List, ast.Tuple)):
        return [_arithmetic(v) for v in node.elts] if isinstance(node, ast.List) else tuple(
            _arithmetic(v) for v in node.elts)
    raise _Unresolvable(f"cannot evaluate {type(node).__name__}")
