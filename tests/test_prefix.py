"""The shared-prefix forward equals TRL's plain per-rollout forward: log-probs, entropies, a GRPO loss
and every parameter gradient, in float32 (within LOGP_ATOL and GRAD_RTOL below), on tiny random models.

The reference is TRL's own ``GRPOTrainer._get_per_token_logps_and_entropies`` on the same patched model.
"""

from __future__ import annotations

import contextlib
from types import SimpleNamespace

import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("trl")

from transformers import AutoModelForCausalLM, Gemma3ForCausalLM, Gemma3TextConfig  # noqa: E402
from trl import GRPOTrainer  # noqa: E402
from trl.trainer.utils import add_fused_lm_head  # noqa: E402

from toolzero.models import resolve_model  # noqa: E402
from toolzero.train.prefix import shared_prefix_logps  # noqa: E402

# float32 tolerances; observed here: log-probs/entropies/loss equal to the bit, gradients within ~6e-7 relative
LOGP_ATOL = 1e-5  # log-probs and entropies, absolute
GRAD_RTOL = 2e-5  # each parameter's gradient: max |difference| / max |reference gradient|
LOSS_RTOL = 1e-5
# bf16 autocast: the paths may round differently (here they agree exactly); a wrong prefix gives errors of ~1
BF16_LOGP_ATOL = 0.05  # bf16 vs float32 on the same path differs by ~0.05 here
BF16_GRAD_COS = 0.99  # cosine similarity of the flattened gradients

TEMPERATURE = 0.7
COMPLETION = 6


# --- models ---

def _patch(model):
    """What GRPOTrainer does to its model: the fused LM head (log-probs and entropy), then training mode."""
    add_fused_lm_head(model, temperature=TEMPERATURE, outputs=("log_probs", "entropy"))
    return model.train()


def _sharpen(model, std: float = 0.2):
    """Redraw the weight matrices with a larger spread (the saved model's 0.02 gives near-uniform
    next-token distributions, whose log-probs all round to -log(vocab) and hide errors)."""
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, (torch.nn.Linear, torch.nn.Embedding)):
                module.weight.normal_(0, std)
    return model


def tiny_llama(lora: bool = False):
    torch.manual_seed(0)
    model = _patch(_sharpen(AutoModelForCausalLM.from_pretrained(resolve_model("tiny-random"), dtype=torch.float32)))
    if lora:
        from peft import LoraConfig, get_peft_model

        # random A and B (not B = 0), so that the adapter changes the forward and both get gradients
        config = LoraConfig(r=4, lora_alpha=8, lora_dropout=0.0, init_lora_weights=False, task_type="CAUSAL_LM",
                            target_modules=["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"])
        model = get_peft_model(model, config).train()
    return model


def tiny_gemma3():
    """Gemma-3 text model with a sliding window (6) shorter than the rows, so the cache drops keys."""
    torch.manual_seed(0)
    config = Gemma3TextConfig(vocab_size=120, hidden_size=32, intermediate_size=64, num_hidden_layers=3,
                              num_attention_heads=2, num_key_value_heads=1, head_dim=16, sliding_window=6,
                              layer_types=["sliding_attention", "full_attention", "sliding_attention"],
                              pad_token_id=0, max_position_embeddings=256, initializer_range=0.2)
    return _patch(Gemma3ForCausalLM(config))


# --- batches: left-padded prompts + right-padded completions, as GRPOTrainer builds them ---

def make_batch(groups: list[tuple[int, int]], vocab: int, shuffle: bool = False, seed: int = 0):
    """``groups`` = [(prompt length, rollouts)]; prompts are left-padded to the longest, completions
    (COMPLETION tokens) right-padded to random lengths >= 1.  Returns input_ids, attention_mask."""
    g = torch.Generator().manual_seed(seed)
    width = max(n for n, _ in groups)
    ids, mask = [], []
    for length, rollouts in groups:
        prompt = torch.randint(2, vocab, (length,), generator=g)
        for _ in range(rollouts):
            kept = int(torch.randint(1, COMPLETION + 1, (1,), generator=g))
            completion = torch.randint(2, vocab, (COMPLETION,), generator=g)
            completion[kept:] = 0
            ids.append(torch.cat([torch.zeros(width - length, dtype=torch.long), prompt, completion]))
            mask.append(torch.cat([torch.zeros(width - length), torch.ones(length + kept), torch.zeros(COMPLETION - kept)]))
    ids, mask = torch.stack(ids), torch.stack(mask).long()
    if shuffle:
        order = torch.randperm(len(ids), generator=g)
        ids, mask = ids[order], mask[order]
    return ids, mask


