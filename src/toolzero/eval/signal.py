"""Will GRPO get a gradient?  Sample G rollouts per task and see whether the rewards tell them apart.

GRPO's advantage is a rollout's reward minus its group's mean: a group whose G rollouts all score
the same teaches nothing.  ``toolzero signal`` (and the cheap check ``train grpo`` runs before
training) samples G completions per task from the start model, in the run's prompt style, and
reports the format rate, strict pass@1 / pass@G, the mean r_general, and for each reward kind of the
style's output format the share of groups with reward spread, plus the spread of each component of
the GG reward (format, r_general, r_strict), with a one-line verdict naming the component that
carries the signal.

    toolzero signal --model gemma3-270m --prompt plain --prefill "<think>" --tasks 12 --rollouts 8
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolzero.calls.decode import strict_match
from toolzero.prompt import PromptStyle
from toolzero.rewards import REWARDS, RewardConfig, get_reward
from toolzero.rewards.general import general_score
from toolzero.schema import Task

# The GG reward's components whose spread is reported (their keys in its breakdown).
COMPONENTS = ("format", "general", "strict")
SPREAD = 1e-9  # rewards closer than this count as equal


@dataclass
class GroupSignal:
    """The G rollouts of one task: per rollout, format, strict hit, r_general, each reward and component."""

    task_id: str
    format_ok: list[bool]
    strict: list[bool]
    general: list[float]
    rewards: dict[str, list[float]]
    components: dict[str, list[float]]
    completions: list[str] = field(default_factory=list)  # as scored (prefill included)


def spread(values: Sequence[float]) -> bool:
    return bool(values) and max(values) - min(values) > SPREAD


@dataclass
class SignalReport:
    """The groups and what they add up to (:meth:`summary`, :meth:`verdict`)."""

    kind: str
    rollouts: int
    groups: list[GroupSignal] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        n = len(self.groups)
        flat = lambda attr: [x for g in self.groups for x in getattr(g, attr)]  # noqa: E731
        share = lambda flags: sum(flags) / n if n else 0.0  # noqa: E731
        fmt, strict, general = flat("format_ok"), flat("strict"), flat("general")
        return {
            "tasks": n, "rollouts_per_task": self.rollouts, "reward_kind": self.kind,
            "format_rate": sum(fmt) / len(fmt) if fmt else 0.0,
            "strict_pass@1": sum(strict) / len(strict) if strict else 0.0,
            f"strict_pass@{self.rollouts}": share([any(g.strict) for g in self.groups]),
            "mean_r_general": sum(general) / len(general) if general else 0.0,
            "groups_with_spread": {k: share([spread(g.rewards[k]) for g in self.groups]) for k in self.kinds},
            "component_spread": {c: share([spread(g.components[c]) for g in self.groups]) for c in self.component_names},
        }

    @property
    def kinds(self) -> list[str]:
        return list(self.groups[0].rewards) if self.groups else []

    @property
    def component_names(self) -> list[str]:
        return list(self.groups[0].components) if self.groups else []

    def verdict(self) -> str:
        """One line: will training with ``kind`` move, and which component carries the signal."""
        s = self.summary()
        n = s["tasks"]
        moving = s["groups_with_spread"].get(self.kind, 0.0)
        if not n:
            return "no tasks sampled"
        if moving == 0.0:
            return (f"NO SIGNAL: under reward.kind={self.kind}, each of the {n} groups of {self.rollouts} rollouts got "
                    f"one reward (format rate {s['format_rate']:.0%}, strict pass@{self.rollouts} "
                    f"{s[f'strict_pass@{self.rollouts}']:.0%}): GRPO will not move. Try reward.kind=gg, a prefill, "
                    "an in-context example, easier tasks or more rollouts.")
        comps = s["component_spread"]
        carrier = max(comps, key=comps.get) if comps else self.kind
        parts = ", ".join(f"{c} {v:.0%}" for c, v in comps.items())
        return (f"signal: {moving:.0%} of {n} groups have reward spread under {self.kind}, carried mostly by "
                f"{carrier} (groups with spread per component: {parts}); strict pass@{self.rollouts} "
                f"{s[f'strict_pass@{self.rollouts}']:.0%}")

    def markdown(self) -> str:
        s = self.summary()
        r = self.rollouts
        lines = [f"| tasks | rollouts | format rate | strict pass@1 | strict pass@{r} | mean r_general |",
                 "|---:|---:|---:|---:|---:|---:|",
                 f"| {s['tasks']} | {r} | {s['format_rate']:.1%} | {s['strict_pass@1']:.1%} | {s[f'strict_pass@{r}']:.1%} "
                 f"| {s['mean_r_general']:+.3f} |", "",
                 "| groups with reward spread | share |", "|---|---:|"]
        lines += [f"| reward.kind={k} | {v:.0%} |" for k, v in s["groups_with_spread"].items()]
        lines += [f"| GG component {c} | {v:.0%} |" for c, v in s["component_spread"].items()]
        return "\n".join(lines) + "\n\n" + self.verdict() + "\n"

    def save(self, path: str | Path, setup: dict[str, Any] | None = None) -> None:
        """The summary, verdict and groups as JSON; ``setup`` (model, style, data, ...) goes first."""
        Path(path).write_text(json.dumps({**({"setup": setup} if setup else {}), "summary": self.summary(),
                                          "verdict": self.verdict(),
                                          "groups": [dataclasses.asdict(g) for g in self.groups]}, indent=2) + "\n")


def score_group(task: Task, completions: Sequence[str], style: PromptStyle, config: RewardConfig, step: float = 0,
                total_steps: int | None = None) -> GroupSignal:
    """Score one task's rollouts under every reward kind of the style's output format."""
    kinds = [k for k, spec in REWARDS.items() if spec.output_format == style.output_format]
    fns = {k: get_reward(dataclasses.replace(config, kind=k)) for k in kinds}
    tools = {t.name: t for t in task.tools}
    parsed = [style.format.parse(c) for c in completions]
    results = {k: [fn(c, task.ground_truth, tools, step=step, total_steps=total_steps) for c in completions]
               for k, fn in fns.items()}
    rewards = {k: [r.score for r in rs] for k, rs in results.items()}
    components = {c: [r.breakdown[c] for r in results["gg"]] for c in COMPONENTS} if "gg" in results else {}
    strict = [(m := strict_match(p, task)) is not None and m.valid for p in parsed]
    return GroupSignal(task.id, [p.format_ok for p in parsed], strict, [general_score(p, task.ground_truth) for p in parsed],
                       rewards, components, list(completions))


def measure_signal(generator: Any, tasks: Sequence[Task], style: PromptStyle, rollouts: int, temperature: float,
                   config: RewardConfig, step: float = 0, total_steps: int | None = None) -> SignalReport:
    """Sample ``rollouts`` completions per task with ``generator`` (an :class:`HFGenerator`) and score them."""
    prompts = [style.render(t, generator.tokenizer) for t in tasks]
    groups = generator.sample_groups(prompts, rollouts, temperature)
    report = SignalReport(config.kind, rollouts)
    for task, texts in zip(tasks, groups):
        completions = [style.completion(t) for t in texts]
        report.groups.append(score_group(task, completions, style, config, step, total_steps))
    return report
