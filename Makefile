# The README's commands. Both create .venv on first use; nothing else needs installing by hand.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo service test lint bench bench-entities bench-similar bench-latency bench-pairs bench-embed bench-serve bench-extract bench-dask bench-card-writes faults faults-quick eval clean

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	# The CPU wheel first, so nothing later pulls the CUDA build.
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -c requirements.lock -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/compare demo

service: $(STAMP)
	$(BIN)/compare service

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest -q

bench: $(STAMP)
	$(BIN)/python bench/pipeline.py

bench-entities: $(STAMP)
	$(BIN)/python bench/entities.py

bench-similar: $(STAMP)
	$(BIN)/python bench/similar.py

CARDS ?= 100000
bench-latency: $(STAMP)
	$(BIN)/python bench/latency.py --cards $(CARDS)

bench-pairs: $(STAMP)
	$(BIN)/python bench/pairs.py

bench-embed: $(STAMP)
	$(BIN)/python bench/embed.py

bench-serve: $(STAMP)
	$(BIN)/python bench/serve.py

bench-extract: $(STAMP)
	$(BIN)/python bench/extract.py

bench-dask: $(STAMP)
	$(BIN)/python bench/dask.py

bench-card-writes: $(STAMP)
	$(BIN)/python bench/card_writes.py

# 20 kill -9s over every stage of a refresh (about 20 min), then the fault campaign (about 10 min),
# whose JSON line is the last one printed.
faults: $(STAMP)
	$(BIN)/python bench/kills.py
	$(BIN)/python bench/faults.py

# CI's subset (about 4 min): 4 kills with the fake embedder, the faults marked quick; exit 1 on any miss.
faults-quick: $(STAMP)
	$(BIN)/python bench/kills.py --kills 4 --embedder fake
	$(BIN)/python bench/faults.py --quick

eval: $(STAMP)
	$(BIN)/python -m evals.run

clean:
	rm -rf $(VENV) data/compare.db* data/crawl index/*.faiss index/*.json
