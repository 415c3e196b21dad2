"""Step 2 of BFCL's Java / JavaScript scoring: converting each decoded value's source text by type.

BFCL's ``java_type_converter`` and ``js_type_converter`` (``eval_checker/ast_eval/type_convertor/``),
ported rule for rule, regular expressions included: ``"42L"`` is a long 42, ``"new ArrayList<>(
Arrays.asList(1, 2))"`` a list, ``"{a: 1}"`` a dict; text that does not read as the type stays a
string.  :func:`convert_calls` applies them to decoded calls before the Python matcher runs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from toolzero.schema import Param, Tool, ToolCall

PYTHON, JAVA, JAVASCRIPT = "python", "java", "javascript"

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
