#!/usr/bin/env bash
# Publishes the nftknock binary the way it ships, for one runtime:
#
#   packaging/publish.sh RID OUTDIR [PROJECT]   # e.g. packaging/publish.sh linux-x64 artifacts/publish/linux-x64
#
# PROJECT defaults to src/NftKnock.Cli; the benchmarks publish their .NET floor program
# (bench/floor) with it too, so both start alike. Runtime settings: packaging/ColdStart.props.
#
# Self-contained, one file, trimmed, and ReadyToRun compiled as one composite image with the
# framework. connect is an SSH ProxyCommand started cold before every session, and a
# framework-dependent ReadyToRun build still compiles about 280 generic methods at start-up
# (async state machines and collections instantiated over nftknock's own types, which only a
# composite image shared with the framework can hold); trimming keeps that image at about 26 MB.
# Trimming is safe here: nftknock uses no reflection, and the publish fails on any trim warning.
set -euo pipefail
cd "$(dirname "$0")/.."
rid=${1:?usage: packaging/publish.sh RID OUTDIR [PROJECT]}
out=${2:?usage: packaging/publish.sh RID OUTDIR [PROJECT]}
project=${3:-src/NftKnock.Cli}
# The runtime-specific intermediate files are shared with any other publish for this runtime
# (say, a framework-dependent one): stale ReadyToRun images there crash the binary at start.
rm -rf src/*/obj/Release/net10.0/"$rid" "$project"/obj/Release/net10.0/"$rid"
dotnet publish "$project" -c Release -r "$rid" --self-contained \
	-p:PublishSingleFile=true -p:PublishTrimmed=true \
	-p:PublishReadyToRun=true -p:PublishReadyToRunComposite=true \
	-o "$out" -v q --nologo
