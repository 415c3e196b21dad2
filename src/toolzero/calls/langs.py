"""BFCL's Java and JavaScript categories (``simple_java``, ``simple_javascript``), scored as BFCL does.

A prompting model answers these in the usual ``[func(arg=value)]`` form; BFCL tells it that every
parameter is a string holding a Java 8 / JavaScript value.  BFCL (bfcl-eval 2026.3.23) then:

1. decodes the answer with a Java / JavaScript parser, not Python's (``default_decode_ast_prompting``
   with ``ReturnFormat.JAVA`` / ``JAVASCRIPT``: tree-sitter in ``model_handler/parser/java_parser.py``
   and ``js_parser.py``).  Every argument value comes out as *source text*: a string literal loses
   its quotes (escapes are kept as written), anything else is its source (Java re-prints some
   expressions without spaces).  -> :func:`decode_calls`
2. converts each value's text by the parameter's Java / JavaScript type (``java_type_converter``,
   ``js_type_converter`` in ``eval_checker/ast_eval/type_convertor/``): ``"42L"`` is a long 42,
   ``"new ArrayList<>(Arrays.asList(1, 2))"`` a list, ``"{a: 1}"`` a dict; text that does not read as
   the type stays a string.  -> :func:`java_type_converter`, :func:`js_type_converter`
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

:func:`source_calls` goes the other way, from possible-answer values to the source text a model
writes (used to render reference answers); :func:`function_doc` is BFCL's rewriting of a Java /
JavaScript function description for the prompt (``_func_doc_language_specific_pre_processing``).
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from toolzero.schema import Param, Tool, ToolCall, language_of

__all__ = [
    "JAVA", "JAVASCRIPT", "PYTHON", "NotAString", "convert_calls", "convert_value", "decode_calls", "function_doc",
    "java_type_converter", "js_type_converter", "language_hint", "language_of", "quote_source", "render_source_calls",
    "source_calls", "to_source",
]

PYTHON, JAVA, JAVASCRIPT = "python", "java", "javascript"


class LangSyntaxError(ValueError):
    """The answer is not a call BFCL's Java / JavaScript decoder reads."""


# ---------------------------------------------------------------------------------------------
# Step 2: BFCL's type converters (eval_checker/ast_eval/type_convertor), ported rule for rule.
# ---------------------------------------------------------------------------------------------

JAVA_TYPES = frozenset({"byte", "short", "integer", "float", "double", "long", "boolean", "char", "Array", "ArrayList",
                        "Set", "HashMap", "Hashtable", "Queue", "Stack", "String", "any"})
JS_TYPES = frozenset({"String", "integer", "float", "Bigint", "Boolean", "dict", "array", "any"})
# Types whose items BFCL converts and type-checks (NESTED_CONVERSION_TYPE_LIST in ast_checker.py).
NESTED_TYPES = frozenset({"Array", "ArrayList", "array"})


def java_type_converter(value: str, expected_type: str, nested_type: str | None = None) -> Any:
    """``java_type_converter``: Java source text -> Python value; text that does not fit stays a string.

    >>> java_type_converter("42L", "long"), java_type_converter("42", "long"), java_type_converter("1.5f", "float")
    (42, '42', 1.5)
    >>> java_type_converter('new HashMap<String, Object>() {{ put("a", 1); }}', "HashMap")
    {'a': 1}
    """
    if expected_type not in JAVA_TYPES:
        raise ValueError(f"Unsupported type: {expected_type}")
    if expected_type in ("byte", "short", "integer"):
        return int(value) if re.match(r"^-?\d+$", value) else str(value)
    if expected_type == "float":
        if not re.match(r"^-?\d+(\.\d+)?([eE][+-]?\d+)?[fF]$", value):
            return str(value)
        return float(re.sub(r"[fF]$", "", value))
    if expected_type == "double":
        return float(value) if re.match(r"^-?\d+(\.\d+)?([eE][+-]?\d+)?$", value) else str(value)
    if expected_type == "long":
        return int(re.sub(r"[lL]$", "", value)) if re.match(r"^-?\d+[lL]$", value) else str(value)
    if expected_type == "boolean":
        return value == "true" if value in ("true", "false") else str(value)
    if expected_type == "char":
        return str(value)  # BFCL's pattern r"^\'.$\'" never matches: chars stay as written
    if expected_type == "ArrayList":
        return _parse_arraylist(value, nested_type)
    if expected_type == "Array":
        return _parse_array(value, nested_type)
    if expected_type == "HashMap":
        return _parse_hashmap(value)
    if expected_type in ("String", "any"):
        return str(value)
    raise NotImplementedError(f"{expected_type} conversion is not implemented")  # Set, Hashtable, Queue, Stack


def _java_element(text: str, nested_type: str | None) -> Any:
    if nested_type in ("char", "String"):
        return text[1:-1]  # quotes removed, whatever they are
    return java_type_converter(text, nested_type) if nested_type else _parse_java_value(text)


def _parse_arraylist(s: str, nested_type: str | None) -> Any:
    m = re.search(r"new\s+ArrayList<\w*>\(Arrays\.asList\((.+?)\)\)", s)
    if m:
        return [_java_element(e.strip(), nested_type) for e in m.group(1).split(",")]
    m = re.search(r"new\s+ArrayList<\w*>\(\)\s*\{\{\s*(.+?)\s*\}\}", s, re.DOTALL)
    if m:
        return [_java_element(e.strip(), nested_type) for e in re.findall(r"add\((.+?)\)", m.group(1))]
    if re.search(r"new\s+ArrayList<\w*>\(\)", s):
        return []
    return s


def _parse_array(s: str, nested_type: str | None) -> Any:
    m = re.search(r"new\s+\w+\[\]\s*\{(.*?)\}", s)
    if not m:
        return s
    parts = [x.strip() for x in m.group(1).split(",") if x.strip()]
    if nested_type:
        return [java_type_converter(x, nested_type) for x in parts]
    return [_parse_java_value(x) for x in parts]


def _parse_hashmap(s: str) -> Any:
    m = re.search(r"new\s+HashMap<.*?>\s*\(\)\s*\{\s*\{?\s*(.*?)\s*\}?\s*\}", s, re.DOTALL)
    if m:
        out = {}
        if m.group(1).strip():
            for key, value in re.findall(r"put\(\"(.*?)\",\s*(.*?)\)", m.group(1)):
                out[key] = _parse_java_value(value.strip())
        return out
    if re.search(r"new\s+HashMap<.*?>\s*\(\)", s):
        return {}
    return s


def _parse_java_value(s: str) -> Any:
    """``parse_java_value``: a collection element whose type is not given."""
    if s == "true":
        return True
    if s == "false":
        return False
    if s.startswith('"') and s.endswith('"'):
        return s[1:-1]
    if re.match(r"^-?\d+[lL]$", s):
        return int(s[:-1])
    if re.match(r"^-?\d+(\.\d+)?([eE][+-]?\d+)?[fF]$", s):
        return float(re.sub(r"[fF]$", "", s))
    return _number_or_text(s)


