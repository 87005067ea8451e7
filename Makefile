# The two commands a new user needs: `make demo` (install, then open the app on the
# sample RFP) and `make test` (install, then run the whole test suite; `make test-fast`
# leaves out the LibreOffice and crash-harness tests).
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: demo run test test-fast bench clean

$(STAMP): pyproject.toml packaging/system-deps.sh
	bash packaging/system-deps.sh
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/vendor-eval --demo

run: $(STAMP)
	$(VENV)/bin/vendor-eval

# The PostgreSQL tests start a throwaway server of their own; without one they are skipped.
test: $(STAMP)
	bash packaging/system-deps.sh postgresql || echo "PostgreSQL not installed: the shared-database tests will be skipped"
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest

# Everything but the tests that start LibreOffice or kill processes mid-write.
test-fast: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -m "not libreoffice and not crash_harness"

bench: $(STAMP)
	for b in bench/bench_*.py; do $(PY) $$b || exit 1; done

clean:
	rm -rf $(VENV) build dist *.egg-info
