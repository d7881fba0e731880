"""Configuration of the chat app, read from environment variables."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass

IAP_CERTS_URL = "https://www.gstatic.com/iap/verify/public_key"
IAP_PREFIX = re.compile(r"/projects/[0-9]+/global/backendServices/")


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
    cold_start_s: float = 0.0
    cold_start_notice_s: float = 5.0
    idle_s: float = 0.0
    queue_concurrency: int = 256
    queue_max_size: int = 0
    queue_status_s: float = 2.0
    queue_poll_s: float = 0.003
    max_connections: int = 1000
    stream_interval_s: float = 0.1
    stream_interval_max_s: float = 0.5
    stream_busy_chats: int = 50
    chat_api_direct: bool = True
    default_max_tokens: int = 512
    max_tokens_limit: int = 8192
    default_temperature: float = 0.7
    system_prompt: str = ""
    host: str = "0.0.0.0"
    port: int = 8080
    log_level: str = "INFO"
    access_log: bool = False
    title: str = "llm-d chat"
    iap_audience_prefix: str = ""
    iap_required: bool = True
    iap_certs_url: str = IAP_CERTS_URL
    iap_keys_ttl_s: float = 3600.0

    @property
    def iap_enabled(self) -> bool:
        """IAP tokens are checked whenever an audience prefix is configured."""
        return bool(self.iap_audience_prefix)

    def check(self) -> Settings:
        """Refuse settings the app must not start with; returns ``self``."""
        if self.cold_start_notice_s <= 0:
            raise ValueError(f"COLD_START_NOTICE_SECONDS must be > 0, got {self.cold_start_notice_s:g}")
        prefix = self.iap_audience_prefix
        if prefix and not IAP_PREFIX.fullmatch(prefix):
            raise ValueError(
                f"IAP_AUDIENCE_PREFIX must look like /projects/PROJECT_NUMBER/global/backendServices/ "
                f"(the project's number, with both slashes at the ends), got {prefix!r}")
        if self.iap_required and not prefix:
            raise ValueError(
                "IAP_AUDIENCE_PREFIX is not set, and IAP_REQUIRED is true (the default): set "
                "IAP_AUDIENCE_PREFIX=/projects/PROJECT_NUMBER/global/backendServices/ (the number of the "
                "project whose load balancer runs IAP) so every request's IAP header is verified, or set "
                "IAP_REQUIRED=false to run without IAP checks (local development only)")
        return self

    @property
    def answer_timeout_s(self) -> float:
        """The limit for a whole answer: a model coming up from zero replicas gets its start-up time on top."""
        return self.request_timeout_s + self.cold_start_s

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
            cold_start_s=_float(e, "COLD_START_SECONDS", d.cold_start_s),
            cold_start_notice_s=_float(e, "COLD_START_NOTICE_SECONDS", d.cold_start_notice_s),
            idle_s=_float(e, "IDLE_SECONDS", d.idle_s),
            queue_concurrency=_int(e, "QUEUE_CONCURRENCY", d.queue_concurrency, 1),
            queue_max_size=_int(e, "QUEUE_MAX_SIZE", d.queue_max_size),
            queue_status_s=_float(e, "QUEUE_STATUS_SECONDS", d.queue_status_s, 0.1),
            queue_poll_s=_float(e, "QUEUE_POLL_MS", d.queue_poll_s * 1000, 0.1) / 1000,
            max_connections=_int(e, "BACKEND_MAX_CONNECTIONS", d.max_connections, 1),
            stream_interval_s=_float(e, "STREAM_INTERVAL_MS", d.stream_interval_s * 1000) / 1000,
            stream_interval_max_s=_float(e, "STREAM_INTERVAL_MAX_MS", d.stream_interval_max_s * 1000) / 1000,
            stream_busy_chats=_int(e, "STREAM_BUSY_CHATS", d.stream_busy_chats, 1),
            chat_api_direct=_bool(e, "CHAT_API_DIRECT", d.chat_api_direct),
            default_max_tokens=_int(e, "DEFAULT_MAX_TOKENS", d.default_max_tokens, 1),
            max_tokens_limit=_int(e, "MAX_TOKENS_LIMIT", d.max_tokens_limit, 1),
            default_temperature=_float(e, "DEFAULT_TEMPERATURE", d.default_temperature),
            system_prompt=e.get("SYSTEM_PROMPT", ""),
            host=e.get("HOST", d.host).strip() or d.host,
            port=_int(e, "PORT", d.port, 0),
            log_level=(e.get("LOG_LEVEL", "").strip() or d.log_level).upper(),
            access_log=_bool(e, "ACCESS_LOG", d.access_log),
            title=e.get("APP_TITLE", "").strip() or d.title,
            iap_audience_prefix=e.get("IAP_AUDIENCE_PREFIX", "").strip(),
            iap_required=_bool(e, "IAP_REQUIRED", d.iap_required),
            iap_certs_url=e.get("IAP_CERTS_URL", "").strip() or d.iap_certs_url,
            iap_keys_ttl_s=_float(e, "IAP_KEYS_TTL_SECONDS", d.iap_keys_ttl_s, 1.0),
        ).check()
