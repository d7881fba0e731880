"""The simulator's cold start: a pool at zero as llm-d's router answers for it, or as GKE's load balancer does."""

import json
import threading
import time
import urllib.error
import urllib.request

import pytest

from simulator import SimulatorConfig, running_simulator
from simulator.__main__ import config_from, parse_args

CHAT = {"messages": [{"role": "user", "content": "hi"}]}
HEADER = "x-llm-d-request-dropped-reason"


def timed_post(url: str) -> tuple[float, int, dict[str, str], bytes]:
    req = urllib.request.Request(url + "/v1/chat/completions", data=json.dumps(CHAT).encode(),
                                 headers={"Content-Type": "application/json"})
    begin = time.monotonic()
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return time.monotonic() - begin, r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return time.monotonic() - begin, e.code, dict(e.headers), e.read()


def test_a_cold_pool_holds_a_request_for_the_ttl_then_answers_no_endpoints() -> None:
    cfg = SimulatorConfig(ttft_ms=0, itl_ms=0, cold_start_seconds=1.2, cold_start_ttl_seconds=0.3)
    with running_simulator(cfg) as url:
        held, status, headers, body = timed_post(url)
        assert status == 503
        assert {k.lower(): v for k, v in headers.items()}[HEADER] == "rejected-no-endpoints"
        assert json.loads(body)["error"]["code"] == 503
        assert 0.25 <= held < 1.0
        time.sleep(1.0)
        _, status, _, body = timed_post(url)
    assert status == 200
    assert json.loads(body)["choices"][0]["message"]["content"].startswith("[sim] received 1 message;")


def test_a_request_held_until_the_pool_is_ready_is_served() -> None:
    cfg = SimulatorConfig(ttft_ms=0, itl_ms=0, cold_start_seconds=0.8, cold_start_ttl_seconds=5)
    with running_simulator(cfg) as url:
        answers: list[tuple[float, int, dict[str, str], bytes]] = []
        threads = [threading.Thread(target=lambda: answers.append(timed_post(url))) for _ in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(10)
    assert [status for _, status, _, _ in answers] == [200, 200, 200]
    assert all(0.5 <= held < 2.5 for held, _, _, _ in answers)


def test_as_the_load_balancer_a_cold_pool_answers_a_plain_503_at_once() -> None:
    cfg = SimulatorConfig(ttft_ms=0, itl_ms=0, cold_start_seconds=1.0, cold_start_ttl_seconds=5,
                          cold_start_style="load-balancer")
    with running_simulator(cfg) as url:
        held, status, headers, body = timed_post(url)
        assert status == 503
        assert HEADER not in {k.lower() for k in headers}
        assert body == b"no healthy upstream"
        assert held < 0.25
        time.sleep(1.0)
        _, status, _, _ = timed_post(url)
    assert status == 200


def test_the_cold_start_flags_map_to_config() -> None:
    cfg = config_from(parse_args(["--cold-start-seconds", "90", "--cold-start-ttl-seconds", "1.5",
                                  "--cold-start-style", "load-balancer"]))
    assert (cfg.cold_start_seconds, cfg.cold_start_ttl_seconds, cfg.cold_start_style) == (90, 1.5, "load-balancer")
    defaults = config_from(parse_args([]))
    assert (defaults.cold_start_seconds, defaults.cold_start_ttl_seconds, defaults.cold_start_style) == (0, 2, "router")


def test_an_unknown_cold_start_style_is_refused() -> None:
    with pytest.raises(ValueError):
        SimulatorConfig(cold_start_style="gateway")
    with pytest.raises(SystemExit):
        parse_args(["--cold-start-style", "gateway"])


@pytest.mark.parametrize("kwargs", [{"cold_start_seconds": -1}, {"cold_start_ttl_seconds": -0.5}])
def test_negative_cold_start_settings_are_refused(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        SimulatorConfig(**kwargs)  # type: ignore[arg-type]
