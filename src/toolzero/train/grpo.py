"""GG-GRPO training on TRL (METHOD.md section 4).

    toolzero train grpo --recipe recipes/cpu-smoke.yaml                 # seconds, tiny random model
    toolzero train grpo --recipe recipes/cpu-default.yaml               # ~1 h on 2 CPU cores
    toolzero train grpo --recipe recipes/cpu-default.yaml reward.kind=strict run.output_dir=runs/strict
    toolzero train grpo --recipe recipes/cpu-default.yaml --resume      # continue after a crash or kill -9

The run folder holds recipe.yaml (resolved), train_data.jsonl, metrics.jsonl/.csv, TensorBoard
events, checkpoint-N/ every save_steps, final/ (a plain HF model folder that ``toolzero eval``
loads), and eval/ when run.eval_categories is set.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Any

import yaml

from toolzero.prompt import PromptStyle
from toolzero.train.recipe import Recipe, RecipeError

log = logging.getLogger(__name__)


def last_checkpoint(run_dir: Path) -> Path | None:
    """The newest complete checkpoint-N folder, if any.

    Complete = its trainer_state.json (the Trainer writes it after the weights and optimizer)
    reads as JSON: a run killed while writing a checkpoint leaves that file empty or cut short,
    and resuming then continues from the checkpoint before.
    """
    def complete(p: Path) -> bool:
        try:
            json.loads((p / "trainer_state.json").read_text())
            return p.name.split("-")[1].isdigit()
        except (OSError, ValueError):
            return False

    return max((p for p in run_dir.glob("checkpoint-*") if complete(p)), key=lambda p: int(p.name.split("-")[1]),
               default=None)


def build_tasks(recipe: Recipe, run_dir: Path, args: Any = None):
    """Load, filter, mix, augment, de-duplicate and decontaminate the training tasks (``toolzero data build``).

    The tasks go to train_data.jsonl and the decontamination hits to decontamination.json.  With
    ``data.curriculum`` and GRPO's ``args``, the tasks come in the curriculum's order
    (:func:`schedule_curriculum`); without ``args`` (SFT) they hold the levels in their shares.
    """
    import dataclasses

    from toolzero.data.build import build_dataset

    data = recipe.data
    curriculum = data.schedule()
    tasks, stats = build_dataset(data.sources, data.num_records, data.seed, data.mix, data.augment,
                                 decontaminate=data.decontaminate, curriculum=curriculum)
    if data.decontaminate:
        hits = stats.decontamination_hits
        (run_dir / "decontamination.json").write_text(json.dumps(
            {"removed": len(hits), "hits": [dataclasses.asdict(h) for h in hits]}, indent=2))
        log.info("decontamination against BFCL and the cross-benchmarks: %d records removed", len(hits))
    if not tasks:
        raise RecipeError(f"no training records left from data.sources={data.sources}")
    if curriculum is not None and args is not None:
        tasks = schedule_curriculum(curriculum, tasks, args, run_dir, data.seed)
    with (run_dir / "train_data.jsonl").open("w") as f:
        for t in tasks:
            f.write(json.dumps(t.to_json(), ensure_ascii=False) + "\n")
    loaded = {name: (r.kept, dict(r.skipped)) for name, r in stats.per_source.items()}
    log.info("training on %d records (per source: kept, skipped = %s)", len(tasks), loaded)
    return tasks


def prompts_per_step(args: Any) -> int:
    """Distinct prompts one optimizer step reads: completions per step / G, spread over num_iterations."""
    world = max(1, getattr(args, "world_size", 1) or 1)
    completions = args.per_device_train_batch_size * args.gradient_accumulation_steps * world
    return max(1, round(completions / args.num_generations / max(1, args.num_iterations)))


def schedule_curriculum(curriculum: Any, tasks: list, args: Any, run_dir: Path, seed: int) -> list:
    """The tasks in the order the trainer reads them, and ``curriculum.json`` (levels, shares, which
    steps see which level, records per level)."""
    from collections import Counter

    from toolzero.data.synthetic import task_level

    by_level: dict[int, list] = {}
    for t in tasks:
        by_level.setdefault(task_level(t), []).append(t)
    per_step = prompts_per_step(args)
    steps = args.max_steps if args.max_steps > 0 else max(1, len(tasks) // per_step)
    ordered = curriculum.arrange(by_level, steps * per_step, seed)
    if curriculum.order == "ordered" and args.shuffle_dataset:
        log.warning("data.curriculum_order=ordered but trainer.shuffle_dataset is true: the levels will be mixed")
    record = {**curriculum.to_json(), "prompts_per_step": per_step, "steps": steps,
              "plan": curriculum.plan(steps, per_step),
              "records": {str(k): v for k, v in sorted(Counter(task_level(t) for t in ordered).items())}}
    (run_dir / "curriculum.json").write_text(json.dumps(record, indent=2) + "\n")
    log.info("curriculum: %s", json.dumps(record["plan"]))
    return ordered


def make_dataset(tasks: list, tokenizer: Any, style: PromptStyle):
    """Prompt strings in the run's style (asking for the reward's output format, prefill included)
    plus the task JSON column the reward reads."""
    from datasets import Dataset

    from toolzero.train.adapter import TASK_COLUMN

    rows = [{"prompt": style.render(t, tokenizer), TASK_COLUMN: json.dumps(t.to_json())} for t in tasks]
    return Dataset.from_list(rows)


# The probe set is synthetic tasks from a seed far from the training seed (checked disjoint by query).
PROBE_SEED_OFFSET = 1_000_003


def probe_tasks(recipe: Recipe, run_dir: Path) -> list:
    """Held-out synthetic tasks whose queries do not occur in the training data."""
    from toolzero.data.synthetic import generate

    train_queries = {json.loads(line)["messages"][-1]["content"]
                     for line in (run_dir / "train_data.jsonl").read_text().splitlines() if line.strip()}
    pool = generate(recipe.run.probe_size * 3, seed=recipe.data.seed + PROBE_SEED_OFFSET, level=recipe.run.probe_level)
    return [t for t in pool if t.messages[-1]["content"] not in train_queries][: recipe.run.probe_size]


def probe_callback(recipe: Recipe, tokenizer: Any, run_dir: Path, sink: Any, style: PromptStyle):
    if recipe.run.probe_every <= 0:
        return None
    from toolzero.train.callbacks import ProbeEval

    tasks = probe_tasks(recipe, run_dir)
    with (run_dir / "probe_data.jsonl").open("w") as f:
        for t in tasks:
            f.write(json.dumps(t.to_json(), ensure_ascii=False) + "\n")
    return ProbeEval(tasks, tokenizer, recipe.run.probe_every, recipe.run.probe_max_new_tokens, style, sink)


def peft_config(recipe: Recipe):
    if not recipe.model.lora:
        return None
    from peft import LoraConfig

    m = recipe.model
    return LoraConfig(r=m.lora_r, lora_alpha=m.lora_alpha, lora_dropout=m.lora_dropout,
                      target_modules=m.lora_target_modules, task_type="CAUSAL_LM")


def grpo_config(recipe: Recipe, run_dir: Path):
    """TRL's GRPOConfig from the trainer section, with our defaults (METHOD.md 4: no KL, clip 0.2)."""
    from trl import GRPOConfig

    kwargs: dict[str, Any] = {"beta": 0.0, "epsilon": 0.2, "logging_steps": 1, "save_strategy": "steps",
                              "report_to": default_report_to(), "use_cpu": not _has_gpu(), "disable_tqdm": False,
                              **default_precision()}
    if recipe.run.shared_prefix:  # the shared-prefix pass keeps its activations (no gain from checkpointing it)
        kwargs["gradient_checkpointing"] = False
    if recipe.data.curriculum and recipe.data.curriculum_order == "ordered":
        kwargs["shuffle_dataset"] = False  # the trainer reads the prompts in the curriculum's order
    kwargs.update(recipe.trainer)
    kwargs["output_dir"] = str(run_dir)
    try:
        return GRPOConfig(**kwargs)
    except (TypeError, ValueError) as e:
        raise RecipeError(f"trainer section: {e}") from None


