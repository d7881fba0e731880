# loadtest/: the stress test and the load generator's own benchmark. See loadtest/README.md.
# Included by the top-level Makefile, which defines PY and the venv target.

.PHONY: bench-loadgen stress

BENCH_REQUESTS ?= 20000
BENCH_USERS ?= 32
BENCH_ROUNDS ?= 7

# What one process of the generator drives against a zero-latency simulator in another process.
bench-loadgen: venv
	$(PY) -m loadtest bench --requests $(BENCH_REQUESTS) --users $(BENCH_USERS) --rounds $(BENCH_ROUNDS)

# A load test of a deployment. Through IAP (the public chat URL):
#   make stress LT_URL=https://chat.example.com LT_SA=stress-test@PROJECT.iam.gserviceaccount.com
# Directly against an OpenAI-compatible endpoint (e.g. the gateway through a port-forward):
#   make stress LT_TARGET=openai LT_URL=http://127.0.0.1:8080 LT_SA=
LT_TARGET ?= gradio
LT_URL ?=
LT_SA ?=
LT_USERS ?= 50
LT_REQUESTS ?= 5000
LT_DURATION ?= 600
LT_RAMP_UP ?= 30
LT_THINK ?= 1:2
LT_PROMPTS ?= mixed
LT_TURNS ?= 3
LT_MAX_TOKENS ?= 256
LT_TIMEOUT ?= 120
LT_LABEL ?= stress
# The run FAILs (exit 3) below this success rate; 0 accepts any run that finished a request.
LT_MIN_SUCCESS ?= 0.95
# Models, comma-separated (empty: openai takes the first of /v1/models, gradio the app's default).
LT_MODELS ?=
# The serving side's Prometheus endpoints, space-separated (e.g. port-forwarded EPP :9090/metrics and
# vLLM :8000/metrics), read by the names of the llm-d version set LT_VERSION_SET. Empty: none.
LT_METRICS ?=
LT_VERSION_SET ?= v0.9.0
LT_ARGS ?=

stress: venv
	$(if $(LT_URL),,$(error LT_URL is required, e.g. make stress LT_URL=https://chat.example.com LT_SA=...))
	$(PY) -m loadtest run --target $(LT_TARGET) --url $(LT_URL) \
		$(if $(LT_SA),--iap-service-account $(LT_SA)) $(if $(LT_MODELS),--model $(LT_MODELS)) \
		--users $(LT_USERS) --requests $(LT_REQUESTS) --duration $(LT_DURATION) \
		--ramp-up $(LT_RAMP_UP) --think-time $(LT_THINK) --prompts $(LT_PROMPTS) \
		--turns $(LT_TURNS) --max-tokens $(LT_MAX_TOKENS) --timeout $(LT_TIMEOUT) \
		--min-success-rate $(LT_MIN_SUCCESS) --label $(LT_LABEL) \
		$(foreach url,$(LT_METRICS),--metrics-url $(url)) --version-set $(LT_VERSION_SET) $(LT_ARGS)
