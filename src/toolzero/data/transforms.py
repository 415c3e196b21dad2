"""Data transforms of METHOD.md section 5, each a pure function over records.

In pipeline order:

* :func:`parse_filter` (5.1) turns raw records into tasks and drops the broken ones, counting why;
* :func:`mask_names` / :func:`unmask_names` (5.2) rename functions and parameters to ``func_k`` / ``param_k``;
* :func:`make_irrelevant` (5.3) removes the called tools and expects no call;
* multi-turn augmentation (5.4): :func:`concat_dialogues` (a), :func:`drop_and_reintroduce` (b),
  :func:`mask_parameter` (c), :func:`perturb_previous_call` (d);
* :func:`dedupe` and :func:`decontaminate` (5.5), the latter with an indexed near-duplicate search.

Tasks are frozen: every transform returns new tasks (``dataclasses.replace``).  Transforms that
draw random choices take a seed and seed one ``random.Random`` per task from ``(seed, task.id)``,
so a task's output does not depend on which other tasks are processed with it.

Conventions for the conversations the augmentations write (our choice; METHOD.md leaves them open):

* an earlier assistant turn is written in the policy's own output format,
  ``<think>...</think>\\n<answer>[calls]</answer>`` (:data:`ASSISTANT_TURN`), so that history and
  completions look alike; a turn that calls nothing, or asks the user something, has
  ``<answer>[]</answer>`` and carries its question inside ``<think>``;
* each earlier call is followed by one ``tool`` message holding a placeholder result
  (:data:`TOOL_RESULT`, ``{"function": name, "status": "success"}``): there are no executors;
* the ground truth of an augmented task is the call(s) expected at the *last* turn only.
"""

from __future__ import annotations

import json
import logging
import math
import random
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import Enum
from typing import Any

from toolzero.calls.match import match_calls
from toolzero.calls.parse import CallSyntaxError, parse_call_list
from toolzero.calls.render import reference_calls, render_calls
from toolzero.data.report import LoadReport
from toolzero.schema import (
    OPTIONAL,
    ExpectedCall,
    Param,
    SchemaError,
    Task,
    Tool,
    ToolCall,
    ground_truth_to_json,
    parse_ground_truth,
)

log = logging.getLogger(__name__)

Seed = int | str | random.Random


class AugCategory(str, Enum):
    """``Task.category`` of what the transforms produce."""

    IRRELEVANCE = "irrelevance"
    CONCAT = "multi_turn_concat"  # 5.4a: earlier dialogues, then the final request
    MISS_FUNC = "multi_turn_miss_func"  # 5.4b first turn: the needed tool is missing, answer []
    MISS_FUNC_READDED = "multi_turn_miss_func_readded"  # 5.4b later turn: the tool is back, make the call
    MISS_PARAM = "multi_turn_miss_param"  # 5.4c: a required value is missing, ask the user (answer [])
    MISS_PARAM_ANSWERED = "multi_turn_miss_param_answered"  # 5.4c: the user gave the value, make the call
    CORRECTION = "multi_turn_correction"  # 5.4d: an earlier call was wrong, issue the corrected call


ASSISTANT_TURN = "<think>{think}</think>\n<answer>{answer}</answer>"
TOOL_RESULT = {"status": "success"}  # placeholder tool output, with the function's name added


def _rng(seed: Seed, key: str) -> random.Random:
    """A generator for one task: the caller's own ``Random``, or one seeded from ``(seed, key)``."""
    return seed if isinstance(seed, random.Random) else random.Random(f"{seed}:{key}")


# ============================================================================ 5.1 filter


class _Drop(Exception):
    def __init__(self, kind: str, detail: str):
        super().__init__(f"{kind}: {detail}")
        self.reason = f"{kind}: {detail}"


