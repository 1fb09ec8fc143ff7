# Two commands on a fresh machine: `make book` and `make test`; for students `make lab`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
NODE_MODULES := node_modules/.package-lock.json
CHROMIUM := /usr/bin/chromium
DUTCH_DICTIONARY := /usr/share/hunspell/nl_NL.dic
BUILD_ARGS ?=
LAB_ARGS ?=

.PHONY: install book lab preview test check data validate bench bench-scale clean

$(INSTALLED): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

$(NODE_MODULES): package.json package-lock.json
	npm ci --no-audit --no-fund

$(CHROMIUM):
	apt-get update -qq && apt-get install -y -qq chromium

# The spelling test checks every page's Dutch with Hunspell and OpenTaal's dictionary.
$(DUTCH_DICTIONARY):
	apt-get update -qq && apt-get install -y -qq hunspell hunspell-nl

install: $(INSTALLED) $(NODE_MODULES)

## Build every edition from the shipped synthetic data into _build/editions/ (Chromium prints the PDFs)
book: install $(CHROMIUM)
	$(PY) -m helpers build $(BUILD_ARGS)

## Open JupyterLab on the project; the chapters run there on the shipped data (make lab LAB_ARGS="--no-browser --port 8890")
# The notebooks ask for the kernel the build uses (python3); JUPYTER_PREFER_ENV_PATH makes it the one in
# .venv (where helpers is installed) even when the user prefers a python3 kernel of their own.
lab: install
	JUPYTER_PREFER_ENV_PATH=1 $(PY) -m jupyterlab --ServerApp.root_dir="$(CURDIR)" $(LAB_ARGS)

## Serve one edition on localhost and rebuild it while you edit: make preview EDITION=I07 (default landelijk)
EDITION ?= landelijk
preview: install
	$(PY) -m helpers preview --edition $(EDITION) $(PREVIEW_ARGS)

## Run the whole test suite (unit, calibration, bad input, end-to-end build, browser)
test: install $(CHROMIUM) $(DUTCH_DICTIONARY)
	$(PY) -m pytest

## The fast tier, while you work: every unit test and one tiny edition built end to end, on two
## processes (pytest-xdist; at most 3 minutes on a quiet 2-core machine)
check: install $(CHROMIUM)
	$(PY) -m pytest -m "not slow" -p no:cacheprovider -n 2

## Time the build against the naive loop, then a no-op and a one-chapter rebuild (prints the ratio)
bench: install $(CHROMIUM)
	$(PY) benchmarks/build_speed.py $(BENCH_ARGS)

## How the cost grows: synthetic data for 32, 64 and 128 institutions, every edition built cold
## (wall time, time per edition, peak memory per worker, output size); quick: BENCH_SCALE_ARGS="--sizes 1 --scale 0.2"
bench-scale: install
	$(PY) benchmarks/build_scale.py $(BENCH_SCALE_ARGS)

## Regenerate the shipped synthetic data set (deterministic: same seed, same bytes)
data: $(INSTALLED)
	$(PY) -m helpers.synthetic --out data --seed 2022

## Only check a data set against the contract: make validate DATA=... INSTITUTIONS=...
validate: $(INSTALLED)
	$(PY) -m helpers validate $(if $(DATA),--data $(DATA)) $(if $(INSTITUTIONS),--institutions $(INSTITUTIONS))

clean:
	rm -rf _build
