# Dutch news facts: `make setup extract` runs the product, `make test` passes the tests.
SHELL := /bin/bash
VENV ?= .venv
PYTHON := $(VENV)/bin/python
SHARED_DIR ?= ../shared
CONLL2002_DIR ?= $(SHARED_DIR)/data/conll2002
OUT ?= out
CORPUS ?= corpus
export SHARED_DIR CONLL2002_DIR

.PHONY: setup extract test lint format evaluate evaluate-ner bench bench-ner robustness model gazetteer clean

STAMP := $(VENV)/.installed

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

setup: $(STAMP)  ## create the virtual environment and install the package

extract: $(STAMP)  ## extract the tables from corpus/ into out/ with the shipped model
	$(PYTHON) -m pipeline extract $(CORPUS) --out $(OUT)

test: $(STAMP)  ## run the test suite
	$(PYTHON) -m pytest -q

lint: $(STAMP)  ## ruff (lint + format check) and mypy
	$(VENV)/bin/ruff check pipeline scripts tests
	$(VENV)/bin/ruff format --check pipeline scripts tests
	$(VENV)/bin/mypy

format: $(STAMP)
	$(VENV)/bin/ruff format pipeline scripts tests
	$(VENV)/bin/ruff check --fix pipeline scripts tests

evaluate: $(STAMP)  ## per-table precision/recall/F1 on the gold files (GOLD=... for others)
	$(PYTHON) -m pipeline.evaluate $(GOLD)
	$(PYTHON) -m pipeline.evaluate_dates
	$(PYTHON) -m pipeline.openboek
	$(MAKE) --no-print-directory evaluate-ner
	$(PYTHON) -m pipeline.evaluate_ner --format meantime $(SHARED_DIR)/data/meantime-nl/ne $(wildcard $(SHARED_DIR)/data/meantime-nl/eval_corpora/*/ne)

evaluate-ner: $(STAMP)  ## NER scores on a CoNLL file (NER_FILE=..., MODEL=...)
	$(PYTHON) -m pipeline.evaluate_ner $(or $(NER_FILE),$(CONLL2002_DIR)/ned.testa) $(if $(MODEL),--model $(MODEL))

bench: $(STAMP)  ## throughput and memory benchmarks
	OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 $(PYTHON) -m pipeline.bench

bench-ner: $(STAMP)  ## NER words/s on one core vs the bare tokenizer
	OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 $(PYTHON) -m pipeline.bench --ner-only

robustness: $(STAMP)  ## 10,000 hypothesis examples per extractor (several minutes)
	HYPOTHESIS_PROFILE=thorough $(PYTHON) -m pytest -q tests/test_robustness.py

model: $(STAMP)  ## retrain the shipped NER model from CoNLL-2002 (about 30-60 min on 2 cores)
	$(PYTHON) -m pip install --quiet -e ".[build]"
	$(PYTHON) scripts/build_ner_lexicon.py
	$(PYTHON) scripts/prepare_conll.py --data-dir $(CONLL2002_DIR)
	start=$$(date +%s); $(PYTHON) -m spacy train training/ner.cfg --output training/output --code pipeline/ner_features.py; \
	$(PYTHON) scripts/package_model.py --train-seconds $$(( $$(date +%s) - start ))

gazetteer: $(STAMP)  ## rebuild pipeline/resources/clubs.jsonl from openfootball + Dutch press aliases
	$(PYTHON) scripts/build_gazetteer.py

clean:
	rm -rf $(OUT) .pytest_cache .mypy_cache .ruff_cache training/output training/corpus
