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
	if [ -d tests ]; then bash .ci/ensure-chromium && $(PY) -m pytest -q; \
	else $(PY) -m pipeline check && $(PY) -m pipeline deadlines --fail-on never && \
	$(PY) -m pipeline build --output output; fi

bench: install
	$(PY) bench/run.py

clean:
	rm -rf output build .pytest_cache
