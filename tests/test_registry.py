"""The two tables: a new output format and a new reward kind are one entry each, and then work
everywhere: prompt -> generate (tiny model) -> decode -> reward (also inside GRPO training) -> eval."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from toolzero.calls.formats import OUTPUT_FORMATS, OutputFormat, get_format, register_format
from toolzero.calls.parse import ParsedCompletion
from toolzero.rewards import REWARDS, RewardConfig, RewardResult, RewardSpec, get_reward, register_reward
from toolzero.schema import ToolCall, coerce_inputs

from conftest import make_task

SMOKE = Path(__file__).resolve().parents[1] / "recipes" / "cpu-smoke.yaml"
_TOY = re.compile(r"\A\s*<think>(.*?)</think>\s*<calls>(.*?)</calls>\s*\Z", re.DOTALL)


def parse_toy(text: str) -> ParsedCompletion:
    """One call per line, ``name | {json args}``, inside <calls>...</calls>."""
    m = _TOY.match(text) if isinstance(text, str) else None
    if m is None:
        return ParsedCompletion(None, None, None, False, "no <think>..</think><calls>..</calls>")
    calls = []
    for line in m.group(2).strip().splitlines():
        name, _, args = line.partition("|")
        try:
            calls.append(ToolCall(name.strip(), json.loads(args)))
        except ValueError as e:
            return ParsedCompletion(m.group(1), m.group(2), None, False, f"bad call line: {e}")
    return ParsedCompletion(m.group(1), m.group(2), tuple(calls), True, "")


def render_toy(calls) -> str:
    return "\n" + "".join(f"{c.name} | {json.dumps(c.args)}\n" for c in calls)


def count_reward(completion, ground_truth, tools, step=0, total_steps=None, config=None) -> RewardResult:
    """1 when the toy format is right and has as many calls as the ground truth."""
    gt, _ = coerce_inputs(ground_truth, tools)
    parsed = parse_toy(completion)
    ok = parsed.calls is not None and len(parsed.calls) == len(gt)
    return RewardResult(float(ok), {"count_ok": float(ok), "total": float(ok)})


@pytest.fixture
def toy():
    """Register the toy format and reward through the two tables alone; remove them afterwards."""
    fmt = register_format(OutputFormat(name="toy", instructions="Reply as <think>..</think><calls>name | {json}</calls>.",
                                       parse=parse_toy, render_body=render_toy, open_tag="<calls>", close_tag="</calls>",
                                       stop_strings=("</calls>",)))
    spec = register_reward(RewardSpec("toycount", count_reward, "toy", (0.0, 1.0)))
    yield fmt, spec
    OUTPUT_FORMATS.pop("toy")
    REWARDS.pop("toycount")


def test_tables_reject_duplicates_and_unknown_formats(toy):
    fmt, spec = toy
    with pytest.raises(ValueError, match="already"):
        register_format(fmt)
    with pytest.raises(ValueError, match="already"):
        register_reward(spec)
    with pytest.raises(ValueError, match="known"):
        register_reward(RewardSpec("orphan", count_reward, "no-such-format", (0.0, 1.0)))
    assert get_format("toy") is fmt and RewardConfig(kind="toycount").kind == "toycount"


def test_a_toy_format_and_reward_run_through_prompt_generate_decode_reward_eval(toy, tmp_path):
    from toolzero.calls.decode import decode
    from toolzero.data.bfcl import load_bfcl
    from toolzero.eval.bfcl_run import run_bfcl
    from toolzero.eval.generate import HFGenerator, ReplayGenerator
    from toolzero.models import resolve_model
    from toolzero.prompt import PromptStyle
    from toolzero.train.adapter import TASK_COLUMN, TRLReward

    fmt, _ = toy
    style = PromptStyle(mode="plain", prefill="<think>", output_format="toy")
    task = make_task([{"get_weather": {"city": ["Paris"]}}])
    prompt = style.render(task)
    assert fmt.instructions in prompt and prompt.endswith("Assistant:<think>")
    # generate with a tiny model: the completion is cut at the format's stop string (if it ever writes one)
    gen = HFGenerator(resolve_model("tiny-random"), max_new_tokens=8, stop_strings=style.stop_strings)
    [raw] = gen.generate([prompt])
    assert isinstance(raw, str) and gen.stats.items == 1
    # decode and reward a well-formed toy answer
    answer = fmt.render([ToolCall("get_weather", {"city": "Paris"})], "weather")
    d = decode(answer, task, style.format)
    assert d.parsed.format_ok and d.typed == (ToolCall("get_weather", {"city": "Paris"}),)
    assert get_reward("toycount")(answer, task.ground_truth, task.tools).score == 1.0
    reward = TRLReward(RewardConfig(kind="toycount"), total_steps=None, style=style)
    assert reward(prompts=[prompt], completions=[answer.removeprefix("<think>"), "junk"],
                  **{TASK_COLUMN: [json.dumps(task.to_json())] * 2}) == [1.0, 0.0]
    # eval: BFCL simple_python, perfect toy answers score 100% (ours and bfcl-eval's), in the toy prompt
    tasks = load_bfcl("simple_python")[:5]
    from toolzero.calls.render import reference_calls

    table = {style.render(t): fmt.render(reference_calls(t.ground_truth, keep_optional=True), "x")[len("<think>"):]
             for t in tasks}
    official = pytest.importorskip("bfcl_eval") is not None
    scores = run_bfcl(ReplayGenerator(table.__getitem__), ["simple_python"], tmp_path / "eval", limit=5,
                      official=official, style=style)
    assert scores["categories"]["simple_python"]["accuracy"] == 1.0
    assert scores["categories"]["simple_python"]["official_accuracy"] == 1.0


def test_grpo_trains_with_a_registered_reward_kind_in_its_format(toy, tmp_path):
    pytest.importorskip("trl")
    from toolzero.cli import main

    run = tmp_path / "toy"
    assert main(["train", "grpo", "--recipe", str(SMOKE), f"run.output_dir={run}",
                 "reward.kind=toycount", "reward.gg_midpoint_unit=steps", "data.num_records=8", "trainer.max_steps=1",
                 "data.decontaminate=false", "trainer.save_steps=1"]) == 0
    style = json.loads((run / "prompt_style.json").read_text())
    assert style["output_format"] == "toy" and json.loads((run / "final" / "prompt_style.json").read_text()) == style
    rows = [json.loads(x) for x in (run / "metrics.jsonl").read_text().splitlines()]
    assert any("reward/count_ok" in r for r in rows)
