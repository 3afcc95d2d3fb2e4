#!/usr/bin/env bash
# Executes every notebook headlessly on the tslab kernel and fails on any cell error.
# Committed notebooks must carry no outputs; that is checked first.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
status=0
for nb in notebooks/*.ipynb; do
  case "$nb" in *.nbconvert.ipynb) continue ;; esac
  if ! node scripts/check-notebook-clean.mjs "$nb"; then status=1; continue; fi
  start=$(date +%s)
  if jupyter nbconvert --to notebook --execute --ExecutePreprocessor.kernel_name=tslab \
    --ExecutePreprocessor.timeout=300 --output-dir "$out" "$nb" >"$out/log" 2>&1; then
    printf 'notebook ok   %-45s %4ss\n' "$nb" "$(($(date +%s) - start))"
  else
    printf 'notebook FAIL %s\n' "$nb"
    tail -40 "$out/log"
    status=1
  fi
done
exit $status
