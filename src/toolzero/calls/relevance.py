"""Whether an answer "makes a call", as BFCL's relevance / irrelevance checker decides it.

BFCL's runner (``eval_runner`` relevance/irrelevance entries) counts a call as made when its
prompting decoder reads the answer without raising and the result is not empty.  That decoder
is more lenient than our reward parser (:func:`toolzero.calls.parse.parse_call_list`):
positional arguments are silently dropped (``f(1, 2)`` is the call ``f()``), arithmetic is
evaluated, any bare name is a string.  So a model that answers an irrelevant question with
``[divide(10, 2)]`` has made a call for BFCL, and it must for us too.

:func:`makes_call` mirrors that decision without BFCL's ``eval``: the answer is wrapped in
brackets and read by :func:`toolzero.calls.parse.read_calls` with BFCL's options
(:data:`BFCL_DECODER`): the body must be a call or a list / tuple / set of calls; each keyword
argument's value must be of a kind BFCL's decoder resolves (constants, negated numbers, lists,
dicts, tuples, names, calls, subscripts, arithmetic that evaluates on constants).  Lambdas,
comparisons, boolean operators, f-strings, attribute access and the like make BFCL's decoder
raise, so an answer holding one as an argument value makes no call.
``tests/test_eval_bfcl.py`` checks the verdicts against bfcl-eval's decoder.
"""

from __future__ import annotations

import ast

from toolzero.calls.parse import CallSyntax, CallSyntaxError, read_calls

# What BFCL's prompting decoder (``default_decode_ast_prompting``) reads without raising.
BFCL_DECODER = CallSyntax(containers=(ast.List, ast.Tuple, ast.Set), bare_call=True, dotted_names=False,
                          drop_positional=True, star_kwargs=True, values="bfcl")


def makes_call(answer: str | None) -> bool:
    """True when BFCL's prompting decoder reads ``answer`` as at least one function call."""
    if answer is None:
        return False
    text = answer.strip("`\n ")
    text = ("" if text.startswith("[") else "[") + text + ("" if text.endswith("]") else "]")
    try:
        return bool(read_calls(text.strip().strip("'"), BFCL_DECODER))
    except CallSyntaxError:
        return False
