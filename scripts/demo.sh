#!/usr/bin/env bash
# Builds nftknock and runs its demo: a hidden port in throwaway network namespaces (needs root).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
dotnet build src/NftKnock.Cli -c Release -v q -nologo >/dev/null
exec dotnet src/NftKnock.Cli/bin/Release/net10.0/nftknock.dll demo
