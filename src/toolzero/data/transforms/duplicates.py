"""5.5: drop duplicates within the training set, and training tasks whose query is in an evaluation set."""

from __future__ import annotations

import json
import logging
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from toolzero.data.report import LoadReport
from toolzero.schema import Task, ground_truth_to_json

log = logging.getLogger(__name__)

_NON_WORD = re.compile(r"[\W_]+")


def normalize_query(text: str) -> str:
    """Lower-case, punctuation (anything not a letter or digit) to spaces, whitespace collapsed."""
    return _NON_WORD.sub(" ", text.lower()).strip()


def _user_queries(task: Task) -> list[str]:
    return [m["content"] for m in task.messages if m["role"] == "user"]


def dedupe(records: Iterable[Task], report: LoadReport | None = None) -> list[Task]:
    """Keep the first of records equal in (normalised user queries, sorted tool names, ground truth).

    The ground truth is compared as JSON with sorted keys and calls in any order (parallel
    calls are unordered).  Dropped records are counted as ``duplicate`` in ``report``.
    """
    seen: dict[tuple[Any, ...], str] = {}
    out = []
    for t in records:
        gt = tuple(sorted(json.dumps(c, sort_keys=True, default=str) for c in ground_truth_to_json(t.ground_truth)))
        key = ("\n".join(normalize_query(q) for q in _user_queries(t)), tuple(sorted(x.name for x in t.tools)), gt)
        if key in seen:
            if report is not None:
                report.skip(t.id, f"duplicate: of {seen[key]}")
            continue
        seen[key] = t.id
        out.append(t)
        if report is not None:
            report.kept += 1
    return out


NEAR_NGRAM = 5  # near-duplicates: character n-grams of the normalised query ...
NEAR_JACCARD = 0.9  # ... with Jaccard similarity at least this (our choice, METHOD.md 5.5)


@dataclass(frozen=True)
class ContaminationHit:
    """A training query that matches an evaluation query.

    ``kind``: ``exact`` (equal after normalisation), ``token_set`` (same set of words) or
    ``near`` (character :data:`NEAR_NGRAM`-gram Jaccard >= :data:`NEAR_JACCARD`).
    """

    train_id: str
    eval_set: str
    eval_id: str
    kind: str
    similarity: float
    query: str


def _grams(s: str) -> frozenset[str]:
    n = NEAR_NGRAM
    return frozenset((s,)) if len(s) < n else frozenset(s[i:i + n] for i in range(len(s) - n + 1))


def _prefix_len(size: int) -> int:
    """Prefix-filtering bound: two sets with Jaccard >= t share an element among their first p (same order)."""
    return size - math.ceil(NEAR_JACCARD * size - 1e-9) + 1


class QueryIndex:
    """The user queries of evaluation sets, indexed for exact, token-set and near matching.

    Exact and token-set matches are hash lookups.  Near matches use prefix filtering
    (Chaudhuri et al. 2006; Bayardo et al. 2007): n-grams are ordered by how rare they are
    among the evaluation queries, each evaluation query is indexed under its first
    ``p = |G| - ceil(t |G|) + 1`` grams, and a query only meets the evaluation queries that
    share one of its own first ``p`` grams; candidates are then checked exactly.  This finds
    every pair with Jaccard >= t (no false negatives) while touching few candidates.
    """

    def __init__(self, eval_sets: Mapping[str, Iterable[Task]] | Iterable[Task]):
        items = eval_sets.items() if isinstance(eval_sets, Mapping) else (("", eval_sets),)
        self.exact: dict[str, tuple[str, str]] = {}
        self.tokens: dict[frozenset[str], tuple[str, str]] = {}
        for name, tasks in items:
            for t in tasks:
                for q in _user_queries(t):
                    norm = normalize_query(q)
                    if norm:
                        where = (name or t.category or t.source, t.id)
                        self.exact.setdefault(norm, where)
                        self.tokens.setdefault(frozenset(norm.split()), where)
        self.queries = list(self.exact)
        self.grams = [_grams(q) for q in self.queries]
        self.df = Counter(g for gs in self.grams for g in gs)
        self.postings: dict[str, list[int]] = {}
        for qi, gs in enumerate(self.grams):
            for g in sorted(gs, key=self._rank)[:_prefix_len(len(gs))]:
                self.postings.setdefault(g, []).append(qi)

    def __len__(self) -> int:
        return len(self.queries)

    def _rank(self, g: str) -> tuple[int, str]:
        return self.df.get(g, 0), g

    def match(self, query: str) -> tuple[str, str, str, float] | None:
        """``(kind, eval_set, eval_id, similarity)`` of the first match, or None."""
        norm = normalize_query(query)
        if not norm:
            return None
        if norm in self.exact:
            return ("exact", *self.exact[norm], 1.0)
        tokens = frozenset(norm.split())
        if tokens in self.tokens:
            return ("token_set", *self.tokens[tokens], 1.0)
        best = self._near(norm)
        if best is None:
            return None
        qi, sim = best
        return ("near", *self.exact[self.queries[qi]], sim)

    def _near(self, norm: str) -> tuple[int, float] | None:
        gs = _grams(norm)
        size, p = len(gs), _prefix_len(len(gs))
        known = [g for g in gs if g in self.df]
        unseen = size - len(known)
        if unseen >= p:  # the whole prefix is grams no evaluation query has
            return None
        candidates: set[int] = set()
        for g in sorted(known, key=self._rank)[:p - unseen]:
            candidates.update(self.postings.get(g, ()))
        best = None
        for qi in candidates:
            other = self.grams[qi]
            if not NEAR_JACCARD * size <= len(other) <= size / NEAR_JACCARD:
                continue
            inter = len(gs & other)
            sim = inter / (size + len(other) - inter)
            if sim >= NEAR_JACCARD and (best is None or sim > best[1]):
                best = (qi, sim)
        return best


def decontaminate(
    train: Iterable[Task], eval_sets: Mapping[str, Iterable[Task]] | Iterable[Task] | QueryIndex,
    report: LoadReport | None = None,
) -> tuple[list[Task], list[ContaminationHit]]:
    """Drop every training task with a user query that matches an evaluation query (METHOD.md 5.5).

    Args:
        train: the training tasks.
        eval_sets: evaluation tasks by set name, a plain list of tasks, or a prebuilt :class:`QueryIndex`.
        report: dropped tasks are counted as ``contaminated`` with the matched evaluation id.

    Returns:
        The kept tasks and one :class:`ContaminationHit` per dropped task.
    """
    index = eval_sets if isinstance(eval_sets, QueryIndex) else QueryIndex(eval_sets)
    kept, hits = [], []
    for t in train:
        hit = None
        for q in _user_queries(t):
            found = index.match(q)
            if found is not None:
                hit = ContaminationHit(t.id, found[1], found[2], found[0], found[3], q)
                break
        if hit is None:
            kept.append(t)
            if report is not None:
                report.kept += 1
            continue
        hits.append(hit)
        if report is not None:
            report.skip(t.id, f"contaminated: {hit.kind} match of {hit.eval_set}/{hit.eval_id}")
    if hits:
        log.info("decontamination removed %d of %d training tasks", len(hits), len(hits) + len(kept))
    return kept, hits