def _number_or_text(s: str) -> Any:
    try:
        return int(s)
    except ValueError:
        try:
            return float(s)
        except ValueError:
            return s


def js_type_converter(value: str, expected_type: str, nested_type: str | None = None) -> Any:
    """``js_type_converter``: JavaScript source text -> Python value; text that does not fit stays a string.

    >>> js_type_converter("[1, 2]", "array", "integer"), js_type_converter("{a: 'x', b: true}", "dict")
    ([1, 2], {'a': 'x', 'b': True})
    >>> js_type_converter("12n", "Bigint"), js_type_converter("'hi'", "String"), js_type_converter("3", "float")
    (12, 'hi', 3.0)
    """
    if expected_type not in JS_TYPES:
        raise ValueError(f"Unsupported type: {expected_type}")
    if expected_type == "String":
        if not (value.startswith('"') and value.endswith('"')) and not (value.startswith("'") and value.endswith("'")):
            return str(value)
        return value[1:-1]
    if expected_type == "integer":
        return int(value) if re.match(r"^-?\d+$", value) else str(value)
    if expected_type == "float":
        return float(value) if re.match(r"^-?\d+(\.\d+)?$", value) else str(value)
    if expected_type == "Bigint":
        return int(value[:-1]) if re.match(r"^-?\d+n$", value) else str(value)
    if expected_type == "Boolean":
        return value == "true" if value in ("true", "false") else str(value)
    if expected_type in ("dict", "array"):
        return _parse_js_collection(value, expected_type, nested_type)
    return str(value)  # any


def _parse_js_collection(code: str, type_str: str, nested_type: str | None = None) -> Any:
    """``parse_js_collection``; any error inside gives the text back, as in BFCL."""
    code = code.strip()
    if type_str == "array":
        try:
            m2 = re.match(r"\[\s*\[.*?\]\s*(,\s*\[.*?\]\s*)*\]|\bnew\s+Array\(\s*\[.*?\]\s*(,\s*\[.*?\]\s*)*\)", code)
            if m2:
                out = []
                for idx, inner in enumerate(re.findall(r"\[(.*?)\]", m2.group(0))):
                    inner = inner.strip()
                    if idx == 0 and inner.startswith("["):
                        inner = inner[1:]
                    out.append([_parse_js_value(e.strip()) for e in inner.split(",")])
                return out
            m = re.match(r"\[(.*?)\]|\bnew\s+Array\((.*?)\)", code)
            if not m:
                return code
            body = m.group(1) if m.group(1) is not None else m.group(2)
            body = body.strip() if body is not None else ""
            parts = body.split(",") if body else []
            if nested_type:
                return [js_type_converter(e.strip(), nested_type, "String") if e.strip().startswith(("'", '"'))
                        else js_type_converter(e.strip(), nested_type) for e in parts]
            return [_parse_js_value(e.strip()) for e in parts]
        except Exception:  # noqa: BLE001 - BFCL's bare except
            return code
    if code == "{}":
        return {}
    m = re.match(r"\{(.*?)\}", code)
    if not m:
        return code
    try:
        out: dict[str, Any] = {}
        for key, value in re.findall(r"([^:]+):\s*(.*?)(?:,\s*(?=[^,]+:)|$)", m.group(1)):
            key = key.strip().strip("'\"")
            value = value.strip()
            if value.startswith("[") and value.endswith("]"):
                out[key] = _parse_js_collection(value, "array")
            elif value.startswith("{") and value.endswith("}"):
                out[key] = _parse_js_collection(value, "dict")
            else:
                out[key] = _parse_js_value(value.strip("'\""))
        return out
    except Exception:  # noqa: BLE001
        return code


def _parse_js_value(s: str) -> Any:
    s = s.strip()
    if s == "true":
        return True
    if s == "false":
        return False
    if (s.startswith('"') and s.endswith('"')) or (s.startswith("'") and s.endswith("'")):
        return s[1:-1]
    return _number_or_text(s)


class NotAString:
    """A decoded value that is not source text (a Python value given to a Java/JS tool): BFCL's
    ``type_error:java`` / ``type_error:js``.  Never equal to an accepted value, never of a schema type."""

    __slots__ = ("value",)

    def __init__(self, value: Any):
        self.value = value

    def __repr__(self) -> str:
        return f"NotAString({self.value!r})"


def convert_value(value: Any, spec: Param, language: str) -> Any:
    """One decoded argument converted by its parameter's BFCL type (``simple_function_checker``)."""
    if type(value) is not str:
        return NotAString(value)
    raw = spec.raw_type
    nested = spec.items.raw_type if raw in NESTED_TYPES and spec.items is not None else None
    convert = java_type_converter if language == JAVA else js_type_converter
    return convert(value, raw, nested) if nested else convert(value, raw)


def convert_calls(calls: Sequence[ToolCall], tools: Mapping[str, Tool], language: str) -> list[ToolCall]:
    """Decoded calls with each argument of a known tool and parameter converted (step 2 above).

    Arguments outside the schema and calls to unknown tools are left as they are: the matcher
    rejects them anyway, as BFCL does before converting.
    """
    if language not in (JAVA, JAVASCRIPT):
        raise ValueError(f"no type conversion for language {language!r}")
    out = []
    for call in calls:
        tool = tools.get(call.name)
        if tool is None:
            out.append(call)
            continue
        props = tool.parameters.properties
        out.append(ToolCall(call.name, {k: convert_value(v, props[k], language) if k in props else v
                                        for k, v in call.args.items()}))
    return out


# ---------------------------------------------------------------------------------------------
# Step 1: the decoder.  A small tokenizer and a recursive-descent parser per language.
# ---------------------------------------------------------------------------------------------

_OPS = sorted(""">>>= <<= >>= === !== **= &&= ||= ??= ... ?. ?? -> => :: ++ -- && || == != <= += -= *= /= %= &= |= ^= << **
              ( ) [ ] { } ; , . @ = < ! ~ ? : + - * / % & | ^ #""".split(), key=len, reverse=True)
_OPS = [o for o in _OPS if not o.startswith(">")]  # '>' is always its own token: Java generics close with it
_JAVA_NUMBER = re.compile(r"0[xX][0-9a-fA-F_]+[lL]?|0[bB][01_]+[lL]?|"
                          r"(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d[\d_]*)?[lLfFdD]?")
_JS_NUMBER = re.compile(r"0[xX][0-9a-fA-F_]+n?|0[bB][01_]+n?|0[oO][0-7_]+n?|"
                        r"(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d[\d_]*)?n?")
_IDENT = re.compile(r"[^\W\d][\w$]*|\$[\w$]*", re.UNICODE)
_IDENT_CONT = re.compile(r"[\w$]")