def default_precision() -> dict[str, bool]:
    """bf16 autocast (float32 master weights and optimizer state) on CPUs that have bf16 units.

    A recipe's ``trainer.bf16`` / ``sft_trainer.bf16`` overrides it.  On a GPU, TRL's own default.
    """
    from toolzero.models import cpu_has_bf16

    if _has_gpu():
        return {}
    return {"bf16": cpu_has_bf16()}


def default_report_to() -> list[str]:
    """TensorBoard when it is installed (our JSONL/CSV log is always written)."""
    import importlib.util

    return ["tensorboard"] if importlib.util.find_spec("tensorboard") else []


def _has_gpu() -> bool:
    import torch

    return torch.cuda.is_available()


def prepare_run(recipe: Recipe, resume: bool) -> Path:
    """The run folder, with the resolved recipe and the prompt style (``prompt_style.json``) in it."""
    run_dir = Path(recipe.run.output_dir)
    if run_dir.exists() and any(run_dir.iterdir()) and not resume:
        if (run_dir / "final").exists() or last_checkpoint(run_dir):
            raise RecipeError(f"{run_dir} already holds a run; pass --resume or choose run.output_dir=...")
    run_dir.mkdir(parents=True, exist_ok=True)
    (run_dir / "recipe.yaml").write_text(yaml.safe_dump(recipe.to_dict(), sort_keys=False))
    PromptStyle.from_recipe(recipe).save(run_dir)
    return run_dir


