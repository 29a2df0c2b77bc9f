# One task runner for people and CI alike.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
CORE   := $(VENV)/.installed-core
STAMP  := $(VENV)/.installed

.PHONY: setup system-deps start ask index test lint eval bench llm-local clean

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

## 本机真实大模型（不属于 make test）：用 llama.cpp 服务加载一个 GGUF 模型，在同一批题上比较抽取式与大模型回答。
## make llm-local LLAMA_PY=/某个装了 llama-cpp-python[server] 的环境/bin/python GGUF=/路径/模型.gguf
## 可选：LLM_LOCAL_DATA（默认 seed 的 test 划分）、LLAMA_PORT、LLM_LOCAL_OUT；服务在结束或中断时一并停止。
LLAMA_PORT     ?= 8791
LLM_LOCAL_DATA ?= evals/datasets/seed.jsonl
LLM_LOCAL_OUT  ?= evals/runs/llm-local
LLM_LOCAL_NAME  = $(basename $(notdir $(GGUF)))
llm-local: $(CORE)
	@test -x "$(LLAMA_PY)" || { echo "请用 LLAMA_PY 指定装有 llama-cpp-python[server] 的 Python（另建虚拟环境，不装进 .venv）"; exit 1; }
	@test -f "$(GGUF)" || { echo "请用 GGUF 指定模型文件路径（找不到：$(GGUF)）"; exit 1; }
	@! curl -s -o /dev/null http://127.0.0.1:$(LLAMA_PORT)/ || { echo "端口 $(LLAMA_PORT) 已被占用，请用 LLAMA_PORT 换一个"; exit 1; }
	@set -e; log=$$(mktemp); \
	"$(LLAMA_PY)" -m llama_cpp.server --model "$(GGUF)" --model_alias "$(LLM_LOCAL_NAME)" \
	  --host 127.0.0.1 --port $(LLAMA_PORT) --n_ctx 4096 >"$$log" 2>&1 & pid=$$!; \
	trap 'st=$$?; kill $$pid 2>/dev/null; wait $$pid 2>/dev/null || true; rm -f "$$log"; exit $$st' EXIT; trap 'exit 130' INT TERM; \
	for i in $$(seq 120); do curl -sf http://127.0.0.1:$(LLAMA_PORT)/v1/models >/dev/null && break; \
	  kill -0 $$pid 2>/dev/null || { echo "llama.cpp 服务未能启动："; tail -n 20 "$$log"; exit 1; }; sleep 1; done; \
	curl -sf http://127.0.0.1:$(LLAMA_PORT)/v1/models >/dev/null || { echo "llama.cpp 服务 120 秒内没有就绪"; exit 1; }; \
	GUOPEI_LLM_BASE_URL=http://127.0.0.1:$(LLAMA_PORT)/v1 GUOPEI_LLM_MODEL="$(LLM_LOCAL_NAME)" \
	GUOPEI_LLM_TIMEOUT=$${GUOPEI_LLM_TIMEOUT:-120} GUOPEI_LLM_DEADLINE=$${GUOPEI_LLM_DEADLINE:-300} \
	  $(BIN)/python -m evals.compare $(LLM_LOCAL_DATA) --split test --out $(LLM_LOCAL_OUT)

clean:
	rm -rf $(VENV) guopei-data .pytest_cache
