#!/usr/bin/env bash
# Idempotent setup for a fresh Debian + Node machine: Debian tools (Jupyter + nbconvert, the reference
# compression CLIs, Chromium, Slurm + munge), npm packages, the package link notebooks import, and the tslab kernel.
# Every README command runs this first; a second run does almost nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf 'setup: %s\n' "$*" >&2; }

# --- Debian packages (apt where it exists; pip for Jupyter elsewhere) ---
apt_wanted=()
command -v jupyter-nbconvert >/dev/null || apt_wanted+=(jupyter-notebook jupyter-nbconvert python3-nbconvert python3-ipykernel)
for tool in gzip zstd lz4 brotli bzip2; do command -v "$tool" >/dev/null || apt_wanted+=("$tool"); done
[ -x /usr/bin/chromium ] || apt_wanted+=(chromium)
for font in fonts-dejavu-core fonts-liberation; do dpkg -s "$font" >/dev/null 2>&1 || apt_wanted+=("$font"); done
if [ "${METACOMP_SKIP_SLURM:-0}" != 1 ]; then
  command -v sbatch >/dev/null || apt_wanted+=(slurm-wlm munge)
fi
if ((${#apt_wanted[@]})); then
  if command -v apt-get >/dev/null; then
    sudo_cmd=()
    [ "$(id -u)" = 0 ] || sudo_cmd=(sudo)
    log "installing Debian packages: ${apt_wanted[*]}"
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${apt_wanted[@]}" >&2
  elif ! command -v jupyter-nbconvert >/dev/null; then
    log "no apt-get: installing Jupyter with pip; install ${apt_wanted[*]} with your package manager"
    python3 -m pip install --user notebook nbconvert ipykernel >&2
  fi
fi

# --- npm packages (only when the lockfile changed since the last install) ---
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "installing npm packages (npm ci)"
  npm ci --no-fund --no-audit >&2
fi

# --- notebooks import "metacomp" by name: tslab resolves it through node_modules (DESIGN.md §6) ---
ln -sfn .. node_modules/metacomp

# --- the tslab kernel, registered for the Python that runs Jupyter. Its command is plain `tslab`, found on the
# PATH that npm scripts set (node_modules/.bin), so no clone's absolute path is baked into the machine-wide kernel.
jupyter_python=/usr/bin/python3
[ -x "$jupyter_python" ] || jupyter_python=python3
if ! "$jupyter_python" -c 'import jupyter_client, json, sys
spec = jupyter_client.kernelspec.KernelSpecManager().get_kernel_spec("tslab")
sys.exit(0 if spec.argv[0] == "tslab" else 1)' 2>/dev/null; then
  log "registering the tslab kernel"
  node_modules/.bin/tslab install --python="$jupyter_python" --binary=tslab >&2
fi
