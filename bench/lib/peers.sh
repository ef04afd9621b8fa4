# The comparators: knockd 0.8 and fwknop 2.6.10 from Debian, and the seeds' rulesets.
# Sourced after common.sh. Each daemon runs in the server namespace, in the foreground,
# with its configuration, logs and state in this run's work directory.

WORK="${WORK:-$BUILD_DIR/run-$NKB_RUN}"
mkdir -p "$WORK"

# Tables in the server namespace (ours: the namespace was created by this run).
server_tables_clear() {
    local t
    in_s nft list tables 2>/dev/null | while read -r _ fam name; do
        in_s nft delete table "$fam" "$name"
    done
}
server_load() { in_s nft -f "$BENCH_DIR/rulesets/$1.nft"; }
# Warnings (the seeds' rising sequences) are expected here; errors are shown.
nftknock_apply() { in_s "$NFTKNOCK" apply -c "$1" >/dev/null 2>"$WORK/apply.err" || { cat "$WORK/apply.err" >&2; return 1; }; }

# 65,536 grants for a set: 198.19.0.0 .. 198.19.255.255, one hour each.
load_grants() {
    local set=$1 file="$WORK/grants-$1.nft"
    if [[ ! -f $file ]]; then
        python3 - "$set" >"$file" <<'EOF'
import sys
s = sys.argv[1]
out = [f"add element inet nftknock {s} {{"]
out.append(",\n".join(f"198.19.{i >> 8}.{i & 255} timeout 1h" for i in range(65536)))
out.append("}")
print("\n".join(out))
EOF
    fi
    in_s nft -f "$file"
}

KNOCKD_PID=""
knockd_start() { # $1: sequence "7000:udp,8000:udp,9000:udp"; $2: extra door sequence for 2222 (optional)
    local conf="$WORK/knockd.conf"
    {
        printf '[options]\n\tLogFile = %s/knockd.log\n\tInterface = %s\n\n' "$WORK" "${KNOCKD_IF:-br0}"
        printf '[ssh]\n\tsequence = %s\n\tseq_timeout = 2\n\ttcpflags = syn\n' "$1"
        printf '\tstart_command = /usr/sbin/nft add element inet gate clients { %%IP%% timeout 10s }\n\n'
        if [[ -n ${2:-} ]]; then
            printf '[alt]\n\tsequence = %s\n\tseq_timeout = 2\n\ttcpflags = syn\n' "$2"
            printf '\tstart_command = /usr/sbin/nft add element inet gate clients { %%IP%% timeout 10s }\n\n'
        fi
    } >"$conf"
    spawn "$NS_S" knockd -c "$conf" -i "${KNOCKD_IF:-br0}" -4 >>"$WORK/knockd.out" 2>&1; KNOCKD_PID=$SPAWNED
    sleep 0.5
}
knockd_stop() { [[ -n $KNOCKD_PID ]] && stop_pid "$KNOCKD_PID"; KNOCKD_PID=""; }

# fwknop: HMAC-SHA256 + Rijndael keys made for this run; fwknopd opens the door by
# running nft through CMD_CYCLE_OPEN (its native firewall drivers are iptables/firewalld).
FWKNOPD_PID=""
fwknop_keys() {
    [[ -f $WORK/fwknop.keys ]] && return
    fwknop --key-gen --use-hmac --key-gen-file "$WORK/fwknop.keys" >/dev/null 2>&1 || fwknop --key-gen --use-hmac >"$WORK/fwknop.keys"
}
fwknopd_start() { # $1: udp (UDP-server mode, no pcap) | pcap
    fwknop_keys
    local key hmac
    key=$(sed -n 's/^KEY_BASE64:\s*//p' "$WORK/fwknop.keys")
    hmac=$(sed -n 's/^HMAC_KEY_BASE64:\s*//p' "$WORK/fwknop.keys")
    cat >"$WORK/fwknopd.conf" <<EOF
PCAP_INTF                   br0;
ENABLE_UDP_SERVER           $([[ $1 == udp ]] && echo Y || echo N);
UDPSERV_PORT                62201;
PCAP_FILTER                 udp port 62201;
FIREWALL_EXE                /usr/sbin/iptables;
FWKNOP_RUN_DIR              $WORK/fwknop-run;
ENABLE_DIGEST_PERSISTENCE   Y;
EOF
    cat >"$WORK/access.conf" <<EOF
SOURCE                  ANY
OPEN_PORTS              tcp/22
KEY_BASE64              $key
HMAC_KEY_BASE64         $hmac
CMD_CYCLE_OPEN          /usr/sbin/nft add element inet gate clients { \$SRC timeout 10s }
CMD_CYCLE_CLOSE         NONE
CMD_CYCLE_TIMER         10
EOF
    mkdir -p "$WORK/fwknop-run"
    chmod 600 "$WORK/access.conf" "$WORK/fwknopd.conf"
    spawn "$NS_S" fwknopd -f -c "$WORK/fwknopd.conf" -a "$WORK/access.conf" \
        -d "$WORK/fwknop-run/digest.cache" -p "$WORK/fwknop-run/fwknopd.pid" ${FWKNOPD_VERBOSE:-} $([[ $1 == udp ]] && echo -U) >>"$WORK/fwknopd.out" 2>&1
    FWKNOPD_PID=$SPAWNED
    sleep 1
}
fwknopd_stop() { [[ -n $FWKNOPD_PID ]] && stop_pid "$FWKNOPD_PID"; FWKNOPD_PID=""; }
fwknop_client_cmd() { # the client's command line, for $1 = allow address, $2 = server address
    local key hmac
    key=$(sed -n 's/^KEY_BASE64:\s*//p' "$WORK/fwknop.keys")
    hmac=$(sed -n 's/^HMAC_KEY_BASE64:\s*//p' "$WORK/fwknop.keys")
    printf 'fwknop -A tcp/22 -a %s -D %s --use-hmac --key-base64-rijndael %s --key-base64-hmac %s --no-save-args --rc-file %s/fwknoprc' \
        "$1" "$2" "$key" "$hmac" "$WORK"
}
