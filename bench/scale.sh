#!/usr/bin/env bash
# Measurement 6: scale. Wall time of `nftknock render`, `check` and `apply` for a config
# with 64 doors (each a process started from scratch), and of `nftknock status` and
# `status --json` with 65,536 grants in one door's set. Medians of --runs; status --json
# is also timed against nft's own listing in paired rounds, and so is `nftknock metrics`
# over the 64 doors with 65,536 grants in one of them.
#
# Then 1,000 clients on one rotating door: check, apply, a rotate wake (a whole `rotate --once`,
# and one wake of a running rotate), status and metrics against nft's listing, and a knock against
# the same knock at a one-client door.
#
#   bench/scale.sh [--runs 7] [--part all|doors|clients]
#
# Writes results/scale.tsv.
source "$(dirname "$0")/lib/common.sh"
source "$BENCH_DIR/lib/peers.sh"

RUNS=7 PART=all
while (($#)); do
    case $1 in
        --runs) RUNS=$2; shift 2 ;;
        --part) PART=$2; shift 2 ;;
        *) die "unknown option $1" ;;
    esac
done

ensure_tools; build_tools
[[ -n ${NFTKNOCK:-} ]] || build_nftknock
make_namespaces
rm -f "$RESULTS_DIR/scale.tsv"

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
elapsed_ns() { # the command, run in the server namespace; prints how long it took
    local t0; t0=$(date +%s%N); in_s "$@" >/dev/null; echo $(($(date +%s%N) - t0))
}
# The command against nft's own listing of the table, back to back in each round, so that load
# drifting between rounds falls on both; the ratio is the median of the rounds' ratios. At least 15
# rounds whatever --runs says (one ratio swings by a third between rounds on a shared machine), and
# the order alternates, so that neither always runs second, on what the other left in the caches.
paired_ratio() { # label, command: the command against nft's listing, back to back in each round
    local label=$1 rounds=$((RUNS > 15 ? RUNS : 15)) nft_ns cmd_ns ratios=() st; shift
    for ((i = 0; i < rounds + 1; i++)); do
        if ((i % 2)); then
            cmd_ns=$(elapsed_ns "$@"); nft_ns=$(elapsed_ns nft -j list table inet nftknock)
        else
            nft_ns=$(elapsed_ns nft -j list table inet nftknock); cmd_ns=$(elapsed_ns "$@")
        fi
        ((i == 0)) || ratios+=("$(awk -v n="$nft_ns" -v c="$cmd_ns" 'BEGIN { printf "%.3f", c / n }')")
    done
    st=$(printf '%s\n' "${ratios[@]}" | stats)
    log "scale $label: $st"
    result scale $'operation\truns\tmedian_ms\tmax_ms' "$label" "$rounds" "$(field median <<<"$st")" "$(field max <<<"$st")"
}

if [[ $PART != clients ]]; then

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
paired_ratio "status --json ÷ nft -j list table, paired rounds (ratio)" "$NFTKNOCK" status --json
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
paired_ratio "metrics ÷ nft -j list table, 64 doors, paired rounds (ratio)" "$NFTKNOCK" metrics -t nftknock
fi
[[ $PART == doors ]] && exit 0

