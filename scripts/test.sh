#!/usr/bin/env bash
# Run the whole test suite: lint, format, figures, derivations, unit, reference,
# documentation and browser tests. Does its own set-up; safe to re-run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh docs,test,torch

# Debian's Chromium for the browser tests (only installable as root; otherwise the
# browser tests skip with a visible reason, and under CI=true they fail instead).
if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "test: installing Debian's chromium for the browser tests"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null 2>&1 \
    || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null; }
fi

export NO_MKDOCS_2_WARNING=1
py=.venv/bin/python
echo "test: ruff lint and format check"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "test: explorer test vectors are up to date"
$py scripts/make_explorer_vectors.py --check
# Figures (tests/test_figures.py) and derivations (tests/test_derivations.py) are checked
# inside pytest, once each. Two workers: each test module runs on one worker (loadscope), so a
# module's expensive fixtures (derivation reports, the browser passes) are made once, and the
# modules go out longest first, in the order tests/site_fixtures.py sets (no reordering by
# size); the site is built once, in the background from the start, and shared by all workers.
echo "test: pytest on ${CE_BOOK_WORKERS:-2} workers"
exec $py -m pytest -n "${CE_BOOK_WORKERS:-2}" --dist loadscope --no-loadscope-reorder "$@"
