"""5.3: the same request without the tools it calls, expecting no call."""

from __future__ import annotations

from dataclasses import replace

from toolzero.data.transforms.common import AugCategory
from toolzero.schema import Task


def make_irrelevant(task: Task) -> Task | None:
    """The same request without the tool(s) it calls, expecting no call (``()``).

    Returns None when the task already expects no call, or when no tool would remain.
    Id gets ``::irrelevant``; category becomes ``irrelevance``.
    """
    if not task.ground_truth:
        return None
    called = {c.name for c in task.ground_truth}
    tools = tuple(t for t in task.tools if t.name not in called)
    if not tools:
        return None
    return replace(task, id=f"{task.id}::irrelevant", tools=tools, ground_truth=(), category=AugCategory.IRRELEVANCE.value)

