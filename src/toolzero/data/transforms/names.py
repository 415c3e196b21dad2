"""5.2 name masking: rename functions to ``func_k`` and parameters to ``param_k``, and back."""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from toolzero.calls.parse import CallSyntaxError, parse_call_list
from toolzero.calls.render import render_calls
from toolzero.data.transforms.common import Seed, task_rng
from toolzero.schema import ExpectedCall, Param, Task, Tool, ToolCall

ParamTree = dict[str, tuple[str, "ParamTree"]]  # original key -> (new key, tree of its nested properties)


@dataclass(frozen=True)
class NameMapping:
    """How :func:`mask_names` renamed a task.

    Attributes:
        functions: original function name -> masked name (``func_k``).
        params: per *original* function name, a tree original parameter -> (masked name,
            tree of its nested properties).  An array of objects shares its items' tree.
    """

    functions: dict[str, str]
    params: dict[str, ParamTree]

    def inverse(self) -> NameMapping:
        """The mapping that undoes this one."""
        return NameMapping({new: old for old, new in self.functions.items()},
                           {self.functions[f]: _invert_tree(tree) for f, tree in self.params.items()})


def _invert_tree(tree: ParamTree) -> ParamTree:
    return {new: (old, _invert_tree(sub)) for old, (new, sub) in tree.items()}


def _nested(spec: Param) -> Param | None:
    """The object whose properties a value of ``spec`` carries (itself, or an array's items)."""
    if spec.type == "dict" and spec.properties:
        return spec
    if spec.type in ("array", "tuple") and spec.items is not None:
        return _nested(spec.items)
    return None


def _build_tree(obj: Param, rng: random.Random) -> ParamTree:
    keys = list(obj.properties)
    numbers = list(range(1, len(keys) + 1))
    rng.shuffle(numbers)
    tree: ParamTree = {}
    for key, n in zip(keys, numbers):
        inner = _nested(obj.properties[key])
        tree[key] = (f"param_{n}", _build_tree(inner, rng) if inner is not None else {})
    return tree


def mask_names(task: Task, rng_or_seed: Seed = 0) -> tuple[Task, NameMapping]:
    """Rename functions to ``func_1..n`` and parameters to ``param_1..k`` (METHOD.md 5.2).

    Numbers are a random permutation (so position in the tool list says nothing).  Parameters
    are numbered per tool, and nested object properties (also inside arrays of objects) per
    object, at every depth.  Renamed consistently: tool schemas (``name``, ``properties``,
    ``required``), the ground truth (argument names, and the keys of dict values and of
    lists of dicts), and calls inside earlier ``<answer>[...]</answer>`` assistant turns.
    In free text (messages, descriptions) only function *names* are replaced, as whole
    (dotted) identifiers, and only names that cannot be ordinary words (they contain ``_``,
    ``.``, a digit or an inner capital); parameter names in free text are left alone (too
    ambiguous: ``city``).
    The id and category are unchanged.  :func:`unmask_names` with the returned mapping
    gives back the original task.
    """
    rng = task_rng(rng_or_seed, task.id)
    numbers = list(range(1, len(task.tools) + 1))
    rng.shuffle(numbers)
    functions = {t.name: f"func_{n}" for t, n in zip(task.tools, numbers)}
    params = {t.name: _build_tree(t.parameters, rng) for t in task.tools}
    mapping = NameMapping(functions, params)
    return apply_names(task, mapping), mapping


def unmask_names(task: Task, mapping: NameMapping) -> Task:
    """Undo :func:`mask_names`."""
    return apply_names(task, mapping.inverse())


def apply_names(task: Task, mapping: NameMapping) -> Task:
    """Rename a task's functions and parameters as ``mapping`` says (see :func:`mask_names`)."""
    text = _TextRenamer(mapping.functions)
    tools = tuple(_rename_tool(t, mapping, text) for t in task.tools)
    gt = tuple(_rename_expected(c, mapping) for c in task.ground_truth)
    messages = tuple(_rename_message(m, mapping, text) for m in task.messages)
    return replace(task, tools=tools, ground_truth=gt, messages=messages)


_IDENTIFIER = re.compile(r"(?<![\w.])[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*(?!\w)")  # get_weather, math.hypot
_WORDLIKE = re.compile(r"[A-Za-z][a-z]*|[A-Z]+")  # "Attack", "B", "HELP": could be ordinary words


class _TextRenamer:
    """Whole-word replacement of (identifier-like, dotted) function names in free text, in one pass."""

    def __init__(self, names: Mapping[str, str]):
        self.names = {k: v for k, v in names.items() if not _WORDLIKE.fullmatch(k)}

    def __call__(self, s: str) -> str:
        if not s or not any(n in s for n in self.names):  # the common case: nothing to rename
            return s
        return _IDENTIFIER.sub(lambda m: self.names.get(m.group(0), m.group(0)), s)


