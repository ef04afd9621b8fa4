#!/usr/bin/env bash
# Measurement 4: spoofed step-one floods. The attacker sends the first knock (7000/udp;
# fwknop: its SPA port 62201/udp) from random spoofed sources at each rate for 10 s:
# IPv4 sources from 198.18.0.0/15 (131,072 addresses less the client's /24), and for
# nftknock a second run with IPv6 sources from 2001:db8:ff::/48 and an IPv6 client (one
# family per run: that is what fills that family's sets). Meanwhile the legitimate client
# closes the door, knocks and connects, again and again; an attempt counts only if it
# connects within 3 s, and every attempt runs entirely under the flood. Reported: the
# client's success rate and times, the step-one set's fill 2 s before the flood ends,
# the rate really sent, and the CPU time of every process in the server namespace (the
# user-space cost). In the XDP paper's form besides: the legitimate client's connects per
# second against the attack rate, and the machine's softirq CPU per 1k packets, with its whole
# busy CPU beside it. On a veth the kernel runs the receive path in the sender's system call as
# often as in softirq, and the generator's pacing keeps a core busy, so neither isolates the
# ruleset's cost on this bed (bench/guardcost.sh does, per packet). `plain` is the same host
# with no table at all, whose client just connects: the flood's cost without any ruleset.
#
#   bench/floods.sh [--rates "0 10000 50000 100000"] [--seconds 10] [--products "..."]
#   (rate 0: the same run without a flood, the baseline of the flood rows)
#   (--products "nftknock-proposed" measures the ruleset change in lib/clients.sh;
#    "nftknock-prefix" a door that grants the client's /24 and /64, configs/prefix.yaml)
#
# Writes results/floods.tsv and results/floods-attempts.tsv.
source "$(dirname "$0")/lib/common.sh"
source "$BENCH_DIR/lib/peers.sh"
source "$BENCH_DIR/lib/clients.sh"

RATES="0 10000 50000 100000" SECS=10 PRODUCTS="nftknock nftknock-prefix seeds-howto knockd fwknop plain"
while (($#)); do
    case $1 in
        --rates) RATES=$2; shift 2 ;;
        --seconds) SECS=$2; shift 2 ;;
        --products) PRODUCTS=$2; shift 2 ;;
        *) die "unknown option $1" ;;
    esac
done

ensure_tools; build_tools
[[ -n ${NFTKNOCK:-} ]] || build_nftknock
make_namespaces
rm -f "$RESULTS_DIR/floods.tsv" "$RESULTS_DIR/floods-attempts.tsv"
spawn "$NS_S" "$BUILD_DIR/acceptor" 22 --seconds 1800

fill() { # elements in the product's step-one set of that family ("-": state kept in user space)
    local fam=${2/v/} set listing
    case $1 in
        nftknock*) set="inet nftknock ssh_s1_v$fam" ;;
        seeds-howto) set="inet seeds portknock_stage1" ;;
        *) echo "-"; return 0 ;;
    esac
    # A dump can be cut short while the flood churns the set: then say so, not 0.
    # shellcheck disable=SC2086
    listing=$(in_s nft list set $set 2>/dev/null) || { echo "?"; return 0; }
    grep -o 'expires' <<<"$listing" | wc -l || true
}
softirq_ticks() { # the machine's softirq time (all CPUs), in clock ticks: /proc/stat's seventh field
    awk '$1 == "cpu" { print $8 }' /proc/stat
}
busy_ticks() { # the machine's busy time (all CPUs, user to steal), in clock ticks
    awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat
}
ns_cpu_ticks() { # user+system ticks of every process in the server namespace
    local pid sum=0
    for pid in $(ip netns pids "$NS_S"); do sum=$((sum + $(cpu_ticks "$pid"))); done
    echo "$sum"
}

