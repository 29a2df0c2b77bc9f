# One task runner for people and CI alike.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
CORE   := $(VENV)/.installed-core
STAMP  := $(VENV)/.installed

.PHONY: setup system-deps start ask index test lint eval bench clean

# What the assistant itself needs (make start): no torch, no LangChain baseline.
$(CORE): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "需要 Python 3.11（找不到 $(PYTHON)）"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	@touch $(CORE)

# Everything for tests and the benchmark: the sentence-transformers and bench extras too. torch is pinned
# to the CPU build in pyproject; installing it first keeps pip from choosing a CUDA build.
$(STAMP): $(CORE)
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e ".[test]"
	@touch $(STAMP)

setup: $(STAMP)

## Debian packages the tests use: a real headless browser (and its driver) for the eval report and the console
system-deps:
	@{ command -v chromium && command -v chromedriver && fc-list :lang=zh | grep -q . && fc-list | grep -qi emoji ; } >/dev/null 2>&1 || \
	  { apt-get update -qq && apt-get install -y -qq chromium chromium-driver fonts-wqy-microhei fonts-noto-color-emoji >/dev/null; }

## 安装依赖、索引内置语料并进入对话
start: $(CORE)
	$(BIN)/guopei index
	$(BIN)/guopei chat

## make ask Q="学校每年要拿出多少经费用于教师培训？"
ask: $(CORE)
	$(BIN)/guopei ask "$(Q)"

index: $(CORE)
	$(BIN)/guopei index

## ruff，以及 import-linter 检查分层（corpus → indexer → assistant → 渠道 / 评测）
lint: setup
	$(BIN)/ruff check .
	$(BIN)/lint-imports

## 安装依赖并运行全部测试（CI 调用的就是这一条）
test: setup system-deps
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/python -m pytest

eval: $(CORE)
	$(BIN)/guopei eval run evals/datasets/seed.jsonl --out evals/runs/latest

bench: setup
	$(BIN)/python -m evals.bench --sizes seed,pdf,1000,10000,100000,api

clean:
	rm -rf $(VENV) guopei-data .pytest_cache