BATCHES = {
    "one_group": [(9, 4)],
    "groups_of_different_lengths": [(9, 3), (5, 2), (7, 3)],  # left padding on two of the three prompts
    "no_shared_prompt": [(9, 1), (4, 1), (7, 1), (8, 1)],
}


# --- the two paths ---

_FAKE_TRAINER = SimpleNamespace(accelerator=SimpleNamespace(autocast=contextlib.nullcontext))


def reference(model, ids, mask, compute_entropy=True, batch_size=None):
    """TRL's own method, without its profiling wrapper (the text-only path only reads ``self.accelerator``)."""
    logps, entropies, _ = GRPOTrainer._get_per_token_logps_and_entropies.__wrapped__(
        _FAKE_TRAINER, model, ids, mask, COMPLETION, batch_size=batch_size, compute_entropy=compute_entropy)
    return logps, entropies


def shared(model, ids, mask, compute_entropy=True, batch_size=None):
    return shared_prefix_logps(model, ids, mask, COMPLETION, compute_entropy=compute_entropy, batch_size=batch_size)


def grpo_loss(logps, old_logps, advantages, completion_mask):
    """GRPO's clipped surrogate (epsilon 0.2), averaged over completion tokens."""
    ratio = torch.exp(logps - old_logps)
    per_token = -torch.min(ratio * advantages, ratio.clamp(0.8, 1.2) * advantages)
    return (per_token * completion_mask).sum() / completion_mask.sum()


def loss_and_grads(path, model, ids, mask):
    """Loss and gradients of a GRPO step: old log-probs without grad (as for num_iterations > 1), then
    log-probs and entropies with grad, loss = clipped surrogate - 0.01 * mean entropy."""
    model.zero_grad(set_to_none=True)
    with torch.no_grad():
        old, _ = path(model, ids, mask, compute_entropy=False, batch_size=2)
    logps, entropies = path(model, ids, mask)
    completion_mask = mask[:, -COMPLETION:].float()
    advantages = torch.linspace(-1, 1, len(ids)).unsqueeze(1)
    loss = grpo_loss(logps, old + 0.05, advantages, completion_mask)  # + 0.05: ratio != 1, so clipping acts
    loss = loss - 0.01 * (entropies * completion_mask).sum() / completion_mask.sum()
    loss.backward()
    grads = {n: p.grad.clone() for n, p in model.named_parameters() if p.requires_grad}
    return old, logps.detach(), entropies.detach(), loss.detach(), grads


def assert_same_step(model, ids, mask):
    old_ref, logps_ref, ent_ref, loss_ref, grads_ref = loss_and_grads(reference, model, ids, mask)
    old, logps, ent, loss, grads = loss_and_grads(shared, model, ids, mask)
    assert logps.shape == logps_ref.shape == (len(ids), COMPLETION)
    torch.testing.assert_close(old, old_ref, atol=LOGP_ATOL, rtol=0)
    torch.testing.assert_close(logps, logps_ref, atol=LOGP_ATOL, rtol=0)
    torch.testing.assert_close(ent, ent_ref, atol=LOGP_ATOL, rtol=0)
    torch.testing.assert_close(loss, loss_ref, atol=0, rtol=LOSS_RTOL)
    assert grads.keys() == grads_ref.keys() and grads
    for name, g_ref in grads_ref.items():
        err = ((grads[name] - g_ref).abs().max() / g_ref.abs().max().clamp_min(1e-30)).item()
        assert err < GRAD_RTOL, f"{name}: relative gradient error {err:.2e}"
    # masked completion tokens are 0, as in TRL
    assert (logps[mask[:, -COMPLETION:] == 0] == 0).all()


# --- tests ---

@pytest.fixture(scope="module")
def llama():
    return tiny_llama()


@pytest.fixture(scope="module")
def llama_lora():
    return tiny_llama(lora=True)


@pytest.mark.parametrize("shuffle", [False, True], ids=["contiguous", "shuffled"])
@pytest.mark.parametrize("batch", list(BATCHES))
def test_equals_plain_path(llama, batch, shuffle):
    ids, mask = make_batch(BATCHES[batch], llama.config.vocab_size, shuffle=shuffle)
    assert_same_step(llama, ids, mask)


