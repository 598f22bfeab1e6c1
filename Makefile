# Casualty-claim extraction. `make extract` and `make test` set everything up on first use.
PYTHON  ?= python3
VENV    := .venv
PY      := $(VENV)/bin/python
UV      := UV_PYTHON_DOWNLOADS=never UV_PROJECT_ENVIRONMENT=$(VENV) $(VENV)/bin/uv
STAMP   := $(VENV)/.synced
CORPUS  ?= corpus
OUTPUTS ?= outputs
JOBS    ?= 1
SHARED  ?= ../shared
FAKES   := $(SHARED)/benchmarks/fakes/fakes-dev.csv
HTMLBENCH := $(SHARED)/benchmarks/html
HTMLEVAL  := $(HTMLBENCH)/evaldata-dev.json
REV     ?= HEAD
SRC     ?=
ENGINE  ?= local
# Optional extras to install before the target runs (ingest, warc, pdf, dask), e.g. EXTRAS="pdf dask".
EXTRAS  ?=
EXTRA_STAMPS = $(foreach extra,$(EXTRAS),$(VENV)/.synced-$(extra))
REPORT  ?= report
EXPORTS ?= exports
CORRECTIONS ?= corrections
# The HTML comparison's trafilatura lives in its own venv (not a dependency of the project),
# installed on first use of eval-html; TRAF_PY=... points it at another Python instead.
TRAF_VENV := .venv-trafilatura
TRAF_PY ?= $(TRAF_VENV)/bin/python

.PHONY: setup extract link check test eval eval-fakes eval-worldwide eval-html eval-corrections bench fuzz lock clean diff report export review ingest

setup: $(STAMP)

# The venv is built from locked dependencies: uv (pinned by hash) installs uv.lock.
$(STAMP): pyproject.toml uv.lock requirements-bootstrap.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements-bootstrap.txt
	@$(UV) sync --locked --quiet
	@touch $(STAMP)

# An optional extra, installed on first use beside what is there (--inexact removes nothing);
# a new lock re-syncs the base (which drops extras), and so the extras again.
$(VENV)/.synced-%: $(STAMP)
	@$(UV) sync --locked --inexact --quiet --extra $*
	@touch $@

# Extraction, then linking: the committed _incidents.json always follows the outputs.
# EXTRACT_FLAGS passes options through: --dry-run (writes nothing, links nothing), --prune,
# --force, --article-timeout S. The pipeline's exit status is in make's "Error N" line;
# make itself exits 2 on any failed recipe (GNU make cannot pass 1 through), so scripts
# that need the difference call python -m pipeline.
# make extract ENGINE=dask [SCHEDULER=host:8786] runs on Dask distributed (the [dask] extra).
extract: $(STAMP) $(EXTRA_STAMPS) $(if $(filter dask,$(ENGINE)),$(VENV)/.synced-dask)
	@$(PY) -m pipeline extract --corpus "$(CORPUS)" --outputs "$(OUTPUTS)" --jobs $(JOBS) $(EXTRACT_FLAGS) \
	  $(if $(filter dask,$(ENGINE)),--engine dask $(if $(SCHEDULER),--scheduler "$(SCHEDULER)"))
	$(if $(findstring --dry-run,$(EXTRACT_FLAGS)),@true,@$(PY) -m pipeline link --outputs "$(OUTPUTS)")

# Cross-source incidents: OUTPUTS/_incidents.json from the per-article outputs (no re-extraction).
link: $(STAMP)
	@$(PY) -m pipeline link --outputs "$(OUTPUTS)"

# make ingest SRC=dump.csv|crawl.warc.gz|urls.txt|https://.../feed.xml [CORPUS=dir] [INGEST_FLAGS=...]
ingest: $(STAMP) $(VENV)/.synced-ingest $(VENV)/.synced-warc $(VENV)/.synced-pdf
	@if [ -z "$(SRC)" ]; then echo "usage: make ingest SRC=PATH_OR_URL [CORPUS=dir]"; exit 2; fi
	@$(PY) -m pipeline ingest "$(SRC)" --corpus "$(CORPUS)" $(INGEST_FLAGS)

check: $(STAMP)
	@$(PY) -m pipeline extract --check --corpus "$(CORPUS)" --outputs "$(OUTPUTS)"
	@$(PY) -m pipeline link --check --outputs "$(OUTPUTS)"

# The suite tests every extra, so it installs them all (CI runs make test on a fresh clone).
test: $(STAMP) $(VENV)/.synced-ingest $(VENV)/.synced-warc $(VENV)/.synced-pdf $(VENV)/.synced-dask
	@$(PY) -m pytest
	@$(MAKE) --no-print-directory check

eval: $(STAMP)
	@$(MAKE) --no-print-directory eval-fakes eval-worldwide eval-html eval-corrections

# Reviewers' corrections (corrections/) as a test set of the current outputs: how many reviewed
# claims the rules now get right, and which corrections match no claim any more (stale).
eval-corrections: $(STAMP)
	@$(PY) -m pipeline review --score --outputs "$(OUTPUTS)" --corrections "$(CORRECTIONS)"

# Our own short reports beyond Syria (tests/worldwide/), scored like the hidden worldwide test.
eval-worldwide: $(STAMP)
	@$(PY) -m pipeline.tools.score_worldwide

