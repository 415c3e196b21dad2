"""5.4b: the needed tool is missing at first, and added in a later turn."""

from __future__ import annotations

from dataclasses import replace

from toolzero.data.transforms.common import AugCategory, Seed, assistant_turn, task_rng
from toolzero.schema import Task

READDED_TEMPLATES = (
    "I've just added {names} to your tools. Please try again.",
    "You now have access to {names}. Can you do it now?",
    "{names} is available now, go ahead.",
    "I enabled {names} for you. Please continue with my request.",
)


def drop_and_reintroduce(task: Task, seed: Seed = 0) -> list[Task]:
    """5.4b: the needed tool is missing at first, and added in a later turn.

    Returns up to two tasks (``[]`` when the task expects no call):

    1. ``<id>::miss_func`` (category ``multi_turn_miss_func``): the tools without every
       called tool, same messages, ground truth ``()``.  Left out when no tool would remain.
    2. ``<id>::miss_func_readded`` (``multi_turn_miss_func_readded``): all the original
       tools; messages = the original ones, an assistant turn that calls nothing (``[]``,
       saying no function fits), and a user turn naming the re-added tool(s); ground truth:
       the original calls.
    """
    if not task.ground_truth:
        return []
    rng = task_rng(seed, task.id)
    called = {c.name for c in task.ground_truth}
    missing = [t.name for t in task.tools if t.name in called]
    remaining = tuple(t for t in task.tools if t.name not in called)
    out = []
    if remaining:
        out.append(replace(task, id=f"{task.id}::miss_func", tools=remaining, ground_truth=(),
                           category=AugCategory.MISS_FUNC.value))
    names = " and ".join(f"`{n}`" for n in missing)
    follow = {"role": "user", "content": rng.choice(READDED_TEMPLATES).format(names=names)}
    no_tool = assistant_turn([], "None of the available functions can do this, so I cannot call anything yet.")
    out.append(replace(task, id=f"{task.id}::miss_func_readded", messages=(*task.messages, no_tool, follow),
                       category=AugCategory.MISS_FUNC_READDED.value))
    return out

