# The two set-up commands of the README: `make site` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: install install-test lock upgrade lock-pr site build serve test check bench clean

# Installs come only from the locks in requirements/ (exact versions, sha256 hashes): build.txt
# (setuptools, which builds our package: no build isolation, so nothing unpinned is fetched),
# runtime.txt for the site and the commands, test.txt (runtime + test tools) for the test suite,
# lock.txt (pip-tools) for `make lock`, which regenerates all four from pyproject.toml and
# lock.in; tests/test_lock.py fails when they disagree.
$(VENV)/bin/python:
	python3 -m venv $(VENV)

$(VENV)/.installed: requirements/build.txt requirements/runtime.txt pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install -q --require-hashes -r requirements/build.txt
	$(PY) -m pip install -q --require-hashes -r requirements/runtime.txt
	$(PY) -m pip install -q --no-deps --no-build-isolation -e .
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

# pip-tools, from its own lock, inside the venv (never the system Python).
$(VENV)/.installed-lock: requirements/lock.txt | $(VENV)/bin/python
	$(PY) -m pip install -q --require-hashes -r requirements/lock.txt
	touch $@

# Deliberate upgrades only: `make lock` regenerates the locks keeping every pin that still fits
# pyproject.toml, `make upgrade` takes the newest versions that fit (the monthly workflow
# kunci.yml runs it); then run the tests. Each lock's header names its exact pip-compile command
# (run in requirements/).
PIP_COMPILE = $(abspath $(PY)) -m piptools compile -q --no-config --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links
lock: $(VENV)/.installed-lock
	cd requirements && \
	$(PIP_COMPILE) -o lock.txt lock.in && \
	$(PIP_COMPILE) --only-build-deps --build-deps-for editable -o build.txt ../pyproject.toml && \
	$(PIP_COMPILE) -o runtime.txt ../pyproject.toml && \
	$(PIP_COMPILE) --extra test -o test.txt ../pyproject.toml

upgrade: PIP_COMPILE += --upgrade
upgrade: lock

# What the monthly workflow .github/workflows/kunci.yml runs: `make upgrade` and, when a lock
# changed, a pull request from the branch kunci-dependensi (git and gh of the runner, GH_TOKEN).
LOCK_PR_BODY = Lock dependensi diperbarui oleh \`make upgrade\` (workflow Kunci dependensi). Pull request ini dibuat oleh GITHUB_TOKEN, jadi pemeriksaan tidak berjalan sendiri: tutup lalu buka kembali pull request ini agar Periksa berjalan, dan jalankan \`make test\` sebelum merge.
lock-pr: upgrade
	@if git diff --quiet -- requirements; then echo "Lock dependensi sudah terbaru."; else \
	git switch -C kunci-dependensi && git add requirements && \
	git -c user.name="github-actions[bot]" -c user.email="41898282+github-actions[bot]@users.noreply.github.com" \
	  commit -q -m "Perbarui lock dependensi (make upgrade)" && \
	git push -f origin kunci-dependensi && \
	{ gh pr list --head kunci-dependensi --state open --json number -q '.[].number' | grep -q . || \
	  gh pr create --head kunci-dependensi --title "Perbarui lock dependensi" --body "$(LOCK_PR_BODY)"; }; fi

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
	if [ -d tests ]; then bash .ci/ensure-debian-packages && $(PY) -m pytest -q; \
	else $(PY) -m pipeline check && $(PY) -m pipeline deadlines --fail-on never && \
	$(PY) -m pipeline build --output output; fi

bench: install-test
	$(PY) bench/run.py

clean:
	rm -rf output build .pytest_cache node_modules
