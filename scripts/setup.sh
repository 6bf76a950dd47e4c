#!/usr/bin/env bash
# Sets up everything the platform needs on a fresh machine: a Python 3.12+ virtual environment with the
# locked dependencies (requirements.lock; with --dev or --browser also the tests' and tools' requirements-dev.lock)
# and, with --browser, Debian's Chromium and axe-core (npm, package-lock.json) for the browser tests. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

python_ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; }

find_python() {
    if [ -n "${PYTHON:-}" ] && python_ok "$PYTHON"; then echo "$PYTHON"; return; fi
    local candidate
    for candidate in python3.14 python3.13 python3.12 python3; do
        if command -v "$candidate" >/dev/null 2>&1 && python_ok "$candidate"; then command -v "$candidate"; return; fi
    done
    for candidate in "$HOME"/.pyenv/versions/3.1[2-9]*/bin/python3 /usr/local/bin/python3.1[2-9] /usr/bin/python3.1[2-9]; do
        if [ -x "$candidate" ] && python_ok "$candidate"; then echo "$candidate"; return; fi
    done
    return 1
}

if [ ! -x .venv/bin/python ] || ! python_ok .venv/bin/python; then
    if ! PY=$(find_python); then
        cat >&2 <<'MSG'
Не найден Python 3.12 или новее. Установите его и повторите команду, например:
  sudo apt-get install python3.12 python3.12-venv     (Debian/Ubuntu)
  pyenv install 3.12                                   (pyenv)
или укажите путь явно: make run PYTHON=/путь/к/python3.12
MSG
        exit 1
    fi
    echo "Создаю окружение .venv на $PY ($("$PY" --version))" >&2
    rm -rf .venv
    "$PY" -m venv .venv
fi

lock=requirements.lock
case "${1:-}" in --dev|--browser) lock=requirements-dev.lock ;; esac
lock_sum=$(sha256sum "$lock" | cut -d' ' -f1)
# The development set includes the production one: once it is in, `make run` needs nothing more.
if [ "$(cat .venv/.lock.sha256 2>/dev/null)" != "$lock_sum" ] \
    && { [ "$lock" = requirements-dev.lock ] || [ "$(cat .venv/.lock-dev.sha256 2>/dev/null)" != "$(sha256sum requirements-dev.lock | cut -d' ' -f1)" ]; }; then
    echo "Устанавливаю зависимости из $lock" >&2
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes -r "$lock"
    echo "$lock_sum" > .venv/.lock.sha256
    if [ "$lock" = requirements-dev.lock ]; then cp .venv/.lock.sha256 .venv/.lock-dev.sha256; fi
fi

apt_install() {
    if [ "$(id -u)" = "0" ]; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
    else
        sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
    fi
}

# WeasyPrint (the PDFs: exports, acts) draws text with the system's Pango and HarfBuzz, and needs a font with
# Cyrillic letters.
if ! ldconfig -p 2>/dev/null | grep -q "libpangoft2-1.0.so.0" || ! ldconfig -p 2>/dev/null | grep -q "libharfbuzz-subset.so.0" \
    || ! fc-list 2>/dev/null | grep -qi "dejavu"; then
    echo "Устанавливаю Pango, HarfBuzz и шрифты DejaVu из пакетов Debian для PDF" >&2
    apt_install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fontconfig
fi

if [ "${1:-}" = "--browser" ]; then
    if [ ! -x /usr/bin/chromium ]; then
        echo "Устанавливаю Chromium из пакетов Debian для браузерных тестов" >&2
        apt_install chromium fonts-liberation
    fi
    # axe-core, the accessibility checker the browser tests inject into every page, comes from the npm
    # registry at the version package-lock.json pins, into node_modules/ (not committed, not served).
    if ! command -v npm >/dev/null 2>&1; then
        echo "Устанавливаю Node.js и npm из пакетов Debian для проверки доступности" >&2
        apt_install nodejs npm
    fi
    npm_sum=$(sha256sum package-lock.json | cut -d' ' -f1)
    if [ ! -f node_modules/axe-core/axe.min.js ] || [ "$(cat node_modules/.lock.sha256 2>/dev/null)" != "$npm_sum" ]; then
        echo "Устанавливаю axe-core из package-lock.json" >&2
        npm ci --no-audit --no-fund --loglevel=error >/dev/null
        echo "$npm_sum" > node_modules/.lock.sha256
    fi
fi