class _Tok:
    __slots__ = ("kind", "text", "start", "end", "nl")

    def __init__(self, kind: str, text: str, start: int, end: int, nl: bool):
        self.kind, self.text, self.start, self.end, self.nl = kind, text, start, end, nl  # nl: newline before it

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"{self.kind}:{self.text!r}"


class _Lexer:
    """Tokens on demand (JavaScript needs the parser's context to tell a regex from a division)."""

    def __init__(self, src: str, js: bool):
        self.src, self.js, self.pos = src, js, 0
        self.tok = self._scan()

    def _skip(self) -> bool:
        src, n, nl = self.src, len(self.src), False
        while self.pos < n:
            c = src[self.pos]
            if c in " \t\r\f\v\u00a0\ufeff":
                self.pos += 1
            elif c == "\n":
                nl = True
                self.pos += 1
            elif src.startswith("//", self.pos):
                end = src.find("\n", self.pos)
                self.pos = n if end < 0 else end
            elif src.startswith("/*", self.pos):
                end = src.find("*/", self.pos + 2)
                if end < 0:
                    raise LangSyntaxError("unterminated comment")
                nl = nl or "\n" in src[self.pos:end]
                self.pos = end + 2
            else:
                break
        return nl

    def _quoted(self, q: str, start: int) -> int:
        src, i = self.src, start + 1
        while i < len(src):
            c = src[i]
            if c == "\\":
                if i + 1 >= len(src) or (src[i + 1] == "\n" and not self.js):
                    raise LangSyntaxError("bad escape")
                i += 2
                continue
            if c == "\n":
                raise LangSyntaxError("newline in a string")
            if c == q:
                return i + 1
            i += 1
        raise LangSyntaxError("unterminated string")

    def _template(self, start: int) -> int:
        src, i, n = self.src, start + 1, len(self.src)
        while i < n:
            c = src[i]
            if c == "\\":
                i += 2
            elif c == "`":
                return i + 1
            elif src.startswith("${", i):
                depth, i = 1, i + 2
                while i < n and depth:
                    ch = src[i]
                    if ch in "'\"":
                        i = self._quoted(ch, i)
                        continue
                    if ch == "`":
                        i = self._template(i)
                        continue
                    depth += {"{": 1, "}": -1}.get(ch, 0)
                    i += 1
            else:
                i += 1
        raise LangSyntaxError("unterminated template")

    def _scan(self) -> _Tok:
        nl = self._skip()
        src, start = self.src, self.pos
        if start >= len(src):
            return _Tok("eof", "", start, start, nl)
        c = src[start]
        if c == '"' or (c == "'" and self.js):
            end = self._quoted(c, start)
            kind = "str"
        elif c == "'":  # Java: a character literal; tree-sitter takes several characters, but not none
            end = self._quoted("'", start)
            if end == start + 2:
                raise LangSyntaxError("empty character literal")
            kind = "char"
        elif c == "`" and self.js:
            end, kind = self._template(start), "tmpl"
        elif c.isdigit() or (c == "." and start + 1 < len(src) and src[start + 1].isdigit()):
            m = (_JS_NUMBER if self.js else _JAVA_NUMBER).match(src, start)
            end, kind = m.end(), "num"
            if end < len(src) and _IDENT_CONT.match(src[end]):
                raise LangSyntaxError(f"bad number near {src[start:end + 1]!r}")
        elif m := _IDENT.match(src, start):
            end, kind = m.end(), "name"
        elif c == ">":
            end, kind = start + 1, "op"
        else:
            op = next((o for o in _OPS if src.startswith(o, start)), None)
            if op is None:
                raise LangSyntaxError(f"unexpected character {c!r}")
            end, kind = start + len(op), "op"
        self.pos = end
        return _Tok(kind, src[start:end], start, end, nl)

    def next(self) -> _Tok:
        tok = self.tok
        self.tok = self._scan()
        return tok

    def regex(self) -> _Tok:
        """Re-read the current ``/`` or ``/=`` token as a regular-expression literal."""
        src, start = self.src, self.tok.start
        i, in_class = start + 1, False
        while True:
            if i >= len(src) or src[i] == "\n":
                raise LangSyntaxError("unterminated regex")
            c = src[i]
            if c == "\\":
                i += 2
                continue
            if c == "[":
                in_class = True
            elif c == "]":
                in_class = False
            elif c == "/" and not in_class:
                break
            i += 1
        i += 1
        while i < len(src) and "a" <= src[i] <= "z":  # tree-sitter's regex_flags: [a-z]+
            i += 1
        tok = _Tok("regex", src[start:i], start, i, self.tok.nl)
        self.pos = i
        self.tok = self._scan()
        return tok


class _Parser:
    """Shared machinery: token access, expectations, binary operators."""

    # binary operators by precedence (higher binds tighter); ">" forms are assembled from single '>' tokens
    PREC = {"??": 1, "||": 2, "&&": 3, "|": 4, "^": 5, "&": 6, "==": 7, "!=": 7, "===": 7, "!==": 7,
            "<": 8, ">": 8, "<=": 8, ">=": 8, "instanceof": 8, "in": 8, "<<": 9, ">>": 9, ">>>": 9,
            "+": 10, "-": 10, "*": 11, "/": 11, "%": 11, "**": 12}
    ASSIGN = frozenset({"=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<=", ">>=", ">>>=", "**=", "&&=", "||=", "??="})

    def __init__(self, src: str, js: bool):
        self.src = src
        self.lex = _Lexer(src, js)
        self.last_end = 0
        self.depth = 0

    @property
    def tok(self) -> _Tok:
        return self.lex.tok

    def take(self) -> _Tok:
        tok = self.lex.next()
        self.last_end = tok.end
        return tok

    def at(self, *texts: str) -> bool:
        return self.tok.kind in ("op", "name") and self.tok.text in texts

    def expect(self, text: str) -> _Tok:
        if not self.at(text):
            raise LangSyntaxError(f"expected {text!r}, got {self.tok.text!r}")
        return self.take()

    def guard(self) -> None:
        self.depth += 1
        if self.depth > 200:
            raise LangSyntaxError("nested too deeply")

    def gt_op(self) -> str | None:
        """An operator starting with '>' made of adjacent tokens ('>', '>=', '>>', '>>>', '>>=', '>>>=')."""
        src, i = self.src, self.tok.start
        if self.tok.text != ">" or self.tok.kind != "op":
            return None
        j = i + 1
        while j < len(src) and src[j] == ">" and j - i < 3:
            j += 1
        if j < len(src) and src[j] == "=" and not src.startswith("==", j) and not src.startswith("=>", j):
            j += 1
        return src[i:j]

    def take_op(self, op: str) -> None:
        """Consume the tokens that make up ``op`` (several '>' tokens and an '=' for the '>' forms)."""
        end = self.tok.start + len(op)
        while self.tok.kind != "eof" and self.tok.start < end:
            self.take()

    def binop(self) -> str | None:
        t = self.tok
        if t.kind == "op":
            if t.text == ">":
                return self.gt_op()
            return t.text if t.text in self.PREC or t.text in self.ASSIGN else None
        if t.kind == "name" and t.text in ("instanceof", "in"):
            return t.text
        return None

    def skip_balanced(self, open_: str, close: str) -> list[_Tok]:
        """Tokens from ``open_`` to its matching ``close`` (brackets of all kinds balanced)."""
        pairs = {"(": ")", "[": "]", "{": "}"}
        stack, toks = [], []
        if not self.at(open_):
            raise LangSyntaxError(f"expected {open_!r}")
        while True:
            t = self.tok
            if t.kind == "eof":
                raise LangSyntaxError("unbalanced brackets")
            if t.kind == "op" and t.text in pairs:
                stack.append(pairs[t.text])
            elif t.kind == "op" and t.text in (")", "]", "}"):
                if not stack or stack.pop() != t.text:
                    raise LangSyntaxError("unbalanced brackets")
            toks.append(self.take())
            if not stack:
                if toks[-1].text != close:
                    raise LangSyntaxError("unbalanced brackets")
                return toks


