"""Peer rewards for the ablations: ToolRL and Tool-N1 (METHOD.md section 4)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from itertools import permutations
from typing import Any

from toolzero.calls.match import check_value, match_calls
from toolzero.calls.peer_formats import parse_n1, parse_toolrl
from toolzero.rewards.config import RewardConfig
from toolzero.rewards.result import RewardResult
from toolzero.schema import OPTIONAL, ExpectedCall, GroundTruth, Tool, ToolCall, coerce_inputs

TOOLRL_MIN, TOOLRL_MAX = -3.0, 3.0  # ToolRL's correctness range
TOOLRL_RANGE = (TOOLRL_MIN, 1.0 + TOOLRL_MAX)
N1_RANGE = (0.0, 1.0)
# Above this many calls, the best pairing is found greedily instead of by brute force.
_MAX_EXACT_PAIRING = 6


def _overlap(a: Sequence[str], b: Sequence[str]) -> float:
    """ToolRL's frequency-aware Jaccard |A ∩ B| / |A ∪ B| on multisets (1.0 when both empty)."""
    ca, cb = Counter(a), Counter(b)
    union = sum((ca | cb).values())
    return 1.0 if union == 0 else sum((ca & cb).values()) / union


def _reference_keys(exp: ExpectedCall, pred: ToolCall) -> list[str]:
    """Keys the reference "has": those that may not be omitted, plus optional ones the prediction gave.

    Our adaptation of ToolRL (which has one reference value per key) to possible answers.
    """
    return [k for k, acc in exp.args.items() if OPTIONAL not in acc or k in pred.args]


def _pair_score(exp: ExpectedCall, pred: ToolCall, tool: Tool | None) -> float:
    """Key overlap plus one point per argument whose value is accepted."""
    if pred.name != exp.name:
        return 0.0
    keys = _reference_keys(exp, pred)
    score = _overlap(keys, list(pred.args))
    props = tool.parameters.properties if tool is not None else {}
    for k in keys:
        if k in pred.args and k in props and check_value(k, pred.args[k], props[k], exp.args[k]).valid:
            score += 1.0
    return score


def _best_pairing(gt: GroundTruth, pred: tuple[ToolCall, ...], tools: Mapping[str, Tool]) -> float:
    table = [[_pair_score(e, p, tools.get(e.name)) for p in pred] for e in gt]
    if not pred or not gt:
        return 0.0
    if len(gt) <= _MAX_EXACT_PAIRING and len(pred) <= _MAX_EXACT_PAIRING:
        if len(gt) <= len(pred):  # give each reference call a distinct prediction
            return max(sum(table[r][c] for r, c in enumerate(cols)) for cols in permutations(range(len(pred)), len(gt)))
        return max(sum(table[r][c] for c, r in enumerate(rows)) for rows in permutations(range(len(gt)), len(pred)))
    used: set[int] = set()
    total = 0.0
    for row in table:
        j = max((j for j in range(len(pred)) if j not in used), key=lambda j: row[j], default=None)
        if j is not None:
            used.add(j)
            total += row[j]
    return total


def toolrl_reward(
    completion: str,
    ground_truth: Any,
    tools: Any,
    step: float = 0,
    total_steps: int | None = None,
    config: RewardConfig | None = None,
) -> RewardResult:
    """ToolRL: format {0, 1} + correctness in [-3, 3] (arXiv 2504.13958, section 3.3).

    correctness = 6 * (r_name + sum r_param + sum r_value) / S_max - 3, with r_name the
    multiset Jaccard of call names, r_param the key Jaccard and r_value the count of
    accepted values of the best pairing of predicted and reference calls, and
    S_max = 1 + |reference calls| + |reference keys|.
    """
    gt, tool_map = coerce_inputs(ground_truth, tools)
    parsed = parse_toolrl(completion)
    fmt = 1.0 if parsed.format_ok else 0.0
    pred = parsed.calls if parsed.calls is not None else ()
    if not gt and not pred and parsed.calls is not None:
        correct = TOOLRL_MAX  # nothing to call, nothing called
    else:
        r_name = _overlap([c.name for c in gt], [c.name for c in pred])
        max_keys = sum(len([k for k, a in e.args.items() if OPTIONAL not in a]) for e in gt)
        s_max = 1.0 + len(gt) + max_keys
        raw = r_name + _best_pairing(gt, pred, tool_map)
        correct = (TOOLRL_MAX - TOOLRL_MIN) * min(raw / s_max, 1.0) + TOOLRL_MIN
    total = fmt + correct
    return RewardResult(total, {"format": fmt, "correctness": correct, "total": total}, parsed.reason)


def n1_reward(
    completion: str,
    ground_truth: Any,
    tools: Any,
    step: float = 0,
    total_steps: int | None = None,
    config: RewardConfig | None = None,
) -> RewardResult:
    """Tool-N1: 1 iff the format is right and the calls match the reference, else 0."""
    gt, tool_map = coerce_inputs(ground_truth, tools)
    parsed = parse_n1(completion)
    fmt = 1.0 if parsed.format_ok else 0.0
    match = 0.0
    reason = parsed.reason
    if parsed.calls is not None:
        res = match_calls(parsed.calls, gt, tool_map)
        match = 1.0 if res.valid else 0.0
        reason = reason or res.message
    total = fmt * match
    return RewardResult(total, {"format": fmt, "strict": match, "total": total}, reason)
