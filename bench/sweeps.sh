#!/usr/bin/env bash
# Measurement 3: can a scanner open the door? From the attacker namespace, against each
# product with the seeds' own (monotonic: the easiest case for a sweep) sequences:
#   nmap-r-tcp x2   nmap -sS -r: sequential SYN scan of all ports, twice back to back
#   udp-seq x2      sequential UDP sweep of all ports at 25,000 packets/s, twice (pktgen)
#   masscan         masscan, random order, TCP and UDP, all ports, 25,000 packets/s
# Each sweep starts from a freshly loaded ruleset. The server counts every SYN-ACK that
# leaves a protected port (22, 2222) towards the attacker, and right after the sweep the
# attacker tries to connect to both. Target: zero, for every sweep.
#
#   bench/sweeps.sh [--products "nftknock seeds-howto seeds-blog knockd"]
#
# Writes results/sweeps.tsv.
source "$(dirname "$0")/lib/common.sh"
source "$BENCH_DIR/lib/peers.sh"

PRODUCTS="nftknock seeds-howto seeds-blog knockd"
SWEEPS="nmap-r-tcp-x2 udp-seq-x2 masscan-random"
while (($#)); do
    case $1 in
        --products) PRODUCTS=$2; shift 2 ;;
        --sweeps) SWEEPS=$2; shift 2 ;;
        *) die "unknown option $1" ;;
    esac
done

ensure_tools; build_tools
[[ -n ${NFTKNOCK:-} ]] || build_nftknock
make_namespaces
rm -f "$RESULTS_DIR/sweeps.tsv"
spawn "$NS_S" "$BUILD_DIR/acceptor" 22 --seconds 1800
spawn "$NS_S" "$BUILD_DIR/acceptor" 2222 --seconds 1800
S_A_MAC=$(ip -n "$NS_S" -j link show br0 | jq -r '.[0].address')
A0_MAC=$(ip -n "$NS_A" -j link show a0 | jq -r '.[0].address')

setup() {
    knockd_stop
    server_tables_clear
    case $1 in
        nftknock) server_load hostfw; nftknock_apply "$BENCH_DIR/configs/sweeps.yaml" 2>/dev/null ;;
        seeds-howto) server_load seeds-howto ;;
        seeds-blog) server_load seeds-blog ;;
        knockd)
            server_load hostfw; server_load gate
            knockd_start 12345:tcp,23456:tcp,34567:tcp,45678:tcp 7000:udp,8000:udp,9000:udp
            ;;
    esac
    # Our own witness: every SYN-ACK from a protected port to the attacker's link.
    in_s nft -f - <<EOF
table inet nkbwatch {
    chain out {
        type filter hook output priority 100; policy accept;
        ip daddr 198.18.2.0/24 tcp sport { 22, 2222 } tcp flags & (syn | ack) == syn | ack counter name synack
        ip6 daddr 2001:db8:2::/64 tcp sport { 22, 2222 } tcp flags & (syn | ack) == syn | ack counter name synack
    }
    counter synack {}
}
EOF
}

synacks() { in_s nft -j list counter inet nkbwatch synack | jq '.nftables[1].counter.packets'; }
probe() { in_a "$BUILD_DIR/tcpconnect" $S_A4 "$1" --attempt-ms 200 --deadline-ms 250 --quiet && echo open || echo closed; }

sweep() {
    local kind=$1 out sent=0 t0 t1
    t0=$(date +%s.%N)
    case $kind in
        nmap-r-tcp-x2)
            for pass in 1 2; do
                out=$(in_a timeout 120 nmap -n -Pn -sS -r -p1-65535 --max-retries 0 --min-rate 20000 --max-rate 30000 \
                    --host-timeout 100s -v $S_A4 2>&1) || true
                sent=$((sent + $(sed -n 's/.*Raw packets sent: \([0-9]*\).*/\1/p' <<<"$out" | tail -1)))
                grep -E '^(22|2222)/tcp' <<<"$out" | sed "s/^/    nmap pass $pass: /" >&2 || true
            done
            ;;
        udp-seq-x2)
            out=$(in_a "$BUILD_DIR/pktgen" --dst $S_A4 --src $A4 --proto udp --ports 1-65535 --order seq \
                --rate 25000 --count 131070 --seconds 15)
            sent=$(field sent <<<"$out")
            log "    udp sweep: $out"
            ;;
        masscan-random)
            if ! command -v masscan >/dev/null; then
                # No masscan package: the same scan from pktgen, random order, TCP then UDP.
                log "    masscan is not installed: a bounded random-order pktgen scan stands in"
                out=$(in_a "$BUILD_DIR/pktgen" --dst $S_A4 --src $A4 --proto tcp --ports 1-65535 --order random \
                    --rate 25000 --count 65535 --seconds 10)
                sent=$(field sent <<<"$out")
                out=$(in_a "$BUILD_DIR/pktgen" --dst $S_A4 --src $A4 --proto udp --ports 1-65535 --order random \
                    --rate 25000 --count 65535 --seconds 10)
                sent=$((sent + $(field sent <<<"$out")))
                SWEEP_SENT=$sent
                SWEEP_SECS=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
                return 0
            fi
            out=$(in_a timeout 60 masscan $S_A4 -p1-65535,U:1-65535 --rate 25000 --wait 1 \
                --adapter a0 --adapter-ip $A4 --adapter-mac "$A0_MAC" --router-mac "$S_A_MAC" --seed "$RANDOM" 2>&1) || true
            sent=131070
            grep -E 'port (22|2222)/tcp' <<<"$out" | sed 's/^/    masscan: /' >&2 || true
            ;;
    esac
    t1=$(date +%s.%N)
    SWEEP_SENT=$sent
    SWEEP_SECS=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
}

for product in $PRODUCTS; do
    for kind in $SWEEPS; do
        setup "$product"
        sweep "$kind"
        n=$(synacks); p22=$(probe 22); p2222=$(probe 2222)
        verdict=$([[ $n == 0 && $p22 == closed && $p2222 == closed ]] && echo pass || echo FAIL)
        log "sweeps $product $kind: ${SWEEP_SENT} packets in ${SWEEP_SECS}s, SYN-ACKs from protected ports $n, after: 22 $p22, 2222 $p2222 -> $verdict"
        result sweeps $'product\tsweep\tpackets\tseconds\tsynacks\tafter_22\tafter_2222\tverdict' \
            "$product" "$kind" "$SWEEP_SENT" "$SWEEP_SECS" "$n" "$p22" "$p2222" "$verdict"
    done
done
knockd_stop