def main(recipe: Recipe, resume: bool = False) -> int:
    """Train with GRPO; returns a process exit code."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from toolzero.models import resolve_model
    from toolzero.train.adapter import TRLReward
    from toolzero.train.callbacks import MetricsLogger, NanGuard, SignalWatch, StepLine, quiet_progress
    from toolzero.train.trainer import ToolZeroGRPOTrainer

    # 1) run folder and config (fail before any heavy work)
    resume = resume or recipe.run.resume
    run_dir = prepare_run(recipe, resume)
    args = grpo_config(recipe, run_dir)
    if recipe.reward.gg_midpoint_unit == "fraction" and args.max_steps <= 0:
        raise RecipeError("reward.gg_midpoint_unit=fraction needs trainer.max_steps > 0")
    # 2) model and tokenizer
    model_path = resolve_model(recipe.run.init_from or recipe.model.name)
    tokenizer = AutoTokenizer.from_pretrained(model_path)
    tokenizer.padding_side = "left"
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    model = AutoModelForCausalLM.from_pretrained(model_path, dtype=getattr(torch, recipe.model.dtype))
    # 3) data: tasks -> prompts, in the run's prompt style (the reward's output format)
    style = PromptStyle.from_recipe(recipe)
    tasks = build_tasks(recipe, run_dir, args)
    dataset = make_dataset(tasks, tokenizer, style)
    if recipe.run.signal_tasks > 0 and not resume:  # will it move? (before the trainer seeds its RNG)
        signal_check(recipe, model, tokenizer, tasks[: recipe.run.signal_tasks], style, args, run_dir)
    # 4) reward: our pure reward behind TRL's protocol; sigma(t) reads trainer_state.global_step
    reward = TRLReward(recipe.reward, total_steps=args.max_steps if args.max_steps > 0 else None, style=style,
                       rollouts_path=run_dir / "rollouts.jsonl")
    # 5) trainer
    nan_guard, metrics = NanGuard(), MetricsLogger(run_dir)
    probe = probe_callback(recipe, tokenizer, run_dir, metrics, style)
    trainer = ToolZeroGRPOTrainer(model=model, reward_funcs=[reward], args=args, train_dataset=dataset,
                                  processing_class=tokenizer, peft_config=peft_config(recipe),
                                  callbacks=[metrics, nan_guard, SignalWatch(), StepLine(), *([probe] if probe else [])],
                                  stop_strings=style.stop_strings if recipe.run.stop_at_answer else (),
                                  thought_cap=style.generation["thought_cap"],
                                  shared_prefix=recipe.run.shared_prefix,
                                  shared_prefix_train=recipe.run.shared_prefix)
    quiet_progress(trainer)
    # 6) train, resuming from the last complete checkpoint when asked
    ckpt = last_checkpoint(run_dir) if resume else None
    if resume and ckpt is None:
        log.warning("--resume: no checkpoint in %s yet, starting from scratch", run_dir)
    trainer.train(resume_from_checkpoint=str(ckpt) if ckpt else None)
    if nan_guard.tripped:
        print(f"error: training stopped: {nan_guard.tripped}; last good checkpoint: {last_checkpoint(run_dir)}",
              file=sys.stderr)
        return 3
    # 7) save a plain model folder that `toolzero eval` loads directly, with the prompt style
    final = save_final(trainer, tokenizer, run_dir, style)
    # 8) evaluate
    if recipe.run.eval_categories:
        evaluate(final, recipe, run_dir)
    return 0


def signal_check(recipe: Recipe, model: Any, tokenizer: Any, tasks: list, style: PromptStyle, args: Any,
                 run_dir: Path) -> None:
    """Sample the run's G rollouts for a few training tasks and warn when no group has reward spread
    (``toolzero signal``, cheap); the figures go to signal.json."""
    from toolzero.eval.generate import HFGenerator
    from toolzero.eval.signal import measure_signal

    # As the trainer samples: from a bf16 copy of the weights in bf16 runs on a CPU, a whole generation batch at once.
    gen = HFGenerator(model, max_new_tokens=args.max_completion_length,
                      batch_size=max(args.num_generations, args.per_device_train_batch_size), tokenizer=tokenizer,
                      bf16=bool(args.bf16) and model.device.type == "cpu", **style.generation)
    was_training = model.training
    gen.model.eval()
    try:
        report = measure_signal(gen, tasks, style, args.num_generations, args.temperature, recipe.reward,
                                total_steps=args.max_steps if args.max_steps > 0 else None)
    finally:
        model.train(was_training)
        del gen  # the bf16 copy, if one was made
    report.save(run_dir / "signal.json")
    verdict = report.verdict()
    (log.warning if verdict.startswith("NO SIGNAL") else log.info)("signal check on %d training tasks: %s",
                                                                   len(tasks), verdict)


def save_final(trainer: Any, tokenizer: Any, run_dir: Path, style: PromptStyle) -> Path:
    """final/: the merged model, its tokenizer and the prompt style it was trained with."""
    final = run_dir / "final"
    model = trainer.model
    if hasattr(model, "merge_and_unload"):  # LoRA: merge so eval needs no peft
        model = model.merge_and_unload()
    model.save_pretrained(final)
    tokenizer.save_pretrained(final)
    style.save(final)
    return final


def evaluate(model_dir: Path, recipe: Recipe, run_dir: Path) -> dict:
    from importlib.util import find_spec

    from toolzero.eval.bfcl_run import run_bfcl
    from toolzero.eval.generate import HFGenerator

    style = PromptStyle.from_recipe(recipe)
    gen = HFGenerator(model_dir, max_new_tokens=int(recipe.trainer.get("max_completion_length", 256)),
                      **style.generation)
    official = find_spec("bfcl_eval") is not None  # bfcl-eval's verdicts beside ours when it is installed
    return run_bfcl(gen, recipe.run.eval_categories, run_dir / "eval", limit=recipe.run.eval_limit, style=style,
                    official=official)
