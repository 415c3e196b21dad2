"""Recipes: YAML files that map 1:1 onto dataclasses, plus ``key.sub=value`` overrides.

A recipe has these sections::

    model:   ModelArgs      which model, prompt form, LoRA
    data:    DataArgs       training sources, mix, size, decontamination
    reward:  RewardConfig   reward kind and its constants (toolzero.rewards.config)
    trainer: trl.GRPOConfig keyword arguments (validated against the class)
    sft_trainer: trl.SFTConfig keyword arguments, for `train sft` and the SFT stage of `sft-grpo`
    run:     RunArgs        output folder, checkpoints, resume, eval after training

Unknown keys, wrong types and missing sources fail before training, naming the key.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from toolzero.rewards.config import RewardConfig


class RecipeError(ValueError):
    """A recipe key is unknown, has the wrong type, or names something that does not exist."""


@dataclass
class ModelArgs:
    """> Which model to train and how it is prompted."""

    name: str = field(default="smollm2", metadata={"help": "Bundled key (smollm2, tiny-random), local HF folder or hub id."})
    prompt: str = field(default="auto", metadata={"help": "'chat' template, 'plain' text (base models) or 'auto'."})
    prefill: str = field(
        default="",
        metadata={"help": "Text the assistant's turn starts with, e.g. '<think>' (our choice, R1-Zero replications do "
                          "it for small models): appended to every prompt and put back in front of the completion "
                          "before it is scored, in training, probes and evaluation."},
    )
    tools: str = field(default="json", metadata={"help": "How tools are shown in the prompt: 'json' schemas, one per line,"
                                                         " or 'compact' blocks."})
    examples: str = field(default="", metadata={"help": "Worked examples shown before each task (toolzero.worked_examples:"
                                                        " 'one', 'two', 'three', 'mixed'); '' for none."})
    thought_cap: int = field(default=0, metadata={"help": "At most this many generated tokens before the answer: a "
                                                          "rollout (or probe / eval completion) that has not closed its "
                                                          "thought by then is made to write '</think>' and the answer's "
                                                          "open tag next; 0: no cap."})
    dtype: str = field(default="float32", metadata={"help": "torch dtype for training on CPU: float32 or bfloat16."})
    lora: bool = field(default=False, metadata={"help": "Train a LoRA adapter (peft) instead of the full model."})
    lora_r: int = field(default=16, metadata={"help": "LoRA rank."})
    lora_alpha: int = field(default=32, metadata={"help": "LoRA alpha."})
    lora_dropout: float = field(default=0.0, metadata={"help": "LoRA dropout."})
    lora_target_modules: list[str] = field(
        default_factory=lambda: ["q_proj", "k_proj", "v_proj", "o_proj"], metadata={"help": "Modules LoRA adapts."}
    )

    def __post_init__(self) -> None:
        if self.prompt not in ("auto", "chat", "plain"):
            raise RecipeError(f"model.prompt must be 'auto', 'chat' or 'plain', got {self.prompt!r}")
        from toolzero.prompt import TOOL_RENDERINGS

        if self.tools not in TOOL_RENDERINGS:
            raise RecipeError(f"model.tools must be one of {', '.join(TOOL_RENDERINGS)}, got {self.tools!r}")
        from toolzero.worked_examples import get_examples

        try:
            get_examples(self.examples)
        except ValueError as e:
            raise RecipeError(f"model.examples: {e}") from None
        if isinstance(self.thought_cap, bool) or not isinstance(self.thought_cap, int) or self.thought_cap < 0:
            raise RecipeError(f"model.thought_cap must be a number of tokens >= 0 (0: no cap), got {self.thought_cap!r}")
        if self.dtype not in ("float32", "bfloat16", "float16"):
            raise RecipeError(f"model.dtype must be float32, bfloat16 or float16, got {self.dtype!r}")


@dataclass
class DataArgs:
    """> Training data: sources, mix and size (METHOD.md section 5)."""

    sources: list[str] = field(
        default_factory=lambda: ["synthetic"],
        metadata={"help": "'synthetic', a registered source name, or a .jsonl file of task records."},
    )
    mix: list[float] | None = field(default=None, metadata={"help": "Weights per source (default: equal)."})
    num_records: int = field(default=2000, metadata={"help": "Training records after mixing."})
    seed: int = field(default=0, metadata={"help": "Seed for generation, sampling and shuffling."})
    decontaminate: bool = field(default=True, metadata={"help": "Drop records whose query matches a BFCL query."})
    augment: dict[str, float] = field(
        default_factory=dict,
        metadata={"help": "Augmentation -> fraction of records to add transformed copies of: mask, irrelevance, concat, "
                          "drop_tool, mask_param, correction (METHOD 5.2-5.4)."},
    )
    curriculum: list[int] = field(
        default_factory=list,
        metadata={"help": "Synthetic difficulty levels to train on (toolzero.data.synthetic.LEVELS: 1 verbatim .. 4 "
                          "rich), e.g. [1, 2, 3]; [] for today's generator (sources: [synthetic] only)."},
    )
    curriculum_shares: list[float] | None = field(
        default=None, metadata={"help": "Share of the run per curriculum level (default: equal)."})
    curriculum_order: str = field(
        default="ordered",
        metadata={"help": "'ordered': the levels one after another over the steps, in the order given; 'mixed': all "
                          "levels in every step."},
    )

    def __post_init__(self) -> None:
        if not self.sources:
            raise RecipeError("data.sources is empty")
        if self.mix is not None and len(self.mix) != len(self.sources):
            raise RecipeError(f"data.mix has {len(self.mix)} weights for {len(self.sources)} sources")
        if self.num_records <= 0:
            raise RecipeError("data.num_records must be > 0")
        from toolzero.data.build import AUGMENTATIONS

        for name, frac in self.augment.items():
            if name not in AUGMENTATIONS:
                raise RecipeError(f"data.augment: unknown augmentation {name!r}; known: {', '.join(AUGMENTATIONS)}")
            if not 0.0 <= frac <= 1.0:
                raise RecipeError(f"data.augment.{name} is a fraction in [0, 1], got {frac}")
        if self.curriculum:
            if list(self.sources) != ["synthetic"]:
                raise RecipeError(f"data.curriculum needs data.sources: [synthetic], got {self.sources}")
            try:
                self.schedule()
            except ValueError as e:
                raise RecipeError(f"data.curriculum: {e}") from None

    def schedule(self):
        """The :class:`toolzero.data.curriculum.Curriculum` of these keys, or None."""
        if not self.curriculum:
            return None
        from toolzero.data.curriculum import Curriculum

        return Curriculum.of(self.curriculum, self.curriculum_shares, self.curriculum_order)


@dataclass
class RunArgs:
    """> The run folder and what happens around training."""

    output_dir: str = field(default="runs/grpo", metadata={"help": "Run folder: config, logs, checkpoints, final model."})
    resume: bool = field(default=False, metadata={"help": "Resume from the last checkpoint in output_dir."})
    eval_categories: list[str] = field(
        default_factory=list, metadata={"help": "BFCL categories to evaluate the final model on (empty: none)."}
    )
    eval_limit: int | None = field(default=None, metadata={"help": "First N items per eval category."})
    init_from: str | None = field(default=None, metadata={"help": "Start from this checkpoint (sft-grpo uses it)."})
    probe_every: int = field(
        default=0, metadata={"help": "Greedy-decode the held-out probe set every N steps (0: never); see toolzero report."}
    )
    probe_size: int = field(default=16, metadata={"help": "Held-out synthetic tasks in the probe set."})
    probe_level: int | None = field(
        default=None, metadata={"help": "Synthetic difficulty level of the probe set (default: today's full mix)."})
    probe_max_new_tokens: int = field(default=128, metadata={"help": "Token budget of a probe answer."})
    stop_at_answer: bool = field(
        default=True,
        metadata={"help": "End each rollout right after its output format's stop string (</answer>), as eval does; "
                          "false: rollouts run to EOS or the token limit (the behaviour before this option)."},
    )
    signal_tasks: int = field(
        default=4,
        metadata={"help": "Before training, sample G rollouts for this many training tasks and warn when no group "
                          "has reward spread (toolzero signal; 0: skip). Written to signal.json."},
    )
    shared_prefix: bool = field(
        default=True,
        metadata={"help": "Encode each distinct prompt once per group: in generation (prefill, transformers backend) "
                          "and in the training pass (exact: same log-probs and gradients)."},
    )


SECTIONS = {"model": ModelArgs, "data": DataArgs, "reward": RewardConfig, "run": RunArgs}


@dataclass
class Recipe:
    """A parsed recipe; ``trainer`` holds the TRL config's keyword arguments."""

    model: ModelArgs
    data: DataArgs
    reward: RewardConfig
    run: RunArgs
    trainer: dict[str, Any]
    sft_trainer: dict[str, Any] = field(default_factory=dict)
    source: str = ""

    def to_dict(self) -> dict[str, Any]:
        out = {name: dataclasses.asdict(getattr(self, name)) for name in SECTIONS}
        out["trainer"] = dict(self.trainer)
        out["sft_trainer"] = dict(self.sft_trainer)
        return out


