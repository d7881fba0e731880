"""``make chat-local``: the simulator and the chat app on loopback, until Ctrl-C."""

from __future__ import annotations

import argparse
import signal
import sys
import time
from types import FrameType

from frontend.devserver import start_app, start_simulator

MODEL = "Qwen/Qwen3-0.6B"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m frontend.local", description=__doc__)
    p.add_argument("--port", type=int, default=8080, help="app port on 127.0.0.1 (0: any free port)")
    p.add_argument("--sim-port", type=int, default=0, help="simulator port (0: any free port)")
    p.add_argument("--ttft-ms", type=float, default=300.0)
    p.add_argument("--itl-ms", type=float, default=40.0)
    p.add_argument("--output-tokens", type=int, default=60)
    p.add_argument("--cold-start-seconds", type=float, default=0.0,
                   help="the simulator starts with no ready model server for this long (scale from zero); "
                        "the app gets twice that as COLD_START_SECONDS")
    p.add_argument("--cold-start-style", choices=("router", "load-balancer"), default="router",
                   help="who answers 503 during the cold start: llm-d's router or GKE's load balancer")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    stop = False

    def on_signal(signum: int, frame: FrameType | None) -> None:
        nonlocal stop
        stop = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    sim = start_simulator(["--model", MODEL, "--model", "simulated/other-model",
                           "--ttft-ms", str(args.ttft_ms), "--itl-ms", str(args.itl_ms),
                           "--output-tokens", str(args.output_tokens),
                           "--cold-start-seconds", str(args.cold_start_seconds),
                           "--cold-start-style", args.cold_start_style], port=args.sim_port)
    env = {"DEFAULT_MODEL": MODEL, "LOG_LEVEL": "INFO", "IAP_REQUIRED": "false",  # no IAP on loopback
           "COLD_START_SECONDS": str(2 * args.cold_start_seconds)}
    app, url = start_app(sim.url, env, log=sys.stdout, port=args.port)
    try:
        app.wait_ready(url, "/healthz")
        print(f"\nsimulator: {sim.url}/v1  (models: {MODEL}, simulated/other-model)")
        print(f"chat app:  {url}/  (Ctrl-C to stop)\n", flush=True)
        while not stop and app.proc.poll() is None and sim.proc.poll() is None:
            time.sleep(0.2)
    finally:
        app.stop()
        sim.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
