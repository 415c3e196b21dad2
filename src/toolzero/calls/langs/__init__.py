"""BFCL's Java and JavaScript categories (``simple_java``, ``simple_javascript``), scored as BFCL does.

A prompting model answers these in the usual ``[func(arg=value)]`` form; BFCL tells it that every
parameter is a string holding a Java 8 / JavaScript value.  BFCL (bfcl-eval 2026.3.23) then:

1. decodes the answer with a Java / JavaScript parser, not Python's (``default_decode_ast_prompting``
   with ``ReturnFormat.JAVA`` / ``JAVASCRIPT``: tree-sitter in ``model_handler/parser/java_parser.py``
   and ``js_parser.py``).  Every argument value comes out as *source text*: a string literal loses
   its quotes (escapes are kept as written), anything else is its source (Java re-prints some
   expressions without spaces).  -> :func:`decode_calls` (:mod:`.decode`, over the tokenizer in
   :mod:`.lexer` and the parsers in :mod:`.java` and :mod:`.javascript`)
2. converts each value's text by the parameter's Java / JavaScript type (``java_type_converter``,
   ``js_type_converter`` in ``eval_checker/ast_eval/type_convertor/``): ``"42L"`` is a long 42,
   ``"new ArrayList<>(Arrays.asList(1, 2))"`` a list, ``"{a: 1}"`` a dict; text that does not read as
   the type stays a string.  -> :func:`java_type_converter`, :func:`js_type_converter` (:mod:`.convert`)
3. checks the converted values exactly like Python values (``simple_function_checker``): the same
   type check, string normalisation and possible-answer comparison, without the int -> float
   promotion (it never applies: the converters give floats).  -> ``match_calls(..., language=...)``
   converts with :func:`convert_calls`, then runs the Python matcher.

The functions here mirror BFCL's, regular expressions included, so that our verdicts equal BFCL's
(``tests/test_java_js.py`` checks every item, with perturbations).  BFCL's decoder quirks are mirrored
too: a Java call without a trailing ``;`` whose text is under 11 characters fails to parse
(tree-sitter's error recovery), Java takes the first method call found in the expression,
positional arguments other than bare names are dropped, a repeated argument name is an error,
and JavaScript keeps the first statement that is a call.  Our parser
covers the expressions a model writes (literals, names, calls, member access, operators, ``new``,
arrays, objects, lambdas / arrow functions); rarer syntax that tree-sitter would accept (statements,
declarations, class bodies with code) is a syntax error here: an answer that is wrong for us may
be readable by BFCL in such cases.

:func:`source_calls` (:mod:`.source`) goes the other way, from possible-answer values to the source
text a model writes (used to render reference answers); :func:`function_doc` (:mod:`.docs`) is BFCL's
rewriting of a Java / JavaScript function description for the prompt
(``_func_doc_language_specific_pre_processing``).
"""

from toolzero.calls.langs.convert import (
    JAVA,
    JAVASCRIPT,
    PYTHON,
    NotAString,
    convert_calls,
    convert_value,
    java_type_converter,
    js_type_converter,
)
from toolzero.calls.langs.decode import decode_calls
from toolzero.calls.langs.docs import function_doc, language_hint
from toolzero.calls.langs.source import quote_source, render_source_calls, source_calls, to_source
from toolzero.schema import language_of

__all__ = [
    "JAVA", "JAVASCRIPT", "PYTHON", "NotAString", "convert_calls", "convert_value", "decode_calls", "function_doc",
    "java_type_converter", "js_type_converter", "language_hint", "language_of", "quote_source", "render_source_calls",
    "source_calls", "to_source",
]
