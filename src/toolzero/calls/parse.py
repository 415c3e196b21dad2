"""Parse a raw completion into think text, answer text and calls (METHOD.md section 2).

The answer is a Python-style list of keyword-only calls, read with :mod:`ast` (never
``eval``).  Values must be literals: strings, numbers, booleans, ``None``, and lists,
tuples and dicts of them; a leading minus sign is allowed.  Parsing never raises: bad
input gives ``calls=None`` and a ``reason``.

:func:`read_calls` is the one reader of Python call syntax in the project; a
:class:`CallSyntax` says how lenient it is.  The reward's answers (:func:`parse_call_list`),
BFCL's "was a call made" decision (:func:`toolzero.calls.relevance.makes_call`) and the
dataset converters (``toolzero.data.sources._calls.parse_python_calls``) each use it with
their own options.
"""

from __future__ import annotations

import ast
import keyword
import operator
import re
from dataclasses import dataclass
from typing import Any, Literal

from toolzero.schema import ToolCall

THINK_OPEN, THINK_CLOSE = "<think>", "</think>"
ANSWER_OPEN, ANSWER_CLOSE = "<answer>", "</answer>"
_STRICT_FORMAT = re.compile(r"\A\s*<think>(.*?)</think>\s*<answer>(.*?)</answer>\s*\Z", re.DOTALL)
_ANSWER = re.compile(r"<answer>(.*?)</answer>", re.DOTALL)
_THINK = re.compile(r"<think>(.*?)</think>", re.DOTALL)
# Bound the work done on adversarial input: answers longer than this are not parsed.
MAX_ANSWER_CHARS = 20_000
_PARSE_ERRORS = (SyntaxError, ValueError, TypeError, RecursionError, MemoryError, OverflowError)
# Argument names that are Python keywords, renamed for parsing when a syntax allows them.
_KW_PREFIX = "kw__"
_KEYWORD_ARG = re.compile(r"([(,]\s*)(" + "|".join(keyword.kwlist) + r")\s*=(?!=)")


class CallSyntaxError(ValueError):
    """Text that is not call syntax a reader accepts; the message says why."""


@dataclass(frozen=True)
class ParsedCompletion:
    """What a completion says.

    Attributes:
        think: text inside the first ``<think>...</think>``, or ``None``.
        answer: text inside the first ``<answer>...</answer>`` (or after an ``<answer>`` that is
            never closed), or ``None`` when there is no ``<answer>`` at all.
        calls: the parsed calls (``()`` for ``[]``), or ``None`` when unparsable.
        format_ok: exactly one think block then one answer block, nothing else around
            them but whitespace, and a parsable answer (R_format = 1).
        reason: why ``calls`` is ``None`` or ``format_ok`` is false ("" when all is well).
    """

    think: str | None
    answer: str | None
    calls: tuple[ToolCall, ...] | None
    format_ok: bool
    reason: str = ""


def parse_completion(text: Any, *, allow_names: bool = False) -> ParsedCompletion:
    """Split a completion into think / answer / calls and judge its format.

    >>> p = parse_completion('<think>hi</think><answer>[f(a=1)]</answer>')
    >>> p.format_ok, p.calls
    (True, (ToolCall(name='f', args={'a': 1}),))
    """
    if not isinstance(text, str):
        return ParsedCompletion(None, None, None, False, f"completion is {type(text).__name__}, not str")
    think_m = _THINK.search(text)
    answer_m = _ANSWER.search(text)
    think = think_m.group(1) if think_m else None
    if answer_m is not None:
        answer, unclosed = answer_m.group(1), False
    else:
        start = text.find(ANSWER_OPEN)
        if start < 0:
            return ParsedCompletion(think, None, None, False, "no <answer>...</answer> block")
        # An <answer> that is never closed (the completion ran out of tokens) is still an answer:
        # METHOD 3 gives r_general = -0.5 only when there is no <answer> at all.  Its format is wrong.
        answer, unclosed = text[start + len(ANSWER_OPEN):], True
    try:
        calls = parse_call_list(answer, allow_names=allow_names)
    except CallSyntaxError as e:
        return ParsedCompletion(think, answer, None, False, f"unparsable answer: {e}")
    reason = "unclosed <answer>" if unclosed else _format_problem(text)
    return ParsedCompletion(think, answer, calls, reason == "", reason)


def _format_problem(text: str) -> str:
    """Return "" if the completion is exactly <think>..</think><answer>..</answer>."""
    for tag in (THINK_OPEN, THINK_CLOSE, ANSWER_OPEN, ANSWER_CLOSE):
        n = text.count(tag)
        if n != 1:
            return f"{tag} appears {n} times, expected once"
    if not _STRICT_FORMAT.match(text):
        return "text outside <think>...</think><answer>...</answer> or tags out of order"
    return ""