# Java nodes: ("tok", text) | ("str", literal) | ("char", literal) | ("raw", start, end) for names,
# class literals and method calls (BFCL prints their source as written) | ("newarr", type, init) |
# ("newobj", type, args) | ("seq", children) | ("assign", lhs, op, rhs) |
# ("call", start, end, object_span or None, method_name, args).
_JAVA_PRIMITIVES = frozenset({"byte", "short", "int", "long", "float", "double", "boolean", "char", "void"})
_JAVA_UNARY_START = ("name", "num", "str", "char")


# What tree-sitter reads as the target of an assignment (a name, a field, an array element); an
# argument like ``-x=1`` is something else, and BFCL's decoder drops it.
_LVALUE = re.compile(r"[\w$]+(\s*\.\s*[\w$]+|\s*\[[^\]]*\])*")


def _first_call(node: tuple) -> tuple | None:
    """The first method call in the expression, outermost first (BFCL's decoder searches the tree)."""
    kind = node[0]
    if kind == "call":
        return node
    children: list = []
    if kind == "seq":
        children = node[1]
    elif kind == "assign":
        children = [node[1], node[3]]
    elif kind == "newobj":
        children = [node[1], *node[2]]
    elif kind == "newarr":
        children = [node[1], node[2]]
    for child in children:
        found = _first_call(child)
        if found is not None:
            return found
    return None


