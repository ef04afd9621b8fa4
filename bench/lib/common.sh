# Shared helpers for nftknock's benchmarks: tools, namespaces, cleanup, results.
# Sourced by every bench/*.sh script; never run on its own.
#
# Test-host rules (DESIGN.md): everything runs in namespaces created here, named
# nkb<run id><role>; addresses come from 198.18.0.0/15 and 2001:db8::/32 only; no
# namespace has a default route; every flood, scan and loop is bounded in packets
# and in seconds; cleanup deletes only the namespaces and PIDs this run created.

set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPO_DIR="$(cd "$BENCH_DIR/.." && pwd)"
BUILD_DIR="${NKB_BUILD_DIR:-$BENCH_DIR/.build}"
RESULTS_DIR="${NKB_RESULTS_DIR:-$BENCH_DIR/results}"
mkdir -p "$BUILD_DIR" "$RESULTS_DIR"

# One id per script run, so two runs (or a crashed one) never share names.
NKB_RUN="${NKB_RUN:-$(printf '%x%04x' "$$" "$RANDOM" | tail -c 8)}"
NS_S="nkb${NKB_RUN}s"   # server
NS_C="nkb${NKB_RUN}c"   # legitimate client
NS_A="nkb${NKB_RUN}a"   # attacker

# Addresses. The client's /24 is kept out of every spoofed range so a flood measures
# set exhaustion, not the (separate) spoofing of the victim's own address.
S_C4=198.18.1.1; C4=198.18.1.2; S_C6=2001:db8:1::1; C6=2001:db8:1::2
S_A4=198.18.2.1; A4=198.18.2.2; S_A6=2001:db8:2::1; A6=2001:db8:2::2
SPOOF4=198.18.0.0/15; SPOOF4_EXCLUDE=198.18.1.0/24; SPOOF6=2001:db8:ff::/48

NKB_PIDS=()

log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

in_s() { ip netns exec "$NS_S" "$@"; }
in_c() { ip netns exec "$NS_C" "$@"; }
in_a() { ip netns exec "$NS_A" "$@"; }

# Packages the benchmarks use. Installs only what is missing, from Debian.
ensure_tools() {
    local want=(iperf3 nmap masscan knockd fwknop-server fwknop-client hping3 tcpdump iputils-ping jq openssh-server openssh-client gcc netcat-openbsd time)
    local missing=()
    for p in "${want[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    if ((${#missing[@]})); then
        log "installing from Debian: ${missing[*]}"
        apt-get update -qq
        for p in "${missing[@]}"; do
            if apt-cache policy "$p" | grep -q 'Candidate: (none)'; then
                log "warning: $p has no installation candidate; its measurements will be skipped"
                continue
            fi
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$p" >/dev/null
        done
    fi
}

