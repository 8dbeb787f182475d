#!/usr/bin/env bash
# Load run with locust against gunicorn on 127.0.0.1 (`make load`; SECURITY.md, BENCHMARKS.md).
#   DATABASE_URL=postgres://…  LOAD_USERS=50 LOAD_TIME=5m bash bench/load.sh
# The database must hold generate_load_data's province. Prints the figures per page and writes
# bench/load_results.json; exits 1 when any request failed.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?Set DATABASE_URL to the PostgreSQL database filled by generate_load_data}"
PYTHON=${PYTHON:-.venv/bin/python}
USERS=${LOAD_USERS:-50}
DURATION=${LOAD_TIME:-5m}
PORT=${LOAD_PORT:-8765}
WORKERS=${LOAD_WORKERS:-3}

"$PYTHON" bench/load_users.py --officers 40 --provincial $((USERS / 2 + 1)) --leaders $((USERS / 2 + 1))

# Production-like: DEBUG off, persistent connections; plain HTTP on loopback, so no TLS redirect.
# Keep-alive longer than locust's think time: with gunicorn's 2 s default the server closes an
# idle connection just as the client reuses it, and the request fails before reaching Django
# (behind nginx in production, nginx holds the client connections).
export DEBUG=false CONN_MAX_AGE=60
"$(dirname "$PYTHON")/gunicorn" config.wsgi --bind "127.0.0.1:$PORT" --workers "$WORKERS" \
  --threads 2 --keep-alive 30 --log-level warning &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 60); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 1; done

"$(dirname "$PYTHON")/locust" -f bench/locustfile.py --headless --users "$USERS" \
  --spawn-rate 10 --run-time "$DURATION" --stop-timeout 10 --host "http://127.0.0.1:$PORT" \
  --csv bench/locust --only-summary --exit-code-on-error 0
"$PYTHON" bench/load_summary.py bench/locust_stats.csv --users "$USERS" --duration "$DURATION"