def parse_filter(records: Iterable[Task | dict[str, Any]], report: LoadReport | None = None) -> list[Task]:
    """Keep the records that parse and whose ground truth can be met; count the others by reason.

    Records are :class:`Task` objects or their JSON form (:meth:`Task.to_json`).  Reasons
    (the text before ``:`` in ``report.skipped``): ``bad_record``, ``bad_tools``,
    ``bad_ground_truth``, ``bad_messages``, ``unknown_tool`` (a call names a tool not in the
    list), ``unknown_param`` (an argument the schema does not define), ``missing_required``
    (a required parameter absent from the ground truth: no answer could match) and
    ``type_mismatch`` (an accepted value does not have the schema's type; ints are accepted
    for floats, nested objects and array items are checked too; enums are not checked).
    """
    report = report if report is not None else LoadReport()
    kept = []
    for i, rec in enumerate(records):
        rid = rec.id if isinstance(rec, Task) else str(rec.get("id", f"record[{i}]")) if isinstance(rec, dict) else f"record[{i}]"
        try:
            task = rec if isinstance(rec, Task) else _parse_record(rec, rid)
            _check_ground_truth(task)
        except _Drop as d:
            report.skip(rid, d.reason)
            continue
        kept.append(task)
        report.kept += 1
    return kept


def _parse_record(rec: Any, rid: str) -> Task:
    if not isinstance(rec, dict):
        raise _Drop("bad_record", f"expected a task or a JSON object, got {type(rec).__name__}")
    tools_obj = rec.get("tools")
    if not isinstance(tools_obj, list):
        raise _Drop("bad_tools", "tools must be a list of schemas")
    try:
        tools = tuple(Tool.from_json(t, f"tools[{j}]") for j, t in enumerate(tools_obj))
    except SchemaError as e:
        raise _Drop("bad_tools", str(e)) from None
    names = [t.name for t in tools]
    if len(set(names)) != len(names):
        raise _Drop("bad_tools", f"duplicate tool names in {names}")
    try:
        gt = parse_ground_truth(rec.get("ground_truth"), "ground_truth")
    except SchemaError as e:
        raise _Drop("bad_ground_truth", str(e)) from None
    messages = rec.get("messages")
    if not isinstance(messages, list) or not all(
            isinstance(m, dict) and isinstance(m.get("role"), str) and isinstance(m.get("content"), str) for m in messages):
        raise _Drop("bad_messages", "messages must be a list of {role, content} strings")
    for call in gt:
        if call.name not in names:
            raise _Drop("unknown_tool", f"calls {call.name!r}, not in tools {sorted(names)}")
    try:
        return Task(id=rid, source=str(rec.get("source", "")), tools=tools, messages=tuple(messages), ground_truth=gt,
                    category=str(rec.get("category", "")))
    except SchemaError as e:
        raise _Drop("bad_record", str(e)) from None


def _check_ground_truth(task: Task) -> None:
    for call in task.ground_truth:
        tool = task.tool(call.name)
        if tool is None:
            raise _Drop("unknown_tool", f"calls {call.name!r}, not in the tools")
        props = tool.parameters.properties
        for arg, accepted in call.args.items():
            if arg not in props:
                raise _Drop("unknown_param", f"{call.name}.{arg} is not in the schema")
            for value in accepted:
                if value != OPTIONAL and not _fits(value, props[arg]):
                    raise _Drop("type_mismatch", f"{call.name}.{arg}: {value!r} is not {props[arg].type}")
        for req in tool.parameters.required:
            if req not in call.args:
                raise _Drop("missing_required", f"{call.name}.{req} is required but absent from the ground truth")


def _fits(value: Any, spec: Param) -> bool:
    """Does an accepted value have the schema's type (possible-answer form for dicts)?"""
    t = spec.type
    if t == "any":
        return True
    if t == "string":
        return type(value) is str
    if t == "integer":
        return type(value) is int
    if t == "float":
        return type(value) in (int, float)
    if t == "boolean":
        return type(value) is bool
    if t in ("array", "tuple"):
        return isinstance(value, (list, tuple)) and (spec.items is None or all(_fits(x, spec.items) for x in value))
    # dict: BFCL writes {"key": [accepted, ...]}; a plain {"key": value} is accepted too
    if type(value) is not dict:
        return False
    for key, options in value.items():
        sub = spec.properties.get(key)
        if sub is None:
            continue
        values = options if isinstance(options, list) else [options]
        if not all(o == OPTIONAL or _fits(o, sub) for o in values):
            return False
    return True


