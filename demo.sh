#!/usr/bin/env bash
# One-command demo: builds the jar if needed, then runs broker + service + sensor simulator (Ctrl+C stops all).
set -euo pipefail
cd "$(dirname "$0")"
exec bin/anomaly-detection demo "$@"
