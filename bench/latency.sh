#!/usr/bin/env bash
# Measurement 1: knock-to-connected, and ssh end to end.
#   connect-process  a new client process per run, from spawn to connected (start-up included):
#                    plain = the eager connector to an open port; nc-z = `nc -z` to that port;
#                    nftknock = `nftknock connect` with three knocks;
#                    dotnet-floor = bench/floor, a .NET program published as nftknock ships that
#                    sends one datagram and connects to the open port: the runtime's own share;
#                    the peers = their own knock client, then the eager connector
#                    (bench/tools/tcpconnect.c, retrying every 15 ms, so the peers are not held
#                    back by the kernel's 1 s SYN retransmission)
#   knock-check      `nftknock knock ... --check 22`: three knocks, then a connection, closed at once
#   connect-inproc   inside one running .NET process, nftknock's client library
#                    (bench/inproc), vs a plain connect from the same process
#   relay-rtt        one byte there and back through the ProxyCommand relay (nc vs
#                    nftknock connect) against an echo server
#   ssh              `ssh ... true` against a real sshd (a throwaway user whose shell is
#                    /bin/sh), plain vs ProxyCommand per product
# The door is closed again (grant removed) before every run, untimed. Medians of --runs
# after --warmup runs.
#
#   bench/latency.sh [--runs 20] [--warmup 3]
#
# Writes results/latency.tsv (one row per kind and product), results/latency-runs.tsv, and
# results/memory.tsv: peak resident memory (GNU time's maximum RSS) of the same processes.
source "$(dirname "$0")/lib/common.sh"
source "$BENCH_DIR/lib/peers.sh"
source "$BENCH_DIR/lib/clients.sh"

RUNS=20 WARMUP=3 PRODUCTS="plain nftknock seeds-howto knockd fwknop"
while (($#)); do
    case $1 in
        --runs) RUNS=$2; shift 2 ;;
        --warmup) WARMUP=$2; shift 2 ;;
        --products) PRODUCTS=$2; shift 2 ;;
        *) die "unknown option $1" ;;
    esac
done

ensure_tools; build_tools
[[ -n ${NFTKNOCK:-} ]] || build_nftknock
nftknock_has connect || log "warning: this nftknock has no connect command; its rows are not measured"
INPROC="${NFTKNOCK_INPROC:-}"
if [[ -z $INPROC && -f $BENCH_DIR/inproc/Program.cs ]] && nftknock_has connect; then
    dotnet build "$BENCH_DIR/inproc" -c Release -o "$BUILD_DIR/inproc" -v q --nologo >"$BUILD_DIR/inproc.log" 2>&1 \
        && INPROC="$BUILD_DIR/inproc/nftknock-inproc" || log "warning: the in-process bench did not build: see $BUILD_DIR/inproc.log"
fi
FLOOR=""
if [[ -f $BENCH_DIR/floor/Program.cs ]]; then
    bash "$REPO_DIR/packaging/publish.sh" linux-x64 "$BUILD_DIR/floor" "$BENCH_DIR/floor" >"$BUILD_DIR/floor.log" 2>&1 \
        && FLOOR="$BUILD_DIR/floor/dotnet-floor" || log "warning: the .NET floor program did not build: see $BUILD_DIR/floor.log"
fi
make_namespaces
rm -f "$RESULTS_DIR/latency.tsv" "$RESULTS_DIR/latency-runs.tsv" "$RESULTS_DIR/memory.tsv"

close_cmd() { # the untimed command, run from the client namespace, that closes the door
    case $1 in
        nftknock*) echo "ip netns exec $NS_S nft flush set inet nftknock ssh_open_v4" ;;
        # The seed script re-knocks within its 1 s stage timeout here, and "add" keeps an old expiry.
        seeds-howto) echo "for s in portknock_stage1 portknock_stage2 portknock_allow; do ip netns exec $NS_S nft flush set inet seeds \$s; done" ;;
        knockd|fwknop*) echo "ip netns exec $NS_S nft flush set inet gate clients" ;;
        *) echo "" ;;
    esac
}