@pytest.mark.parametrize("batch", ["groups_of_different_lengths", "no_shared_prompt"])
def test_equals_plain_path_lora(llama_lora, batch):
    ids, mask = make_batch(BATCHES[batch], llama_lora.config.vocab_size, shuffle=True)
    assert_same_step(llama_lora, ids, mask)
    names = [n for n, p in llama_lora.named_parameters() if p.requires_grad]
    assert names and all("lora_" in n for n in names)


def test_sliding_window_gemma3():
    """Rows (15 tokens) longer than the sliding window (6): the cache keeps only the window."""
    model = tiny_gemma3()
    ids, mask = make_batch([(9, 3), (6, 2), (8, 2)], model.config.vocab_size, shuffle=True)
    assert_same_step(model, ids, mask)


def test_gradient_checkpointing(llama):
    """TRL turns checkpointing on by default; a checkpointed layer would drop the cache.  The function
    bypasses checkpointing for its own forward, stays exact, and leaves the flags as they were."""
    ids, mask = make_batch(BATCHES["groups_of_different_lengths"], llama.config.vocab_size, shuffle=True)
    llama.activation_checkpointing_enable({"use_reentrant": False})
    try:
        with pytest.warns(UserWarning, match="without gradient checkpointing"):
            assert_same_step(llama, ids, mask)
        assert all(layer.gradient_checkpointing for layer in llama.model.layers)
    finally:
        llama.activation_checkpointing_disable()


def test_same_ids_different_mask_are_different_prompts(llama):
    """Grouping is on ids *and* mask: a real token equal to the pad id is not padding."""
    ids, mask = make_batch([(8, 2), (8, 2)], llama.config.vocab_size)
    ids[2:, :8] = ids[0, :8]
    ids[:, 0] = 0
    mask[2:, 0] = 0  # rows 2-3: same ids as rows 0-1, but their first token is padding
    assert_same_step(llama, ids, mask)


def test_no_grad_chunks_and_entropy_off(llama):
    """The no-grad call TRL makes for old log-probs, in chunks that split groups; no entropy asked."""
    ids, mask = make_batch(BATCHES["groups_of_different_lengths"], llama.config.vocab_size, shuffle=True)
    with torch.no_grad():
        ref, _ = reference(llama, ids, mask, compute_entropy=False, batch_size=3)
        for batch_size in (None, 1, 3):
            logps, entropies = shared(llama, ids, mask, compute_entropy=False, batch_size=batch_size)
            assert entropies is None and not logps.requires_grad
            torch.testing.assert_close(logps, ref, atol=LOGP_ATOL, rtol=0)


def test_one_token_prompt(llama):
    """Nothing to share before the last prompt token: the plain call."""
    ids, mask = make_batch([(1, 3)], llama.config.vocab_size)
    with torch.no_grad():
        ref, ref_ent = reference(llama, ids, mask)
        logps, entropies = shared(llama, ids, mask)
    torch.testing.assert_close(logps, ref, atol=LOGP_ATOL, rtol=0)
    torch.testing.assert_close(entropies, ref_ent, atol=LOGP_ATOL, rtol=0)


def test_bf16_autocast(llama):
    ids, mask = make_batch(BATCHES["groups_of_different_lengths"], llama.config.vocab_size, shuffle=True)
    completion_mask = mask[:, -COMPLETION:].float()
    advantages = torch.linspace(-1, 1, len(ids)).unsqueeze(1)
    results = []
    for path in (reference, shared):
        llama.zero_grad(set_to_none=True)
        with torch.autocast("cpu", torch.bfloat16):
            logps, entropies = path(llama, ids, mask)
        ((logps * advantages * completion_mask).sum() / completion_mask.sum()).backward()
        grads = torch.cat([p.grad.flatten() for p in llama.parameters()])
        results.append((logps.detach(), entropies.detach(), grads))
    (logps_ref, ent_ref, g_ref), (logps, ent, g) = results
    torch.testing.assert_close(logps, logps_ref, atol=BF16_LOGP_ATOL, rtol=0)
    torch.testing.assert_close(ent, ent_ref, atol=BF16_LOGP_ATOL, rtol=0)
    assert torch.nn.functional.cosine_similarity(g, g_ref, dim=0) > BF16_GRAD_COS
