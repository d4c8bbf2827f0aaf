# SoapDesk: the two commands are `make run` and `make test`. Both set up
# everything first (system packages, virtualenv, default models); every setup
# step is idempotent and reuses caches (pip's wheel cache, the models
# directory outside the work tree), so the second run starts at once.

SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PYTHON ?= $(shell command -v python3.11 || command -v python3)
# Models the app and the tests need; the catalog lists more.
MODELS ?= whisper-tiny.en qwen2.5-coder-1.5b-instruct-q4_k_m smollm2-135m-instruct-q4_1
SAMPLE ?= samples/sample_session.ogg
PYTEST_ARGS ?=

.PHONY: setup system venv models run test bench quality screenshot clean

setup: system venv models

system:
	@bash packaging/setup-system.sh

# llama.cpp is built for this CPU's instruction sets as packaging/llama-cpu-flags.sh
# reads them (AVX2, AVX-512 when present), never with -march=native: a native build
# on a CPU that reports AMX, inside a VM that does not grant the process AMX state (this
# build machine on 2026-12-06), died with a general protection fault at `ldtilecfg` on the
# first matrix multiply: every draft, every test with a model. pip's own wheel cache cannot
# tell builds with different CMAKE_ARGS apart, so the wheel is built once into a folder of
# ours named after the flag set and installed from there.
LLAMA_VERSION := $(shell sed -n 's/.*"llama-cpp-python==\([^"]*\)".*/\1/p' pyproject.toml)
LLAMA_CMAKE_ARGS := $(shell bash packaging/llama-cpu-flags.sh)
LLAMA_WHEELS := $(HOME)/.cache/soapdesk/wheels/llama-cpp-$(shell bash packaging/llama-cpu-flags.sh name)
LLAMA_WHEEL := $(LLAMA_WHEELS)/.built-$(LLAMA_VERSION)

$(VENV)/bin/python:
	@$(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install -q --upgrade pip wheel setuptools

$(LLAMA_WHEEL): | $(VENV)/bin/python
	@echo "Building llama-cpp-python $(LLAMA_VERSION) once for $(notdir $(LLAMA_WHEELS)) (~7 min on 2 cores; kept in $(LLAMA_WHEELS))"
	@CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(PY) -m pip wheel -q --no-deps --no-cache-dir \
		"llama-cpp-python==$(LLAMA_VERSION)" -w $(LLAMA_WHEELS)
	@touch $@

$(VENV)/.installed: pyproject.toml $(LLAMA_WHEEL) | $(VENV)/bin/python
	@echo "Installing SoapDesk into $(VENV)"
	@$(PY) -m pip install -q --no-deps --force-reinstall --no-index --find-links $(LLAMA_WHEELS) \
		"llama-cpp-python==$(LLAMA_VERSION)"
	@$(PY) -m pip install -q --find-links $(LLAMA_WHEELS) -e '.[dev]'
	@touch $@

venv: system $(VENV)/.installed

models: venv
	@$(PY) -m soapdesk models install $(MODELS)

run: setup
	@if [ -n "$$DISPLAY$$WAYLAND_DISPLAY" ]; then \
		$(PY) -m soapdesk gui; \
	else \
		echo "No display found (DISPLAY/WAYLAND_DISPLAY unset): running the pipeline on the shipped sample session $(SAMPLE) instead of opening the window."; \
		$(PY) -m soapdesk note --audio $(SAMPLE) --template soap; \
	fi

test: setup
	@QT_QPA_PLATFORM=offscreen $(PY) -m pytest $(PYTEST_ARGS)

# Speed and quality measurements (run by hand on a quiet machine; not part of `make test`).
bench: setup
	@$(PY) benchmarks/transcribe_bench.py
	@$(PY) benchmarks/engine_bench.py
	@$(PY) benchmarks/vault_bench.py
	@$(PY) benchmarks/api_bench.py
	@QT_QPA_PLATFORM=offscreen $(PY) benchmarks/gui_bench.py

quality: setup
	@$(PY) benchmarks/quality.py
	@$(PY) benchmarks/therapy_eval.py --seeded

# PNG screenshots of the main screens of the real window, under Xvfb, into screenshots/.
screenshot: setup
	@xvfb-run -a -s "-screen 0 1400x900x24" $(PY) packaging/screenshots.py

clean:
	rm -rf $(VENV) .pytest_cache
