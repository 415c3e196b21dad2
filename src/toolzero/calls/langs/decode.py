"""Step 1 of BFCL's Java / JavaScript scoring: an answer decoded into calls whose values are source text."""

from __future__ import annotations

from toolzero.calls.langs.convert import JAVA
from toolzero.calls.langs.java import JavaParser
from toolzero.calls.langs.javascript import JsParser
from toolzero.calls.langs.lexer import LangSyntaxError
from toolzero.calls.parse import CallSyntaxError
from toolzero.schema import ToolCall


def decode_calls(answer: str, language: str) -> tuple[ToolCall, ...]:
    """BFCL's decoder for a Java / JavaScript answer (``default_decode_ast_prompting``).

    Values are the argument's source text (see :mod:`toolzero.calls.langs`).  Raises
    :class:`~toolzero.calls.parse.CallSyntaxError` where BFCL's decoder fails or finds no call.

    >>> decode_calls('[Foo.bar(a="x", b=new int[] {1, 2}, c=42L)]', "java")
    (ToolCall(name='Foo.bar', args={'a': 'x', 'b': 'new int[]{1,2}', 'c': '42L'}),)
    >>> decode_calls("[f(a='x', b=[1, 2], c={k: 1})]", "javascript")
    (ToolCall(name='f', args={'a': 'x', 'b': '[1, 2]', 'c': '{k: 1}'}),)
    """
    text = answer.strip("`\n ")
    if not text.startswith("["):
        text = "[" + text
    if not text.endswith("]"):
        text += "]"
    src = text[1:-1]
    try:
        call = JavaParser(src).program() if language == JAVA else JsParser(src).program()
    except (LangSyntaxError, RecursionError) as e:
        raise CallSyntaxError(f"{language} decoder: {e}") from None
    if call is None:
        raise CallSyntaxError(f"{language} decoder: no function call")
    return (call,)
