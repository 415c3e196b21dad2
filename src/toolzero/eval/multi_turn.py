"""BFCL multi-turn evaluation (base, miss_func, miss_param, long_context) with the GG-GRPO prompt.

The installed ``bfcl-eval`` package is the oracle: its data, its function docs, its backend
classes (``GorillaFileSystem``, ``TwitterAPI``, ...) and its checker.  Nothing of it is copied.

How an entry is run (as ``BaseHandler.inference_multi_turn_prompting`` runs a prompting model):

* the entry's function docs are loaded by BFCL's own loader helpers
  (``populate_test_cases_with_predefined_functions`` then ``add_language_specific_hint_to_function_doc``),
  which also take the miss_func functions out of the list until their turn;
* for each turn the user message(s) are appended; then, step after step, our prompt
  (:func:`toolzero.prompt.render_prompt` on a :class:`~toolzero.schema.Task` holding the tools
  and the whole conversation so far) is completed by the generator, the text inside
  ``<answer>`` is decoded by BFCL's ``default_decode_execute_prompting``, and the calls are run
  by BFCL's ``execute_multi_turn_func_call`` against backend instances private to this entry;
  the completion becomes an ``assistant`` message and each execution result a ``tool``
  message.  The turn ends when the model makes no call (``[]``, no ``<answer>``, or an answer
  BFCL cannot decode).  After more than :data:`MAX_STEPS_PER_TURN` executed steps in one turn
  the model is forced to quit and the rest of the entry is not run (BFCL then fails it);
* scoring is BFCL's ``eval_runner._evaluate_single_multi_turn_entry`` called on the raw
  completions per turn and step, with a decoder shim doing what the generation loop did
  (``<answer>`` text -> BFCL's decoder), so steps without calls are dropped exactly as in BFCL.

Our choices (BFCL leaves them to each handler):

* miss_func: the held-out function docs are added to the prompt's tool list at the turn BFCL
  names, with BFCL's FC wording "I have updated some more functions ..." as the user message
  (:data:`HOLDOUT_IN_TOOL_LIST`).  Set it false to do what BFCL's prompting handlers do: the docs
  are pasted into that user message and the tool list stays as it was.
* the assistant message kept in the history is the whole completion, thought included; each
  execution result is its own ``tool`` message, in call order (as BFCL's local-model handlers).
* ``excluded_function`` in the data is ignored, as BFCL ignores it.

Replay of BFCL's own ground truth (:func:`toolzero.eval.multi_turn_replay.ground_truth_generator`: per turn, one step with all
of the turn's calls, then ``[]``) passes 100% of every category: base, miss_func, miss_param and
long_context (800/800; about 10 s on 2 CPU cores including loading).  miss_param passes too
because its ground truth already has an empty turn where the model should ask for the missing
parameter, and miss_func because the turn before the holdout has an empty ground truth.

Known quirks (all BFCL's):

* 40 ground-truth calls per category use positional arguments (``sort('final_report.pdf')``),
  which BFCL's own prompting decoder silently drops (``sort()``); the replay backend therefore
  writes every ground-truth call with keyword arguments, named from the backend method's signature.
* BFCL's runner never calls ``multi_turn_irrelevance_checker``: in a turn whose ground truth is
  empty (the miss_param "ask the user" turn, the miss_func turn before the holdout) calls are
  executed and only their effect on later state is checked; making calls there is not by itself
  an error.  We score exactly as the runner does.
* The same questions appear in base, miss_param and long_context with different ground truth
  (often with a different initial state), so one replay backend cannot serve several categories at once: it
  raises on such a prompt; use one per category.
* The function docs alone make the first prompt about 26k characters.

Each line of ``results.jsonl`` holds id, category, valid, error_type, error, force_quit,
skipped_tools and ``turns``: per turn, per step, the completion, its ``<answer>`` text,
format_ok, the decoded call strings (or decode_error) and the execution results.

Security: BFCL executes decoded calls with ``eval`` in its own module (with a small deny list);
so does this runner, since it uses BFCL's helper.  Only run models you would let BFCL run.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections import Counter, deque
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, TextIO

from tqdm import tqdm

from toolzero.calls.formats import OutputFormat, get_format
from toolzero.calls.parse import ParsedCompletion
from toolzero.calls.render import render_call
from toolzero.data.bfcl import packaged_data_dir
from toolzero.eval.aggregate import MULTI_TURN, Score, unweighted
from toolzero.eval.runner import Generator as TextGenerator
from toolzero.eval.runner import load_done
from toolzero.prompt import DEFAULT_STYLE, PromptStyle, render_prompt
from toolzero.schema import SchemaError, Task, Tool

log = logging.getLogger(__name__)

MULTI_TURN_CATEGORIES = MULTI_TURN
# BFCL's step limit: bfcl_eval.constants.default_prompts.MAXIMUM_STEP_LIMIT (a test checks they agree).
MAX_STEPS_PER_TURN = 20
HOLDOUT_IN_TOOL_LIST = True
# Generations per generator call when the generator does not say (HFGenerator has .batch_size).
DEFAULT_BATCH = 8
# Execution results are fed to the model in full, but cut to this length in results.jsonl.
RECORD_RESULT_CHARS = 2000
VERSION_PREFIX = "BFCL_v4"
SOURCE = "bfcl_multi_turn"


@cache
def _bfcl() -> dict[str, Any]:
    """The bfcl-eval pieces this runner calls (imported once, lazily: bfcl-eval is optional)."""
    try:
        from bfcl_eval.constants import default_prompts
        from bfcl_eval.constants.executable_backend_config import CLASS_FILE_PATH_MAPPING
        from bfcl_eval.eval_checker.eval_runner import _evaluate_single_multi_turn_entry
        from bfcl_eval.eval_checker.multi_turn_eval import multi_turn_utils
        from bfcl_eval.model_handler.utils import default_decode_execute_prompting
        from bfcl_eval.utils import add_language_specific_hint_to_function_doc, populate_test_cases_with_predefined_functions
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError(f"multi-turn evaluation needs bfcl-eval: pip install 'toolzero[bfcl]' ({e})") from e
    return {
        "prompts": default_prompts, "classes": CLASS_FILE_PATH_MAPPING, "evaluate": _evaluate_single_multi_turn_entry,
        "utils": multi_turn_utils, "decode": default_decode_execute_prompting,
        "populate": populate_test_cases_with_predefined_functions, "hint": add_language_specific_hint_to_function_doc,
    }


# --------------------------------------------------------------------------- loading


@dataclass
class MultiTurnEntry:
    """One BFCL multi-turn entry, ready to run.

    Attributes:
        turns: the messages of each turn as in the data (a miss_func holdout turn is empty).
        tools: the tools shown from the first turn on.
        holdout: turn index -> the tools added back at that turn (miss_func).
        holdout_docs: the same, as BFCL's raw function docs.
        ground_truth: per turn, BFCL's ground-truth call strings.
        bfcl_entry: what BFCL's checker reads (id, initial_config, involved_classes).
        skipped_tools: ``"name: reason"`` for function docs that did not convert to a Tool.
    """

    id: str
    category: str
    turns: list[list[dict[str, str]]]
    tools: tuple[Tool, ...]
    holdout: dict[int, tuple[Tool, ...]]
    holdout_docs: dict[int, list[dict]]
    ground_truth: list[list[str]]
    bfcl_entry: dict[str, Any]
    skipped_tools: list[str] = field(default_factory=list)

    @property
    def long_context(self) -> bool:
        """BFCL's test: the category part of the id names long_context (or composite)."""
        cat = self.id.rsplit("_", 1)[0]
        return "long_context" in cat or "composite" in cat


