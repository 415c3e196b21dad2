"""BFCL multi-turn runner: ground-truth replay scores 100% under bfcl-eval's own checker; failures are contained."""

from __future__ import annotations

import ast
import json
import time
from functools import cache
from pathlib import Path

import pytest

from toolzero.eval.generate import ReplayGenerator
from toolzero.eval.multi_turn import (
    MAX_STEPS_PER_TURN,
    MULTI_TURN_CATEGORIES,
    MultiTurnEntry,
    load_multi_turn,
    run_multi_turn,
)
from toolzero.eval.multi_turn_replay import first_prompt, ground_truth_generator, keyword_call
from toolzero.prompt import PromptStyle

from conftest import SUMMARY

pytest.importorskip("bfcl_eval")  # the runner imports it lazily; without it there is nothing to test

BASE = "multi_turn_base"


@cache
def entries(category: str) -> tuple[MultiTurnEntry, ...]:
    return tuple(load_multi_turn(category))


def records(out: Path) -> list[dict]:
    """The lines of results.jsonl, without broken ones."""
    recs = []
    for line in (out / "results.jsonl").read_text().splitlines():
        try:
            recs.append(json.loads(line))
        except json.JSONDecodeError:
            pass
    return recs


def test_step_limit_is_bfcls():
    from bfcl_eval.constants.default_prompts import MAXIMUM_STEP_LIMIT

    assert MAX_STEPS_PER_TURN == MAXIMUM_STEP_LIMIT


def test_load_base():
    es = entries(BASE)
    assert len(es) == 200
    e = es[0]
    assert e.id == "multi_turn_base_0" and len(e.turns) == len(e.ground_truth) == 4
    assert {t.name for t in e.tools} >= {"cd", "mv", "post_tweet"} and not e.skipped_tools
    assert load_multi_turn("multi_turn_miss_func", limit=1)[0].holdout.keys() == {3}


def test_keyword_call_names_positional_arguments():
    assert keyword_call("sort('final_report.pdf')", ["GorillaFileSystem"]) == "sort(file_name='final_report.pdf')"
    assert keyword_call("cd(folder='x')", ["GorillaFileSystem"]) == "cd(folder='x')"


def test_replay_scores_100_in_every_category(tmp_path):
    """All 800 entries: BFCL's ground truth, replayed through our prompt and loop, passes BFCL's checker."""
    out = tmp_path / "run"
    for cat in MULTI_TURN_CATEGORIES:
        t0 = time.perf_counter()
        scores = run_multi_turn(ground_truth_generator(entries(cat)), [cat], out, style=PromptStyle(mode="plain"))
        cs = scores["categories"][cat]
        SUMMARY.append(f"multi-turn replay {cat}: {cs['n']} entries, accuracy {cs['accuracy']:.3f}, "
                       f"{time.perf_counter() - t0:.1f} s")
        assert cs["n"] == 200 and cs["accuracy"] == 1.0, cs["error_types"]
    # Everything is done: a run over all four categories generates nothing and reports the aggregate.
    scores = run_multi_turn(ReplayGenerator(lambda p: pytest.fail("nothing left to generate")),
                            list(MULTI_TURN_CATEGORIES), out)
    assert scores["aggregates"]["ours"]["multi_turn"] == {"accuracy": 1.0, "count": 800, "missing": []}
    assert "multi_turn_long_context | 200 | 100.00" in (out / "scores.md").read_text()
    from bfcl_eval.eval_checker.multi_turn_eval import multi_turn_utils

    assert not [k for k in vars(multi_turn_utils) if k.startswith("toolzero_")], "backend instances leaked"


def test_holdout_docs_in_user_message(tmp_path):
    """BFCL's prompting style for miss_func (docs pasted in the user turn) also replays at 100%."""
    es = entries("multi_turn_miss_func")[:10]
    seen: list[str] = []
    gen = ground_truth_generator(es)
    replay = gen.fn
    gen.fn = lambda p: seen.append(p) or replay(p)
    scores = run_multi_turn(gen, ["multi_turn_miss_func"], tmp_path, limit=10, holdout_in_tool_list=False)
    assert scores["categories"]["multi_turn_miss_func"]["accuracy"] == 1.0
    assert any("I have updated some more functions" in p and "'name': 'sort'" in p for p in seen)


def test_garbage_scores_zero(tmp_path):
    scores = run_multi_turn(ReplayGenerator(lambda p: "I am not sure."), [BASE], tmp_path, limit=10)
    assert scores["categories"][BASE]["n"] == 10 and scores["categories"][BASE]["accuracy"] == 0.0
    recs = records(tmp_path)
    assert {r["error_type"] for r in recs} == {"multi_turn:empty_turn_model_response"}
    turns = {e.id: len(e.turns) for e in entries(BASE)}
    assert all(len(r["turns"]) == turns[r["id"]] and {len(t) for t in r["turns"]} == {1} for r in recs)  # one step a turn


