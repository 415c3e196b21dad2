"""Hammer's function-masked training data (MadeAgents/Hammer, ``masking_sft_data*.json``).

Rows are Alpaca-style ``{"instruction", "input", "output"}``.  The instruction holds the
tools as a JSON list between ``[BEGIN OF AVAILABLE TOOLS]`` and ``[END OF AVAILABLE
TOOLS]`` (xLAM's flat form, with names and parameter names replaced by random strings, or a
JSON-schema ``parameters`` object) and the user request between ``[BEGIN OF QUERY]`` and
``[END OF QUERY]`` (``input``, when not empty, is appended to it).  The output is a JSON
list ``[{"name", "arguments"}]``, optionally inside a code fence; ``[]`` = no call
(irrelevance rows).  A flat parameter is required when its type is not marked optional and
it has no non-empty ``default``.  Values follow :mod:`toolzero.data.sources._values`.

By default reads ``<shared>/hammer/data/train/*.json`` (there: the 10-row
``masking_sft_data_example.json``); pass ``path=`` for the full file.
"""

from __future__ import annotations

import re
from typing import Any

from toolzero.data.sources._calls import name_args
from toolzero.data.sources._json import field, loads_json
from toolzero.data.sources._loader import Context, SourceSpec
from toolzero.data.sources._schema import xlam_tool
from toolzero.data.sources._skip import Skip
from toolzero.data.sources._tasks import make_task, user
from toolzero.schema import Task

SOURCE = "hammer_masked"
_TOOLS = re.compile(r"\[BEGIN OF AVAILABLE TOOLS\]\s*(.*?)\s*\[END OF AVAILABLE TOOLS\]", re.S)
_QUERY = re.compile(r"\[BEGIN OF QUERY\]\s*(.*?)\s*\[END OF QUERY\]", re.S)
_FENCE = re.compile(r"^```[a-zA-Z]*\s*|\s*```$")


def _build(rid: str, rec: Any, ctx: Context) -> Task:
    instruction = str(field(rec, "instruction"))
    tm = _TOOLS.search(instruction)
    if not tm:
        raise Skip("schema_error", "no [BEGIN OF AVAILABLE TOOLS] section")
    tools_obj = loads_json(tm.group(1), "tools")
    if not isinstance(tools_obj, list):
        raise Skip("schema_error", "tools must be a list")
    tools = [xlam_tool(t, f"{rid}.tools[{i}]") for i, t in enumerate(tools_obj)]
    qm = _QUERY.search(instruction)
    extra = str(rec.get("input") or "").strip()
    query = "\n".join(p for p in ((qm.group(1) if qm else ""), extra) if p)
    if not query:
        raise Skip("missing_field", "no [BEGIN OF QUERY] section and no input")
    output = _FENCE.sub("", str(field(rec, "output")).strip())
    answers = loads_json(output, "output")
    if not isinstance(answers, list):
        raise Skip("bad_call", "output must be a JSON list of calls")
    calls = [name_args(a) for a in answers]
    return make_task(rid, SOURCE, tools, [user(query)], calls, "masked")


# Rows of data/train/**/*.json(l) when that folder exists, else of every *.json(l) under the folder.
SPEC = SourceSpec(name=SOURCE, folder="hammer", build_row=_build, under="data/train")