def check_category(category: str) -> None:
    """A clear error for anything but the four multi-turn categories."""
    if category not in MULTI_TURN_CATEGORIES:
        raise ValueError(f"unknown BFCL multi-turn category {category!r}; known: {', '.join(MULTI_TURN_CATEGORIES)}")


def _read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def load_multi_turn(category: str, data_dir: str | Path | None = None, limit: int | None = None) -> list[MultiTurnEntry]:
    """Load one multi-turn category (v4 file naming) with its function docs and ground truth.

    Args:
        category: one of :data:`MULTI_TURN_CATEGORIES`.
        data_dir: folder holding ``BFCL_v4_<category>.json`` and ``possible_answer/``; default:
            the installed bfcl-eval data.  Function docs always come from bfcl-eval.
        limit: keep only the first ``limit`` entries.
    """
    check_category(category)
    root = Path(data_dir) if data_dir is not None else packaged_data_dir()
    qfile = root / f"{VERSION_PREFIX}_{category}.json"
    afile = root / "possible_answer" / qfile.name
    for path in (qfile, afile):
        if not path.is_file():
            raise FileNotFoundError(f"{path} does not exist")
    raw = _read_jsonl(qfile)[:limit]
    answers = {a["id"]: a["ground_truth"] for a in _read_jsonl(afile)}
    bfcl = _bfcl()
    raw = bfcl["hint"](bfcl["populate"](raw))
    entries = []
    for rec in raw:
        if rec["id"] not in answers:
            raise ValueError(f"{afile} has no ground truth for {rec['id']}")
        entries.append(_entry(rec, category, answers[rec["id"]]))
    return entries


