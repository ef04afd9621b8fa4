# The legitimate client of each product, run in the client namespace, and the way to
# close the door again between two attempts. Sourced after common.sh and peers.sh.
#
# Every product knocks the same three UDP ports (the seeds' 7000, 8000, 9000) in front
# of port 22, except fwknop, which sends one SPA packet to 62201/udp.

SEQ_PORTS="7000 8000 9000"
SEQ_NFTKNOCK="7000/udp 8000/udp 9000/udp"

# Server-side setup per product (door closed, listener on 22 started by the caller).
product_setup() {
    knockd_stop; fwknopd_stop
    server_tables_clear
    case $1 in
        plain) ;;
        nftknock|nftknock-knock|nftknock-tuned) server_load hostfw; nftknock_apply "$BENCH_DIR/configs/latency.yaml" 2>/dev/null ;;
        nftknock-prefix) server_load hostfw; nftknock_apply "$BENCH_DIR/configs/prefix.yaml" 2>/dev/null ;;
        nftknock-proposed) server_load hostfw; proposed_ruleset "$BENCH_DIR/configs/latency.yaml" | in_s nft -f - ;;
        seeds-howto) server_load seeds-howto ;;
        knockd) server_load hostfw; server_load gate; knockd_start 7000:udp,8000:udp,9000:udp ;;
        fwknop) server_load hostfw; server_load gate; fwknopd_start udp ;;
        fwknop-pcap) server_load hostfw; server_load gate; fwknopd_start pcap ;;
        *) die "unknown product $1" ;;
    esac
}

# The ruleset change proposed for flood resistance (not in the product yet): the sets
# that track knocks in progress get PROPOSED_SIZE elements and hold a source for
# PROPOSED_STEP_TIMEOUT, so the spoofed rate needed to fill them is size / timeout.
PROPOSED_SIZE=${PROPOSED_SIZE:-262144}
PROPOSED_STEP_TIMEOUT=${PROPOSED_STEP_TIMEOUT:-500ms}
proposed_ruleset() {
    in_s "$NFTKNOCK" render -c "$1" 2>/dev/null | sed -E \
        -e "/set [a-z0-9_]+_(s[0-9]+|prog)_v[46] \{/,/\}/ s/size [0-9]+/size $PROPOSED_SIZE/" \
        -e "s/(@[a-z0-9_]+_(s[0-9]+|prog)_v[46] \{ ip6? saddr timeout )2s/\1$PROPOSED_STEP_TIMEOUT/g"
}

# Closes the door for the client again (a fresh knock is needed next time).
product_close() {
    case $1 in
        nftknock-prefix) in_s nft flush set inet nftknock ssh_open24_v4; in_s nft flush set inet nftknock ssh_open64_v6 ;;
        nftknock*) in_s nft flush set inet nftknock ssh_open_v4; in_s nft flush set inet nftknock ssh_open_v6 ;;
        seeds-howto) for s in portknock_stage1 portknock_stage2 portknock_allow; do in_s nft flush set inet seeds $s; done ;;
        knockd|fwknop|fwknop-pcap) in_s nft flush set inet gate clients ;;
    esac
}

# How nftknock's own client is invoked as a ProxyCommand would: knock, connect, relay.
nftknock_connect_cmd() { # $1: address, $2: port
    printf '%s connect %s %s %s' "$NFTKNOCK" "$1" "$2" "$SEQ_NFTKNOCK"
}

# One attempt as a command line for the client namespace (address, port, deadline ms).
client_cmd() {
    local product=$1 addr=$2 port=$3 deadline=${4:-5000}
    local eager="$BUILD_DIR/tcpconnect $addr $port --deadline-ms $deadline --quiet"
    case $product in
        plain) echo "$eager" ;;
        nftknock) echo "$(nftknock_connect_cmd "$addr" "$port") </dev/null >/dev/null" ;;
        # A retry policy for lossy, reordering links, with today's client options: every knock
        # sent twice (the door ignores a repeat of the step just done) and 25 ms apart, longer
        # than the link reorders, and more, shorter attempts.
        nftknock-tuned) echo "$NFTKNOCK connect $addr $port 7000/udp 7000/udp 8000/udp 8000/udp 9000/udp 9000/udp --gap 25ms --connect-timeout 400ms --attempts 8 </dev/null >/dev/null" ;;
        nftknock-knock) echo "$NFTKNOCK knock $addr $SEQ_NFTKNOCK >/dev/null && $eager" ;;
        # The seeds' knock.sh: bash /dev/udp writes with 0.2 s sleeps, then the connection.
        seeds-howto) echo "for p in $SEQ_PORTS; do echo -n hello > /dev/udp/$addr/\$p; sleep 0.2; done; $eager" ;;
        knockd) echo "knock -u $addr $SEQ_PORTS && $eager" ;;
        fwknop|fwknop-pcap) echo "$(fwknop_client_cmd "$C4" "$addr") >/dev/null 2>&1 && $eager" ;;
    esac
}

# Runs one attempt in the client namespace; prints elapsed ms, returns its status.
client_attempt() {
    local cmd t0 t1 rc=0
    cmd=$(client_cmd "$@")
    t0=$(date +%s%N)
    in_c timeout "${ATTEMPT_CAP:-10}" bash -c "$cmd" || rc=$?
    t1=$(date +%s%N)
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", (b - a) / 1e6 }'
    return $rc
}
