"""The decode step: a completion and its task -> the calls, in the task's language, ready to match.

Every scorer goes through :func:`decode` (BFCL single-turn, the cross-benchmarks, the training
probe, ``toolzero signal``), so an answer is read one way everywhere:

1. the output format's parser splits the completion (:mod:`toolzero.calls.formats`);
2. the calls are read as BFCL's decoder reads them: for a format whose answer is call source
   (``gg``) the answer text, leniently (a bare name is a string, one call without brackets is
   fine); Java / JavaScript answers with BFCL's Java / JavaScript decoder, values as source
   text; the peers' JSON calls as parsed (printed and decoded again for Java / JavaScript);
3. for Java / JavaScript, each value is converted by its parameter's type, as BFCL's checker
   does (:func:`toolzero.calls.langs.convert_calls`).

The matcher (:func:`toolzero.calls.match.match_calls`) then compares plain calls and knows
nothing of formats or languages.
"""

from __future__ import annotations

from dataclasses import dataclass

from toolzero.calls.formats import OutputFormat, get_format
from toolzero.calls.match import MatchResult, match_calls
from toolzero.calls.parse import CallSyntaxError, ParsedCompletion, parse_call_list
from toolzero.calls.relevance import makes_call
from toolzero.calls.render import render_calls
from toolzero.schema import Task, ToolCall


@dataclass(frozen=True)
class Decoded:
    """What a completion says, read for one task.

    Attributes:
        parsed: the format parser's view (think, answer, format_ok, reason).
        answer: the answer text (``None`` when the completion has no answer block).
        calls: the calls as read (Java / JavaScript values still source text): what a run records.
        typed: ``calls`` in the task's language, ready for the matcher (``calls`` for Python).
        error: why ``calls`` is ``None`` ("" otherwise).
        bfcl_text: the answer as BFCL's own decoder is given it (``""`` when there is none).
        made_call: whether BFCL's relevance checker counts a call as made.
    """

    parsed: ParsedCompletion
    answer: str | None
    calls: tuple[ToolCall, ...] | None
    typed: tuple[ToolCall, ...] | None
    error: str
    bfcl_text: str
    made_call: bool


def decode(completion: str, task: Task | None = None, output_format: str | OutputFormat = "gg",
           language: str | None = None) -> Decoded:
    """Read ``completion`` for ``task`` (its language and tools) in ``output_format``.

    ``language`` overrides the task's (``task`` may then be ``None``: no type conversion).
    """
    fmt = get_format(output_format)
    lang = language or (task.language if task is not None else "python")
    parsed = fmt.parse(completion)
    if fmt.answer_is_source:
        answer = parsed.answer
        try:
            calls = _read_source(answer or "", lang)
            error = ""
        except CallSyntaxError as e:
            calls, error = None, (parsed.reason if answer is None else f"unparsable: {e}")
        bfcl_text, made = answer or "", makes_call(answer)
    else:
        answer, calls, error = parsed.answer, parsed.calls, parsed.reason if parsed.calls is None else ""
        bfcl_text = render_calls(calls) if calls is not None else ""
        made = bool(calls)
        if calls is not None and lang != "python":
            try:
                calls = _read_source(bfcl_text, lang)
            except CallSyntaxError as e:
                calls, error = None, f"unparsable: {e}"
    typed = calls
    if calls is not None and lang != "python" and task is not None:
        from toolzero.calls.langs import convert_calls

        typed = tuple(convert_calls(calls, {t.name: t for t in task.tools}, lang))
    return Decoded(parsed, answer, calls, typed, error, bfcl_text, made)


def _read_source(text: str, language: str) -> tuple[ToolCall, ...]:
    """Call source text as BFCL's decoder for ``language`` reads it."""
    if language != "python":
        from toolzero.calls.langs import decode_calls

        return decode_calls(text, language)
    return parse_call_list(text, allow_names=True, require_list=False)


def strict_match(parsed: ParsedCompletion, task: Task) -> MatchResult | None:
    """The format parser's own calls (literal values, as the rewards read them) against the task's
    ground truth; None when the completion has no readable calls.  The probe and ``toolzero signal``
    count a strict hit this way (eval reads answers as BFCL's decoder does: :func:`decode`)."""
    if parsed.calls is None:
        return None
    return match_calls(parsed.calls, task.ground_truth, task.tools)
