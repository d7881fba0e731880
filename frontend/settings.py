"""Configuration of the chat app, read from environment variables."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass


def _int(env: Mapping[str, str], name: str, default: int, minimum: int = 0) -> int:
    raw = env.get(name, "").strip()
    value = int(raw) if raw else default
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return value


def _float(env: Mapping[str, str], name: str, default: float, minimum: float = 0.0) -> float:
    raw = env.get(name, "").strip()
    value = float(raw) if raw else default
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return value


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off"}:
        return False
    raise ValueError(f"{name} must be true or false, got {raw!r}")


@dataclass(frozen=True)
class Settings:
    gateway_url: str = "http://127.0.0.1:8000"
    default_model: str = ""
    api_key: str = "unused"
    request_timeout_s: float = 600.0
    connect_timeout_s: float = 10.0
    models_timeout_s: float = 5.0
    models_cache_s: float = 60.0
    max_retries: int = 0
    queue_concurrency: int = 256
    queue_max_size: int = 0
    queue_status_s: float = 2.0
    max_connections: int = 1000
    stream_interval_s: float = 0.1
    stream_interval_max_s: float = 0.5
    stream_busy_chats: int = 50
    default_max_tokens: int = 512
    max_tokens_limit: int = 8192
    default_temperature: float = 0.7
    system_prompt: str = ""
    host: str = "0.0.0.0"
    port: int = 8080
    log_level: str = "INFO"
    access_log: bool = False
    title: str = "llm-d chat"

    @property
    def api_base(self) -> str:
        """The OpenAI-compatible base: the gateway URL with ``/v1`` appended once."""
        base = self.gateway_url.rstrip("/")
        return base if base.endswith("/v1") else base + "/v1"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        e = os.environ if env is None else env
        d = cls()
        return cls(
            gateway_url=e.get("GATEWAY_URL", d.gateway_url).strip() or d.gateway_url,
            default_model=e.get("DEFAULT_MODEL", "").strip(),
            api_key=e.get("OPENAI_API_KEY", "").strip() or d.api_key,
            request_timeout_s=_float(e, "REQUEST_TIMEOUT_SECONDS", d.request_timeout_s, 0.1),
            connect_timeout_s=_float(e, "CONNECT_TIMEOUT_SECONDS", d.connect_timeout_s, 0.1),
            models_timeout_s=_float(e, "MODELS_TIMEOUT_SECONDS", d.models_timeout_s, 0.1),
            models_cache_s=_float(e, "MODELS_CACHE_SECONDS", d.models_cache_s),
            max_retries=_int(e, "BACKEND_MAX_RETRIES", d.max_retries),
            queue_concurrency=_int(e, "QUEUE_CONCURRENCY", d.queue_concurrency, 1),
            queue_max_size=_int(e, "QUEUE_MAX_SIZE", d.queue_max_size),
            queue_status_s=_float(e, "QUEUE_STATUS_SECONDS", d.queue_status_s, 0.1),
            max_connections=_int(e, "BACKEND_MAX_CONNECTIONS", d.max_connections, 1),
            stream_interval_s=_float(e, "STREAM_INTERVAL_MS", d.stream_interval_s * 1000) / 1000,
            stream_interval_max_s=_float(e, "STREAM_INTERVAL_MAX_MS", d.stream_interval_max_s * 1000) / 1000,
            stream_busy_chats=_int(e, "STREAM_BUSY_CHATS", d.stream_busy_chats, 1),
            default_max_tokens=_int(e, "DEFAULT_MAX_TOKENS", d.default_max_tokens, 1),
            max_tokens_limit=_int(e, "MAX_TOKENS_LIMIT", d.max_tokens_limit, 1),
            default_temperature=_float(e, "DEFAULT_TEMPERATURE", d.default_temperature),
            system_prompt=e.get("SYSTEM_PROMPT", ""),
            host=e.get("HOST", d.host).strip() or d.host,
            port=_int(e, "PORT", d.port, 0),
            log_level=(e.get("LOG_LEVEL", "").strip() or d.log_level).upper(),
            access_log=_bool(e, "ACCESS_LOG", d.access_log),
            title=e.get("APP_TITLE", "").strip() or d.title,
        )
