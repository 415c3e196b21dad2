"""Rewards as pure functions of one completion, selected by name (METHOD.md sections 3-4).

Every reward has the signature ``(completion, ground_truth, tools, step, total_steps,
config) -> RewardResult`` and never raises on model output; malformed ground truth or
tools raise :class:`toolzero.schema.SchemaError`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial, update_wrapper

from toolzero.rewards.config import REWARD_KINDS, RewardConfig
from toolzero.rewards.gg import gg_reward, strict_reward
from toolzero.rewards.peers import n1_reward, toolrl_reward
from toolzero.rewards.result import RewardResult
from toolzero.rewards.schedule import sigma

RewardFn = Callable[..., RewardResult]

REGISTRY: dict[str, RewardFn] = {
    "gg": gg_reward,
    "strict": strict_reward,
    "toolrl": toolrl_reward,
    "n1": n1_reward,
}
assert set(REGISTRY) == set(REWARD_KINDS), "REWARD_KINDS and REGISTRY must list the same names"


def get_reward(config: RewardConfig | str) -> RewardFn:
    """The reward named by ``config.kind`` with its constants bound; keeps the function's name."""
    if isinstance(config, str):
        if config not in REGISTRY:
            raise ValueError(f"unknown reward {config!r}; known: {sorted(REGISTRY)}")
        config = RewardConfig(kind=config)
    fn = REGISTRY[config.kind]
    return update_wrapper(partial(fn, config=config), fn)


__all__ = ["REGISTRY", "RewardConfig", "RewardResult", "get_reward", "gg_reward", "n1_reward",
           "sigma", "strict_reward", "toolrl_reward"]
