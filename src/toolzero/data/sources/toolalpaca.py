"""ToolAlpaca (tangqiaoyu/ToolAlpaca) evaluation sets as tasks.

Reads ``data/eval_real.json``, ``data/eval_simulated.json`` and, when present,
``data/train_data.json`` (``files=`` to choose).  ``validation_data.json`` is not read by
default: it has no ``Golden_Answers`` and repeats the simulated set's instructions.

Each file holds API records; every ``Instructions[i]`` with ``Golden_Answers[i]`` is one
task.  Tools are the record's ``Function_Description`` entries (what ToolAlpaca shows the
model): ``"<description>\\nParameters: {"p": "Required. string. One of: [a, b]. text"}\\n
Output: ..."``; the leading word gives the type (``string``, ``integer``, ``number``,
``boolean``, ``Array[...]``, ``Object``), ``Required.`` marks required parameters and
``One of: [...]`` the enum.  The golden answer is a list of ``{"Action", "Action_Input"
(JSON text)}`` steps; all steps form the ground truth as independent calls (ToolAlpaca's
steps carry no explicit dependencies).  A step whose input holds a placeholder for an
earlier output or an unknown value (``${animeId from searchAnime}``) skips the record
(``nested_reference``).  A value of ``""`` means "not given" (may be omitted).  Values
follow :mod:`toolzero.data.sources._values`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from toolzero.data.sources._files import find_files
from toolzero.data.sources._json import field, loads_json
from toolzero.data.sources._loader import Context, SourceSpec
from toolzero.data.sources._schema import make_tool
from toolzero.data.sources._skip import Skip
from toolzero.data.sources._tasks import make_task, user
from toolzero.schema import Task, Tool

SOURCE = "toolalpaca"
FILES = ("eval_real.json", "eval_simulated.json", "train_data.json")
PATTERNS = ("**/*.json",)
_PARAMS = re.compile(r"(?:^|\n)Parameters:\s*(\{.*?\})\s*(?:\nOutput:|$)", re.S)
_SPEC = re.compile(r"^(?P<req>Required\.\s*)?(?P<type>Array\[.*?\]|[A-Za-z]+)\.?\s*"
                   r"(?:One of: \[(?P<enum>[^\]]*)\]\.\s*)?(?P<desc>.*)$", re.S)


def param_from_text(text: str) -> tuple[dict[str, Any], bool]:
    """``"Required. string. One of: [a, b]. text"`` -> (parameter spec, required)."""
    m = _SPEC.match(text.strip())
    if not m:
        return {"type": "any", "description": text}, False
    spec: dict[str, Any] = {"type": m.group("type"), "description": m.group("desc").strip()}
    if m.group("enum"):
        spec["enum"] = [e.strip() for e in m.group("enum").split(",")]
    return spec, bool(m.group("req"))


def function_tool(name: str, text: str) -> Tool:
    """A tool from one ``Function_Description`` entry."""
    desc = text.split("\nParameters:", 1)[0].strip()
    m = _PARAMS.search(text)
    raw = loads_json(m.group(1), f"{name} parameters") if m else {}
    if not isinstance(raw, dict):
        raise Skip("schema_error", f"{name}: parameters must be an object")
    params, required = {}, []
    for p, t in raw.items():
        spec, req = param_from_text(str(t))
        params[p] = spec
        if req:
            required.append(p)
    return make_tool(name, desc, params, required=required, where=name)


def _api_tools(rec: Any) -> list[Tool]:
    fd = field(rec, "Function_Description")
    if not isinstance(fd, dict):
        raise Skip("schema_error", "Function_Description must be an object")
    return [function_tool(n, str(t)) for n, t in fd.items() if n != "components"]


def _build(rid: str, row: tuple[Any, Any, list[Tool]], ctx: Context) -> Task:
    instruction, answer, tools = row
    if not isinstance(instruction, str) or not instruction.strip():
        raise Skip("missing_field", "instruction")
    if not isinstance(answer, list) or not answer:
        raise Skip("missing_field", "golden answer")
    calls = []
    for step in answer:
        if not isinstance(step, dict) or not isinstance(step.get("Action"), str):
            raise Skip("bad_call", f"bad golden step {step!r:.60}")
        text = step.get("Action_Input") or "{}"
        if isinstance(text, str) and "${" in text:
            raise Skip("nested_reference", f"{step['Action']} uses a placeholder such as ${{... from f}}: {text[:80]!r}")
        args = loads_json(text, f"{step['Action']} Action_Input")
        calls.append((step["Action"], args))
    return make_task(rid, SOURCE, tools, [user(instruction)], calls, ctx.category)


def _files(ctx: Context) -> list[Path]:
    """The given file, or the files under the folder whose names are in ``options["files"]``."""
    if ctx.root.is_file():
        return [ctx.root]
    return [p for p in find_files(ctx.root, PATTERNS) if p.name in ctx.options["files"]]


def _instructions(rid: str, rec: Any, ctx: Context) -> Iterator[tuple[str, Any]]:
    """One row per instruction of an API record, ``<file>:<API name>:<i>``; a bad record is counted once."""
    name = rec.get("Name", rid) if isinstance(rec, dict) else rid
    base = f"{ctx.file.stem}:{name}"
    try:
        tools = _api_tools(rec)
        instructions = field(rec, "Instructions")
        answers = field(rec, "Golden_Answers")
    except Skip as e:
        ctx.report.skip(base, e.reason)
        return
    for i, ins in enumerate(instructions):
        yield f"{base}:{i}", (ins, answers[i] if i < len(answers) else None, tools)


SPEC = SourceSpec(name=SOURCE, folder="toolalpaca", build_row=_build, options={"files": FILES}, files=_files,
                  category=lambda f: f.stem, rows=_instructions)
