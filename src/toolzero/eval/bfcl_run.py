"""Run a model on BFCL single-turn categories and score every item twice: ours and official.

A run folder holds ``results.jsonl`` (one line per item: raw completion, parsed calls,
verdicts and error types), ``scores.json`` and ``scores.md``.  An interrupted run resumes
from ``results.jsonl`` without redoing finished items.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tqdm import tqdm

from toolzero.calls.langs import decode_calls
from toolzero.calls.match import match_calls
from toolzero.calls.parse import CallSyntaxError, parse_call_list, parse_completion
from toolzero.calls.peer_formats import parse_n1, parse_toolrl
from toolzero.calls.relevance import makes_call
from toolzero.calls.render import render_calls
from toolzero.data.bfcl import IRRELEVANCE_CATEGORIES, RELEVANCE_CATEGORIES, LoadReport, load_bfcl
from toolzero.eval.aggregate import LIVE, Score, bfcl_aggregates
from toolzero.prompt import render_prompt
from toolzero.schema import Task

log = logging.getLogger(__name__)


@dataclass
class ItemResult:
    """The record written for one item."""

    id: str
    category: str
    completion: str
    answer: str | None
    calls: str | None
    valid: bool
    error: str
    official_valid: bool | None = None
    official_error: str | None = None

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def read_calls(completion: str, output_format: str = "gg", language: str = "python") -> tuple[str | None, tuple | None, str]:
    """The answer text, the calls read from it (None if unreadable) and why not, per output format.

    For the GG format the text inside ``<answer>`` is read as BFCL's decoder reads it (a bare
    name such as ``city=Paris`` is the string "Paris"; a single call without brackets is fine).
    For Java / JavaScript (simple_java, simple_javascript) it is read as BFCL's Java / JavaScript
    decoder reads it, values as source text (:func:`toolzero.calls.langs.decode_calls`); the
    peers' JSON calls are printed as a Python list first, as they are for BFCL's scorer.
    """
    if output_format == "gg":
        parsed = parse_completion(completion)
        answer = parsed.answer if parsed.answer is not None else ""
        try:
            if language != "python":
                return parsed.answer, decode_calls(answer, language), ""
            return parsed.answer, parse_call_list(answer, allow_names=True, require_list=False), ""
        except CallSyntaxError as e:
            return parsed.answer, None, (parsed.reason if parsed.answer is None else f"unparsable: {e}")
    parser = {"toolrl": parse_toolrl, "n1": parse_n1}.get(output_format)
    if parser is None:
        raise ValueError(f"unknown output format {output_format!r}")
    parsed = parser(completion)
    if parsed.calls is None:
        return parsed.answer, None, parsed.reason
    if language != "python":
        try:
            return parsed.answer, decode_calls(render_calls(parsed.calls), language), ""
        except CallSyntaxError as e:
            return parsed.answer, None, f"unparsable: {e}"
    return parsed.answer, parsed.calls, ""


def score_item(task: Task, completion: str, official: bool, output_format: str = "gg") -> ItemResult:
    """Score one completion the way BFCL's runner scores a prompting model.

    For irrelevance categories an item passes when no call can be read from it.  With
    ``official``, BFCL's decoder and checker see the answer text (GG format) or the calls
    printed as a Python list (the peers' JSON formats).  simple_java and simple_javascript are
    decoded and checked as Java / JavaScript (:attr:`Task.language`), by us and by BFCL.
    """
    language = task.language
    answer, calls, parse_error = read_calls(completion, output_format, language)
    if task.category in (*IRRELEVANCE_CATEGORIES, *RELEVANCE_CATEGORIES):
        # "A call was made" as BFCL decides it: its lenient decoder reads the GG answer (positional
        # arguments dropped, arithmetic evaluated); the peers' JSON calls are calls as they stand.
        made = makes_call(answer) if output_format == "gg" else bool(calls)
        if task.category in IRRELEVANCE_CATEGORIES:
            valid, error = not made, ("" if not made else "irrelevance: made a call")
        else:
            valid, error = made, ("" if made else "relevance: made no call")
    elif calls is None:
        valid, error = False, parse_error
    else:
        res = match_calls(calls, task.ground_truth, task.tools, language)
        valid, error = res.valid, ("" if res.valid else f"{res.error.value}: {res.message}")
    item = ItemResult(task.id, task.category, completion, answer,
                      render_calls(calls) if calls is not None else None, valid, error)
    if official:
        if output_format == "gg":
            text = answer or ""
        else:  # the peers' calls as a Python list (for Java / JavaScript: as the model's JSON gave them)
            peer = read_calls(completion, output_format)[1] if language != "python" else calls
            text = render_calls(peer) if peer is not None else ""
        item.official_valid, item.official_error = _official(task, text)
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


def _render_all(tasks: Sequence[Task], tokenizer: Any, chat: bool | None, output_format: str,
                prefill: str) -> list[str | Exception]:
    """Each task's prompt, or the error rendering it raised (recorded for its batch, not raised)."""
    out: list[str | Exception] = []
    for t in tasks:
        try:
            out.append(render_prompt(t, tokenizer, chat, output_format) + prefill)
        except Exception as e:
            out.append(e)
    return out


def generate_and_score(
    generator: Any,
    tasks_by_cat: dict[str, list[Task]],
    results_path: Path,
    score: Callable[[Task, str], dict[str, Any]],
    chat: bool | None = None,
    output_format: str = "gg",
    prefill: str = "",
) -> dict[str, dict]:
    """The shared loop of every runner: batch, generate, score, append to results.jsonl, resume.

    Returns every finished record (old and new) by ``category/id``.  A batch whose generation
    raises is recorded as wrong with ``generation_failed`` and the run goes on.  ``prefill`` is
    appended to each prompt and put back in front of each completion before scoring.
    """
    done = load_done(results_path)
    batch = max(1, getattr(generator, "batch_size", 8))
    with results_path.open("a", encoding="utf-8") as sink:
        for cat, tasks in tasks_by_cat.items():
            todo = [t for t in tasks if f"{cat}/{t.id}" not in done]
            bar = tqdm(total=len(tasks), initial=len(tasks) - len(todo), desc=cat, unit="item")
            # Longest prompts first, so that each batch holds prompts of about one length (little padding).
            rendered = _render_all(todo, generator.tokenizer, chat, output_format, prefill)
            order = sorted(range(len(todo)), key=lambda k: -len(rendered[k]) if isinstance(rendered[k], str) else 0)
            for i in range(0, len(order), batch):
                chunk = [todo[k] for k in order[i:i + batch]]
                prompts = [rendered[k] for k in order[i:i + batch]]
                ok = [j for j, p in enumerate(prompts) if isinstance(p, str)]
                completions, failures = [""] * len(chunk), [""] * len(chunk)
                for j, p in enumerate(prompts):
                    if not isinstance(p, str):
                        failures[j] = f"prompt_failed: {type(p).__name__}: {p}"
                try:
                    for j, c in zip(ok, generator.generate([prompts[j] for j in ok]) if ok else []):
                        completions[j] = prefill + c
                except Exception as e:  # one bad batch must not kill the run
                    log.error("generation failed for %s: %s", [chunk[j].id for j in ok], e)
                    for j in ok:
                        failures[j] = f"generation_failed: {type(e).__name__}: {e}"
                for task, text, failure in zip(chunk, completions, failures):
                    rec = score(task, text)
                    rec["category"] = cat  # the runner's category keys resume, whatever the task calls itself
                    if failure:
                        rec.update(valid=False, error=failure)
                    sink.write(json.dumps(rec, ensure_ascii=False) + "\n")
                    done[f"{cat}/{task.id}"] = rec
                sink.flush()
                bar.update(len(chunk))
                stats = generator.stats
                bar.set_postfix(items_s=f"{stats.items_per_s:.2f}", tok_s=f"{stats.tokens_per_s:.0f}")
            bar.close()
    return done


def run_bfcl(
    generator: Any,
    categories: Sequence[str],
    out_dir: str | Path,
    version: str = "v4",
    data_dir: str | Path | None = None,
    limit: int | None = None,
    official: bool = False,
    chat: bool | None = None,
    output_format: str = "gg",
    prefill: str = "",
    rescore: bool = False,
) -> dict[str, Any]:
    """Generate and score; returns (and writes) the per-category scores.

    Items already in ``out_dir/results.jsonl`` are not generated again; ``rescore`` scores
    their stored completions again with the current scorer (after a scorer fix).
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    tasks_by_cat, reports = {}, {}
    for cat in categories:  # load everything first: a bad category fails before any generation
        reports[cat] = LoadReport()
        tasks_by_cat[cat] = load_bfcl(cat, version, data_dir, reports[cat])[:limit]
    rescore_finished(out / "results.jsonl", tasks_by_cat, output_format, official, rescore)
    before = {k: getattr(generator.stats, k) for k in ("items", "new_tokens", "seconds")}  # a reused generator's work
    done = generate_and_score(generator, tasks_by_cat, out / "results.jsonl",
                              lambda task, text: score_item(task, text, official, output_format).to_json(), chat,
                              output_format, prefill)
    scores = summarise(done, {c: (tasks_by_cat[c], reports[c]) for c in categories}, generator)
    this_call = {k: scores["generation"][k] - v for k, v in before.items()}
    scores["generation"] = add_generation(previous_generation(out / "scores.json"), this_call)
    (out / "scores.json").write_text(json.dumps(scores, indent=2))
    (out / "scores.md").write_text(scores_markdown(scores))
    return scores


FAILURES = ("generation_failed", "prompt_failed")


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
