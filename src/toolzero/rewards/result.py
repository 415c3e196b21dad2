"""The one result type every reward returns: a score and its breakdown (verl style)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class RewardResult:
    """``score`` is what the trainer sees; ``breakdown`` holds every component for logging."""

    score: float
    breakdown: dict[str, float] = field(default_factory=dict)
    reason: str = ""
