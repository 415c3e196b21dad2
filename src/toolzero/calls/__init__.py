"""Calls: parse the policy's answer, print calls canonically, match them against ground truth."""

from toolzero.calls.match import MatchError, MatchResult, match_calls, normalize_string
from toolzero.calls.parse import CallSyntaxError, ParsedCompletion, parse_call_list, parse_completion
from toolzero.calls.render import reference_calls, render_call, render_calls

__all__ = ["CallSyntaxError", "MatchError", "MatchResult", "ParsedCompletion", "match_calls", "normalize_string",
           "parse_call_list", "parse_completion", "reference_calls", "render_call", "render_calls"]
