# The two set-up commands of the README: `make site` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: install site build serve test check bench clean

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed

check: install
	$(PY) -m pipeline check

# The example content replayed with demo/timeline.yaml into a temporary git repository: the
# deadline report is printed and the site (with on-time / late marks) built into output/.
site: install
	$(PY) -m pipeline check
	$(PY) -m pipeline demo --output output
	$(PY) -m pipeline serve --output output --port $(PORT)

build: install
	$(PY) -m pipeline build --output output

serve: install
	$(PY) -m pipeline serve --output output --port $(PORT)

test: install
	bash .ci/ensure-chromium
	$(PY) -m pytest -q

bench: install
	$(PY) bench/run.py

clean:
	rm -rf output build .pytest_cache
