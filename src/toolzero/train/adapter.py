"""The thin adapter from our pure rewards to TRL's reward-function protocol.

TRL calls ``reward(prompts=..., completions=..., <dataset columns>..., trainer_state=...,
log_metric=...)`` and wants one float per completion.  We read the task from the
``tz_task`` column (a JSON string), the optimizer step from ``trainer_state.global_step``
so that sigma(t) follows the run, and log the mean of every breakdown component.
"""

from __future__ import annotations

import json
import logging
import math
from collections import defaultdict
from functools import lru_cache
from pathlib import Path
from typing import Any

from toolzero.prompt import DEFAULT_STYLE, PromptStyle
from toolzero.rewards import RewardConfig, get_reward, get_spec
from toolzero.schema import GroundTruth, Task, Tool

log = logging.getLogger(__name__)

TASK_COLUMN = "tz_task"  # not "tools": TRL gives that column name a meaning of its own


@lru_cache(maxsize=4096)
def _task(task_json: str) -> tuple[str, GroundTruth, dict[str, Tool]]:
    """Decode a task once (its id, ground truth and tools); the matcher's compiled plans stay cached on it."""
    task = Task.from_json(json.loads(task_json))
    return task.id, task.ground_truth, {t.name: t for t in task.tools}


def completion_text(completion: Any) -> str:
    """TRL passes strings for text prompts and message lists for chat prompts."""
    if isinstance(completion, str):
        return completion
    if isinstance(completion, list) and completion and isinstance(completion[-1], dict):
        return str(completion[-1].get("content", ""))
    return str(completion)


class TRLReward:
    """A TRL reward callable for one reward kind; ``__name__`` is the logging key."""

    def __init__(self, config: RewardConfig, total_steps: int | None, style: PromptStyle = DEFAULT_STYLE,
                 rollouts_path: str | Path | None = None):
        """``rollouts_path``: a JSONL file that gets every scored rollout (step, task id, completion, score and
        breakdown), to read what the policy writes as it learns; ``step`` is the optimizer step the rollout
        trains, counted from 1 as in metrics.jsonl."""
        self.config = config
        self.rollouts_path = Path(rollouts_path) if rollouts_path else None
        self.style = style  # the prompt ends with its prefill, so the completion is scored with it in front
        self.total_steps = total_steps
        self.fn = get_reward(config)
        self.floor = get_spec(config.kind).floor  # the score of a completion whose reward raised
        self.__name__ = f"{config.kind}_reward"
        self.last_breakdown: dict[str, float] = {}
        self.errors = 0

    def __call__(self, prompts: list, completions: list, **kwargs: Any) -> list[float]:
        tasks = kwargs[TASK_COLUMN]
        state = kwargs.get("trainer_state")
        step = state.global_step if state is not None else 0
        sums: dict[str, float] = defaultdict(float)
        scores, rows = [], []
        for completion, task_json in zip(completions, tasks):
            try:
                task_id, gt, tools = _task(task_json)
                text = self.style.completion(completion_text(completion))
                res = self.fn(text, gt, tools, step=step, total_steps=self.total_steps)
                score = res.score
                if self.rollouts_path is not None:
                    rows.append({"step": step + 1, "task": task_id, "completion": text,
                                 "score": round(score, 4), **{k: round(v, 4) for k, v in res.breakdown.items()}})
                for k, v in res.breakdown.items():
                    sums[k] += v
                sums["format_ok"] += res.breakdown.get("format", 0.0)
            except Exception:  # one broken record must not kill the run: score it the minimum
                log.exception("reward failed on a completion at step %d; scoring it %s", step, self.floor)
                self.errors += 1
                score = self.floor
            if not math.isfinite(score):
                raise FloatingPointError(f"reward is {score} at step {step}")
            scores.append(score)
        if rows:
            with self.rollouts_path.open("a") as f:
                f.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
        n = max(1, len(scores))
        self.last_breakdown = {k: v / n for k, v in sums.items()}
        log_metric = kwargs.get("log_metric")
        if log_metric is not None:
            for k, v in self.last_breakdown.items():
                log_metric(f"reward/{k}", v)
            log_metric("reward/errors", float(self.errors))
        return scores
