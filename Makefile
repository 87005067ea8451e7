# The two commands a new user needs: `make demo` (install, then open the app on the
# sample RFP) and `make test` (install, then run the whole test suite on parallel workers;
# `make test-fast` leaves out the LibreOffice and crash-harness tests).
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

# The whole suite on parallel workers (pytest-xdist): TEST_WORKERS of them, the slowest tests
# first, a file with a shared fixture kept on one worker (tests/conftest.py). The workers
# share the session's seed databases (the first to need one builds it) and one throwaway
# PostgreSQL server; each has its own temporary folder. Two workers on this 2-core machine:
# as fast as three (445 io/services/storage/foundation tests: 67-78 s against 67-68 s) for
# 5-10 % less CPU.
# `make test TEST_WORKERS=0` runs it in one process. The PostgreSQL tests start a throwaway
# server of their own; without one they are skipped.
TEST_WORKERS ?= 2
PYTEST := QT_QPA_PLATFORM=offscreen $(PY) -m pytest -n $(TEST_WORKERS)

test: $(STAMP)
	bash packaging/system-deps.sh postgresql || echo "PostgreSQL not installed: the shared-database tests will be skipped"
	$(PYTEST)

# Everything but the tests that start LibreOffice or kill processes mid-write.
test-fast: $(STAMP)
	$(PYTEST) -m "not libreoffice and not crash_harness"

bench: $(STAMP)
	for b in bench/bench_*.py; do $(PY) $$b || exit 1; done

clean:
	rm -rf $(VENV) build dist *.egg-info