# ============================================================================ 5.2 name masking

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
    rng = _rng(rng_or_seed, task.id)
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


# ============================================================================ 5.3 irrelevance


def make_irrelevant(task: Task) -> Task | None:
    """The same request without the tool(s) it calls, expecting no call (``()``).

    Returns None when the task already expects no call, or when no tool would remain.
    Id gets ``::irrelevant``; category becomes ``irrelevance``.
    """
    if not task.ground_truth:
        return None
    called = {c.name for c in task.ground_truth}
    tools = tuple(t for t in task.tools if t.name not in called)
    if not tools:
        return None
    return replace(task, id=f"{task.id}::irrelevant", tools=tools, ground_truth=(), category=AugCategory.IRRELEVANCE.value)


# ============================================================================ 5.4 multi-turn augmentation


def assistant_turn(calls: Sequence[ToolCall], think: str = "") -> dict[str, str]:
    """An earlier assistant message in the policy's format (see the module notes)."""
    if not think:
        think = (f"The request needs {', '.join(dict.fromkeys(c.name for c in calls))}." if calls
                 else "None of the available functions can do this, so I call nothing.")
    return {"role": "assistant", "content": ASSISTANT_TURN.format(think=think, answer=render_calls(calls))}


def tool_results(calls: Sequence[ToolCall]) -> list[dict[str, str]]:
    """One placeholder ``tool`` message per call."""
    return [{"role": "tool", "content": json.dumps({"function": c.name, **TOOL_RESULT})} for c in calls]


def _last_user(task: Task) -> int | None:
    return next((i for i in range(len(task.messages) - 1, -1, -1) if task.messages[i]["role"] == "user"), None)


# ---------------------------------------------------------------------------- (a) concatenate related dialogues

MAX_PARTNER_TRIES = 20  # random probes of the tool index per task before giving up


def concat_dialogues(tasks: Sequence[Task], seed: Seed = 0, turns: int = 2) -> list[Task]:
    """5.4a: join related dialogues into one conversation (one output per task that finds partners).

    For each task (the *final* one), ``turns - 1`` partner tasks are drawn from the same
    ``source`` that share a tool name with the final task or an already chosen partner (the
    same name must mean the same schema, and queries must differ).  The conversation is:
    each partner's messages, then an assistant turn with the partner's answer (its first
    accepted values; ``[]`` for no call) and one placeholder tool result per call; then the
    final task's messages.  Tools: the final task's, then the partners' others.  Ground
    truth: the final task's.  Id ``<final>::concat[<partner ids>]``, category ``multi_turn_concat``.
    """
    if turns < 2:
        raise ValueError(f"turns must be >= 2, got {turns}")
    index: dict[tuple[str, str], list[int]] = {}
    for i, t in enumerate(tasks):
        for tool in t.tools:
            index.setdefault((t.source, tool.name), []).append(i)
    out = []
    for i, final in enumerate(tasks):
        if not final.tools:
            continue
        rng = _rng(seed, final.id)
        partners = _find_partners(tasks, index, i, turns - 1, rng)
        if partners is not None:
            out.append(_concatenate([tasks[j] for j in partners], final))
    return out


def _find_partners(tasks: Sequence[Task], index: Mapping[tuple[str, str], list[int]], i: int, k: int,
                   rng: random.Random) -> list[int] | None:
    final = tasks[i]
    tools = {t.name: t for t in final.tools}
    queries = {normalize_query(m["content"]) for m in final.messages if m["role"] == "user"}
    chosen: list[int] = []
    for _ in range(MAX_PARTNER_TRIES * k):
        if len(chosen) == k:
            break
        posting = index[(final.source, rng.choice(sorted(tools)))]
        j = rng.choice(posting)
        cand = tasks[j]
        if j == i or j in chosen or any(tools.get(t.name, t) != t for t in cand.tools):
            continue
        q = {normalize_query(m["content"]) for m in cand.messages if m["role"] == "user"}
        if q & queries:
            continue
        chosen.append(j)
        queries |= q
        tools.update({t.name: t for t in cand.tools})
    return chosen if len(chosen) == k else None