# 1,000 people on one rotating door (three knocks, each client with its own secret) beside the
# same door with one client. check and apply are whole processes; a rotate wake is one
# `rotate --once` (user + system CPU, start-up included) with the record of served windows the
# previous wake left, as a running rotate has it: every window t-1, t and t+1 is written each time,
# and only the unmeasured first run, from a fresh state directory, lists the whole table; status
# and metrics are paired with nft's own listing as above; a knock is `nftknock knock --check` from
# the client namespace by client 500 (or the only client), paired round by round with the
# one-client door so load lands on both alike.
server_tables_clear
CLI_DIR="$WORK/clients1000"
rm -rf "$CLI_DIR"; mkdir -p "$CLI_DIR"; chmod 700 "$CLI_DIR"
python3 - "$CLI_DIR" <<'EOF'
import base64, os, sys
d = sys.argv[1]
for n in (1000, 1):
    lines = ["doors:", "  team:", "    protect: [2300/tcp]", "    open-for: 10s", "    rotating:",
             "      knocks: 3", "      clients:"]
    for i in range(n):
        name = f"p{i:04d}" if n > 1 else "p0500"
        path = f"{d}/{name}.secret"
        if not os.path.exists(path):
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            os.write(fd, base64.b64encode(os.urandom(32)) + b"\n")
            os.close(fd)
        lines.append(f"        - {{name: {name}, secret-file: {path}}}")
    open(f"{d}/clients{n}.yaml", "w").write("\n".join(lines) + "\n")
EOF
C1000="$CLI_DIR/clients1000.yaml" C1="$CLI_DIR/clients1.yaml"
measure "check, 1 rotating door, 1,000 clients" "$NFTKNOCK" check -c "$C1000"
measure "apply, 1,000 clients (first: empty host)" bash -c "nft delete table inet nftknock 2>/dev/null; $NFTKNOCK apply -c $C1000"
measure "apply, 1,000 clients (re-apply over itself)" "$NFTKNOCK" apply -c "$C1000"
rotate_cpu() { # name, config: median user+system ms of rotate --once after a first, unmeasured one
    local name=$1 conf=$2 ms=() st out
    rm -rf "$CLI_DIR/state"; mkdir -p "$CLI_DIR/state"; chmod 700 "$CLI_DIR/state"
    for ((i = 0; i < RUNS + 1; i++)); do
        out=$(in_s env NFTKNOCK_STATE_DIR="$CLI_DIR/state" /usr/bin/time -f '%U %S' "$NFTKNOCK" rotate --once -c "$conf" 2>&1 >/dev/null | tail -n 1)
        ((i == 0)) || ms+=("$(awk '{ printf "%.1f", ($1 + $2) * 1000 }' <<<"$out")")
    done
    st=$(printf '%s\n' "${ms[@]}" | stats)
    log "scale $name: $st"
    result scale $'operation\truns\tmedian_ms\tmax_ms' "$name" "$RUNS" "$(field median <<<"$st")" "$(field max <<<"$st")"
}
rotate_cpu "rotate --once CPU (user+sys), 1,000 clients" "$C1000"
# A running rotate: the CPU between one wake's line and the next (user + system, nft's included),
# the start left out, on the same door with 5 s windows so that the wakes come quickly. The kernel
# counts CPU in 10 ms ticks, so the row gives the mean over the wakes (the CPU from the first
# measured wake's line to the last's, divided by their number) beside the largest single wake.
sed 's/^      knocks: 3$/      knocks: 3\n      period: 5s/' "$C1000" >"$CLI_DIR/clients1000-5s.yaml"
rm -rf "$CLI_DIR/state"; mkdir -p "$CLI_DIR/state"; chmod 700 "$CLI_DIR/state"
in_s "$NFTKNOCK" apply -c "$CLI_DIR/clients1000-5s.yaml" >/dev/null 2>&1 || log "scale: apply of the 5 s door failed"
st=$(python3 "$BENCH_DIR/lib/wakecpu.py" --wakes $((RUNS * 2)) --timeout $((RUNS * 10 + 30)) -- \
    ip netns exec "$NS_S" env NFTKNOCK_STATE_DIR="$CLI_DIR/state" "$NFTKNOCK" rotate -c "$CLI_DIR/clients1000-5s.yaml" | stats)
