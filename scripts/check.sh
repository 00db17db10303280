#!/usr/bin/env bash
# Set everything up, then run the quality gates and the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/python -m ruff check wawebpy tests examples benchmarks
.venv/bin/python -m mypy
.venv/bin/python scripts/gen_async.py --check
NO_MKDOCS_2_WARNING=1 .venv/bin/python -m mkdocs build --strict --quiet --site-dir "$(mktemp -d)"
# The package as users get it: sdist + wheel build without warnings, metadata that PyPI accepts.
dist=$(mktemp -d)
.venv/bin/python -m build --outdir "$dist" . >"$dist/build.log" 2>&1 || { cat "$dist/build.log"; exit 1; }
if grep -iE 'deprecat|SetuptoolsWarning' "$dist/build.log"; then echo "check: the build warns" >&2; exit 1; fi
.venv/bin/python -m twine check --strict "$dist"/*.whl "$dist"/*.tar.gz
# tests/packaging installs this wheel into a fresh venv instead of building its own.
export WAWEBPY_TEST_WHEEL=$(ls "$dist"/*.whl)
exec .venv/bin/python -m pytest -q "$@"