def _concatenate(partners: Sequence[Task], final: Task) -> Task:
    system = [m for t in (*partners, final) for m in t.messages if m["role"] == "system"]
    messages: list[dict[str, str]] = list(dict((m["content"], m) for m in system).values())
    for p in partners:
        calls = reference_calls(p.ground_truth, keep_optional=True)
        messages.extend(m for m in p.messages if m["role"] != "system")
        messages.append(assistant_turn(calls))
        messages.extend(tool_results(calls))
    messages.extend(m for m in final.messages if m["role"] != "system")
    tools = {t.name: t for t in final.tools}
    for p in partners:
        for t in p.tools:
            tools.setdefault(t.name, t)
    return replace(final, id=f"{final.id}::concat[{','.join(p.id for p in partners)}]", tools=tuple(tools.values()),
                   messages=tuple(messages), category=AugCategory.CONCAT.value)


# ---------------------------------------------------------------------------- (b) drop a tool, re-introduce it

READDED_TEMPLATES = (
    "I've just added {names} to your tools. Please try again.",
    "You now have access to {names}. Can you do it now?",
    "{names} is available now, go ahead.",
    "I enabled {names} for you. Please continue with my request.",
)


def drop_and_reintroduce(task: Task, seed: Seed = 0) -> list[Task]:
    """5.4b: the needed tool is missing at first, and added in a later turn.

    Returns up to two tasks (``[]`` when the task expects no call):

    1. ``<id>::miss_func`` (category ``multi_turn_miss_func``): the tools without every
       called tool, same messages, ground truth ``()``.  Left out when no tool would remain.
    2. ``<id>::miss_func_readded`` (``multi_turn_miss_func_readded``): all the original
       tools; messages = the original ones, an assistant turn that calls nothing (``[]``,
       saying no function fits), and a user turn naming the re-added tool(s); ground truth:
       the original calls.
    """
    if not task.ground_truth:
        return []
    rng = _rng(seed, task.id)
    called = {c.name for c in task.ground_truth}
    missing = [t.name for t in task.tools if t.name in called]
    remaining = tuple(t for t in task.tools if t.name not in called)
    out = []
    if remaining:
        out.append(replace(task, id=f"{task.id}::miss_func", tools=remaining, ground_truth=(),
                           category=AugCategory.MISS_FUNC.value))
    names = " and ".join(f"`{n}`" for n in missing)
    follow = {"role": "user", "content": rng.choice(READDED_TEMPLATES).format(names=names)}
    no_tool = assistant_turn([], "None of the available functions can do this, so I cannot call anything yet.")
    out.append(replace(task, id=f"{task.id}::miss_func_readded", messages=(*task.messages, no_tool, follow),
                       category=AugCategory.MISS_FUNC_READDED.value))
    return out


# ---------------------------------------------------------------------------- (c) mask a required value, ask the user

# Words removed together with a masked value, so that "Book a room in Paris for 3 nights"
# loses "in Paris" or "for 3 nights" rather than leaving "in" or "nights" behind.  Heuristic:
# the post-condition (no accepted value left in the query) is what is guaranteed.
LEFT_WORDS = frozenset("""
in on at for from to with of by via as about around near under over until before after into between per than
against versus named called titled saying using mixing featuring requiring tagged covering checking inviting
pointing affecting focused starting departing arriving leaving due effective running watering keeping capped
totaling targeting asking paying alerting arming disarming delivered hosted wearing weighing lasting priced worth
contributing measuring id number order listing event document member card room showtime version postal code the a an
""".split())
RIGHT_WORDS = frozenset("""
nights guests days weeks months hours minutes seconds people passengers percent brightness kg kwh gb mg tablets
points results packages pallets pets players seats tickets attendees units stars degrees sessions weekly monthly daily
walks term class level seating seat tier urgency problem shot test package connector rows file branch shipping
seeing cm deep square meters bedrooms each ahead plus-ones copies dollars euros
night guest day week month hour minute second person passenger tablet point result package pallet pet player seat
ticket attendee unit star degree session walk copy dollar euro bedroom
""".split())
MAX_EXTRA_WORDS = 3  # at most this many words removed on each side of a masked value
ASK_TEMPLATES = (
    "Which {label} should I use?",
    "Could you tell me the {label}?",
    "What {label} would you like?",
    "I need the {label} first. What is it?",
)
REPLY_TEMPLATES = ("{value}.", "It's {value}.", "Use {value}.", "The {label} is {value}.", "Oh, {value}, sorry.")