class _JavaParser(_Parser):
    def __init__(self, src: str):
        super().__init__(src, js=False)

    def text(self, node: tuple, nested: bool = True) -> str:
        """BFCL's ``traverse_node``: how its Java decoder prints a value."""
        kind = node[0]
        if kind in ("str", "char"):
            return node[1] if nested else node[1][1:-1]
        if kind == "tok":
            return node[1]
        if kind in ("raw", "call"):
            return self.src[node[1]:node[2]]
        if kind == "newarr":
            return f"new {self.text(node[1])}[]{self.text(node[2])}"
        if kind == "newobj":
            return f"new {self.text(node[1])}({', '.join(self.text(a) for a in node[2])})"
        if kind == "assign":
            return self.text(node[1]) + node[2] + self.text(node[3])
        return "".join(self.text(c) for c in node[1])

    def seq_of(self, toks: list[_Tok]) -> tuple:
        return ("seq", [("tok", t.text) for t in toks])

    def expr(self) -> tuple:
        self.guard()
        try:
            if self.lambda_ahead():
                return self.lambda_()
            lhs = self.ternary()
            op = self.binop()
            if op in self.ASSIGN:
                self.take_op(op)
                return ("assign", lhs, op, self.expr())
            return lhs
        finally:
            self.depth -= 1

    def lambda_ahead(self) -> bool:
        t = self.tok
        if t.kind == "name" and self.src.startswith("->", self._after_space(t.end)):
            return True
        if self.at("("):
            depth, i, src = 0, t.start, self.src
            for i in range(t.start, len(src)):  # find the matching ')' by characters (no strings in lambda params)
                if src[i] == "(":
                    depth += 1
                elif src[i] == ")":
                    depth -= 1
                    if depth == 0:
                        return src.startswith("->", self._after_space(i + 1))
                elif src[i] in "\"'":
                    return False
        return False

    def _after_space(self, i: int) -> int:
        while i < len(self.src) and self.src[i].isspace():
            i += 1
        return i

    def lambda_(self) -> tuple:
        params = [("tok", self.take().text)] if self.tok.kind == "name" else self.seq_of(self.skip_balanced("(", ")"))[1]
        self.expect("->")
        body = self.seq_of(self.skip_balanced("{", "}")) if self.at("{") else self.expr()
        return ("seq", [*params, ("tok", "->"), body])

    def ternary(self) -> tuple:
        cond = self.binary(0)
        if not self.at("?"):
            return cond
        self.take()
        a = self.expr()
        self.expect(":")
        b = self.expr() if self.lambda_ahead() else self.ternary()
        return ("seq", [cond, ("tok", "?"), a, ("tok", ":"), b])

    def binary(self, min_prec: int) -> tuple:
        left = self.unary()
        while True:
            op = self.binop()
            if op is None or op in self.ASSIGN or op in ("??", "===", "!==", "**", "in") or self.PREC[op] < min_prec:
                return left
            self.take_op(op)
            right = self.type_() if op == "instanceof" else self.binary(self.PREC[op] + 1)
            left = ("seq", [left, ("tok", op), right])

    def unary(self) -> tuple:
        self.guard()
        try:
            if self.at("+", "-", "!", "~", "++", "--"):
                op = self.take().text
                return ("seq", [("tok", op), self.unary()])
            if self.at("(") and self.cast_ahead():
                self.take()
                typ = self.type_()
                self.expect(")")
                return ("seq", [("tok", "("), typ, ("tok", ")"), self.unary()])
            return self.postfix()
        finally:
            self.depth -= 1

    def cast_ahead(self) -> bool:
        """``(Type) operand``: a primitive type, or a type followed by something that starts an operand."""
        save = (self.lex.pos, self.lex.tok, self.last_end)
        try:
            self.take()
            if self.tok.kind == "name" and self.tok.text in _JAVA_PRIMITIVES:
                return True
            self.type_()
            if not self.at(")"):
                return False
            self.take()
            t = self.tok
            return t.kind in _JAVA_UNARY_START and t.text not in ("instanceof",) or self.at("(", "!", "~")
        except LangSyntaxError:
            return False
        finally:
            self.lex.pos, self.lex.tok, self.last_end = save

    def type_(self, dims: bool = True) -> tuple:
        """A type: (primitive | Name(.Name)*) [<args>] ([])*, printed by concatenation."""
        parts: list[tuple] = []
        if self.tok.kind != "name":
            raise LangSyntaxError(f"expected a type, got {self.tok.text!r}")
        parts.append(("tok", self.take().text))
        while self.at("."):
            parts.append(("tok", self.take().text))
            if self.tok.kind != "name":
                raise LangSyntaxError("expected a name")
            parts.append(("tok", self.take().text))
        if self.at("<"):
            parts.extend(self.type_args())
        while dims and self.at("[") and self._next_char_is("]"):
            parts.append(("tok", self.take().text))
            parts.append(("tok", self.expect("]").text))
        return ("seq", parts)

    def _next_char_is(self, ch: str) -> bool:
        return self.src[self._after_space(self.tok.end):].startswith(ch)

    def type_args(self) -> list[tuple]:
        parts = [("tok", self.expect("<").text)]
        if not self.at(">"):
            while True:
                if self.at("?"):
                    parts.append(("tok", self.take().text))
                    if self.at("extends", "super"):
                        parts.append(("tok", self.take().text))
                        parts.append(self.type_())
                else:
                    parts.append(self.type_())
                if not self.at(","):
                    break
                parts.append(("tok", self.take().text))
        parts.append(("tok", self.expect(">").text))
        return parts

    def args(self) -> list[tuple]:
        self.expect("(")
        out = []
        if not self.at(")"):
            while True:
                out.append(self.expr())
                if not self.at(","):
                    break
                self.take()
        self.expect(")")
        return out

    def postfix(self) -> tuple:
        start = self.tok.start
        node = self.primary()
        while True:
            if self.at("."):
                obj_span = (start, self.last_end)
                self.take()
                if self.at("class"):
                    self.take()
                    node = ("raw", start, self.last_end)
                elif self.tok.kind == "name":
                    name = self.take().text
                    if self.at("("):
                        args = self.args()
                        node = ("call", start, self.last_end, obj_span, name, args)
                    else:
                        node = ("seq", [node, ("tok", "."), ("tok", name)])
                else:
                    raise LangSyntaxError(f"unexpected {self.tok.text!r} after '.'")
            elif self.at("["):
                self.take()
                index = self.expr()
                self.expect("]")
                node = ("seq", [node, ("tok", "["), index, ("tok", "]")])
            elif self.at("++", "--"):
                node = ("seq", [node, ("tok", self.take().text)])
            elif self.at("::"):
                self.take()
                if self.tok.kind != "name":
                    raise LangSyntaxError("expected a method name after '::'")
                node = ("seq", [node, ("tok", "::"), ("tok", self.take().text)])
            else:
                return node

    def primary(self) -> tuple:
        t = self.tok
        if t.kind == "str":
            return ("str", self.take().text)
        if t.kind == "char":
            return ("char", self.take().text)
        if t.kind == "num":
            return ("tok", self.take().text)
        if t.kind == "name":
            if t.text == "new":
                return self.creation()
            if t.text in ("true", "false", "null", "this", "super"):
                return ("tok", self.take().text)
            if t.text in _JAVA_PRIMITIVES or t.text in ("class", "instanceof", "return", "if", "else", "for", "while"):
                raise LangSyntaxError(f"unexpected keyword {t.text!r}")
            self.take()
            if self.at("("):
                args = self.args()
                return ("call", t.start, self.last_end, None, t.text, args)
            return ("raw", t.start, t.end)
        if self.at("("):
            self.take()
            inner = self.expr()
            self.expect(")")
            return ("seq", [("tok", "("), inner, ("tok", ")")])
        raise LangSyntaxError(f"unexpected {t.text!r}")

    def creation(self) -> tuple:
        self.expect("new")
        typ = self.type_(dims=False)
        if self.at("["):
            sized = False
            while self.at("["):
                self.take()
                if not self.at("]"):
                    self.expr()
                    sized = True
                self.expect("]")
            if sized or not self.at("{"):
                raise LangSyntaxError("array creation without an initializer")  # BFCL's decoder fails on it
            return ("newarr", typ, self.initializer())
        args = self.args()
        if self.at("{"):
            self.skip_balanced("{", "}")  # an anonymous class body: BFCL's decoder drops it
        return ("newobj", typ, args)

    def initializer(self) -> tuple:
        parts = [("tok", self.expect("{").text)]
        while not self.at("}"):
            parts.append(self.initializer() if self.at("{") else self.expr())
            if not self.at(","):
                break
            parts.append(("tok", self.take().text))
        parts.append(("tok", self.expect("}").text))
        return ("seq", parts)

    def program(self) -> ToolCall:
        """``parse_java_function_call``: a method call, then nothing or ';' and more statements."""
        while self.at(";"):  # empty statements
            self.take()
        node = _first_call(self.expr())
        if node is None:
            raise LangSyntaxError("no method call")
        semicolon = self.at(";")
        if semicolon:
            self.take()
            while self.tok.kind != "eof":  # further statements: read, then ignored (BFCL keeps the first call)
                self.expr()
                if self.tok.kind != "eof":
                    self.expect(";")
        if self.tok.kind != "eof":
            raise LangSyntaxError(f"unexpected {self.tok.text!r} after the call")
        stripped = self.src.strip()
        if not semicolon and len(stripped) + 30 * stripped.count("\n") < 11:
            # tree-sitter's error recovery: without ';', a statement this short is an ERROR node
            raise LangSyntaxError("too short to parse without ';'")
        _, _, _, obj_span, name, args = node
        if obj_span is not None:
            name = f"{self.src[obj_span[0]:obj_span[1]]}.{name}"
        out: dict[Any, Any] = {}
        for a in args:
            if a[0] == "assign" and _LVALUE.fullmatch(self.source_of(a[1])):
                key, value = self.source_of(a[1]), self.text(a[3], nested=False)
            elif a[0] == "raw":  # a bare name or a class literal: BFCL files it under None
                key, value = None, self.text(a, nested=False)
            else:
                continue  # other positional arguments: BFCL's decoder drops them
            if key in out:
                raise LangSyntaxError("Multiple arguments with the same name are not supported.")
            out[key] = value
        return ToolCall(name, out)

    def source_of(self, node: tuple) -> str:
        """``get_text``: the node's source as written (names, objects of calls)."""
        if node[0] in ("raw", "call"):
            return self.src[node[1]:node[2]]
        return self.text(node)


# Names that tree-sitter-javascript reads as their own node types, not as identifiers.
_JS_NOT_IDENTIFIERS = frozenset({"false", "null", "undefined", "this", "super"})


