"""toolzero signal: the reward spread of G rollouts per task says whether GRPO gets a gradient."""

from __future__ import annotations

import json

import pytest

from toolzero.eval.signal import SignalReport, score_group
from toolzero.prompt import PromptStyle
from toolzero.rewards import RewardConfig

from conftest import make_task

TASK = make_task([{"get_weather": {"city": ["Paris"]}}])
GOOD = "<think>x</think><answer>[get_weather(city='Paris')]</answer>"
CLOSE = "<think>x</think><answer>[get_weather(city='Rome')]</answer>"
NONE = "I would look it up."


def report(*groups: list[str], kind: str = "gg") -> SignalReport:
    r = SignalReport(kind, len(groups[0]))
    r.groups = [score_group(TASK, g, PromptStyle(), RewardConfig(kind=kind)) for g in groups]
    return r


def test_a_group_of_identical_failures_has_no_spread_and_the_verdict_says_so():
    r = report([NONE] * 4, [NONE] * 4)
    s = r.summary()
    assert s["format_rate"] == 0 and s["strict_pass@1"] == 0 and s["mean_r_general"] == -0.5
    assert s["groups_with_spread"] == {"gg": 0.0, "strict": 0.0}
    assert r.verdict().startswith("NO SIGNAL") and "reward.kind=gg" in r.verdict()


def test_r_general_carries_the_signal_when_no_rollout_is_right():
    """Close calls beside no answer: GG rewards differ (r_general, format), strict-only rewards do too
    (format), but no rollout is strictly right."""
    r = report([CLOSE, NONE, CLOSE, NONE], [NONE] * 4)
    s = r.summary()
    assert s["strict_pass@4"] == 0 and s["groups_with_spread"]["gg"] == 0.5
    assert s["component_spread"]["general"] == 0.5 and s["component_spread"]["strict"] == 0.0
    assert not r.verdict().startswith("NO SIGNAL") and "50% of 2 groups" in r.verdict()


def test_pass_at_g_counts_a_group_with_one_right_rollout():
    r = report([GOOD, CLOSE, CLOSE, CLOSE], [CLOSE] * 4, kind="strict")
    s = r.summary()
    assert s["strict_pass@1"] == 1 / 8 and s["strict_pass@4"] == 0.5
    assert s["groups_with_spread"]["strict"] == 0.5 and s["component_spread"]["strict"] == 0.5
    assert "| 2 | 4 |" in r.markdown()


def test_signal_command_samples_a_tiny_model_and_writes_json(tmp_path):
    pytest.importorskip("transformers")
    from toolzero.cli import main

    out = tmp_path / "signal.json"
    assert main(["signal", "--model", "tiny-random", "--tasks", "2", "--rollouts", "3", "--max-new-tokens", "6",
                 "--prompt", "plain", "--prefill", "<think>", "--out", str(out)]) == 0
    data = json.loads(out.read_text())
    assert data["summary"]["tasks"] == 2 and data["summary"]["rollouts_per_task"] == 3
    assert all(len(g["format_ok"]) == 3 for g in data["groups"]) and data["verdict"]
    assert data["setup"]["style"]["prefill"] == "<think>" and data["setup"]["level"] is None


def test_signal_command_samples_a_synthetic_level_with_worked_examples(tmp_path):
    pytest.importorskip("transformers")
    from toolzero.cli import main

    out = tmp_path / "signal.json"
    assert main(["signal", "--model", "tiny-random", "--tasks", "2", "--rollouts", "2", "--max-new-tokens", "4",
                 "--prompt", "plain", "--examples", "one", "--level", "1", "--out", str(out)]) == 0
    data = json.loads(out.read_text())
    assert data["setup"]["level"] == 1 and data["setup"]["style"]["examples"] == "one"
    assert main(["signal", "--model", "tiny-random", "--data", "toolrl", "--level", "1"]) == 2
