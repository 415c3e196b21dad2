"""Calls: the output formats (``formats``), parsing an answer (``parse``, ``peer_formats``), the decode
step for a task (``decode``), canonical printing (``render``) and matching against ground truth (``match``)."""

from toolzero.calls.decode import Decoded, decode
from toolzero.calls.formats import OUTPUT_FORMATS, OutputFormat, get_format, register_format
from toolzero.calls.match import MatchError, MatchResult, match_calls, normalize_string
from toolzero.calls.parse import CallSyntaxError, ParsedCompletion, parse_call_list, parse_completion
from toolzero.calls.peer_formats import parse_n1, parse_toolrl
from toolzero.calls.render import reference_calls, render_call, render_calls

__all__ = ["OUTPUT_FORMATS", "CallSyntaxError", "Decoded", "MatchError", "MatchResult", "OutputFormat", "ParsedCompletion",
           "decode", "get_format", "match_calls", "normalize_string", "parse_call_list", "parse_completion", "parse_n1",
           "parse_toolrl", "reference_calls", "register_format", "render_call", "render_calls"]
