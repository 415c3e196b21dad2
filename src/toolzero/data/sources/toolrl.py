"""ToolRL ``rlla`` data (qiancheng0/ToolRL) as tasks.

Reads, under the folder (default ``<shared>/toolrl``):

* ``dataset/**/*.json`` in the SFT layout (``rlla_4k_raw/rlla_sft.json``, ``rlla_rl.json``):
  rows ``{"instruction", "input", "output"}``;
* the verl rows of ``dataset/**/*.jsonl`` and ``*.parquet`` (``rlla_4k/{train,test}``):
  ``{"prompt", "reward_model", "extra_info": {"instruction", "input", "output", ...}}``.
  A parquet file is read with pyarrow only when no ``.jsonl`` with the same stem sits next
  to it (the shared copy has both, with the same rows); if pyarrow cannot be imported, the
  file is counted as skipped (``unreadable_file``);
* with ``benchmarks=True``, also ToolRL's re-formatted API-Bank test sets
  (``benchmarks/API-Bank/level-*-api_processed.json``, evaluation only).

The tool list is parsed from the instruction text (``N. Name: ...``/``Description:``/
``Parameters: {json}``).  Its parameter specs carry no "required" information, so no
parameter is marked required.  The dialogue history (``<user>``, ``<tool_call>``, ``<obs>``,
``<response>``; ``<think>`` is dropped) becomes user / assistant / tool messages.  The
reference output's ``<tool_call>`` lines (``{"name", "parameters"}``) are the ground truth;
an output with only a ``<response>`` has the ground truth ``[]`` (no call).  Values follow
:mod:`toolzero.data.sources._values` (numeric strings become numbers only for
integer/number parameters).
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

from toolzero.data.report import LoadReport
from toolzero.data.sources._calls import json_objects, name_args
from toolzero.data.sources._files import find_files, read_records, resolve_path
from toolzero.data.sources._json import field, loads_loose
from toolzero.data.sources._schema import make_tool
from toolzero.data.sources._skip import Skip
from toolzero.data.sources._tasks import assistant, convert, make_task, merge_roles, tool_msg, user
from toolzero.schema import Task, Tool

log = logging.getLogger(__name__)

SOURCE = "toolrl"
FOLDER = "toolrl"

# "1. Name: X\nDescription: ...\nParameters: {...}" (rlla) or "1. X: description\nParameters: {...}" (API-Bank level 3)
_TOOL = re.compile(r"^\d+\.\s*(?:Name:\s*(?P<name>[^\n]*?)\s*\nDescription:|(?P<name2>[^\n:]+):)(?P<desc>.*?)"
                   r"\nParameters:\s*(?P<params>.*?)(?=\n\d+\.\s|\n\s*\n|\n\*\*|\Z)", re.S | re.M)
_SEGMENT = re.compile(r"<(user|think|tool_call|obs|response)>(.*?)</\1>", re.S)
_THINK = re.compile(r"<think>.*?</think>", re.S)
_CALLS = re.compile(r"<tool_call>(.*?)</tool_call>", re.S)


def parse_tools(instruction: str) -> list[Tool]:
    """The numbered tool list of a ToolRL system prompt."""
    section = instruction.split("**Available Tools**", 1)[-1].split("**Steps for Each Turn**", 1)[0]
    tools = []
    for m in _TOOL.finditer(section):
        name = (m.group("name") if m.group("name") is not None else m.group("name2")).strip()
        params = loads_loose(m.group("params").strip(), f"parameters of {name}")
        tools.append(make_tool(name, m.group("desc").strip(), params, required=[]))
    if not tools:
        raise Skip("schema_error", "no tools found in the instruction")
    return tools


def parse_history(text: str) -> list[dict[str, str]]:
    """The ``**Dialogue Records History**`` as messages."""
    msgs = []
    for tag, body in _SEGMENT.findall(text):
        body = body.strip()
        if tag == "user":
            msgs.append(user(body))
        elif tag in ("tool_call", "response"):
            msgs.append(assistant(body))
        elif tag == "obs":
            msgs.append(tool_msg(body))
    return merge_roles(msgs)


def parse_output(output: str) -> list[tuple[str, Any]]:
    """Reference calls of an output; ``[]`` when it only responds."""
    body = _THINK.sub("", output)
    blocks = _CALLS.findall(body)
    if not blocks:
        if "<response>" in body:
            return []
        raise Skip("no_answer", "output has neither <tool_call> nor <response>")
    calls = []
    for block in blocks:
        for obj in json_objects(block.strip()):
            calls.append(name_args(obj, arg_keys=("parameters", "arguments")))
    return calls


def _row_fields(rec: Any) -> tuple[str, str, Any]:
    """(instruction, history, output) of an SFT row, a verl row or a benchmark row."""
    if isinstance(rec, dict) and isinstance(rec.get("extra_info"), dict) and "instruction" in rec["extra_info"]:
        rec = rec["extra_info"]
    if isinstance(rec, dict) and "system" in rec and "answer" in rec:
        return field(rec, "system"), field(rec, "user"), field(rec, "answer")
    return field(rec, "instruction"), field(rec, "input"), field(rec, "output")


def _build(rid: str, rec: Any, category: str) -> Task:
    instruction, history, output = _row_fields(rec)
    tools = parse_tools(instruction)
    messages = parse_history(history)
    if isinstance(output, (list, dict)):  # benchmark rows: {"name", "parameters"} or a list of them
        calls = [name_args(c, arg_keys=("parameters", "arguments")) for c in (output if isinstance(output, list) else [output])]
    else:
        calls = parse_output(str(output))
    return make_task(rid, SOURCE, tools, messages, calls, category)


def _read_parquet(path: Path, report: LoadReport) -> list[tuple[str, Any]]:
    try:
        import pyarrow.parquet as pq
    except Exception as e:  # pyarrow missing or built against another numpy
        report.skip(path.name, f"unreadable_file: pyarrow unavailable ({type(e).__name__}: {e})")
        return []
    return [(f"{path.parent.name}/{path.stem}:{i}", row) for i, row in enumerate(pq.read_table(path).to_pylist())]


def load(path: str | Path | None = None, report: LoadReport | None = None, benchmarks: bool = False) -> list[Task]:
    """Load ToolRL rlla rows (and, with ``benchmarks=True``, its API-Bank test sets)."""
    root = resolve_path(path, FOLDER)
    report = report if report is not None else LoadReport()
    patterns = ["dataset/**/*.json", "dataset/**/*.jsonl", "dataset/**/*.parquet", "*.json", "*.jsonl", "*.parquet"]
    if benchmarks:
        patterns.append("benchmarks/**/*.json")
    files = find_files(root, patterns)
    tasks: list[Task] = []
    for f in files:
        if f.suffix == ".parquet" and f.with_suffix(".jsonl").exists():
            continue  # same rows as the .jsonl dump
        parent = f.parent.name
        rows = _read_parquet(f, report) if f.suffix == ".parquet" else read_records(f, report, f"{parent}/{f.stem}")
        category = f"api_bank_{f.stem.split('-api')[0]}" if "benchmarks" in f.parts else f"{parent}/{f.stem}"
        for rid, rec in rows:
            if isinstance(rec, dict) and isinstance(rec.get("extra_info"), dict) and "index" in rec["extra_info"]:
                rid = f"{parent}/{f.stem}:{rec['extra_info']['index']}"
            convert(report, tasks, rid, _build, rid, rec, category)
    log.info("toolrl: kept %d, skipped %s", report.kept, dict(report.skipped))
    return tasks