def _entry(rec: dict, category: str, ground_truth: list[list[str]]) -> MultiTurnEntry:
    skipped: list[str] = []
    tools = _to_tools(rec["function"], rec["id"], skipped)
    holdout_docs = {int(k): v for k, v in rec.get("missed_function", {}).items()}
    holdout = {k: _to_tools(v, rec["id"], skipped) for k, v in holdout_docs.items()}
    if len(ground_truth) != len(rec["question"]):
        raise ValueError(f"{rec['id']}: {len(rec['question'])} turns but {len(ground_truth)} ground-truth turns")
    bfcl_entry = {k: rec[k] for k in ("id", "initial_config", "involved_classes")}
    return MultiTurnEntry(rec["id"], category, rec["question"], tools, holdout, holdout_docs, ground_truth,
                          bfcl_entry, skipped)


def _to_tools(docs: list[dict], entry_id: str, skipped: list[str]) -> tuple[Tool, ...]:
    """Convert function docs; one that fails :meth:`Tool.from_json` is left out with its reason."""
    tools = []
    for doc in docs:
        try:
            tools.append(Tool.from_json(doc, f"{entry_id}.function"))
        except SchemaError as e:
            log.warning("%s: leaving out a function doc: %s", entry_id, e)
            skipped.append(f"{doc.get('name', '?')}: {e}")
    return tuple(tools)


# --------------------------------------------------------------------------- one entry


@dataclass(frozen=True)
class RunOptions:
    """How entries are run (see the module docstring)."""

    max_steps_per_turn: int = MAX_STEPS_PER_TURN
    holdout_in_tool_list: bool = HOLDOUT_IN_TOOL_LIST
    style: PromptStyle = DEFAULT_STYLE


def decode_completion(completion: str, output_format: str | OutputFormat = "gg") -> list[str]:
    """The completion's calls as BFCL's execute strings; raises when there are none to read.

    A format whose answer is call source (``gg``): BFCL's execute decoder on the answer text.  The
    peers' JSON formats (``toolrl``, ``n1``): their parser, then each call printed as
    ``name(a=1, b='x')``, which is what BFCL's decoder makes of a Python call list.
    """
    fmt = get_format(output_format)
    return _execute_strings(fmt.parse(completion), fmt)


def _execute_strings(parsed: ParsedCompletion, fmt: OutputFormat) -> list[str]:
    """:func:`decode_completion` on an already parsed completion."""
    if fmt.answer_is_source:
        if parsed.answer is None:
            raise ValueError(parsed.reason)
        return _bfcl()["decode"](parsed.answer)
    if parsed.calls is None:
        raise ValueError(parsed.reason)
    return [render_call(c) for c in parsed.calls]


@dataclass(frozen=True)
class _DecoderShim:
    """The one handler method BFCL's multi-turn scorer calls: ``decode_execute``."""

    output_format: str = "gg"

    def decode_execute(self, result: str, has_tool_call_tag: bool = False) -> list[str]:
        return decode_completion(result, self.output_format)