def mask_parameter(task: Task, seed: Seed = 0) -> list[Task]:
    """5.4c: remove a required value from the request, so that the right move is to ask for it.

    A candidate is a required parameter whose accepted value (a string or a number, the same
    in every call of that function) appears in the last user message.  One is chosen at
    random; every occurrence is cut out of the message together with its surrounding
    preposition / unit words (:data:`LEFT_WORDS`, :data:`RIGHT_WORDS`).  Returns ``[]`` when
    there is no candidate or the value would still be in some user message; otherwise two tasks:

    1. ``<id>::miss_param`` (category ``multi_turn_miss_param``): the cut request, ground
       truth ``()`` (ask, do not call).  What the assistant should say is the question in
       the next task's assistant turn.
    2. ``<id>::miss_param_answered`` (``multi_turn_miss_param_answered``): the cut request, an
       assistant turn whose ``<think>`` asks for the value (``<answer>[]</answer>``), the
       user's reply with the value as originally written, and the original ground truth.
    """
    li = _last_user(task)
    if li is None or not task.ground_truth:
        return []
    rng = _rng(seed, task.id)
    query = task.messages[li]["content"]
    candidates = []
    for call in task.ground_truth:
        tool = task.tool(call.name)
        if tool is None:
            continue
        siblings = [c for c in task.ground_truth if c.name == call.name]
        for arg in tool.parameters.required:
            accepted = [a for a in call.args.get(arg, ()) if a != OPTIONAL]
            if (not accepted or any(type(a) not in (str, int, float) for a in accepted)
                    or any(c.args.get(arg) != call.args.get(arg) for c in siblings)):
                continue
            spans = _find_values(query, accepted)
            if spans:
                candidates.append((call.name, arg, accepted, spans))
    if not candidates:
        return []
    func, arg, accepted, spans = rng.choice(sorted(candidates, key=lambda c: (c[0], c[1])))
    s, e = spans[0]
    value_text = query[s - 1:e] if s > 0 and query[s - 1] == "$" else query[s:e]
    masked = _cut(query, spans)
    others = [m["content"] for j, m in enumerate(task.messages) if m["role"] == "user" and j != li]
    if not masked or any(_find_values(text, accepted) for text in (masked, *others)):
        return []
    label = arg.replace("_", " ")
    msgs = list(task.messages)
    msgs[li] = {**msgs[li], "content": masked}
    ask_task = replace(task, id=f"{task.id}::miss_param", messages=tuple(msgs), ground_truth=(),
                       category=AugCategory.MISS_PARAM.value)
    question = rng.choice(ASK_TEMPLATES).format(label=label)
    ask = assistant_turn([], f"{func} needs the {label}, which the request does not give, so I ask: {question}")
    reply = {"role": "user", "content": _cap(rng.choice(REPLY_TEMPLATES).format(value=value_text, label=label))}
    answered = replace(task, id=f"{task.id}::miss_param_answered", messages=(*msgs, ask, reply),
                       category=AugCategory.MISS_PARAM_ANSWERED.value)
    return [ask_task, answered]


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _value_forms(value: Any) -> list[str]:
    if type(value) is str:
        return [value] if value.strip() else []
    if type(value) is int:
        return [str(value)]
    forms = [f"{value:.2f}", repr(value), f"{value:g}"]
    if value == int(value):
        forms.append(str(int(value)))
    return list(dict.fromkeys(forms))


