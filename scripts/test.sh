#!/usr/bin/env bash
# Builds nftknock and runs every test project; kernel tests need root and run in namespaces they create.
# Ends with one line: "tests: N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh || exit $?

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
# The published binary runs from here, also as nobody (the unprivileged apply test).
chmod 755 "$results"
status=0

# Packaging first, into a scratch folder: packaging/build.sh publishes the NativeAOT binary the
# .deb ships and the Windows and macOS builds, and verify.sh checks the packages. The kernel tests
# below then run that published binary (NFTKNOCK_BIN) and the Windows build under Wine
# (NFTKNOCK_WIN_CLIENT), built once for the whole run. Its output is printed at the end, so the
# summary stays the last line.
artifacts="$results/artifacts"
OUT="$artifacts" bash packaging/verify.sh > "$results/packaging.log" 2>&1 || status=1
packaging=$(tail -n 1 "$results/packaging.log")

# The runtime-specific publishes rewrote the restore state; the build restores it for the tests.
dotnet build NftKnock.slnx -c Release -v q -nologo || { cat "$results/packaging.log"; echo "tests: 0 passed, 1 failed, 0 skipped"; exit 1; }

run() {
    dotnet test "$@" -c Release --no-build --nologo --results-directory "$results" --logger "trx" || status=1
}
# Unit tests first, together; kernel tests alone, so timing-sensitive packet tests do not share the two cores.
run NftKnock.slnx --filter "FullyQualifiedName!~NftKnock.Integration.Tests"
NFTKNOCK_BIN="$artifacts/publish/linux-x64/nftknock" NFTKNOCK_WIN_CLIENT="$artifacts/publish/win-x64-folder/nftknock.exe" \
    run tests/NftKnock.Integration.Tests

cat "$results/packaging.log"

passed=0 failed=0 skipped=0 total=0
for trx in "$results"/*.trx; do
    [ -e "$trx" ] || continue
    counters=$(grep -o '<Counters [^>]*>' "$trx")
    get() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
    t=$(get total); p=$(get passed); f=$(get failed); e=$(get error); x=$(get executed)
    total=$((total + t)); passed=$((passed + p)); failed=$((failed + f + ${e:-0})); skipped=$((skipped + t - x))
done
if [[ $packaging =~ ^packaging:\ ([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
    passed=$((passed + BASH_REMATCH[1])); failed=$((failed + BASH_REMATCH[2]))
else
    failed=$((failed + 1)); status=1
fi
[ "$total" -gt 0 ] || status=1
[ "$failed" -eq 0 ] || status=1
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit $status
