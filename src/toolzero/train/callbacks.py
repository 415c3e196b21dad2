"""Trainer callbacks: a metrics log that needs no service (JSONL + CSV), a NaN guard, a no-signal warning."""

from __future__ import annotations

import csv
import json
import logging
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from transformers import TrainerCallback

from toolzero.eval.runner import ItemResult
from toolzero.prompt import PromptStyle

log = logging.getLogger(__name__)


@dataclass
class ProbeResult(ItemResult):
    """A probe item: the eval record plus whether the completion's format was right."""

    format_ok: bool = False


def peak_rss_mb() -> float:
    """This process's peak resident memory so far, in MiB (Linux reports KiB; macOS bytes)."""
    import resource
    import sys

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (2**20 if sys.platform == "darwin" else 1024)


class MetricsLogger(TrainerCallback):
    """Append every log event (loss, reward components, lengths, step time) to metrics.jsonl/.csv,
    with the process's peak RSS so far (``peak_rss_mb``)."""

    def __init__(self, run_dir: str | Path):
        self.jsonl = Path(run_dir) / "metrics.jsonl"
        self.csv = Path(run_dir) / "metrics.csv"
        self.columns: list[str] | None = None

    def on_log(self, args: Any, state: Any, control: Any, logs: dict | None = None, **kwargs: Any) -> None:
        if not logs or not state.is_world_process_zero:
            return
        row = {"step": state.global_step, **{k: v for k, v in logs.items() if isinstance(v, (int, float))}}
        self.write_row({**row, "peak_rss_mb": round(peak_rss_mb())})

    def write_row(self, row: dict[str, Any]) -> None:
        """Append one row (a dict with a "step") to both files."""
        with self.jsonl.open("a") as f:
            f.write(json.dumps(row) + "\n")
        if self.columns is None:
            self.columns = list(row)
        new = [k for k in row if k not in self.columns]
        if new:  # a column appeared (e.g. the final train summary): rewrite the header
            self.columns += new
            rows = [json.loads(line) for line in self.jsonl.read_text().splitlines()]
            with self.csv.open("w", newline="") as f:
                w = csv.DictWriter(f, fieldnames=self.columns)
                w.writeheader()
                w.writerows(rows)
            return
        exists = self.csv.is_file()
        with self.csv.open("a", newline="") as f:
            w = csv.DictWriter(f, fieldnames=self.columns)
            if not exists:
                w.writeheader()
            w.writerow(row)


def _write(text: str) -> None:
    """A line above the progress bar (tqdm's write), not glued to its end."""
    from tqdm.auto import tqdm

    tqdm.write(text)


class StepLine(TrainerCallback):
    """One readable line per optimizer step: reward, format rate, exact (strict) matches, r_general, the share of
    groups with reward spread, completion length and step time, in place of transformers' dict of every
    logged value (:func:`quiet_progress`; the full record is in metrics.jsonl)."""

    FIELDS = (("reward", "reward", "{:+.3f}"), ("format", "reward/format_ok", "{:.0%}"),
              ("exact", "reward/match", "{:.0%}"), ("r_general", "reward/general", "{:+.2f}"),
              ("spread", "spread", "{:.0%}"), ("len", "completions/mean_length", "{:.0f}"), ("s", "step_time", "{:.0f}"))

    def __init__(self, print_fn: Any = _write) -> None:
        self.print = print_fn

    def on_log(self, args: Any, state: Any, control: Any, logs: dict | None = None, **kwargs: Any) -> None:
        logs = logs or {}
        if "reward" not in logs or not state.is_world_process_zero:
            return
        if isinstance(logs.get("frac_reward_zero_std"), (int, float)):  # the share of groups with reward spread
            logs = {**logs, "spread": 1 - logs["frac_reward_zero_std"]}
        parts = [f"step {state.global_step}/{state.max_steps}"]
        parts += [f"{name} {fmt.format(logs[key])}" for name, key, fmt in self.FIELDS if isinstance(logs.get(key), (int, float))]
        self.print("  ".join(parts))


def quiet_progress(trainer: Any) -> None:
    """Keep transformers' progress bar but drop its print of every logged value at every step (40-odd
    keys; :class:`StepLine` prints the readable ones, metrics.jsonl keeps them all)."""
    from transformers.trainer_callback import ProgressCallback

    class _Bar(ProgressCallback):
        def on_log(self, args: Any, state: Any, control: Any, logs: dict | None = None, **kwargs: Any) -> None:
            pass

    if any(isinstance(cb, ProgressCallback) for cb in trainer.callback_handler.callbacks):
        trainer.remove_callback(ProgressCallback)
        trainer.add_callback(_Bar())


