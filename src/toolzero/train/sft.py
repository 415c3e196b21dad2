"""The SFT baseline and the SFT -> GG-GRPO chain (METHOD.md section 4, the paper's comparison).

    toolzero train sft --recipe recipes/cpu-default.yaml run.output_dir=runs/sft
    toolzero train sft-grpo --recipe recipes/cpu-default.yaml run.output_dir=runs/sft-grpo

SFT trains on the same tasks as GRPO; the target is a templated think followed by the
reference answer.  sft-grpo runs SFT into <run>/sft, then GG-GRPO from <run>/sft/final into
<run>/grpo.  Budgets come from the ``sft_trainer`` (trl.SFTConfig) and ``trainer``
(trl.GRPOConfig) sections of the same recipe.
"""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path
from typing import Any

from toolzero.calls.formats import OutputFormat, get_format
from toolzero.calls.render import reference_calls
from toolzero.prompt import PromptStyle
from toolzero.schema import Task
from toolzero.train.recipe import Recipe, RecipeError

log = logging.getLogger(__name__)


def sft_target(task: Task, output_format: str | OutputFormat = "gg") -> str:
    """The SFT completion: a short templated thought, then the reference answer (METHOD.md 2)."""
    if not task.ground_truth:
        thought = "None of the available functions can do what the user asks, so I call nothing."
    else:
        names = ", ".join(dict.fromkeys(c.name for c in task.ground_truth))
        thought = f"The request needs {names}; I take the argument values from the user's message."
    return get_format(output_format).render(reference_calls(task.ground_truth), f" {thought} ")


def sft_config(recipe: Recipe, run_dir: Path):
    from trl import SFTConfig

    from toolzero.train.grpo import _has_gpu, default_precision, default_report_to

    kwargs: dict[str, Any] = {"logging_steps": 1, "save_strategy": "steps", "report_to": default_report_to(),
                              "use_cpu": not _has_gpu(), "completion_only_loss": True, **default_precision()}
    kwargs.update(recipe.sft_trainer)
    kwargs["output_dir"] = str(run_dir)
    try:
        return SFTConfig(**kwargs)
    except (TypeError, ValueError) as e:
        raise RecipeError(f"sft_trainer section: {e}") from None


def main(recipe: Recipe, resume: bool = False) -> int:
    """Supervised fine-tuning on prompt -> templated think + reference answer."""
    import torch
    from datasets import Dataset
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from trl import SFTTrainer

    from toolzero.models import resolve_model
    from toolzero.train.callbacks import MetricsLogger, NanGuard
    from toolzero.train.grpo import build_tasks, evaluate, last_checkpoint, peft_config, prepare_run, save_final

    resume = resume or recipe.run.resume
    run_dir = prepare_run(recipe, resume)
    args = sft_config(recipe, run_dir)
    model_path = resolve_model(recipe.run.init_from or recipe.model.name)
    tokenizer = AutoTokenizer.from_pretrained(model_path)
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    model = AutoModelForCausalLM.from_pretrained(model_path, dtype=getattr(torch, recipe.model.dtype))
    style = PromptStyle.from_recipe(recipe)
    eos = tokenizer.eos_token or ""
    prefill = style.prefill
    rows = []
    for t in build_tasks(recipe, run_dir):
        target = sft_target(t, style.format)
        if prefill and not target.startswith(prefill):
            raise RecipeError(f"model.prefill={prefill!r} is not how the SFT target starts ({target[:20]!r}...)")
        rows.append({"prompt": style.render(t, tokenizer), "completion": target[len(prefill):] + eos})
    nan_guard = NanGuard()
    trainer = SFTTrainer(model=model, args=args, train_dataset=Dataset.from_list(rows), processing_class=tokenizer,
                         peft_config=peft_config(recipe), callbacks=[MetricsLogger(run_dir), nan_guard])
    ckpt = last_checkpoint(run_dir) if resume else None
    trainer.train(resume_from_checkpoint=str(ckpt) if ckpt else None)
    if nan_guard.tripped:
        log.error("training stopped: %s", nan_guard.tripped)
        return 3
    final = save_final(trainer, tokenizer, run_dir, style)
    if recipe.run.eval_categories:
        evaluate(final, recipe, run_dir)
    return 0


def main_sft_grpo(recipe: Recipe, resume: bool = False) -> int:
    """SFT into <run>/sft, then GG-GRPO from its final model into <run>/grpo."""
    from toolzero.train import grpo

    root = Path(recipe.run.output_dir)
    sft_run = dataclasses.replace(recipe.run, output_dir=str(root / "sft"), eval_categories=[])
    sft_recipe = dataclasses.replace(recipe, run=sft_run)
    if not (resume and (root / "sft" / "final" / "config.json").is_file()):
        code = main(sft_recipe, resume)
        if code:
            return code
    grpo_run = dataclasses.replace(recipe.run, output_dir=str(root / "grpo"), init_from=str(root / "sft" / "final"))
    return grpo.main(dataclasses.replace(recipe, run=grpo_run), resume)
