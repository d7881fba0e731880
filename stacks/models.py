"""Known models: enough architecture facts to estimate GPU memory per replica."""

from __future__ import annotations

from dataclasses import dataclass

GIB = 1024**3


@dataclass(frozen=True)
class ModelFacts:
    hf_id: str
    params_billion: float
    layers: int
    kv_heads: int
    head_dim: int
    max_context: int
    gated: bool = False
    bytes_per_param: int = 2  # bf16 / fp16 weights
    kv_bytes: int = 2  # fp16 KV cache

    @property
    def weights_gib(self) -> float:
        return self.params_billion * 1e9 * self.bytes_per_param / GIB

    def kv_cache_gib(self, tokens: int) -> float:
        per_token = 2 * self.layers * self.kv_heads * self.head_dim * self.kv_bytes
        return per_token * tokens / GIB


KNOWN_MODELS: dict[str, ModelFacts] = {
    m.hf_id: m
    for m in (
        ModelFacts("Qwen/Qwen3-0.6B", 0.75, 28, 8, 128, 40960),
        ModelFacts("Qwen/Qwen3-8B", 8.2, 36, 8, 128, 40960),
        ModelFacts("Qwen/Qwen3-32B", 32.8, 64, 8, 128, 40960),
        ModelFacts("google/gemma-2b-it", 2.51, 18, 1, 256, 8192, gated=True),
        ModelFacts("meta-llama/Llama-3.1-8B-Instruct", 8.03, 32, 8, 128, 131072, gated=True),
        ModelFacts("meta-llama/Llama-3.1-70B-Instruct", 70.6, 80, 8, 128, 131072, gated=True),
    )
}
