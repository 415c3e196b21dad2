"""Salesforce xLAM function-calling-60k (APIGen) as tasks.

The published file (``xlam_function_calling_60k.json``, a JSON array; JSON Lines also read)
has rows ``{"id", "query", "tools", "answers"}`` where ``tools`` and ``answers`` are JSON
text: ``tools`` = ``[{"name", "description", "parameters": {p: {"type": "str, optional",
"description", "default"?}}}]``, ``answers`` = ``[{"name", "arguments"}]``.  All answers
form the ground truth (independent calls, any order; ``[]`` = no call).

Parameter types are Python hints (``str``, ``List[int]``, ``Optional[float]``, ...); a
parameter is required when its type is not marked optional and it has no non-empty
``default``.  Values follow :mod:`toolzero.data.sources._values` (numeric strings become
numbers only for int/float parameters).  The default folder is ``<shared>/xlam`` (not in
the shared data: pass ``path=`` to the downloaded file or folder).
"""

from __future__ import annotations

from typing import Any

from toolzero.data.sources._json import field
from toolzero.data.sources._loader import Context, SourceSpec, record_id
from toolzero.data.sources._schema import xlam_tool
from toolzero.data.sources._tasks import make_task, tools_and_calls, user
from toolzero.schema import Task

SOURCE = "xlam"


def _build(rid: str, rec: Any, ctx: Context) -> Task:
    tools, calls = tools_and_calls(rec, rid, xlam_tool)
    return make_task(rid, SOURCE, tools, [user(str(field(rec, "query")))], calls, "xlam")


# Every *.json / *.jsonl under the folder (or the one file given); a row's id is "xlam:<its id>".
SPEC = SourceSpec(name=SOURCE, folder="xlam", build_row=_build, row_id=record_id("xlam:"))
