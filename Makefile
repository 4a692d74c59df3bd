# The two set-up commands of the README: `make site` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: install install-test lock site build serve test check bench clean

# Installs come only from the locks in requirements/ (exact versions, sha256 hashes): runtime.txt
# for the site and the commands, test.txt (runtime + test tools) for the test suite. `make lock`
# regenerates both from pyproject.toml; tests/test_lock.py fails when they disagree.
$(VENV)/bin/python:
	python3 -m venv $(VENV)

$(VENV)/.installed: requirements/runtime.txt pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install -q --require-hashes -r requirements/runtime.txt
	$(PY) -m pip install -q --no-deps -e .
	touch $@

$(VENV)/.installed-test: requirements/test.txt $(VENV)/.installed
	$(PY) -m pip install -q --require-hashes -r requirements/test.txt
	touch $@

# Test-only Node.js tools (decap-server for the web-editor test), from package-lock.json.
node_modules/.installed: package.json package-lock.json
	bash .ci/ensure-node
	if [ -d node_modules ]; then touch $@; fi

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test node_modules/.installed

# Deliberate upgrades only: regenerate the locks, then run the tests.
lock:
	python3 -m pip install -q pip-tools && cd requirements && \
	CUSTOM_COMPILE_COMMAND="make lock" python3 -m piptools compile -q --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links -o runtime.txt ../pyproject.toml && \
	CUSTOM_COMPILE_COMMAND="make lock" python3 -m piptools compile -q --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links --extra test -o test.txt ../pyproject.toml

check: install
	$(PY) -m pipeline check

# The example content replayed with demo/timeline.yaml into a temporary git repository: the
# deadline report is printed and the site (with on-time / late marks) built into output/.
# A Puskesmas repository made by `pengaduan init` has no demo timeline: it builds its own history.
site: install
	$(PY) -m pipeline check
	if [ -f demo/timeline.yaml ]; then $(PY) -m pipeline demo --output output; \
	else $(PY) -m pipeline build --output output; fi
	$(PY) -m pipeline serve --output output --port $(PORT)

build: install
	$(PY) -m pipeline build --output output

serve: install
	$(PY) -m pipeline serve --output output --port $(PORT)

# The template runs its test suite; a Puskesmas repository (no tests/) checks its records and
# builds its site, which is what its workflows do.
test: install
	if [ -d tests ]; then $(MAKE) install-test; fi
	if [ -d tests ]; then bash .ci/ensure-chromium && $(PY) -m pytest -q; \
	else $(PY) -m pipeline check && $(PY) -m pipeline deadlines --fail-on never && \
	$(PY) -m pipeline build --output output; fi

bench: install-test
	$(PY) bench/run.py

clean:
	rm -rf output build .pytest_cache node_modules
