#!/usr/bin/env bash
# What guard mode costs one packet that no door concerns, and one of an established connection: CPU per
# packet on the sender of a veth (bench/tools/udpcost, pinned, real-time priority), whose count includes the
# server's whole receive path, for four kinds of packet, IPv4 and IPv6:
#   udp-open   an 18-byte UDP datagram to an unguarded port (5201)
#   udp-knock  the same to a door's first knock port (7000/udp): a repeated step one
#   udp-rot    the same to a port inside a rotating door's range (40001), 8 and more payload bytes, a wrong token
#   tcp-est    an 18-byte segment of an established connection to a protected port (5202, allowed source)
# under these rulesets, in rotating order within each round:
#   empty            no table
#   ctonly           conntrack switched on alone (one ct rule): the floor of any table with a ct rule
#   ctidle           a ct rule in a chain no packet reaches: conntrack on, no rule asking it anything
#   hostfw           a stateful host firewall alone (rulesets/hostfw-guardcost.nft)
#   guard1           guard mode, one static door and one rotating door, as apply loads it
#   guard64          guard mode, 63 static doors and one rotating door
#   hostfw+guard1, hostfw+guard64   the same in front of the host firewall
# With NKB_BEFORE=<another nftknock binary>, before1 and before64 are the same configs applied by it.
# NKB_EXTRA="name=file.nft ..." adds rulesets loaded from nft files (a variant of a table, say).
# A difference is the median over rounds of each round's own difference, so load that drifts cancels out.
# Bounded: COUNT packets per measurement (at most 2,000,000), to the server's addresses only.
#
#   bench/guardcost.sh [--reps N] [--count N] [--rulesets "empty guard1 guard64"]
#
# Writes results/guardcost.tsv: ruleset, rep, probe, family, cpu_ns.
source "$(dirname "$0")/lib/common.sh"
source "$BENCH_DIR/lib/peers.sh"

REPS=5 COUNT=100000
RULESETS=(empty ctonly ctidle hostfw guard1 guard64 hostfw+guard1 hostfw+guard64)
[[ -n ${NKB_BEFORE:-} ]] && RULESETS+=(before1 before64)
declare -A EXTRA=()
for kv in ${NKB_EXTRA:-}; do EXTRA[${kv%%=*}]=${kv#*=}; RULESETS+=("${kv%%=*}"); done
while (($#)); do
    case $1 in
        --reps) REPS=$2; shift 2 ;;
        --count) COUNT=$2; shift 2 ;;
        --rulesets) read -r -a RULESETS <<<"$2"; shift 2 ;;
        *) die "unknown option $1" ;;
    esac
done
((COUNT >= 1000 && COUNT <= 2000000)) || die "--count must be 1000..2000000"

command -v socat >/dev/null || die "needs socat (scripts/deps.sh installs it)"
build_tools
[[ -n ${NFTKNOCK:-} ]] || build_nftknock
make_namespaces
rm -f "$RESULTS_DIR/guardcost.tsv"

# The configs: door ssh guards 5202 and lets the client in without a knock (allow), so a connection exists.
(umask 077; head -c 32 /dev/urandom | base64 >"$WORK/rot.secret")
doors_yaml() { # number of static doors besides ssh
    cat <<YAML
doors:
  ssh:
    protect: [5202/tcp]
    sequence: [7000/udp, 8000/tcp, 9000/udp]
    allow: [$C4/32, $C6/128]
  rot:
    protect: [5203/tcp]
    rotating:
      secret-file: $WORK/rot.secret
      ports: 40000-40999
YAML
    local i
    for ((i = 1; i <= $1; i++)); do
        printf '  d%d:\n    protect: [%d/tcp]\n    sequence: [%d/udp, %d/tcp, %d/udp]\n' \
            "$i" $((6000 + i)) $((31000 + i)) $((11000 + i)) $((21000 + i))
    done
}
doors_yaml 0 >"$WORK/guard1.yaml"
doors_yaml 62 >"$WORK/guard64.yaml"

for port in 5201 7000 40001; do
    spawn "$NS_S" timeout 1800 socat -u UDP6-RECV:$port,ipv6only=0 /dev/null
done
spawn "$NS_S" timeout 1800 socat -u TCP6-LISTEN:5202,ipv6only=0,reuseaddr,fork /dev/null
sleep 0.5