def _find_values(text: str, accepted: Sequence[Any]) -> list[tuple[int, int]]:
    """Spans (merged, sorted) where any accepted value is written as a whole word."""
    spans = []
    for value in accepted:
        for form in _value_forms(value):
            pattern = r"(?<![\w.])" + re.escape(form) + r"(?![\w]|[.,]\d)"
            spans.extend(m.span() for m in re.finditer(pattern, text, flags=re.IGNORECASE))
    merged: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def _cut(text: str, spans: Sequence[tuple[int, int]]) -> str:
    for s, e in reversed(spans):
        if s > 0 and text[s - 1] in "$#":
            s -= 1
        for _ in range(MAX_EXTRA_WORDS):
            m = re.search(r"(\S+)\s+$", text[:s])
            if not m or m.group(1).lower() not in LEFT_WORDS:
                break
            s = m.start()
        for _ in range(MAX_EXTRA_WORDS):
            m = re.match(r"\s+([\w-]+)", text[e:])
            if not m or m.group(1).lower() not in RIGHT_WORDS:
                break
            e += m.end()
        text = text[:s].rstrip() + " " + text[e:].lstrip()
    text = re.sub(r"\s+([,.;:?!])", r"\1", re.sub(r"\s{2,}", " ", text)).strip()
    return re.sub(r",\s*([,.;:?!])", r"\1", text)


# ---------------------------------------------------------------------------- (d) perturb an earlier call

CORRECTION_TEMPLATES = (
    "That's not what I asked for. Please check the call against my request and fix it.",
    "Hmm, one of the values in that call is wrong. Can you correct it?",
    "That doesn't match my request. Please redo it with the right details.",
    "Wait, you got something wrong there. Please fix the call.",
)


def perturb_previous_call(task: Task, seed: Seed = 0) -> Task | None:
    """5.4d: an earlier turn made a wrong call; the right move is the corrected call.

    The task's answer (first accepted values) is made wrong in one argument, chosen at
    random (values the request states before optional ones) among those where a wrong value
    can be built and the matcher rejects it: a bool flipped, another enum member, a number
    shifted, a digit changed or a string shortened, a list shortened.

    Messages: the original ones, an assistant turn with all the calls (one of them wrong), a
    placeholder tool result per call, and a user turn saying that something is wrong.
    Ground truth: only the call that was wrong, as originally expected (the others already
    ran).  Id ``<id>::correction``, category ``multi_turn_correction``.  Returns None when
    the task expects no call or no argument can be perturbed.
    """
    if not task.ground_truth:
        return None
    rng = _rng(seed, task.id)
    calls = reference_calls(task.ground_truth, keep_optional=True)
    stated, defaulted = [], []  # prefer values the request states over defaults it leaves implicit
    for i, c in enumerate(calls):
        for arg in c.args:
            (defaulted if OPTIONAL in task.ground_truth[i].args[arg] else stated).append((i, arg))
    rng.shuffle(stated)
    rng.shuffle(defaulted)
    for i, arg in stated + defaulted:
        tool = task.tool(calls[i].name)
        spec = tool.parameters.properties.get(arg) if tool else None
        wrong = _wrong_value(calls[i].args[arg], spec, rng)
        if wrong is None:
            continue
        bad = ToolCall(calls[i].name, {**calls[i].args, arg: wrong})
        if not match_calls([bad], (task.ground_truth[i],), task.tools).valid:
            break
    else:
        return None
    shown = [*calls[:i], bad, *calls[i + 1:]]
    user = {"role": "user", "content": rng.choice(CORRECTION_TEMPLATES)}
    messages = (*task.messages, assistant_turn(shown), *tool_results(shown), user)
    return replace(task, id=f"{task.id}::correction", messages=messages, ground_truth=(task.ground_truth[i],),
                   category=AugCategory.CORRECTION.value)