record() { # kind product < "ok ms" lines
    local kind=$1 product=$2 lines n ok st
    lines=$(cat)
    while read -r st ms; do
        result latency-runs $'kind\tproduct\tstatus\tms' "$kind" "$product" "$st" "$ms"
    done <<<"$lines"
    n=$(grep -c . <<<"$lines" || true); ok=$(grep -c '^ok' <<<"$lines" || true)
    st=$(awk '$1 == "ok" { print $2 }' <<<"$lines" | stats)
    log "latency $kind $product: $ok/$n ok, $st"
    result latency $'kind\tproduct\truns\tok\tmedian_ms\tp90_ms\tmin_ms\tmax_ms' "$kind" "$product" "$n" "$ok" \
        "$(field median <<<"$st")" "$(field p90 <<<"$st")" "$(field min <<<"$st")" "$(field max <<<"$st")"
}

timeit() { in_c python3 "$BENCH_DIR/lib/timeit.py" --runs "$RUNS" --warmup "$WARMUP" "$@"; }

peak_rss() { # product, close command, command...: peak RSS in KiB over --runs runs (GNU time)
    local product=$1 close=$2 kib=() st; shift 2
    for ((i = 0; i < RUNS; i++)); do
        [[ -n $close ]] && eval "$close"
        kib+=("$(in_c /usr/bin/time -f %M "$@" </dev/null 2>&1 >/dev/null | tail -n 1)")
    done
    st=$(printf '%s\n' "${kib[@]}" | stats)
    log "memory $product: $st (KiB)"
    result memory $'product\truns\tmedian_kib\tmax_kib' "$product" "$RUNS" "$(field median <<<"$st")" "$(field max <<<"$st")"
}

# 1. Knock-to-connected, one process per run.
spawn "$NS_S" "$BUILD_DIR/acceptor" 22 --seconds 1800
ACCEPTOR=$SPAWNED
for product in $PRODUCTS; do
    [[ $product == nftknock* ]] && ! nftknock_has connect && continue
    product_setup "$product"
    if [[ $product == plain ]]; then
        timeit -- "$BUILD_DIR/tcpconnect" $S_C4 22 --quiet | record connect-process plain
        timeit -- nc -z $S_C4 22 | record connect-process nc-z
        peak_rss nc-z "" nc -z $S_C4 22
        # The .NET floor: one datagram and one connect from a program published as nftknock is.
        [[ -n $FLOOR ]] && timeit -- "$FLOOR" $S_C4 22 | record connect-process dotnet-floor
    elif [[ $product == nftknock ]]; then
        # shellcheck disable=SC2086 # the sequence is three words on purpose
        timeit --close "$(close_cmd nftknock)" -- "$NFTKNOCK" connect $S_C4 22 $SEQ_NFTKNOCK | record connect-process nftknock
        # shellcheck disable=SC2086
        timeit --close "$(close_cmd nftknock)" -- "$NFTKNOCK" knock $S_C4 $SEQ_NFTKNOCK --check 22 | record knock-check nftknock
        # shellcheck disable=SC2086
        peak_rss "nftknock connect" "$(close_cmd nftknock)" "$NFTKNOCK" connect $S_C4 22 $SEQ_NFTKNOCK
    else
        shell=/bin/sh; [[ $product == seeds-howto ]] && shell=/bin/bash # the seed script needs /dev/udp
        timeit --close "$(close_cmd "$product")" -- "$shell" -c "$(client_cmd "$product" $S_C4 22 5000)" \
            | record connect-process "$product"
    fi
done

# 2. Knock-to-connected inside one running process.
if [[ -n $INPROC ]]; then
    product_setup plain
    in_c "$INPROC" $S_C4 22 "$RUNS" "$WARMUP" "" | sed 's/^/ok /' | record connect-inproc plain
    product_setup nftknock
    # shellcheck disable=SC2086
    in_c "$INPROC" $S_C4 22 "$RUNS" "$WARMUP" "$(close_cmd nftknock)" $SEQ_NFTKNOCK | sed 's/^/ok /' | record connect-inproc nftknock
    # The same without the client's 1 ms gaps between knocks: what the gaps cost.
    # shellcheck disable=SC2086
    in_c env NKB_GAP_MS=0 "$INPROC" $S_C4 22 "$RUNS" "$WARMUP" "$(close_cmd nftknock)" $SEQ_NFTKNOCK | sed 's/^/ok /' \
        | record connect-inproc nftknock-gap0
