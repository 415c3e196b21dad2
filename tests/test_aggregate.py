"""BFCL aggregates: ours equal BFCL's own leaderboard code on fixed per-category numbers."""

import csv
import random

import pytest

from toolzero.eval.aggregate import LIVE, MEMORY, MULTI_TURN, SIMPLE, WEB_SEARCH, Score, bfcl_aggregates

pytest.importorskip("bfcl_eval")

ALL = (*SIMPLE, "multiple", "parallel", "parallel_multiple", *LIVE, "irrelevance", "live_irrelevance",
       "live_relevance", *MULTI_TURN, *WEB_SEARCH, *MEMORY)
MODEL = "gorilla-openfunctions-v2"


def bfcl_tables(per_category: dict[str, tuple[float, int]], tmp_path):
    """Run BFCL's generate_leaderboard_csv and read back its CSV files."""
    from bfcl_eval.eval_checker.eval_runner_helper import generate_leaderboard_csv

    table = {MODEL: {c: {"accuracy": a, "total_count": n} for c, (a, n) in per_category.items()}}
    generate_leaderboard_csv(table, tmp_path)
    out = {}
    for name in ("overall", "non_live", "live", "multi_turn", "agentic"):
        with (tmp_path / f"data_{name}.csv").open() as f:
            out[name] = next(csv.DictReader(f))
    return out


def pct(text: str) -> float:
    return float(text.rstrip("%")) / 100


@pytest.mark.parametrize("seed", [0, 1])
def test_aggregates_equal_bfcl_runner(tmp_path, seed):
    rng = random.Random(seed)
    per = {c: (round(rng.random(), 4), rng.randint(10, 1000)) for c in ALL}
    ours = bfcl_aggregates({c: Score(a, n) for c, (a, n) in per.items()})
    theirs = bfcl_tables(per, tmp_path)
    o = theirs["overall"]
    checks = {
        "overall_v4": o["Overall Acc"], "non_live": o["Non-Live AST Acc"], "simple": o["Non-Live Simple AST"],
        "live": o["Live Acc"], "multi_turn": o["Multi Turn Acc"], "irrelevance": o["Irrelevance Detection"],
        "relevance": o["Relevance Detection"], "web_search": o["Web Search Acc"], "memory": o["Memory Acc"],
        "agentic": theirs["agentic"]["Agentic Overall Acc"],
    }
    for key, text in checks.items():
        assert ours[key].accuracy == pytest.approx(pct(text), abs=1e-4), key  # the CSV rounds to 0.01%
    assert ours["overall_v3"].accuracy == pytest.approx(
        (ours["non_live"].accuracy + ours["live"].accuracy + ours["multi_turn"].accuracy) / 3)


def test_missing_categories_count_as_zero_and_are_listed():
    part = bfcl_aggregates({"simple_python": Score(1.0, 400), "live_simple": Score(0.5, 258)},
                           sizes={"live_multiple": 1053, "live_parallel": 16, "live_parallel_multiple": 24})
    assert part["simple"].accuracy == pytest.approx(1 / 3)
    assert part["live"].accuracy == pytest.approx(0.5 * 258 / (258 + 1053 + 16 + 24))
    assert "simple_java" in part["non_live"].missing and not part["non_live"].complete


def test_weighted_live_matches_bfcl_when_categories_are_missing(tmp_path):
    """BFCL weighs a live category that was not run by its dataset size."""
    from toolzero.data.bfcl import load_bfcl

    sizes = {c: len(load_bfcl(c)) for c in LIVE}
    per = {c: (0.3, sizes.get(c, 100)) for c in ALL if c != "live_multiple"}
    ours = bfcl_aggregates({c: Score(a, n) for c, (a, n) in per.items() if c in LIVE}, sizes=sizes)
    theirs = bfcl_tables(per, tmp_path)
    assert ours["live"].accuracy == pytest.approx(pct(theirs["overall"]["Live Acc"]), abs=1e-4)