def _wrong_value(v: Any, spec: Param | None, rng: random.Random) -> Any:
    if type(v) is bool:
        return not v
    if spec is not None and spec.enum:
        others = [x for x in spec.enum if x != v and type(x) is type(v)]
        return rng.choice(others) if others else None
    if type(v) is int:
        return v + rng.choice((1, 2, 5, 10))
    if type(v) is float:
        return round(v + rng.choice((0.5, 1.0, 5.0, 10.0)), 2)
    if type(v) is str:
        digits = [j for j, ch in enumerate(v) if ch.isdigit()]
        if digits:
            j = digits[-1]
            return v[:j] + str((int(v[j]) + 1) % 10) + v[j + 1:]
        words = v.split()
        if len(words) > 1:
            return " ".join(words[:-1])
        return v[: max(1, math.ceil(len(v) * 0.6))] if len(v) > 2 else None
    if type(v) is list and v:
        if len(v) > 1:
            return v[:-1]
        item = _wrong_value(v[0], spec.items if spec else None, rng)
        return None if item is None else [item]
    return None


# ============================================================================ 5.5 dedupe and decontaminate

_NON_WORD = re.compile(r"[\W_]+")


def normalize_query(text: str) -> str:
    """Lower-case, punctuation (anything not a letter or digit) to spaces, whitespace collapsed."""
    return _NON_WORD.sub(" ", text.lower()).strip()


def _user_queries(task: Task) -> list[str]:
    return [m["content"] for m in task.messages if m["role"] == "user"]


def dedupe(records: Iterable[Task], report: LoadReport | None = None) -> list[Task]:
    """Keep the first of records equal in (normalised user queries, sorted tool names, ground truth).

    The ground truth is compared as JSON with sorted keys and calls in any order (parallel
    calls are unordered).  Dropped records are counted as ``duplicate`` in ``report``.
    """
    seen: dict[tuple[Any, ...], str] = {}
    out = []
    for t in records:
        gt = tuple(sorted(json.dumps(c, sort_keys=True, default=str) for c in ground_truth_to_json(t.ground_truth)))
        key = ("\n".join(normalize_query(q) for q in _user_queries(t)), tuple(sorted(x.name for x in t.tools)), gt)
        if key in seen:
            if report is not None:
                report.skip(t.id, f"duplicate: of {seen[key]}")
            continue
        seen[key] = t.id
        out.append(t)
        if report is not None:
            report.kept += 1
    return out


NEAR_NGRAM = 5  # near-duplicates: character n-grams of the normalised query ...
NEAR_JACCARD = 0.9  # ... with Jaccard similarity at least this (our choice, METHOD.md 5.5)


@dataclass(frozen=True)
class ContaminationHit:
    """A training query that matches an evaluation query.

    ``kind``: ``exact`` (equal after normalisation), ``token_set`` (same set of words) or
    ``near`` (character :data:`NEAR_NGRAM`-gram Jaccard >= :data:`NEAR_JACCARD`).
    """

    train_id: str
    eval_set: str
    eval_id: str
    kind: str
    similarity: float
    query: str


def _grams(s: str) -> frozenset[str]:
    n = NEAR_NGRAM
    return frozenset((s,)) if len(s) < n else frozenset(s[i:i + n] for i in range(len(s) - n + 1))


def _prefix_len(size: int) -> int:
    """Prefix-filtering bound: two sets with Jaccard >= t share an element among their first p (same order)."""
    return size - math.ceil(NEAR_JACCARD * size - 1e-9) + 1


