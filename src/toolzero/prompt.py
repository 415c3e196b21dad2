"""Render a task as the GG-GRPO prompt (METHOD.md section 2).

Two forms, both deterministic: :func:`render_plain` for base models (no chat template) and
:func:`render_chat` for chat models (a system message plus the conversation, for
``tokenizer.apply_chat_template``).  Tools are shown as JSON schemas, one per line.
"""

from __future__ import annotations

import json
from typing import Any

from toolzero.schema import Task

INSTRUCTIONS = """You are an expert in composing function calls. You are given a question and a set of \
possible functions. Decide which function(s) to call, and with which arguments, to achieve the purpose \
of the question. If none of the functions can be used, call nothing.

Here is the list of functions you can invoke, as JSON schemas:
{tools}

{format}"""

# How the answer must be written, per output format (METHOD.md 2 for "gg"; the peers' formats for
# the reward ablations of section 4).
OUTPUT_FORMATS = {
    "gg": """Reply in exactly this format, and nothing else:
<think> your reasoning </think>
<answer>[func_name1(param1=value1, param2=value2), func_name2(param=value)]</answer>
Use keyword arguments with Python literal values (strings in quotes). Put several calls in the list \
when several are needed. If no function applies, write <answer>[]</answer>.""",
    "toolrl": """Reply in exactly this format, and nothing else:
<think> your reasoning </think>
<tool_call>
{{"name": "func_name1", "parameters": {{"param1": value1, "param2": value2}}}}
{{"name": "func_name2", "parameters": {{"param": value}}}}
</tool_call>
One JSON object per line, one line per call. If no function applies, reply instead with
<think> your reasoning </think>
<response> your answer to the user </response>""",
    "n1": """Reply in exactly this format, and nothing else:
<think> your reasoning </think>
<tool_call>[{{"name": "func_name1", "arguments": {{"param1": value1}}}}, {{"name": "func_name2", "arguments": {{}}}}]</tool_call>
The tool call is a JSON list with one object per call. If no function applies, write <tool_call>[]</tool_call>.""",
}
# The output format each reward expects.
REWARD_FORMAT = {"gg": "gg", "strict": "gg", "toolrl": "toolrl", "n1": "n1"}

ROLE_NAMES = {"user": "User", "assistant": "Assistant", "tool": "Tool", "system": "System"}


def tools_block(task: Task) -> str:
    """The task's tools as JSON, one schema per line, in the task's order.

    For BFCL's Java and JavaScript items (:attr:`Task.language`) the schemas are rewritten as BFCL
    rewrites them for every model: the description ends with "Note that the provided function is
    in Java 8 SDK syntax." (or "... in JavaScript syntax."), and each parameter becomes a string
    whose description names its Java / JavaScript type (:func:`toolzero.calls.langs.function_doc`).
    """
    language = task.language
    if language != "python":
        from toolzero.calls.langs import function_doc

        return "\n".join(json.dumps(function_doc(t.to_json(), language), ensure_ascii=False) for t in task.tools)
    return "\n".join(json.dumps(t.to_json(), ensure_ascii=False) for t in task.tools)


def system_prompt(task: Task, output_format: str = "gg") -> str:
    """The instructions with the tools filled in, plus any system message of the task."""
    if output_format not in OUTPUT_FORMATS:
        raise ValueError(f"unknown output format {output_format!r}; known: {', '.join(OUTPUT_FORMATS)}")
    text = INSTRUCTIONS.format(tools=tools_block(task), format=OUTPUT_FORMATS[output_format].format())
    extra = [m["content"] for m in task.messages if m["role"] == "system"]
    return "\n\n".join([text, *extra])


def render_plain(task: Task, output_format: str = "gg") -> str:
    """Plain-text prompt for a base model; the completion starts right after ``Assistant:``."""
    lines = [system_prompt(task, output_format), ""]
    for m in task.messages:
        if m["role"] == "system":
            continue
        lines.append(f"{ROLE_NAMES.get(m['role'], m['role'].title())}: {m['content']}")
    lines.append("Assistant:")
    return "\n".join(lines)


def render_chat(task: Task, output_format: str = "gg") -> list[dict[str, Any]]:
    """Chat messages: our system prompt, then the conversation without its system messages."""
    msgs: list[dict[str, Any]] = [{"role": "system", "content": system_prompt(task, output_format)}]
    msgs.extend({"role": m["role"], "content": m["content"]} for m in task.messages if m["role"] != "system")
    return msgs


def render_prompt(task: Task, tokenizer: Any = None, chat: bool | None = None, output_format: str = "gg") -> str:
    """The prompt string a model sees: the chat template when the tokenizer has one (or ``chat``)."""
    use_chat = chat if chat is not None else bool(getattr(tokenizer, "chat_template", None))
    if not use_chat:
        return render_plain(task, output_format)
    if tokenizer is None:
        raise ValueError("chat=True needs a tokenizer with a chat template")
    return tokenizer.apply_chat_template(render_chat(task, output_format), tokenize=False, add_generation_prompt=True)