def _turn_start(entry: MultiTurnEntry, turn: int, tools: list[Tool], opts: RunOptions) -> list[dict[str, str]]:
    """The turn's user messages; at a miss_func holdout turn, also add the held-out tools."""
    if turn not in entry.holdout:
        return list(entry.turns[turn])
    prompts = _bfcl()["prompts"]
    if opts.holdout_in_tool_list:
        tools.extend(entry.holdout[turn])
        return [{"role": "user", "content": prompts.DEFAULT_USER_PROMPT_FOR_ADDITIONAL_FUNCTION_FC}]
    text = prompts.DEFAULT_USER_PROMPT_FOR_ADDITIONAL_FUNCTION_PROMPTING.format(functions=entry.holdout_docs[turn])
    return [{"role": "user", "content": text}]


def _decode_step(completion: str, step: dict[str, Any], output_format: str = "gg") -> list[str]:
    """Decode a step's completion into call strings, recording what happened in ``step``."""
    fmt = get_format(output_format)
    parsed = fmt.parse(completion)
    step["answer"], step["format_ok"] = parsed.answer, parsed.format_ok
    try:
        calls = _execute_strings(parsed, fmt)
    except Exception as e:  # BFCL's decoder raises anything from SyntaxError to AssertionError
        step["decoded"], step["decode_error"] = None, f"{type(e).__name__}: {e}"
        return []
    step["decoded"] = calls
    return [] if _bfcl()["utils"].is_empty_execute_response(calls) else calls


def _execute(entry: MultiTurnEntry, calls: list[str], namespace: str) -> list[str]:
    """Run calls on this entry's backend instances (BFCL's helper, state kept under ``namespace``)."""
    results, _ = _bfcl()["utils"].execute_multi_turn_func_call(
        calls, entry.bfcl_entry["initial_config"], entry.bfcl_entry["involved_classes"], namespace, entry.id,
        long_context=entry.long_context, is_evaL_run=False)
    return results


def converse(
    entry: MultiTurnEntry, tokenizer: Any, opts: RunOptions, namespace: str, transcript: list[list[dict]]
) -> Generator[str, str, bool]:
    """Run an entry as a coroutine: yields each prompt, receives its completion.

    Every step is appended to ``transcript`` (one list per turn) as it happens, so a crash
    leaves what was done.  Returns True when the model was forced to quit (step limit).
    """
    tools: list[Tool] = list(entry.tools)
    messages: list[dict[str, str]] = []
    for turn in range(len(entry.turns)):
        messages.extend(_turn_start(entry, turn, tools, opts))
        steps: list[dict] = []
        transcript.append(steps)
        while True:
            task = Task(id=entry.id, source=SOURCE, tools=tuple(tools), messages=tuple(messages), ground_truth=(),
                        category=entry.category)
            completion = opts.style.completion((yield render_prompt(task, tokenizer, opts.style)))
            step: dict[str, Any] = {"completion": completion}
            steps.append(step)
            messages.append({"role": "assistant", "content": completion})
            calls = _decode_step(completion, step, opts.style.output_format)
            if not calls:
                break
            results = _execute(entry, calls, namespace)
            step["results"] = [r[:RECORD_RESULT_CHARS] for r in results]
            messages.extend({"role": "tool", "content": r} for r in results)
            if len(steps) > opts.max_steps_per_turn:  # every step so far executed calls
                log.info("%s: forced to quit in turn %d after %d steps", entry.id, turn, len(steps))
                return True
    return False


def score_entry(
    entry: MultiTurnEntry, transcript: list[list[dict]], namespace: str, output_format: str = "gg"
) -> tuple[bool, str, str]:
    """BFCL's multi-turn verdict on the raw completions: ``(valid, error_type, error_message)``."""
    raw = [[step["completion"] for step in turn] for turn in transcript]
    res = _bfcl()["evaluate"](_DecoderShim(output_format), entry.id, raw, entry.ground_truth, dict(entry.bfcl_entry), namespace,
                              entry.category)
    if res["valid"]:
        return True, "", ""
    err = res.get("error", {})
    msg = err.get("error_message", "")
    return False, str(err.get("error_type", "")), "; ".join(msg) if isinstance(msg, list) else str(msg)


def release_instances(namespace: str) -> None:
    """Forget the backend instances BFCL keeps (in its module globals) for one namespace."""
    store = vars(_bfcl()["utils"])
    for key in [k for k in store if k.startswith(namespace)]:
        del store[key]


