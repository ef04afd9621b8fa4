#!/usr/bin/env bash
# Measurement 1b: the client's cold start, as a whole new process per run, beside its floors.
#   nc-z            `nc -z` to the open port
#   dotnet-floor    bench/floor, a NativeAOT C# program published as nftknock is, that sends the
#                   same datagrams (three empty ones; or one, or three, with an 8-byte payload) back
#                   to back and connects: the runtime's share and the packets', nothing else
#   knock-check     `nftknock knock HOST ... --check PORT`: the knocks, then one connection, closed
#   connect         `nftknock connect HOST PORT ...` with stdin at EOF: the knocks, the connection,
#                   the relay until the service's banner and close
# for three doors on one server: `static` (7000/udp 8000/udp 9000/udp), `rotating-1` (a rotating
# door with knocks: 1, the single-packet knock) and `rotating-3` (three rotating knocks).
# Every row of a door runs in the same rounds (bench/lib/paired.py), each round in a rotated
# order, so that load from anything else on the machine lands on every row alike. The door is
# closed before each nftknock run; the runs of nc -z and the floor find it open (a grant added
# before each): the floor sends the right shape of datagram but not the window's tokens. Peak RSS is GNU time's
# maximum resident set of the same command lines, runs of its own.
#
#   bench/coldstart.sh [--runs 40] [--warmup 3] [--memory-runs 10]
#
# Writes results/coldstart.tsv, results/coldstart-runs.tsv and results/coldstart-memory.tsv.
source "$(dirname "$0")/lib/common.sh"
source "$BENCH_DIR/lib/peers.sh"
source "$BENCH_DIR/lib/clients.sh"

RUNS=40 WARMUP=3 MEMRUNS=10
while (($#)); do
    case $1 in
        --runs) RUNS=$2; shift 2 ;;
        --warmup) WARMUP=$2; shift 2 ;;
        --memory-runs) MEMRUNS=$2; shift 2 ;;
        *) die "unknown option $1" ;;
    esac
done

ensure_tools; build_tools
[[ -n ${NFTKNOCK:-} ]] || build_nftknock
FLOOR=${NKB_FLOOR:-}
if [[ -z $FLOOR ]]; then
    bash "$REPO_DIR/packaging/publish.sh" linux-x64 "$BUILD_DIR/floor" "$BENCH_DIR/floor" >"$BUILD_DIR/floor.log" 2>&1 \
        || die "the .NET floor program did not build: see $BUILD_DIR/floor.log"
    FLOOR="$BUILD_DIR/floor/dotnet-floor"
fi
make_namespaces
mkdir -p "$WORK/server"
chmod 700 "$WORK/server"
cp "$BENCH_DIR/configs/coldstart.yaml" "$WORK/server/nftknock.yaml"
for door in rot1 rot3; do
    (umask 077; head -c 32 /dev/urandom | base64 >"$WORK/server/$door.secret")
done
cat >"$WORK/client.yaml" <<YAML
hosts:
  rotating-1:
    address: $S_C4
    port: 2201
    rotating: {door: rot1, knocks: 1, secret-file: $WORK/server/rot1.secret}
  rotating-3:
    address: $S_C4
    port: 2203
    rotating: {door: rot3, knocks: 3, secret-file: $WORK/server/rot3.secret}
YAML
chmod 600 "$WORK/client.yaml"
server_tables_clear
# No host firewall here: guard mode composes with one, but it would have to allow 2201 and 2203.
nftknock_apply "$WORK/server/nftknock.yaml"
# A state directory of this run's own: served windows are remembered per boot, and another run's
# would keep this run's first windows unloaded.
mkdir -p "$WORK/state"; chmod 700 "$WORK/state"
NFTKNOCK_STATE_DIR="$WORK/state" spawn "$NS_S" "$NFTKNOCK" rotate -c "$WORK/server/nftknock.yaml"
for port in 22 2201 2203; do spawn "$NS_S" "$BUILD_DIR/acceptor" "$port" --seconds 1800; done
sleep 0.5
rm -f "$RESULTS_DIR/coldstart.tsv" "$RESULTS_DIR/coldstart-runs.tsv" "$RESULTS_DIR/coldstart-memory.tsv"