def _tool_json(tool: Tool) -> dict[str, Any]:
    return dict(tool.raw) if tool.raw else {"name": tool.name, "description": tool.description,
                                           "parameters": _param_json(tool.parameters)}


def _param_json(p: Param) -> dict[str, Any]:
    out: dict[str, Any] = {"type": p.raw_type or p.type}
    if p.description:
        out["description"] = p.description
    if p.enum is not None:
        out["enum"] = list(p.enum)
    if p.items is not None:
        out["items"] = _param_json(p.items)
    if p.properties:
        out["properties"] = {k: _param_json(v) for k, v in p.properties.items()}
    if p.required:
        out["required"] = list(p.required)
    return out


def _rename_schema(obj: Any, tree: ParamTree, text: _TextRenamer) -> Any:
    if not isinstance(obj, dict):
        return obj
    out = dict(obj)
    if isinstance(obj.get("description"), str):
        out["description"] = text(obj["description"])
    props = obj.get("properties")
    if isinstance(props, dict):
        out["properties"] = {tree.get(k, (k, {}))[0]: _rename_schema(v, tree.get(k, (k, {}))[1], text)
                             for k, v in props.items()}
    if isinstance(obj.get("required"), list):
        out["required"] = [tree.get(r, (r, {}))[0] for r in obj["required"]]
    if isinstance(obj.get("items"), dict):
        out["items"] = _rename_schema(obj["items"], tree, text)
    return out


def _rename_tool(tool: Tool, mapping: NameMapping, text: _TextRenamer) -> Tool:
    raw = _tool_json(tool)
    tree = mapping.params.get(tool.name, {})
    out = _rename_schema(raw, {}, text)  # description
    out["name"] = mapping.functions.get(tool.name, tool.name)
    if isinstance(raw.get("parameters"), dict):
        out["parameters"] = _rename_schema(raw["parameters"], tree, text)
    return Tool.from_json(out, f"masked {tool.name}")


def _rename_accepted(value: Any, tree: ParamTree) -> Any:
    """Rename keys inside one accepted value (possible-answer form: dict values are option lists)."""
    if not tree:
        return value
    if type(value) is dict:
        out = {}
        for k, options in value.items():
            new, sub = tree.get(k, (k, {}))
            out[new] = [_rename_accepted(o, sub) for o in options] if isinstance(options, list) else _rename_value(options, sub)
        return out
    if type(value) is list:
        return [_rename_accepted(x, tree) for x in value]
    return value


def _rename_value(value: Any, tree: ParamTree) -> Any:
    """Rename keys inside a concrete argument value (a model's call)."""
    if not tree:
        return value
    if type(value) is dict:
        return {tree.get(k, (k, {}))[0]: _rename_value(v, tree.get(k, (k, {}))[1]) for k, v in value.items()}
    if type(value) in (list, tuple):
        return type(value)(_rename_value(x, tree) for x in value)
    return value


def _rename_expected(call: ExpectedCall, mapping: NameMapping) -> ExpectedCall:
    tree = mapping.params.get(call.name, {})
    args = {}
    for arg, accepted in call.args.items():
        new, sub = tree.get(arg, (arg, {}))
        args[new] = tuple(_rename_accepted(a, sub) for a in accepted)
    return ExpectedCall(mapping.functions.get(call.name, call.name), args)


def rename_calls(calls: Iterable[ToolCall], mapping: NameMapping) -> list[ToolCall]:
    """Rename concrete calls (e.g. a model's answer on a masked task, with ``mapping.inverse()``)."""
    out = []
    for c in calls:
        tree = mapping.params.get(c.name, {})
        args = {tree.get(k, (k, {}))[0]: _rename_value(v, tree.get(k, (k, {}))[1]) for k, v in c.args.items()}
        out.append(ToolCall(mapping.functions.get(c.name, c.name), args))
    return out


_ANSWER_BLOCK = re.compile(r"(<answer>)(.*?)(</answer>)", re.DOTALL)


def _rename_message(m: dict[str, str], mapping: NameMapping, text: _TextRenamer) -> dict[str, str]:
    content = m["content"]
    if m["role"] != "assistant" or "<answer>" not in content:
        return {**m, "content": text(content)}
    pieces, last = [], 0
    for match in _ANSWER_BLOCK.finditer(content):
        pieces.append(text(content[last:match.start()]))
        try:
            body = render_calls(rename_calls(parse_call_list(match.group(2)), mapping))
        except CallSyntaxError:
            body = text(match.group(2))
        pieces.append(match.group(1) + body + match.group(3))
        last = match.end()
    pieces.append(text(content[last:]))
    return {**m, "content": "".join(pieces)}

