"""Output formats of the peer methods, for the reward ablations (METHOD.md section 4).

* ToolRL (arXiv 2504.13958): ``<think>..</think>`` then ``<tool_call>`` holding one JSON
  object per line, ``{"name": ..., "parameters": {...}}``, and/or ``<response>..</response>``.
* Tool-N1 (arXiv 2505.00024): ``<think>..</think><tool_call>[{"name": ..., "arguments":
  {...}}, ...]</tool_call>``.

Both return the same :class:`ParsedCompletion` as the GG-GRPO parser; neither raises.
"""

from __future__ import annotations

import json
import re
from typing import Any

from toolzero.calls.parse import ParsedCompletion
from toolzero.schema import ToolCall

_THINK = re.compile(r"<think>(.*?)</think>", re.DOTALL)
_TOOL_CALL = re.compile(r"<tool_call>(.*?)</tool_call>", re.DOTALL)
_TOOLRL_FORMAT = re.compile(
    r"\A\s*<think>.*?</think>\s*(<tool_call>.*?</tool_call>)?\s*(<response>.*?</response>)?\s*\Z", re.DOTALL
)
_N1_FORMAT = re.compile(r"\A\s*<think>.*?</think>\s*<tool_call>.*?</tool_call>\s*\Z", re.DOTALL)
_TAGS = ("<think>", "</think>", "<tool_call>", "</tool_call>", "<response>", "</response>")


def _json_call(obj: Any, args_key: str) -> ToolCall:
    if not isinstance(obj, dict) or not isinstance(obj.get("name"), str):
        raise ValueError(f"call must be an object with a string 'name', got {obj!r:.80}")
    args = obj.get(args_key, {})
    if not isinstance(args, dict):
        raise ValueError(f"'{args_key}' must be an object")
    return ToolCall(name=obj["name"], args=args)


def _tags_once(text: str, tags: tuple[str, ...]) -> str:
    for tag in tags:
        if text.count(tag) > 1:
            return f"{tag} appears more than once"
    return ""


def parse_toolrl(text: Any) -> ParsedCompletion:
    """Parse ToolRL's output: JSON lines in ``<tool_call>`` with ``name``/``parameters``."""
    if not isinstance(text, str):
        return ParsedCompletion(None, None, None, False, "completion is not a string")
    think_m, call_m = _THINK.search(text), _TOOL_CALL.search(text)
    think = think_m.group(1) if think_m else None
    if call_m is None:
        has_response = "<response>" in text
        reason = "" if has_response else "no <tool_call> or <response> block"
        ok = has_response and bool(_TOOLRL_FORMAT.match(text)) and not _tags_once(text, _TAGS)
        return ParsedCompletion(think, None, () if has_response else None, ok, reason if not ok else "")
    body = call_m.group(1)
    calls = []
    try:
        for line in body.strip().splitlines():
            if line.strip():
                calls.append(_json_call(json.loads(line), "parameters"))
    except (ValueError, RecursionError) as e:
        return ParsedCompletion(think, body, None, False, f"unparsable tool_call: {e}")
    problem = _tags_once(text, _TAGS) or ("" if _TOOLRL_FORMAT.match(text) else "tags out of order or text outside")
    return ParsedCompletion(think, body, tuple(calls), problem == "", problem)


def parse_n1(text: Any) -> ParsedCompletion:
    """Parse Tool-N1's output: a JSON list in ``<tool_call>`` with ``name``/``arguments``."""
    if not isinstance(text, str):
        return ParsedCompletion(None, None, None, False, "completion is not a string")
    think_m, call_m = _THINK.search(text), _TOOL_CALL.search(text)
    think = think_m.group(1) if think_m else None
    if call_m is None:
        return ParsedCompletion(think, None, None, False, "no <tool_call> block")
    body = call_m.group(1)
    try:
        obj = json.loads(body)
        if not isinstance(obj, list):
            raise ValueError("tool_call must hold a JSON list")
        calls = tuple(_json_call(o, "arguments") for o in obj)
    except (ValueError, RecursionError) as e:
        return ParsedCompletion(think, body, None, False, f"unparsable tool_call: {e}")
    problem = _tags_once(text, _TAGS) or ("" if _N1_FORMAT.match(text) else "tags out of order or text outside")
    return ParsedCompletion(think, body, calls, problem == "", problem)
