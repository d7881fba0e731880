# Simulator targets. Included by the top-level Makefile.
SIM_PORT ?= 8000
SIM_ARGS ?=

.PHONY: simulator

# An OpenAI-compatible vLLM stand-in on 127.0.0.1 until Ctrl-C (flags: simulator/README.md).
simulator: venv
	$(PY) -m simulator --host 127.0.0.1 --port $(SIM_PORT) $(SIM_ARGS)
