#!/usr/bin/env bash
# Installs what nftknock's demo, tests and packaging need when it is missing (Debian, as root).
set -euo pipefail

need=()
have() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || [ -x "/sbin/$1" ]; }
have nft || need+=(nftables)
have ip || need+=(iproute2)
have ss || need+=(iproute2)
have socat || need+=(socat)
have ping || need+=(iputils-ping)
have setpriv || need+=(util-linux)
have sshd || need+=(openssh-server)
have ssh || need+=(openssh-client)
have scp || need+=(openssh-client)
have tcpdump || need+=(tcpdump)
# The enrolment test reads client add's QR code back with a real decoder.
have zbarimg || need+=(zbar-tools)
# Crafted packets (IPv6 fragments, TCP flag probes) in the namespace tests: Debian's scapy, for /usr/bin/python3.
/usr/bin/python3 -c 'import scapy.all' >/dev/null 2>&1 || need+=(python3-scapy)
# Ports published by DNAT (integration tests): a real dockerd in a test namespace, its image made offline from
# busybox-static, and the iptables Docker writes its rules with. Installed here, it is neither started nor
# enabled (see below): a dockerd of the host's own would rewrite this host's firewall and ip_forward.
have dockerd || need+=(docker.io)
dpkg-query -W -f='${Status}' busybox-static 2>/dev/null | grep -q 'ok installed' || need+=(busybox-static)
have iptables-nft || need+=(iptables)
# Packaging checks: the man page renders, the units verify, the zsh completion parses.
have man || need+=(man-db)
have groff || need+=(groff-base)
have systemd-analyze || need+=(systemd)
have zsh || need+=(zsh)
# The forged-lines test runs the packaged fail2ban filter through fail2ban-regex; fail2ban itself never runs.
have fail2ban-regex || need+=(fail2ban)
# The metrics tests check nftknock metrics' output with promtool check metrics.
have promtool || need+=(prometheus)
have dpkg-deb || need+=(dpkg)
have python3 || need+=(python3-minimal)
# The NativeAOT link (packaging/publish.sh): a C compiler and linker, and zlib to link against.
have cc || need+=(gcc)
dpkg-query -W -f='${Status}' zlib1g-dev 2>/dev/null | grep -q 'ok installed' || need+=(zlib1g-dev)
# The fleet kit (deploy/): Debian's ansible drives the collection's scenarios, ansible-lint checks it, and
# cloud-init's schema command checks the #cloud-config example (cloud-init never configures this machine).
have ansible-playbook || need+=(ansible)
have ansible-lint || need+=(ansible-lint)
have cloud-init || need+=(cloud-init)
# The Windows client runs under Wine in the tests (64-bit only: no i386 architecture needed).
[ -x /usr/lib/wine/wine64 ] || need+=(wine64)

if [ ${#need[@]} -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "nftknock: missing packages: ${need[*]}. Run as root, or install them: apt-get install -y ${need[*]}" >&2
        exit 4
    fi
    echo "Installing: ${need[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    # Packages installed for the tests start no service: policy-rc.d is how Debian's maintainer scripts
    # are told so. One already in place is the host's own and is left as it is.
    policy=/usr/sbin/policy-rc.d
    if [ ! -e "$policy" ]; then
        printf '#!/bin/sh\n# nftknock deps.sh: no service starts while test packages install.\nexit 101\n' >"$policy"
        chmod 755 "$policy"
        trap 'rm -f "$policy"' EXIT
    fi
    # cloud-init is here for its schema check only: it must never configure this machine at a boot.
    if [[ " ${need[*]} " == *" cloud-init "* ]]; then
        mkdir -p /etc/cloud && touch /etc/cloud/cloud-init.disabled
    fi
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
    # Nor at the next boot: the tests start their own dockerd inside a namespace they create.
    if [[ " ${need[*]} " == *" docker.io "* ]] && command -v systemctl >/dev/null 2>&1; then
        systemctl disable docker.service docker.socket >/dev/null 2>&1 || true
    fi
    if [[ " ${need[*]} " == *" fail2ban "* ]] && command -v systemctl >/dev/null 2>&1; then
        systemctl disable fail2ban.service >/dev/null 2>&1 || true
    fi
fi
