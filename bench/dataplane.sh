#!/usr/bin/env bash
# Measurement 2: what guard mode costs established traffic to an open, unguarded port.
# iperf3 TCP throughput and UDP packets per second (18-byte payload: 64-byte Ethernet
# frames) from the client namespace to the server namespace, for each ruleset below,
# interleaved round-robin so drifting background load hits every ruleset alike, each round
# starting one ruleset further along. Client
# and server are pinned to CPU 1 (iperf3 -A 1): on a veth the receive path runs in the
# sender's context, so the whole packet path shares one core, run to run.
#
# guard = one door; guard3 = three doors; guard3g = three doors and 65,536 grants;
# guardp = one door that grants /24 and /64 prefixes (log lines on), guardp-nolog = the
# same with log: false: a log line costs only packets that complete a knock.
#
#   bench/dataplane.sh [--reps N] [--seconds S] [--rulesets "empty guardp guardp-nolog"]
#   (defaults: 7 rounds of 1 s each, every ruleset below)
#
# Writes results/dataplane.tsv: ruleset, rep, tcp_gbps, udp_pps.
source "$(dirname "$0")/lib/common.sh"
source "$BENCH_DIR/lib/peers.sh"

REPS=7 SECS=1
RULESETS=(empty ctonly guard guard3 guard3g guardp guardp-nolog hostfw hostfw+guard3g seeds hostfw+knockd hostfw+fwknopd)
while (($#)); do
    case $1 in
        --reps) REPS=$2; shift 2 ;;
        --seconds) SECS=$2; shift 2 ;;
        --rulesets) read -r -a RULESETS <<<"$2"; shift 2 ;;
        *) die "unknown option $1" ;;
    esac
done

ensure_tools; build_tools
[[ -n ${NFTKNOCK:-} ]] || build_nftknock
make_namespaces
rm -f "$RESULTS_DIR/dataplane.tsv"

spawn "$NS_S" timeout 1800 iperf3 -s -p 5201 -A 1 >/dev/null 2>&1
sleep 0.5

setup() {
    server_tables_clear
    knockd_stop; fwknopd_stop
    case $1 in
        empty) ;;
        ctonly) server_load ctonly ;;
        guard) nftknock_apply "$BENCH_DIR/configs/latency.yaml" ;;
        guard3) nftknock_apply "$BENCH_DIR/configs/three-doors.yaml" ;;
        guard3g) nftknock_apply "$BENCH_DIR/configs/three-doors.yaml"; load_grants ssh_open_v4 ;;
        guardp) nftknock_apply "$BENCH_DIR/configs/prefix.yaml" ;;
        guardp-nolog) nftknock_apply "$BENCH_DIR/configs/prefix-nolog.yaml" ;;
        hostfw) server_load hostfw ;;
        hostfw+guard3g) server_load hostfw; nftknock_apply "$BENCH_DIR/configs/three-doors.yaml"; load_grants ssh_open_v4 ;;
        seeds) server_load seeds-howto ;;
        hostfw+knockd) server_load hostfw; server_load gate; knockd_start 7000:udp,8000:udp,9000:udp ;;
        hostfw+fwknopd) server_load hostfw; server_load gate; fwknopd_start pcap ;;
    esac
}

iperf() { # prints tcp Gbit/s or udp received packets/s
    local out
    if [[ $1 == tcp ]]; then
        out=$(in_c timeout $((SECS + 10)) iperf3 -c $S_C4 -p 5201 -A 1 -t "$SECS" -J)
        jq -r '.end.sum_received.bits_per_second / 1e9' <<<"$out"
    else
        out=$(in_c timeout $((SECS + 10)) iperf3 -c $S_C4 -p 5201 -A 1 -u -b 0 -l 18 -t "$SECS" -J)
        jq -r '(.end.sum.packets - .end.sum.lost_packets) / .end.sum.seconds' <<<"$out"
    fi
}

# Each round starts one ruleset further along the list, so no ruleset is always measured
# first (in the 01:07 run the first of every round, always `empty`, came out up to 30 %
# faster than the rest), and each measurement starts half a second after its setup, so
# the work of loading 65,536 grants or stopping a daemon is not measured against the next.
N=${#RULESETS[@]}
for ((rep = 1; rep <= REPS; rep++)); do
    for ((k = 0; k < N; k++)); do
        rs=${RULESETS[$(((rep - 1 + k) % N))]}
        setup "$rs"
        sleep 0.5
        tcp=$(iperf tcp); udp=$(iperf udp)
        log "dataplane rep $rep $rs: tcp ${tcp} Gbit/s, udp ${udp} pps"
        result dataplane $'ruleset\trep\ttcp_gbps\tudp_pps' "$rs" "$rep" "$tcp" "$udp"
    done
done
knockd_stop; fwknopd_stop
