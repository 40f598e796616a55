#!/usr/bin/env bash
# Serve the book at http://127.0.0.1:8000 with live reload. Does its own set-up.
# No PyTorch: the few values that are PyTorch's own outputs are read from
# ce_book/claims/recorded.json (the tests recompute them with the pinned PyTorch).
# --dirty: after the first build, an edit rebuilds only the page that changed (the claims
# page and the labs are cached files, rewritten only when ce_book changes).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh docs
export NO_MKDOCS_2_WARNING=1
exec .venv/bin/mkdocs serve --dirty --dev-addr 127.0.0.1:8000 "$@"