setup() {
    server_tables_clear
    case $1 in
        empty) ;;
        ctonly) server_load ctonly ;;
        ctidle) server_load ctidle ;;
        hostfw) server_load hostfw-guardcost ;;
        guard1) nftknock_apply "$WORK/guard1.yaml" ;;
        guard64) nftknock_apply "$WORK/guard64.yaml" ;;
        hostfw+guard1) server_load hostfw-guardcost; nftknock_apply "$WORK/guard1.yaml" ;;
        hostfw+guard64) server_load hostfw-guardcost; nftknock_apply "$WORK/guard64.yaml" ;;
        before1) in_s "$NKB_BEFORE" apply -c "$WORK/guard1.yaml" >/dev/null ;;
        before64) in_s "$NKB_BEFORE" apply -c "$WORK/guard64.yaml" >/dev/null ;;
        *) [[ -n ${EXTRA[$1]:-} ]] || die "unknown ruleset $1"; in_s nft -f "${EXTRA[$1]}" ;;
    esac
}

cost() { # probe, server address
    local probe=$1 dst=$2
    case $probe in
        udp-open) in_c chrt -f 50 taskset -c 1 timeout 60 "$BUILD_DIR/udpcost" "$dst" 5201 "$COUNT" ;;
        udp-knock) in_c chrt -f 50 taskset -c 1 timeout 60 "$BUILD_DIR/udpcost" "$dst" 7000 "$COUNT" ;;
        udp-rot) in_c chrt -f 50 taskset -c 1 timeout 60 "$BUILD_DIR/udpcost" "$dst" 40001 "$COUNT" ;;
        tcp-est) in_c chrt -f 50 taskset -c 1 timeout 60 "$BUILD_DIR/udpcost" --tcp "$dst" 5202 "$COUNT" ;;
    esac | field cpu_ns
}

PROBES=(udp-open udp-knock udp-rot tcp-est)
N=${#RULESETS[@]}
for ((rep = 1; rep <= REPS; rep++)); do
    for ((k = 0; k < N; k++)); do
        rs=${RULESETS[$(((rep - 1 + k) % N))]}
        setup "$rs"
        sleep 0.3
        for probe in "${PROBES[@]}"; do
            for family in v4 v6; do
                [[ $family == v4 ]] && dst=$S_C4 || dst=$S_C6
                ns=$(cost "$probe" "$dst")
                [[ -n $ns ]] || die "udpcost measured nothing for $rs $probe $family"
                result guardcost $'ruleset\trep\tprobe\tfamily\tcpu_ns' "$rs" "$rep" "$probe" "$family" "$ns"
            done
        done
        log "guardcost rep $rep $rs done"
    done
done
server_tables_clear

# Medians over the rounds of each round's own difference against a baseline ruleset.
diff() { # ruleset, baseline, probe, family
    awk -F'\t' -v a="$1" -v b="$2" -v p="$3" -v f="$4" '$3 == p && $4 == f && $1 == a { x[$2] = $5 }
        $3 == p && $4 == f && $1 == b { y[$2] = $5 }
        END { for (r in x) if (r in y) print x[r] - y[r] }' "$RESULTS_DIR/guardcost.tsv" | stats | field median
}
base() { # probe, family: the median of the empty ruleset itself
    awk -F'\t' -v p="$1" -v f="$2" '$1 == "empty" && $3 == p && $4 == f { print $5 }' "$RESULTS_DIR/guardcost.tsv" | stats | field median
}
has() { printf '%s\n' "${RULESETS[@]}" | grep -qx -- "$1"; }

printf '%-16s %-10s %-6s %s\n' ruleset probe family "ns per packet over its baseline (median of per-round differences)"
for probe in "${PROBES[@]}"; do
    for family in v4 v6; do
        has empty && printf '%-16s %-10s %-6s %s ns whole\n' empty "$probe" "$family" "$(base "$probe" "$family")"
        for rs in "${RULESETS[@]}"; do
            case $rs in
                empty) continue ;;
                hostfw+*) has hostfw && printf '%-16s %-10s %-6s %+.0f over hostfw\n' "$rs" "$probe" "$family" "$(diff "$rs" hostfw "$probe" "$family")" ;;
                *) has empty && printf '%-16s %-10s %-6s %+.0f over empty\n' "$rs" "$probe" "$family" "$(diff "$rs" empty "$probe" "$family")" ;;
            esac
        done
    done
done
