"""Tool schemas from each source's dialect: type spellings, parameter specs, tools and tool lists."""

from __future__ import annotations

import ast
import re
from collections.abc import Sequence
from typing import Any

from toolzero.data.sources._json import loads_json
from toolzero.data.sources._skip import Skip
from toolzero.schema import TYPE_ALIASES, SchemaError, Tool

# Type words used by the sources (Python hints, OpenAPI, prose) -> JSON-schema type.
_TYPE_WORDS = {
    "str": "string", "string": "string", "text": "string", "char": "string", "datetime": "string", "date": "string",
    "time": "string", "timestamp": "string", "enum": "string", "email": "string", "url": "string", "uri": "string",
    "int": "integer", "integer": "integer", "long": "integer",
    "float": "number", "number": "number", "double": "number", "decimal": "number", "numeric": "number",
    "bool": "boolean", "boolean": "boolean",
    "list": "array", "array": "array", "set": "array", "tuple": "array", "sequence": "array", "iterable": "array",
    "dict": "object", "object": "object", "mapping": "object", "json": "object",
    "any": "any", "object_or_array": "any",
}
_GENERIC = re.compile(r"^(\w+)\s*[\[(](.*)[\])]$", re.S)


def split_top_level(s: str) -> list[str]:
    """Split ``a, List[b, c], d='x, y'`` at top-level commas (outside brackets and quotes)."""
    parts, depth, cur, quote = [], 0, [], ""
    for ch in s:
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch in "[({":
            depth += 1
        elif ch in "])}":
            depth -= 1
        if ch == "," and depth == 0 and not quote:
            parts.append("".join(cur).strip())
            cur = []
        else:
            cur.append(ch)
    if "".join(cur).strip():
        parts.append("".join(cur).strip())
    return parts


def type_schema(raw: Any) -> tuple[dict[str, Any], bool]:
    """JSON schema for a source's type spelling, and whether it was marked optional.

    Understands JSON-schema names, Python hints (``List[int]``, ``Optional[str]``,
    ``Dict[str, Any]``, ``Union[int, float]``, ``"str, optional"``), ``list(str)``, a list of
    types (``["string", "null"]``, also as its ``repr``) and words such as ``Date (yyyy-mm-dd)``.
    Raises :class:`Skip` ``schema_error`` for anything else (e.g. ``Callable``).
    """
    if raw is None:
        return {"type": "any"}, False
    if isinstance(raw, list):
        real = [t for t in raw if str(t).lower() not in ("null", "none")]
        return type_schema(real[0] if real else None)[0], len(real) < len(raw)
    if not isinstance(raw, str):
        raise Skip("schema_error", f"type must be a string, got {raw!r}")
    s = raw.strip()
    optional = False
    low = s.lower()
    if low.endswith(", optional") or low.endswith(",optional"):
        s, optional = s[: s.rfind(",")].strip(), True
    if s.startswith("[") and s.endswith("]"):
        try:
            alts = ast.literal_eval(s)
        except (ValueError, SyntaxError):
            alts = None
        if isinstance(alts, list):
            sch, opt = type_schema(alts)
            return sch, optional or opt
    low = s.lower()
    if low in _TYPE_WORDS:
        return {"type": _TYPE_WORDS[low]}, optional
    m = _GENERIC.match(s)
    if m:
        outer, inner = m.group(1).lower(), split_top_level(m.group(2))
        if outer == "optional" and inner:
            return type_schema(inner[0])[0], True
        if outer == "union":
            real = [t for t in inner if t.lower() not in ("none", "nonetype", "null")]
            kinds = {type_schema(t)[0]["type"] for t in real}
            if kinds <= {"integer", "number"} and kinds:
                return {"type": "number" if "number" in kinds else "integer"}, optional or len(real) < len(inner)
            if len(real) == 1:
                return type_schema(real[0])[0], True
            return {"type": "any"}, optional or len(real) < len(inner)
        kind = _TYPE_WORDS.get(outer)
        if kind == "array":
            items = {"type": "any"}
            if inner:
                if outer == "tuple" and len({t.lower() for t in inner}) > 1:
                    items = {"type": "any"}
                else:
                    try:
                        items = type_schema(inner[0])[0]
                    except Skip:
                        items = {"type": "any"}
            return {"type": "array", "items": items}, optional
        if kind == "object":
            return {"type": "object"}, optional
        if kind is not None:
            return {"type": kind}, optional
    word = re.match(r"[A-Za-z_]+", s)
    if word and word.group(0).lower() in _TYPE_WORDS and word.group(0).lower() != "any":
        kind = _TYPE_WORDS[word.group(0).lower()]
        return ({"type": "array", "items": {"type": "any"}} if kind == "array" else {"type": kind}), optional
    raise Skip("schema_error", f"unknown type {raw!r}")


def param_schema(spec: Any, default_type: str = "any", where: str = "param") -> dict[str, Any]:
    """Normalise one parameter description (any source's dialect) to a JSON schema."""
    if isinstance(spec, str):  # bare type name
        return type_schema(spec)[0]
    if not isinstance(spec, dict):
        raise Skip("schema_error", f"{where}: parameter must be an object, got {type(spec).__name__}")
    raw = spec.get("type", default_type)
    sch = dict(type_schema(raw)[0])
    desc = spec.get("description")
    if desc:
        sch["description"] = str(desc)
    enum = spec.get("enum") or spec.get("allowed_values")
    if isinstance(enum, list) and enum and sch["type"] != "boolean":
        sch["enum"] = list(enum)
    if "default" in spec and spec["default"] not in (None, ""):
        sch["default"] = spec["default"]
    if sch["type"] == "array" and isinstance(spec.get("items"), (dict, str)):
        sch["items"] = param_schema(spec["items"], "any", f"{where}.items")
    if sch["type"] == "object" and isinstance(spec.get("properties"), dict):
        sch["properties"] = {k: param_schema(v, "any", f"{where}.{k}") for k, v in spec["properties"].items()}
        req = spec.get("required")
        if isinstance(req, list):
            sch["required"] = [r for r in req if r in sch["properties"]]
    return sch


