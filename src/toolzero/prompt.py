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

Reply in exactly this format, and nothing else:
<think> your reasoning </think>
<answer>[func_name1(param1=value1, param2=value2), func_name2(param=value)]</answer>
Use keyword arguments with Python literal values (strings in quotes). Put several calls in the list \
when several are needed. If no function applies, write <answer>[]</answer>."""

ROLE_NAMES = {"user": "User", "assistant": "Assistant", "tool": "Tool", "system": "System"}


def tools_block(task: Task) -> str:
    """The task's tools as JSON, one schema per line, in the task's order."""
    return "\n".join(json.dumps(t.to_json(), ensure_ascii=False) for t in task.tools)


def system_prompt(task: Task) -> str:
    """The instructions with the tools filled in, plus any system message of the task."""
    text = INSTRUCTIONS.format(tools=tools_block(task))
    extra = [m["content"] for m in task.messages if m["role"] == "system"]
    return "\n\n".join([text, *extra])


def render_plain(task: Task) -> str:
    """Plain-text prompt for a base model; the completion starts right after ``Assistant:``."""
    lines = [system_prompt(task), ""]
    for m in task.messages:
        if m["role"] == "system":
            continue
        lines.append(f"{ROLE_NAMES.get(m['role'], m['role'].title())}: {m['content']}")
    lines.append("Assistant:")
    return "\n".join(lines)


def render_chat(task: Task) -> list[dict[str, Any]]:
    """Chat messages: our system prompt, then the conversation without its system messages."""
    msgs: list[dict[str, Any]] = [{"role": "system", "content": system_prompt(task)}]
    msgs.extend({"role": m["role"], "content": m["content"]} for m in task.messages if m["role"] != "system")
    return msgs


def render_prompt(task: Task, tokenizer: Any = None, chat: bool | None = None) -> str:
    """The prompt string a model sees: the chat template when the tokenizer has one (or ``chat``)."""
    use_chat = chat if chat is not None else bool(getattr(tokenizer, "chat_template", None))
    if not use_chat:
        return render_plain(task)
    if tokenizer is None:
        raise ValueError("chat=True needs a tokenizer with a chat template")
    return tokenizer.apply_chat_template(render_chat(task), tokenize=False, add_generation_prompt=True)
