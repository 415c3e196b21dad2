"""Hammer's unified evaluation files (MadeAgents/Hammer ``data/test/**/*.json``) as tasks.

Each file is a JSON array of ``{"query", "tools", "answers"}``, Hammer's re-formatting of
API-Bank L1/L2, Seal-Tools (single call), ToolAlpaca, NexusRaven, ...:

* ``query``: a string (one user message) or a list of ``{"role": "user"|"agent", "content"}``
  (``agent`` -> assistant; the trailing ``Generate API Request:`` cue is removed);
* ``tools``: ``{"name", "description", "parameters": {p: {"type", "description",
  "required"?: bool}}, "required"?: [...]}`` (flat parameters in the original source's type
  words, e.g. API-Bank's ``list(str)``); a parameter is required when the tool's
  ``required`` list or the parameter's own ``"required": true`` says so;
* ``answers``: ``[{"name", "arguments"}]`` or ``[{"tool", "parameters"}]``; all of them form
  the ground truth (independent calls, any order).

The category is the file's folder and stem (``original/apibank_l1``).  The masked training
data lives in another format: see :mod:`toolzero.data.sources.hammer_masked`.  Values follow
:mod:`toolzero.data.sources._values` (numeric strings become numbers only for int/float).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from toolzero.data.sources._json import field
from toolzero.data.sources._loader import Context, SourceSpec
from toolzero.data.sources._schema import make_tool
from toolzero.data.sources._skip import Skip
from toolzero.data.sources._tasks import assistant, make_task, tools_and_calls, user
from toolzero.schema import Task, Tool

SOURCE = "hammer"
_CUE = "Generate API Request:"


def hammer_tool(obj: Any, where: str) -> Tool:
    """A Hammer unified tool with flat parameters."""
    if not isinstance(obj, dict):
        raise Skip("schema_error", f"{where}: tool must be an object")
    params = obj.get("parameters") or {}
    if isinstance(params, dict) and params.get("type") in ("object", "dict") and isinstance(params.get("properties"), dict):
        req = params.get("required")
        return make_tool(obj.get("name"), obj.get("description", ""), params["properties"],
                         required=req if isinstance(req, list) else [], where=where)
    req = obj.get("required")
    if isinstance(req, list):
        required = list(req)
    else:
        flags = params.items() if isinstance(params, dict) else []
        required = [k for k, v in flags if isinstance(v, dict) and v.get("required") is True]
    return make_tool(obj.get("name"), obj.get("description", ""), params, required=required, where=where)


def query_messages(query: Any) -> list[dict[str, str]]:
    """A Hammer query (text, or a list of role/content turns) as messages."""
    if isinstance(query, str):
        return [user(query)]
    if not isinstance(query, list):
        raise Skip("bad_record", f"query must be text or a list, got {type(query).__name__}")
    msgs = []
    for turn in query:
        if not isinstance(turn, dict) or "content" not in turn:
            raise Skip("bad_record", f"bad query turn {turn!r:.60}")
        content = str(turn["content"])
        if content.rstrip().endswith(_CUE):
            content = content.rstrip()[: -len(_CUE)].rstrip()
        role = {"agent": "assistant", "assistant": "assistant", "system": "system", "tool": "tool"}.get(turn.get("role"), "user")
        if content:
            msgs.append(user(content) if role == "user" else assistant(content) if role == "assistant" else
                        {"role": role, "content": content})
    return msgs


def _build(rid: str, rec: Any, ctx: Context) -> Task:
    messages = query_messages(field(rec, "query"))
    tools, calls = tools_and_calls(rec, rid, hammer_tool, name_keys=("name", "tool"), arg_keys=("arguments", "parameters"))
    return make_task(rid, SOURCE, tools, messages, calls, ctx.category)


def _category(f: Path) -> str:
    """A file's folder and stem (``original/apibank_l1``): the category and the record-id prefix."""
    return f"{f.parent.name}/{f.stem}"


# Every data/test/**/*.json when that folder exists, else every *.json under the folder.
SPEC = SourceSpec(name=SOURCE, folder="hammer", build_row=_build, patterns=("**/*.json",), under="data/test",
                  prefix=_category, category=_category)
