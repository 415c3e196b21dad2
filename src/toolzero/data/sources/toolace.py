"""ToolACE (Team-ACE/ToolACE, ``data.json``) dialogues as tasks, one per assistant decision.

Published rows are ``{"system", "conversations": [{"from": "user"|"assistant"|"tool",
"value"}]}``.  The system prompt embeds the tools as a JSON list after ``Here is a list of
functions in JSON format that you can invoke:`` (JSON-schema ``parameters``, or xLAM's flat
form); re-publications with a separate ``tools`` field (a list or its JSON text) are read
too.  Assistant calls are written ``[func(a=1, b="x"), g()]``.

Every assistant turn that calls tools becomes a task: the conversation before it
(``user``/``assistant``/``tool`` messages, earlier calls kept as their text) and those calls
as ground truth (independent calls, any order).  With ``no_call_turns=True`` (default), an
assistant text turn that directly answers a user message (a clarifying question, a refusal)
becomes a task with the ground truth ``[]``; text turns after a tool result (summaries) are
not tasks.  A call turn that does not parse or convert is skipped (id ``<row>#<turn>``); the
other turns of the row are kept.  Values follow :mod:`toolzero.data.sources._values`.
The default folder is ``<shared>/toolace`` (not in the shared data: pass ``path=``).
"""

from __future__ import annotations

import json
import re
from typing import Any

from toolzero.data.sources._calls import parse_python_calls
from toolzero.data.sources._json import field, loads_json
from toolzero.data.sources._loader import Context, SourceSpec, record_id
from toolzero.data.sources._schema import xlam_tool
from toolzero.data.sources._skip import Skip
from toolzero.data.sources._tasks import make_task
from toolzero.schema import Task, Tool

SOURCE = "toolace"
MARKER = "Here is a list of functions in JSON format that you can invoke:"
_ROLES = {"user": "user", "human": "user", "assistant": "assistant", "gpt": "assistant", "tool": "tool",
          "function": "tool", "observation": "tool", "system": "system"}
_CALL_LIKE = re.compile(r"^\[\s*[\w.\- ]+\(.*\)\s*\]$", re.S)


def system_tools(system: str) -> list[Any]:
    """The JSON tool list embedded in a ToolACE system prompt."""
    start = system.find(MARKER)
    i = system.find("[", start + len(MARKER) if start >= 0 else 0)
    while i >= 0:
        try:
            obj, _ = json.JSONDecoder().raw_decode(system, i)
        except json.JSONDecodeError:
            if start >= 0:
                raise Skip("schema_error", "the tool list in the system prompt is not valid JSON") from None
            i = system.find("[", i + 1)
            continue
        if isinstance(obj, list) and all(isinstance(t, dict) for t in obj):
            return obj
        i = system.find("[", i + 1)
    raise Skip("schema_error", "no tool list in the system prompt")


def _tools(rec: dict[str, Any], rid: str) -> list[Tool]:
    raw = loads_json(rec["tools"], "tools") if rec.get("tools") else system_tools(str(field(rec, "system")))
    if not isinstance(raw, list):
        raise Skip("schema_error", "tools must be a list")
    return [xlam_tool(t, f"{rid}.tools[{i}]") for i, t in enumerate(raw)]


def _row_tasks(rid: str, rec: Any, ctx: Context) -> list[Task]:
    """The tasks of one row (``options``: ``no_call_turns``); a turn that does not convert is counted under ``<row>#<turn>``."""
    tools = _tools(rec, rid)
    turns = field(rec, "conversations")
    if isinstance(turns, str):
        turns = loads_json(turns, "conversations")
    if not isinstance(turns, list):
        raise Skip("bad_record", "conversations must be a list")
    tasks: list[Task] = []
    messages: list[dict[str, str]] = []
    skipped = 0
    for j, turn in enumerate(turns):
        if not isinstance(turn, dict):
            raise Skip("bad_record", f"turn {j} is not an object")
        role = _ROLES.get(str(turn.get("from", turn.get("role", ""))).lower())
        value = turn.get("value", turn.get("content"))
        if role is None or value is None:
            raise Skip("bad_record", f"turn {j} has no known role or no value")
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        if role == "assistant":
            tid = f"{rid}#{j}"
            stripped = text.strip()
            try:
                if _CALL_LIKE.match(stripped):
                    tasks.append(make_task(tid, SOURCE, tools, messages, parse_python_calls(stripped), "toolace"))
                elif ctx.options["no_call_turns"] and messages and messages[-1]["role"] == "user":
                    tasks.append(make_task(tid, SOURCE, tools, messages, [], "toolace_no_call"))
            except Skip as e:
                ctx.report.skip(tid, e.reason)
                skipped += 1
        messages = [*messages, {"role": role, "content": text}]
    if not tasks and not skipped:
        raise Skip("no_call", "no assistant turn is a decision point")
    return tasks


# Every *.json / *.jsonl under the folder (or the one file given); a row's id is "toolace:<its id>".
SPEC = SourceSpec(name=SOURCE, folder="toolace", build_row=_row_tasks, row_id=record_id("toolace:"),
                  options={"no_call_turns": True})
