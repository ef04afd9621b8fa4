#!/usr/bin/env bash
# Publishes the nftknock binary the way it ships, for one runtime:
#
#   packaging/publish.sh RID OUTDIR [PROJECT]   # e.g. packaging/publish.sh linux-x64 artifacts/publish/linux-x64
#
# PROJECT defaults to src/NftKnock.Cli; the benchmarks publish their .NET floor program
# (bench/floor) with it too, so both start alike.
#
# Linux: NativeAOT, one native executable with no JIT and no runtime to load. connect is an SSH
# ProxyCommand started cold before every session, and native code starts in a few milliseconds
# where even a composite ReadyToRun build took 50-60. The native link needs a C toolchain and
# zlib1g-dev (scripts/deps.sh installs them). Trim and AOT warnings fail the publish, as every
# warning fails this build.
#
# Windows and macOS: NativeAOT cannot cross-compile to them from Linux, so they get a self-contained,
# trimmed, single-file build with ReadyToRun code. LAYOUT=folder publishes the same build as a folder
# (the executable beside its libraries) instead of one file: Wine runs that layout, not the bundle.
set -euo pipefail
cd "$(dirname "$0")/.."
rid=${1:?usage: packaging/publish.sh RID OUTDIR [PROJECT]}
out=${2:?usage: packaging/publish.sh RID OUTDIR [PROJECT]}
project=${3:-src/NftKnock.Cli}
layout=${LAYOUT:-file}
# The runtime-specific intermediate files are shared with any other publish for this runtime:
# stale native or ReadyToRun objects there are worse than the minute it takes to rebuild them.
rm -rf src/*/obj/Release/net10.0/"$rid" "$project"/obj/Release/net10.0/"$rid"
common=(-c Release -r "$rid" -o "$out" -v q --nologo -p:DebugType=none
	-p:PublishDocumentationFile=false -p:PublishReferencesDocumentationFiles=false)
case "$rid" in
	linux-*)
		dotnet publish "$project" "${common[@]}" -p:PublishAot=true
		;;
	*)
		single=true
		[[ $layout == folder ]] && single=false
		dotnet publish "$project" "${common[@]}" --self-contained \
			-p:PublishSingleFile=$single -p:PublishTrimmed=true \
			-p:PublishReadyToRun=true -p:PublishReadyToRunComposite=true
		;;
esac