class _Live:
    """An entry in progress: its coroutine, the prompt it waits on, and its transcript."""

    def __init__(self, entry: MultiTurnEntry, tokenizer: Any, opts: RunOptions):
        self.entry = entry
        self.output_format = opts.style.output_format
        self.namespace = f"toolzero_{uuid.uuid4().hex[:16]}"  # BFCL's instance names derive from it
        self.transcript: list[list[dict]] = []
        self.prompt = ""
        self.done = False
        self.force_quit = False
        self.error = ""
        self._coro = converse(entry, tokenizer, opts, self.namespace, self.transcript)
        self._advance(lambda: next(self._coro))

    def send(self, completion: str | BaseException) -> None:
        """Feed the completion of the pending prompt (or the error that generating it raised)."""
        if isinstance(completion, BaseException):
            self._fail(f"generation failed: {type(completion).__name__}: {completion}")
        else:
            self._advance(lambda: self._coro.send(completion))

    def _advance(self, step: Callable[[], str]) -> None:
        try:
            self.prompt = step()
        except StopIteration as stop:
            self.done, self.force_quit = True, bool(stop.value)
        except Exception as e:  # one entry's crash must not stop the run
            self._fail(f"{type(e).__name__}: {e}")

    def _fail(self, message: str) -> None:
        log.error("%s crashed: %s", self.entry.id, message)
        self.done, self.error = True, message
        self._coro.close()

    def record(self) -> dict[str, Any]:
        """Score the finished entry and free its backend instances."""
        try:
            if self.error:
                valid, error_type, error = False, "toolzero:crash", self.error
            else:
                valid, error_type, error = score_entry(self.entry, self.transcript, self.namespace, self.output_format)
        except Exception as e:
            log.error("%s: scoring crashed: %s", self.entry.id, e)
            valid, error_type, error = False, "toolzero:crash", f"scoring failed: {type(e).__name__}: {e}"
        finally:
            release_instances(self.namespace)
        return {"id": self.entry.id, "category": self.entry.category, "valid": valid, "error_type": error_type,
                "error": error, "force_quit": self.force_quit, "skipped_tools": self.entry.skipped_tools,
                "turns": self.transcript}


def _generate(generator: TextGenerator, prompts: list[str]) -> list[str | BaseException]:
    """Complete a batch; if the batch raises, retry one by one so that only the bad prompts fail."""
    try:
        out = generator.generate(prompts)
        if len(out) != len(prompts):
            raise RuntimeError(f"generator returned {len(out)} completions for {len(prompts)} prompts")
        return list(out)
    except Exception as e:
        if len(prompts) == 1:
            return [e]
        log.warning("a batch of %d prompts failed (%s); retrying one by one", len(prompts), e)
        return [c for p in prompts for c in _generate(generator, [p])]


def run_entries(generator: TextGenerator, entries: Sequence[MultiTurnEntry], opts: RunOptions) -> Iterator[dict[str, Any]]:
    """Run entries side by side (one prompt each per generator call); yield each record when it ends."""
    batch = max(1, int(getattr(generator, "batch_size", DEFAULT_BATCH)))
    queue, active = deque(entries), []
    while queue or active:
        while queue and len(active) < batch:
            active.append(_Live(queue.popleft(), generator.tokenizer, opts))
        waiting = [live for live in active if not live.done]
        if waiting:
            for live, completion in zip(waiting, _generate(generator, [live.prompt for live in waiting])):
                live.send(completion)
        for live in [live for live in active if live.done]:
            active.remove(live)
            yield live.record()


# --------------------------------------------------------------------------- the run


def _append(path: Path) -> TextIO:
    """Open results.jsonl for appending, first ending a line cut short by an interrupted write."""
    if path.is_file() and path.stat().st_size:
        with path.open("rb") as f:
            f.seek(-1, 2)
            cut = f.read(1) != b"\n"
        if cut:
            with path.open("a", encoding="utf-8") as f:
                f.write("\n")
    return path.open("a", encoding="utf-8")


