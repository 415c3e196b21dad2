"""Typed records shared by every part of the method (METHOD.md section 5).

A *tool* is an OpenAI/BFCL JSON schema, a *call* is a name plus keyword arguments, a
*ground truth* is BFCL's possible-answer form and a *task* bundles them with the
conversation.  Constructors validate their input and raise :class:`SchemaError`, which
names the record and the field, so that broken data never turns into silent zero rewards.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# BFCL spells JSON-schema types its own way ("dict", "float", "tuple", "any"); OpenAI
# schemas use "object" and "number".  Everything is normalised to BFCL's Python names,
# because the AST matcher follows BFCL's Python checker.
TYPE_ALIASES: dict[str, str] = {
    "string": "string", "str": "string",
    "integer": "integer", "int": "integer",
    "float": "float", "number": "float", "double": "float",
    "boolean": "boolean", "bool": "boolean",
    "array": "array", "list": "array",
    "tuple": "tuple",
    "dict": "dict", "object": "dict",
    "any": "any",
}
PYTHON_TYPES: dict[str, type] = {  # BFCL's PYTHON_TYPE_MAPPING
    "string": str, "integer": int, "float": float, "boolean": bool,
    "array": list, "tuple": list, "dict": dict, "any": str,
}
# The types of a value that fits each schema type, compared with ``type()``, so that a bool is
# not an integer.  BFCL's checker (``type_checker``) takes the schema's Python type, an int for a
# float (Python promotes it) and a tuple for a tuple (JSON turns tuples into lists) ...
BFCL_FIT_TYPES: dict[str, tuple[type, ...]] = {
    **{t: (py,) for t, py in PYTHON_TYPES.items()}, "float": (float, int), "tuple": (list, tuple),
}
# ... and we (the reward's invalid-parameter check, the data filter) also take a tuple for an
# array, and any value for "any" (None).
FIT_TYPES: dict[str, tuple[type, ...] | None] = {**BFCL_FIT_TYPES, "array": (list, tuple), "any": None}
# "" inside an accepted-values list means "this argument may be omitted" (BFCL).
OPTIONAL = ""

# BFCL's Java and JavaScript parameter types (``JAVA_TYPE_CONVERSION`` / ``JS_TYPE_CONVERSION`` in
# bfcl_eval.constants.type_mappings), spelled exactly as BFCL does, mapped to the names above.  BFCL
# looks these up case-sensitively for each parameter and for the items of an array, so the loader
# does too.  Java's Set, Hashtable, Queue and Stack are left out: BFCL's converter raises
# NotImplementedError on them, so such a tool cannot be scored.
JAVA_TYPE_ALIASES: dict[str, str] = {
    "byte": "integer", "short": "integer", "integer": "integer", "long": "integer",
    "float": "float", "double": "float", "boolean": "boolean", "char": "string", "String": "string",
    "any": "any", "Array": "array", "ArrayList": "array", "HashMap": "dict",
}
JS_TYPE_ALIASES: dict[str, str] = {
    "String": "string", "integer": "integer", "float": "float", "Bigint": "integer", "Boolean": "boolean",
    "dict": "dict", "array": "array", "any": "any",
}
LANGUAGES = ("python", "java", "javascript")


class _AnyType(Mapping):
    """Types inside a Java/JavaScript parameter, which BFCL never reads: known names as usual, the rest "any"."""

    def __getitem__(self, raw: Any) -> str:
        return TYPE_ALIASES.get(raw.lower(), "any") if isinstance(raw, str) else "any"

    def __contains__(self, raw: object) -> bool:
        return True

    def __iter__(self):  # pragma: no cover - never listed
        return iter(TYPE_ALIASES)

    def __len__(self) -> int:  # pragma: no cover
        return len(TYPE_ALIASES)


_ANY_TYPE = _AnyType()
LANGUAGE_TYPE_ALIASES: dict[str, dict[str, str]] = {"java": JAVA_TYPE_ALIASES, "javascript": JS_TYPE_ALIASES}


def language_of(category: str) -> str:
    """The language of a BFCL test category, as BFCL decides it (``is_java`` / ``is_js`` in bfcl_eval.utils).

    >>> language_of("simple_java"), language_of("simple_javascript"), language_of("live_simple")
    ('java', 'javascript', 'python')
    """
    if "javascript" in category:
        return "javascript"
    return "java" if "java" in category else "python"


def task_language(source: str, category: str) -> str:
    """:func:`language_of` for BFCL tasks (source ``bfcl_*``); every other task is Python."""
    return language_of(category) if source.startswith("bfcl") else "python"


class SchemaError(ValueError):
    """Malformed tool schema, ground truth or task record; the message names the field."""

    def __init__(self, where: str, reason: str):
        super().__init__(f"{where}: {reason}")
        self.where = where
        self.reason = reason


@dataclass(frozen=True)
class Param:
    """One parameter (or nested item) schema, normalised to BFCL's type names."""

    type: str
    description: str = ""
    enum: tuple[Any, ...] | None = None
    items: Param | None = None
    properties: dict[str, Param] = field(default_factory=dict)
    required: tuple[str, ...] = ()
    raw_type: str = ""

    @classmethod
    def from_json(cls, obj: Any, where: str, types: Mapping[str, str] | None = None,
                  property_types: Mapping[str, str] | None = None) -> Param:
        """Parse one schema node.

        ``types`` (a language's exact type names, e.g. :data:`JAVA_TYPE_ALIASES`) resolves the
        type of this node and of its array items; ``property_types`` that of its properties.
        Without them (Python), the lenient :data:`TYPE_ALIASES` apply, case-insensitively.
        """
        if not isinstance(obj, dict):
            raise SchemaError(where, f"parameter schema must be an object, got {type(obj).__name__}")
        raw = obj.get("type", "any")
        if isinstance(raw, list):  # JSON schema unions like ["string", "null"]: keep the first non-null
            raw = next((t for t in raw if t != "null"), "any")
        if types is not None:
            if not isinstance(raw, str) or raw not in types:
                raise SchemaError(f"{where}.type", f"unknown type {raw!r}; known: {sorted(types)}")
            typ = types[raw]
        elif not isinstance(raw, str) or raw.lower() not in TYPE_ALIASES:
            raise SchemaError(f"{where}.type", f"unknown type {raw!r}; known: {sorted(TYPE_ALIASES)}")
        else:
            typ = TYPE_ALIASES[raw.lower()]
        items = None
        if typ in ("array", "tuple"):
            items = cls.from_json(obj.get("items", {"type": "any"}), f"{where}.items", types)
        props_obj = obj.get("properties", {}) or {}
        if not isinstance(props_obj, dict):
            raise SchemaError(f"{where}.properties", "must be an object")
        inner = _ANY_TYPE if types is not None or property_types is not None else None
        props = {k: cls.from_json(v, f"{where}.properties.{k}", property_types, inner) for k, v in props_obj.items()}
        required = obj.get("required", []) or []
        if not isinstance(required, list) or not all(isinstance(r, str) for r in required):
            raise SchemaError(f"{where}.required", "must be a list of parameter names")
        enum = obj.get("enum")
        if enum is not None and not isinstance(enum, list):
            raise SchemaError(f"{where}.enum", "must be a list")
        return cls(
            type=typ,
            description=str(obj.get("description", "")),
            enum=tuple(enum) if enum is not None else None,
            items=items,
            properties=props,
            required=tuple(required),
            raw_type=raw,
        )

    @property
    def python_type(self) -> type:
        """The Python type BFCL's checker reads this type as (:data:`PYTHON_TYPES`)."""
        return PYTHON_TYPES[self.type]

    def fit_types(self, *, bfcl: bool = False) -> tuple[type, ...] | None:
        """The types (compared with ``type()``) of a value that fits this parameter; None: any value.

        ``bfcl``: as BFCL's checker reads the schema (:data:`BFCL_FIT_TYPES`), where an array
        must be a list and "any" is a string; else :data:`FIT_TYPES`.
        """
        return (BFCL_FIT_TYPES if bfcl else FIT_TYPES)[self.type]

    def fits(self, value: Any, *, deep: bool = False, possible_answer: bool = False) -> bool:
        """Does ``value`` have this parameter's type (:meth:`fit_types`)?

        Args:
            value: a call's argument, or (``possible_answer``) one accepted value of a ground truth.
            deep: check array items and object properties at every depth.  Without it, array
                items are checked one level deep and by their own type only, as BFCL's checker
                does, and objects' properties are not checked.
            possible_answer: (with ``deep``) the value is in BFCL's possible-answer form: an
                object's properties hold lists of accepted values, ``""`` meaning "may be
                omitted" (a plain value is taken as a list of one).

        Properties outside the schema are not checked.

        >>> Param("float").fits(3), Param("integer").fits(True), Param("any").fits(None)
        (True, False, True)
        >>> spec = Param("array", items=Param("array", items=Param("integer")))
        >>> spec.fits([["a"]]), spec.fits([["a"]], deep=True)
        (True, False)
        """
        types = self.fit_types()
        if types is None:
            return True
        if type(value) not in types:
            return False
        if self.items is not None:
            if deep:
                return all(self.items.fits(x, deep=True, possible_answer=possible_answer) for x in value)
            inner = self.items.fit_types()
            return inner is None or all(type(x) in inner for x in value)
        if deep and self.properties and type(value) is dict:
            for key, v in value.items():
                sub = self.properties.get(key)
                if sub is None:
                    continue
                options = v if possible_answer and isinstance(v, list) else [v]
                if not all((possible_answer and o == OPTIONAL) or sub.fits(o, deep=True, possible_answer=possible_answer)
                           for o in options):
                    return False
        return True


