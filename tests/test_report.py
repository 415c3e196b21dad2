"""toolzero report on small recorded run folders: plots, eval tables, hacking flag, warnings, broken folders."""

import json
from pathlib import Path

import yaml

from toolzero.cli import main
from toolzero.report import build_report, differing_settings, hacking_check, level_figures, load_run, signal_check

FIXTURES = Path(__file__).parent / "fixtures" / "runs"


def write_run(root: Path, name: str, kind: str, fmt: list[float], probe: list[float], length: float = 40.0,
              scores: dict | None = None) -> Path:
    run = root / name
    run.mkdir(parents=True)
    (run / "recipe.yaml").write_text(yaml.safe_dump({"reward": {"kind": kind}, "trainer": {"max_steps": len(fmt)},
                                                     "run": {"output_dir": str(run)}}))
    rows = [{"step": 0, "probe/strict_accuracy": probe[0]}]
    for i, f in enumerate(fmt, 1):
        rows.append({"step": i, "reward": f, "reward/total": f, "reward/format": f, "reward/general": -0.2,
                     "reward/strict": f / 2, "reward/sigma": i / len(fmt), "completions/mean_length": length,
                     "step_time": 30.0})
    rows.append({"step": len(fmt), "probe/strict_accuracy": probe[-1]})
    rows.append({"step": len(fmt), "train_runtime": 30.0 * len(fmt)})
    (run / "metrics.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    if scores is not None:
        (run / "eval").mkdir()
        (run / "eval" / "scores.json").write_text(json.dumps(scores))
    return run


def scores(acc: float) -> dict:
    return {"categories": {"simple_python": {"n": 10, "accuracy": acc}, "irrelevance": {"n": 10, "accuracy": 1 - acc}},
            "aggregates": {"ours": {"non_live": {"accuracy": acc / 4, "count": 10, "missing": ["multiple"]}}}}


def test_report_over_training_and_eval_runs(tmp_path):
    good = write_run(tmp_path, "gg", "gg", [0.0, 0.2, 0.5, 0.8, 0.9], [0.0, 0.4], scores=scores(0.6))
    hack = write_run(tmp_path, "strict", "strict", [0.0, 0.3, 0.6, 0.9, 1.0], [0.1, 0.1], scores=scores(0.2))
    report = build_report([good, hack], tmp_path / "out")
    text = report.read_text()
    assert "| reward.kind | `\"gg\"` | `\"strict\"` |" in text  # differing settings are listed
    assert "- gg: ok" in text and "- strict: POSSIBLE REWARD HACKING: format rate 0.00 -> 1.00" in text
    assert "r_general -0.20 -> -0.20: the calls' content does not improve" in text
    assert "| simple_python | 60.00 (n=10) | 20.00 (n=10) |" in text
    assert "| **non_live** | 15.00* | 5.00* |" in text
    for png in ("rewards.png", "length_format.png", "probe.png", "eval.png"):
        assert (tmp_path / "out" / png).read_bytes()[:4] == b"\x89PNG", png
        assert f"]({png})" in text
    assert "| gg | grpo (gg) | ? | 5 | 30.0 | 2.5 min |" in text


def test_length_growth_without_probe_cannot_be_checked(tmp_path):
    run = write_run(tmp_path, "r", "gg", [0.5] * 5, [0.0, 0.0])
    rows = [json.loads(x) for x in (run / "metrics.jsonl").read_text().splitlines()]
    rows = [dict(r, **{"completions/mean_length": 10.0 * r["step"]}) for r in rows if "probe/strict_accuracy" not in r]
    (run / "metrics.jsonl").write_text("\n".join(json.dumps(r) for r in rows))
    assert hacking_check(load_run(run)).startswith("cannot check: completion length")


def test_broken_and_missing_folders_are_reported_not_fatal(tmp_path, capsys):
    half = write_run(tmp_path, "half", "gg", [0.1, 0.2, 0.3], [0.0, 0.0])
    (half / "recipe.yaml").unlink()
    with (half / "metrics.jsonl").open("a") as f:
        f.write('{"step": 4, "rew')  # killed mid-write
    assert main(["report", str(half), str(tmp_path / "missing"), "--out", str(tmp_path / "out")]) == 0
    text = (tmp_path / "out" / "report.md").read_text()
    assert "recipe.yaml is missing" in text and "metrics.jsonl:" in text and "missing does not exist" in text
    assert "eval/scores.json is missing" in text
    assert "## Training" in text  # what could be read is still reported


def test_identical_settings_give_no_warning(tmp_path):
    a = write_run(tmp_path, "a", "gg", [0.1, 0.2], [0, 0])
    b = write_run(tmp_path, "b", "gg", [0.1, 0.3], [0, 0])
    assert differing_settings([load_run(a), load_run(b)]) == {}


def test_recorded_smoke_run():
    """A real run folder recorded from `toolzero train grpo --recipe recipes/cpu-smoke.yaml run.probe_every=2`."""
    run = load_run(FIXTURES / "smoke")
    assert run.recipe["reward"]["kind"] == "gg" and run.series("reward/sigma")[0] == [1, 2, 3, 4]
    assert run.series("probe/strict_accuracy")[0] == [0, 2, 4]
    assert hacking_check(run) == ""
    assert signal_check(run).startswith("NO LEARNING SIGNAL: in all 4 steps") and "gradient norm was 0" in signal_check(run)


def test_learning_signal_check(tmp_path):
    """Runs whose groups mostly got equal rewards are flagged; SFT/eval folders are not checked."""
    def with_frac(name: str, fracs: list[float]) -> Path:
        run = write_run(tmp_path, name, "strict", [0.1] * len(fracs), [0.0, 0.0])
        rows = [json.loads(x) for x in (run / "metrics.jsonl").read_text().splitlines()]
        for r in rows:
            if "reward" in r:
                r.update({"frac_reward_zero_std": fracs[r["step"] - 1], "grad_norm": 1.0})
        (run / "metrics.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n")
        return run

    weak = with_frac("weak", [1.0, 1.0, 1.0, 0.5])
    live = with_frac("live", [1.0, 0.0, 0.5, 0.5])
    dead = with_frac("dead", [1.0] * 4)
    assert signal_check(load_run(weak)) == ("WEAK SIGNAL: in 3 of 4 steps every group's rollouts got the same "
                                            "reward; 88% of rollout groups had zero reward spread (mean over 4 steps)")
    assert signal_check(load_run(live)) == "ok: 50% of rollout groups had zero reward spread (mean over 4 steps)"
    assert signal_check(load_run(dead)).startswith("NO LEARNING SIGNAL") and "gradient" not in signal_check(load_run(dead))
    assert signal_check(load_run(write_run(tmp_path, "plain", "gg", [0.1, 0.2], [0, 0]))) == ""
    text = build_report([weak, live, dead], tmp_path / "out").read_text()
    assert "### Learning-signal check" in text and "- live: ok: 50%" in text and "- weak: WEAK SIGNAL" in text


def test_cross_benchmarks_are_reported(tmp_path):
    """A run's cross/ folder (or a bare eval-cross folder) gives a tool/param F1 table and a chart."""
    cross = {"benchmarks": {"api_bank_l1": {"n": 30, "accuracy": 0.1, "F1_tool": 0.5, "F1_param": 0.25},
                            "nexus": {"n": 30, "accuracy": 0.0, "F1_tool": 0.0, "F1_param": 0.0}}}
    run = write_run(tmp_path, "gg", "gg", [0.0, 0.5], [0.0, 0.1], scores=scores(0.5))
    (run / "cross").mkdir()
    (run / "cross" / "scores.json").write_text(json.dumps(cross))
    bare = tmp_path / "cross-start"
    bare.mkdir()
    (bare / "scores.json").write_text(json.dumps({"benchmarks": {"nexus": {"n": 30, "accuracy": 0.2, "F1_tool": 0.9,
                                                                           "F1_param": 0.6}}}))
    text = build_report([run, bare], tmp_path / "out").read_text()
    assert "| api_bank_l1 | 50.0 / 25.0 (n=30) | - |" in text
    assert "| nexus | 0.0 / 0.0 (n=30) | 90.0 / 60.0 (n=30) |" in text
    assert (tmp_path / "out" / "cross.png").read_bytes()[:4] == b"\x89PNG"
    assert "| simple_python | 50.00 (n=10) |" in text  # the BFCL eval of the same run is still read
    assert "cross-start: " not in text  # a bare cross folder is a valid run folder


def test_sft_runs_are_summarised_by_their_loss(tmp_path):
    run = tmp_path / "sft"
    run.mkdir()
    (run / "recipe.yaml").write_text(yaml.safe_dump({"model": {"name": "smollm2"}, "reward": {"kind": "gg"}}))
    rows = [{"step": i, "loss": 1.0 / i} for i in range(1, 5)] + [{"step": 4, "train_runtime": 40.0}]
    (run / "metrics.jsonl").write_text("\n".join(json.dumps(r) for r in rows))
    text = build_report([run], tmp_path / "out").read_text()
    assert "| sft | sft | smollm2 | 4 | 10.0 | 0.7 min | loss 0.250 | - |" in text


def test_paired_comparison_on_shared_items(tmp_path):
    """Runs with per-item results get a paired table: gains, losses and McNemar's exact p."""
    def with_results(name: str, right: list[int]) -> Path:
        run = write_run(tmp_path, name, "gg", [0.1, 0.2], [0, 0], scores=scores(len(right) / 10))
        rows = [{"id": f"simple_python_{i}", "category": "simple_python", "valid": i in right} for i in range(10)]
        rows.append({"id": "irrelevance_0", "category": "irrelevance", "valid": name == "a"})
        (run / "eval" / "results.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n{\"id\": ")
        return run

    a = with_results("a", [0, 1, 2])
    b = with_results("b", [0, 1, 2, 3, 4, 5, 6])
    text = build_report([a, b], tmp_path / "out").read_text()
    assert "### Paired comparison" in text
    assert "| a | b | calls expected | 10 | 3 | 7 | 4 | 0 | +40.0 | 0.125 |" in text  # 2 * (1/2)^4
    assert "| a | b | no call expected | 1 | 1 | 0 | 0 | 1 | -100.0 | 1 |" in text


def test_mcnemar_matches_a_binomial_test():
    from hypothesis import given
    from hypothesis import strategies as st

    from toolzero.eval.compare import mcnemar_p
    stats = __import__("pytest").importorskip("scipy.stats")

    @given(st.integers(0, 60), st.integers(0, 60))
    def agree(b, c):
        expected = 1.0 if b + c == 0 else stats.binomtest(b, b + c, 0.5).pvalue
        assert abs(mcnemar_p(b, c) - expected) < 1e-9 and mcnemar_p(b, c) == mcnemar_p(c, b)

    agree()


def test_weight_change_against_the_start_model(tmp_path):
    """The training table says how far the weights moved from run.init_from (or that they did not)."""
    import torch
    from safetensors.torch import save_file

    from toolzero.report import weight_change

    start = tmp_path / "start"
    start.mkdir()
    w = {"a": torch.ones(4, 4), "b": torch.full((2,), 2.0)}
    save_file(w, str(start / "model.safetensors"))
    rows = {}
    for name, delta in (("same", 0.0), ("moved", 0.5)):
        run = write_run(tmp_path, name, "strict", [0.0, 0.0], [0, 0])
        recipe = yaml.safe_load((run / "recipe.yaml").read_text())
        recipe["run"]["init_from"] = str(start)
        (run / "recipe.yaml").write_text(yaml.safe_dump(recipe))
        (run / "final").mkdir()
        save_file({"a": w["a"] + delta, "b": w["b"]}, str(run / "final" / "model.safetensors"))
        rows[name] = run
    change = weight_change(start, rows["moved"] / "final")
    assert change["changed_tensors"] == 1 and change["tensors"] == 2 and change["max_abs"] == 0.5
    assert abs(change["relative_l2"] - (16 * 0.25 / (16 + 8)) ** 0.5) < 1e-12
    text = build_report([rows["same"], rows["moved"]], tmp_path / "out").read_text()
    assert "| identical to start |" in text and "| 4.08e-01 (1/2 tensors) |" in text


def test_sft_runs_are_not_hacking_checked(tmp_path):
    run = tmp_path / "sft"
    run.mkdir()
    (run / "metrics.jsonl").write_text("\n".join(json.dumps({"step": i, "loss": 1.0 / i}) for i in range(1, 4)))
    assert hacking_check(load_run(run)) == "not applicable: no rewards were logged (SFT)"
    assert signal_check(load_run(run)) == ""


def test_summary_json_holds_the_figures_of_each_run(tmp_path):
    """summary.json: training steps, rollouts and wall-clock; per-category n and accuracy (ours and
    official); the five-category AST mean only when all five were scored; the paired McNemar rows."""
    cats = ("simple_python", "multiple", "parallel", "parallel_multiple", "live_simple", "irrelevance")

    def arm(name: str, right: set[int], acc: float) -> Path:
        run = write_run(tmp_path, name, "gg", [0.1, 0.2, 0.4], [0, 0.25],
                        scores={"categories": {c: {"n": 4, "accuracy": acc, "official_accuracy": acc} for c in cats}})
        recipe = yaml.safe_load((run / "recipe.yaml").read_text())
        recipe["trainer"].update(per_device_train_batch_size=32, num_generations=16)
        (run / "recipe.yaml").write_text(yaml.safe_dump(recipe))
        rows = [{"id": f"{c}_{i}", "category": c, "valid": i in right, "official_valid": i in right}
                for c in cats for i in range(4)]
        (run / "eval" / "results.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
        return run

    a, b = arm("a", set(), 0.0), arm("b", {0, 1, 2, 3}, 1.0)
    partial = write_run(tmp_path, "partial", "strict", [0.1], [0, 0],
                        scores={"categories": {"simple_python": {"n": 4, "accuracy": 0.5}}})
    build_report([a, b, partial], tmp_path / "out", tmp_path / "s" / "summary.json")
    s = json.loads((tmp_path / "s" / "summary.json").read_text())
    assert s["runs"]["a"]["training"] == {
        "method": "grpo (gg)", "start_model": None, "steps": 3, "wall_clock_s": 90.0, "step_time_s_sum": 90.0,
        "rollouts": 96, "last_reward": 0.4, "last_format_rate": 0.4,
        "probe": [{"step": 0, "strict": 0, "format": None}, {"step": 3, "strict": 0.25, "format": None}]}
    assert s["runs"]["b"]["bfcl"]["parallel"] == {"n": 4, "accuracy": 1.0, "official_accuracy": 1.0}
    assert s["runs"]["b"]["ast_mean"] == {"n": 20, "missing": [], "accuracy": 1.0, "official_accuracy": 1.0}
    assert s["runs"]["partial"]["ast_mean"]["missing"] == ["multiple", "parallel", "parallel_multiple", "live_simple"]
    assert "accuracy" not in s["runs"]["partial"]["ast_mean"]
    calls = next(r for r in s["paired"] if r["group"] == "calls expected")
    assert (calls["a"], calls["b"], calls["n"], calls["only_b_right"], calls["only_a_right"]) == ("a", "b", 20, 20, 0)
    assert calls["p_mcnemar"] == 2 * 0.5 ** 20 and calls["b_minus_a_points"] == 100.0
    assert [r["n"] for r in s["paired_official"]] == [20, 4]


def _rollout(step: int, task: str, total: float, fmt: float = 1.0, match: float = 0.0,
             answer: str = "[f(a=1)]") -> dict:
    return {"step": step, "task": task, "completion": f"<think>x</think><answer>{answer}</answer>", "total": total,
            "format": fmt, "match": match}


def test_level_figures_count_answers_of_several_calls():
    """Answers of two calls or more, read in the run's format, and how many of them matched exactly."""
    rows = [_rollout(1, "syn0_L5_1", 1.0, match=1.0, answer="[f(a=1), f(a=2)]"),
            _rollout(1, "syn0_L5_1", 0.5, answer="[f(a=1), g(b=2), h()]"),
            _rollout(1, "syn0_L5_1", 0.2, answer="[f(a=1)]"),
            _rollout(1, "syn0_L5_1", 0.0, fmt=0.0, answer="f(a=1), f(a=2)")]  # no list: not read as calls
    (l5,) = level_figures(rows)
    assert l5["level"] == 5 and l5["multi_call"] == 2 and l5["multi_call_exact"] == 1 and l5["exact"] == 1
    assert l5["args_stated"] is None  # a multi-call task: no one-call figures


def test_level_figures_come_in_the_order_the_run_met_the_levels():
    """A curriculum [1, 6, 5]: the table reads 1, 6, 5 (by first step), not 1, 5, 6."""
    rows = [_rollout(1, "syn0_L1_1", 0.0), _rollout(2, "syn0_L6_1", 0.0), _rollout(3, "syn0_L5_1", 0.0)]
    assert [f["level"] for f in level_figures(rows)] == [1, 6, 5]


def test_level_figures_count_the_arguments_stated_and_written():
    """One-call answers to one-call tasks (the tasks generated again from their ids): arguments stated vs written."""
    from toolzero.data.synthetic import generate
    from toolzero.schema import OPTIONAL

    tasks = generate(3, 0, level=6)
    rows = [_rollout(1, t.id, 0.0, answer=f"[{t.ground_truth[0].name}(x=1)]") for t in tasks]
    rows.append(_rollout(1, tasks[0].id, 0.0, answer="[]"))  # no call: not counted
    (l6,) = level_figures(rows)
    stated = [sum(OPTIONAL not in acc for acc in t.ground_truth[0].args.values()) for t in tasks]
    assert l6["args_stated"] == round(sum(stated) / 3, 3) and l6["args_written"] == 1.0 and min(stated) >= 2


def test_per_level_figures_from_rollouts(tmp_path):
    import gzip

    rows = [_rollout(1, "syn0_L1_3", t, match=float(t > 1.5)) for t in (1.0, 2.0, 2.0, 1.0)]  # spread, 2 exact
    rows += [_rollout(2, "syn0_L1_4", 1.0) for _ in range(4)]  # one reward for all: no gradient
    rows += [_rollout(3, "syn0_L3_9", 0.0, fmt=0.0), _rollout(3, "syn0_L3_9", 0.5)]
    rows += [_rollout(3, "bfcl_simple_1", 9.0)]  # not a levelled synthetic task: left out
    run = write_run(tmp_path, "gg", "gg", [0.1, 0.2, 0.3], [0.0, 0.0])
    with gzip.open(run / "rollouts.jsonl.gz", "wt") as f:
        f.write("\n".join(json.dumps(r) for r in rows) + "\n{half")
    loaded = load_run(run)
    assert any("rollouts.jsonl.gz:12" in p for p in loaded.problems)  # the broken line is named, the rest kept
    l1, l3 = level_figures(loaded.rollouts)
    assert l1 == {"level": 1, "steps": [1, 2], "groups": 2, "rollouts": 8, "format_rate": 1.0, "exact": 2,
                  "multi_call": 0, "multi_call_exact": 0, "mean_reward": 1.25, "groups_without_spread": 1,
                  "args_stated": l1["args_stated"], "args_written": 1.0}
    assert l3["level"] == 3 and l3["rollouts"] == 2 and l3["format_rate"] == 0.5 and l3["groups_without_spread"] == 0
    text = build_report([run], tmp_path / "out").read_text()
    row = f"| gg | 1 | 1-2 | 2 | 8 | 100% | 2 (25.0%) | 0 (0) | {l1['args_stated']:.2f} / 1.00 | +1.250 | 1 (50%) |"
    assert "### Per curriculum level" in text and row in text
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert summary["runs"]["gg"]["training"]["levels"][0] == l1
    assert "peak_rss_mb" not in summary["runs"]["gg"]["training"]  # not logged by this run: not invented


def test_summary_reports_the_runs_peak_rss(tmp_path):
    run = write_run(tmp_path, "gg", "gg", [0.1, 0.2], [0.0, 0.0])
    with (run / "metrics.jsonl").open("a") as f:
        f.write(json.dumps({"step": 1, "reward": 0.1, "peak_rss_mb": 5900}) + "\n")
        f.write(json.dumps({"step": 2, "reward": 0.2, "peak_rss_mb": 6100}) + "\n")
    build_report([run], tmp_path / "out")
    assert json.loads((tmp_path / "out" / "summary.json").read_text())["runs"]["gg"]["training"]["peak_rss_mb"] == 6100


def test_signal_check_counts_groups_from_the_rollouts_when_kept(tmp_path):
    """TRL's logged frac_reward_zero_std said 0 (its float32 std test missed equal non-round rewards); the
    rollouts show that every group got one reward, and the check says so."""
    run = write_run(tmp_path, "gg", "gg", [0.5, 0.5], [0.0, 0.0])
    with (run / "metrics.jsonl").open("a") as f:
        for step in (1, 2):
            f.write(json.dumps({"step": step, "reward": 0.97, "frac_reward_zero_std": 0.0}) + "\n")
    assert signal_check(load_run(run)).startswith("ok")
    rows = [_rollout(step, task, 0.9675) for step in (1, 2) for task in ("syn0_L3_1", "syn0_L3_2") for _ in range(4)]
    (run / "rollouts.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    assert signal_check(load_run(run)).startswith("NO LEARNING SIGNAL")
