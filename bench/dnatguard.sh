#!/usr/bin/env bash
# What deciding protected ports after DNAT costs a packet that no door concerns: guard mode's ct rules
# (ct status dnat, ct original proto-dst) switch conntrack on in the namespace, and every packet then
# pays for conntrack. udpcost sends 18-byte UDP datagrams from the client to an unguarded port of the
# server, pinned and at a real-time priority, under three rulesets in rotating order:
#   empty     no table
#   guard     nftknock's guard-mode table for configs/latency.yaml, as apply loads it
#   guard-ct  the same table without its ct rules (so conntrack stays off): the table's own cost
# Bounded: COUNT datagrams per measurement (at most 2,000,000), to the server's address only.
source "$(dirname "$0")/lib/common.sh"
source "$BENCH_DIR/lib/peers.sh"

REPS=7 COUNT=200000
while (($#)); do
    case $1 in
        --reps) REPS=$2; shift 2 ;;
        --count) COUNT=$2; shift 2 ;;
        *) die "unknown option $1" ;;
    esac
done

command -v socat >/dev/null || die "needs socat (scripts/deps.sh installs it)"
build_tools
[[ -n ${NFTKNOCK:-} ]] || build_nftknock
make_namespaces
rm -f "$RESULTS_DIR/dnatguard.tsv"

spawn "$NS_S" timeout 1800 socat -u UDP6-RECV:5201,ipv6only=0 /dev/null
sleep 0.5

RULESETS=(empty guard guard-ct)
CONFIG="$BENCH_DIR/configs/latency.yaml"
"$NFTKNOCK" render -c "$CONFIG" | grep -v '^\s*ct status' > "$WORK/guard-ct.nft"

setup() {
    server_tables_clear
    case $1 in
        empty) ;;
        guard) nftknock_apply "$CONFIG" ;;
        guard-ct) in_s nft -f "$WORK/guard-ct.nft" ;;
    esac
}

cost() { in_c chrt -f 50 taskset -c 1 timeout 60 "$BUILD_DIR/udpcost" "$1" 5201 "$COUNT" | field cpu_ns; }

N=${#RULESETS[@]}
for ((rep = 1; rep <= REPS; rep++)); do
    for ((k = 0; k < N; k++)); do
        rs=${RULESETS[$(((rep - 1 + k) % N))]}
        setup "$rs"
        sleep 0.3
        v6=$(cost $S_C6); v4=$(cost $S_C4)
        log "dnatguard rep $rep $rs: ipv6 ${v6} ns, ipv4 ${v4} ns per datagram"
        result dnatguard $'ruleset\trep\tv6_cpu_ns\tv4_cpu_ns' "$rs" "$rep" "$v6" "$v4"
    done
done

# Medians over the rounds of each round's own difference, so that load that drifts between rounds cancels out.
diff() { # ruleset, baseline, column
    awk -F'\t' -v a="$1" -v b="$2" -v c="$3" '$1 == a { x[$2] = $c } $1 == b { y[$2] = $c }
        END { for (r in x) if (r in y) print x[r] - y[r] }' "$RESULTS_DIR/dnatguard.tsv" | stats | field median
}
log "the ct rules (conntrack on): ipv6 $(diff guard guard-ct 3) ns, ipv4 $(diff guard guard-ct 4) ns per datagram"
log "guard mode as a whole: ipv6 $(diff guard empty 3) ns, ipv4 $(diff guard empty 4) ns per datagram"
