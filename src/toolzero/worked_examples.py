"""In-context worked examples: a prompt-style option against the cold start (``PromptStyle.examples``).

A small model that has never seen the output format rarely writes a first correct call, and GRPO
gets no signal from groups that all score the same.  A worked example or three in the prompt
shows the whole shape once: a question, a short thought, the answer block.

The examples are written for this purpose, in a domain that appears in no evaluation set and no
training source we ship (a pottery studio's kilns, service "Emberline": no BFCL item, no file
under ``../shared/data`` and no synthetic catalogue entry mentions a kiln; the tests check it, and
that no example query is caught by the BFCL decontamination index).  Their tools are shown with
the style's own tools rendering and their answers written in the style's own output format, so
an example looks exactly like what the model is asked to write.

Sets (:data:`WORKED_EXAMPLES`): ``one`` (a single call), ``two`` (a single call, and the same function
called twice), ``three`` (those two and a question no function can answer: the answer with no
call) and ``mixed`` (``two`` with one dotted name, ``emberline.book_firing``, and one plain name,
``get_kiln_temperature``: real APIs, BFCL's and the synthetic catalogue's use both, and a model shown
only ``emberline_*`` names dropped or rewrote the service prefix of ``ledgerly.get_expense``).
Measured on SmolLM2-135M (``docs/results.md``): with ``three``, GG-GRPO from the start model learned
the format in 5 steps by answering ``[]`` to everything (the easiest format-correct answer in the prompt),
so the cold-start recipes use ``two``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from toolzero.schema import Task, ToolCall


@dataclass(frozen=True)
class WorkedExample:
    """A question, the tools it is asked with, a short thought and the calls that answer it."""

    task: Task
    thought: str
    calls: tuple[ToolCall, ...]


_BOOK = {
    "name": "emberline_book_firing",
    "description": "Book a firing of one kiln in the Emberline pottery studio.",
    "parameters": {
        "type": "dict",
        "properties": {
            "kiln_id": {"type": "string", "description": "The kiln, e.g. KL-3."},
            "program": {"type": "string", "enum": ["bisque", "glaze", "raku"], "description": "The firing program."},
            "start_time": {"type": "string", "description": "When to start, HH:MM (default: the next free slot)."},
        },
        "required": ["kiln_id", "program"],
    },
}
_TEMPERATURE = {
    "name": "emberline_get_kiln_temperature",
    "description": "The current temperature of one kiln, in degrees Celsius.",
    "parameters": {
        "type": "dict",
        "properties": {"kiln_id": {"type": "string", "description": "The kiln, e.g. KL-3."}},
        "required": ["kiln_id"],
    },
}


def _example(eid: str, tools: list[dict[str, Any]], query: str, thought: str, calls: list[ToolCall]) -> WorkedExample:
    task = Task.from_json({"id": f"worked_{eid}", "source": "worked_examples", "tools": tools,
                           "messages": [{"role": "user", "content": query}], "ground_truth": [],
                           "category": "example"})
    return WorkedExample(task, thought, tuple(calls))


def _single(eid: str, book: dict[str, Any], temperature: dict[str, Any]) -> WorkedExample:
    """A single call of ``book`` (``temperature`` is listed beside it, not called)."""
    name = book["name"]
    return _example(eid, [book, temperature], "Please book kiln KL-7 for a bisque firing.",
                    f"The user wants a bisque firing in kiln KL-7: {name} with kiln_id and program.",
                    [ToolCall(name, {"kiln_id": "KL-7", "program": "bisque"})])


def _twice(eid: str, temperature: dict[str, Any]) -> WorkedExample:
    """The same function called twice, once per kiln."""
    name = temperature["name"]
    return _example(eid, [temperature], "How hot are kilns KL-2 and KL-5 right now?",
                    f"Two kilns, so two calls of {name}, one per kiln_id.",
                    [ToolCall(name, {"kiln_id": "KL-2"}), ToolCall(name, {"kiln_id": "KL-5"})])


SINGLE = _single("single", _BOOK, _TEMPERATURE)
TWICE = _twice("twice", _TEMPERATURE)
NO_CALL = _example(
    "no_call", [_TEMPERATURE], "Order 20 kg of stoneware clay for the studio.",
    "None of the functions can order clay, so no call.",
    [],
)

_BOOK_DOTTED = {**_BOOK, "name": "emberline.book_firing"}
_TEMPERATURE_PLAIN = {**_TEMPERATURE, "name": "get_kiln_temperature"}
SINGLE_DOTTED = _single("single_dotted", _BOOK_DOTTED, _TEMPERATURE_PLAIN)
TWICE_PLAIN = _twice("twice_plain", _TEMPERATURE_PLAIN)

# Named sets of worked examples (``PromptStyle.examples``); "" means none.
WORKED_EXAMPLES: dict[str, tuple[WorkedExample, ...]] = {
    "one": (SINGLE,),
    "two": (SINGLE, TWICE),
    "three": (SINGLE, TWICE, NO_CALL),
    "mixed": (SINGLE_DOTTED, TWICE_PLAIN),
}


def get_examples(name: str) -> tuple[WorkedExample, ...]:
    """The set called ``name`` (``""``: none); unknown names list the known ones."""
    if not name:
        return ()
    try:
        return WORKED_EXAMPLES[name]
    except KeyError:
        raise ValueError(f"unknown worked-examples set {name!r}; known: {', '.join(WORKED_EXAMPLES)}") from None
