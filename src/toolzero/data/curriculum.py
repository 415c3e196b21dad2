"""A curriculum over the synthetic set's difficulty levels (``data.curriculum`` in a recipe).

The synthetic generator builds tasks at difficulty levels (:data:`toolzero.data.synthetic.LEVELS`:
1 ``verbatim`` up to 4 ``rich``).  A :class:`Curriculum` says which levels a run trains on, in what
shares, and how they are scheduled over the optimizer steps:

* ``ordered``: the prompt stream goes through the levels in the order given, each level taking its
  share of the steps (the trainer reads the prompts in order: ``shuffle_dataset`` is turned off);
* ``mixed``: the levels' tasks are shuffled together and every step draws from all of them.

:meth:`Curriculum.arrange` puts the tasks in the order the trainer should read them and
:meth:`Curriculum.plan` says which steps see which level; a run records both in ``curriculum.json``.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from toolzero.schema import Task

ORDERS = ("ordered", "mixed")


@dataclass(frozen=True)
class Curriculum:
    """Levels to train on, their shares of the run, and the order they come in."""

    levels: tuple[int, ...]
    shares: tuple[float, ...]
    order: str = "ordered"

    def __post_init__(self) -> None:
        from toolzero.data.synthetic import LEVELS

        known = {lv.number for lv in LEVELS}
        if not self.levels:
            raise ValueError("a curriculum needs at least one level")
        unknown = [lv for lv in self.levels if lv not in known]
        if unknown:
            raise ValueError(f"unknown synthetic levels {unknown}; known: {sorted(known)}")
        if len(self.shares) != len(self.levels):
            raise ValueError(f"{len(self.shares)} shares for {len(self.levels)} levels")
        if any(s <= 0 for s in self.shares):
            raise ValueError(f"shares must be > 0, got {list(self.shares)}")
        if self.order not in ORDERS:
            raise ValueError(f"curriculum order must be one of {ORDERS}, got {self.order!r}")

    @classmethod
    def of(cls, levels: Sequence[int], shares: Sequence[float] | None = None, order: str = "ordered") -> Curriculum:
        """Equal shares unless given; shares are normalised to sum to 1."""
        raw = list(shares) if shares else [1.0] * len(levels)
        total = sum(raw) or 1.0
        return cls(tuple(levels), tuple(s / total for s in raw), order)

    def counts(self, n: int) -> list[int]:
        """How many of ``n`` records each level gets (largest remainders; sums to ``n``)."""
        exact = [s * n for s in self.shares]
        out = [int(x) for x in exact]
        for i in sorted(range(len(exact)), key=lambda i: out[i] - exact[i])[: n - sum(out)]:
            out[i] += 1
        return out

    def arrange(self, by_level: Mapping[int, Sequence[Task]], consumed: int, seed: int) -> list[Task]:
        """All tasks, in the order the trainer reads them.

        ``ordered``: the first ``consumed`` prompts (what the run reads: steps x prompts per step)
        go through the levels in order, each taking its share; the rest follow, shuffled.
        ``mixed``: everything shuffled together.
        """
        rng = random.Random(seed)
        pools = {lv: list(by_level.get(lv, ())) for lv in self.levels}
        for pool in pools.values():
            rng.shuffle(pool)
        if self.order == "mixed":
            out = [t for lv in self.levels for t in pools[lv]]
            rng.shuffle(out)
            return out
        head: list[Task] = []
        for lv, k in zip(self.levels, self.counts(consumed)):
            head.extend(pools[lv][:k])
            del pools[lv][:k]
        rest = [t for lv in self.levels for t in pools[lv]]
        rng.shuffle(rest)
        return head + rest

    def plan(self, steps: int, prompts_per_step: int) -> list[dict[str, Any]]:
        """Which optimizer steps see which level (``ordered``), or every level throughout (``mixed``)."""
        if self.order == "mixed":
            return [{"steps": [1, steps], "levels": list(self.levels), "shares": list(self.shares)}]
        out, first = [], 0
        for lv, k in zip(self.levels, self.counts(steps * prompts_per_step)):
            last = first + k
            out.append({"level": lv, "steps": [first // prompts_per_step + 1, max(first, last - 1) // prompts_per_step + 1],
                        "prompts": k})
            first = last
        return out

    def to_json(self) -> dict[str, Any]:
        return {"levels": list(self.levels), "shares": list(self.shares), "order": self.order}