def _check_type(key: str, value: Any, annotation: Any, text_numbers: bool = False) -> Any:
    """Check (and gently coerce: int -> float) a value against a dataclass field annotation.

    With ``text_numbers``, a number written as text (YAML reads ``1e-5`` without a dot as a string)
    is read as the number; annotations this cannot check (enums, classes) accept anything.
    """
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        for arm in typing.get_args(annotation):
            try:
                return _check_type(key, value, arm, text_numbers)
            except RecipeError:
                continue
        raise RecipeError(f"{key}: {value!r} does not fit {annotation}")
    if annotation is type(None):
        if value is None:
            return None
        raise RecipeError(f"{key}: expected null")
    if origin is dict:
        if not isinstance(value, dict):
            raise RecipeError(f"{key}: expected a mapping, got {type(value).__name__} {value!r}")
        _, inner = typing.get_args(annotation) or (Any, Any)
        return {k: _check_type(f"{key}.{k}", v, inner, text_numbers) for k, v in value.items()}
    if origin is list:
        if not isinstance(value, list):
            raise RecipeError(f"{key}: expected a list, got {type(value).__name__} {value!r}")
        (inner,) = typing.get_args(annotation) or (Any,)
        return [_check_type(f"{key}[{i}]", v, inner, text_numbers) for i, v in enumerate(value)]
    if origin is typing.Literal:
        if value not in typing.get_args(annotation):
            raise RecipeError(f"{key}: {value!r} is not one of {typing.get_args(annotation)}")
        return value
    if annotation is Any:
        return value
    if annotation is float and type(value) is int:
        return float(value)
    if text_numbers and annotation in (int, float) and isinstance(value, str):
        number = _number(value)
        if number is not None and (annotation is float or number.is_integer()):
            return annotation(number)
    if annotation in (int, float, str, bool) and type(value) is not annotation:
        raise RecipeError(f"{key}: expected {annotation.__name__}, got {type(value).__name__} {value!r}")
    return value


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def build_section(name: str, cls: type, values: dict[str, Any]) -> Any:
    """Instantiate one section's dataclass, naming unknown keys and type errors."""
    if not isinstance(values, dict):
        raise RecipeError(f"section {name!r} must be a mapping, got {type(values).__name__}")
    hints = typing.get_type_hints(cls)
    fields = {f.name for f in dataclasses.fields(cls)}
    kwargs = {}
    for key, value in values.items():
        if key not in fields:
            raise RecipeError(f"unknown key {name}.{key}; known: {', '.join(sorted(fields))}")
        kwargs[key] = _check_type(f"{name}.{key}", value, hints[key])
    try:
        return cls(**kwargs)
    except RecipeError:
        raise
    except (TypeError, ValueError) as e:
        raise RecipeError(f"section {name}: {e}") from None