def is_optional_spec(spec: Any) -> bool:
    """True when a flat parameter description marks itself optional (xLAM's ``"str, optional"``)."""
    if not isinstance(spec, dict):
        return False
    raw = spec.get("type")
    try:
        return type_schema(raw)[1]
    except Skip:
        return False


def make_tool(
    name: Any, description: Any, params: Any, required: Sequence[str] | None = None,
    default_type: str = "any", where: str = "tool",
) -> Tool:
    """A :class:`Tool` from a flat ``{param: spec}`` mapping.

    ``required``: the required parameter names; when ``None``, a parameter is required when
    its spec says ``"required": true``.
    """
    if not isinstance(name, str) or not name.strip():
        raise Skip("schema_error", f"{where}: tool name missing or not a string: {name!r}")
    if params is None:
        params = {}
    if not isinstance(params, dict):
        raise Skip("schema_error", f"{where}[{name}]: parameters must be an object, got {type(params).__name__}")
    props = {str(k): param_schema(v, default_type, f"{where}[{name}].{k}") for k, v in params.items()}
    if required is None:
        required = [k for k, v in params.items() if isinstance(v, dict) and v.get("required") is True]
    required = [r for r in required if isinstance(r, str)]
    missing = [r for r in required if r not in props]
    if missing:
        raise Skip("schema_error", f"{where}[{name}]: required {missing} are not parameters")
    obj = {"name": name, "description": str(description or ""),
           "parameters": {"type": "object", "properties": props, "required": list(required)}}
    return tool_from_json(obj, where)


def normalize_schema(obj: Any) -> Any:
    """Copy of a JSON schema with non-standard type names (``"List[str]"``, ``"int, optional"``) mapped."""
    if isinstance(obj, list):
        return [normalize_schema(x) for x in obj]
    if not isinstance(obj, dict):
        return obj
    out = {}
    for k, v in obj.items():
        if k == "properties" and isinstance(v, dict):
            out[k] = {pk: normalize_schema(pv) for pk, pv in v.items()}
        elif k in ("items", "parameters", "arguments", "function") and isinstance(v, (dict, list)):
            out[k] = normalize_schema(v)
        else:
            out[k] = v
    t = out.get("type")
    if isinstance(t, str) and t.lower() not in TYPE_ALIASES:
        sch = type_schema(t)[0]
        out["type"] = sch["type"]
        if "items" in sch and "items" not in out:
            out["items"] = sch["items"]
    elif isinstance(t, list):
        out["type"] = type_schema(t)[0]["type"]
    return out


def tool_from_json(obj: Any, where: str = "tool") -> Tool:
    """:meth:`Tool.from_json` after :func:`normalize_schema`; errors become :class:`Skip`."""
    if isinstance(obj, dict) and "parameters" not in obj and isinstance(obj.get("arguments"), dict):
        obj = {**{k: v for k, v in obj.items() if k != "arguments"}, "parameters": obj["arguments"]}
    try:
        return Tool.from_json(normalize_schema(obj), where)
    except SchemaError as e:
        raise Skip("schema_error", str(e)) from None


def unique_tools(tools: Sequence[Tool]) -> tuple[Tool, ...]:
    """Drop exact duplicates (same name and schema); differing tools with one name skip the record."""
    seen: dict[str, Tool] = {}
    for t in tools:
        if t.name in seen:
            if seen[t.name].to_json() != t.to_json():
                raise Skip("schema_error", f"two different tools named {t.name!r}")
            continue
        seen[t.name] = t
    return tuple(seen.values())


def as_tools(objs: Any, where: str) -> list[Tool]:
    """Tools from a list of JSON schemas (or its JSON text)."""
    objs = loads_json(objs, where)
    if isinstance(objs, dict):
        objs = [objs]
    if not isinstance(objs, list):
        raise Skip("schema_error", f"{where}: tools must be a list, got {type(objs).__name__}")
    return [tool_from_json(o, f"{where}[{i}]") for i, o in enumerate(objs)]


def xlam_tool(obj: Any, where: str) -> Tool:
    """A tool in xLAM's flat form, ``{"name", "description", "parameters": {p: {"type",
    "description", "default"?}}}``, or with a JSON-schema ``parameters`` object.

    Flat form: a parameter is required when its type is not marked optional
    (``"str, optional"``) and it has no non-empty ``default``.
    """
    if not isinstance(obj, dict):
        raise Skip("schema_error", f"{where}: tool must be an object, got {type(obj).__name__}")
    params = obj.get("parameters", obj.get("arguments"))
    if isinstance(params, dict) and params.get("type") in ("object", "dict") and isinstance(params.get("properties"), dict):
        return tool_from_json(obj, where)
    if params is None:
        params = {}
    if not isinstance(params, dict):
        raise Skip("schema_error", f"{where}: parameters must be an object")
    required = [k for k, v in params.items()
                if isinstance(v, dict) and not is_optional_spec(v) and v.get("default") in (None, "")]
    return make_tool(obj.get("name"), obj.get("description", ""), params, required=required, where=where)
