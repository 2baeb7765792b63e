# Shortcuts for the two README commands (make is optional; the README's lines need only Python).
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: demo test bench clean

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV) && $(VENV)/bin/pip install -q -e ".[test]" && touch $@

demo: $(VENV)/.installed
	$(VENV)/bin/preval demo

test: $(VENV)/.installed
	$(PY) -m pytest

bench: $(VENV)/.installed
	$(PY) bench/udf_calls.py
	$(PY) bench/score_vs_openpyxl.py
	$(PY) bench/batch_1000.py

clean:
	rm -rf $(VENV) out .pytest_cache .hypothesis
