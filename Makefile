# briefpress: `make pdf` builds every PDF into build/, `make test` runs the suite.
# Each target sets up .venv itself when it is missing or older than pyproject.toml.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Pango and HarfBuzz's subsetter for WeasyPrint; poppler's pdftotext, one of the two text
# extractors `briefpress check` reads a PDF back with.
RUNTIME_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 poppler-utils
# System-wide Arabic fonts, so tests prove that none of them can reach a PDF; node runs pdf.js,
# the reader family of Firefox, for `check` and the tests; Chromium and its driver show the
# preview page to the tests as a browser does.
TEST_PACKAGES := fonts-noto-core nodejs chromium chromium-driver
# pdf.js (pdfjs-dist, pinned in tools/pdfjs/package-lock.json), installed inside the checkout.
PDFJS := tools/pdfjs
PDFJS_STAMP := $(PDFJS)/node_modules/.installed
# pytest-xdist workers for `make test`: one per core; test files are dealt whole to a worker, so a
# file's module fixtures are built once, and the session build is shared (tests/conftest.py).
TEST_WORKERS ?= $(shell nproc 2>/dev/null || echo 2)

.DEFAULT_GOAL := help
.PHONY: help pdf test fuzz golden bench readers readers-table lint wheel wheel-smoke clean system-deps test-system-deps

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "briefpress needs Python 3.11 or newer"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

system-deps:
	@tools/ensure-system-packages $(RUNTIME_PACKAGES)

test-system-deps: system-deps
	@tools/ensure-system-packages $(TEST_PACKAGES)

$(PDFJS_STAMP): $(PDFJS)/package.json $(PDFJS)/package-lock.json
	@command -v node >/dev/null || { echo "pdf.js needs node 20.16 or newer (Debian package nodejs)"; exit 1; }
	@command -v npm >/dev/null || tools/ensure-system-packages npm  # bundled with some nodejs builds
	cd $(PDFJS) && npm ci --no-audit --no-fund --loglevel=error
	@touch $(PDFJS_STAMP)

readers: test-system-deps $(STAMP) $(PDFJS_STAMP) ## Install the four reader families check uses (pdf.js via npm)

readers-table: readers ## Print exact / words / order per reader, publication and edition, beside plain WeasyPrint
	$(BIN)/python bench/readers.py

pdf: system-deps $(STAMP) ## Build every PDF of every publication into build/
	$(BIN)/briefpress build --out build

test: test-system-deps $(STAMP) $(PDFJS_STAMP) ## Lint (ruff), type-check (mypy), then run the suite on real PDFs, on every core
	$(BIN)/ruff check src tests
	$(BIN)/mypy
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile

golden: test-system-deps $(STAMP) $(PDFJS_STAMP) ## Rewrite tests/golden/ page images (look at them before committing)
	BRIEFPRESS_GOLDEN=update $(BIN)/python -m pytest -q tests/test_visual.py

bench: system-deps $(STAMP) ## Time the build; figures go to build/bench.json
	$(BIN)/python bench/bench.py

fuzz: test-system-deps $(STAMP) $(PDFJS_STAMP) ## Run the property tests on 1,000 generated briefs; print the count
	@log=$$(mktemp); HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest -m fuzz -q \
		--hypothesis-show-statistics > $$log 2>&1; status=$$?; cat $$log; \
	echo "fuzz examples run:"; grep -E "passing, .*failing" $$log; rm -f $$log; exit $$status

lint: $(STAMP) ## Check the code with ruff and mypy
	$(BIN)/ruff check src tests
	$(BIN)/mypy

wheel: ## Build the wheel into dist/, the default templates, fonts and schemas inside it
	$(PYTHON) -m pip wheel --quiet --no-deps . -w dist

wheel-smoke: system-deps ## Install the wheel into a fresh venv outside the checkout; init, build, check there
	tools/wheel-smoke

clean: ## Remove build outputs
	rm -rf build tests/results dist .setuptools-build
