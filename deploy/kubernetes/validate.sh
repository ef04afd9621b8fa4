#!/usr/bin/env bash
# Validates nftknock-daemonset.yaml against the Kubernetes API schemas that the npm package
# kubernetes-models carries (no cluster needed). Installs the two pinned packages into a cache
# folder on first use. Exit 0: every document is valid; 1: one is not (each error is printed).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${NFTKNOCK_K8S_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/nftknock-kubernetes-models}"
manifest="${1:-$here/nftknock-daemonset.yaml}"
command -v node >/dev/null && command -v npm >/dev/null || { echo "validate.sh: needs node and npm (apt-get install -y nodejs npm)" >&2; exit 2; }
if [ ! -d "$cache/node_modules/kubernetes-models" ]; then
    mkdir -p "$cache"
    npm install --prefix "$cache" --no-audit --no-fund --silent kubernetes-models@5.1.0 js-yaml@4.1.0 >&2
fi
cp "$here/validate.mjs" "$cache/validate.mjs"
exec node "$cache/validate.mjs" "$manifest"