class _JsParser(_Parser):
    """Spans only: BFCL's JavaScript decoder takes each value's source text as written."""

    def __init__(self, src: str):
        super().__init__(src, js=True)

    def expr(self, comma: bool = False) -> tuple[int, int, str, Any]:
        """An expression: (start, end, kind, extra); kind "call" carries (callee_span, args)."""
        node = self.assign()
        if comma:
            while self.at(","):
                self.take()
                last = self.assign()
                node = (node[0], last[1], "seq", None)
        return node

    def assign(self) -> tuple[int, int, str, Any]:
        self.guard()
        try:
            start = self.tok.start
            if self.arrow_ahead():
                return self.arrow()
            lhs = self.ternary()
            op = self.binop()
            if op in self.ASSIGN:
                self.take_op(op)
                rhs = self.assign()
                return (start, rhs[1], "assign" if op == "=" else "augmented", (lhs, rhs))
            return lhs
        finally:
            self.depth -= 1

    def arrow_ahead(self) -> bool:
        save = (self.lex.pos, self.lex.tok, self.last_end)
        try:
            if self.at("async"):
                rest = self.src[self._after_space(self.tok.end):]
                if rest.startswith("(") or _IDENT.match(rest):
                    self.take()
            if self.tok.kind == "name" and self.tok.text not in ("function", "new", "typeof", "void", "delete", "await"):
                self.take()
                return self.at("=>") and not self.tok.nl
            if self.at("("):
                self.skip_balanced("(", ")")
                return self.at("=>") and not self.tok.nl
            return False
        except LangSyntaxError:
            return False
        finally:
            self.lex.pos, self.lex.tok, self.last_end = save

    def _after_space(self, i: int) -> int:
        while i < len(self.src) and self.src[i] in " \t":
            i += 1
        return i

    def arrow(self) -> tuple[int, int, str, Any]:
        start = self.tok.start
        if self.at("async"):
            self.take()
        if self.at("("):
            self.params()
        else:
            self.take()
        self.expect("=>")
        if self.at("{"):
            self.skip_balanced("{", "}")
        else:
            self.assign()
        return (start, self.last_end, "arrow", None)

    def params(self) -> None:
        self.expect("(")
        while not self.at(")"):
            if self.at("..."):
                self.take()
            if self.at("[", "{"):
                self.skip_balanced(self.tok.text, "]" if self.tok.text == "[" else "}")
            elif self.tok.kind == "name":
                self.take()
            else:
                raise LangSyntaxError("bad parameter")
            if self.at("="):
                self.take()
                self.assign()
            if not self.at(","):
                break
            self.take()
        self.expect(")")

    def ternary(self) -> tuple[int, int, str, Any]:
        cond = self.binary(0)
        if not self.at("?"):
            return cond
        self.take()
        self.assign()
        self.expect(":")
        end = self.assign()
        return (cond[0], end[1], "seq", None)

    def binary(self, min_prec: int) -> tuple[int, int, str, Any]:
        left = self.unary()
        while True:
            op = self.binop()
            if op is None or op in self.ASSIGN or self.PREC[op] < min_prec:
                return left
            self.take_op(op)
            right = self.binary(self.PREC[op] + (0 if op == "**" else 1))
            left = (left[0], right[1], "seq", None)

    def unary(self) -> tuple[int, int, str, Any]:
        self.guard()
        try:
            if self.at("+", "-", "!", "~", "++", "--", "typeof", "void", "delete", "await"):
                start = self.take().start
                operand = self.unary()
                return (start, operand[1], "seq", None)
            return self.postfix()
        finally:
            self.depth -= 1

    def args(self) -> list[tuple[int, int, str, Any]]:
        self.expect("(")
        out = []
        while not self.at(")"):
            if self.at(","):  # an empty argument: tree-sitter-javascript reads "f(a,, b)" without an error
                self.take()
                continue
            if self.at("..."):
                start = self.take().start
                inner = self.assign()
                out.append((start, inner[1], "spread", None))
            else:
                out.append(self.assign())
            if not self.at(","):
                break
            self.take()
        self.expect(")")
        return out

    def postfix(self) -> tuple[int, int, str, Any]:
        node = self.primary()
        start = node[0]
        while True:
            if self.at(".", "?."):
                optional = self.take().text == "?."
                if optional and self.at("("):
                    args = self.args()
                    node = (start, self.last_end, "call", ((start, node[1]), args))
                elif optional and self.at("["):
                    self.skip_balanced("[", "]")
                    node = (start, self.last_end, "seq", None)
                elif self.tok.kind == "name" or self.at("#"):
                    if self.at("#"):
                        self.take()
                    if self.tok.kind != "name":
                        raise LangSyntaxError("expected a property name")
                    self.take()
                    node = (start, self.last_end, "seq", None)
                else:
                    raise LangSyntaxError(f"unexpected {self.tok.text!r} after '.'")
            elif self.at("["):
                self.take()
                self.expr(comma=True)
                self.expect("]")
                node = (start, self.last_end, "seq", None)
            elif self.at("("):
                callee = (start, node[1])
                args = self.args()
                node = (start, self.last_end, "call", (callee, args))
            elif self.tok.kind == "tmpl":
                self.take()
                node = (start, self.last_end, "seq", None)
            elif self.at("++", "--") and not self.tok.nl:
                self.take()
                node = (start, self.last_end, "seq", None)
            else:
                return node

    def primary(self) -> tuple[int, int, str, Any]:
        t = self.tok
        if t.kind in ("str", "num", "tmpl"):
            self.take()
            return (t.start, t.end, t.kind, None)
        if t.kind == "op" and t.text in ("/", "/="):
            r = self.lex.regex()
            self.last_end = r.end
            return (r.start, r.end, "regex", None)
        if t.kind == "name":
            if t.text == "new":
                self.take()
                if self.at("."):  # new.target
                    self.take()
                    self.take()
                    return (t.start, self.last_end, "seq", None)
                callee = self.member_only()
                if self.at("("):
                    self.args()
                return (t.start, max(callee[1], self.last_end), "seq", None)
            if t.text in ("function", "async") and (t.text == "function" or self._is_async_function()):
                if t.text == "async":
                    self.take()
                self.take()
                if self.at("*"):
                    self.take()
                if self.tok.kind == "name":
                    self.take()
                self.params()
                self.skip_balanced("{", "}")
                return (t.start, self.last_end, "function", None)
            if t.text in ("class", "const", "var", "if", "for", "while", "return", "throw", "try", "switch",
                          "import", "export", "break", "continue", "do", "else", "case", "default", "catch", "finally"):
                raise LangSyntaxError(f"unexpected keyword {t.text!r}")
            self.take()
            return (t.start, t.end, "true" if t.text == "true" else "name", None)
        if self.at("("):
            self.take()
            self.expr(comma=True)
            self.expect(")")
            return (t.start, self.last_end, "seq", None)
        if self.at("["):
            self.take()
            while not self.at("]"):
                if self.at(","):
                    self.take()
                    continue
                if self.at("..."):
                    self.take()
                self.assign()
                if not self.at(","):
                    break
                self.take()
            self.expect("]")
            return (t.start, self.last_end, "array", None)
        if self.at("{"):
            self.object_()
            return (t.start, self.last_end, "object", None)
        raise LangSyntaxError(f"unexpected {t.text!r}")

    def _is_async_function(self) -> bool:
        return self.src[self._after_space(self.tok.end):].startswith("function")

    def member_only(self) -> tuple[int, int, str, Any]:
        """The callee of ``new``: a primary with member accesses but no call."""
        node = self.primary()
        while self.at(".") or self.at("["):
            if self.at("."):
                self.take()
                if self.tok.kind != "name":
                    raise LangSyntaxError("expected a property name")
                self.take()
            else:
                self.skip_balanced("[", "]")
            node = (node[0], self.last_end, "seq", None)
        return node

    def object_(self) -> None:
        self.expect("{")
        while not self.at("}"):
            if self.at("..."):
                self.take()
                self.assign()
            else:
                if self.at("get", "set", "async") and not self._next_is(":", ",", "(", "}"):
                    self.take()
                if self.at("*"):
                    self.take()
                if self.at("["):
                    self.skip_balanced("[", "]")
                    key_is_name = False
                elif self.tok.kind in ("name", "str", "num"):
                    key_is_name = self.tok.kind == "name"
                    self.take()
                else:
                    raise LangSyntaxError(f"bad object key {self.tok.text!r}")
                if self.at(":"):
                    self.take()
                    self.assign()
                elif self.at("("):
                    self.params()
                    self.skip_balanced("{", "}")
                elif self.at("="):  # shorthand with default: only valid in patterns; tree-sitter reads it
                    self.take()
                    self.assign()
                elif not key_is_name:
                    raise LangSyntaxError("object property without a value")
            if not self.at(","):
                break
            self.take()
        self.expect("}")

    def _next_is(self, *texts: str) -> bool:
        rest = self.src[self._after_space(self.tok.end):].lstrip()
        return any(rest.startswith(t) for t in texts)

    def program(self) -> ToolCall | None:
        """``parse_javascript_function_call``: the first statement that is a call; None if none."""
        found: ToolCall | None = None
        while self.tok.kind != "eof":
            if self.at(";"):
                self.take()
                continue
            node = self.expr(comma=True)
            if not (self.at(";") or self.tok.kind == "eof" or self.tok.nl or self.at("}")):
                raise LangSyntaxError(f"unexpected {self.tok.text!r}")
            if found is None and node[2] == "call":
                found = self.call_of(node)
            if self.at(";"):
                self.take()
        return found

    def call_of(self, node: tuple) -> ToolCall:
        (cs, ce), args = node[3]
        out: dict[Any, Any] = {}
        for a in args:
            if a[2] == "assign" and _LVALUE.fullmatch(self.src[a[3][0][0]:a[3][0][1]]):
                lhs, rhs = a[3]
                key, value = self.src[lhs[0]:lhs[1]], self.src[rhs[0]:rhs[1]]
                if (value.startswith('"') and value.endswith('"')) or (value.startswith("'") and value.endswith("'")):
                    value = value[1:-1]
            elif a[2] == "true" or (a[2] == "name" and self.src[a[0]:a[1]] not in _JS_NOT_IDENTIFIERS):
                key, value = None, self.src[a[0]:a[1]]
            else:
                continue  # other positional arguments: BFCL's decoder drops them
            if key in out:
                raise LangSyntaxError("Multiple arguments with the same name are not supported.")
            out[key] = value
        return ToolCall(self.src[cs:ce], out)


