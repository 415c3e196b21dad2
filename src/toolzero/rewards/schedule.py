"""The sigmoid that moves the tool reward from exploration to exploitation (METHOD.md 3)."""

from __future__ import annotations

import math

from toolzero.rewards.config import RewardConfig


def midpoint_steps(config: RewardConfig, total_steps: int | None) -> float:
    """The midpoint m in optimizer steps, resolving a fraction of the run if asked."""
    if config.gg_midpoint_unit == "steps":
        return config.gg_midpoint
    if not total_steps or total_steps <= 0:
        raise ValueError("gg_midpoint_unit='fraction' needs the run's total number of steps")
    return config.gg_midpoint * total_steps


def sigma(step: float, kappa: float = 0.1, midpoint: float = 25.0) -> float:
    """sigma(t) = 1 / (1 + exp(-kappa (t - m))).

    >>> round(sigma(25), 3), round(sigma(0), 4)
    (0.5, 0.0759)
    """
    z = -kappa * (step - midpoint)
    if z > 700:  # exp overflows beyond ~709
        return 0.0
    return 1.0 / (1.0 + math.exp(z))
