"""What the transforms share: output categories, per-task seeding, and the conversations they write.

Transforms that draw random choices take a seed and seed one ``random.Random`` per task from
``(seed, task.id)`` (:func:`task_rng`), so a task's output does not depend on which other
tasks are processed with it.

Conventions for the conversations the multi-turn augmentations write (our choice; METHOD.md
leaves them open):

* an earlier assistant turn is written in the policy's own output format,
  ``<think>...</think>\\n<answer>[calls]</answer>`` (:data:`ASSISTANT_TURN`), so that history and
  completions look alike; a turn that calls nothing, or asks the user something, has
  ``<answer>[]</answer>`` and carries its question inside ``<think>``;
* each earlier call is followed by one ``tool`` message holding a placeholder result
  (:data:`TOOL_RESULT`, ``{"function": name, "status": "success"}``): there are no executors;
* the ground truth of an augmented task is the call(s) expected at the *last* turn only.
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from enum import Enum

from toolzero.calls.render import render_calls
from toolzero.schema import Task, ToolCall

Seed = int | str | random.Random


class AugCategory(str, Enum):
    """``Task.category`` of what the transforms produce."""

    IRRELEVANCE = "irrelevance"
    CONCAT = "multi_turn_concat"  # 5.4a: earlier dialogues, then the final request
    MISS_FUNC = "multi_turn_miss_func"  # 5.4b first turn: the needed tool is missing, answer []
    MISS_FUNC_READDED = "multi_turn_miss_func_readded"  # 5.4b later turn: the tool is back, make the call
    MISS_PARAM = "multi_turn_miss_param"  # 5.4c: a required value is missing, ask the user (answer [])
    MISS_PARAM_ANSWERED = "multi_turn_miss_param_answered"  # 5.4c: the user gave the value, make the call
    CORRECTION = "multi_turn_correction"  # 5.4d: an earlier call was wrong, issue the corrected call


ASSISTANT_TURN = "<think>{think}</think>\n<answer>{answer}</answer>"
TOOL_RESULT = {"status": "success"}  # placeholder tool output, with the function's name added


def task_rng(seed: Seed, key: str) -> random.Random:
    """A generator for one task: the caller's own ``Random``, or one seeded from ``(seed, key)``."""
    return seed if isinstance(seed, random.Random) else random.Random(f"{seed}:{key}")


def assistant_turn(calls: Sequence[ToolCall], think: str = "") -> dict[str, str]:
    """An earlier assistant message in the policy's format (see the module notes)."""
    if not think:
        think = (f"The request needs {', '.join(dict.fromkeys(c.name for c in calls))}." if calls
                 else "None of the available functions can do this, so I call nothing.")
    return {"role": "assistant", "content": ASSISTANT_TURN.format(think=think, answer=render_calls(calls))}


def tool_results(calls: Sequence[ToolCall]) -> list[dict[str, str]]:
    """One placeholder ``tool`` message per call."""
    return [{"role": "tool", "content": json.dumps({"function": c.name, **TOOL_RESULT})} for c in calls]


def last_user(task: Task) -> int | None:
    """Index of the last user message, or None."""
    return next((i for i in range(len(task.messages) - 1, -1, -1) if task.messages[i]["role"] == "user"), None)

