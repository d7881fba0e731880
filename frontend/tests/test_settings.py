import pytest

from frontend.settings import Settings


def test_defaults() -> None:
    s = Settings.from_env({"IAP_REQUIRED": "false"})
    assert (s.request_timeout_s, s.queue_concurrency, s.port, s.host) == (600.0, 256, 8080, "0.0.0.0")
    assert s.api_base == "http://127.0.0.1:8000/v1"


@pytest.mark.parametrize(
    ("url", "base"),
    [("http://10.0.0.5", "http://10.0.0.5/v1"), ("http://gw/", "http://gw/v1"),
     ("http://gw/v1", "http://gw/v1"), ("http://gw/v1/", "http://gw/v1")],
)
def test_v1_is_appended_once(url: str, base: str) -> None:
    assert Settings.from_env({"GATEWAY_URL": url, "IAP_REQUIRED": "false"}).api_base == base


def test_values_from_environment() -> None:
    s = Settings.from_env({"DEFAULT_MODEL": " m ", "REQUEST_TIMEOUT_SECONDS": "30",
                           "QUEUE_CONCURRENCY": "1000", "PORT": "9000", "HOST": "127.0.0.1",
                           "ACCESS_LOG": "yes", "LOG_LEVEL": "debug", "IAP_REQUIRED": "false"})
    assert (s.default_model, s.request_timeout_s, s.queue_concurrency, s.port) == ("m", 30.0, 1000, 9000)
    assert (s.host, s.access_log, s.log_level) == ("127.0.0.1", True, "DEBUG")


@pytest.mark.parametrize(
    "env",
    [{"QUEUE_CONCURRENCY": "0"}, {"REQUEST_TIMEOUT_SECONDS": "-1"}, {"PORT": "x"}, {"ACCESS_LOG": "maybe"}],
)
def test_bad_values_are_refused(env: dict[str, str]) -> None:
    with pytest.raises(ValueError):
        Settings.from_env({"IAP_REQUIRED": "false", **env})
