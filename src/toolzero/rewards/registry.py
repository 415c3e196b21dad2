"""The reward kinds, one :class:`RewardSpec` each, in one table (METHOD.md sections 3-4).

A spec says everything the rest of the code needs to know about a reward: the function, the
output format its completions must be in (the prompt asks for it, generation stops at its stop
strings, the probe and eval read it), and its range (the trainer adapter scores a completion whose
reward raised with the range's lower end).  Adding a reward is one :func:`register_reward` call.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from toolzero.rewards.config import DEFAULT_GG_BONUS
from toolzero.rewards.gg import gg_reward, strict_reward
from toolzero.rewards.peers import N1_RANGE, TOOLRL_RANGE, n1_reward, toolrl_reward
from toolzero.rewards.result import RewardResult

RewardFn = Callable[..., RewardResult]


@dataclass(frozen=True)
class RewardSpec:
    """One reward kind.

    Attributes:
        name: the recipe's ``reward.kind``; also the logging key's stem (``<name>_reward``).
        fn: ``(completion, ground_truth, tools, step, total_steps, config) -> RewardResult``.
        output_format: the :mod:`toolzero.calls.formats` name the completions are written in.
        range: (lowest, highest) score at the default constants; the property tests check it.
    """

    name: str
    fn: RewardFn
    output_format: str
    range: tuple[float, float]

    @property
    def floor(self) -> float:
        """The score of a completion whose reward raised (logged, never fatal): the minimum."""
        return self.range[0]


REWARDS: dict[str, RewardSpec] = {}


def register_reward(spec: RewardSpec) -> RewardSpec:
    """Add a reward kind to the table (a name may be registered once; its format must exist)."""
    from toolzero.calls.formats import get_format

    if spec.name in REWARDS:
        raise ValueError(f"reward kind {spec.name!r} is already registered")
    get_format(spec.output_format)
    if not spec.range[0] <= spec.range[1]:
        raise ValueError(f"reward kind {spec.name!r}: range {spec.range} is empty")
    REWARDS[spec.name] = spec
    return spec


def get_spec(kind: str) -> RewardSpec:
    """The spec of ``kind``; unknown kinds name the known ones."""
    try:
        return REWARDS[kind]
    except KeyError:
        raise ValueError(f"reward kind {kind!r} is unknown; choose one of {tuple(REWARDS)}") from None


# GG-GRPO: format + sigma-scheduled mix of r_general (>= -0.5) and r_strict (<= 1 + bonus).
register_reward(RewardSpec("gg", gg_reward, "gg", (-0.5, 2.0 + DEFAULT_GG_BONUS)))
# Vanilla GRPO: format + a plain 0/1 strict match.
register_reward(RewardSpec("strict", strict_reward, "gg", (0.0, 2.0)))
register_reward(RewardSpec("toolrl", toolrl_reward, "toolrl", TOOLRL_RANGE))
register_reward(RewardSpec("n1", n1_reward, "n1", N1_RANGE))
