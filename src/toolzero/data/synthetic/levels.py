"""Difficulty levels of the synthetic set (a curriculum): what each level builds, and task ids.

    from toolzero.data.synthetic import LEVELS, generate, task_level
    easy = generate(1000, seed=0, level=1)     # ids syn0_L1_<i>; level=None: today's set, ids syn0_<i>

The table :data:`LEVELS` has one :class:`Level` per level, easiest first:

1. ``verbatim``: shape ``simple`` only, one tool with one or two parameters, all required and
   no optional ones in the schema, each value written in the query exactly as the call has it;
2. ``simple``: one call (``simple``, and ``multiple`` with distractor tools), the catalogue's
   functions, optional parameters sometimes mentioned;
3. ``full``: today's full mix (every shape of :data:`SHAPES`, :data:`SHAPE_WEIGHTS`); the same
   tasks as ``level=None``, under level ids;
4. ``rich``: the rich functions (``rich`` entities of the catalogue files): four to six arguments
   a call, numbers with units (some said in another unit: ``1.5 hours`` -> ``duration_minutes=90``),
   dates said in words and accepted only as ISO, enums said in words and accepted only as their
   code, nested objects, and optional parameters that the query does not mention, which the
   ground truth accepts only left out; mostly one call, some parallel ones;
5. ``verbatim_multi``: level 1's tools and verbatim values, but two or three calls a task: one
   tool called for two or three values (``parallel``) or two or three tools (``parallel_multiple``).
   A step between single calls and the full mix, whose multi-call tasks a model at level 1 never
   gets right (docs/results.md): the number is an id, not a rank; a curriculum orders the levels
   as its recipe lists them (e.g. ``[1, 5, 2, 3]``);
6. ``verbatim_wide``: one call of any catalogue function (not only level 1's cut-down ones) with two
   to four arguments stated, every value written as the call has it (ISO dates, digits), the
   optional parameters left unmentioned (the schema lists them; a correct call leaves them out).
   Between level 1 (one or two arguments) and level 2 (values to normalise): the runs of
   docs/results.md learned to write one argument, whatever the query stated.

Which functions a level uses (``Level.functions``): ``catalogue``
(:func:`~toolzero.data.synthetic.services.catalogue`), ``verbatim``
(:func:`~toolzero.data.synthetic.services.verbatim_catalogue`), ``plain`` (the catalogue, values
written as the call has them, no optional mentioned) or ``rich``
(:func:`~toolzero.data.synthetic.services.rich_catalogue`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from toolzero.schema import Task

SHAPES = ("simple", "multiple", "parallel", "parallel_multiple", "irrelevance")
SHAPE_WEIGHTS = (0.30, 0.25, 0.15, 0.15, 0.15)  # our choice: roughly BFCL's non-live mix, irrelevance included
FUNCTION_SETS = ("catalogue", "verbatim", "plain", "rich")
VERBATIM_SETS = ("verbatim", "plain")  # every stated value must stand in the query as the call has it


@dataclass(frozen=True)
class Level:
    """One difficulty level: its number and name, and what it builds.

    Attributes:
        number: its id, in task ids (``syn<seed>_L<number>_<i>``); 1 to 4 rise in difficulty, 5 and 6 came later.
        name: a short name (``generate`` takes it too).
        description: one line.
        shapes: the task shapes (``Task.category``) drawn, with ``weights``.
        weights: relative weights of ``shapes``.
        functions: the functions the tasks use: one of :data:`FUNCTION_SETS`.
        min_stated: the fewest arguments each call of a task states (0: no minimum).
    """

    number: int
    name: str
    description: str
    shapes: tuple[str, ...]
    weights: tuple[float, ...]
    functions: str = "catalogue"
    min_stated: int = 0

    def __post_init__(self) -> None:
        if len(self.shapes) != len(self.weights) or not set(self.shapes) <= set(SHAPES):
            raise ValueError(f"level {self.number}: shapes {self.shapes} must be of {SHAPES}, one weight each")
        if self.functions not in FUNCTION_SETS:
            raise ValueError(f"level {self.number}: functions must be one of {FUNCTION_SETS}, got {self.functions!r}")


LEVELS: tuple[Level, ...] = (
    Level(1, "verbatim", "one tool, one call, one or two required parameters, every value written verbatim in the query",
          ("simple",), (1.0,), "verbatim"),
    Level(2, "simple", "one call, with or without distractor tools; optional parameters sometimes mentioned",
          ("simple", "multiple"), SHAPE_WEIGHTS[:2]),
    Level(3, "full", "today's full mix: all five BFCL shapes, irrelevance included", SHAPES, SHAPE_WEIGHTS),
    Level(4, "rich", "4-6 arguments: units and conversions, dates and enums to normalise, nested objects, "
          "unmentioned optionals left out", ("simple", "multiple", "parallel", "parallel_multiple"),
          (0.35, 0.35, 0.15, 0.15), "rich"),
    Level(5, "verbatim_multi", "two or three calls of level 1's tools, every value written verbatim in the query",
          ("parallel", "parallel_multiple"), (0.5, 0.5), "verbatim"),
    Level(6, "verbatim_wide", "one call of any catalogue function, 2-4 arguments stated, every value written as the call "
          "has it, optionals left out", ("simple", "multiple"), SHAPE_WEIGHTS[:2], "plain", min_stated=2),
)


def get_level(level: int | str | Level) -> Level:
    """The level with this number or name (a :class:`Level` passes through).

    >>> get_level(1).name, get_level("rich").number
    ('verbatim', 4)
    """
    if isinstance(level, Level):
        return level
    for lv in LEVELS:
        if level in (lv.number, lv.name) and type(level) is not bool:
            return lv
    known = ", ".join(f"{lv.number} ({lv.name})" for lv in LEVELS)
    raise ValueError(f"unknown level {level!r}; known: {known}")


def task_id(seed: int, level: int | None, i: int) -> str:
    """``syn<seed>_<i>`` (no level) or ``syn<seed>_L<level>_<i>``."""
    return f"syn{seed}_{i}" if level is None else f"syn{seed}_L{level}_{i}"


_LEVEL_ID = re.compile(r"syn(-?\d+)_L(\d+)_(\d+)")


def parse_task_id(task_id: str) -> tuple[int, int, int] | None:
    """``(seed, level, index)`` of a levelled synthetic task id; None for any other id.

    >>> parse_task_id("syn3_L2_17"), parse_task_id("syn3_17")
    ((3, 2, 17), None)
    """
    m = _LEVEL_ID.fullmatch(task_id)
    return (int(m[1]), int(m[2]), int(m[3])) if m else None


def task_level(task: Task | str) -> int | None:
    """The level a synthetic task (or task id) was generated at; None for ``level=None`` and other tasks.

    >>> task_level("syn3_L2_17"), task_level("syn3_17"), task_level("bfcl_simple_1")
    (2, None, None)
    """
    parsed = parse_task_id(task if isinstance(task, str) else task.id)
    return parsed[1] if parsed else None
