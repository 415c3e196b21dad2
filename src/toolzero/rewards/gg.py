"""The GG-GRPO reward and its static-strict peer ("vanilla GRPO") (METHOD.md sections 3-4).

    R = R_format + sigma(t) * r_strict + (1 - sigma(t)) * r_general
"""

from __future__ import annotations

from typing import Any

from toolzero.calls.parse import parse_completion
from toolzero.rewards.config import RewardConfig
from toolzero.rewards.general import general_score
from toolzero.rewards.result import RewardResult
from toolzero.rewards.schedule import midpoint_steps, sigma
from toolzero.rewards.strict import strict_score
from toolzero.schema import coerce_inputs


def gg_reward(
    completion: str,
    ground_truth: Any,
    tools: Any,
    step: float = 0,
    total_steps: int | None = None,
    config: RewardConfig | None = None,
) -> RewardResult:
    """GG-GRPO reward in [-0.5, 2 + gg_bonus] (the lower end needs r_general = -0.5).

    >>> tools = [{"name": "f", "parameters": {"type": "dict", "properties": {"a": {"type": "integer"}}}}]
    >>> r = gg_reward("<think>x</think><answer>[f(a=1)]</answer>", [{"f": {"a": [1]}}], tools, step=25)
    >>> r.score, r.breakdown["sigma"]
    (1.75, 0.5)
    """
    config = config or RewardConfig()
    gt, tool_map = coerce_inputs(ground_truth, tools)
    parsed = parse_completion(completion)
    s = sigma(step, config.gg_kappa, midpoint_steps(config, total_steps))
    fmt = 1.0 if parsed.format_ok else 0.0
    general = general_score(parsed, gt)
    strict, parts, match = strict_score(parsed.calls, gt, tool_map, config.gg_bonus, config.gg_penalty)
    tool = s * strict + (1.0 - s) * general
    total = fmt + tool
    breakdown = {"format": fmt, "general": general, "strict": strict, "match": parts["match"], "sigma": s,
                 "bonus": parts["bonus"], "penalty": parts["penalty"], "tool": tool, "total": total}
    reason = parsed.reason or (match.message if match is not None else "")
    return RewardResult(total, breakdown, reason)


def strict_reward(
    completion: str,
    ground_truth: Any,
    tools: Any,
    step: float = 0,
    total_steps: int | None = None,
    config: RewardConfig | None = None,
) -> RewardResult:
    """Vanilla GRPO: R_format + r_strict as a plain 0/1 match, no schedule, bonus or penalty."""
    gt, tool_map = coerce_inputs(ground_truth, tools)
    parsed = parse_completion(completion)
    fmt = 1.0 if parsed.format_ok else 0.0
    _, parts, match = strict_score(parsed.calls, gt, tool_map, bonus=0.0, penalty=0.0)
    total = fmt + parts["match"]
    reason = parsed.reason or (match.message if match is not None else "")
    return RewardResult(total, {"format": fmt, "strict": parts["match"], "match": parts["match"], "total": total}, reason)
