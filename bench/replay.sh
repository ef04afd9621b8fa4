#!/usr/bin/env bash
# Replay: does a sniffer get in? tcpdump on the client's link captures the legitimate
# knock (UDP datagrams and TCP SYNs other than the service's), the client connects and
# the door is closed again; then the attacker sends the captured packets again, from its
# own address and with the same payloads, and tries to connect to the protected port.
#
#   bench/replay.sh [--products "nftknock seeds-howto knockd fwknop"]
#
# Writes results/replay.tsv.
source "$(dirname "$0")/lib/common.sh"
source "$BENCH_DIR/lib/peers.sh"
source "$BENCH_DIR/lib/clients.sh"

PRODUCTS="nftknock seeds-howto knockd fwknop"
while (($#)); do
    case $1 in
        --products) PRODUCTS=$2; shift 2 ;;
        *) die "unknown option $1" ;;
    esac
done

ensure_tools; build_tools
[[ -n ${NFTKNOCK:-} ]] || build_nftknock
make_namespaces
rm -f "$RESULTS_DIR/replay.tsv"
spawn "$NS_S" "$BUILD_DIR/acceptor" 22 --seconds 600

for product in $PRODUCTS; do
    [[ $product == nftknock ]] && ! nftknock_has connect && continue
    product_setup "$product"
    product_close "$product"
    cap="$WORK/replay-$product.pcap"
    spawn "$NS_C" timeout 20 tcpdump --immediate-mode -q -U -i c0 -c 64 -w "$cap" \
        "dst host $S_C4 and (udp or (tcp[tcpflags] & tcp-syn != 0 and not dst port 22))" 2>"$cap.log"
    dump=$SPAWNED
    for _ in $(seq 100); do grep -q listening "$cap.log" 2>/dev/null && break; sleep 0.1; done
    sleep 0.2
    legit=fail; client_attempt "$product" $S_C4 22 3000 >/dev/null && legit=ok
    sleep 0.3; stop_pid "$dump"
    product_close "$product"
    [[ $product == knockd || $product == seeds-howto ]] && sleep 2.1 # let the client's stage entries expire
    out=$(in_a python3 "$BENCH_DIR/lib/replay.py" "$cap" $S_A4)
    sleep 0.3
    attacker=closed
    in_a "$BUILD_DIR/tcpconnect" $S_A4 22 --attempt-ms 200 --deadline-ms 600 --quiet && attacker=OPEN
    note=""
    # fwknop's SPA names the address to open (-a): a replay could at most reopen the client's.
    [[ $product == fwknop ]] && note="the replay reopened the client's address: $(in_s nft list set inet gate clients | grep -q "$C4" && echo yes || echo no)"
    log "replay $product: legit client $legit; $(field replayed <<<"$out") packets replayed; attacker: 22 $attacker $note"
    result replay $'product\tlegit\treplayed\tattacker_22\tnote' "$product" "$legit" "$(field replayed <<<"$out")" "$attacker" "$note"
done
knockd_stop; fwknopd_stop
