"""Task shapes of the synthetic set, and :func:`generate` (at a difficulty level of :mod:`.levels`)."""

from __future__ import annotations

import logging
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from toolzero.data.synthetic.levels import (
    SHAPE_WEIGHTS,
    SHAPES,
    VERBATIM_SETS,
    Level,
    get_level,
    parse_task_id,
    task_id,
)
from toolzero.data.synthetic.phrasing import clause, join_words, sentence, update_clause
from toolzero.data.synthetic.services import (
    RICH_ARGS,
    Catalogue,
    Function,
    catalogue,
    rich_catalogue,
    verbatim_catalogue,
)
from toolzero.data.synthetic.slots import Ident, Slot
from toolzero.data.transforms import normalize_query
from toolzero.schema import OPTIONAL, ExpectedCall, Task

log = logging.getLogger(__name__)

SOURCE = "synthetic"
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


MentionPolicy = Callable[[Function, list[Slot], random.Random], set[str]]


def _rich_mention(fn: Function, optional: list[Slot], rng: random.Random) -> set[str]:
    """The rich level's optional parameters to set: as many as make the call's arguments 4 to 6."""
    lo, hi = RICH_ARGS
    n_req = len(fn.params) - len(optional)
    k = rng.randint(max(0, lo - n_req), min(len(optional), hi - n_req))
    return {s.name for s in rng.sample(optional, k)}


@dataclass(frozen=True, eq=False)
class Pool:
    """The functions a level builds from, and how a query fills their parameters.

    Attributes:
        cat: the functions.
        plain: values written as the call has them (no number words, dates in ISO form).
        mention: which optional parameters a query sets; None: each with :data:`MENTION_OPTIONAL_P`.
        vary_ident: the calls of a parallel query differ in an identifier when the tool has one
            (``cancel LAB-1 and LAB-2``), not in a free text (``because A and B``).
    """

    cat: Catalogue
    plain: bool = False
    mention: MentionPolicy | None = None
    vary_ident: bool = False

    def calls(self, fn: Function, rng: random.Random, k: int = 1) -> tuple[str, list[ExpectedCall]]:
        return _calls(fn, rng, k, plain=self.plain, mention_policy=self.mention, vary_ident=self.vary_ident)


def _calls(fn: Function, rng: random.Random, k: int = 1, *, plain: bool = False,
           mention_policy: MentionPolicy | None = None, vary_ident: bool = False) -> tuple[str, list[ExpectedCall]]:
    """A clause and ``k`` expected calls of ``fn``; with k > 1 the calls differ in one required value."""
    vary = None
    if k > 1:
        can = [s for s, req in fn.params if req and s.can_vary]
        if vary_ident:
            can = [s for s in can if isinstance(s, Ident)] or can
        vary = rng.choice(can)
    texts: dict[str, str] = {}
    shared: dict[str, tuple[Any, ...]] = {}
    varied: list[dict[str, tuple[Any, ...]]] = [{} for _ in range(k)]
    optional = [s for s, req in fn.params if not req]
    if mention_policy is None:
        mention = {s.name for s in optional if rng.random() < MENTION_OPTIONAL_P}
    else:
        mention = mention_policy(fn, optional, rng)
    if fn.action == "update" and not mention:  # an update must change something
        mention.add(rng.choice(optional).name)
    for slot, req in fn.params:
        if slot is vary:
            rendered = [slot.render(v, rng, plain=True) for v in _sample_distinct(slot, rng, k)]
            texts[slot.name] = join_words([t for t, _ in rendered])
            for i, (_, acc) in enumerate(rendered):
                varied[i][slot.name] = acc
        elif req or slot.name in mention:
            texts[slot.name], shared[slot.name] = slot.render(slot.sample(rng), rng, plain=plain)
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


def _simple(pool: Pool, rng: random.Random) -> Built:
    fn = rng.choice(pool.cat.functions)
    text, calls = pool.calls(fn, rng)
    return sentence([text], rng), [fn], calls


def _multiple(pool: Pool, rng: random.Random) -> Built:
    cat = pool.cat
    fn = rng.choice(cat.functions)
    text, calls = pool.calls(fn, rng)
    tools = [fn, *_distractors(cat, fn, rng.randint(1, 3), rng)]
    rng.shuffle(tools)
    return sentence([text], rng), tools, calls


def _parallel(pool: Pool, rng: random.Random) -> Built:
    fn = rng.choice(pool.cat.parallel)
    text, calls = pool.calls(fn, rng, k=rng.choice((2, 2, 3)))
    return sentence([text], rng), [fn], calls


def _parallel_multiple(pool: Pool, rng: random.Random) -> Built:
    cat = pool.cat
    first = rng.choice(cat.functions)
    fns = [first, *_distractors(cat, first, rng.randint(1, 2), rng)]
    texts, calls = [], []
    for fn in fns:
        text, c = pool.calls(fn, rng)
        texts.append(text)
        calls.extend(c)
    tools = list(fns)
    if rng.random() < 0.3:
        tools.extend(_distractors(cat, first, 1, rng)[0:1])
        tools = list(dict.fromkeys(tools))
    rng.shuffle(tools)
    return sentence(texts, rng), tools, calls


