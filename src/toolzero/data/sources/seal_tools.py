"""Seal-Tools (fairyshine/Seal-Tools) as tasks.

Reads ``Seal-Tools_Dataset/<split>.jsonl`` query files (``{"id", "query", "calling":
[{"api", "parameters", "responses"}]}``; every ``*.jsonl`` except ``tool.jsonl`` and
``field.jsonl``).  The offered tools are the candidate ``api_list`` of the same id in
``dataset_for_finetune/<split>.json`` (a Python literal inside the prompt) when that file
exists, else only the called tools, looked up in the tool pool ``tool.jsonl``.

All calls of a query are the ground truth (independent calls, any order).  Seal-Tools lets
a call use an earlier call's output by writing ``"API_call_<n>"`` as a value; such records
are nested and are skipped (``nested_reference``), as are calls to an API missing from the
candidate list (``unknown_tool``).  Values follow :mod:`toolzero.data.sources._values`
(numeric strings become numbers only for int/float parameters).
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path
from typing import Any

from toolzero.data.report import LoadReport
from toolzero.data.sources._files import find_files, read_records
from toolzero.data.sources._json import field, has_reference
from toolzero.data.sources._loader import Context, SourceSpec, record_id
from toolzero.data.sources._schema import make_tool
from toolzero.data.sources._skip import Skip
from toolzero.data.sources._tasks import make_task, user
from toolzero.schema import Task, Tool

SOURCE = "seal_tools"
_REF = re.compile(r"API_call_\d+")
_API_LIST = re.compile(r"api_list = (\[.*\])\s*\ntask_instruction", re.S)


def seal_tool(obj: Any, where: str) -> Tool:
    """A Seal-Tools API description ``{"api_name", "api_description", "parameters", "required"}``."""
    if not isinstance(obj, dict):
        raise Skip("schema_error", f"{where}: tool must be an object")
    req = obj.get("required")
    return make_tool(obj.get("api_name"), obj.get("api_description", ""), obj.get("parameters") or {},
                     required=req if isinstance(req, list) else [], where=where)


def _candidates(finetune: Path, report: LoadReport) -> dict[str, str]:
    """id -> the finetune prompt holding that query's candidate ``api_list``."""
    out = {}
    for _, rec in read_records(finetune, report):
        try:
            out[str(rec["id"])] = rec["conversations"][0]["value"]
        except (KeyError, IndexError, TypeError):
            continue
    return out


def _build(rid: str, rec: Any, ctx: Context) -> Task:
    prompt, pool = ctx.data.get(rid), ctx.shared
    query = field(rec, "query")
    calling = field(rec, "calling")
    if not isinstance(calling, list):
        raise Skip("bad_call", "'calling' must be a list")
    calls = []
    for i, c in enumerate(calling):
        if not isinstance(c, dict) or not isinstance(c.get("api"), str):
            raise Skip("bad_call", f"call {i} has no 'api' name")
        args = c.get("parameters") or {}
        if has_reference(args, _REF):
            raise Skip("nested_reference", f"{c['api']} uses an earlier call's output ({json.dumps(args)[:80]})")
        calls.append((c["api"], args))
    if prompt is not None:
        m = _API_LIST.search(prompt)
        if not m:
            raise Skip("schema_error", "no api_list in the finetune prompt")
        try:
            api_list = ast.literal_eval(m.group(1))
        except (ValueError, SyntaxError) as e:
            raise Skip("schema_error", f"api_list does not parse: {e}") from None
        tools = [seal_tool(t, f"{rid}.api_list[{i}]") for i, t in enumerate(api_list)]
    else:
        missing = [n for n, _ in calls if n not in pool]
        if missing:
            raise Skip("unknown_tool", f"{missing} not in the tool pool")
        tools = [seal_tool(pool[n], f"tool.jsonl[{n}]") for n in dict.fromkeys(n for n, _ in calls)]
    return make_task(rid, SOURCE, tools, [user(str(query))], calls, ctx.category)


def _pool(ctx: Context) -> dict[str, Any]:
    """The tool pool: api_name -> description, from every ``tool.jsonl`` under the folder."""
    pool: dict[str, Any] = {}
    for pf in find_files(ctx.root, ["**/tool.jsonl"]) if ctx.root.is_dir() else []:
        for _, t in read_records(pf, LoadReport()):
            if isinstance(t, dict) and "api_name" in t:
                pool.setdefault(t["api_name"], t)
    return pool


def _prompts(ctx: Context) -> dict[str, str]:
    """The candidate prompts of a split (with ``finetune``, when its finetune file exists), else none."""
    ft = ctx.file.parent / "dataset_for_finetune" / f"{ctx.file.stem}.json"
    return _candidates(ft, ctx.report) if ctx.options["finetune"] and ft.is_file() else {}


# The query files (every *.jsonl but the tool and field pools); a row's id is the record's own id.
SPEC = SourceSpec(name=SOURCE, folder="seal_tools", build_row=_build, options={"finetune": True}, setup=_pool,
                  files=lambda ctx: [f for f in find_files(ctx.root, ["**/*.jsonl"]) if f.stem not in ("tool", "field")],
                  per_file=_prompts, category=lambda f: f.stem, row_id=record_id())
