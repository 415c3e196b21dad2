"""Output formats: how a completion is asked for, written, read and cut off (METHOD.md section 2).

One frozen :class:`OutputFormat` per format, in one table (:data:`OUTPUT_FORMATS`).  The prompt
takes its ``instructions``, generation its ``stop_strings``, the rewards, the decode step
(:mod:`toolzero.calls.decode`), the probe and every eval its ``parse``; SFT targets and replayed
answers come from ``render``.  The CLI offers the table's names.  Adding a format is one
:func:`register_format` call:

    register_format(OutputFormat(name="mine", instructions="...", parse=my_parse, render_body=my_body,
                                 open_tag="<calls>", close_tag="</calls>", stop_strings=("</calls>",)))

* ``gg`` (GG-GRPO, METHOD 2): ``<think>..</think><answer>[f(a=1)]</answer>``;
* ``toolrl`` (ToolRL, arXiv 2504.13958): JSON objects, one per line, in ``<tool_call>``;
* ``n1`` (Tool-N1, arXiv 2505.00024): one JSON list in ``<tool_call>``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from toolzero.calls.parse import ParsedCompletion, parse_completion
from toolzero.calls.peer_formats import parse_n1, parse_toolrl
from toolzero.calls.render import render_calls, render_n1, render_toolrl
from toolzero.schema import ToolCall


@dataclass(frozen=True)
class OutputFormat:
    """Everything the code needs to know about one output format.

    Attributes:
        name: the key in recipes (``model.output_format``) and on the command line (``--format``).
        instructions: the "reply in exactly this format" paragraph of the prompt.
        parse: completion -> :class:`ParsedCompletion` (think, answer, calls, format_ok); never raises.
        render_body: calls -> the text between ``open_tag`` and ``close_tag``.
        open_tag, close_tag: the block that holds the calls.
        stop_strings: generation stops after any of these (kept in the completion).
        answer_is_source: the answer is call *source text*, which BFCL's decoder reads itself
            (leniently: bare names are strings, positional arguments dropped). Otherwise the calls
            are structured (JSON) and are taken as parsed, then printed as a Python list for BFCL.
        no_call: the block written when there is no call (``None``: the block with no calls).
    """

    name: str
    instructions: str
    parse: Callable[[str], ParsedCompletion]
    render_body: Callable[[Sequence[ToolCall]], str]
    open_tag: str
    close_tag: str
    stop_strings: tuple[str, ...]
    answer_is_source: bool = False
    no_call: str | None = None

    def render(self, calls: Sequence[ToolCall], think: str = "") -> str:
        """A completion in this format: the thought, then the calls (an SFT target, a replayed answer)."""
        if not calls and self.no_call is not None:
            return f"<think>{think}</think>\n{self.no_call}"
        return self.wrap(self.render_body(calls), think)

    @property
    def thought_close(self) -> str:
        """What ends the thought and opens the answer block, as :meth:`wrap` writes it (a thought cap forces it)."""
        return f"</think>\n{self.open_tag}"

    def wrap(self, body: str, think: str = "") -> str:
        """The thought, then ``body`` inside the answer block, as written."""
        return f"<think>{think}{self.thought_close}{body}{self.close_tag}"


OUTPUT_FORMATS: dict[str, OutputFormat] = {}


def register_format(fmt: OutputFormat) -> OutputFormat:
    """Add a format to the table (a name may be registered once)."""
    if fmt.name in OUTPUT_FORMATS:
        raise ValueError(f"output format {fmt.name!r} is already registered")
    if not fmt.stop_strings:
        raise ValueError(f"output format {fmt.name!r} needs at least one stop string")
    OUTPUT_FORMATS[fmt.name] = fmt
    return fmt


def get_format(name: str | OutputFormat) -> OutputFormat:
    """The format called ``name`` (a format passes through); unknown names list the known ones."""
    if isinstance(name, OutputFormat):
        return name
    try:
        return OUTPUT_FORMATS[name]
    except KeyError:
        raise ValueError(f"unknown output format {name!r}; known: {', '.join(OUTPUT_FORMATS)}") from None


register_format(OutputFormat(
    name="gg",
    instructions="""Reply in exactly this format, and nothing else:
<think> your reasoning </think>
<answer>[func_name1(param1=value1, param2=value2), func_name2(param=value)]</answer>
Use keyword arguments with Python literal values (strings in quotes). Put several calls in the list \
when several are needed. If no function applies, write <answer>[]</answer>.""",
    parse=parse_completion,
    render_body=render_calls,
    open_tag="<answer>",
    close_tag="</answer>",
    stop_strings=("</answer>",),
    answer_is_source=True,
))
register_format(OutputFormat(
    name="toolrl",
    instructions="""Reply in exactly this format, and nothing else:
<think> your reasoning </think>
<tool_call>
{"name": "func_name1", "parameters": {"param1": value1, "param2": value2}}
{"name": "func_name2", "parameters": {"param": value}}
</tool_call>
One JSON object per line, one line per call. If no function applies, reply instead with
<think> your reasoning </think>
<response> your answer to the user </response>""",
    parse=parse_toolrl,
    render_body=lambda calls: f"\n{render_toolrl(calls)}\n",
    open_tag="<tool_call>",
    close_tag="</tool_call>",
    stop_strings=("</tool_call>", "</response>"),
    no_call="<response>done</response>",
))
register_format(OutputFormat(
    name="n1",
    instructions="""Reply in exactly this format, and nothing else:
<think> your reasoning </think>
<tool_call>[{"name": "func_name1", "arguments": {"param1": value1}}, {"name": "func_name2", "arguments": {}}]</tool_call>
The tool call is a JSON list with one object per call. If no function applies, write <tool_call>[]</tool_call>.""",
    parse=parse_n1,
    render_body=render_n1,
    open_tag="<tool_call>",
    close_tag="</tool_call>",
    stop_strings=("</tool_call>",),
))
