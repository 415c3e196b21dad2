"""5.4d: an earlier turn made a wrong call; the right move is the corrected call."""

from __future__ import annotations

import math
import random
from dataclasses import replace
from typing import Any

from toolzero.calls.match import match_calls
from toolzero.calls.render import reference_calls
from toolzero.data.transforms.common import AugCategory, Seed, assistant_turn, task_rng, tool_results
from toolzero.schema import OPTIONAL, Param, Task, ToolCall

CORRECTION_TEMPLATES = (
    "That's not what I asked for. Please check the call against my request and fix it.",
    "Hmm, one of the values in that call is wrong. Can you correct it?",
    "That doesn't match my request. Please redo it with the right details.",
    "Wait, you got something wrong there. Please fix the call.",
)


def perturb_previous_call(task: Task, seed: Seed = 0) -> Task | None:
    """5.4d: an earlier turn made a wrong call; the right move is the corrected call.

    The task's answer (first accepted values) is made wrong in one argument, chosen at
    random (values the request states before optional ones) among those where a wrong value
    can be built and the matcher rejects it: a bool flipped, another enum member, a number
    shifted, a digit changed or a string shortened, a list shortened.

    Messages: the original ones, an assistant turn with all the calls (one of them wrong), a
    placeholder tool result per call, and a user turn saying that something is wrong.
    Ground truth: only the call that was wrong, as originally expected (the others already
    ran).  Id ``<id>::correction``, category ``multi_turn_correction``.  Returns None when
    the task expects no call or no argument can be perturbed.
    """
    if not task.ground_truth:
        return None
    rng = task_rng(seed, task.id)
    calls = reference_calls(task.ground_truth, keep_optional=True)
    stated, defaulted = [], []  # prefer values the request states over defaults it leaves implicit
    for i, c in enumerate(calls):
        for arg in c.args:
            (defaulted if OPTIONAL in task.ground_truth[i].args[arg] else stated).append((i, arg))
    rng.shuffle(stated)
    rng.shuffle(defaulted)
    for i, arg in stated + defaulted:
        tool = task.tool(calls[i].name)
        spec = tool.parameters.properties.get(arg) if tool else None
        wrong = _wrong_value(calls[i].args[arg], spec, rng)
        if wrong is None:
            continue
        bad = ToolCall(calls[i].name, {**calls[i].args, arg: wrong})
        if not match_calls([bad], (task.ground_truth[i],), task.tools).valid:
            break
    else:
        return None
    shown = [*calls[:i], bad, *calls[i + 1:]]
    user = {"role": "user", "content": rng.choice(CORRECTION_TEMPLATES)}
    messages = (*task.messages, assistant_turn(shown), *tool_results(shown), user)
    return replace(task, id=f"{task.id}::correction", messages=messages, ground_truth=(task.ground_truth[i],),
                   category=AugCategory.CORRECTION.value)


def _wrong_value(v: Any, spec: Param | None, rng: random.Random) -> Any:
    if type(v) is bool:
        return not v
    if spec is not None and spec.enum:
        others = [x for x in spec.enum if x != v and type(x) is type(v)]
        return rng.choice(others) if others else None
    if type(v) is int:
        return v + rng.choice((1, 2, 5, 10))
    if type(v) is float:
        return round(v + rng.choice((0.5, 1.0, 5.0, 10.0)), 2)
    if type(v) is str:
        digits = [j for j, ch in enumerate(v) if ch.isdigit()]
        if digits:
            j = digits[-1]
            return v[:j] + str((int(v[j]) + 1) % 10) + v[j + 1:]
        words = v.split()
        if len(words) > 1:
            return " ".join(words[:-1])
        return v[: max(1, math.ceil(len(v) * 0.6))] if len(v) > 2 else None
    if type(v) is list and v:
        if len(v) > 1:
            return v[:-1]
        item = _wrong_value(v[0], spec.items if spec else None, rng)
        return None if item is None else [item]
    return None

