#!/usr/bin/env bash
# Serve the book at http://127.0.0.1:8000 with live reload. Does its own set-up.
set -euo pipefail
cd "$(dirname "$0")/.."
# torch too: some claims the pages show are PyTorch's own outputs (its CPU wheel is local).
bash scripts/setup.sh docs,torch
export NO_MKDOCS_2_WARNING=1
exec .venv/bin/mkdocs serve --dev-addr 127.0.0.1:8000 "$@"
