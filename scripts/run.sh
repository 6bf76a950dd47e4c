#!/usr/bin/env bash
# make run: the demo as a visitor meets it. Migrate, build the demo region on the first start (with progress),
# start the task worker and serve on HOST:PORT without DEBUG, so that the platform's own pages answer (404, 403).
# DEMO_MODE alone serves the demo: static files come straight from the apps, any address the server is reached by
# is accepted (HOST=0.0.0.0 for the other machines of the network). Developers may add DJANGO_DEBUG=1.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEMO_MODE="${DEMO_MODE:-1}"
HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8000}"
PY=.venv/bin/python

# Where people open it: on every address of this machine when it listens on all of them.
addresses=(--address "http://$HOST:$PORT/")
if [ "$HOST" = "0.0.0.0" ]; then
    addresses=(--address "http://127.0.0.1:$PORT/")
    for ip in $(hostname -I 2>/dev/null || true); do
        case "$ip" in *:*) ;; *) addresses+=(--address "http://$ip:$PORT/") ;; esac
    done
fi

if ! $PY manage.py demo_prepare "${addresses[@]}"; then
    echo "Не удалось подготовить демо: сообщение об ошибке — выше." >&2
    exit 1
fi

mkdir -p var
# The task worker (imports, reports, the rollups' fold) without the file-watching reloader, and the scheduler
# that puts periodic jobs in its queue.
$PY manage.py db_worker --queue-name '*' --no-reload >var/worker.log 2>&1 &
worker=$!
$PY manage.py run_periodic >var/periodic.log 2>&1 &
periodic=$!
trap 'kill $worker $periodic 2>/dev/null || true' EXIT INT TERM

exec_status=0
$PY manage.py runserver "$HOST:$PORT" --noreload --skip-checks || exec_status=$?
exit $exec_status
