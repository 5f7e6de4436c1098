#!/usr/bin/env bash
# Fails when a tracked file still holds a merge-conflict marker. Prettier passes them in
# Markdown and YAML (they parse as text), so a half-resolved merge of the docs or the chart
# would otherwise reach main unnoticed.
set -euo pipefail
cd "$(dirname "$0")/../.."
if git grep -nE '^(<<<<<<< |>>>>>>> |\|\|\|\|\|\|\| )' -- . ':!node_modules' ; then
  echo "merge-conflict markers above: finish the merge before committing" >&2
  exit 1
fi
