#!/usr/bin/env bash
# Set everything up, then run the demo: an echo bot against the bundled fake WhatsApp Web.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .venv/bin/python -m wawebpy demo "$@"
