#!/usr/bin/env bash
# Measurement 7 (on its own, not part of run-all): what guard mode's IPv6 fragment check costs
# each packet, against the other way to see whole packets at the input hook: having the kernel
# reassemble IPv6 first (nf_defrag_ipv6, which conntrack, tproxy and socket matching switch on).
#
# udpcost sends 18-byte UDP datagrams from the client to an unguarded port of the server, pinned
# to CPU 1 at real-time priority, and reports CPU ns per datagram: on a veth the server's receive
# path runs in the sender's context, so its hooks are in that number, and other load on the
# machine barely moves it. One rule costs too little to see against run-to-run spread, so
# guard+99 carries 99 more copies of the check (each one evaluated, none matching): the check's
# own cost is (guard+99 - guard) / 99. Rounds rotate the order of the rulesets, as dataplane.sh.
#
#   empty         no ruleset
#   guard         nftknock apply, one door (configs/latency.yaml): the check once
#   guard+99      the same with 99 more copies of the check
#   guard+defrag  the same plus a never-matching tproxy rule, whose only effect is to switch
#                 nf_defrag_ipv6 on in the server namespace
#
#   bench/fragments.sh [--reps N] [--count N]     (defaults: 7 rounds of 200,000 datagrams)
#
# Writes results/fragments.tsv: ruleset, rep, v6_cpu_ns, v4_cpu_ns.
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
rm -f "$RESULTS_DIR/fragments.tsv"

spawn "$NS_S" timeout 1800 socat -u UDP6-RECV:5201,ipv6only=0 /dev/null
sleep 0.5

RULESETS=(empty guard guard+99 guard+defrag)
CONFIG="$BENCH_DIR/configs/latency.yaml"

setup() {
    server_tables_clear
    case $1 in
        empty) ;;
        guard) nftknock_apply "$CONFIG" ;;
        guard+99)
            nftknock_apply "$CONFIG"
            for _ in $(seq 99); do echo "insert rule inet nftknock input exthdr frag exists jump fragments"; done | in_s nft -f -
            ;;
        guard+defrag)
            nftknock_apply "$CONFIG"
            in_s nft -f - <<'NFT'
table ip6 nkbdefrag {
	chain prerouting {
		type filter hook prerouting priority raw; policy accept;
		meta mark 0x7fffffff meta l4proto tcp tproxy to [::1]:1
	}
}
NFT
            ;;
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
        log "fragments rep $rep $rs: ipv6 ${v6} ns, ipv4 ${v4} ns per datagram"
        result fragments $'ruleset\trep\tv6_cpu_ns\tv4_cpu_ns' "$rs" "$rep" "$v6" "$v4"
    done
done

# What they say: medians over the rounds of each round's own difference, so that load that
# drifts between rounds cancels out.
diff() { # ruleset, baseline, column, divisor
    awk -F'\t' -v a="$1" -v b="$2" -v c="$3" '$1 == a { x[$2] = $c } $1 == b { y[$2] = $c }
        END { for (r in x) if (r in y) print x[r] - y[r] }' "$RESULTS_DIR/fragments.tsv" | stats | field median |
        awk -v d="$4" '{ printf "%.1f", $1 / d }'
}
log "the fragment check: ipv6 $(diff guard+99 guard 3 99) ns, ipv4 $(diff guard+99 guard 4 99) ns per packet"
log "nf_defrag_ipv6: ipv6 $(diff guard+defrag guard 3 1) ns, ipv4 $(diff guard+defrag guard 4 1) ns per packet"
log "guard mode as a whole: ipv6 $(diff guard empty 3 1) ns, ipv4 $(diff guard empty 4 1) ns per packet"
