"""How many chat frontend pods a stack runs by default, from what `make bench-frontend` measured.

At 500 concurrent chats, two app processes held the added time to first token under 20 ms with no errors (one
process is bounded by its queue concurrency of 256 chats, not by CPU); measured 2026-12-01 on a 2-core machine,
once on a quiet run (frontend/README.md). The chats cost about 0.6-0.75 of a core in all, so each of two pods
would run 30-40 % busy; a third keeps that headroom while one pod is replaced in a rollout or lost.
"""

from __future__ import annotations

PROCESSES_FOR_500_CHATS = 2
ROLLOUT_SPARE = 1
DEFAULT_REPLICAS = PROCESSES_FOR_500_CHATS + ROLLOUT_SPARE