fi

# 3. One byte there and back through the relay, as every ssh round trip goes: the
#    relay's own added latency, nftknock connect vs nc (door open, knock included once).
stop_pid "$ACCEPTOR"
spawn "$NS_S" timeout 600 socat TCP-LISTEN:22,fork,reuseaddr SYSTEM:'echo hello; exec cat'
ECHO=$SPAWNED
sleep 0.3
product_setup plain
in_c python3 "$BENCH_DIR/lib/pumprtt.py" --rounds "$((RUNS * 2))" -- nc $S_C4 22 | record relay-rtt plain-nc
if nftknock_has connect; then
    product_setup nftknock
    # shellcheck disable=SC2086
    in_c python3 "$BENCH_DIR/lib/pumprtt.py" --rounds "$((RUNS * 2))" -- "$NFTKNOCK" connect $S_C4 22 $SEQ_NFTKNOCK \
        | record relay-rtt nftknock
fi
stop_pid "$ECHO"

# 4. ssh end to end against a real sshd.
SSH_USER=nkbbench
NKB_CLEANUP+=("userdel $SSH_USER 2>/dev/null")
id "$SSH_USER" >/dev/null 2>&1 || useradd --system --no-create-home --home-dir /nonexistent --shell /bin/sh --password "*" "$SSH_USER" # "*": no password, yet not locked
ssh-keygen -q -t ed25519 -N '' -f "$WORK/host_key" <<<y >/dev/null
ssh-keygen -q -t ed25519 -N '' -f "$WORK/user_key" <<<y >/dev/null
cp "$WORK/user_key.pub" "$WORK/authorized_keys"; chmod 644 "$WORK/authorized_keys"
cat >"$WORK/sshd_config" <<EOF
ListenAddress $S_C4:22
HostKey $WORK/host_key
PidFile $WORK/sshd.pid
AuthorizedKeysFile $WORK/authorized_keys
StrictModes no
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
UseDNS no
PrintMotd no
PrintLastLog no
AllowUsers $SSH_USER
EOF
mkdir -p /run/sshd
spawn "$NS_S" /usr/sbin/sshd -D -e -f "$WORK/sshd_config" 2>>"$WORK/sshd.log"
sleep 0.5
SSH=(ssh -F /dev/null -i "$WORK/user_key" -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null
    -o LogLevel=ERROR -o ConnectTimeout=10)
proxy_for() {
    case $1 in
        nftknock) echo "$NFTKNOCK connect %h %p $SEQ_NFTKNOCK" ;;
        seeds-howto) echo "/bin/bash -c 'for p in $SEQ_PORTS; do echo -n hello > /dev/udp/%h/\$p; sleep 0.2; done; exec nc %h %p'" ;;
        knockd) echo "/bin/sh -c 'knock -u %h $SEQ_PORTS && $BUILD_DIR/tcpconnect %h %p --quiet && exec nc %h %p'" ;;
        fwknop) echo "/bin/sh -c '$(fwknop_client_cmd "$C4" "%h") >/dev/null 2>&1 && $BUILD_DIR/tcpconnect %h %p --quiet && exec nc %h %p'" ;;
    esac
}
for product in $PRODUCTS; do
    [[ $product == nftknock* ]] && ! nftknock_has connect && continue
    product_setup "$product"
    if [[ $product == plain ]]; then
        timeit -- "${SSH[@]}" "$SSH_USER@$S_C4" true | record ssh plain
        timeit -- "${SSH[@]}" -o "ProxyCommand=nc %h %p" "$SSH_USER@$S_C4" true | record ssh plain-nc-proxy
    else
        timeit --close "$(close_cmd "$product")" -- "${SSH[@]}" -o "ProxyCommand=$(proxy_for "$product")" "$SSH_USER@$S_C4" true \
            | record ssh "$product"
    fi
done
knockd_stop; fwknopd_stop
