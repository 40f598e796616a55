#!/usr/bin/env bash
# Build the whole-book PDF: bash scripts/pdf.sh [OUT] (default build/ce-book.pdf).
# Builds the site (with its one-page print edition) into build/pdf-site, then prints that
# page with headless Chromium. CE_BOOK_SITE_URL sets the address printed on the cover.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-build/ce-book.pdf}"
bash scripts/setup.sh docs,test
if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "pdf: installing Debian's chromium"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null 2>&1 \
    || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null; }
fi
export NO_MKDOCS_2_WARNING=1
.venv/bin/mkdocs build --strict --quiet -d build/pdf-site
.venv/bin/python scripts/make_pdf.py build/pdf-site "$out"
