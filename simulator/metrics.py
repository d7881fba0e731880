"""Prometheus metrics named as vLLM names them, one registry per simulator."""

from __future__ import annotations

from dataclasses import dataclass

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

LATENCY_BUCKETS = (0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0,
                   2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0, 160.0, 640.0, 2560.0)
TOKEN_BUCKETS = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000)


@dataclass
class ModelMetrics:
    """The metric children of one served model (labels resolved once)."""

    running: Gauge
    waiting: Gauge
    kv_usage: Gauge
    ttft: Histogram
    itl: Histogram
    tpot: Histogram
    e2e: Histogram
    prompt_tokens: Counter
    generation_tokens: Counter
    prompt_hist: Histogram
    generation_hist: Histogram
    success_stop: Counter
    success_length: Counter
    success_abort: Counter
    prefix_queries: Counter


class Metrics:
    """All metrics of one simulator instance."""

    def __init__(self, models: tuple[str, ...]) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        labels = ["model_name", "engine"]
        running = Gauge("vllm:num_requests_running", "Requests being generated.", labels, registry=r)
        waiting = Gauge("vllm:num_requests_waiting", "Requests waiting to run.", labels, registry=r)
        kv = Gauge("vllm:kv_cache_usage_perc", "KV-cache usage, 1 means full.", labels, registry=r)
        ttft = Histogram("vllm:time_to_first_token_seconds", "Time to first token.", labels,
                         buckets=LATENCY_BUCKETS, registry=r)
        itl = Histogram("vllm:inter_token_latency_seconds", "Inter-token latency.", labels,
                        buckets=LATENCY_BUCKETS, registry=r)
        tpot = Histogram("vllm:request_time_per_output_token_seconds", "Time per output token.",
                         labels, buckets=LATENCY_BUCKETS, registry=r)
        e2e = Histogram("vllm:e2e_request_latency_seconds", "End-to-end request latency.", labels,
                        buckets=LATENCY_BUCKETS, registry=r)
        prompt = Counter("vllm:prompt_tokens", "Prefill tokens processed.", labels, registry=r)
        gen = Counter("vllm:generation_tokens", "Generation tokens produced.", labels, registry=r)
        prompt_h = Histogram("vllm:request_prompt_tokens", "Prompt tokens per request.", labels,
                             buckets=TOKEN_BUCKETS, registry=r)
        gen_h = Histogram("vllm:request_generation_tokens", "Generated tokens per request.", labels,
                          buckets=TOKEN_BUCKETS, registry=r)
        success = Counter("vllm:request_success", "Finished requests.", labels + ["finished_reason"],
                          registry=r)
        prefix = Counter("vllm:prefix_cache_queries", "Prefix-cache queries, in tokens.", labels,
                         registry=r)
        Counter("vllm:prefix_cache_hits", "Prefix-cache hits, in tokens.", labels, registry=r)
        self.models: dict[str, ModelMetrics] = {}
        for model in models:
            lv = (model, "0")
            self.models[model] = ModelMetrics(
                running=running.labels(*lv), waiting=waiting.labels(*lv), kv_usage=kv.labels(*lv),
                ttft=ttft.labels(*lv), itl=itl.labels(*lv), tpot=tpot.labels(*lv), e2e=e2e.labels(*lv),
                prompt_tokens=prompt.labels(*lv), generation_tokens=gen.labels(*lv),
                prompt_hist=prompt_h.labels(*lv), generation_hist=gen_h.labels(*lv),
                success_stop=success.labels(*lv, "stop"), success_length=success.labels(*lv, "length"),
                success_abort=success.labels(*lv, "abort"), prefix_queries=prefix.labels(*lv),
            )

    def render(self) -> bytes:
        return generate_latest(self.registry)
