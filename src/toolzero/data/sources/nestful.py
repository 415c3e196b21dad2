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

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from toolzero.data.sources._calls import name_args
from toolzero.data.sources._files import read_records
from toolzero.data.sources._json import field, has_reference
from toolzero.data.sources._loader import Context, SourceSpec
from toolzero.data.sources._schema import make_tool
from toolzero.data.sources._skip import Skip
from toolzero.data.sources._tasks import make_task, user
from toolzero.schema import Task, Tool

SOURCE = "nestful"
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


def first_turn(rid: str, rec: Any, tools: list[Tool], source: str, ctx: Context) -> Task:
    """The first-turn task of one sequence (``options``: ``mode``); dropped calls are counted in ``ctx.report``."""
    mode = ctx.options["mode"]
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
        ctx.report.skip(f"{rid}#{i}", reason)
    return task


def check_mode(options: Mapping[str, Any]) -> None:
    """``options["mode"]`` must be ``independent`` or ``first``."""
    if options["mode"] not in MODES:
        raise ValueError(f"mode must be one of {MODES}, got {options['mode']!r}")


def _subset(f: Path) -> str:
    """``executable-x`` of ``executable-x-data.json``: the record-id prefix."""
    return f.name.split("-data")[0]


def _spec_tools(ctx: Context) -> list[Tool] | None:
    """The tools of the spec file next to a data file; None (counted) when it is missing or does not convert."""
    spec_file = next(iter(sorted(ctx.file.parent.glob(_subset(ctx.file) + "-spec*.json"))), None)
    if spec_file is None:
        ctx.report.skip(ctx.file.name, f"missing_field: no spec file next to {ctx.file.name}")
        return None
    specs = read_records(spec_file, ctx.report)
    try:
        return spec_tools([s for _, s in specs], spec_file.name)
    except Skip as e:
        ctx.report.skip(spec_file.name, e.reason)
        return None


SPEC = SourceSpec(name=SOURCE, folder="nestful", build_row=lambda rid, rec, ctx: first_turn(rid, rec, ctx.data, SOURCE, ctx),
                  patterns=("**/*-data*.json",), options={"mode": "independent"}, check=check_mode,
                  per_file=_spec_tools, prefix=_subset)