def parse_override(text: str) -> tuple[list[str], Any]:
    """``trainer.max_steps=10`` -> (["trainer", "max_steps"], 10); values are read as YAML."""
    if "=" not in text:
        raise RecipeError(f"override {text!r} must look like section.key=value")
    key, raw = text.split("=", 1)
    path = key.strip().split(".")
    if len(path) != 2 or not all(path):
        raise RecipeError(f"override {text!r}: the key must be section.key, e.g. trainer.max_steps")
    return path, yaml.safe_load(raw) if raw.strip() else None


def load_recipe(
    path: str | Path | None, overrides: Sequence[str] = (), trainer_cls: type | None = None, sft_cls: type | None = None
) -> Recipe:
    """Read a YAML recipe, apply overrides and validate every section.

    Args:
        path: the YAML file (``None``: all defaults).
        overrides: ``section.key=value`` strings, applied after the file.
        trainer_cls: the TRL config class whose fields the ``trainer`` section must use.
        sft_cls: the same for the ``sft_trainer`` section (SFT and the SFT stage of sft-grpo).
    """
    raw: dict[str, Any] = {}
    if path is not None:
        p = Path(path)
        if not p.is_file():
            raise RecipeError(f"recipe {p} does not exist")
        raw = yaml.safe_load(p.read_text()) or {}
        if not isinstance(raw, dict):
            raise RecipeError(f"recipe {p} must be a mapping of sections")
    for text in overrides:
        (section, key), value = parse_override(text)
        raw.setdefault(section, {})[key] = value
    known = {*SECTIONS, "trainer", "sft_trainer"}
    for section in raw:
        if section not in known:
            raise RecipeError(f"unknown section {section!r}; known: {', '.join(sorted(known))}")
    built = {name: build_section(name, cls, raw.get(name) or {}) for name, cls in SECTIONS.items()}
    trainer = dict(raw.get("trainer") or {})
    sft_trainer = dict(raw.get("sft_trainer") or {})
    if trainer_cls is not None:
        trainer = check_trainer_keys(trainer, trainer_cls, "trainer")
    if sft_cls is not None:
        sft_trainer = check_trainer_keys(sft_trainer, sft_cls, "sft_trainer")
    return Recipe(**built, trainer=trainer, sft_trainer=sft_trainer, source=str(path or ""))