def decode_calls(answer: str, language: str) -> tuple[ToolCall, ...]:
    """BFCL's decoder for a Java / JavaScript answer (``default_decode_ast_prompting``).

    Values are the argument's source text (see the module docstring).  Raises
    :class:`~toolzero.calls.parse.CallSyntaxError` where BFCL's decoder fails or finds no call.

    >>> decode_calls('[Foo.bar(a="x", b=new int[] {1, 2}, c=42L)]', "java")
    (ToolCall(name='Foo.bar', args={'a': 'x', 'b': 'new int[]{1,2}', 'c': '42L'}),)
    >>> decode_calls("[f(a='x', b=[1, 2], c={k: 1})]", "javascript")
    (ToolCall(name='f', args={'a': 'x', 'b': '[1, 2]', 'c': '{k: 1}'}),)
    """
    from toolzero.calls.parse import CallSyntaxError

    text = answer.strip("`\n ")
    if not text.startswith("["):
        text = "[" + text
    if not text.endswith("]"):
        text += "]"
    src = text[1:-1]
    try:
        call = _JavaParser(src).program() if language == JAVA else _JsParser(src).program()
    except (LangSyntaxError, RecursionError) as e:
        raise CallSyntaxError(f"{language} decoder: {e}") from None
    if call is None:
        raise CallSyntaxError(f"{language} decoder: no function call")
    return (call,)


# ---------------------------------------------------------------------------------------------
# The other way: possible-answer values as the source text a model writes (reference answers).
# ---------------------------------------------------------------------------------------------

_JAVA_ARRAY_ELEMENT = {"String": "String", "integer": "int", "long": "long", "short": "short", "byte": "byte",
                       "float": "float", "double": "double", "boolean": "boolean", "char": "char", "any": "Object"}
_JAVA_BOXED = {"String": "String", "integer": "Integer", "long": "Long", "short": "Short", "byte": "Byte",
               "float": "Float", "double": "Double", "boolean": "Boolean", "char": "Character", "any": "Object"}
_TEXT_TYPES = {JAVA: frozenset({"String", "any", "char"}), JAVASCRIPT: frozenset({"String", "any"})}


def _plain_float(v: float | int) -> str:
    """A float as digits only (JavaScript's float pattern takes no exponent)."""
    r = repr(float(v)) if type(v) is float else str(v)
    return format(Decimal(r), "f") if "e" in r or "E" in r else r


def _js_text(v: Any) -> str:
    """A JavaScript literal for a value inside a collection."""
    if type(v) is bool:
        return "true" if v else "false"
    if type(v) is str:
        return json.dumps(v, ensure_ascii=False) if '"' not in v else f"'{v}'"
    if type(v) in (int, float):
        return _plain_float(v)
    if type(v) is list:
        return "[" + ", ".join(_js_text(x) for x in v) + "]"
    if type(v) is dict:
        return "{" + ", ".join(f"{k}: {_js_text(x)}" for k, x in v.items()) + "}"
    return str(v)


def _java_text(v: Any) -> str:
    """A Java literal for a HashMap value (read back by BFCL's ``parse_java_value``)."""
    if type(v) is bool:
        return "true" if v else "false"
    if type(v) is str:
        return f'"{v}"'
    if type(v) is float:
        return repr(v)
    return str(v)


