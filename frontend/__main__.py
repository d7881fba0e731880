"""Run the chat app: ``python -m frontend`` (configured by environment variables)."""

from __future__ import annotations

import gc
import logging
import os
import sys

from frontend.environment import keep_matplotlib_out, prepare_environment


def main() -> int:
    prepare_environment(os.environ)
    keep_matplotlib_out()
    import uvicorn

    from frontend import logs
    from frontend.app import create_app
    from frontend.settings import Settings

    try:
        settings = Settings.from_env()
    except ValueError as e:
        print(f"configuration error: {e}", file=sys.stderr)
        return 2
    logs.configure(settings.log_level)
    app = create_app(settings)
    # The ~250,000 objects built so far (Gradio, FastAPI, the page's configuration) live as long as the
    # process: frozen, the collector's full passes (~0.1-0.2 s each, every chat waits) skip them.
    gc.collect()
    gc.freeze()
    logging.getLogger("frontend").info("starting", extra={
        "url": f"http://{settings.host}:{settings.port}/", "gateway": settings.api_base,
        "default_model": settings.default_model, "queue_concurrency": settings.queue_concurrency,
        "request_timeout_s": settings.request_timeout_s})
    uvicorn.run(app, host=settings.host, port=settings.port, log_config=None,
                access_log=settings.access_log, timeout_keep_alive=75, timeout_graceful_shutdown=5)
    return 0


if __name__ == "__main__":
    sys.exit(main())
