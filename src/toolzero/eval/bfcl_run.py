"""Run a model on BFCL single-turn categories and score every item twice: ours and official.

A run folder holds ``results.jsonl`` (one line per item: raw completion, parsed calls,
verdicts and error types), ``scores.json`` and ``scores.md``.  An interrupted run resumes
from ``results.jsonl`` without redoing finished items.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolzero.calls.decode import decode
from toolzero.calls.formats import OutputFormat, get_format
from toolzero.calls.match import match_calls
from toolzero.calls.render import render_calls
from toolzero.data.bfcl import IRRELEVANCE_CATEGORIES, RELEVANCE_CATEGORIES, LoadReport, load_bfcl
from toolzero.eval.aggregate import LIVE, Score, bfcl_aggregates
from toolzero.eval.runner import FAILURES, Generator, ItemResult, load_done, run_items
from toolzero.prompt import DEFAULT_STYLE, PromptStyle
from toolzero.schema import Task

log = logging.getLogger(__name__)


@dataclass
class BfclResult(ItemResult):
    """The record of one BFCL item: ours, and bfcl-eval's verdict when asked for."""

    official_valid: bool | None = None
    official_error: str | None = None


def score_item(task: Task, completion: str, official: bool, output_format: str | OutputFormat = "gg") -> BfclResult:
    """Score one completion the way BFCL's runner scores a prompting model.

    The completion is read by the decode step (:func:`toolzero.calls.decode.decode`: the format's
    parser, BFCL's decoder for the task's language, Java / JavaScript type conversion).  For
    irrelevance categories an item passes when no call can be read from it, as BFCL decides it.
    With ``official``, BFCL's decoder and checker see the answer text (a format whose answer is call
    source) or the calls printed as a Python list (the peers' JSON formats).
    """
    d = decode(completion, task, get_format(output_format))
    if task.category in (*IRRELEVANCE_CATEGORIES, *RELEVANCE_CATEGORIES):
        if task.category in IRRELEVANCE_CATEGORIES:
            valid, error = not d.made_call, ("" if not d.made_call else "irrelevance: made a call")
        else:
            valid, error = d.made_call, ("" if d.made_call else "relevance: made no call")
    elif d.typed is None:
        valid, error = False, d.error
    else:
        res = match_calls(d.typed, task.ground_truth, task.tools)
        valid, error = res.valid, ("" if res.valid else f"{res.error.value}: {res.message}")
    item = BfclResult(task.id, task.category, completion, d.answer,
                      render_calls(d.calls) if d.calls is not None else None, valid, error)
    if official:
        item.official_valid, item.official_error = _official(task, d.bfcl_text)
    return item


def _official(task: Task, answer: str) -> tuple[bool, str]:
    from toolzero.eval.official import official_decode, official_verdict

    if task.category in (*IRRELEVANCE_CATEGORIES, *RELEVANCE_CATEGORIES):
        # BFCL's relevance runner: a call is "made" when decoding succeeds and is not empty.
        decoded = official_decode(answer)
        made = bool(decoded) and all(isinstance(d, dict) and d for d in decoded)
        if task.category in RELEVANCE_CATEGORIES:
            return made, "" if made else "relevance_error:decoder_failed"
        return not made, "" if not made else "irrelevance_error:decoder_success"
    return official_verdict(task, answer)