class NanGuard(TrainerCallback):
    """Stop the run when the loss or the reward becomes NaN/inf; the last checkpoint is kept."""

    WATCHED = ("loss", "reward", "grad_norm")

    def __init__(self) -> None:
        self.tripped: str | None = None

    def on_log(self, args: Any, state: Any, control: Any, logs: dict | None = None, **kwargs: Any) -> None:
        for key in self.WATCHED:
            value = (logs or {}).get(key)
            if isinstance(value, float) and not math.isfinite(value):
                self.tripped = f"{key} is {value} at step {state.global_step}"
                log.error("stopping: %s; the last good checkpoint is kept", self.tripped)
                control.should_training_stop = True
                control.should_save = False


class SignalWatch(TrainerCallback):
    """Warn when GRPO has no learning signal: every group's rollouts got the same reward.

    GRPO's advantage is the reward minus its group mean, so a step where every group has zero
    reward spread (TRL's ``frac_reward_zero_std`` = 1) changes nothing (with ``beta: 0``, not even
    the KL term). A run stuck there trains for hours without moving; this says so after
    ``patience`` such steps in a row, once per streak.
    """

    def __init__(self, patience: int = 5) -> None:
        self.patience, self.streak, self.warned = patience, 0, False
        self.silent_steps = 0

    def on_log(self, args: Any, state: Any, control: Any, logs: dict | None = None, **kwargs: Any) -> None:
        frac = (logs or {}).get("frac_reward_zero_std")
        if not isinstance(frac, (int, float)):
            return
        if frac < 1.0:
            self.streak, self.warned = 0, False
            return
        self.streak += 1
        self.silent_steps += 1
        if self.streak >= self.patience and not self.warned:
            self.warned = True
            log.warning(
                "no learning signal for %d steps in a row (up to step %d): every group of rollouts got the same "
                "reward, so the advantages and the update are 0. Common causes: the model never writes the answer "
                "format (try model.prefill or a chat prompt), a reward that is 0 until a fully correct call (try "
                "reward.kind=gg, or start from an SFT model), or too few rollouts per prompt "
                "(trainer.num_generations).", self.streak, state.global_step)


class ProbeEval(TrainerCallback):
    """Every ``every`` steps, greedy-decode a held-out probe set and log strict accuracy.

    The probe runs through the eval loop (:func:`toolzero.eval.runner.run_items`) in the run's
    prompt style.  The reward-hacking check of ``toolzero report`` compares these numbers with the
    training reward: format or length going up while probe accuracy does not is a warning sign.
    """

    def __init__(self, tasks: list, tokenizer: Any, every: int, max_new_tokens: int, style: PromptStyle,
                 sink: MetricsLogger):
        self.tasks, self.tokenizer, self.every = tasks, tokenizer, every
        self.max_new_tokens, self.style = max_new_tokens, style
        self.sink = sink  # probe rows go to the run's metrics files, at their own step

    def probe(self, model: Any) -> dict[str, float]:
        from toolzero.eval.generate import HFGenerator
        from toolzero.eval.runner import run_items

        was_training = model.training
        model.eval()
        try:
            gen = HFGenerator(model, max_new_tokens=self.max_new_tokens, batch_size=8, tokenizer=self.tokenizer,
                              **self.style.generation)
            done = run_items(gen, {"probe": self.tasks}, self._score, self.style, progress=False)
        finally:
            if was_training:
                model.train()
        n = max(1, len(self.tasks))
        return {"probe/strict_accuracy": sum(r["valid"] for r in done.values()) / n,
                "probe/format_rate": sum(r["format_ok"] for r in done.values()) / n,
                "probe/mean_new_tokens": gen.stats.new_tokens / n}

    def _score(self, task: Any, completion: str) -> ProbeResult:
        """Strict: the format's own parse (literal values, as the reward reads them) matches the task."""
        from toolzero.calls.decode import strict_match
        from toolzero.calls.render import render_calls

        parsed = self.style.format.parse(completion)
        res = strict_match(parsed, task)
        valid = bool(res is not None and res.valid)
        error = parsed.reason if res is None else ("" if res.valid else f"{res.error.value}: {res.message}")
        return ProbeResult(task.id, task.category, completion, parsed.answer,
                           render_calls(parsed.calls) if parsed.calls is not None else None, valid, error,
                           parsed.format_ok)

    def _maybe_probe(self, state: Any, model: Any) -> None:
        if model is None or not self.tasks or not state.is_world_process_zero:
            return
        metrics = self.probe(model)
        log.info("probe at step %d: %s", state.global_step, metrics)
        _write(f"probe at step {state.global_step}: strict {metrics['probe/strict_accuracy']:.0%}  format "
               f"{metrics['probe/format_rate']:.0%}  ({len(self.tasks)} held-out synthetic tasks)")
        self.sink.write_row({"step": state.global_step, **metrics})

    def on_train_begin(self, args: Any, state: Any, control: Any, model: Any = None, **kwargs: Any) -> None:
        if state.global_step == 0:
            self._maybe_probe(state, model)

    def on_step_end(self, args: Any, state: Any, control: Any, model: Any = None, **kwargs: Any) -> None:
        if self.every > 0 and (state.global_step % self.every == 0 or state.global_step == state.max_steps):
            self._maybe_probe(state, model)
