#!/usr/bin/env bash
# Measurement 6: scale. Wall time of `nftknock render`, `check` and `apply` for a config
# with 64 doors (each a process started from scratch), and of `nftknock status` and
# `status --json` with 65,536 grants in one door's set. Medians of --runs; status --json
# is also timed against nft's own listing in paired rounds, and so is `nftknock metrics`
# over the 64 doors with 65,536 grants in one of them.
#
#   bench/scale.sh [--runs 7]
#
# Writes results/scale.tsv.
source "$(dirname "$0")/lib/common.sh"
source "$BENCH_DIR/lib/peers.sh"

RUNS=7
while (($#)); do
    case $1 in
        --runs) RUNS=$2; shift 2 ;;
        *) die "unknown option $1" ;;
    esac
done

ensure_tools; build_tools
[[ -n ${NFTKNOCK:-} ]] || build_nftknock
make_namespaces
rm -f "$RESULTS_DIR/scale.tsv"

# 64 doors: door d<i> protects 10000+i/tcp behind three knocks in a shuffled order.
CONF="$WORK/doors64.yaml"
python3 - >"$CONF" <<'EOF'
import random
rng = random.Random(64)
ports = rng.sample(range(20000, 60000), 64 * 3)
print("doors:")
for i in range(64):
    a, b, c = ports[3 * i: 3 * i + 3]
    print(f"  d{i}:\n    protect: [{10000 + i}/tcp]\n    sequence: [{a}/udp, {b}/tcp, {c}/udp]")
EOF

measure() { # name, then the command to run in the server namespace
    local name=$1 t0 t1 ms=() st; shift
    for ((i = 0; i < RUNS + 1; i++)); do
        t0=$(date +%s%N)
        in_s "$@" >/dev/null 2>&1 || { log "scale: $name failed: $*"; return 0; }
        t1=$(date +%s%N)
        ((i == 0)) || ms+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e6 }')")
    done
    st=$(printf '%s\n' "${ms[@]}" | stats)
    log "scale $name: $st"
    result scale $'operation\truns\tmedian_ms\tmax_ms' "$name" "$RUNS" "$(field median <<<"$st")" "$(field max <<<"$st")"
}

measure "render, 64 doors" "$NFTKNOCK" render -c "$CONF"
measure "check, 64 doors (with nft --check)" "$NFTKNOCK" check -c "$CONF"
measure "apply, 64 doors (first: empty host)" bash -c "nft delete table inet nftknock 2>/dev/null; $NFTKNOCK apply -c $CONF"
measure "apply, 64 doors (re-apply over itself)" "$NFTKNOCK" apply -c "$CONF"
server_tables_clear
nftknock_apply "$BENCH_DIR/configs/latency.yaml" 2>/dev/null
load_grants ssh_open_v4
measure "status, 65,536 grants" "$NFTKNOCK" status
measure "status --json, 65,536 grants" "$NFTKNOCK" status --json
measure "nft -j list table (the kernel's share)" nft -j list table inet nftknock
# The same two, paired: nft's listing, then status --json, back to back in each round, so that
# load drifting between rounds falls on both; the ratio is the median of the rounds' ratios.
paired() {
    local t0 t1 t2 ratios=() st
    for ((i = 0; i < RUNS + 1; i++)); do
        t0=$(date +%s%N); in_s nft -j list table inet nftknock >/dev/null
        t1=$(date +%s%N); in_s "$NFTKNOCK" status --json >/dev/null
        t2=$(date +%s%N)
        ((i == 0)) || ratios+=("$(awk -v a="$t0" -v b="$t1" -v c="$t2" 'BEGIN { printf "%.3f", (c - b) / (b - a) }')")
    done
    st=$(printf '%s\n' "${ratios[@]}" | stats)
    log "scale status --json / nft -j list table, paired: $st"
    result scale $'operation\truns\tmedian_ms\tmax_ms' "status --json ÷ nft -j list table, paired rounds (ratio)" "$RUNS" "$(field median <<<"$st")" "$(field max <<<"$st")"
}
paired
measure "apply, 1 door, over 65,536 grants (they survive)" "$NFTKNOCK" apply -c "$BENCH_DIR/configs/latency.yaml"
left=$(in_s nft list set inet nftknock ssh_open_v4 | grep -o expires | wc -l)
log "grants left after the re-apply: $left"
result scale $'operation\truns\tmedian_ms\tmax_ms' "grants left after re-apply: $left" 1 "" ""

# metrics: the 64 doors again, 65,536 grants in one door's grant set, against nft's own listing
# of the same table in the same run (one listing each; metrics counts the elements, reads none).
server_tables_clear
in_s "$NFTKNOCK" apply -c "$CONF" >/dev/null 2>&1 || log "scale: apply of 64 doors failed"
load_grants d0_open_v4
measure "metrics, 64 doors, 65,536 grants" "$NFTKNOCK" metrics -t nftknock
measure "nft -j list table, 64 doors, 65,536 grants" nft -j list table inet nftknock
paired_metrics() {
    local t0 t1 t2 ratios=() st
    for ((i = 0; i < RUNS + 1; i++)); do
        t0=$(date +%s%N); in_s nft -j list table inet nftknock >/dev/null
        t1=$(date +%s%N); in_s "$NFTKNOCK" metrics -t nftknock >/dev/null
        t2=$(date +%s%N)
        ((i == 0)) || ratios+=("$(awk -v a="$t0" -v b="$t1" -v c="$t2" 'BEGIN { printf "%.3f", (c - b) / (b - a) }')")
    done
    st=$(printf '%s\n' "${ratios[@]}" | stats)
    log "scale metrics / nft -j list table, paired: $st"
    result scale $'operation\truns\tmedian_ms\tmax_ms' "metrics ÷ nft -j list table, 64 doors, paired rounds (ratio)" "$RUNS" "$(field median <<<"$st")" "$(field max <<<"$st")"
}
paired_metrics
