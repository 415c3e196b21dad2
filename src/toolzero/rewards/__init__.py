"""Rewards as pure functions of one completion, selected by name (METHOD.md sections 3-4).

Every reward has the signature ``(completion, ground_truth, tools, step, total_steps,
config) -> RewardResult`` and never raises on model output; malformed ground truth or
tools raise :class:`toolzero.schema.SchemaError`.  The kinds and what goes with each (output
format, range) are the table :data:`REWARDS` (:mod:`toolzero.rewards.registry`).
"""

from __future__ import annotations

from functools import partial, update_wrapper

from toolzero.rewards.config import RewardConfig
from toolzero.rewards.gg import gg_reward, strict_reward
from toolzero.rewards.peers import n1_reward, toolrl_reward
from toolzero.rewards.registry import REWARDS, RewardFn, RewardSpec, get_spec, register_reward
from toolzero.rewards.result import RewardResult
from toolzero.rewards.schedule import sigma


def get_reward(config: RewardConfig | str) -> RewardFn:
    """The reward named by ``config.kind`` with its constants bound; keeps the function's name."""
    if isinstance(config, str):
        config = RewardConfig(kind=get_spec(config).name)
    fn = get_spec(config.kind).fn
    return update_wrapper(partial(fn, config=config), fn)


__all__ = ["REWARDS", "RewardConfig", "RewardResult", "RewardSpec", "get_reward", "get_spec", "gg_reward",
           "n1_reward", "register_reward", "sigma", "strict_reward", "toolrl_reward"]