def _irrelevance(pool: Pool, rng: random.Random) -> Built:
    cat = pool.cat
    fn = rng.choice(cat.functions)
    text, _ = pool.calls(fn, rng)
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


BUILDERS: dict[str, Callable[[Pool, random.Random], Built]] = {
    "simple": _simple, "multiple": _multiple, "parallel": _parallel,
    "parallel_multiple": _parallel_multiple, "irrelevance": _irrelevance,
}


def level_pool(functions: str = "catalogue") -> Pool:
    """The :class:`Pool` of a level's ``functions`` (``Level.functions``)."""
    if functions == "verbatim":
        return Pool(verbatim_catalogue(), plain=True, vary_ident=True)  # k > 1 only at level 5: level 1 unchanged
    if functions == "plain":
        return Pool(catalogue(), plain=True, mention=_mention_none, vary_ident=True)
    if functions == "rich":
        return Pool(rich_catalogue(), mention=_rich_mention)
    if functions == "catalogue":
        return Pool(catalogue())
    raise ValueError(f"unknown function set {functions!r}")


def _mention_none(fn: Function, optional: list[Slot], rng: random.Random) -> set[str]:
    """The ``plain`` functions' mention policy: no optional parameter is mentioned (all are left out)."""
    return set()


def _stated(call: ExpectedCall) -> list[tuple[Any, ...]]:
    """The accepted values of the arguments a call states (those it may not leave out)."""
    return [acc for acc in call.args.values() if OPTIONAL not in acc]


def _verbatim(query: str, calls: list[ExpectedCall], min_stated: int = 0) -> bool:
    """Is every stated value of the calls written in the query as the call has it, and does each call state
    at least ``min_stated`` arguments?"""
    return all(len(_stated(c)) >= min_stated and all(len(acc) == 1 and str(acc[0]) in query for acc in _stated(c))
               for c in calls)


def generate(n: int, seed: int = 0, level: int | str | Level | None = None) -> list[Task]:
    """``n`` synthetic tasks, deterministic from ``seed``; queries are distinct.

    Args:
        n: how many tasks.
        seed: random seed; the same seed gives the same tasks.
        level: a difficulty level of :data:`~toolzero.data.synthetic.levels.LEVELS` (its number or
            name); None: the full mix, as before levels existed (the same tasks as level 3).

    Returns:
        Tasks with ``source="synthetic"``, ``category`` one of :data:`SHAPES`, ids ``syn<seed>_<i>``
        (``syn<seed>_L<level>_<i>`` at a level).
    """
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    lv = None if level is None else get_level(level)
    shapes, weights = (SHAPES, SHAPE_WEIGHTS) if lv is None else (lv.shapes, lv.weights)
    src = level_pool("catalogue" if lv is None else lv.functions)
    verbatim = lv is not None and lv.functions in VERBATIM_SETS
    rng = random.Random(seed)
    seen: set[str] = set()
    tasks = []
    for i in range(n):
        shape = rng.choices(shapes, weights)[0]
        for _ in range(MAX_RETRIES):
            query, fns, calls = BUILDERS[shape](src, rng)
            key = normalize_query(query)
            if key not in seen and (not verbatim or _verbatim(query, calls, lv.min_stated)):  # type: ignore[union-attr]
                break
        else:
            raise RuntimeError(f"could not generate a new {shape} query after {MAX_RETRIES} tries")
        seen.add(key)
        tasks.append(Task(id=task_id(seed, None if lv is None else lv.number, i), source=SOURCE,
                          tools=tuple(f.tool for f in fns), messages=({"role": "user", "content": query},),
                          ground_truth=tuple(calls), category=shape))
    log.info("generated %d synthetic tasks (seed %d, level %s)", n, seed, "none" if lv is None else lv.name)
    return tasks


def tasks_by_id(ids: Iterable[str]) -> dict[str, Task]:
    """The levelled synthetic tasks with these ids (``syn<seed>_L<level>_<i>``), generated again.

    Task ``i`` of a seed and level does not depend on how many were generated, so a run's tasks
    can be read back from the ids in its rollouts, as this version of the generator builds them.
    Other ids, and ids of unknown levels, are left out.
    """
    ids = set(ids)
    want: dict[tuple[int, int], int] = {}
    for i in ids:
        parsed = parse_task_id(i)
        if parsed is not None:
            seed, level, index = parsed
            want[seed, level] = max(want.get((seed, level), 0), index + 1)
    out: dict[str, Task] = {}
    for (seed, level), n in want.items():
        try:
            out.update((t.id, t) for t in generate(n, seed, level))
        except ValueError:  # a level this version does not know
            log.warning("synthetic level %d is unknown: its tasks are left out", level)
    return {i: t for i, t in out.items() if i in ids}
