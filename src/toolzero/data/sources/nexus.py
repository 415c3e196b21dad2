"""NexusRaven API evaluation (nexusflowai/NexusRaven) as tasks.

Reads ``raven/data/resources/<set>_queries.json``; ``sets=`` chooses among ``cve_cpe``,
``emailrep``, ``virustotal``, ``toolalpaca`` (the default four: the 318-row "Nexus"
benchmark) and ``toolllm`` (an extra set, off by default).

* ``cve_cpe`` / ``emailrep`` / ``virustotal``: rows ``{"query", "reference"}`` where the
  reference is Python (``r = nvdlib.searchCPE(keywordSearch='x', limit=2)``).  The tools are
  that set's functions in ``function_definitions.extracted.json``; a parameter's type is its
  annotation, else the ``name (type):`` line of the docstring, else ``any``.  The module
  prefix of a called name (``nvdlib.``) is dropped when only the last part names a tool.
* ``toolalpaca``: each row holds ``turns_1..5``; a turn with an ``instruction`` and a
  ``golden_answer`` (a list of Python call strings) is a task, whose tools are the
  ``<func_start>def f(a: str, ...)<func_end>`` options of its ``docstring`` (types from the
  annotations; required where the docstring says ``(type) required``).  Empty turns are
  not records and are not counted.
* ``toolllm``: rows ``{"Input", "Output", "context": [python defs]}``; parameters with a
  default are optional.

A value of ``None`` or ``""`` means "not given" (may be omitted); a tool parameter that is
required but not given skips the record (``missing_required``).  Values follow
:mod:`toolzero.data.sources._values`.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from toolzero.data.sources._calls import parse_python_calls
from toolzero.data.sources._files import read_records
from toolzero.data.sources._json import field
from toolzero.data.sources._loader import Context, SourceSpec
from toolzero.data.sources._schema import make_tool, split_top_level, type_schema
from toolzero.data.sources._skip import Skip
from toolzero.data.sources._tasks import make_task, user
from toolzero.schema import Task, Tool

log = logging.getLogger(__name__)

SOURCE = "nexus"
REFERENCE_SETS = ("cve_cpe", "emailrep", "virustotal")  # rows with a Python reference; tools from DEFINITIONS
SETS = (*REFERENCE_SETS, "toolalpaca")
ALL_SETS = (*SETS, "toolllm")
DEFINITIONS = "function_definitions.extracted.json"
_DOC_ARG = re.compile(r"^[ \t]*-?[ \t]*(\w[\w-]*)[ \t]*[(:,][ \t]*([^):,\n]+)", re.M)
_SIGNATURE = re.compile(r"def\s+(\w+)\s*\((.*)\)\s*(?:->[^:]*)?:?\s*$", re.S)
_PARAM = re.compile(r"^\s*\**(\w+)\s*(?::\s*([^=]+?))?\s*(?:=\s*(.+))?\s*$", re.S)
_OPTION = re.compile(r"<func_start>(.*?)<func_end>\s*<docstring_start>(.*?)<docstring_end>", re.S)
_DOC_PARAM = re.compile(r"^\s*(\w+)\s*\(([^)]*)\)\s*(required)?\s*:\s*(.*)$", re.M)


def _known_type(typ: str | None) -> str:
    """``typ`` when it is a type we understand, else ``any``."""
    if not typ:
        return "any"
    try:
        type_schema(typ)
    except Skip:
        return "any"
    return typ


def _doc_types(doc: str) -> dict[str, str]:
    """``name (type):`` / ``- name: type, ...`` lines of a docstring."""
    out: dict[str, str] = {}
    for name, typ in _DOC_ARG.findall(doc):
        out.setdefault(name.replace("-", "_"), typ.strip())
    return out


def definition_tools(defs: list[dict[str, Any]], dataset: str) -> list[Tool]:
    """Tools of one set from ``function_definitions.extracted.json``."""
    tools = []
    for d in defs:
        if d.get("dataset") != dataset:
            continue
        doc = str(d.get("docstring") or "")
        doc_types = _doc_types(doc)
        params, required = {}, []
        for p in d.get("parameters") or []:
            name = p["name"]
            typ = p.get("annotation") or doc_types.get(name)
            params[name] = {"type": _known_type(typ)}
            if p.get("required"):
                required.append(name)
        tools.append(make_tool(d.get("name"), doc, params, required=required, where=f"{dataset}.{d.get('name')}"))
    return tools


def python_def_tool(signature: str, doc: str = "", where: str = "def") -> Tool:
    """A tool from ``def f(a: str, b: int = 3)`` (and its docstring's ``a (str) required:`` lines)."""
    src = signature.strip()
    if not src.startswith("def "):
        raise Skip("schema_error", f"{where}: not a def: {src[:60]!r}")
    m = _SIGNATURE.match(src)
    if not m:
        raise Skip("schema_error", f"{where}: signature does not parse: {src[:60]!r}")
    doc_req = {p[0]: bool(p[2]) for p in _DOC_PARAM.findall(doc)}
    doc_desc = {p[0]: p[3].strip() for p in _DOC_PARAM.findall(doc)}
    params, required = {}, []
    for part in split_top_level(m.group(2)):
        pm = _PARAM.match(part)
        if not pm:
            raise Skip("schema_error", f"{where}: parameter does not parse: {part!r}")
        name, typ, default = pm.group(1), pm.group(2), pm.group(3)
        params[name] = {"type": _known_type(typ.strip() if typ else None), "description": doc_desc.get(name, "")}
        if doc_req.get(name, default is None and name not in doc_req):
            required.append(name)
    desc = doc.strip().strip('"').strip().split("\nParameters:", 1)[0].strip()
    return make_tool(m.group(1), desc, params, required=required, where=where)


def _tool_names(calls: list[tuple[str, dict[str, Any]]], tools: list[Tool]) -> list[tuple[str, dict[str, Any]]]:
    names = {t.name for t in tools}
    return [(n if n in names or n.rsplit(".", 1)[-1] not in names else n.rsplit(".", 1)[-1], a) for n, a in calls]


def _reference_task(rid: str, rec: Any, tools: list[Tool], dataset: str) -> Task:
    calls = _tool_names(parse_python_calls(str(field(rec, "reference"))), tools)
    return make_task(rid, SOURCE, tools, [user(str(field(rec, "query")))], calls, dataset)


def _turn_task(rid: str, turn: dict[str, Any]) -> Task:
    options = _OPTION.findall(str(turn.get("docstring", "")))
    tools = [python_def_tool(sig, doc, f"{rid}.option[{i}]") for i, (sig, doc) in enumerate(options)]
    gold = turn.get("golden_answer")
    answers = json.loads(gold) if isinstance(gold, str) else gold
    if not isinstance(answers, list):
        raise Skip("bad_call", "golden_answer must be a list of call strings")
    calls = _tool_names([c for a in answers for c in parse_python_calls(str(a))], tools)
    return make_task(rid, SOURCE, tools, [user(str(turn["instruction"]))], calls, "toolalpaca")


def _toolllm_task(rid: str, rec: Any) -> Task:
    tools = []
    for i, src in enumerate(field(rec, "context")):
        m = re.match(r"\s*(def [^\n]*?\)\s*(?:->[^\n:]*)?):\s*\n\s*(?:'([^']*)'|\"([^\"]*)\")?", src)
        if not m:
            raise Skip("schema_error", f"context[{i}] is not a def")
        tools.append(python_def_tool(m.group(1), m.group(2) or m.group(3) or "", f"{rid}.context[{i}]"))
    calls = _tool_names(parse_python_calls(str(field(rec, "Output"))), tools)
    return make_task(rid, SOURCE, tools, [user(str(field(rec, "Input")))], calls, "toolllm")


def _check_sets(options: Mapping[str, Any]) -> None:
    unknown = [s for s in options["sets"] if s not in ALL_SETS]
    if unknown:
        raise ValueError(f"unknown NexusRaven sets {unknown}; known: {', '.join(ALL_SETS)}")


def _definitions(ctx: Context) -> list[dict[str, Any]]:
    """``function_definitions.extracted.json`` (the tools of the reference sets), or [] when it is absent."""
    defs_file = ctx.root / DEFINITIONS
    return json.loads(defs_file.read_text(encoding="utf-8")) if defs_file.is_file() else []


def _files(ctx: Context) -> list[Path]:
    """``<set>_queries.json`` for each of ``options["sets"]``, in that order."""
    res = ctx.root / "raven" / "data" / "resources" if (ctx.root / "raven").is_dir() else ctx.root
    files = []
    for name in ctx.options["sets"]:
        f = res / f"{name}_queries.json"
        if not f.is_file():
            log.info("nexus: %s not found, skipped", f)
            continue
        files.append(f)
    return files


def _set_tools(ctx: Context) -> list[Tool] | None:
    """A reference set's tools ([] for the other sets); None (counted) when it has none that convert."""
    name = ctx.category
    if name not in REFERENCE_SETS:
        return []
    try:
        tools = definition_tools(ctx.shared, name)
        reason = "" if tools else f"missing_field: no function definitions for {name} in {ctx.root / DEFINITIONS}"
    except Skip as e:
        reason = e.reason
    if not reason:
        return tools
    read_records(ctx.file, ctx.report)  # a skipped set's unreadable lines are still counted
    ctx.report.skip(name, reason)
    return None


def _turns(rid: str, rec: Any, ctx: Context) -> Iterable[tuple[str, Any]]:
    """The ``toolalpaca`` set's filled turns, ``<row>.turns_<n>`` (an empty turn slot is not a record)."""
    if ctx.category != "toolalpaca":
        return [(rid, rec)]
    return [(f"{rid}.{key}", turn) for key, turn in (sorted(rec.items()) if isinstance(rec, dict) else [])
            if isinstance(turn, dict) and turn.get("instruction") and turn.get("golden_answer") is not None]


def _build(rid: str, row: Any, ctx: Context) -> Task:
    if ctx.category in REFERENCE_SETS:
        return _reference_task(rid, row, ctx.data, ctx.category)
    if ctx.category == "toolalpaca":
        return _turn_task(rid, row)
    return _toolllm_task(rid, row)


SPEC = SourceSpec(name=SOURCE, folder="nexusraven", build_row=_build, options={"sets": SETS}, check=_check_sets,
                  setup=_definitions, files=_files, per_file=_set_tools,
                  category=lambda f: f.stem.removesuffix("_queries"), rows=_turns)
