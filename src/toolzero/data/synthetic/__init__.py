"""The bundled default training set: synthetic tool-use tasks in BFCL's shapes (METHOD.md section 5).

    from toolzero.data.synthetic import generate
    tasks = generate(20_000, seed=0)           # deterministic from the seed
    easy = generate(5_000, seed=0, level=1)    # a difficulty level (curriculum), ids syn0_L1_<i>

Tools are built compositionally: a *service* (an invented product name, so that no function
name can collide with an evaluation set's) holds *entities* (flight, invoice, server, ...),
and each entity offers *actions* (search, get, create, update, cancel/delete, estimate).
``service.action_entity`` gives about 400 distinct functions over 22 domains.  Each
parameter is a slot that knows its schema, how to sample a value, how to say it in English
and which values the ground truth accepts; every parameter type occurs (string, integer,
number, boolean, enum, arrays of strings and of numbers, nested objects, arrays of objects,
optional parameters with and without defaults).

Shapes (``Task.category``): ``simple`` (1 tool, 1 call), ``multiple`` (2-4 tools, 1 call),
``parallel`` (one function called 2-3 times), ``parallel_multiple`` (2-3 different
functions) and ``irrelevance`` (no tool applies: answer ``[]``).  The ground truth accepts
each value as written in the query (dates also in ISO form, times also as ``HH:MM``);
optional parameters that the query does not mention accept ``""`` (omitted) and their
default, if any.

Difficulty levels (:data:`LEVELS`, :mod:`.levels`): ``level=None`` gives the set above, byte for
byte as before levels existed; 1 ``verbatim`` (one tool with one or two required parameters,
values written verbatim), 2 ``simple`` (one call, with or without distractors), 3 ``full`` (the
mix above) and 4 ``rich`` (4-6 arguments, units and conversions, dates and enums to normalise,
nested objects, unmentioned optionals that must be left out: the ``rich`` entities of the
catalogue files).  :func:`task_level` reads a task's level back from its id.

Modules: the catalogue is data (``catalogue/*.json``, read by :mod:`.services`); :mod:`.slots`
holds the parameter types, :mod:`.phrasing` the English, :mod:`.shapes` the task shapes and
:mod:`.levels` the levels.
"""

from toolzero.data.synthetic.levels import LEVELS, Level, get_level, task_level
from toolzero.data.synthetic.services import catalogue, function_names, rich_catalogue, verbatim_catalogue
from toolzero.data.synthetic.shapes import SHAPES, generate, tasks_by_id

__all__ = ["LEVELS", "SHAPES", "Level", "catalogue", "function_names", "generate", "get_level", "rich_catalogue",
           "task_level", "tasks_by_id", "verbatim_catalogue"]
