#!/usr/bin/env bash
# Load test of POST /api/v1/score: starts a server with a trained champion and live state built from a simulated
# history (embedded PostgreSQL and Kafka, in a temporary directory), runs wrk on loopback with a Lua script posting
# varied transactions, once with the quick explanation and once with the exact one, and prints requests per second
# and latency percentiles. Needs wrk (apt-get install -y wrk). Extra arguments go to `riskloop bench api`, e.g.
#   bench/score-load.sh --duration 60 --connections 32
# Figures and the machine they were measured on: docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
exec ./riskloop bench api "$@"