# FA-KES dev: the benchmark's scorer, both halves, then the hand-checked claim gold (tests/claim_gold/)
# and the hand-made link gold (tests/link_gold/) on the same outputs, linked first; then how well the
# linker's per-article deviation separates FA-KES's credible and fake articles.
eval-fakes: $(STAMP)
	@if [ ! -f "$(FAKES)" ]; then echo "eval: $(FAKES) not found; skipped"; exit 0; fi; \
	tmp=$$(mktemp -d); \
	$(PY) $(SHARED)/tools/fakes_to_corpus.py "$(FAKES)" "$$tmp/corpus" >/dev/null && \
	$(PY) -m pipeline extract --corpus "$$tmp/corpus" --outputs "$$tmp/outputs" --jobs 2 && \
	$(PY) $(SHARED)/tools/score_fakes.py "$(FAKES)" "$$tmp/outputs" && \
	$(PY) -m pipeline.tools.fakes_halves "$(FAKES)" "$$tmp/outputs" --scorer $(SHARED)/tools/score_fakes.py && \
	$(PY) -m pipeline.tools.score_claims "$$tmp/outputs" && \
	$(PY) -m pipeline link --outputs "$$tmp/outputs" 2>/dev/null && \
	$(PY) -m pipeline.tools.score_links "$$tmp/outputs" && \
	$(PY) -m pipeline.tools.score_deviation "$(FAKES)" "$$tmp/outputs"; \
	status=$$?; rm -rf "$$tmp"; exit $$status

# HTML main text: our article.title + article.text against trafilatura (when it is
# installed; it is not a dependency) and the naive bs4 get_text, same pages, same scorer.
# TRAF_PY: the Python whose trafilatura is scored (default: .venv-trafilatura, made on first use).
# trafilatura 2.3.1 as measured in the README; offline, the comparison line says it is skipped.
$(TRAF_VENV)/.installed:
	@$(PYTHON) -m venv $(TRAF_VENV) && $(TRAF_VENV)/bin/pip install --quiet --disable-pip-version-check \
	    "trafilatura==2.3.1" lxml_html_clean && touch $@ \
	  || echo "eval: trafilatura could not be installed into $(TRAF_VENV); its reference line is skipped"

eval-html: $(STAMP) $(if $(filter $(TRAF_VENV)/bin/python,$(TRAF_PY)),$(TRAF_VENV)/.installed)
	@if [ ! -f "$(HTMLEVAL)" ]; then echo "eval: $(HTMLEVAL) not found; HTML main text skipped"; exit 0; fi; \
	tmp=$$(mktemp -d); \
	echo "HTML main text ($(HTMLBENCH)):"; \
	$(PY) -m pipeline extract --corpus "$(HTMLBENCH)/pages" --outputs "$$tmp/outputs" --jobs 2 && \
	$(PY) $(SHARED)/tools/score_html.py "$(HTMLEVAL)" outputs "$$tmp/outputs" && \
	{ if $(TRAF_PY) -c "import trafilatura" 2>/dev/null; then \
	    $(TRAF_PY) $(SHARED)/tools/score_html.py "$(HTMLEVAL)" trafilatura "$(HTMLBENCH)/pages"; \
	  else echo "trafilatura: not installed (set TRAF_PY to a Python that has it); reference skipped"; fi; } && \
	$(PY) $(SHARED)/tools/score_html.py "$(HTMLEVAL)" bs4 "$(HTMLBENCH)/pages"; \
	status=$$?; rm -rf "$$tmp"; exit $$status

bench: $(STAMP) $(VENV)/.synced-ingest $(VENV)/.synced-warc $(VENV)/.synced-dask
	@$(PY) -m pipeline.tools.bench
	@$(PY) -m pipeline.tools.bench_html
	@$(PY) -m pipeline.tools.bench_link
	@$(PY) -m pipeline.tools.bench_worst
	@$(PY) -m pipeline.tools.bench_dask
	@$(PY) -m pipeline.tools.bench_ingest

# Property-based fuzzing (tests/test_fuzz.py): 10,000 mutated articles and pages from
# $(SHARED) and 5,000 reports built from casualty-report phrases; `make test` runs a dozen per test. FUZZ_EXAMPLES sets the number per test.
fuzz: $(STAMP)
	@HYPOTHESIS_PROFILE=fuzz SHARED="$(SHARED)" $(PY) -m pytest -q -p no:cacheprovider tests/test_fuzz.py

# Review: claim-level diff against git (DIFF_FLAGS=--check exits 1 on change), the offline
# review site, and the analyst tables (EXPORT_FLAGS=--excel: CSV with a BOM), both with the
# reviewers' corrections (CORRECTIONS) applied on top; `make review` serves the site on
# 127.0.0.1 with a verdict form that writes them (PORT, default 8765).
# None of them re-extracts: run `make extract` first.
diff: $(STAMP)
	@$(PY) -m pipeline diff "$(REV)" --outputs "$(OUTPUTS)" $(DIFF_FLAGS)

report: $(STAMP)
	@$(PY) -m pipeline report --outputs "$(OUTPUTS)" --out "$(REPORT)" --corrections "$(CORRECTIONS)"

export: $(STAMP)
	@$(PY) -m pipeline export --outputs "$(OUTPUTS)" --out "$(EXPORTS)" --corrections "$(CORRECTIONS)" $(EXPORT_FLAGS)

PORT ?= 8765
review: $(STAMP)
	@$(PY) -m pipeline review --serve --outputs "$(OUTPUTS)" --corrections "$(CORRECTIONS)" --port $(PORT)

lock:
	@$(UV) lock

clean:
	rm -rf $(VENV) $(TRAF_VENV) .pytest_cache
