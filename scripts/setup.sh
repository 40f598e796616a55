#!/usr/bin/env bash
# Idempotent set-up shared by scripts/serve.sh and scripts/test.sh.
#   bash scripts/setup.sh docs,torch    -> .venv with the book's build dependencies
#   bash scripts/setup.sh docs,test,torch -> also the test tools and the PyTorch reference
# Re-runs are quick: pip and npm only run when pyproject.toml, package-lock.json or the
# requested extras change (a stamp file in .venv records what was installed).
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-docs}"

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  "$python" -m venv .venv
fi

stamp=".venv/.ce-book-stamp"
want="$extras $(cat pyproject.toml package.json package-lock.json 2>/dev/null | sha256sum | cut -c1-16)"
have="$(cat "$stamp" 2>/dev/null || true)"
# An installed superset of the requested extras is good enough.
case "$have" in
  *"$(echo "$want" | cut -d' ' -f2)"*)
    ok=1
    for e in ${extras//,/ }; do
      case ",$(echo "$have" | cut -d' ' -f1)," in *",$e,"*) ;; *) ok=0 ;; esac
    done ;;
  *) ok=0 ;;
esac

if [ "$ok" != 1 ]; then
  echo "setup: installing Python dependencies [$extras]"
  # uv (pinned in pyproject.toml) installs the pinned packages several times faster than pip.
  # PyTorch comes from pip: the pinned CPU build is a file on this machine's disk that only
  # pip looks at (uv would download a CUDA build of several GB from PyPI).
  .venv/bin/python -m pip install --quiet "$(.venv/bin/python -c '
import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["tool"]["ce-book"]["installer"])')"
  without_torch=$(echo "$extras" | tr , '\n' | grep -vx torch | paste -sd , -)
  .venv/bin/uv pip install --quiet --python .venv/bin/python -e ".[$without_torch]"
  case ",$extras," in
    *,torch,*) .venv/bin/python -m pip install --quiet $(.venv/bin/python -c '
import tomllib
print(*tomllib.load(open("pyproject.toml", "rb"))["project"]["optional-dependencies"]["torch"])') ;;
  esac
  echo "setup: installing front-end assets (npm ci)"
  npm ci --silent --no-audit --no-fund
  echo "$want" > "$stamp"
fi
