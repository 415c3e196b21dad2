"""r_general: token overlap with the canonical reference calls (METHOD.md section 3)."""

from __future__ import annotations

import re
from collections import Counter

from toolzero.calls.parse import ParsedCompletion
from toolzero.calls.render import reference_calls, render_calls
from toolzero.schema import GroundTruth

# Tokens are maximal runs of letters, digits, "_" and "." (METHOD 3).
_TOKEN = re.compile(r"[\w.]+")
GENERAL_MIN, GENERAL_MAX = -0.5, 0.5


def tokens(text: str) -> Counter[str]:
    """Multiset of tokens: runs of letters, digits, ``_`` and ``.``.

    >>> sorted(tokens("[f(a='x y', b=1.5)]").elements())
    ['1.5', 'a', 'b', 'f', 'x', 'y']
    """
    return Counter(_TOKEN.findall(text))


def reference_tokens(gt: GroundTruth) -> Counter[str]:
    """Y*: tokens of the reference calls written canonically."""
    return tokens(render_calls(reference_calls(gt)))


def general_score(parsed: ParsedCompletion, gt: GroundTruth, ref_tokens: Counter[str] | None = None) -> float:
    """r_general = -0.5 + |Y ∩ Y*| / |Y*| in [-0.5, 0.5].

    No ``<answer>``: -0.5.  Reference with no call: +0.5 iff the answer is ``[]``.
    """
    if parsed.answer is None:
        return GENERAL_MIN
    if not gt:
        return GENERAL_MAX if parsed.calls == () else GENERAL_MIN
    ref = ref_tokens if ref_tokens is not None else reference_tokens(gt)
    total = sum(ref.values())
    if total == 0:
        return GENERAL_MIN
    overlap = sum((tokens(parsed.answer) & ref).values())
    return GENERAL_MIN + overlap / total
