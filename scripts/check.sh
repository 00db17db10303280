#!/usr/bin/env bash
# Set everything up, then run the quality gates and the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/python -m ruff check wawebpy tests examples benchmarks
.venv/bin/python -m mypy
.venv/bin/python scripts/gen_async.py --check
NO_MKDOCS_2_WARNING=1 .venv/bin/python -m mkdocs build --strict --quiet --site-dir "$(mktemp -d)"
exec .venv/bin/python -m pytest -q "$@"
