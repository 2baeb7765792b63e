# Shortcuts for the two README commands (make is optional; the README's lines need only Python).
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: demo test bench bench-libreoffice clean windows-kit

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
	$(PY) bench/hostile_memory.py
	$(PY) bench/damage_fuzz.py 2000

# The workbook's own formulas computed by LibreOffice itself, against the engine and against
# 附件1 stated apart from it (needs soffice; ~15 minutes)
bench-libreoffice: $(VENV)/.installed
	$(PY) bench/native_libreoffice.py 300
	$(PY) bench/annex1_libreoffice.py 300

# The offline kit for Windows clerks (docs/addin.md): install.bat + install.ps1 + every wheel
# for 64-bit Python 3.11 on Windows. pywin32 is named because pip evaluates xlwings'
# "platform_system == Windows" markers on this machine, not the target: the Windows-only
# dependencies (xlwings: pywin32; tqdm: colorama; pandas: tzdata) are named here.
KIT := out/preval-windows
windows-kit: $(VENV)/.installed
	rm -rf $(KIT) && mkdir -p $(KIT)/wheels
	$(VENV)/bin/pip wheel -q --no-deps -w $(KIT)/wheels .
	$(VENV)/bin/pip download -q -d $(KIT)/wheels --platform win_amd64 --python-version 3.11 \
		--only-binary=:all: $(KIT)/wheels/preval-*.whl pywin32 colorama tzdata
	$(PY) -m addin.excel.kit_check $(KIT)/wheels
	$(PY) -m addin.excel.embedded_python $(KIT)
	cp addin/excel/windows/install.ps1 addin/excel/windows/install.bat addin/excel/windows/uninstall.bat $(KIT)/
	$(PY) -m addin.excel.kit_manifest write $(KIT)
	$(PY) -m addin.excel.kit_manifest check $(KIT)

clean:
	rm -rf $(VENV) out .pytest_cache .hypothesis
