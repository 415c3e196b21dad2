"""The one eval loop: prompt -> generate -> score -> write -> resume.

BFCL single-turn (:mod:`toolzero.eval.bfcl_run`), the cross-benchmarks (:mod:`toolzero.eval.cross`)
and the training probe (:class:`toolzero.train.callbacks.ProbeEval`) all run :func:`run_items`;
they differ only in their tasks and their score function, ``(task, completion) -> ItemResult``.
A run folder's ``results.jsonl`` holds one record per finished item; an interrupted run resumes
from it without redoing those items.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from tqdm import tqdm

from toolzero.eval.generate import GenerationStats
from toolzero.prompt import DEFAULT_STYLE, PromptStyle
from toolzero.schema import Task

log = logging.getLogger(__name__)

# Errors the runner writes itself: the item was not generated, so it counts as wrong.
FAILURES = ("generation_failed", "prompt_failed")


class Generator(Protocol):
    """What a generation backend offers (:class:`~toolzero.eval.generate.HFGenerator`, vLLM, replay)."""

    tokenizer: Any
    stats: GenerationStats

    def generate(self, prompts: Sequence[str]) -> list[str]:
        """One completion per prompt, in order, cut after the style's stop strings."""
        ...


@dataclass
class ItemResult:
    """The record written for one item (a score function returns one, or a subclass)."""

    id: str
    category: str
    completion: str
    answer: str | None
    calls: str | None
    valid: bool
    error: str

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


ScoreFn = Callable[[Task, str], ItemResult]


def load_done(path: Path) -> dict[str, dict]:
    """Finished records of a results.jsonl by ``category/id``; a line cut short by a kill is ignored."""
    done: dict[str, dict] = {}
    if path.is_file():
        with path.open(encoding="utf-8") as f:
            for line in f:
                try:
                    rec = json.loads(line)
                    done[f"{rec['category']}/{rec['id']}"] = rec
                except (json.JSONDecodeError, KeyError, TypeError):
                    log.warning("ignoring a broken line in %s (interrupted write?)", path)
    return done


def render_all(tasks: Sequence[Task], tokenizer: Any, style: PromptStyle) -> list[str | Exception]:
    """Each task's prompt, or the error rendering it raised (recorded for its item, not raised)."""
    out: list[str | Exception] = []
    for t in tasks:
        try:
            out.append(style.render(t, tokenizer))
        except Exception as e:
            out.append(e)
    return out


def run_items(
    generator: Generator,
    tasks_by_cat: dict[str, list[Task]],
    score: ScoreFn,
    style: PromptStyle = DEFAULT_STYLE,
    results_path: Path | None = None,
    progress: bool = True,
) -> dict[str, dict]:
    """Generate and score every task not yet in ``results_path``; returns all records by ``category/id``.

    Prompts of about one length (longest first) are batched together, ``generator.batch_size``
    at a time.  The style's prefill ends each prompt and is put back in front of each completion
    before scoring.  A prompt that cannot be rendered, or a batch whose generation raises, is
    recorded as wrong (``prompt_failed`` / ``generation_failed``) and the run goes on.  Without
    ``results_path`` nothing is written (the training probe).
    """
    done = load_done(results_path) if results_path is not None else {}
    batch = max(1, getattr(generator, "batch_size", 8))
    sink = results_path.open("a", encoding="utf-8") if results_path is not None else None
    try:
        for cat, tasks in tasks_by_cat.items():
            todo = [t for t in tasks if f"{cat}/{t.id}" not in done]
            bar = tqdm(total=len(tasks), initial=len(tasks) - len(todo), desc=cat, unit="item", disable=not progress)
            rendered = render_all(todo, generator.tokenizer, style)
            order = sorted(range(len(todo)), key=lambda k: -len(rendered[k]) if isinstance(rendered[k], str) else 0)
            for i in range(0, len(order), batch):
                chunk = [todo[k] for k in order[i:i + batch]]
                records = _run_batch(generator, chunk, [rendered[k] for k in order[i:i + batch]], score, style)
                for task, rec in zip(chunk, records):
                    rec["category"] = cat  # the runner's category keys resume, whatever the task calls itself
                    done[f"{cat}/{task.id}"] = rec
                    if sink is not None:
                        sink.write(json.dumps(rec, ensure_ascii=False) + "\n")
                if sink is not None:
                    sink.flush()
                bar.update(len(chunk))
                stats = generator.stats
                bar.set_postfix(items_s=f"{stats.items_per_s:.2f}", tok_s=f"{stats.tokens_per_s:.0f}")
            bar.close()
    finally:
        if sink is not None:
            sink.close()
    return done


def _run_batch(generator: Generator, chunk: list[Task], prompts: list[str | Exception], score: ScoreFn,
               style: PromptStyle) -> list[dict[str, Any]]:
    """One batch: generate for the prompts that rendered, score every item, mark the failures."""
    ok = [j for j, p in enumerate(prompts) if isinstance(p, str)]
    completions, failures = [""] * len(chunk), [""] * len(chunk)
    for j, p in enumerate(prompts):
        if not isinstance(p, str):
            failures[j] = f"prompt_failed: {type(p).__name__}: {p}"
    try:
        for j, c in zip(ok, generator.generate([prompts[j] for j in ok]) if ok else []):  # type: ignore[misc]
            completions[j] = style.completion(c)
    except Exception as e:  # one bad batch must not kill the run
        log.error("generation failed for %s: %s", [chunk[j].id for j in ok], e)
        for j in ok:
            failures[j] = f"generation_failed: {type(e).__name__}: {e}"
    records = []
    for task, text, failure in zip(chunk, completions, failures):
        rec = score(task, text).to_json()
        if failure:
            rec.update(valid=False, error=failure)
        records.append(rec)
    return records