@dataclass(frozen=True)
class Tool:
    """A callable tool: name, description and its top-level parameter object."""

    name: str
    description: str
    parameters: Param
    raw: dict[str, Any] = field(compare=False, repr=False, default_factory=dict)

    @classmethod
    def from_json(cls, obj: Any, where: str = "tool", language: str = "python") -> Tool:
        """Parse a tool schema; for ``language`` "java" or "javascript", each parameter's type must be
        one of BFCL's names for that language (kept in :attr:`Param.raw_type` for the matcher)."""
        if language not in LANGUAGES:
            raise ValueError(f"unknown language {language!r}; known: {', '.join(LANGUAGES)}")
        if isinstance(obj, dict) and obj.get("type") == "function" and isinstance(obj.get("function"), dict):
            obj = obj["function"]  # OpenAI's {"type": "function", "function": {...}} wrapper
        if not isinstance(obj, dict):
            raise SchemaError(where, f"tool must be an object, got {type(obj).__name__}")
        name = obj.get("name")
        if not isinstance(name, str) or not name.strip():
            raise SchemaError(f"{where}.name", f"missing or not a string: {name!r}")
        params_obj = obj.get("parameters") or {"type": "dict", "properties": {}}
        params = Param.from_json(params_obj, f"{where}[{name}].parameters",
                                 property_types=LANGUAGE_TYPE_ALIASES.get(language))
        if params.type != "dict":
            raise SchemaError(f"{where}[{name}].parameters.type", f"must be an object, got {params.raw_type!r}")
        for req in params.required:
            if req not in params.properties:
                raise SchemaError(f"{where}[{name}].parameters.required", f"{req!r} is not a property")
        return cls(name=name, description=str(obj.get("description", "")), parameters=params, raw=dict(obj))

    def to_json(self) -> dict[str, Any]:
        """The schema as the user gave it (used in prompts)."""
        return self.raw or {"name": self.name, "description": self.description}


