"""5.4c: a required value is cut out of the request, so that the right move is to ask for it."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from toolzero.data.transforms.common import AugCategory, Seed, assistant_turn, last_user, task_rng
from toolzero.schema import OPTIONAL, Task

# Words removed together with a masked value, so that "Book a room in Paris for 3 nights"
# loses "in Paris" or "for 3 nights" rather than leaving "in" or "nights" behind.  Heuristic:
# the post-condition (no accepted value left in the query) is what is guaranteed.
LEFT_WORDS = frozenset("""
in on at for from to with of by via as about around near under over until before after into between per than
against versus named called titled saying using mixing featuring requiring tagged covering checking inviting
pointing affecting focused starting departing arriving leaving due effective running watering keeping capped
totaling targeting asking paying alerting arming disarming delivered hosted wearing weighing lasting priced worth
contributing measuring id number order listing event document member card room showtime version postal code the a an
""".split())
RIGHT_WORDS = frozenset("""
nights guests days weeks months hours minutes seconds people passengers percent brightness kg kwh gb mg tablets
points results packages pallets pets players seats tickets attendees units stars degrees sessions weekly monthly daily
walks term class level seating seat tier urgency problem shot test package connector rows file branch shipping
seeing cm deep square meters bedrooms each ahead plus-ones copies dollars euros
night guest day week month hour minute second person passenger tablet point result package pallet pet player seat
ticket attendee unit star degree session walk copy dollar euro bedroom
""".split())
MAX_EXTRA_WORDS = 3  # at most this many words removed on each side of a masked value
ASK_TEMPLATES = (
    "Which {label} should I use?",
    "Could you tell me the {label}?",
    "What {label} would you like?",
    "I need the {label} first. What is it?",
)
REPLY_TEMPLATES = ("{value}.", "It's {value}.", "Use {value}.", "The {label} is {value}.", "Oh, {value}, sorry.")


def mask_parameter(task: Task, seed: Seed = 0) -> list[Task]:
    """5.4c: remove a required value from the request, so that the right move is to ask for it.

    A candidate is a required parameter whose accepted value (a string or a number, the same
    in every call of that function) appears in the last user message.  One is chosen at
    random; every occurrence is cut out of the message together with its surrounding
    preposition / unit words (:data:`LEFT_WORDS`, :data:`RIGHT_WORDS`).  Returns ``[]`` when
    there is no candidate or the value would still be in some user message; otherwise two tasks:

    1. ``<id>::miss_param`` (category ``multi_turn_miss_param``): the cut request, ground
       truth ``()`` (ask, do not call).  What the assistant should say is the question in
       the next task's assistant turn.
    2. ``<id>::miss_param_answered`` (``multi_turn_miss_param_answered``): the cut request, an
       assistant turn whose ``<think>`` asks for the value (``<answer>[]</answer>``), the
       user's reply with the value as originally written, and the original ground truth.
    """
    li = last_user(task)
    if li is None or not task.ground_truth:
        return []
    rng = task_rng(seed, task.id)
    query = task.messages[li]["content"]
    candidates = []
    for call in task.ground_truth:
        tool = task.tool(call.name)
        if tool is None:
            continue
        siblings = [c for c in task.ground_truth if c.name == call.name]
        for arg in tool.parameters.required:
            accepted = [a for a in call.args.get(arg, ()) if a != OPTIONAL]
            if (not accepted or any(type(a) not in (str, int, float) for a in accepted)
                    or any(c.args.get(arg) != call.args.get(arg) for c in siblings)):
                continue
            spans = _find_values(query, accepted)
            if spans:
                candidates.append((call.name, arg, accepted, spans))
    if not candidates:
        return []
    func, arg, accepted, spans = rng.choice(sorted(candidates, key=lambda c: (c[0], c[1])))
    s, e = spans[0]
    value_text = query[s - 1:e] if s > 0 and query[s - 1] == "$" else query[s:e]
    masked = _cut(query, spans)
    others = [m["content"] for j, m in enumerate(task.messages) if m["role"] == "user" and j != li]
    if not masked or any(_find_values(text, accepted) for text in (masked, *others)):
        return []
    label = arg.replace("_", " ")
    msgs = list(task.messages)
    msgs[li] = {**msgs[li], "content": masked}
    ask_task = replace(task, id=f"{task.id}::miss_param", messages=tuple(msgs), ground_truth=(),
                       category=AugCategory.MISS_PARAM.value)
    question = rng.choice(ASK_TEMPLATES).format(label=label)
    ask = assistant_turn([], f"{func} needs the {label}, which the request does not give, so I ask: {question}")
    reply = {"role": "user", "content": _cap(rng.choice(REPLY_TEMPLATES).format(value=value_text, label=label))}
    answered = replace(task, id=f"{task.id}::miss_param_answered", messages=(*msgs, ask, reply),
                       category=AugCategory.MISS_PARAM_ANSWERED.value)
    return [ask_task, answered]


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _value_forms(value: Any) -> list[str]:
    if type(value) is str:
        return [value] if value.strip() else []
    if type(value) is int:
        return [str(value)]
    forms = [f"{value:.2f}", repr(value), f"{value:g}"]
    if value == int(value):
        forms.append(str(int(value)))
    return list(dict.fromkeys(forms))


def _find_values(text: str, accepted: Sequence[Any]) -> list[tuple[int, int]]:
    """Spans (merged, sorted) where any accepted value is written as a whole word."""
    spans = []
    for value in accepted:
        for form in _value_forms(value):
            pattern = r"(?<![\w.])" + re.escape(form) + r"(?![\w]|[.,]\d)"
            spans.extend(m.span() for m in re.finditer(pattern, text, flags=re.IGNORECASE))
    merged: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def _cut(text: str, spans: Sequence[tuple[int, int]]) -> str:
    for s, e in reversed(spans):
        if s > 0 and text[s - 1] in "$#":
            s -= 1
        for _ in range(MAX_EXTRA_WORDS):
            m = re.search(r"(\S+)\s+$", text[:s])
            if not m or m.group(1).lower() not in LEFT_WORDS:
                break
            s = m.start()
        for _ in range(MAX_EXTRA_WORDS):
            m = re.match(r"\s+([\w-]+)", text[e:])
            if not m or m.group(1).lower() not in RIGHT_WORDS:
                break
            e += m.end()
        text = text[:s].rstrip() + " " + text[e:].lstrip()
    text = re.sub(r"\s+([,.;:?!])", r"\1", re.sub(r"\s{2,}", " ", text)).strip()
    return re.sub(r",\s*([,.;:?!])", r"\1", text)

