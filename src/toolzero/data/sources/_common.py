"""Helpers shared by the source converters: paths, reading, schemas, values and calls.

Every converter turns a reference call into BFCL's possible-answer form with
:func:`expected_call`, which applies the same rules to all sources:

* each value becomes a one-element accepted list ``{"arg": [value]}``; arguments that the
  reference omits are not listed;
* a value of ``""`` or ``None`` means "not given": it becomes ``[""]`` (may be omitted);
* numeric strings are converted to numbers only where the schema says ``integer`` or
  ``number`` (and an integral float such as ``3.0`` becomes ``3`` for ``integer``); any other
  value whose Python type does not fit the schema type skips the record (``type_mismatch``);
* a scalar outside the schema's ``enum`` skips the record (``not_in_enum``; strings are
  compared after the matcher's normalisation, so ``"3D"`` is in ``["3d"]``);
* an argument that is not in the schema (``unknown_argument``), a required parameter that the
  reference does not give (``missing_required``) and a call to a tool that is not offered
  (``unknown_tool``) skip the record;
* dict values are written in possible-answer form (``{"key": [value]}``), as BFCL does; a
  value the matcher cannot represent (a list inside a dict nested in an argument: the
  matcher compares nested dicts with ``==`` after the renderer has picked first elements)
  skips the record (``unrepresentable``).

Converters raise :class:`Skip` for a record that does not convert; the loader catches it and
counts it in the :class:`~toolzero.data.report.LoadReport` as ``"kind: details"``.
"""

from __future__ import annotations

import ast
import json
import keyword
import logging
import os
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from toolzero.calls.match import normalize_string
from toolzero.calls.render import concrete_value
from toolzero.data.report import LoadReport
from toolzero.schema import OPTIONAL, TYPE_ALIASES, Param, SchemaError, Task, Tool, parse_ground_truth

log = logging.getLogger(__name__)

SHARED_DATA_ENV = "TOOLZERO_SHARED_DATA"


class Skip(Exception):
    """A record that does not convert: ``kind`` is the counted reason, ``details`` says why."""

    def __init__(self, kind: str, details: str):
        super().__init__(f"{kind}: {details}")
        self.kind = kind
        self.details = details

    @property
    def reason(self) -> str:
        return f"{self.kind}: {self.details}"


# ---------------------------------------------------------------------------- paths and files


def shared_data_dir() -> Path:
    """``$TOOLZERO_SHARED_DATA``, else ``<checkout>/../shared/data`` (``/work/shared/data`` here)."""
    env = os.environ.get(SHARED_DATA_ENV)
    if env:
        return Path(env)
    # parents: sources, data, toolzero, src, <checkout>, <checkout's parent>
    return Path(__file__).resolve().parents[5] / "shared" / "data"


def resolve_path(path: str | Path | None, folder: str) -> Path:
    """The explicit ``path``, else the shared data folder ``folder``; it must exist."""
    p = Path(path) if path is not None else shared_data_dir() / folder
    if not p.exists():
        raise FileNotFoundError(f"source data not found: {p} does not exist (pass path= or set ${SHARED_DATA_ENV})")
    return p


def find_files(root: Path, patterns: Sequence[str]) -> list[Path]:
    """``root`` itself when it is a file, else the files under it matching any glob pattern."""
    if root.is_file():
        return [root]
    found = {p for pat in patterns for p in root.glob(pat) if p.is_file()}
    return sorted(found)


def read_records(path: Path, report: LoadReport, prefix: str | None = None) -> list[tuple[str, Any]]:
    """``(record_id, record)`` pairs of a JSON array or JSON Lines file.

    Ids are ``<prefix>:<index>`` (``prefix`` defaults to the file's stem; the index is the
    line number for JSON Lines).  A JSON Lines line that does not parse is counted as
    ``bad_json`` under its id; a file that is neither format is counted once as ``bad_file``.
    """
    stem = prefix if prefix is not None else path.stem
    text = path.read_text(encoding="utf-8")
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        data = None
        lines = text.splitlines()
        if len(lines) <= 1:
            report.skip(stem, "bad_file: neither JSON nor JSON Lines")
            return []
    if data is not None:
        if isinstance(data, list):
            return [(f"{stem}:{i}", rec) for i, rec in enumerate(data)]
        return [(f"{stem}:0", data)]
    out = []
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        try:
            out.append((f"{stem}:{i}", json.loads(line)))
        except json.JSONDecodeError as e:
            report.skip(f"{stem}:{i}", f"bad_json: line {i + 1}: {e.msg}")
    return out


