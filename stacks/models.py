"""Known models: enough architecture facts to estimate GPU memory per replica.

Architecture fields come from each model's config.json on Hugging Face (num_hidden_layers, num_key_value_heads,
head_dim, max_position_embeddings, hidden_size, intermediate_size, vocab_size, num_attention_heads).
"""

from __future__ import annotations

from dataclasses import dataclass

GIB = 1024**3


# What vLLM keeps inside --gpu-memory-utilization besides weights and KV cache (vllm/v1/worker/gpu_worker.py,
# determine_available_memory): the activation peak of a profile run over max_num_batched_tokens tokens, the
# sampler's logits over max_num_seqs rows, and memory outside PyTorch (NCCL, cuBLAS workspaces).
NON_TORCH_GIB = 0.5
# Activations per token of the profile run, in units of (hidden_size, intermediate_size / TP) at 2 bytes: the
# residual stream, attention and norm buffers, and the MLP's gate and up projections.
HIDDEN_BUFFERS, INTERMEDIATE_BUFFERS = 8, 3
LOGIT_BYTES, LOGIT_COPIES = 4, 2  # fp32 logits and the sampler's softmax over them
# The estimate is a model, not a measurement: suggested limits keep this share of the activation figure spare.
ACTIVATION_MARGIN = 1.15


@dataclass(frozen=True)
class ModelFacts:
    hf_id: str
    params_billion: float
    layers: int
    kv_heads: int
    head_dim: int
    max_context: int
    hidden_size: int
    intermediate_size: int
    vocab_size: int
    attention_heads: int
    gated: bool = False
    bytes_per_param: int = 2  # bf16 / fp16 weights
    kv_bytes: int = 2  # fp16 KV cache

    @property
    def weights_gib(self) -> float:
        return self.params_billion * 1e9 * self.bytes_per_param / GIB

    def kv_heads_per_rank(self, tp: int = 1) -> int:
        # With fewer KV heads than ranks, each rank keeps a copy of one (vLLM replicates them).
        return max(1, self.kv_heads // tp)

    def kv_cache_gib(self, tokens: int, tp: int = 1) -> float:
        """One rank's KV cache for `tokens` tokens."""
        per_token = 2 * self.layers * self.kv_heads_per_rank(tp) * self.head_dim * self.kv_bytes
        return per_token * tokens / GIB

    def activation_gib(self, batched_tokens: int, sampler_rows: int, tp: int = 1) -> float:
        """One rank's reserve besides weights and KV cache, with the margin."""
        per_token = 2 * (HIDDEN_BUFFERS * self.hidden_size + INTERMEDIATE_BUFFERS * self.intermediate_size / tp)
        logits = sampler_rows * self.vocab_size * LOGIT_BYTES * LOGIT_COPIES
        return (batched_tokens * per_token + logits) / GIB * ACTIVATION_MARGIN + NON_TORCH_GIB


KNOWN_MODELS: dict[str, ModelFacts] = {
    m.hf_id: m
    for m in (
        ModelFacts("Qwen/Qwen3-0.6B", 0.75, 28, 8, 128, 40960, 1024, 3072, 151936, 16),
        ModelFacts("Qwen/Qwen3-8B", 8.2, 36, 8, 128, 40960, 4096, 12288, 151936, 32),
        ModelFacts("Qwen/Qwen3-32B", 32.8, 64, 8, 128, 40960, 5120, 25600, 151936, 64),
        ModelFacts("google/gemma-2b-it", 2.51, 18, 1, 256, 8192, 2048, 16384, 256000, 8, gated=True),
        ModelFacts("meta-llama/Llama-3.1-8B-Instruct", 8.03, 32, 8, 128, 131072, 4096, 14336, 128256, 32, gated=True),
        ModelFacts("meta-llama/Llama-3.1-70B-Instruct", 70.6, 80, 8, 128, 131072, 8192, 28672, 128256, 64, gated=True),
    )
}
