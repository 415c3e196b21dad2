"""Calls: parse the policy's answer, print calls canonically, match them against ground truth."""

from toolzero.calls.match import MatchError, MatchResult, match_calls, normalize_string
from toolzero.calls.parse import CallSyntaxError, ParsedCompletion, parse_call_list, parse_completion
from toolzero.calls.peer_formats import parse_n1, parse_toolrl
from toolzero.calls.render import reference_calls, render_call, render_calls

# The completion parser of each output format (toolzero.prompt.OUTPUT_FORMATS).
PARSERS = {"gg": parse_completion, "toolrl": parse_toolrl, "n1": parse_n1}

__all__ = ["PARSERS", "CallSyntaxError", "MatchError", "MatchResult", "ParsedCompletion", "match_calls", "normalize_string",
           "parse_call_list", "parse_completion", "parse_n1", "parse_toolrl", "reference_calls", "render_call", "render_calls"]
