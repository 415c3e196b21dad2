"""The other way: possible-answer values as the Java / JavaScript source text a model writes.

Used to render reference answers: :func:`to_source` writes a value so that BFCL's converter
(:mod:`toolzero.calls.langs.convert`) reads it back as that value.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from toolzero.calls.langs.convert import JAVA, JAVASCRIPT
from toolzero.schema import Param, Tool, ToolCall

_JAVA_ARRAY_ELEMENT = {"String": "String", "integer": "int", "long": "long", "short": "short", "byte": "byte",
                       "float": "float", "double": "double", "boolean": "boolean", "char": "char", "any": "Object"}
_JAVA_BOXED = {"String": "String", "integer": "Integer", "long": "Long", "short": "Short", "byte": "Byte",
               "float": "Float", "double": "Double", "boolean": "Boolean", "char": "Character", "any": "Object"}


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
