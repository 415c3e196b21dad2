"""A test backend for multi-turn: replay BFCL's own ground truth (see :mod:`toolzero.eval.multi_turn`).

Per turn, one step with all of the turn's ground-truth calls (written with keyword arguments), then
``[]``: this passes 100% of every multi-turn category under bfcl-eval's checker.
"""

from __future__ import annotations

import ast
import inspect
import json
import re
from collections.abc import Sequence
from typing import Any

from toolzero.calls.formats import OutputFormat
from toolzero.calls.parse import parse_call_list
from toolzero.eval.generate import ReplayGenerator
from toolzero.eval.multi_turn import MultiTurnEntry, RunOptions, _bfcl, converse

_MARK = re.compile(r"replaying (\S+) turn (\d+) (calls|done)")


def keyword_call(call: str, classes: Sequence[str]) -> str:
    """Rewrite a ground-truth call with keyword arguments only, named from the backend method's signature.

    ``sort('a.txt')`` -> ``sort(file_name='a.txt')``; BFCL's prompting decoder drops positional arguments.
    """
    node = ast.parse(call, mode="eval").body
    if not isinstance(node, ast.Call) or not node.args:
        return call
    name = ast.unparse(node.func)
    names = _positional_names(name, classes)
    if len(names) < len(node.args):
        raise ValueError(f"cannot name the positional arguments of {call!r} (signature: {names})")
    args = [f"{k}={ast.unparse(v)}" for k, v in zip(names, node.args)]
    args += [f"{kw.arg}={ast.unparse(kw.value)}" for kw in node.keywords]
    return f"{name}({', '.join(args)})"


def _positional_names(method: str, classes: Sequence[str]) -> list[str]:
    import importlib

    for cls_name in classes:
        cls = getattr(importlib.import_module(_bfcl()["classes"][cls_name]), cls_name)
        fn = getattr(cls, method, None)
        if callable(fn):
            return [p.name for p in inspect.signature(fn).parameters.values() if p.name != "self"]
    return []


def first_prompt(entry: MultiTurnEntry, tokenizer: Any = None, opts: RunOptions | None = None) -> str:
    """The prompt an entry starts with (what the replay backend recognises an entry by)."""
    return next(converse(entry, tokenizer, opts or RunOptions(), "unused", []))


def _reply(entry: MultiTurnEntry, turn: int, calls: list[str], fmt: OutputFormat) -> str:
    kind = "calls" if calls else "done"
    source = "[" + ", ".join(keyword_call(c, entry.bfcl_entry["involved_classes"]) for c in calls) + "]"
    think = f"replaying {entry.id} turn {turn} {kind}"
    if fmt.answer_is_source:  # the calls as BFCL wrote them, keyword arguments named
        return fmt.wrap(source, think)
    return fmt.render(parse_call_list(source), think)


def ground_truth_generator(entries: Sequence[MultiTurnEntry], opts: RunOptions | None = None) -> ReplayGenerator:
    """A test backend that replays BFCL's ground truth.

    Each turn is answered in one step with all of the turn's ground-truth calls, then with
    ``[]``; a turn whose ground truth is empty gets ``[]`` at once.  The backend finds the entry
    from the prompt: entries that start with the same prompt form a group; the marker written
    in each thought names the group, the turn and the step; within a group the user messages
    seen so far pick the entry.  A prompt that fits entries with different ground truth raises.
    ``opts`` must match the run's (its style's output format and prefill: replies are in that
    format, less the prefill).
    """
    opts = opts or RunOptions()
    by_id = {e.id: e for e in entries}
    groups: dict[str, list[MultiTurnEntry]] = {}
    for e in entries:
        groups.setdefault(first_prompt(e, opts=opts), []).append(e)
    group_of = {e.id: group for group in groups.values() for e in group}

    def reply(entry: MultiTurnEntry, turn: int, calls: list[str]) -> str:
        text = _reply(entry, turn, calls, opts.style.format)
        prefill = opts.style.prefill
        if not text.startswith(prefill):
            raise ValueError(f"prefill {prefill!r} is not how a replayed answer starts")
        return text[len(prefill):]

    def answer(prompt: str) -> str:
        marks = _MARK.findall(prompt)
        if marks:
            entry_id, last, kind = marks[-1]
            if kind == "calls":
                return reply(by_id[entry_id], int(last), [])
            group, turn = group_of[entry_id], int(last) + 1
        else:
            group, turn = groups.get(prompt, []), 0
        fits = [e for e in group if _asked_so_far(e, prompt, turn)]
        if len({json.dumps(e.ground_truth[turn]) for e in fits}) != 1:
            raise KeyError(f"turn {turn} of this prompt fits {[e.id for e in fits]}; cannot replay it")
        return reply(fits[0], turn, fits[0].ground_truth[turn])

    return ReplayGenerator(answer)


def _asked_so_far(entry: MultiTurnEntry, prompt: str, turn: int) -> bool:
    """Whether the entry's user messages of turns 0..turn all appear in the prompt, in order."""
    if turn >= len(entry.turns):
        return False
    pos = 0
    for messages in entry.turns[:turn + 1]:
        for m in messages:
            found = prompt.find(m["content"], pos)
            if found < 0:
                return False
            pos = found + len(m["content"])
    return True