def run_multi_turn(
    generator: TextGenerator,
    categories: Sequence[str],
    out_dir: str | Path,
    limit: int | None = None,
    max_steps_per_turn: int = MAX_STEPS_PER_TURN,
    data_dir: str | Path | None = None,
    style: PromptStyle = DEFAULT_STYLE,
    holdout_in_tool_list: bool = HOLDOUT_IN_TOOL_LIST,
) -> dict[str, Any]:
    """Run and score multi-turn categories; returns (and writes) the per-category scores.

    ``<out_dir>/results.jsonl`` gets one line per entry as it finishes; entries already there
    are not run again.  ``scores.json`` and ``scores.md`` are written at the end.
    ``style`` says how prompts are built and steps decoded: its output format (``gg``, ``toolrl``,
    ``n1``), and its prefill, appended to every prompt and counted as the start of each completion.
    """
    for cat in categories:  # a bad category fails before any generation
        check_category(cat)
    entries_by_cat = {cat: load_multi_turn(cat, data_dir, limit) for cat in categories}
    opts = RunOptions(max_steps_per_turn, holdout_in_tool_list, style)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    results_path = out / "results.jsonl"
    done = load_done(results_path)
    with _append(results_path) as sink:
        for cat, entries in entries_by_cat.items():
            todo = [e for e in entries if f"{cat}/{e.id}" not in done]
            with tqdm(total=len(entries), initial=len(entries) - len(todo), desc=cat, unit="entry") as bar:
                for rec in run_entries(generator, todo, opts):
                    sink.write(json.dumps(rec, ensure_ascii=False) + "\n")
                    sink.flush()
                    done[f"{cat}/{rec['id']}"] = rec
                    bar.update(1)
    scores = summarise(done, entries_by_cat, generator)
    (out / "scores.json").write_text(json.dumps(scores, indent=2))
    (out / "scores.md").write_text(scores_markdown(scores))
    return scores


def summarise(done: dict[str, dict], entries_by_cat: dict[str, list[MultiTurnEntry]], generator: Any) -> dict[str, Any]:
    """scores.json, shaped like :func:`toolzero.eval.bfcl_run.summarise`.

    The verdict is bfcl-eval's own, so ``accuracy`` and ``official_accuracy`` are the same
    number (both are given so that ``toolzero eval compare`` reads either).
    """
    cats: dict[str, dict[str, Any]] = {}
    for cat, entries in entries_by_cat.items():
        recs = [done[f"{cat}/{e.id}"] for e in entries if f"{cat}/{e.id}" in done]
        n = len(recs)
        acc = sum(bool(r["valid"]) for r in recs) / n if n else None
        errors = Counter(r["error_type"] for r in recs if not r["valid"])
        cats[cat] = {"n": n, "accuracy": acc, "official_accuracy": acc, "error_types": dict(errors)}
    per = {c: Score(e["accuracy"], e["n"]) for c, e in cats.items() if e["accuracy"] is not None}
    multi = unweighted([per.get(c) or Score(0.0, 0, (c,)) for c in MULTI_TURN_CATEGORIES])
    agg = {"multi_turn": {"accuracy": multi.accuracy, "count": multi.count, "missing": list(multi.missing)}}
    stats = generator.stats
    return {"categories": cats, "aggregates": {"ours": agg, "official": agg},
            "generation": {"items": stats.items, "new_tokens": stats.new_tokens, "seconds": round(stats.seconds, 2),
                           "tokens_per_s": round(stats.tokens_per_s, 2)}}


def scores_markdown(scores: dict[str, Any]) -> str:
    """scores.md: one row per category, then BFCL's multi-turn aggregate."""
    lines = ["| category | n | accuracy (bfcl-eval checker) |", "|---|---:|---:|"]
    for cat, e in scores["categories"].items():
        acc = "-" if e["accuracy"] is None else f"{100 * e['accuracy']:.2f}"
        lines.append(f"| {cat} | {e['n']} | {acc} |")
    m = scores["aggregates"]["ours"]["multi_turn"]
    mark = f" (incomplete: {', '.join(m['missing'])} count as 0, as in BFCL)" if m["missing"] else ""
    lines += ["", f"multi-turn (unweighted mean of the four categories): {100 * m['accuracy']:.2f}{mark}"]
    return "\n".join(lines) + "\n"
