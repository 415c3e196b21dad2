"""Reward settings; defaults are the paper's (METHOD.md sections 3 and 4)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

DEFAULT_GG_BONUS = 0.3  # METHOD 3: the multi-tool bonus


@dataclass(frozen=True)
class RewardConfig:
    """Constants of the rewards. ``gg_*`` fields tune the GG-GRPO reward only."""

    kind: str = field(default="gg", metadata={"help": "Reward to train with: a kind in toolzero.rewards.REWARDS."})
    gg_kappa: float = field(default=0.1, metadata={"help": "Sigmoid steepness kappa (METHOD 3: 0.1)."})
    gg_midpoint: float = field(
        default=25.0, metadata={"help": "Sigmoid midpoint m, in optimizer steps (METHOD 3: 25) or as a fraction."}
    )
    gg_midpoint_unit: Literal["steps", "fraction"] = field(
        default="steps",
        metadata={"help": "'steps', or 'fraction' of the run's total steps (for short runs; METHOD 3)."},
    )
    gg_bonus: float = field(default=DEFAULT_GG_BONUS, metadata={"help": "Multi-tool bonus when >= 2 reference calls all match."})
    gg_penalty: float = field(
        default=0.3, metadata={"help": "Penalty when a call uses an argument outside the schema or a wrong type."}
    )

    def __post_init__(self) -> None:
        from toolzero.rewards.registry import get_spec

        get_spec(self.kind)  # raises, naming the known kinds
        if self.gg_kappa <= 0:
            raise ValueError(f"gg_kappa must be > 0, got {self.gg_kappa}")
        if self.gg_midpoint_unit not in ("steps", "fraction"):
            raise ValueError(f"gg_midpoint_unit must be 'steps' or 'fraction', got {self.gg_midpoint_unit!r}")
        if self.gg_midpoint_unit == "fraction" and not 0.0 <= self.gg_midpoint <= 1.0:
            raise ValueError(f"gg_midpoint as a fraction must be in [0, 1], got {self.gg_midpoint}")
        if self.gg_bonus < 0 or self.gg_penalty < 0:
            raise ValueError("gg_bonus and gg_penalty are magnitudes and must be >= 0")
