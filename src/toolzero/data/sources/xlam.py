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

import logging
from pathlib import Path
from typing import Any

from toolzero.data.report import LoadReport
from toolzero.data.sources._files import find_files, read_records, resolve_path
from toolzero.data.sources._json import field
from toolzero.data.sources._schema import xlam_tool
from toolzero.data.sources._tasks import convert, make_task, tools_and_calls, user
from toolzero.schema import Task

log = logging.getLogger(__name__)

SOURCE = "xlam"
FOLDER = "xlam"


def _build(rid: str, rec: Any) -> Task:
    tools, calls = tools_and_calls(rec, rid, xlam_tool)
    return make_task(rid, SOURCE, tools, [user(str(field(rec, "query")))], calls, "xlam")


def load(path: str | Path | None = None, report: LoadReport | None = None) -> list[Task]:
    """Load xLAM rows from a file or from every ``*.json``/``*.jsonl`` under a folder."""
    root = resolve_path(path, FOLDER)
    report = report if report is not None else LoadReport()
    tasks: list[Task] = []
    for f in find_files(root, ["**/*.json", "**/*.jsonl"]):
        for rid, rec in read_records(f, report):
            if isinstance(rec, dict) and "id" in rec:
                rid = f"xlam:{rec['id']}"
            convert(report, tasks, rid, _build, rid, rec)
    log.info("xlam: kept %d, skipped %s", report.kept, dict(report.skipped))
    return tasks
