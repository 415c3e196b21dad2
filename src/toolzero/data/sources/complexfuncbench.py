"""ComplexFuncBench (THUDM; NESTFUL-format copy from ``nestful-wrapper``) as first-turn tasks.

Reads ``complexfuncbench-data*.json`` (1,000 multi-step Booking.com tasks: ``{"input",
"output": [{"name", "arguments", "label", "errors"}]}``) and ``complexfuncbench-spec*.json``
(the 40 API specs: ``query_parameters`` with ``type``/``required``/``enum``/``default``).
The offered tools are all 40 specs.

**What is kept.**  As for :mod:`toolzero.data.sources.nestful`: a task is the first turn of
the sequence -- the user's request, and as ground truth the calls whose arguments reference
no earlier output (``"$var1.coordinates.latitude$"``), i.e. the calls that can all be made
at once (independent calls, any order).  Every call that references an earlier output is
dropped and counted as skipped under the id ``<record>#<step>`` (``dependent_call``); with
``mode="first"`` only the first call is kept (``later_step`` for the others).  A step with
recorded ``errors`` is kept like any other (none has errors in this copy).  Records are
categorised ``complete`` or ``first_turn``.  Values follow
:mod:`toolzero.data.sources._values` (numeric strings become numbers only for
integer/number parameters).
"""

from __future__ import annotations

import logging
from pathlib import Path

from toolzero.data.report import LoadReport
from toolzero.data.sources._files import find_files, read_records, resolve_path
from toolzero.data.sources._skip import Skip
from toolzero.data.sources._tasks import convert
from toolzero.data.sources.nestful import MODES, first_turn, spec_tools
from toolzero.schema import Task

log = logging.getLogger(__name__)

SOURCE = "complexfuncbench"
FOLDER = "complexfuncbench"


def load(path: str | Path | None = None, report: LoadReport | None = None, mode: str = "independent") -> list[Task]:
    """Load ComplexFuncBench sequences as first-turn tasks (``mode``: ``independent`` or ``first``)."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, got {mode!r}")
    root = resolve_path(path, FOLDER)
    report = report if report is not None else LoadReport()
    data_files = find_files(root, ["**/complexfuncbench-data*.json"])
    spec_files = find_files(root.parent if root.is_file() else root, ["**/complexfuncbench-spec*.json"])
    if not spec_files:
        raise FileNotFoundError(f"no complexfuncbench-spec*.json under {root}")
    try:
        tools = spec_tools([s for f in spec_files for _, s in read_records(f, report)], spec_files[0].name)
    except Skip as e:
        report.skip(spec_files[0].name, e.reason)
        return []
    tasks: list[Task] = []
    for f in data_files:
        for rid, rec in read_records(f, report, "complexfuncbench"):
            convert(report, tasks, rid, first_turn, rid, rec, tools, SOURCE, mode, report)
    log.info("complexfuncbench: kept %d, skipped %s", report.kept, dict(report.skipped))
    return tasks
