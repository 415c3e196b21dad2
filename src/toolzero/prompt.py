"""The prompt a model sees, and the one value that says how it is built (METHOD.md section 2).

A :class:`PromptStyle` holds every prompt setting: chat template or plain text, the text the
answer is prefilled with, the output format asked for, and how the tools are shown.  It is built
once (from the recipe, :meth:`PromptStyle.from_recipe`, or the command line) and carried to
prompt rendering, generation (its stop strings), the reward, the probe and every eval.  Each
training run records it as ``prompt_style.json`` in the run folder and in ``final/``, so that an
eval of the trained model uses the same style (:meth:`PromptStyle.load`).

Two prompt forms, both deterministic: :func:`render_plain` for base models (no chat template)
and :func:`render_chat` for chat models (a system message plus the conversation, for
``tokenizer.apply_chat_template``).  :func:`render_prompt` picks one and appends the prefill.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from toolzero.calls.formats import OutputFormat, get_format
from toolzero.schema import Task
from toolzero.worked_examples import get_examples

INTRO = """You are an expert in composing function calls. You are given a question and a set of \
possible functions. Decide which function(s) to call, and with which arguments, to achieve the purpose \
of the question. If none of the functions can be used, call nothing."""
TOOLS_BLOCK = """Here is the list of functions you can invoke, {tools_intro}:
{tools}"""
INSTRUCTIONS = INTRO + "\n\n" + TOOLS_BLOCK + "\n\n{format}"
# With worked examples (``PromptStyle.examples``): the format and the examples first, so that the
# task's own functions stand right above the question.
INSTRUCTIONS_WITH_EXAMPLES = INTRO + "\n\n{format}\n\n{examples}\n\n" + TOOLS_BLOCK
EXAMPLE_BLOCK = """Example {i} (its functions are for the example only):
Functions:
{tools}
User: {query}
Assistant: {answer}"""

ROLE_NAMES = {"user": "User", "assistant": "Assistant", "tool": "Tool", "system": "System"}
PROMPT_MODES = ("auto", "chat", "plain")
STYLE_FILE = "prompt_style.json"


def tool_schemas(task: Task) -> list[dict[str, Any]]:
    """The task's tools as JSON schemas, in the task's order, as the model is shown them.

    For BFCL's Java and JavaScript items (:attr:`Task.language`) the schemas are rewritten as BFCL
    rewrites them for every model: the description ends with "Note that the provided function is
    in Java 8 SDK syntax." (or "... in JavaScript syntax."), and each parameter becomes a string
    whose description names its Java / JavaScript type (:func:`toolzero.calls.langs.function_doc`).
    """
    language = task.language
    if language != "python":
        from toolzero.calls.langs import function_doc

        return [function_doc(t.to_json(), language) for t in task.tools]
    return [t.to_json() for t in task.tools]


def json_tools(task: Task) -> str:
    """One JSON schema per line."""
    return "\n".join(json.dumps(t, ensure_ascii=False) for t in tool_schemas(task))


def compact_tools(task: Task) -> str:
    """One short block per tool: ``name: description``, then one line per parameter with its type,
    allowed values, default and whether it is required; nested object properties are indented."""
    return "\n".join(_compact_tool(t) for t in tool_schemas(task))


def _one_line(text: Any) -> str:
    return " ".join(str(text).split())


def _compact_tool(schema: dict[str, Any]) -> str:
    head = f"{schema.get('name', '?')}: {_one_line(schema.get('description', ''))}".rstrip(": ")
    params = schema.get("parameters") or {}
    return "\n".join([head, *_compact_params(params, "  ")])


def _compact_params(obj: dict[str, Any], indent: str) -> list[str]:
    props = obj.get("properties") or {}
    required = set(obj.get("required") or ())
    lines = []
    for name, spec in props.items():
        spec = spec if isinstance(spec, dict) else {}
        kind = str(spec.get("type", "any"))
        items = spec.get("items")
        if kind == "array" and isinstance(items, dict) and items.get("type"):
            kind = f"array of {items['type']}"
        facts = [kind, *(["required"] if name in required else [])]
        if "enum" in spec:
            facts.append("one of " + ", ".join(json.dumps(v, ensure_ascii=False) for v in spec["enum"]))
        if "default" in spec:
            facts.append(f"default {json.dumps(spec['default'], ensure_ascii=False)}")
        desc = _one_line(spec.get("description", ""))
        lines.append(f"{indent}{name} ({'; '.join(facts)})" + (f": {desc}" if desc else ""))
        if spec.get("properties"):
            lines.extend(_compact_params(spec, indent + "  "))
    return lines


@dataclass(frozen=True)
class ToolRendering:
    """How tools are shown: the words that introduce them in the instructions, and the text."""

    intro: str
    render: Callable[[Task], str]


# How the tools are shown in the prompt (``PromptStyle.tools``).
TOOL_RENDERINGS: dict[str, ToolRendering] = {
    "json": ToolRendering("as JSON schemas", json_tools),
    "compact": ToolRendering("one block per function (its parameters below it, with their types)", compact_tools),
}


@dataclass(frozen=True)
class PromptStyle:
    """How prompts are built and completions read, for training, the probe and every eval.

    Attributes:
        mode: ``chat`` (the tokenizer's chat template), ``plain`` text (base models), or ``auto``
            (the chat template when the tokenizer has one).
        prefill: text the assistant's turn starts with, e.g. ``<think>``: appended to every
            prompt, and put back in front of each generated text before it is scored.
        output_format: the :data:`toolzero.calls.formats.OUTPUT_FORMATS` name asked for and read.
        tools: how tools are shown, a :data:`TOOL_RENDERINGS` name: ``json`` schemas (one per line)
            or ``compact`` blocks (fewer tokens).
        examples: a :data:`toolzero.worked_examples.WORKED_EXAMPLES` set shown before the task
            (``one``, ``two``, ``three``, ``mixed``), written in this style's tools rendering and output format;
            ``""``: none.
        thought_cap: at most this many generated tokens before the answer: a completion that has not
            closed its thought by then is made to write ``</think>`` and the answer's open tag next
            (:class:`toolzero.eval.generate.ThoughtCap`); 0: no cap.
    """

    mode: str = "auto"
    prefill: str = ""
    output_format: str = "gg"
    tools: str = "json"
    examples: str = ""
    thought_cap: int = 0

    def __post_init__(self) -> None:
        if self.mode not in PROMPT_MODES:
            raise ValueError(f"prompt mode must be one of {PROMPT_MODES}, got {self.mode!r}")
        get_format(self.output_format)  # raises, naming the known formats
        if self.tools not in TOOL_RENDERINGS:
            raise ValueError(f"unknown tools rendering {self.tools!r}; known: {', '.join(TOOL_RENDERINGS)}")
        get_examples(self.examples)  # raises, naming the known sets
        if isinstance(self.thought_cap, bool) or not isinstance(self.thought_cap, int) or self.thought_cap < 0:
            raise ValueError(f"thought_cap must be a whole number of tokens >= 0 (0: no cap), got {self.thought_cap!r}")

    @property
    def chat(self) -> bool | None:
        """True / False when the mode says so, None for ``auto``."""
        return None if self.mode == "auto" else self.mode == "chat"

    @property
    def format(self) -> OutputFormat:
        return get_format(self.output_format)

    @property
    def stop_strings(self) -> tuple[str, ...]:
        """Where generation stops (the output format's stop strings)."""
        return self.format.stop_strings

    @property
    def generation(self) -> dict[str, Any]:
        """How generation follows this style, as generator keywords: ``stop_strings`` and ``thought_cap``."""
        from toolzero.eval.generate import ThoughtCap

        cap = ThoughtCap(self.thought_cap, self.format.thought_close) if self.thought_cap else None
        return {"stop_strings": self.stop_strings, "thought_cap": cap}

    def render(self, task: Task, tokenizer: Any = None) -> str:
        """The prompt string, prefill included (see :func:`render_prompt`)."""
        return render_prompt(task, tokenizer, self)

    def completion(self, generated: str) -> str:
        """The completion as it is scored: the prefill, then what the model generated."""
        return self.prefill + generated

    def replace(self, **changes: Any) -> PromptStyle:
        return dataclasses.replace(self, **changes)

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, obj: Any, where: str = "prompt style") -> PromptStyle:
        """A style from its JSON form; unknown keys and bad values raise ValueError naming ``where``."""
        if not isinstance(obj, dict):
            raise ValueError(f"{where}: expected a JSON object, got {type(obj).__name__}")
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(obj) - known)
        if unknown:
            raise ValueError(f"{where}: unknown keys {unknown}; known: {sorted(known)}")
        bad = [k for k, v in obj.items() if not isinstance(v, int if k == "thought_cap" else str)]
        if bad:
            raise ValueError(f"{where}: {bad} must be strings (thought_cap: a number of tokens)")
        try:
            return cls(**obj)
        except ValueError as e:
            raise ValueError(f"{where}: {e}") from None

    @classmethod
    def from_recipe(cls, recipe: Any) -> PromptStyle:
        """The style of a training recipe: its model section, in the format its reward reads."""
        from toolzero.rewards.registry import get_spec

        m = recipe.model
        return cls(mode=m.prompt, prefill=m.prefill, output_format=get_spec(recipe.reward.kind).output_format,
                   tools=m.tools, examples=m.examples, thought_cap=m.thought_cap)

    def save(self, folder: str | Path) -> Path:
        """Write ``prompt_style.json`` into ``folder``."""
        path = Path(folder) / STYLE_FILE
        path.write_text(json.dumps(self.to_json(), indent=2) + "\n")
        return path

    @classmethod
    def load(cls, folder: str | Path) -> PromptStyle | None:
        """The style recorded in a run folder or model folder (``final/`` included), or None."""
        root = Path(folder)
        for path in (root / STYLE_FILE, root / "final" / STYLE_FILE):
            if path.is_file():
                try:
                    obj = json.loads(path.read_text())
                except ValueError as e:
                    raise ValueError(f"{path}: not JSON ({e})") from None
                return cls.from_json(obj, str(path))
        return None


