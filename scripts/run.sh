#!/usr/bin/env bash
# make run: migrate, build the demo region on first start, start the task worker and serve.
set -euo pipefail
cd "$(dirname "$0")/.."
export DJANGO_DEBUG="${DJANGO_DEBUG:-1}" DEMO_MODE="${DEMO_MODE:-1}"
HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8000}"
PY=.venv/bin/python

$PY manage.py migrate --noinput -v0
if ! $PY manage.py seed_demo --if-empty; then
    echo "Не удалось построить демо-регион" >&2
    exit 1
fi

$PY manage.py db_worker --queue-name '*' >var/worker.log 2>&1 &
worker=$!
trap 'kill $worker 2>/dev/null || true' EXIT INT TERM

$PY manage.py demo_logins --address "http://$HOST:$PORT/"
exec_status=0
$PY manage.py runserver "$HOST:$PORT" --noreload --skip-checks || exec_status=$?
exit $exec_status
