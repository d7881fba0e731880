"""Command line: ``python -m simulator --host 127.0.0.1 --port 8000 ...``."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys

from simulator.config import COLD_START_STYLES, DEFAULT_MODEL, SimulatorConfig
from simulator.runner import bind_loopback, start_site
from simulator.server import create_app

log = logging.getLogger("simulator")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m simulator", description=__doc__)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--model", action="append", dest="models", metavar="NAME",
                   help=f"served model name, repeatable (default {DEFAULT_MODEL})")
    p.add_argument("--ttft-ms", type=float, default=50.0, help="time to first token")
    p.add_argument("--itl-ms", type=float, default=10.0, help="inter-token latency")
    p.add_argument("--output-tokens", type=int, default=16, help="reply length unless max_tokens is lower")
    p.add_argument("--error-rate", type=float, default=0.0, help="share of requests answered with an error")
    p.add_argument("--error-status", type=int, default=500, help="HTTP status of injected errors")
    p.add_argument("--timeout-rate", type=float, default=0.0, help="share of requests that hang")
    p.add_argument("--hang-seconds", type=float, default=600.0, help="how long a hanging request hangs")
    p.add_argument("--drop-rate", type=float, default=0.0,
                   help="share of requests whose connection is cut after the first token")
    p.add_argument("--seed", type=int, default=0, help="seed of the fault-injection draws")
    p.add_argument("--max-running", type=int, default=0,
                   help="requests generated at once; more wait (0 = no limit)")
    p.add_argument("--kv-cache-tokens", type=int, default=262_144, help="simulated KV-cache size")
    p.add_argument("--cold-start-seconds", type=float, default=0.0,
                   help="seconds after start during which no model server is ready (0 = ready at once)")
    p.add_argument("--cold-start-ttl-seconds", type=float, default=2.0,
                   help="during the cold start, how long a request is held before it gets 503")
    p.add_argument("--cold-start-style", choices=COLD_START_STYLES, default="router",
                   help="during the cold start, answer as llm-d's router (held, then 503 with its "
                        "dropped-reason header) or as GKE's load balancer (a plain 503 at once)")
    p.add_argument("--log-level", default="WARNING")
    return p.parse_args(argv)


def config_from(args: argparse.Namespace) -> SimulatorConfig:
    return SimulatorConfig(
        models=tuple(args.models or [DEFAULT_MODEL]), ttft_ms=args.ttft_ms, itl_ms=args.itl_ms,
        output_tokens=args.output_tokens, error_rate=args.error_rate, error_status=args.error_status,
        timeout_rate=args.timeout_rate, drop_rate=args.drop_rate, seed=args.seed,
        hang_seconds=args.hang_seconds, max_running=args.max_running,
        kv_cache_tokens=args.kv_cache_tokens, cold_start_seconds=args.cold_start_seconds,
        cold_start_ttl_seconds=args.cold_start_ttl_seconds, cold_start_style=args.cold_start_style,
    )


async def serve(config: SimulatorConfig, host: str, port: int) -> None:
    sock = bind_loopback(host, port)
    runner = await start_site(create_app(config), sock)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    print(f"simulator serving {', '.join(config.models)} on http://{host}:{sock.getsockname()[1]}",
          flush=True)
    try:
        await stop.wait()
    finally:
        await runner.cleanup()
        sock.close()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s %(message)s")
    try:
        config = config_from(args)
    except ValueError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    asyncio.run(serve(config, args.host, args.port))
    return 0


if __name__ == "__main__":
    sys.exit(main())
