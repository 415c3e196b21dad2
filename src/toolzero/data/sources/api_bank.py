"""API-Bank (AlibabaResearch/DAMO-ConvAI ``api-bank``), official call-generation files, as tasks.

Reads the API-call items (not the ``*-response*`` response-generation items):
``test-data/level-1-api.json``, ``level-2-api.json``, ``level-3-batch-inf.json`` and
``training-data/*-api-train.json`` (``lv3-api-train.json`` here; ``lv1``/``lv2`` when present).
Each item is one decision point: the dialogue so far, and the expected
``API-Request: [ApiName(key='value', ...)]``.

* Tools: the ``API descriptions`` in the instruction (level 1/2) or at the head of the input
  (level 3: ``apiCode`` JSON), plus every API that a ``ToolSearcher`` result earlier in the
  dialogue returned (``{'name', 'description', 'input_parameters'}``, possibly wrapped in
  ``{'api_name', 'input', 'output'}``).  API-Bank marks no parameter required, so none is.
* Messages: ``User:`` -> user, ``AI:`` -> assistant, ``API-Request: [call]->result`` -> an
  assistant message (the call text) and a tool message (the result).  A ``The current year
  is ...`` line of the instruction becomes a system message.
* A call to an API that is neither listed nor retrieved is skipped (``unknown_tool``).
  Values follow :mod:`toolzero.data.sources._values`.
* One repair: some reference calls quote a list literal without escaping it
  (``attendees='['John Smith', 'Jane Doe']'``, not valid Python); when a call does not parse,
  such ``name='[...]'`` values are read as the list they spell.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path
from typing import Any

from toolzero.data.sources._calls import parse_python_calls
from toolzero.data.sources._json import field
from toolzero.data.sources._loader import Context, SourceSpec
from toolzero.data.sources._schema import make_tool
from toolzero.data.sources._skip import Skip
from toolzero.data.sources._tasks import assistant, make_task, system, tool_msg, user
from toolzero.schema import Task, Tool

SOURCE = "api_bank"
PATTERNS = ("test-data/level-*-api.json", "test-data/level-3-batch-inf.json", "training-data/*-api-train.json")
_PREFIX = re.compile(r"^(User|AI|API-Request|Generate API Request):\s?", re.M)
_QUOTED_LIST = re.compile(r"(\w+)\s*=\s*'(\[.*?\])'(?=\s*(?:,\s*\w+\s*=|\)\s*\]?\s*$))", re.S)
_YEAR = re.compile(r"The current (?:year|time) is (?!\{\{)[^\n]+")


def api_tool(obj: Any, where: str) -> Tool | None:
    """An API-Bank description (``name``/``input_parameters`` or ``apiCode``/``parameters``), else None."""
    if not isinstance(obj, dict):
        return None
    name = obj.get("name", obj.get("apiCode"))
    params = obj.get("input_parameters", obj.get("parameters"))
    if not isinstance(name, str) or not isinstance(params, dict):
        return None
    return make_tool(name, obj.get("description", ""), params, required=[], where=where)


def _retrieved(result: Any, where: str) -> list[Tool]:
    """Tools described in a ToolSearcher result (plain, wrapped in ``output``, or a list)."""
    if isinstance(result, dict) and "output" in result and "api_name" in result:
        result = result["output"]
    if isinstance(result, dict) and "best_matchs" in result:
        result = result["best_matchs"]
    items = result if isinstance(result, list) else [result]
    return [t for t in (api_tool(r, where) for r in items) if t is not None]


def _split_request(text: str) -> tuple[str, str | None]:
    """``[Call(...)]->result`` into the call text and the result text."""
    start = 0
    while True:
        i = text.find("->", start)
        if i < 0:
            return text.strip(), None
        head = text[:i].strip()
        try:
            ast.parse(head)
            return head, text[i + 2:].strip()
        except SyntaxError:
            start = i + 2


def parse_dialogue(text: str, where: str) -> tuple[list[dict[str, str]], list[Tool]]:
    """Messages of an item's input, and the tools its ToolSearcher results retrieved."""
    msgs: list[dict[str, str]] = []
    tools: list[Tool] = []
    marks = list(_PREFIX.finditer(text))
    for j, m in enumerate(marks):
        body = text[m.end(): marks[j + 1].start() if j + 1 < len(marks) else len(text)].strip()
        kind = m.group(1)
        if kind == "User":
            msgs.append(user(body))
        elif kind == "AI":
            msgs.append(assistant(body))
        elif kind == "API-Request":
            call, result = _split_request(body)
            msgs.append(assistant(call))
            if result is not None:
                msgs.append(tool_msg(result))
                if call.lstrip("[").startswith("ToolSearcher"):
                    try:
                        parsed = ast.literal_eval(result)
                    except (ValueError, SyntaxError):
                        try:
                            parsed = json.loads(result)
                        except json.JSONDecodeError:
                            parsed = None
                    tools += _retrieved(parsed, where)
    return msgs, tools


def repair_call(text: str) -> str:
    """Unquote list literals that API-Bank wrote inside quotes: ``a='['x', 'y']'`` -> ``a=['x', 'y']``.

    Only applied when the call text is not valid Python as it stands.
    """
    try:
        ast.parse(text)
        return text
    except SyntaxError:
        return _QUOTED_LIST.sub(lambda m: f"{m.group(1)}={m.group(2)}", text)


def _listed_tools(text: str, where: str) -> list[Tool]:
    """Tools written one JSON object per line (the instruction, or the head of a level-3 input)."""
    tools = []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("{") and line.endswith("}"):
            try:
                obj = json.loads(line)
            except json.JSONDecodeError:
                continue
            t = api_tool(obj, where)
            if t is not None:
                tools.append(t)
    return tools


def _build(rid: str, rec: Any, ctx: Context) -> Task:
    instruction = str(rec.get("instruction", "")) if isinstance(rec, dict) else ""
    text = str(field(rec, "input"))
    answer = rec.get("expected_output", rec.get("output")) if isinstance(rec, dict) else None
    if not isinstance(answer, str):
        raise Skip("missing_field", "'expected_output'/'output'")
    answer = answer.strip()
    if not answer.startswith("API-Request:"):
        raise Skip("no_call", f"the expected output is not an API request: {answer[:60]!r}")
    first_turn = _PREFIX.search(text)
    head = text[: first_turn.start()] if first_turn else ""
    tools = _listed_tools(instruction.split("API descriptions:", 1)[-1], rid) + _listed_tools(head, rid)
    messages, retrieved = parse_dialogue(text[first_turn.start():] if first_turn else text, rid)
    messages = [m for m in messages if m["content"]]
    year = _YEAR.search(instruction)
    if year:
        messages.insert(0, system(year.group(0).strip()))
    calls = parse_python_calls(repair_call(_split_request(answer[len("API-Request:"):])[0]))
    return make_task(rid, SOURCE, tools + retrieved, messages, calls, ctx.category)


def _category(f: Path) -> str:
    """``level-1``, ``level-3``, ``lv3-train``, ... from the file name."""
    return f.stem.replace("-api-train", "-train").replace("-api", "").replace("-batch-inf", "")


SPEC = SourceSpec(name=SOURCE, folder="api_bank", build_row=_build, patterns=PATTERNS, category=_category)