@dataclass(frozen=True)
class ToolCall:
    """A predicted call: function name and keyword arguments (Python values)."""

    name: str
    args: dict[str, Any]


@dataclass(frozen=True)
class ExpectedCall:
    """One ground-truth call: for each argument, the tuple of accepted values."""

    name: str
    args: dict[str, tuple[Any, ...]]
    # Derived data the matcher caches (its compiled plan); not part of the value.
    cache: dict[str, Any] = field(default_factory=dict, compare=False, repr=False, hash=False)


GroundTruth = tuple[ExpectedCall, ...]


def parse_ground_truth(obj: Any, where: str = "ground_truth") -> GroundTruth:
    """Parse BFCL's possible-answer form ``[{"func": {"arg": [accepted, ...]}}]``.

    An empty list means that no call is expected (irrelevance).
    """
    if isinstance(obj, str):
        try:
            obj = json.loads(obj)
        except json.JSONDecodeError as e:
            raise SchemaError(where, f"not valid JSON ({e.msg})") from None
    if not isinstance(obj, list):
        raise SchemaError(where, f"must be a list of calls, got {type(obj).__name__}")
    calls = []
    for i, entry in enumerate(obj):
        if not isinstance(entry, dict) or len(entry) != 1:
            raise SchemaError(f"{where}[{i}]", "each call must be an object with exactly one function name")
        (name, args), = entry.items()
        if not isinstance(args, dict):
            raise SchemaError(f"{where}[{i}].{name}", "arguments must be an object")
        parsed = {}
        for arg, accepted in args.items():
            if not isinstance(accepted, list):
                raise SchemaError(f"{where}[{i}].{name}.{arg}", "accepted values must be a list")
            parsed[arg] = tuple(accepted)
        calls.append(ExpectedCall(name=name, args=parsed))
    return tuple(calls)