run_one() { # product family rate
    local product=$1 family=$2 rate=$3 client=$1 port=7000 dst target
    [[ $product == nftknock* ]] && ! nftknock_has connect && client=knockd
    [[ $product == nftknock* ]] && nftknock_has connect && client=nftknock
    [[ $product == fwknop* ]] && port=62201
    product_setup "$product"
    local cpu0 cpu1 soft0 soft1 busy0 busy1 out="$WORK/flood-$product-$family-$rate.out"
    cpu0=$(ns_cpu_ticks); soft0=$(softirq_ticks); busy0=$(busy_ticks)
    if [[ $family == v4 ]]; then
        dst=(--dst $S_A4 --spoof4 $SPOOF4 --exclude4 $SPOOF4_EXCLUDE); target=$S_C4
    else
        dst=(--dst6 $S_A6 --spoof6 $SPOOF6); target=$S_C6
    fi
    # Rate 0 is the same run without a flood: the baseline the flood rows are compared with.
    local flood=""
    if ((rate > 0)); then
        spawn "$NS_A" "$BUILD_DIR/pktgen" "${dst[@]}" --proto udp --ports $port --rate "$rate" \
            --count $((rate * SECS)) --seconds "$((SECS + 2))" >"$out"
        flood=$SPAWNED
    else
        echo "sent=0 pps=0 distinct_v4=0" >"$out"
    fi
    # The fill is read once, 2 s before the flood ends, in the background: listing a full
    # set takes seconds, and the client keeps knocking meanwhile.
    local fillfile="$WORK/fill-$product-$family-$rate"
    (sleep $((SECS - 2)); fill "$product" "$family" >"$fillfile") &
    local filler=$!
    # Attempts start from 1.5 s (the sets have filled) until 3 s before the flood ends, and
    # each is cut off after 3 s, so every attempt runs entirely under the flood.
    local t_end=$(($(date +%s) + SECS - 3))
    sleep 1.5
    local t_first=$EPOCHREALTIME
    local ok=0 n=0 times=() ms st
    while (($(date +%s) < t_end)); do
        product_close "$product"
        if ms=$(ATTEMPT_CAP=3 client_attempt "$client" "$target" 22 3000); then ok=$((ok + 1)); st=ok; else st=fail; fi
        n=$((n + 1)); times+=("$ms")
        result floods-attempts $'product\tfamily\trate\tattempt\tstatus\tms' "$product" "$family" "$rate" "$n" "$st" "$ms"
        ((n < 200)) || break
    done
    local per_s
    per_s=$(awk -v n="$ok" -v a="$t_first" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", n / (b - a) }')
    wait "$filler" || true
    local fillmid
    fillmid=$(cat "$fillfile" 2>/dev/null || echo "?")
    [[ -z $flood ]] || wait "$flood" || true
    cpu1=$(ns_cpu_ticks); soft1=$(softirq_ticks); busy1=$(busy_ticks)
    local sent pps distinct med cpu_ms softirq_ms busy_ms
    sent=$(field sent <"$out"); pps=$(field pps <"$out"); distinct=$(field distinct_v4 <"$out")
    [[ $family == v6 ]] && distinct=$sent
    med=$(printf '%s\n' "${times[@]}" | stats | field median)
    cpu_ms=$(((cpu1 - cpu0) * 1000 / $(getconf CLK_TCK)))
    softirq_ms=$(((soft1 - soft0) * 1000 / $(getconf CLK_TCK)))
    busy_ms=$(((busy1 - busy0) * 1000 / $(getconf CLK_TCK)))
    log "floods $product $family @ $rate pps: sent $sent ($pps pps, $distinct distinct sources), client $ok/$n ok ($per_s connects/s), median ${med} ms, step-one fill $fillmid, server user-space CPU ${cpu_ms} ms, softirq ${softirq_ms} ms, machine busy ${busy_ms} ms"
    result floods $'product\tfamily\trate\tsent\tpps\tdistinct\tattempts\tok\tmedian_ms\tfill_s1\tcpu_ms\tclient\tconnects_per_s\tsoftirq_ms\tbusy_ms' \
        "$product" "$family" "$rate" "$sent" "$pps" "$distinct" "$n" "$ok" "$med" "$fillmid" "$cpu_ms" "$client" "$per_s" "$softirq_ms" "$busy_ms"
}

for product in $PRODUCTS; do
    for rate in $RATES; do
        run_one "$product" v4 "$rate"
        [[ $product == nftknock* && ${FLOOD_V6:-1} == 1 ]] && run_one "$product" v6 "$rate"
    done
done
knockd_stop; fwknopd_stop