DEFAULT_STYLE = PromptStyle()


def system_prompt(task: Task, style: PromptStyle = DEFAULT_STYLE) -> str:
    """The instructions with the tools filled in, plus any system message of the task."""
    rendering = TOOL_RENDERINGS[style.tools]
    template = INSTRUCTIONS_WITH_EXAMPLES if style.examples else INSTRUCTIONS
    text = template.format(format=style.format.instructions, examples=examples_text(style),
                           tools_intro=rendering.intro, tools=rendering.render(task))
    extra = [m["content"] for m in task.messages if m["role"] == "system"]
    return "\n\n".join([text, *extra])


@cache
def examples_text(style: PromptStyle) -> str:
    """The style's worked examples: tools in its rendering, answers in its output format (the same
    for every prompt of a style: built once)."""
    rendering, fmt = TOOL_RENDERINGS[style.tools], style.format
    blocks = []
    for i, ex in enumerate(get_examples(style.examples), 1):
        query = next(m["content"] for m in ex.task.messages if m["role"] == "user")
        blocks.append(EXAMPLE_BLOCK.format(i=i, tools=rendering.render(ex.task), query=query,
                                           answer=fmt.render(ex.calls, ex.thought)))
    return "\n\n".join(blocks)


def render_plain(task: Task, style: PromptStyle = DEFAULT_STYLE) -> str:
    """Plain-text prompt for a base model; the completion starts right after ``Assistant:``."""
    lines = [system_prompt(task, style), ""]
    for m in task.messages:
        if m["role"] == "system":
            continue
        lines.append(f"{ROLE_NAMES.get(m['role'], m['role'].title())}: {m['content']}")
    lines.append("Assistant:")
    return "\n".join(lines)


def render_chat(task: Task, style: PromptStyle = DEFAULT_STYLE) -> list[dict[str, Any]]:
    """Chat messages: our system prompt, then the conversation without its system messages."""
    msgs: list[dict[str, Any]] = [{"role": "system", "content": system_prompt(task, style)}]
    msgs.extend({"role": m["role"], "content": m["content"]} for m in task.messages if m["role"] != "system")
    return msgs


def render_prompt(task: Task, tokenizer: Any = None, style: PromptStyle = DEFAULT_STYLE) -> str:
    """The prompt string a model sees, ending with the style's prefill.

    The chat template is used when the style says ``chat``, or for ``auto`` when the tokenizer has one.
    """
    use_chat = style.chat if style.chat is not None else bool(getattr(tokenizer, "chat_template", None))
    if not use_chat:
        return render_plain(task, style) + style.prefill
    if tokenizer is None:
        raise ValueError("a chat prompt needs a tokenizer with a chat template")
    text = tokenizer.apply_chat_template(render_chat(task, style), tokenize=False, add_generation_prompt=True)
    return text + style.prefill