log "scale rotate, one wake of a running rotate, 1,000 clients: $st"
result scale $'operation\truns\tmedian_ms\tmax_ms' "rotate, CPU of one wake of a running rotate (user+sys, mean of the wakes), 1,000 clients" "$((RUNS * 2))" "$(field mean <<<"$st")" "$(field max <<<"$st")"
in_s "$NFTKNOCK" apply -c "$C1000" >/dev/null 2>&1 || log "scale: apply of 1,000 clients failed"
elements=$(in_s nft -j list map inet nftknock rotating | grep -o '"goto"' | wc -l)
log "rotating map entries with 1,000 clients: $elements"
result scale $'operation\truns\tmedian_ms\tmax_ms' "rotating map entries written for 1,000 clients: $elements" 1 "" ""
measure "status, 1,000 clients" "$NFTKNOCK" status
measure "nft -j list table, 1,000 clients" nft -j list table inet nftknock
paired_ratio "status --json ÷ nft -j list table, 1,000 clients, paired rounds (ratio)" "$NFTKNOCK" status --json
paired_ratio "metrics ÷ nft -j list table, 1,000 clients, paired rounds (ratio)" "$NFTKNOCK" metrics -t nftknock

# Knock to grant: one client secret behind the 1,000-client door `team` and behind a one-client
# door `solo` (port 2301) in the same table, so that the two can be timed in the same rounds.
python3 - "$CLI_DIR" <<'EOF'
import sys
d = sys.argv[1]
team = open(f"{d}/clients1000.yaml").read()
solo = "\n".join(["  solo:", "    protect: [2301/tcp]", "    open-for: 10s", "    rotating:", "      knocks: 3",
                  "      clients:", f"        - {{name: p0500, secret-file: {d}/p0500.secret}}"])
open(f"{d}/both.yaml", "w").write(team + solo + "\n")
EOF
cat >"$CLI_DIR/client.yaml" <<YAML
hosts:
  team:
    address: $S_C4
    port: 2300
    rotating: {door: team, knocks: 3, secret-file: $CLI_DIR/p0500.secret}
  solo:
    address: $S_C4
    port: 2301
    rotating: {door: solo, knocks: 3, secret-file: $CLI_DIR/p0500.secret}
YAML
chmod 600 "$CLI_DIR/client.yaml"
server_tables_clear
if in_s "$NFTKNOCK" apply -c "$CLI_DIR/both.yaml" >/dev/null 2>&1; then
    rm -rf "$CLI_DIR/state"; mkdir -p "$CLI_DIR/state"; chmod 700 "$CLI_DIR/state"
    NFTKNOCK_STATE_DIR="$CLI_DIR/state" spawn "$NS_S" "$NFTKNOCK" rotate -c "$CLI_DIR/both.yaml"
    for port in 2300 2301; do spawn "$NS_S" "$BUILD_DIR/acceptor" "$port" --seconds 600; done
    sleep 1
    close_set() { echo "ip netns exec $NS_S nft flush set inet nftknock $1_open_v4"; }
    in_c python3 "$BENCH_DIR/lib/paired.py" --runs "$((RUNS * 5))" --warmup 2 \
        --close "1000=$(close_set team)" --close "1=$(close_set solo)" \
        "1000=$NFTKNOCK knock team --check 2300 --profiles $CLI_DIR/client.yaml" \
        "1=$NFTKNOCK knock solo --check 2301 --profiles $CLI_DIR/client.yaml" >"$WORK/paired-clients.txt"
    for name in 1 1000; do
        st=$(awk -v n="$name" '$1 == n && $2 == "ok" { print $3 }' "$WORK/paired-clients.txt" | stats)
        ok=$(awk -v n="$name" '$1 == n && $2 == "ok"' "$WORK/paired-clients.txt" | wc -l)
        log "scale knock --check, door with $name client(s): $ok ok, $st"
        result scale $'operation\truns\tmedian_ms\tmax_ms' "knock --check (3 rotating knocks, whole process), door with $name client(s), $ok ok" "$((RUNS * 5))" "$(field median <<<"$st")" "$(field max <<<"$st")"
    done
else
    log "scale: apply of the two rotating doors failed"
fi
