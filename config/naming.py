"""Names derived from the stack: deterministic, valid for GCP and Kubernetes, unique per stack."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

PREFIX = "llmd"
_INVALID = re.compile(r"[^a-z0-9-]+")


def dns_label(*parts: str, max_len: int = 63) -> str:
    """Join parts into a lowercase RFC 1035 label; names too long keep a hash of the full name."""
    full = _INVALID.sub("-", "-".join(parts).lower()).strip("-")
    full = re.sub(r"-{2,}", "-", full)
    if not full or not full[0].isalpha():
        full = f"x-{full}"
    if len(full) <= max_len:
        return full
    digest = hashlib.sha256(full.encode()).hexdigest()[:6]
    return f"{full[: max_len - 7].rstrip('-')}-{digest}"


def label_value(value: str) -> str:
    """A GCP/Kubernetes label value: lowercase letters, digits, - and _, at most 63 characters."""
    return re.sub(r"[^a-z0-9_-]+", "-", value.lower())[:63]


@dataclass(frozen=True)
class Names:
    stack: str

    def of(self, suffix: str, max_len: int = 63) -> str:
        return dns_label(PREFIX, self.stack, suffix, max_len=max_len)

    @property
    def cluster(self) -> str:
        return dns_label(PREFIX, self.stack, max_len=40)

    def node_pool(self, role: str) -> str:
        return dns_label(role, max_len=40)

    @property
    def node_service_account(self) -> str:
        # Service account ids: 6 to 30 characters.
        return dns_label(PREFIX, self.stack, "nodes", max_len=30)
