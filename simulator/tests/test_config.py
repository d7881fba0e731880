import pytest

from simulator import DEFAULT_MODEL, SimulatorConfig
from simulator.__main__ import config_from, parse_args


def test_defaults_serve_the_default_model() -> None:
    assert SimulatorConfig().models == (DEFAULT_MODEL,)


def test_a_single_model_string_becomes_a_tuple() -> None:
    assert SimulatorConfig(models="m").models == ("m",)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"models": ()},
        {"ttft_ms": -1},
        {"output_tokens": 0},
        {"error_rate": 1.5},
        {"error_rate": 0.6, "drop_rate": 0.6},
        {"error_status": 200},
        {"max_running": -1},
    ],
)
def test_invalid_settings_are_refused(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        SimulatorConfig(**kwargs)  # type: ignore[arg-type]


def test_cli_flags_map_to_config() -> None:
    args = parse_args(["--model", "a", "--model", "b", "--ttft-ms", "5", "--itl-ms", "1",
                       "--output-tokens", "3", "--error-rate", "0.25", "--error-status", "503",
                       "--timeout-rate", "0.1", "--drop-rate", "0.2", "--seed", "7"])
    cfg = config_from(args)
    assert cfg.models == ("a", "b")
    assert (cfg.ttft_ms, cfg.itl_ms, cfg.output_tokens) == (5, 1, 3)
    assert (cfg.error_rate, cfg.error_status, cfg.timeout_rate, cfg.drop_rate, cfg.seed) == (
        0.25, 503, 0.1, 0.2, 7)


def test_cli_default_model() -> None:
    assert config_from(parse_args([])).models == (DEFAULT_MODEL,)