def ground_truth_to_json(gt: GroundTruth) -> list[dict[str, dict[str, list[Any]]]]:
    """Inverse of :func:`parse_ground_truth`."""
    return [{c.name: {k: list(v) for k, v in c.args.items()}} for c in gt]


@dataclass(frozen=True)
class Task:
    """One tool-use task: tools, conversation so far and the expected calls."""

    id: str
    source: str
    tools: tuple[Tool, ...]
    messages: tuple[dict[str, str], ...]
    ground_truth: GroundTruth
    category: str = ""

    def __post_init__(self) -> None:
        names = [t.name for t in self.tools]
        if len(set(names)) != len(names):
            raise SchemaError(f"task {self.id}.tools", f"duplicate tool names in {names}")
        known = set(names)
        for call in self.ground_truth:
            if call.name not in known:
                raise SchemaError(f"task {self.id}.ground_truth", f"calls {call.name!r}, not in tools {sorted(known)}")
        for m in self.messages:
            if not isinstance(m, dict) or "role" not in m or "content" not in m:
                raise SchemaError(f"task {self.id}.messages", f"bad message {m!r}")

    def tool(self, name: str) -> Tool | None:
        return next((t for t in self.tools if t.name == name), None)

    @property
    def language(self) -> str:
        """"java" / "javascript" for BFCL's simple_java / simple_javascript items, else "python"."""
        return task_language(self.source, self.category)

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> Task:
        """Build a task from its JSON form (see :meth:`to_json`)."""
        tid = str(obj.get("id", "?"))
        tools_obj = obj.get("tools")
        if not isinstance(tools_obj, list):
            raise SchemaError(f"task {tid}.tools", "must be a list of tool schemas")
        language = task_language(str(obj.get("source", "")), str(obj.get("category", "")))
        tools = tuple(Tool.from_json(t, f"task {tid}.tools[{i}]", language) for i, t in enumerate(tools_obj))
        messages = obj.get("messages")
        if not isinstance(messages, list):
            raise SchemaError(f"task {tid}.messages", "must be a list of {role, content}")
        gt = parse_ground_truth(obj.get("ground_truth"), f"task {tid}.ground_truth")
        return cls(id=tid, source=str(obj.get("source", "")), tools=tools, messages=tuple(messages),
                   ground_truth=gt, category=str(obj.get("category", "")))

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source": self.source,
            "category": self.category,
            "tools": [t.to_json() for t in self.tools],
            "messages": list(self.messages),
            "ground_truth": ground_truth_to_json(self.ground_truth),
        }


def coerce_ground_truth(gt: Any, where: str = "ground_truth") -> GroundTruth:
    """Accept a parsed ground truth, its JSON form, or a JSON string."""
    if isinstance(gt, tuple) and all(isinstance(c, ExpectedCall) for c in gt):
        return gt
    return parse_ground_truth(gt, where)


def coerce_tools(tools: Any, where: str = "tools") -> dict[str, Tool]:
    """Accept tools as a name->Tool mapping, a list of Tool, a list of JSON schemas or a JSON string."""
    if isinstance(tools, dict) and all(isinstance(t, Tool) for t in tools.values()):
        return tools
    if isinstance(tools, str):
        try:
            tools = json.loads(tools)
        except json.JSONDecodeError as e:
            raise SchemaError(where, f"not valid JSON ({e.msg})") from None
    if not isinstance(tools, (list, tuple)):
        raise SchemaError(where, f"must be a list of tool schemas, got {type(tools).__name__}")
    out = {}
    for i, t in enumerate(tools):
        tool = t if isinstance(t, Tool) else Tool.from_json(t, f"{where}[{i}]")
        out[tool.name] = tool
    return out


def coerce_inputs(ground_truth: Any, tools: Any) -> tuple[GroundTruth, dict[str, Tool]]:
    """Coerce a reward's ground truth and tools, and check that every expected call names a tool."""
    gt = coerce_ground_truth(ground_truth)
    tool_map = coerce_tools(tools)
    for i, call in enumerate(gt):
        if call.name not in tool_map:
            raise SchemaError(f"ground_truth[{i}]", f"calls {call.name!r}, not among the tools {sorted(tool_map)}")
    return gt, tool_map