# Keys we set ourselves from other sections; a recipe must not set them in `trainer`.
RESERVED_TRAINER_KEYS = ("output_dir",)


def check_trainer_keys(trainer: dict[str, Any], trainer_cls: type, section: str = "trainer") -> dict[str, Any]:
    """Every key of a trainer section must be a field of the TRL config class, its value of the field's type.

    Returns the section with numbers written as text read as numbers: YAML reads ``1e-5`` (no dot)
    as the string "1e-5", which would otherwise reach the optimizer as a string.
    """
    names = {f.name for f in dataclasses.fields(trainer_cls)}
    try:
        hints = typing.get_type_hints(trainer_cls)
    except Exception:  # an annotation that does not resolve: check names only
        hints = {}
    out = {}
    for key, value in trainer.items():
        if key in RESERVED_TRAINER_KEYS:
            raise RecipeError(f"{section}.{key} is set from run.{key}; remove it from the {section} section")
        if key not in names:
            close = sorted(n for n in names if key.split("_")[0] in n)[:8]
            hint = f"; did you mean one of {close}?" if close else ""
            raise RecipeError(f"unknown key {section}.{key} for {trainer_cls.__name__}{hint}")
        out[key] = _check_type(f"{section}.{key}", value, hints.get(key, Any), text_numbers=True)
    return out
