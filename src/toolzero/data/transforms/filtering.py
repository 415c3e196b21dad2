"""5.1: turn raw records into tasks and drop the broken ones, counting why."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from toolzero.data.report import LoadReport
from toolzero.schema import OPTIONAL, SchemaError, Task, Tool, parse_ground_truth


class _Drop(Exception):
    def __init__(self, kind: str, detail: str):
        super().__init__(f"{kind}: {detail}")
        self.reason = f"{kind}: {detail}"


def parse_filter(records: Iterable[Task | dict[str, Any]], report: LoadReport | None = None) -> list[Task]:
    """Keep the records that parse and whose ground truth can be met; count the others by reason.

    Records are :class:`Task` objects or their JSON form (:meth:`Task.to_json`).  Reasons
    (the text before ``:`` in ``report.skipped``): ``bad_record``, ``bad_tools``,
    ``bad_ground_truth``, ``bad_messages``, ``unknown_tool`` (a call names a tool not in the
    list), ``unknown_param`` (an argument the schema does not define), ``missing_required``
    (a required parameter absent from the ground truth: no answer could match) and
    ``type_mismatch`` (an accepted value does not have the schema's type; ints are accepted
    for floats, nested objects and array items are checked too; enums are not checked).
    """
    report = report if report is not None else LoadReport()
    kept = []
    for i, rec in enumerate(records):
        rid = rec.id if isinstance(rec, Task) else str(rec.get("id", f"record[{i}]")) if isinstance(rec, dict) else f"record[{i}]"
        try:
            task = rec if isinstance(rec, Task) else _parse_record(rec, rid)
            _check_ground_truth(task)
        except _Drop as d:
            report.skip(rid, d.reason)
            continue
        kept.append(task)
        report.kept += 1
    return kept


def _parse_record(rec: Any, rid: str) -> Task:
    if not isinstance(rec, dict):
        raise _Drop("bad_record", f"expected a task or a JSON object, got {type(rec).__name__}")
    tools_obj = rec.get("tools")
    if not isinstance(tools_obj, list):
        raise _Drop("bad_tools", "tools must be a list of schemas")
    try:
        tools = tuple(Tool.from_json(t, f"tools[{j}]") for j, t in enumerate(tools_obj))
    except SchemaError as e:
        raise _Drop("bad_tools", str(e)) from None
    names = [t.name for t in tools]
    if len(set(names)) != len(names):
        raise _Drop("bad_tools", f"duplicate tool names in {names}")
    try:
        gt = parse_ground_truth(rec.get("ground_truth"), "ground_truth")
    except SchemaError as e:
        raise _Drop("bad_ground_truth", str(e)) from None
    messages = rec.get("messages")
    if not isinstance(messages, list) or not all(
            isinstance(m, dict) and isinstance(m.get("role"), str) and isinstance(m.get("content"), str) for m in messages):
        raise _Drop("bad_messages", "messages must be a list of {role, content} strings")
    for call in gt:
        if call.name not in names:
            raise _Drop("unknown_tool", f"calls {call.name!r}, not in tools {sorted(names)}")
    try:
        return Task(id=rid, source=str(rec.get("source", "")), tools=tools, messages=tuple(messages), ground_truth=gt,
                    category=str(rec.get("category", "")))
    except SchemaError as e:
        raise _Drop("bad_record", str(e)) from None


def _check_ground_truth(task: Task) -> None:
    for call in task.ground_truth:
        tool = task.tool(call.name)
        if tool is None:
            raise _Drop("unknown_tool", f"calls {call.name!r}, not in the tools")
        props = tool.parameters.properties
        for arg, accepted in call.args.items():
            if arg not in props:
                raise _Drop("unknown_param", f"{call.name}.{arg} is not in the schema")
            for value in accepted:
                if value != OPTIONAL and not props[arg].fits(value, deep=True, possible_answer=True):
                    raise _Drop("type_mismatch", f"{call.name}.{arg}: {value!r} is not {props[arg].type}")
        for req in tool.parameters.required:
            if req not in call.args:
                raise _Drop("missing_required", f"{call.name}.{req} is required but absent from the ground truth")