def loads_json(text: Any, what: str) -> Any:
    """``json.loads`` for a field that may hold JSON text; raises :class:`Skip`."""
    if not isinstance(text, str):
        return text
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise Skip("bad_json", f"{what}: {e.msg} at char {e.pos}") from None


def loads_loose(text: str, what: str) -> Any:
    """JSON, or else a Python literal (several sources print dicts with ``repr``)."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        pass
    try:
        return ast.literal_eval(text.strip())
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        raise Skip("bad_json", f"{what}: neither JSON nor a Python literal: {text[:80]!r}") from None


def field(rec: Any, key: str) -> Any:
    """``rec[key]``, or :class:`Skip` ``missing_field``."""
    if not isinstance(rec, dict):
        raise Skip("bad_record", f"expected an object, got {type(rec).__name__}")
    if key not in rec or rec[key] is None:
        raise Skip("missing_field", f"{key!r}")
    return rec[key]


# ---------------------------------------------------------------------------- types and schemas

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


# ---------------------------------------------------------------------------- values

_INT = re.compile(r"\s*[+-]?\d+\s*")
_NUM = re.compile(r"\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*")


def fit_value(value: Any, spec: Param, where: str) -> Any:
    """``value`` checked against its schema, with numeric strings made numbers (see module doc)."""
    t = spec.type
    if t == "any":
        return value
    if t == "string":
        if type(value) is not str:
            raise Skip("type_mismatch", f"{where}: expected string, got {type(value).__name__} {value!r:.60}")
    elif t == "integer":
        if type(value) is float and value.is_integer():
            value = int(value)
        elif type(value) is str and _INT.fullmatch(value):
            value = int(value)
        if type(value) is not int:
            raise Skip("type_mismatch", f"{where}: expected integer, got {type(value).__name__} {value!r:.60}")
    elif t == "float":
        if type(value) is str and _NUM.fullmatch(value):
            value = float(value)
        if type(value) not in (int, float):
            raise Skip("type_mismatch", f"{where}: expected number, got {type(value).__name__} {value!r:.60}")
    elif t == "boolean":
        if type(value) is not bool:
            raise Skip("type_mismatch", f"{where}: expected boolean, got {type(value).__name__} {value!r:.60}")
    elif t in ("array", "tuple"):
        if type(value) is tuple:
            value = list(value)
        if type(value) is not list:
            raise Skip("type_mismatch", f"{where}: expected array, got {type(value).__name__} {value!r:.60}")
        item = spec.items
        if item is not None and item.type != "any":
            value = [fit_value(v, item, f"{where}[{i}]") for i, v in enumerate(value)]
        return value
    elif t == "dict":
        if type(value) is not dict:
            raise Skip("type_mismatch", f"{where}: expected object, got {type(value).__name__} {value!r:.60}")
        return {k: (fit_value(v, spec.properties[k], f"{where}.{k}") if k in spec.properties and v not in (None, "") else v)
                for k, v in value.items()}
    if spec.enum is not None and value not in spec.enum and not (
            type(value) is str and normalize_string(value) in {normalize_string(e) for e in spec.enum if type(e) is str}):
        raise Skip("not_in_enum", f"{where}: {value!r:.60} is not one of {list(spec.enum)[:8]}")
    return value


def _encode(value: Any, spec: Param) -> tuple[Any, Any]:
    """(accepted value in possible-answer form, the concrete value it must render back to)."""
    if spec.type == "dict" and type(value) is dict:
        return {k: [v] for k, v in value.items()}, {k: v for k, v in value.items() if v != OPTIONAL}
    if (spec.type in ("array", "tuple") and spec.items is not None and spec.items.type == "dict"
            and type(value) is list and value and all(type(v) is dict for v in value)):
        return ([{k: [v] for k, v in d.items()} for d in value],
                [{k: v for k, v in d.items() if v != OPTIONAL} for d in value])
    return value, value


def expected_call(name: str, args: Any, tool: Tool) -> dict[str, dict[str, list[Any]]]:
    """One reference call as a possible-answer entry ``{name: {arg: [value]}}`` (see module doc)."""
    if not isinstance(args, dict):
        raise Skip("bad_call", f"{name}: arguments must be an object, got {type(args).__name__}")
    props = tool.parameters.properties
    out: dict[str, list[Any]] = {}
    for arg, value in args.items():
        spec = props.get(arg)
        if spec is None:
            raise Skip("unknown_argument", f"{name}.{arg} is not a parameter (known: {sorted(props)[:10]})")
        if value is None or value == OPTIONAL:
            out[arg] = [OPTIONAL]
            continue
        fitted = fit_value(value, spec, f"{name}.{arg}")
        accepted, want = _encode(fitted, spec)
        if concrete_value(accepted) != want:
            raise Skip("unrepresentable", f"{name}.{arg}: nested value {fitted!r:.80} cannot be written as a possible answer")
        out[arg] = [accepted]
    for req in tool.parameters.required:
        if req not in out or out[req] == [OPTIONAL]:
            raise Skip("missing_required", f"{name}: the reference does not give required {req!r}")
    return {name: out}


def ground_truth(calls: Sequence[tuple[str, Any]], tools: Sequence[Tool]) -> list[dict[str, dict[str, list[Any]]]]:
    """Possible-answer ground truth for reference calls ``[(name, args), ...]`` over ``tools``."""
    by_name = {t.name: t for t in tools}
    out = []
    for name, args in calls:
        tool = by_name.get(name)
        if tool is None:
            raise Skip("unknown_tool", f"calls {name!r}, not among the {len(by_name)} offered tools")
        out.append(expected_call(name, args, tool))
    return out


def merge_alternatives(alternatives: Sequence[list[dict[str, dict[str, list[Any]]]]]) -> list[dict[str, dict[str, list[Any]]]]:
    """Merge several complete possible answers into one, argument by argument.

    All alternatives must call the same functions in the same order; an argument's accepted
    values are the union over alternatives, plus ``""`` where some alternative omits it.
    This accepts every alternative (and mixtures of them).
    """
    first = alternatives[0]
    names = [next(iter(c)) for c in first]
    for alt in alternatives[1:]:
        if [next(iter(c)) for c in alt] != names:
            other = [next(iter(c)) for c in alt]
            raise Skip("unmergeable_alternatives", f"alternatives call different functions: {names} vs {other}")
    merged = []
    for i, name in enumerate(names):
        arg_names: list[str] = []
        for alt in alternatives:
            arg_names += [a for a in alt[i][name] if a not in arg_names]
        args = {}
        for a in arg_names:
            acc: list[Any] = []
            for alt in alternatives:
                for v in alt[i][name].get(a, [OPTIONAL]):
                    if v not in acc:
                        acc.append(v)
            args[a] = acc
        merged.append({name: args})
    return merged


# ---------------------------------------------------------------------------- calls in text

_KW_PREFIX = "kw__"
_KEYWORD_ARG = re.compile(r"([(,]\s*)(" + "|".join(keyword.kwlist) + r")\s*=(?!=)")
_JSON_WORDS = {"true": True, "false": False, "null": None, "True": True, "False": False, "None": None}


def _literal(node: ast.AST) -> Any:
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name) and node.id in _JSON_WORDS:
        return _JSON_WORDS[node.id]
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return [_literal(e) for e in node.elts]
    if isinstance(node, ast.Dict):
        if any(k is None for k in node.keys):
            raise ValueError("** in dict")
        return {_literal(k): _literal(v) for k, v in zip(node.keys, node.values)}
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        v = _literal(node.operand)
        if type(v) in (int, float):
            return -v if isinstance(node.op, ast.USub) else v
    raise ValueError(f"not a literal: {ast.unparse(node)[:60]}")


def parse_python_calls(text: str) -> list[tuple[str, dict[str, Any]]]:
    """Calls written as Python: ``[f(a=1), g(b="x")]``, ``f(a=1)`` or ``r = mod.f(a=1)``.

    Names keep their dots (``mod.f``); JSON words ``true/false/null`` are accepted as values.
    Raises :class:`Skip` ``bad_call`` for anything else (positional arguments included).
    """
    src = text.strip()
    try:
        tree = ast.parse(src, mode="exec")
    except SyntaxError as e:
        # Argument names that are Python keywords (``from="EUR"``) are renamed, parsed, renamed back.
        renamed = _KEYWORD_ARG.sub(lambda m: f"{m.group(1)}{_KW_PREFIX}{m.group(2)}=", src)
        try:
            tree = ast.parse(renamed, mode="exec")
        except SyntaxError:
            raise Skip("bad_call", f"not Python call syntax ({e.msg}): {src[:80]!r}") from None
    calls: list[tuple[str, dict[str, Any]]] = []
    for stmt in tree.body:
        node = stmt.value if isinstance(stmt, (ast.Expr, ast.Assign)) else None
        elements = node.elts if isinstance(node, (ast.List, ast.Tuple)) else [node]
        for el in elements:
            if not isinstance(el, ast.Call):
                raise Skip("bad_call", f"not a function call: {src[:80]!r}")
            name = ast.unparse(el.func)
            if el.args:
                raise Skip("bad_call", f"{name}: positional arguments are not supported")
            args: dict[str, Any] = {}
            for kw in el.keywords:
                if kw.arg is None:
                    raise Skip("bad_call", f"{name}: **kwargs are not supported")
                try:
                    args[kw.arg.removeprefix(_KW_PREFIX)] = _literal(kw.value)
                except ValueError as e:
                    raise Skip("bad_call", f"{name}.{kw.arg}: {e}") from None
            calls.append((name, args))
    return calls


def json_objects(text: str) -> Iterator[Any]:
    """Every JSON value in ``text``, one after the other (whitespace or newlines between them)."""
    dec = json.JSONDecoder()
    i, n = 0, len(text)
    while i < n:
        while i < n and text[i] in " \t\r\n,":
            i += 1
        if i >= n:
            return
        try:
            obj, i = dec.raw_decode(text, i)
        except json.JSONDecodeError as e:
            raise Skip("bad_json", f"call text: {e.msg}: {text[i:i + 60]!r}") from None
        yield obj


def name_args(
    call: Any, name_keys: Sequence[str] = ("name",), arg_keys: Sequence[str] = ("arguments", "parameters")
) -> tuple[str, Any]:
    """``(name, args)`` of a JSON call object such as ``{"name": ..., "arguments": {...}}``."""
    if not isinstance(call, dict):
        raise Skip("bad_call", f"a call must be an object, got {type(call).__name__}")
    name = next((call[k] for k in name_keys if isinstance(call.get(k), str)), None)
    if name is None:
        raise Skip("bad_call", f"call without a name: {json.dumps(call)[:80]}")
    args = next((call[k] for k in arg_keys if k in call), {})
    if isinstance(args, str):
        args = loads_json(args, f"{name} arguments") if args.strip() else {}
    if args is None:
        args = {}
    return name, args


# ---------------------------------------------------------------------------- tasks


def make_task(
    rid: str, source: str, tools: Sequence[Tool], messages: Sequence[dict[str, str]],
    calls: Sequence[tuple[str, Any]], category: str = "",
) -> Task:
    """A :class:`Task` from reference calls; raises :class:`Skip` when anything does not fit."""
    tools = unique_tools(tools)
    gt = ground_truth(calls, tools)
    return task_from_gt(rid, source, tools, messages, gt, category)


def task_from_gt(
    rid: str, source: str, tools: Sequence[Tool], messages: Sequence[dict[str, str]],
    gt: list[dict[str, dict[str, list[Any]]]], category: str = "",
) -> Task:
    """A :class:`Task` from an already built possible-answer ground truth."""
    msgs = tuple({"role": m["role"], "content": m["content"] if isinstance(m["content"], str) else json.dumps(m["content"])}
                 for m in messages)
    if not any(m["role"] == "user" for m in msgs):
        raise Skip("missing_field", "no user message")
    try:
        return Task(id=rid, source=source, tools=tuple(tools), messages=msgs,
                    ground_truth=parse_ground_truth(gt, f"{rid}.ground_truth"), category=category)
    except SchemaError as e:
        raise Skip("schema_error", str(e)) from None


def convert(report: LoadReport, tasks: list[Task], rid: str, build: Callable[..., Task | list[Task]], *args: Any) -> None:
    """Run ``build(*args)`` for record ``rid``: append its task(s), or count why it was skipped."""
    try:
        out = build(*args)
    except Skip as e:
        report.skip(rid, e.reason)
        return
    except SchemaError as e:
        report.skip(rid, f"schema_error: {e}")
        return
    for task in (out if isinstance(out, list) else [out]):
        tasks.append(task)
        report.kept += 1


def user(content: str) -> dict[str, str]:
    """A user message."""
    return {"role": "user", "content": content}


def assistant(content: str) -> dict[str, str]:
    """An assistant message (text, or an earlier call written as text)."""
    return {"role": "assistant", "content": content}


def tool_msg(content: Any) -> dict[str, str]:
    """A tool-result message; non-text results are written as JSON."""
    return {"role": "tool", "content": content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)}


def system(content: str) -> dict[str, str]:
    """A system message (dates, user profiles)."""
    return {"role": "system", "content": content}


def merge_roles(messages: Sequence[dict[str, str]]) -> list[dict[str, str]]:
    """Join consecutive assistant messages (e.g. a call followed by its reply text)."""
    out: list[dict[str, str]] = []
    for m in messages:
        if out and m["role"] == "assistant" and out[-1]["role"] == "assistant":
            out[-1] = assistant(out[-1]["content"] + "\n" + m["content"])
        else:
            out.append(dict(m))
    return out


def as_tools(objs: Any, where: str) -> list[Tool]:
    """Tools from a list of JSON schemas (or its JSON text)."""
    objs = loads_json(objs, where)
    if isinstance(objs, dict):
        objs = [objs]
    if not isinstance(objs, list):
        raise Skip("schema_error", f"{where}: tools must be a list, got {type(objs).__name__}")
    return [tool_from_json(o, f"{where}[{i}]") for i, o in enumerate(objs)]


def has_reference(value: Any, pattern: re.Pattern[str]) -> bool:
    """True when a value (nested) contains a string matching ``pattern``."""
    if isinstance(value, str):
        return pattern.search(value) is not None
    if isinstance(value, Mapping):
        return any(has_reference(v, pattern) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(has_reference(v, pattern) for v in value)
    return False


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


def tools_and_calls(rec: Any, rid: str, to_tool: Callable[[Any, str], Tool], **keys: Any) -> tuple[list[Tool], list]:
    """The ``tools`` and ``answers`` fields of xLAM-shaped rows (lists, or JSON text of lists).

    ``keys`` go to :func:`name_args` (which keys hold a call's name and arguments).
    """
    tools_obj = loads_json(field(rec, "tools"), "tools")
    if not isinstance(tools_obj, list):
        raise Skip("schema_error", "tools must be a list")
    tools = [to_tool(t, f"{rid}.tools[{i}]") for i, t in enumerate(tools_obj)]
    answers = loads_json(field(rec, "answers"), "answers")
    if not isinstance(answers, list):
        raise Skip("bad_call", "answers must be a list")
    return tools, [name_args(a, **keys) for a in answers]
