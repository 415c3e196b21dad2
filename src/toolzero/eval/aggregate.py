"""BFCL's aggregate scores, computed the way BFCL's runner computes them (METHOD.md section 6).

Mirrors ``bfcl_eval/eval_checker/eval_runner_helper.py::generate_leaderboard_csv`` (v4):

* simple = unweighted mean of simple_python, simple_java, simple_javascript;
* non-live = unweighted mean of simple, multiple, parallel, parallel_multiple;
* live = mean of live_simple, live_multiple, live_parallel, live_parallel_multiple weighted by
  item count;
* irrelevance = unweighted mean of irrelevance and live_irrelevance; relevance = live_relevance;
* multi-turn = unweighted mean of base, miss_func, miss_param, long_context;
* agentic = unweighted mean of web search (base, no_snippet) and memory (kv, vector, rec_sum);
* v4 overall = 10/10/10/30/40 weighted non-live, live, irrelevance, multi-turn, agentic.

The v3 overall (what the paper and ToolRL report) is the unweighted mean of non-live, live and
multi-turn.  As in BFCL, a category that was not evaluated counts as 0 and is flagged N/A; every
aggregate lists the categories it is missing, so a partial run is never mistaken for a full one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

SIMPLE = ("simple_python", "simple_java", "simple_javascript")
NON_LIVE = ("simple", "multiple", "parallel", "parallel_multiple")
LIVE = ("live_simple", "live_multiple", "live_parallel", "live_parallel_multiple")
MULTI_TURN = ("multi_turn_base", "multi_turn_miss_func", "multi_turn_miss_param", "multi_turn_long_context")
WEB_SEARCH = ("web_search_base", "web_search_no_snippet")
MEMORY = ("memory_kv", "memory_vector", "memory_rec_sum")
V4_WEIGHTS = (10, 10, 10, 30, 40)  # non-live, live, irrelevance, multi-turn, agentic


@dataclass(frozen=True)
class Score:
    """An accuracy in [0, 1] over ``count`` items; ``missing`` names categories that were not run."""

    accuracy: float
    count: int
    missing: tuple[str, ...] = field(default=())

    @property
    def complete(self) -> bool:
        return not self.missing


def _get(scores: Mapping[str, Score], category: str, sizes: Mapping[str, int]) -> Score:
    """A category's score; a category that was not run counts as 0 over its dataset size (BFCL)."""
    return scores.get(category) or Score(0.0, sizes.get(category, 0), (category,))


def unweighted(parts: list[Score]) -> Score:
    return Score(sum(p.accuracy for p in parts) / len(parts), sum(p.count for p in parts),
                 tuple(m for p in parts for m in p.missing))


def weighted(parts: list[Score]) -> Score:
    total = sum(p.count for p in parts)
    acc = sum(p.accuracy * p.count for p in parts) / total if total else 0.0
    return Score(acc, total, tuple(m for p in parts for m in p.missing))


def percentage_weighted(parts: list[Score], weights: tuple[float, ...]) -> Score:
    wsum = sum(weights)
    return Score(sum(p.accuracy * w / wsum for p, w in zip(parts, weights)), sum(p.count for p in parts),
                 tuple(m for p in parts for m in p.missing))


def bfcl_aggregates(scores: Mapping[str, Score], sizes: Mapping[str, int] | None = None) -> dict[str, Score]:
    """All of BFCL's summary numbers from per-category scores.

    Args:
        scores: per-category accuracy and item count.
        sizes: dataset size of each category, used as the weight of categories that were not
            run (BFCL weighs a missing live category by its size at accuracy 0).
    """
    sizes = sizes or {}
    s = {c: _get(scores, c, sizes) for c in (*SIMPLE, *NON_LIVE[1:], *LIVE, *MULTI_TURN, *WEB_SEARCH, *MEMORY,
                                      "irrelevance", "live_irrelevance", "live_relevance")}
    out: dict[str, Score] = {}
    out["simple"] = unweighted([s[c] for c in SIMPLE])
    out["non_live"] = unweighted([out["simple"], s["multiple"], s["parallel"], s["parallel_multiple"]])
    out["live"] = weighted([s[c] for c in LIVE])
    out["irrelevance"] = unweighted([s["irrelevance"], s["live_irrelevance"]])
    out["relevance"] = s["live_relevance"]
    out["multi_turn"] = unweighted([s[c] for c in MULTI_TURN])
    out["web_search"] = unweighted([s[c] for c in WEB_SEARCH])
    out["memory"] = unweighted([s[c] for c in MEMORY])
    out["agentic"] = unweighted([out["web_search"], out["memory"]])
    out["overall_v4"] = percentage_weighted(
        [out["non_live"], out["live"], out["irrelevance"], out["multi_turn"], out["agentic"]], V4_WEIGHTS)
    out["overall_v3"] = unweighted([out["non_live"], out["live"], out["multi_turn"]])
    return out
