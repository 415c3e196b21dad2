"""Task shapes of the synthetic set, and :func:`generate`."""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from typing import Any

from toolzero.data.synthetic.phrasing import clause, join_words, sentence, update_clause
from toolzero.data.synthetic.services import Catalogue, Function, catalogue
from toolzero.data.synthetic.slots import Slot
from toolzero.data.transforms import normalize_query
from toolzero.schema import ExpectedCall, Task

log = logging.getLogger(__name__)

SOURCE = "synthetic"
SHAPES = ("simple", "multiple", "parallel", "parallel_multiple", "irrelevance")
SHAPE_WEIGHTS = (0.30, 0.25, 0.15, 0.15, 0.15)  # our choice: roughly BFCL's non-live mix, irrelevance included
MENTION_OPTIONAL_P = 0.45  # chance that the query sets a given optional parameter
HARD_IRRELEVANCE_P = 0.3  # irrelevance whose distractors are the same entity's other actions
MAX_RETRIES = 30  # resample a record whose query was already generated (queries are kept distinct)


def _sample_distinct(slot: Slot, rng: random.Random, k: int) -> list[Any]:
    values: list[Any] = []
    for _ in range(50 * k):
        v = slot.sample(rng)
        if v not in values:
            values.append(v)
            if len(values) == k:
                return values
    raise ValueError(f"slot {slot.name} cannot give {k} distinct values")


def _calls(fn: Function, rng: random.Random, k: int = 1) -> tuple[str, list[ExpectedCall]]:
    """A clause and ``k`` expected calls of ``fn``; with k > 1 the calls differ in one required value."""
    vary = None
    if k > 1:
        vary = rng.choice([s for s, req in fn.params if req and s.can_vary])
    texts: dict[str, str] = {}
    shared: dict[str, tuple[Any, ...]] = {}
    varied: list[dict[str, tuple[Any, ...]]] = [{} for _ in range(k)]
    optional = [s for s, req in fn.params if not req]
    mention = {s.name for s in optional if rng.random() < MENTION_OPTIONAL_P}
    if fn.action == "update" and not mention:  # an update must change something
        mention.add(rng.choice(optional).name)
    for slot, req in fn.params:
        if slot is vary:
            rendered = [slot.render(v, rng, plain=True) for v in _sample_distinct(slot, rng, k)]
            texts[slot.name] = join_words([t for t, _ in rendered])
            for i, (_, acc) in enumerate(rendered):
                varied[i][slot.name] = acc
        elif req or slot.name in mention:
            texts[slot.name], shared[slot.name] = slot.render(slot.sample(rng), rng)
        else:
            shared[slot.name] = slot.omitted()
    order = [s.name for s, _ in fn.params]
    calls = [ExpectedCall(fn.name, {n: (v[n] if n in v else shared[n]) for n in order}) for v in varied]
    if fn.action == "update":
        ident = fn.entity.ident.name
        values = {n: t for n, t in texts.items() if n != ident}
        return update_clause(fn, values, texts[ident], rng, k > 1), calls
    return clause(fn, texts, rng, k > 1), calls


Built = tuple[str, list[Function], list[ExpectedCall]]  # query, tools, expected calls


def _distractors(cat: Catalogue, target: Function, k: int, rng: random.Random) -> list[Function]:
    """Up to ``k`` other functions: half from the same service (harder), the rest from anywhere."""
    same = [f for f in cat.by_service[target.service.name] if f is not target]
    out: list[Function] = []
    while len(out) < k:
        pool = same if same and rng.random() < 0.5 else cat.functions
        f = rng.choice(pool)
        if f is not target and f not in out:
            out.append(f)
    return out


def _simple(cat: Catalogue, rng: random.Random) -> Built:
    fn = rng.choice(cat.functions)
    text, calls = _calls(fn, rng)
    return sentence([text], rng), [fn], calls


def _multiple(cat: Catalogue, rng: random.Random) -> Built:
    fn = rng.choice(cat.functions)
    text, calls = _calls(fn, rng)
    tools = [fn, *_distractors(cat, fn, rng.randint(1, 3), rng)]
    rng.shuffle(tools)
    return sentence([text], rng), tools, calls


def _parallel(cat: Catalogue, rng: random.Random) -> Built:
    fn = rng.choice(cat.parallel)
    text, calls = _calls(fn, rng, k=rng.choice((2, 2, 3)))
    return sentence([text], rng), [fn], calls


def _parallel_multiple(cat: Catalogue, rng: random.Random) -> Built:
    first = rng.choice(cat.functions)
    fns = [first, *_distractors(cat, first, rng.randint(1, 2), rng)]
    texts, calls = [], []
    for fn in fns:
        text, c = _calls(fn, rng)
        texts.append(text)
        calls.extend(c)
    tools = list(fns)
    if rng.random() < 0.3:
        tools.extend(_distractors(cat, first, 1, rng)[0:1])
        tools = list(dict.fromkeys(tools))
    rng.shuffle(tools)
    return sentence(texts, rng), tools, calls


def _irrelevance(cat: Catalogue, rng: random.Random) -> Built:
    fn = rng.choice(cat.functions)
    text, _ = _calls(fn, rng)
    siblings = [f for f in cat.by_entity[f"{fn.service.name}/{fn.entity.key}"] if f.action != fn.action]
    if siblings and rng.random() < HARD_IRRELEVANCE_P:  # same entity, other actions: none can do this one
        tools = rng.sample(siblings, min(len(siblings), rng.randint(1, 3)))
    else:  # other domains only, so that nothing nearby could serve
        tools, want = [], rng.randint(1, 3)
        while len(tools) < want:
            f = rng.choice(cat.functions)
            if f.service.domain != fn.service.domain and f not in tools:
                tools.append(f)
    return sentence([text], rng), tools, []


BUILDERS: dict[str, Callable[[Catalogue, random.Random], Built]] = {
    "simple": _simple, "multiple": _multiple, "parallel": _parallel,
    "parallel_multiple": _parallel_multiple, "irrelevance": _irrelevance,
}


def generate(n: int, seed: int = 0) -> list[Task]:
    """``n`` synthetic tasks, deterministic from ``seed``; queries are distinct.

    Args:
        n: how many tasks.
        seed: random seed; the same seed gives the same tasks.

    Returns:
        Tasks with ``source="synthetic"``, ``category`` one of :data:`SHAPES`, ids ``syn<seed>_<i>``.
    """
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    cat = catalogue()
    rng = random.Random(seed)
    seen: set[str] = set()
    tasks = []
    for i in range(n):
        shape = rng.choices(SHAPES, SHAPE_WEIGHTS)[0]
        for _ in range(MAX_RETRIES):
            query, fns, calls = BUILDERS[shape](cat, rng)
            key = normalize_query(query)
            if key not in seen:
                break
        else:
            raise RuntimeError(f"could not generate a new {shape} query after {MAX_RETRIES} tries")
        seen.add(key)
        tasks.append(Task(id=f"syn{seed}_{i}", source=SOURCE, tools=tuple(f.tool for f in fns),
                          messages=({"role": "user", "content": query},), ground_truth=tuple(calls), category=shape))
    log.info("generated %d synthetic tasks (seed %d)", n, seed)
    return tasks