def _scalar_source(value: Any, raw: str, language: str) -> str:
    if type(value) is bool:
        return "true" if value else "false"
    if raw in ("long",) and type(value) is int:
        return f"{value}L"
    if raw == "Bigint" and type(value) is int:
        return f"{value}n"
    if raw == "float" and type(value) in (int, float):
        return f"{value}f" if language == JAVA else _plain_float(value)
    if raw == "double" and type(value) in (int, float):
        return repr(value)
    if type(value) is str:
        return value
    if language == JAVASCRIPT:
        return _js_text(value)
    return str(value)


def to_source(value: Any, spec: Param, language: str) -> str:
    """The source text that BFCL's converter reads back as ``value`` for this parameter (best effort).

    A string given for a parameter of another type is a variable name (BFCL's possible answers
    write variables as strings) and is written as it is.

    >>> from toolzero.schema import Param
    >>> to_source(["a", "b"], Param("array", raw_type="ArrayList", items=Param("string", raw_type="String")), "java")
    'new ArrayList<String>(Arrays.asList("a", "b"))'
    >>> to_source(42, Param("integer", raw_type="long"), "java")
    '42L'
    >>> to_source(True, Param("boolean", raw_type="Boolean"), "javascript")
    'true'
    """
    raw = spec.raw_type
    if type(value) is str:
        if language == JAVASCRIPT and raw == "String" and len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            return f'"{value}"'  # the converter strips one pair of quotes
        return value
    item_raw = spec.items.raw_type if spec.items is not None else "any"
    if language == JAVA:
        if raw == "Array" and type(value) is list:
            elems = ", ".join(x if type(x) is str else _scalar_source(x, item_raw, JAVA) for x in value)
            return f"new {_JAVA_ARRAY_ELEMENT.get(item_raw, 'Object')}[]{{{elems}}}"
        if raw == "ArrayList" and type(value) is list:
            if not value:
                return "new ArrayList<>()"
            elems = ", ".join(f'"{x}"' if item_raw in ("String", "char") and type(x) is str
                              else x if type(x) is str else _scalar_source(x, item_raw, JAVA) for x in value)
            return f"new ArrayList<{_JAVA_BOXED.get(item_raw, 'Object')}>(Arrays.asList({elems}))"
        if raw == "HashMap" and type(value) is dict:
            if not value:
                return "new HashMap<>()"
            puts = " ".join(f'put("{k}", {_java_text(v)});' for k, v in value.items())
            return f"new HashMap<String, Object>() {{{{ {puts} }}}}"
        return _scalar_source(value, raw, JAVA)
    if raw == "array" and type(value) is list:
        return "[" + ", ".join(_js_text(x) if item_raw in ("String", "any") or type(x) is not str else x
                               for x in (_js_item(x, item_raw) for x in value)) + "]"
    if raw == "dict" and type(value) is dict:
        return "{" + ", ".join(f"{k if k.isidentifier() else json.dumps(k)}: {_js_text(v)}" for k, v in value.items()) + "}"
    return _scalar_source(value, raw, JAVASCRIPT)


def _js_item(x: Any, item_raw: str) -> Any:
    if item_raw == "float" and type(x) in (int, float):
        return _plain_float(x)
    if item_raw == "Bigint" and type(x) is int:
        return f"{x}n"
    return x


def source_calls(calls: Sequence[ToolCall], tools: Mapping[str, Tool] | Sequence[Tool], language: str) -> list[ToolCall]:
    """Calls with Python values (e.g. from a possible answer) turned into source text, per parameter.

    Arguments outside the tool's schema keep a generic literal form.
    """
    if not isinstance(tools, Mapping):
        tools = {t.name: t for t in tools}
    out = []
    for call in calls:
        tool = tools.get(call.name)
        props = tool.parameters.properties if tool is not None else {}
        args = {}
        for k, v in call.args.items():
            spec = props.get(k) if isinstance(k, str) else None
            if spec is not None:
                args[k] = to_source(v, spec, language)
            else:
                args[k] = v if type(v) is str else (_js_text(v) if language == JAVASCRIPT else _java_text(v))
        out.append(ToolCall(call.name, args))
    return out


def quote_source(src: str) -> str:
    """A source text as the string a model writes for it: ``"..."``, or ``'...'`` when it holds a ``"``.

    BFCL's decoders take a string literal's content as written (no unescaping), so neither quote
    can be escaped; a text holding both (or a backslash / newline) is written bare.
    """
    if "\\" in src or "\n" in src:
        return src
    if '"' not in src:
        return f'"{src}"'
    if "'" not in src:
        return f"'{src}'"
    return src


def render_source_calls(calls: Sequence[ToolCall]) -> str:
    """``[f(a="...", b='...')]`` for calls whose values are source text (others are printed with repr)."""
    def arg(v: Any) -> str:
        return quote_source(v) if type(v) is str else repr(v)

    return "[" + ", ".join(f"{c.name}(" + ", ".join(f"{k}={arg(v)}" for k, v in c.args.items()) + ")"
                           for c in calls) + "]"


# ---------------------------------------------------------------------------------------------
# Prompts: BFCL's function-doc rewriting for Java / JavaScript (bfcl_eval.utils).
# ---------------------------------------------------------------------------------------------

LANGUAGE_HINTS = {
    JAVA: " Note that the provided function is in Java 8 SDK syntax.",
    JAVASCRIPT: " Note that the provided function is in JavaScript syntax.",
    PYTHON: " Note that the provided function is in Python 3 syntax.",
}


def language_hint(language: str) -> str:
    """``_get_language_specific_hint``: the sentence BFCL appends to each function's description."""
    return LANGUAGE_HINTS[language]


def function_doc(doc: dict[str, Any], language: str) -> dict[str, Any]:
    """``_func_doc_language_specific_pre_processing`` for one Java / JavaScript function (a copy).

    The description gets :func:`language_hint`; every parameter becomes ``"type": "string"`` with
    its BFCL type in words ("This is Java HashMap type parameter in string representation."), array
    items and JavaScript dict properties described in words instead of in the schema.
    """
    doc = copy.deepcopy(doc)
    if language not in (JAVA, JAVASCRIPT):
        raise ValueError(f"function_doc is for Java and JavaScript, not {language!r}")
    name = "Java" if language == JAVA else "JavaScript"
    doc["description"] = doc.get("description", "") + language_hint(language)
    for value in doc.get("parameters", {}).get("properties", {}).values():
        if value["type"] == "any":
            value["description"] = value.get("description", "") + \
                f" This parameter can be of any type of {name} object in string representation."
        else:
            value["description"] = value.get("description", "") + \
                f" This is {name} {value['type']} type parameter in string representation."
        if value["type"] in (("ArrayList", "Array") if language == JAVA else ("array",)):
            value["description"] += (f" The list elements are of type {value['items']['type']}; "
                                     "they are not in string representation.")
            del value["items"]
        if language == JAVASCRIPT and value["type"] == "dict" and "properties" in value:
            value["description"] += (" The dictionary entries have the following schema; they are not in string "
                                     f"representation. {json.dumps(value['properties'])}")
            del value["properties"]
        value["type"] = "string"
    return doc