# The small C helpers in bench/tools, rebuilt when their source changes.
build_tools() {
    local src
    for src in "$BENCH_DIR"/tools/*.c; do
        local bin="$BUILD_DIR/$(basename "$src" .c)"
        if [[ ! -x $bin || $src -nt $bin ]]; then
            gcc -O2 -Wall -Wextra -Werror -o "$bin" "$src"
        fi
    done
}

# nftknock itself, published the way it ships (packaging/publish.sh: NativeAOT on Linux).
build_nftknock() {
    local out="$BUILD_DIR/nftknock"
    if [[ -n ${NFTKNOCK_PREBUILT:-} ]]; then
        NFTKNOCK=$NFTKNOCK_PREBUILT # an nftknock binary built elsewhere (say, another branch)
    else
        log "publishing nftknock as it ships (packaging/publish.sh) to $out"
        bash "$REPO_DIR/packaging/publish.sh" linux-x64 "$out" >"$BUILD_DIR/publish.log" 2>&1 \
            || { cat "$BUILD_DIR/publish.log" >&2; die "publishing nftknock failed"; }
        NFTKNOCK="$out/nftknock"
    fi
    [[ -x $NFTKNOCK ]] || die "no nftknock at $NFTKNOCK"
    export NFTKNOCK
}

# True when the nftknock build has a working command of that name (knock/connect are newer).
nftknock_has() { ! "$NFTKNOCK" --help | grep -E "^ +$1 " | grep -q 'being written'; }

# Server, client and attacker namespaces. The client's and the attacker's veths meet
# on a bridge in the server namespace, so one interface (br0) sees both, as a public
# interface would: knockd and fwknopd sniff it.
make_namespaces() {
    ip netns add "$NS_S"
    ip netns add "$NS_C"
    ip netns add "$NS_A"
    trap cleanup EXIT INT TERM
    ip -n "$NS_S" link add s_c type veth peer name c0 netns "$NS_C"
    ip -n "$NS_S" link add s_a type veth peer name a0 netns "$NS_A"
    ip -n "$NS_S" link add br0 type bridge
    local ns
    for ns in "$NS_S" "$NS_C" "$NS_A"; do
        ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0 \
            net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
        ip -n "$ns" link set lo up
    done
    ip -n "$NS_S" link set s_c master br0; ip -n "$NS_S" link set s_a master br0
    ip -n "$NS_S" addr add $S_C4/24 dev br0; ip -n "$NS_S" addr add $S_C6/64 dev br0 nodad
    ip -n "$NS_S" addr add $S_A4/24 dev br0; ip -n "$NS_S" addr add $S_A6/64 dev br0 nodad
    ip -n "$NS_C" addr add $C4/24 dev c0;    ip -n "$NS_C" addr add $C6/64 dev c0 nodad
    ip -n "$NS_A" addr add $A4/24 dev a0;    ip -n "$NS_A" addr add $A6/64 dev a0 nodad
    ip -n "$NS_S" link set s_c up; ip -n "$NS_S" link set s_a up; ip -n "$NS_S" link set br0 up
    ip -n "$NS_C" link set c0 up;  ip -n "$NS_A" link set a0 up
    ip netns exec "$NS_S" sysctl -qw net.ipv4.conf.br0.rp_filter=0
    # Spoofed sources are answered nowhere: no namespace has a default route.
    local i
    for i in 1 2 3 4 5 6 7 8 9 10; do
        in_c ping -c1 -W1 -q $S_C4 >/dev/null 2>&1 && in_a ping -c1 -W1 -q $S_A4 >/dev/null 2>&1 \
            && in_c ping -c1 -W1 -q $S_C6 >/dev/null 2>&1 && return 0
        sleep 0.3
    done
    die "namespaces are not connected"
}

# Starts a command in the background inside a namespace; its PID is remembered for
# cleanup and left in SPAWNED (not printed: a $(...) subshell would lose it).
SPAWNED=""
spawn() {
    local ns=$1; shift
    ip netns exec "$ns" "$@" &
    SPAWNED=$!
    NKB_PIDS+=("$SPAWNED")
}

stop_pid() { # TERM, then KILL after 2 s: knockd under a flood has been seen to ignore TERM
    local pid=$1 i
    kill "$pid" 2>/dev/null || true
    for i in $(seq 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

NKB_MAIN_PID=$BASHPID
NKB_CLEANUP=()   # extra commands a script registers (say, removing a user it made)
cleanup() {
    local rc=$?
    [[ $BASHPID == "$NKB_MAIN_PID" ]] || return 0
    trap - EXIT INT TERM
    local pid
    for pid in "${NKB_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    sleep 0.2
    for pid in "${NKB_PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
    # Processes that daemonised themselves (sshd, knockd, fwknopd) inside our namespaces.
    local ns
    for ns in "$NS_S" "$NS_C" "$NS_A"; do
        if ip netns pids "$ns" >/dev/null 2>&1; then
            for pid in $(ip netns pids "$ns"); do kill -9 "$pid" 2>/dev/null || true; done
            ip netns del "$ns" 2>/dev/null || true
        fi
    done
    local hook
    for hook in "${NKB_CLEANUP[@]}"; do eval "$hook" || true; done
    exit "$rc"
}

# Median, p90, max, mean of numbers on stdin (one per line).
stats() {
    sort -g | awk '{a[NR]=$1; s+=$1} END {
        if (NR == 0) { print "n=0"; exit }
        m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2
        p90 = a[int(NR*0.9 + 0.999)]; if (p90 == "") p90 = a[NR]
        printf "n=%d median=%.3f p90=%.3f max=%.3f mean=%.3f min=%.3f\n", NR, m, p90, a[NR], s/NR, a[1] }'
}
field() { sed -n "s/.*\\b$1=\\([^ ]*\\).*/\\1/p"; }

# Appends one row to a results TSV (created with its header on first use).
result() {
    local file="$RESULTS_DIR/$1.tsv" header=$2; shift 2
    [[ -f $file ]] || printf '%s\n' "$header" >"$file"
    (IFS=$'\t'; printf '%s\n' "$*") >>"$file"
}

# Process CPU time (user, system) in clock ticks of a PID, for user-space cost.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
