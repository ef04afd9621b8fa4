#!/usr/bin/env bash
# Publishes nftknock as it ships (the NativeAOT binary, packaging/publish.sh) and runs its demo:
# a hidden port in throwaway network namespaces (needs root). The publish takes a minute or two.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
out=artifacts/publish/linux-x64
bash packaging/publish.sh linux-x64 "$out" >/dev/null
exec "$out/nftknock" demo
