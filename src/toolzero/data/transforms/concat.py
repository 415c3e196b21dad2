"""5.4a: join related dialogues into one conversation."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import replace

from toolzero.calls.render import reference_calls
from toolzero.data.transforms.common import AugCategory, Seed, assistant_turn, task_rng, tool_results
from toolzero.data.transforms.duplicates import normalize_query
from toolzero.schema import Task

MAX_PARTNER_TRIES = 20  # random probes of the tool index per task before giving up


def concat_dialogues(tasks: Sequence[Task], seed: Seed = 0, turns: int = 2) -> list[Task]:
    """5.4a: join related dialogues into one conversation (one output per task that finds partners).

    For each task (the *final* one), ``turns - 1`` partner tasks are drawn from the same
    ``source`` that share a tool name with the final task or an already chosen partner (the
    same name must mean the same schema, and queries must differ).  The conversation is:
    each partner's messages, then an assistant turn with the partner's answer (its first
    accepted values; ``[]`` for no call) and one placeholder tool result per call; then the
    final task's messages.  Tools: the final task's, then the partners' others.  Ground
    truth: the final task's.  Id ``<final>::concat[<partner ids>]``, category ``multi_turn_concat``.
    """
    if turns < 2:
        raise ValueError(f"turns must be >= 2, got {turns}")
    index: dict[tuple[str, str], list[int]] = {}
    for i, t in enumerate(tasks):
        for tool in t.tools:
            index.setdefault((t.source, tool.name), []).append(i)
    out = []
    for i, final in enumerate(tasks):
        if not final.tools:
            continue
        rng = task_rng(seed, final.id)
        partners = _find_partners(tasks, index, i, turns - 1, rng)
        if partners is not None:
            out.append(_concatenate([tasks[j] for j in partners], final))
    return out


def _find_partners(tasks: Sequence[Task], index: Mapping[tuple[str, str], list[int]], i: int, k: int,
                   rng: random.Random) -> list[int] | None:
    final = tasks[i]
    tools = {t.name: t for t in final.tools}
    queries = {normalize_query(m["content"]) for m in final.messages if m["role"] == "user"}
    chosen: list[int] = []
    for _ in range(MAX_PARTNER_TRIES * k):
        if len(chosen) == k:
            break
        posting = index[(final.source, rng.choice(sorted(tools)))]
        j = rng.choice(posting)
        cand = tasks[j]
        if j == i or j in chosen or any(tools.get(t.name, t) != t for t in cand.tools):
            continue
        q = {normalize_query(m["content"]) for m in cand.messages if m["role"] == "user"}
        if q & queries:
            continue
        chosen.append(j)
        queries |= q
        tools.update({t.name: t for t in cand.tools})
    return chosen if len(chosen) == k else None


def _concatenate(partners: Sequence[Task], final: Task) -> Task:
    system = [m for t in (*partners, final) for m in t.messages if m["role"] == "system"]
    messages: list[dict[str, str]] = list(dict((m["content"], m) for m in system).values())
    for p in partners:
        calls = reference_calls(p.ground_truth, keep_optional=True)
        messages.extend(m for m in p.messages if m["role"] != "system")
        messages.append(assistant_turn(calls))
        messages.extend(tool_results(calls))
    messages.extend(m for m in final.messages if m["role"] != "system")
    tools = {t.name: t for t in final.tools}
    for p in partners:
        for t in p.tools:
            tools.setdefault(t.name, t)
    return replace(final, id=f"{final.id}::concat[{','.join(p.id for p in partners)}]", tools=tuple(tools.values()),
                   messages=tuple(messages), category=AugCategory.CONCAT.value)

