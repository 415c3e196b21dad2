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

import re
from pathlib import Path
from typing import Any

from toolzero.data.report import LoadReport
from toolzero.data.sources._calls import json_objects, name_args
from toolzero.data.sources._files import find_files, read_records
from toolzero.data.sources._json import field, loads_loose
from toolzero.data.sources._loader import Context, SourceSpec
from toolzero.data.sources._schema import make_tool
from toolzero.data.sources._skip import Skip
from toolzero.data.sources._tasks import assistant, make_task, merge_roles, tool_msg, user
from toolzero.schema import Task, Tool

SOURCE = "toolrl"
PATTERNS = ("dataset/**/*.json", "dataset/**/*.jsonl", "dataset/**/*.parquet", "*.json", "*.jsonl", "*.parquet")
BENCHMARK_PATTERNS = ("benchmarks/**/*.json",)

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


def _build(rid: str, rec: Any, ctx: Context) -> Task:
    instruction, history, output = _row_fields(rec)
    tools = parse_tools(instruction)
    messages = parse_history(history)
    if isinstance(output, (list, dict)):  # benchmark rows: {"name", "parameters"} or a list of them
        calls = [name_args(c, arg_keys=("parameters", "arguments")) for c in (output if isinstance(output, list) else [output])]
    else:
        calls = parse_output(str(output))
    return make_task(rid, SOURCE, tools, messages, calls, ctx.category)


def _prefix(f: Path) -> str:
    """``<folder>/<stem>`` (``rlla_4k/train``): the record-id prefix."""
    return f"{f.parent.name}/{f.stem}"


def _category(f: Path) -> str:
    return f"api_bank_{f.stem.split('-api')[0]}" if "benchmarks" in f.parts else _prefix(f)


def _files(ctx: Context) -> list[Path]:
    """The data files (with ``benchmarks``, also the API-Bank sets); a parquet file with a .jsonl twin is not read."""
    patterns = PATTERNS + BENCHMARK_PATTERNS if ctx.options["benchmarks"] else PATTERNS
    return [f for f in find_files(ctx.root, patterns) if not (f.suffix == ".parquet" and f.with_suffix(".jsonl").exists())]


def _read(path: Path, report: LoadReport, prefix: str) -> list[tuple[str, Any]]:
    """Records of a JSON / JSON Lines file, or the rows of a parquet file (with pyarrow)."""
    if path.suffix != ".parquet":
        return read_records(path, report, prefix)
    try:
        import pyarrow.parquet as pq
    except Exception as e:  # pyarrow missing or built against another numpy
        report.skip(path.name, f"unreadable_file: pyarrow unavailable ({type(e).__name__}: {e})")
        return []
    return [(f"{prefix}:{i}", row) for i, row in enumerate(pq.read_table(path).to_pylist())]


def _row_id(rid: str, rec: Any, ctx: Context) -> str:
    """A verl row's own ``extra_info.index``, else ``<prefix>:<index in the file>``."""
    if isinstance(rec, dict) and isinstance(rec.get("extra_info"), dict) and "index" in rec["extra_info"]:
        return f"{_prefix(ctx.file)}:{rec['extra_info']['index']}"
    return rid


SPEC = SourceSpec(name=SOURCE, folder="toolrl", build_row=_build, options={"benchmarks": False}, files=_files,
                  prefix=_prefix, category=_category, read=_read, row_id=_row_id)
