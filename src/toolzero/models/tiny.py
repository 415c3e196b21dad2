"""A tiny random Llama with a small byte-level BPE tokenizer, for smoke runs and tests (no download)."""

from __future__ import annotations

from pathlib import Path

from toolzero.prompt import INSTRUCTIONS

TINY_VOCAB = 600  # enough merges for our prompt words; small enough to train in seconds


def build_tiny_model(out_dir: str | Path, seed: int = 0) -> Path:
    """Write a randomly initialised 2-layer Llama (~0.1M params) and its tokenizer to ``out_dir``."""
    import torch
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

    out = Path(out_dir)
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    instructions = INSTRUCTIONS.format(tools_intro="as JSON schemas", tools="{tools}", format="{format}")
    corpus = [instructions, "<think> </think> <answer>[get_weather(city='Paris', unit=\"celsius\")]</answer>"] * 4
    tok.train_from_iterator(corpus, trainers.BpeTrainer(
        vocab_size=TINY_VOCAB, special_tokens=["<pad>", "<eos>"], initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, pad_token="<pad>", eos_token="<eos>", bos_token="<eos>")
    torch.manual_seed(seed)
    config = LlamaConfig(vocab_size=len(fast), hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                         num_attention_heads=2, num_key_value_heads=2, max_position_embeddings=4096,
                         pad_token_id=fast.pad_token_id, eos_token_id=fast.eos_token_id, bos_token_id=fast.bos_token_id)
    model = LlamaForCausalLM(config)
    tmp = out.with_name(out.name + ".tmp")
    model.save_pretrained(tmp)
    fast.save_pretrained(tmp)
    tmp.rename(out)
    return out
