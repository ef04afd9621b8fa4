#!/usr/bin/env bash
# Measurement 5: knocking over a bad link. Every frame the client sends is impaired in
# user space (this kernel has no sch_netem, nor matchall: a u32 match-all filter) redirects the client's egress into a tap
# device owned by bench/tools/impair.c, which drops 10 %, sends 25 % at once and delays the
# rest by 20 ms (netem's "loss 10% delay 20ms reorder 25%": the frames sent at once
# overtake the delayed ones), and writes them out on the real interface through a packet
# socket that bypasses the egress hook. The server's replies are not impaired.
# Each attempt starts with the door closed and is given up after 10 s; the target counts
# those connected within 5 s.
#
#   bench/badlink.sh [--attempts 100] [--peer-attempts 20] [--products "nftknock nftknock-tuned plain seeds-howto knockd fwknop"]
#
# Writes results/badlink.tsv and results/badlink-attempts.tsv.
source "$(dirname "$0")/lib/common.sh"
source "$BENCH_DIR/lib/peers.sh"
source "$BENCH_DIR/lib/clients.sh"

ATTEMPTS=100 PEER_ATTEMPTS=20 PRODUCTS="nftknock nftknock-tuned plain seeds-howto knockd fwknop"
while (($#)); do
    case $1 in
        --attempts) ATTEMPTS=$2; shift 2 ;;
        --peer-attempts) PEER_ATTEMPTS=$2; shift 2 ;;
        --products) PRODUCTS=$2; shift 2 ;;
        *) die "unknown option $1" ;;
    esac
done

ensure_tools; build_tools
[[ -n ${NFTKNOCK:-} ]] || build_nftknock
make_namespaces
rm -f "$RESULTS_DIR/badlink.tsv" "$RESULTS_DIR/badlink-attempts.tsv"
spawn "$NS_S" "$BUILD_DIR/acceptor" 22 --seconds 1800

in_c tc qdisc add dev c0 clsact
spawn "$NS_C" "$BUILD_DIR/impair" --tap imp0 --out c0 --loss 0.10 --reorder 0.25 --delay-ms 20 --seconds 1500 --seed 1 \
    >"$WORK/impair.out"
IMPAIR=$SPAWNED
for _ in $(seq 50); do grep -q ready "$WORK/impair.out" 2>/dev/null && break; sleep 0.1; done
in_c tc filter add dev c0 egress protocol all u32 match u32 0 0 action mirred egress redirect dev imp0
# What the impaired path looks like from the client: the ping loss and RTT.
in_c ping -c 50 -i 0.01 -q $S_C4 | tail -2 | sed 's/^/    ping over the impaired link: /' >&2 || true

for product in $PRODUCTS; do
    [[ $product == nftknock* ]] && ! nftknock_has connect && { log "nftknock has no connect yet: skipped"; continue; }
    # nftknock's own client gets 10 s (its default policy may run that long); the others 5 s.
    n=$PEER_ATTEMPTS deadline=5000; [[ $product == nftknock* ]] && n=$ATTEMPTS deadline=10000
    product_setup "$product"
    ok5=0 ok=0 times=()
    for ((i = 1; i <= n; i++)); do
        product_close "$product"
        if ms=$(client_attempt "$product" $S_C4 22 "$deadline"); then st=ok; ok=$((ok + 1)); else st=fail; fi
        if [[ $st == ok ]] && awk -v m="$ms" 'BEGIN { exit !(m <= 5000) }'; then ok5=$((ok5 + 1)); fi
        times+=("$ms")
        result badlink-attempts $'product\tattempt\tstatus\tms' "$product" "$i" "$st" "$ms"
    done
    st=$(printf '%s\n' "${times[@]}" | stats)
    log "badlink $product: $ok5/$n within 5 s ($ok/$n at all), times $st"
    result badlink $'product\tattempts\twithin_5s\tconnected\tmedian_ms\tp90_ms\tmax_ms' "$product" "$n" "$ok5" "$ok" \
        "$(field median <<<"$st")" "$(field p90 <<<"$st")" "$(field max <<<"$st")"
done
knockd_stop; fwknopd_stop
stop_pid "$IMPAIR"
tail -1 "$WORK/impair.out" | sed 's/^/    /' >&2
tail -1 "$WORK/impair.out" >"$RESULTS_DIR/badlink-impair.txt"
