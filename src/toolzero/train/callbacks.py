"""Trainer callbacks: a metrics log that needs no service (JSONL + CSV), and a NaN guard."""

from __future__ import annotations

import csv
import json
import logging
import math
from pathlib import Path
from typing import Any

from transformers import TrainerCallback

log = logging.getLogger(__name__)


class MetricsLogger(TrainerCallback):
    """Append every log event (loss, reward components, lengths, step time) to metrics.jsonl/.csv."""

    def __init__(self, run_dir: str | Path):
        self.jsonl = Path(run_dir) / "metrics.jsonl"
        self.csv = Path(run_dir) / "metrics.csv"
        self.columns: list[str] | None = None

    def on_log(self, args: Any, state: Any, control: Any, logs: dict | None = None, **kwargs: Any) -> None:
        if not logs or not state.is_world_process_zero:
            return
        row = {"step": state.global_step, **{k: v for k, v in logs.items() if isinstance(v, (int, float))}}
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
