"""NESTFUL (IBM/NESTFUL v1) nested call sequences as first-turn tasks.

Reads every ``<name>-data.json`` with its ``<name>-spec.json`` under the folder
(``data/executable/executable-*``, ``data/non-executable/non-executable-{glaive,sgd}-*``).
A data row is ``{"input", "output": [{"name", "arguments", "label"}, ...]}``; an argument
may reference an earlier call's output as ``"$var1.skyId$"``, and the last element is the
pseudo call ``var_result`` (what to report), which is not a tool call and is ignored.
The offered tools are all the specs of the row's subset; spec parameters come from
``query_parameters`` / ``path_parameters`` / ``parameters`` / ``arguments`` (``required``
per parameter; ``allowed_values`` become the enum; no type means ``string``, the SGD case).

**What is kept.**  A task is the first turn of the sequence: the user's request, and as
ground truth the calls that reference no earlier output (``$var...$``) -- the calls that can
all be made at once, before any result is known (independent calls, any order).  Every
call that references an earlier output is dropped and counted as skipped under the id
``<record>#<step>`` with the reason ``dependent_call`` (so ``skipped`` counts calls as
well as records).  With ``mode="first"``, only the sequence's first call is kept and the
other calls are counted as ``later_step``.  Records are categorised ``complete`` (no call
dropped) or ``first_turn``.  A record that does not convert is skipped as a whole.
Values follow :mod:`toolzero.data.sources._values` (numeric strings become numbers only
for integer/number parameters).
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

from toolzero.data.report import LoadReport
from toolzero.data.sources._calls import name_args
from toolzero.data.sources._files import find_files, read_records, resolve_path
from toolzero.data.sources._json import field, has_reference
from toolzero.data.sources._schema import make_tool
from toolzero.data.sources._skip import Skip
from toolzero.data.sources._tasks import convert, make_task, user
from toolzero.schema import Task, Tool

log = logging.getLogger(__name__)

SOURCE = "nestful"
FOLDER = "nestful"
MODES = ("independent", "first")
REFERENCE = re.compile(r"\$var_?\d+")
RESULT_CALL = "var_result"
_PARAM_KEYS = ("query_parameters", "path_parameters", "parameters", "arguments")


def spec_tool(obj: Any, where: str) -> Tool:
    """A NESTFUL/ComplexFuncBench API spec as a tool."""
    if not isinstance(obj, dict):
        raise Skip("schema_error", f"{where}: spec must be an object")
    params: dict[str, Any] = {}
    for key in _PARAM_KEYS:
        block = obj.get(key)
        if isinstance(block, dict):
            if block.get("type") in ("object", "dict") and isinstance(block.get("properties"), dict):
                block = block["properties"]
            params.update(block)
    return make_tool(obj.get("name"), obj.get("description", ""), params, default_type="string", where=where)


def spec_tools(specs: Any, where: str) -> list[Tool]:
    """Tools of a whole spec file (a list of specs)."""
    if not isinstance(specs, list):
        raise Skip("schema_error", f"{where}: spec file must hold a list")
    return [spec_tool(s, f"{where}[{i}]") for i, s in enumerate(specs)]


def first_turn(rid: str, rec: Any, tools: list[Tool], source: str, mode: str, report: LoadReport) -> Task:
    """The first-turn task of one sequence; dropped calls are counted in ``report``."""
    steps = field(rec, "output")
    if not isinstance(steps, list):
        raise Skip("bad_call", "'output' must be a list of calls")
    calls = [name_args(s) for s in steps if not (isinstance(s, dict) and s.get("name") == RESULT_CALL)]
    if not calls:
        raise Skip("no_call", "the sequence has no tool call")
    kept, dropped = [], []
    for i, (name, args) in enumerate(calls):
        if mode == "first" and i > 0:
            dropped.append((i, name, "later_step: not the first call"))
        elif has_reference(args, REFERENCE):
            ref = REFERENCE.search(str(args))
            dropped.append((i, name, f"dependent_call: {name} uses {ref.group(0) if ref else 'an earlier output'}"))
        else:
            kept.append((name, args))
    task = make_task(rid, source, tools, [user(str(field(rec, "input")).strip())], kept,
                     "complete" if not dropped else "first_turn")
    for i, _name, reason in dropped:  # counted only once the record itself converts
        report.skip(f"{rid}#{i}", reason)
    return task


def load(path: str | Path | None = None, report: LoadReport | None = None, mode: str = "independent") -> list[Task]:
    """Load NESTFUL sequences as first-turn tasks (``mode``: ``independent`` or ``first``)."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, got {mode!r}")
    root = resolve_path(path, FOLDER)
    report = report if report is not None else LoadReport()
    tasks: list[Task] = []
    for f in find_files(root, ["**/*-data*.json"]):
        spec_file = next(iter(sorted(f.parent.glob(f.name.split("-data")[0] + "-spec*.json"))), None)
        subset = f.name.split("-data")[0]
        if spec_file is None:
            report.skip(f.name, f"missing_field: no spec file next to {f.name}")
            continue
        specs = read_records(spec_file, report)
        try:
            tools = spec_tools([s for _, s in specs], spec_file.name)
        except Skip as e:
            report.skip(spec_file.name, e.reason)
            continue
        for rid, rec in read_records(f, report, subset):
            convert(report, tasks, rid, first_turn, rid, rec, tools, SOURCE, mode, report)
    log.info("nestful: kept %d, skipped %s", report.kept, dict(report.skipped))
    return tasks
