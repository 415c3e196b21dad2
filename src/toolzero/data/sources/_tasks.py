"""Tasks from converted parts: messages, reference calls and their possible-answer ground truth."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from toolzero.data.sources._calls import name_args
from toolzero.data.sources._json import field, loads_json
from toolzero.data.sources._schema import unique_tools
from toolzero.data.sources._skip import Skip
from toolzero.data.sources._values import ground_truth
from toolzero.schema import SchemaError, Task, Tool, parse_ground_truth


def make_task(
    rid: str, source: str, tools: Sequence[Tool], messages: Sequence[dict[str, str]],
    calls: Sequence[tuple[str, Any]], category: str = "",
) -> Task:
    """A :class:`Task` from reference calls; raises :class:`Skip` when anything does not fit."""
    tools = unique_tools(tools)
    gt = ground_truth(calls, tools)
    return task_from_gt(rid, source, tools, messages, gt, category)


def task_from_gt(
    rid: str, source: str, tools: Sequence[Tool], messages: Sequence[dict[str, str]],
    gt: list[dict[str, dict[str, list[Any]]]], category: str = "",
) -> Task:
    """A :class:`Task` from an already built possible-answer ground truth."""
    msgs = tuple({"role": m["role"], "content": m["content"] if isinstance(m["content"], str) else json.dumps(m["content"])}
                 for m in messages)
    if not any(m["role"] == "user" for m in msgs):
        raise Skip("missing_field", "no user message")
    try:
        return Task(id=rid, source=source, tools=tuple(tools), messages=msgs,
                    ground_truth=parse_ground_truth(gt, f"{rid}.ground_truth"), category=category)
    except SchemaError as e:
        raise Skip("schema_error", str(e)) from None


def user(content: str) -> dict[str, str]:
    """A user message."""
    return {"role": "user", "content": content}


def assistant(content: str) -> dict[str, str]:
    """An assistant message (text, or an earlier call written as text)."""
    return {"role": "assistant", "content": content}


def tool_msg(content: Any) -> dict[str, str]:
    """A tool-result message; non-text results are written as JSON."""
    return {"role": "tool", "content": content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)}


def system(content: str) -> dict[str, str]:
    """A system message (dates, user profiles)."""
    return {"role": "system", "content": content}


def merge_roles(messages: Sequence[dict[str, str]]) -> list[dict[str, str]]:
    """Join consecutive assistant messages (e.g. a call followed by its reply text)."""
    out: list[dict[str, str]] = []
    for m in messages:
        if out and m["role"] == "assistant" and out[-1]["role"] == "assistant":
            out[-1] = assistant(out[-1]["content"] + "\n" + m["content"])
        else:
            out.append(dict(m))
    return out


def tools_and_calls(rec: Any, rid: str, to_tool: Callable[[Any, str], Tool], **keys: Any) -> tuple[list[Tool], list]:
    """The ``tools`` and ``answers`` fields of xLAM-shaped rows (lists, or JSON text of lists).

    ``keys`` go to :func:`name_args` (which keys hold a call's name and arguments).
    """
    tools_obj = loads_json(field(rec, "tools"), "tools")
    if not isinstance(tools_obj, list):
        raise Skip("schema_error", "tools must be a list")
    tools = [to_tool(t, f"{rid}.tools[{i}]") for i, t in enumerate(tools_obj)]
    answers = loads_json(field(rec, "answers"), "answers")
    if not isinstance(answers, list):
        raise Skip("bad_call", "answers must be a list")
    return tools, [name_args(a, **keys) for a in answers]
