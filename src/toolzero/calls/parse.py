"""Parse a raw completion into think text, answer text and calls (METHOD.md section 2).

The answer is a Python-style list of keyword-only calls, read with :mod:`ast` (never
``eval``).  Values must be literals: strings, numbers, booleans, ``None``, and lists,
tuples and dicts of them; a leading minus sign is allowed.  Parsing never raises: bad
input gives ``calls=None`` and a ``reason``.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Any

from toolzero.schema import ToolCall

THINK_OPEN, THINK_CLOSE = "<think>", "</think>"
ANSWER_OPEN, ANSWER_CLOSE = "<answer>", "</answer>"
_STRICT_FORMAT = re.compile(r"\A\s*<think>(.*?)</think>\s*<answer>(.*?)</answer>\s*\Z", re.DOTALL)
_ANSWER = re.compile(r"<answer>(.*?)</answer>", re.DOTALL)
_THINK = re.compile(r"<think>(.*?)</think>", re.DOTALL)
# Bound the work done on adversarial input: answers longer than this are not parsed.
MAX_ANSWER_CHARS = 20_000
_PARSE_ERRORS = (SyntaxError, ValueError, TypeError, RecursionError, MemoryError, OverflowError)


class CallSyntaxError(ValueError):
    """Raised internally when an answer is not a list of literal keyword calls."""


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
    try:
        tree = ast.parse(src, mode="eval").body
    except _PARSE_ERRORS as e:
        raise CallSyntaxError(f"not Python syntax ({type(e).__name__}: {getattr(e, 'msg', e)})") from None
    if isinstance(tree, ast.Call) and not require_list:
        elts = [tree]
    elif isinstance(tree, ast.List):
        elts = tree.elts
    else:
        raise CallSyntaxError(f"expected a list of calls, got {type(tree).__name__}")
    try:
        return tuple(_call(e, allow_names) for e in elts)
    except RecursionError:
        raise CallSyntaxError("nesting too deep") from None


def _call(node: ast.expr, allow_names: bool) -> ToolCall:
    if not isinstance(node, ast.Call):
        raise CallSyntaxError(f"list item is {type(node).__name__}, not a call")
    name = _dotted_name(node.func)
    if node.args:
        raise CallSyntaxError(f"{name}: positional arguments are not allowed")
    args: dict[str, Any] = {}
    for kw in node.keywords:
        if kw.arg is None:
            raise CallSyntaxError(f"{name}: **kwargs is not allowed")
        args[kw.arg] = _literal(kw.value, allow_names)
    return ToolCall(name=name, args=args)


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


def _literal(node: ast.expr, allow_names: bool) -> Any:
    if isinstance(node, ast.Constant):
        if type(node.value) not in _SCALARS:
            raise CallSyntaxError(f"unsupported constant {node.value!r}")
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        operand = node.operand
        if isinstance(operand, ast.Constant) and type(operand.value) in (int, float):
            return -operand.value if isinstance(node.op, ast.USub) else operand.value
        raise CallSyntaxError("a sign may only precede a number")
    if isinstance(node, ast.List):
        return [_literal(v, allow_names) for v in node.elts]
    if isinstance(node, ast.Tuple):
        return tuple(_literal(v, allow_names) for v in node.elts)
    if isinstance(node, ast.Dict):
        out = {}
        for k, v in zip(node.keys, node.values):
            if k is None:
                raise CallSyntaxError("**mapping is not allowed in a dict")
            key = _literal(k, allow_names)
            if not isinstance(key, _SCALARS):
                raise CallSyntaxError(f"dict key must be a scalar, got {type(key).__name__}")
            out[key] = _literal(v, allow_names)
        return out
    if allow_names and isinstance(node, ast.Name):
        return node.id
    raise CallSyntaxError(f"argument value must be a literal, got {type(node).__name__}")
