"""A small OpenAI-compatible model server that simulates vLLM, for development and tests."""

from simulator.config import DEFAULT_MODEL, SimulatorConfig
from simulator.runner import running_simulator
from simulator.server import create_app

__all__ = ["DEFAULT_MODEL", "SimulatorConfig", "create_app", "running_simulator"]