def parse_call_list(text: str, *, allow_names: bool = False, require_list: bool = True) -> tuple[ToolCall, ...]:
    """Parse ``[f(a=1), g.h(b="x")]`` into calls.

    Args:
        text: the answer text.
        allow_names: read a bare name (``city=Paris``) as the string ``"Paris"``, as BFCL's
            decoder does. Off for rewards, which ask for literals.
        require_list: if false, a single bare call ``f(a=1)`` is accepted too.

    Raises:
        CallSyntaxError: with the reason, for anything that is not a list of literal calls.
    """
    src = text.strip()
    if not src:
        raise CallSyntaxError("empty answer")
    if len(src) > MAX_ANSWER_CHARS:
        raise CallSyntaxError(f"answer longer than {MAX_ANSWER_CHARS} characters")
    syntax = CallSyntax(bare_call=not require_list, values="names" if allow_names else "literal")
    return tuple(ToolCall(name=name, args=args) for name, args in read_calls(src, syntax))


@dataclass(frozen=True)
class CallSyntax:
    """How :func:`read_calls` reads Python call syntax; the defaults are the reward's strict answers.

    Attributes:
        statements: the text is statements (one per line or ``;``), each a call, a container of
            calls or an assignment of one (``r = f(a=1)``); else it is one expression.
        containers: the node types that may hold the calls (``ast.List`` for ``[f(), g()]``).
        bare_call: a single call outside any container is accepted too.
        dotted_names: the callee must be a (dotted) name; else any expression, named by its source.
        keyword_names: argument names that are Python keywords (``from="EUR"``) are read.
        drop_positional: positional arguments are dropped, unread; else they are an error.
        star_kwargs: ``**mapping`` arguments are read (their value checked), then dropped; else an error.
        values: how an argument value is read:
            ``"literal"``: strings, numbers, booleans, ``None``, a sign before a number, and lists,
            tuples and dicts (scalar keys) of them;
            ``"names"``: the same, and a bare name is its own text (``city=Paris``);
            ``"data"``: any constant, the JSON words ``true`` / ``false`` / ``null``, tuples and sets
            as lists, any hashable dict key;
            ``"bfcl"``: as BFCL's ``resolve_ast_by_type``: names as text, arithmetic on constants
            computed, nested calls and subscripts read as ``None``.
    """

    statements: bool = False
    containers: tuple[type[ast.expr], ...] = (ast.List,)
    bare_call: bool = False
    dotted_names: bool = True
    keyword_names: bool = False
    drop_positional: bool = False
    star_kwargs: bool = False
    values: Literal["literal", "names", "data", "bfcl"] = "literal"


def read_calls(src: str, syntax: CallSyntax) -> list[tuple[str, dict[str, Any]]]:
    """The calls written in ``src``, as ``(name, keyword arguments)`` in order; ``[]`` for ``[]``.

    Parsed once with :mod:`ast` (never evaluated).

    Raises:
        CallSyntaxError: with the reason, for anything ``syntax`` does not accept.
    """
    mode = "exec" if syntax.statements else "eval"
    try:
        tree = ast.parse(src, mode=mode)
    except _PARSE_ERRORS as e:
        if not (syntax.keyword_names and isinstance(e, SyntaxError)):
            raise CallSyntaxError(_syntax_problem(e)) from None
        # Argument names that are Python keywords (``from="EUR"``) are renamed, parsed, renamed back.
        try:
            tree = ast.parse(_KEYWORD_ARG.sub(lambda m: f"{m.group(1)}{_KW_PREFIX}{m.group(2)}=", src), mode=mode)
        except _PARSE_ERRORS:
            raise CallSyntaxError(_syntax_problem(e)) from None
    try:
        if isinstance(tree, ast.Expression):
            return [_read_call(n, syntax) for n in _call_nodes(tree.body, syntax)]
        return [_read_call(n, syntax) for stmt in tree.body for n in _call_nodes(_statement_value(stmt), syntax)]
    except RecursionError:
        raise CallSyntaxError("nesting too deep") from None


def _syntax_problem(e: Exception) -> str:
    return f"not Python syntax ({type(e).__name__}: {getattr(e, 'msg', e)})"


def _statement_value(stmt: ast.stmt) -> ast.expr:
    if isinstance(stmt, (ast.Expr, ast.Assign)):
        return stmt.value
    raise CallSyntaxError(f"expected a call, got a {type(stmt).__name__} statement")


def _call_nodes(node: ast.expr, syntax: CallSyntax) -> list[ast.expr]:
    """The items that should be calls."""
    if isinstance(node, syntax.containers):
        return node.elts
    if syntax.bare_call and isinstance(node, ast.Call):
        return [node]
    raise CallSyntaxError(f"expected a list of calls, got {type(node).__name__}")