class QueryIndex:
    """The user queries of evaluation sets, indexed for exact, token-set and near matching.

    Exact and token-set matches are hash lookups.  Near matches use prefix filtering
    (Chaudhuri et al. 2006; Bayardo et al. 2007): n-grams are ordered by how rare they are
    among the evaluation queries, each evaluation query is indexed under its first
    ``p = |G| - ceil(t |G|) + 1`` grams, and a query only meets the evaluation queries that
    share one of its own first ``p`` grams; candidates are then checked exactly.  This finds
    every pair with Jaccard >= t (no false negatives) while touching few candidates.
    """

    def __init__(self, eval_sets: Mapping[str, Iterable[Task]] | Iterable[Task]):
        items = eval_sets.items() if isinstance(eval_sets, Mapping) else (("", eval_sets),)
        self.exact: dict[str, tuple[str, str]] = {}
        self.tokens: dict[frozenset[str], tuple[str, str]] = {}
        for name, tasks in items:
            for t in tasks:
                for q in _user_queries(t):
                    norm = normalize_query(q)
                    if norm:
                        where = (name or t.category or t.source, t.id)
                        self.exact.setdefault(norm, where)
                        self.tokens.setdefault(frozenset(norm.split()), where)
        self.queries = list(self.exact)
        self.grams = [_grams(q) for q in self.queries]
        self.df = Counter(g for gs in self.grams for g in gs)
        self.postings: dict[str, list[int]] = {}
        for qi, gs in enumerate(self.grams):
            for g in sorted(gs, key=self._rank)[:_prefix_len(len(gs))]:
                self.postings.setdefault(g, []).append(qi)

    def __len__(self) -> int:
        return len(self.queries)

    def _rank(self, g: str) -> tuple[int, str]:
        return self.df.get(g, 0), g

    def match(self, query: str) -> tuple[str, str, str, float] | None:
        """``(kind, eval_set, eval_id, similarity)`` of the first match, or None."""
        norm = normalize_query(query)
        if not norm:
            return None
        if norm in self.exact:
            return ("exact", *self.exact[norm], 1.0)
        tokens = frozenset(norm.split())
        if tokens in self.tokens:
            return ("token_set", *self.tokens[tokens], 1.0)
        best = self._near(norm)
        if best is None:
            return None
        qi, sim = best
        return ("near", *self.exact[self.queries[qi]], sim)

    def _near(self, norm: str) -> tuple[int, float] | None:
        gs = _grams(norm)
        size, p = len(gs), _prefix_len(len(gs))
        known = [g for g in gs if g in self.df]
        unseen = size - len(known)
        if unseen >= p:  # the whole prefix is grams no evaluation query has
            return None
        candidates: set[int] = set()
        for g in sorted(known, key=self._rank)[:p - unseen]:
            candidates.update(self.postings.get(g, ()))
        best = None
        for qi in candidates:
            other = self.grams[qi]
            if not NEAR_JACCARD * size <= len(other) <= size / NEAR_JACCARD:
                continue
            inter = len(gs & other)
            sim = inter / (size + len(other) - inter)
            if sim >= NEAR_JACCARD and (best is None or sim > best[1]):
                best = (qi, sim)
        return best


def decontaminate(
    train: Iterable[Task], eval_sets: Mapping[str, Iterable[Task]] | Iterable[Task] | QueryIndex,
    report: LoadReport | None = None,
) -> tuple[list[Task], list[ContaminationHit]]:
    """Drop every training task with a user query that matches an evaluation query (METHOD.md 5.5).

    Args:
        train: the training tasks.
        eval_sets: evaluation tasks by set name, a plain list of tasks, or a prebuilt :class:`QueryIndex`.
        report: dropped tasks are counted as ``contaminated`` with the matched evaluation id.

    Returns:
        The kept tasks and one :class:`ContaminationHit` per dropped task.
    """
    index = eval_sets if isinstance(eval_sets, QueryIndex) else QueryIndex(eval_sets)
    kept, hits = [], []
    for t in train:
        hit = None
        for q in _user_queries(t):
            found = index.match(q)
            if found is not None:
                hit = ContaminationHit(t.id, found[1], found[2], found[0], found[3], q)
                break
        if hit is None:
            kept.append(t)
            if report is not None:
                report.kept += 1
            continue
        hits.append(hit)
        if report is not None:
            report.skip(t.id, f"contaminated: {hit.kind} match of {hit.eval_set}/{hit.eval_id}")
    if hits:
        log.info("decontamination removed %d of %d training tasks", len(hits), len(hits) + len(kept))
    return kept, hits