set_of() { case $1 in static) echo ssh ;; rotating-1) echo rot1 ;; rotating-3) echo rot3 ;; esac; }
close_cmd() { echo "ip netns exec $NS_S nft flush set inet nftknock $(set_of "$1")_open_v4"; }
open_cmd() { echo "ip netns exec $NS_S nft add element inet nftknock $(set_of "$1")_open_v4 '{ $C4 timeout 10s }'"; }

PAYLOAD=0011223344556677
for door in static rotating-1 rotating-3; do
    case $door in
        static) port=22 target=$S_C4 steps=$SEQ_NFTKNOCK floor_knocks="7000/udp 8000/udp 9000/udp" ;;
        rotating-1) port=2201 target=rotating-1 steps="" floor_knocks="23456/udp:$PAYLOAD" ;;
        rotating-3) port=2203 target=rotating-3 steps="" floor_knocks="23456/udp:$PAYLOAD 34567/udp:$PAYLOAD 45678/udp:$PAYLOAD" ;;
    esac
    profiles="--profiles $WORK/client.yaml"
    [[ $door == static ]] && profiles=""
    knock="$NFTKNOCK knock $target $steps --check $port $profiles"
    connect="$NFTKNOCK connect $target $port $steps $profiles"
    log "coldstart $door: $RUNS paired rounds"
    in_c python3 "$BENCH_DIR/lib/paired.py" --runs "$RUNS" --warmup "$WARMUP" \
        --close "nc-z=$(open_cmd "$door")" --close "dotnet-floor=$(open_cmd "$door")" --close "knock-check=$(close_cmd "$door")" --close "connect=$(close_cmd "$door")" \
        "nc-z=nc -z $S_C4 $port" "dotnet-floor=$FLOOR $S_C4 $port $floor_knocks" "knock-check=$knock" "connect=$connect" \
        >"$WORK/paired-$door.txt"
    while read -r name status ms _; do
        result coldstart-runs $'door\tkind\tstatus\tms' "$door" "$name" "$status" "$ms"
    done <"$WORK/paired-$door.txt"
    for name in nc-z dotnet-floor knock-check connect; do
        st=$(awk -v n="$name" '$1 == n && $2 == "ok" { print $3 }' "$WORK/paired-$door.txt" | stats)
        ok=$(awk -v n="$name" '$1 == n && $2 == "ok"' "$WORK/paired-$door.txt" | wc -l)
        log "coldstart $door $name: $ok/$RUNS ok, $st"
        result coldstart $'door\tkind\truns\tok\tmedian_ms\tp90_ms\tmin_ms\tmax_ms' "$door" "$name" "$RUNS" "$ok" \
            "$(field median <<<"$st")" "$(field p90 <<<"$st")" "$(field min <<<"$st")" "$(field max <<<"$st")"
    done
    # Peak resident memory of the same command lines, GNU time's maximum RSS, door closed before each nftknock run.
    for name in nc-z dotnet-floor knock-check connect; do
        case $name in
            nc-z) cmd="nc -z $S_C4 $port" prep=$(open_cmd "$door") ;;
            dotnet-floor) cmd="$FLOOR $S_C4 $port $floor_knocks" prep=$(open_cmd "$door") ;;
            knock-check) cmd=$knock prep=$(close_cmd "$door") ;;
            connect) cmd=$connect prep=$(close_cmd "$door") ;;
        esac
        kib=()
        for ((i = 0; i < MEMRUNS; i++)); do
            in_c sh -c "$prep" >/dev/null 2>&1 || true
            # shellcheck disable=SC2086 # the command line is words on purpose
            kib+=("$(in_c /usr/bin/time -f %M $cmd </dev/null 2>&1 >/dev/null | tail -n 1 || true)")
        done
        st=$(printf '%s\n' "${kib[@]}" | stats)
        log "coldstart memory $door $name: $st (KiB)"
        result coldstart-memory $'door\tkind\truns\tmedian_kib\tmax_kib' "$door" "$name" "$MEMRUNS" "$(field median <<<"$st")" "$(field max <<<"$st")"
    done
done