def run_bfcl(
    generator: Generator,
    categories: Sequence[str],
    out_dir: str | Path,
    version: str = "v4",
    data_dir: str | Path | None = None,
    limit: int | None = None,
    official: bool = False,
    style: PromptStyle = DEFAULT_STYLE,
    rescore: bool = False,
) -> dict[str, Any]:
    """Generate and score; returns (and writes) the per-category scores.

    Prompts are built, and completions read, in ``style``.  Items already in
    ``out_dir/results.jsonl`` are not generated again; ``rescore`` scores their stored
    completions again with the current scorer (after a scorer fix).
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    tasks_by_cat, reports = {}, {}
    for cat in categories:  # load everything first: a bad category fails before any generation
        reports[cat] = LoadReport()
        tasks_by_cat[cat] = load_bfcl(cat, version, data_dir, reports[cat])[:limit]
    rescore_finished(out / "results.jsonl", tasks_by_cat, style.output_format, official, rescore)
    before = {k: getattr(generator.stats, k) for k in ("items", "new_tokens", "seconds")}  # a reused generator's work
    done = run_items(generator, tasks_by_cat, lambda task, text: score_item(task, text, official, style.format),
                     style, out / "results.jsonl")
    scores = summarise(done, {c: (tasks_by_cat[c], reports[c]) for c in categories}, generator)
    this_call = {k: scores["generation"][k] - v for k, v in before.items()}
    scores["generation"] = add_generation(previous_generation(out / "scores.json"), this_call)
    (out / "scores.json").write_text(json.dumps(scores, indent=2))
    (out / "scores.md").write_text(scores_markdown(scores))
    return scores


def previous_generation(scores_path: Path) -> dict[str, Any]:
    """The generation totals an earlier call wrote for this folder ({} when none or unreadable)."""
    try:
        gen = json.loads(scores_path.read_text()).get("generation", {})
    except (OSError, ValueError, AttributeError):
        return {}
    return gen if isinstance(gen, dict) else {}


def add_generation(before: dict[str, Any], now: dict[str, Any]) -> dict[str, Any]:
    """Generation totals over every call that generated into a folder (a resume or a --rescore adds to them)."""
    total = {k: (before.get(k) or 0) + (now.get(k) or 0) for k in ("items", "new_tokens", "seconds")}
    total["seconds"] = round(total["seconds"], 2)
    total["tokens_per_s"] = round(total["new_tokens"] / total["seconds"], 2) if total["seconds"] else 0.0
    return total


def rescore_finished(results_path: Path, tasks_by_cat: dict[str, list[Task]], output_format: str = "gg",
                     official: bool = False, everything: bool = False) -> int:
    """Score stored completions again, without generating.

    With ``everything``, every finished record gets the current scorer's verdicts (after a
    scorer fix); otherwise only the records that lack bfcl-eval's verdict get it (so
    ``--official`` can be added to a run written without it).  Records of items whose
    generation failed stay wrong.  Returns how many records changed hands; results.jsonl is
    rewritten only when there were some.
    """
    done = load_done(results_path)
    tasks = {f"{cat}/{t.id}": t for cat, ts in tasks_by_cat.items() for t in ts}
    todo = [k for k, r in done.items() if k in tasks and (everything or (official and r.get("official_valid") is None))]
    if not todo:
        return 0
    for key in todo:
        rec = done[key]
        if str(rec.get("error", "")).startswith(FAILURES):
            rec["official_valid"] = False if official else rec.get("official_valid")
            continue
        again = score_item(tasks[key], rec["completion"], official, output_format).to_json()
        if not everything:
            again = {"official_valid": again["official_valid"], "official_error": again["official_error"]}
        rec.update(again)
        rec["category"] = key.split("/", 1)[0]
    tmp = results_path.with_suffix(".jsonl.tmp")
    tmp.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in done.values()), encoding="utf-8")
    tmp.replace(results_path)
    log.info("re-scored %d finished records of %s", len(todo), results_path)
    return len(todo)


def summarise(done: dict[str, dict], tasks_by_cat: dict, generator: Any) -> dict[str, Any]:
    cats = {}
    for cat, (tasks, report) in tasks_by_cat.items():
        recs = [done[f"{cat}/{t.id}"] for t in tasks if f"{cat}/{t.id}" in done]
        n = len(recs)
        entry = {"n": n, "accuracy": sum(r["valid"] for r in recs) / n if n else None,
                 "skipped_records": dict(report.skipped)}
        official = [r["official_valid"] for r in recs if r.get("official_valid") is not None]
        if official:
            entry["official_accuracy"] = sum(official) / len(official)
            entry["agreement"] = sum(r["valid"] == r["official_valid"] for r in recs) / n
        cats[cat] = entry
    stats = generator.stats
    agg = {}
    for key, label in (("accuracy", "ours"), ("official_accuracy", "official")):
        per = {c: Score(e[key], e["n"]) for c, e in cats.items() if e.get(key) is not None}
        if per:
            agg[label] = {k: {"accuracy": v.accuracy, "count": v.count, "missing": list(v.missing)}
                          for k, v in bfcl_aggregates(per, live_sizes()).items()}
    return {"categories": cats, "aggregates": agg, "generation": {"items": stats.items, "new_tokens": stats.new_tokens,
                                                "seconds": round(stats.seconds, 2),
                                                "tokens_per_s": round(stats.tokens_per_s, 2)}}


def live_sizes(version: str = "v4", data_dir: str | Path | None = None) -> dict[str, int]:
    """Dataset sizes of the live categories (BFCL weighs a live category that was not run by its size)."""
    from toolzero.data.bfcl import category_file, packaged_data_dir

    root = Path(data_dir) if data_dir is not None else packaged_data_dir()
    sizes = {}
    for cat in LIVE:
        path = category_file(root, version, cat)
        if path.is_file():
            sizes[cat] = sum(1 for line in path.open(encoding="utf-8") if line.strip())
    return sizes


def scores_markdown(scores: dict[str, Any]) -> str:
    lines = ["| category | n | accuracy (ours) | accuracy (bfcl-eval) |", "|---|---:|---:|---:|"]
    for cat, e in scores["categories"].items():
        acc = "-" if e["accuracy"] is None else f"{100 * e['accuracy']:.2f}"
        off = f"{100 * e['official_accuracy']:.2f}" if "official_accuracy" in e else "-"
        lines.append(f"| {cat} | {e['n']} | {acc} | {off} |")
    ours = scores.get("aggregates", {}).get("ours", {})
    if ours:
        official = scores["aggregates"].get("official", {})
        lines += ["", "BFCL aggregates (categories not run count as 0, as in BFCL; `*` = incomplete):", "",
                  "| aggregate | ours | bfcl-eval |", "|---|---:|---:|"]
        for key, v in ours.items():
            mark = "*" if v["missing"] else ""
            off = f"{100 * official[key]['accuracy']:.2f}{mark}" if key in official else "-"
            lines.append(f"| {key} | {100 * v['accuracy']:.2f}{mark} | {off} |")
    return "\n".join(lines) + "\n"