def _read_call(node: ast.expr, syntax: CallSyntax) -> tuple[str, dict[str, Any]]:
    if not isinstance(node, ast.Call):
        raise CallSyntaxError(f"list item is {type(node).__name__}, not a call")
    name = _dotted_name(node.func) if syntax.dotted_names else ast.unparse(node.func)
    if node.args and not syntax.drop_positional:
        raise CallSyntaxError(f"{name}: positional arguments are not allowed")
    args: dict[str, Any] = {}
    for kw in node.keywords:
        if kw.arg is None and not syntax.star_kwargs:
            raise CallSyntaxError(f"{name}: **kwargs is not allowed")
        value = _resolve(kw.value) if syntax.values == "bfcl" else _literal(kw.value, syntax.values)
        if kw.arg is not None:
            args[kw.arg.removeprefix(_KW_PREFIX) if syntax.keyword_names else kw.arg] = value
    return name, args


def _dotted_name(node: ast.expr) -> str:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        raise CallSyntaxError(f"function name must be a (dotted) name, got {type(node).__name__}")
    parts.append(node.id)
    return ".".join(reversed(parts))


_SCALARS = (str, int, float, bool, type(None))
_JSON_WORDS = {"true": True, "false": False, "null": None}


def _literal(node: ast.expr, values: str) -> Any:
    """An argument value for ``values`` "literal", "names" or "data" (see :class:`CallSyntax`)."""
    data = values == "data"
    if isinstance(node, ast.Constant):
        if not data and type(node.value) not in _SCALARS:
            raise CallSyntaxError(f"unsupported constant {node.value!r}")
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        if data:
            number = _literal(node.operand, values)
        else:
            number = node.operand.value if isinstance(node.operand, ast.Constant) else None
        if type(number) in (int, float):
            return -number if isinstance(node.op, ast.USub) else number
        raise CallSyntaxError("a sign may only precede a number")
    if isinstance(node, ast.List) or (data and isinstance(node, (ast.Tuple, ast.Set))):
        return [_literal(v, values) for v in node.elts]
    if isinstance(node, ast.Tuple):
        return tuple(_literal(v, values) for v in node.elts)
    if isinstance(node, ast.Dict):
        out = {}
        for k, v in zip(node.keys, node.values):
            if k is None:
                raise CallSyntaxError("**mapping is not allowed in a dict")
            key = _literal(k, values)
            if not (data or isinstance(key, _SCALARS)):
                raise CallSyntaxError(f"dict key must be a scalar, got {type(key).__name__}")
            value = _literal(v, values)
            try:
                out[key] = value
            except TypeError:  # an unhashable key (data)
                raise CallSyntaxError(f"dict key must be hashable, got {type(key).__name__}") from None
        return out
    if isinstance(node, ast.Name):
        if values == "names":
            return node.id
        if data and node.id in _JSON_WORDS:
            return _JSON_WORDS[node.id]
    raise CallSyntaxError(f"argument value must be a literal, got {type(node).__name__}")


# ---------------------------------------------------------------- values as BFCL's decoder reads them

_BINOPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
           ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod, ast.Pow: operator.pow}
_MAX_POWER = 10_000  # refuse to compute huge powers; BFCL would, but no answer needs it
_NO_VALUE = object()


def _resolve(node: ast.AST) -> Any:
    """The value BFCL's ``resolve_ast_by_type`` gives ``node``; raises where it raises."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.UnaryOp):  # BFCL negates the operand's .value, whatever the operator
        value = getattr(node.operand, "value", _NO_VALUE)
        if value is _NO_VALUE:
            raise CallSyntaxError("unary operand without a value")
        try:
            return -value
        except TypeError as e:
            raise CallSyntaxError(str(e)) from None
    if isinstance(node, (ast.List, ast.Tuple)):
        return [_resolve(v) for v in node.elts]
    if isinstance(node, ast.Dict):
        out = {}
        for k, v in zip(node.keys, node.values):
            if k is None:
                raise CallSyntaxError("dict unpacking")
            key = _resolve(k)
            try:
                out[key] = _resolve(v)
            except TypeError as e:  # an unhashable key
                raise CallSyntaxError(str(e)) from None
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
    raise CallSyntaxError(f"BFCL cannot resolve {type(node).__name__}")


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
            raise CallSyntaxError("power too large to compute")
        try:
            return _BINOPS[type(node.op)](left, right)
        except (TypeError, ValueError, ZeroDivisionError, OverflowError, MemoryError) as e:
            raise CallSyntaxError(str(e)) from None
    if isinstance(node, (ast.List, ast.Tuple)):
        return [_arithmetic(v) for v in node.elts] if isinstance(node, ast.List) else tuple(
            _arithmetic(v) for v in node.elts)
    raise CallSyntaxError(f"cannot evaluate {type(node).__name__}")
