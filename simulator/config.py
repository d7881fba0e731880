"""Settings of one simulated OpenAI-compatible model server."""

from __future__ import annotations

from dataclasses import dataclass, field

DEFAULT_MODEL = "Qwen/Qwen3-0.6B"
# Who answers a request while the pool is at zero: llm-d's router (held up to its queue TTL, then a 503
# with its dropped-reason header) or, as on GKE, the load balancer in front of it (a plain 503 at once).
COLD_START_STYLES = ("router", "load-balancer")


@dataclass(frozen=True)
class SimulatorConfig:
    """How the simulator answers.

    Rates are probabilities in [0, 1] drawn once per generation request from a
    generator seeded with ``seed``, so a given sequence of requests always gets
    the same injected failures.
    """

    models: tuple[str, ...] = field(default=(DEFAULT_MODEL,))
    ttft_ms: float = 50.0
    itl_ms: float = 10.0
    output_tokens: int = 16
    error_rate: float = 0.0
    error_status: int = 500
    timeout_rate: float = 0.0
    drop_rate: float = 0.0
    seed: int = 0
    hang_seconds: float = 600.0
    max_running: int = 0
    kv_cache_tokens: int = 262_144
    cold_start_seconds: float = 0.0
    cold_start_ttl_seconds: float = 2.0
    cold_start_style: str = "router"

    def __post_init__(self) -> None:
        if isinstance(self.models, str):
            object.__setattr__(self, "models", (self.models,))
        else:
            object.__setattr__(self, "models", tuple(self.models))
        if not self.models:
            raise ValueError("at least one model name is required")
        for name in ("ttft_ms", "itl_ms", "hang_seconds", "cold_start_seconds", "cold_start_ttl_seconds"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must be >= 0")
        if self.cold_start_style not in COLD_START_STYLES:
            raise ValueError(f"cold_start_style must be one of {', '.join(COLD_START_STYLES)}")
        if self.output_tokens < 1:
            raise ValueError("output_tokens must be >= 1")
        rates = (self.error_rate, self.timeout_rate, self.drop_rate)
        if any(r < 0 or r > 1 for r in rates) or sum(rates) > 1:
            raise ValueError("error, timeout and drop rates must be in [0, 1] and sum to at most 1")
        if not 400 <= self.error_status <= 599:
            raise ValueError("error_status must be an HTTP error status (400-599)")
        if self.max_running < 0 or self.kv_cache_tokens < 1:
            raise ValueError("max_running must be >= 0 and kv_cache_tokens >= 1")