def test_raising_backend_fails_only_its_entries(tmp_path):
    es = entries(BASE)[:6]
    bad = {es[1].turns[1][0]["content"], es[3].turns[1][0]["content"]}
    replay = ground_truth_generator(es).fn

    def answer(prompt: str) -> str:
        if any(text in prompt for text in bad):
            raise RuntimeError("backend exploded")
        return replay(prompt)

    scores = run_multi_turn(ReplayGenerator(answer), [BASE], tmp_path, limit=6)
    by_id = {r["id"]: r for r in records(tmp_path)}
    assert len(by_id) == 6 and scores["categories"][BASE]["accuracy"] == pytest.approx(4 / 6)
    for e in (es[1], es[3]):
        rec = by_id[e.id]
        assert not rec["valid"] and rec["error_type"] == "toolzero:crash" and "backend exploded" in rec["error"]
        assert len(rec["turns"]) == 2 and rec["turns"][1] == []  # turn 0 done, crashed asking turn 1
    assert all(by_id[e.id]["valid"] for e in (es[0], es[2], es[4], es[5]))


def test_resume_does_not_redo_finished_entries(tmp_path):
    es = entries(BASE)[:8]
    run_multi_turn(ground_truth_generator(es), [BASE], tmp_path, limit=5)
    with (tmp_path / "results.jsonl").open("a") as f:
        f.write('{"id": "multi_turn_base_5", "categ')  # an interrupted write
    asked: list[str] = []
    replay = ground_truth_generator(es).fn
    scores = run_multi_turn(ReplayGenerator(lambda p: asked.append(p) or replay(p)), [BASE], tmp_path, limit=8)
    assert sorted(r["id"] for r in records(tmp_path)) == sorted(e.id for e in es)
    starts = [first_prompt(e) for e in es]
    assert not set(starts[:5]) & set(asked) and set(starts[5:]) <= set(asked)
    assert scores["categories"][BASE] == {"n": 8, "accuracy": 1.0, "official_accuracy": 1.0, "error_types": {}}


def test_force_quit_after_bfcl_step_limit(tmp_path):
    gen = ReplayGenerator(lambda p: "<think>again</think><answer>[ls(a=True)]</answer>")
    run_multi_turn(gen, [BASE], tmp_path, limit=1)
    rec = records(tmp_path)[0]
    assert rec["force_quit"] and not rec["valid"] and rec["error_type"] == "multi_turn:force_terminated"
    assert len(rec["turns"]) == 1 and len(rec["turns"][0]) == MAX_STEPS_PER_TURN + 1
    assert rec["turns"][0][0]["decoded"] == ["ls(a=True)"] and "document" in rec["turns"][0][0]["results"][0]


def test_unknown_category_is_a_clear_error(tmp_path):
    with pytest.raises(ValueError, match="known: multi_turn_base, multi_turn_miss_func"):
        run_multi_turn(ReplayGenerator(lambda p: ""), [BASE, "multi_turn_composite"], tmp_path / "run")
    assert not (tmp_path / "run").exists()
    with pytest.raises(ValueError, match="unknown BFCL multi-turn category 'simple_python'"):
        load_multi_turn("simple_python")


def test_checker_catches_a_missing_call(tmp_path):
    """Replay with the last ground-truth call of each entry's last turn left out: BFCL's checker fails every entry."""
    es = entries(BASE)[:5]
    replay = ground_truth_generator(es).fn

    def answer(prompt: str) -> str:
        text = replay(prompt)
        last = {e.id: len(e.turns) - 1 for e in es}
        for entry_id, turn in last.items():
            if f"replaying {entry_id} turn {turn} calls" in text:
                head, calls = text.split("<answer>")
                kept = ast.parse(calls.removesuffix("</answer>"), mode="eval").body.elts[:-1]
                return f"{head}<answer>[{', '.join(ast.unparse(c) for c in kept)}]</answer>"
        return text

    scores = run_multi_turn(ReplayGenerator(answer), [BASE], tmp_path, limit=5)
    assert scores["categories"][BASE]["accuracy"] == 0.0
    assert set(scores["categories"][BASE]["error_types"]) <= {"multi_turn:instance_state_mismatch",
                                                               "multi_turn:execution_response_mismatch",
                                                               "multi_turn:empty_turn_model_response"}


@pytest.mark.parametrize("fmt,prefill", [("gg", "<think>"), ("toolrl", ""), ("n1", "<think>")])
def test_output_format_and_prefill(tmp_path, fmt, prefill):
    """--format and --prefill reach multi-turn: prompts ask for the format and end with the prefill,
    completions are read in that format (prefill included), and ground truth replays at 100%."""
    from toolzero.eval.multi_turn import RunOptions

    es = entries(BASE)[:5]
    seen: list[str] = []
    style = PromptStyle(output_format=fmt, prefill=prefill)
    gen = ground_truth_generator(es, RunOptions(style=style))
    replay = gen.fn
    gen.fn = lambda p: seen.append(p) or replay(p)
    scores = run_multi_turn(gen, [BASE], tmp_path, limit=5, style=style)
    assert scores["categories"][BASE]["accuracy"] == 1.0
    assert all(p.endswith(prefill) for p in seen)
    assert all(("<tool_call>" in p) == (fmt != "gg") for p in seen)
    rec = json.loads((tmp_path / "results.jsonl").read_text().splitlines()[0])
    assert rec["turns"][0][0]["completion"].startswith("<think>")
    assert rec["turns"][0][0]["decoded"]
