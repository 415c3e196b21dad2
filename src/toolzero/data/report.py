"""Counting what a load or transform kept and dropped, with the reason for each drop."""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field

log = logging.getLogger(__name__)

MAX_EXAMPLES = 20  # how many "id: reason" lines to keep for display


@dataclass
class LoadReport:
    """What a load kept and what it skipped, per reason (the text before the first ':')."""

    kept: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)

    def skip(self, record_id: str, reason: str) -> None:
        """Count a dropped record; ``reason`` is ``"kind: details"``."""
        self.skipped[reason.split(":")[0].strip()] += 1
        if len(self.examples) < MAX_EXAMPLES:
            self.examples.append(f"{record_id}: {reason}")
        log.debug("skipped record %s: %s", record_id, reason)

    def merge(self, other: LoadReport) -> None:
        self.kept += other.kept
        self.skipped.update(other.skipped)
        self.examples.extend(other.examples[: max(0, MAX_EXAMPLES - len(self.examples))])
