#!/usr/bin/env bash
# Builds the packages (packaging/build.sh) and checks them the way a user meets them:
# the .deb extracted into a scratch root runs, its man page renders without warnings,
# systemd-analyze accepts its units, its completions parse, the Windows and macOS clients are
# there, and the .NET tool installs and runs. Ends with 'N passed, N failed'; exit 1 when
# anything failed. SKIP_BUILD=1 reuses artifacts/ (or $OUT). Takes about 4 minutes on two idle
# cores once the packs are cached, most of it build.sh's publishes.
set -uo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-artifacts}
VERSION=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props | head -1)
passed=0
failed=0
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

check() {
	local name=$1
	shift
	if "$@" >"$scratch/out" 2>&1; then
		passed=$((passed + 1))
		echo "PASS $name"
	else
		failed=$((failed + 1))
		echo "FAIL $name"
		sed 's/^/    /' "$scratch/out" | head -40
	fi
}

need() {
	command -v "$1" >/dev/null 2>&1 && return 0
	if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
		apt-get install -y "$2" >/dev/null 2>&1 || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y "$2" >/dev/null 2>&1; }
	fi
	command -v "$1" >/dev/null 2>&1
}

if [[ -z ${SKIP_BUILD:-} ]]; then
	check "build.sh builds the binary, the .deb and the tool package" bash packaging/build.sh
fi

deb="$OUT/nftknock_${VERSION}_amd64.deb"
root="$scratch/root"

extract() { mkdir -p "$root" && dpkg -x "$deb" "$root"; }
version() { [[ $("$root/usr/bin/nftknock" --version) == "$VERSION"* ]]; }
contents() {
	local list
	list=$(dpkg-deb --contents "$deb")
	for path in ./usr/bin/nftknock ./lib/systemd/system/nftknock.service ./lib/systemd/system/nftknock-rotate.service \
		./lib/systemd/system/nftknock-metrics.service ./lib/systemd/system/nftknock-metrics.timer \
		./lib/systemd/system/nftknock-hook.service ./lib/systemd/system/nftknock-events.service \
		./etc/fail2ban/filter.d/nftknock-replay.conf ./etc/fail2ban/jail.d/nftknock.conf \
		./usr/share/man/man1/nftknock.1.gz ./usr/share/doc/nftknock/examples/nftknock.yaml \
		./usr/share/bash-completion/completions/nftknock ./usr/share/zsh/vendor-completions/_nftknock; do
		grep -q " $path\$" <<<"$list" || { echo "missing $path"; return 1; }
	done
	dpkg-deb --field "$deb" Package Version Architecture
}
postinst_applies_nothing() {
	local script
	script=$(dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./postinst) || return 1
	# Commands only: what the script prints may mention apply.
	! grep -Ev '^[[:space:]]*(#|echo )' <<<"$script" | grep -Eq 'nftknock (apply|rotate)|systemctl (enable|start|restart)'
}
sample_is_valid() { "$root/usr/bin/nftknock" check -c "$root/usr/share/doc/nftknock/examples/nftknock.yaml"; }
# The shipped binary is NativeAOT: run the paths that trimming could break, rendering and
# connect's option checks with their one-line error (nothing is sent: the value is refused first).
sample_renders() { "$root/usr/bin/nftknock" render -c "$root/usr/share/doc/nftknock/examples/nftknock.yaml" | grep -q '^table inet nftknock {'; }
connect_checks_options() {
	local err rc=0
	err=$("$root/usr/bin/nftknock" connect 198.18.0.1 22 7000/udp --attempts 0 2>&1 >/dev/null) || rc=$?
	echo "exit $rc: $err"
	[[ $rc == 2 && $err == "nftknock: --attempts 0 is out of range. Use a whole number from 1 to 20." ]]
}
# NativeAOT: one native executable, no runtime inside (a single-file bundle carries libcoreclr.so).
native_aot() {
	! grep -q libcoreclr.so "$root/usr/bin/nftknock" || { echo "the packaged binary carries a .NET runtime: not NativeAOT"; return 1; }
	ls -l "$root/usr/bin/nftknock"
}
# The Windows and macOS clients: single-file executables of their platform's format, archived.
windows_client() {
	local zip="$OUT/nftknock_${VERSION}_win-x64.zip"
	python3 -m zipfile -l "$zip" | grep -q '^nftknock.exe ' || { echo "no nftknock.exe in $zip"; return 1; }
	[[ $(head -c 2 "$OUT/publish/win-x64/nftknock.exe") == MZ ]] || { echo "nftknock.exe is not a PE executable"; return 1; }
	[[ -x "$OUT/publish/win-x64-folder/nftknock.exe" && -e "$OUT/publish/win-x64-folder/System.Private.CoreLib.dll" ]]
}
macos_clients() {
	local rid magic
	for rid in osx-x64 osx-arm64; do
		tar -tzf "$OUT/nftknock_${VERSION}_$rid.tar.gz" | grep -qx nftknock || { echo "no nftknock in the $rid archive"; return 1; }
		magic=$(od -An -tx1 -N4 "$OUT/publish/$rid/nftknock" | tr -d ' ')
		[[ $magic == cffaedfe ]] || { echo "$rid: not a 64-bit Mach-O executable ($magic)"; return 1; }
	done
}
man_renders() {
	need man man-db && need groff groff-base || return 1
	local err="$scratch/man.err"
	MANWIDTH=80 man --warnings -l "$root/usr/share/man/man1/nftknock.1.gz" >/dev/null 2>"$err"
	cat "$err"
	[[ ! -s $err ]]
}
units_verify() {
	need systemd-analyze systemd || return 1
	# systemd-analyze verify resolves ExecStart= and dependencies inside --root: give it the host's unit library too.
	local vroot="$scratch/vroot"
	cp -a "$root" "$vroot"
	cp -rn /lib/systemd/system/. "$vroot/lib/systemd/system/" 2>/dev/null || true
	(cd "$vroot" && MANPATH="$vroot/usr/share/man" systemd-analyze verify --root="$vroot" \
		"$vroot/lib/systemd/system/nftknock.service" "$vroot/lib/systemd/system/nftknock-rotate.service" \
		"$vroot/lib/systemd/system/nftknock-metrics.service" "$vroot/lib/systemd/system/nftknock-metrics.timer" \
		"$vroot/lib/systemd/system/nftknock-hook.service" "$vroot/lib/systemd/system/nftknock-events.service") 2>&1 | tee "$scratch/verify.out"
	[[ ! -s "$scratch/verify.out" ]]
}
# A restart is stop then start: a stop that removed the table would leave every protected port open in
# between. The unit must never remove it, and reload must be one apply.
units_never_unguard() {
	local unit="$root/lib/systemd/system/nftknock.service"
	grep -E '^Exec' "$unit"
	! grep -Eq '^ExecStop(Post)?=' "$unit" &&
		grep -qx 'ExecReload=/usr/bin/nftknock apply -c /etc/nftknock/nftknock.yaml' "$unit" &&
		! grep -Eq '^Exec[A-Za-z]*=.*nftknock remove' "$unit" "$root/lib/systemd/system/nftknock-rotate.service"
}
# The metrics timer ships disabled, like every unit: it fires every 15 s, accurate to a second.
metrics_timer() {
	local timer="$root/lib/systemd/system/nftknock-metrics.timer" service="$root/lib/systemd/system/nftknock-metrics.service"
	grep -qx 'OnUnitActiveSec=15s' "$timer" && grep -qx 'AccuracySec=1s' "$timer" &&
		grep -qx 'ExecStart=/usr/bin/nftknock metrics --textfile /var/lib/prometheus/node-exporter' "$service" &&
		grep -qx 'Type=oneshot' "$service"
}
# fail2ban's filter and jail ship as conffiles, the jail disabled and on journald's trusted fields; the
# filter takes the recorder's replay line and not the same line logged by the kernel.
fail2ban_shipped() {
	local jail="$root/etc/fail2ban/jail.d/nftknock.conf" filter="$root/etc/fail2ban/filter.d/nftknock-replay.conf" log="$scratch/f2b.log"
	grep -qx 'enabled   = false' "$jail" && grep -qx 'backend   = systemd' "$jail" || { echo "the jail must ship disabled, on the systemd backend"; return 1; }
	grep -qx 'journalmatch = _SYSTEMD_UNIT=nftknock-events.service _UID=0' "$filter" || { echo "the filter must match the recorder's unit and uid"; return 1; }
	dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles | grep -qx /etc/fail2ban/jail.d/nftknock.conf || { echo "the jail is not a conffile"; return 1; }
	need fail2ban-regex fail2ban || return 1
	printf '%s\n' "2026-11-26T17:06:10 host nftknock-events[812]: nftknock ssh replay: IN=eth0 OUT= SRC=198.18.9.9 DST=198.18.0.1 LEN=44 PROTO=UDP SPT=40001 DPT=9000" \
		"2026-11-26T17:06:11 host kernel: [   12.000000] nftknock ssh replay: IN=eth0 OUT= SRC=198.18.6.6 DST=198.18.0.1 LEN=44 PROTO=UDP SPT=40001 DPT=9000" >"$log"
	[[ $(fail2ban-regex -o ip "$log" "$filter") == 198.18.9.9 ]]
}
bash_completion_parses() { bash -n "$root/usr/share/bash-completion/completions/nftknock" && bash -c "source '$root/usr/share/bash-completion/completions/nftknock' && complete -p nftknock"; }
zsh_completion_parses() { need zsh zsh && zsh -n "$root/usr/share/zsh/vendor-completions/_nftknock"; }
tool_installs() {
	dotnet tool install --tool-path "$scratch/tool" --add-source "$OUT/nupkg" nftknock --version "$VERSION" &&
		[[ $("$scratch/tool/nftknock" --version) == "$VERSION"* ]]
}

check "the .deb holds binary, units, man page, sample config and completions" contents
check "the .deb extracts into a scratch root (dpkg -x)" extract
check "nftknock --version runs from the extracted package" version
check "postinst applies and enables nothing" postinst_applies_nothing
check "the sample config passes nftknock check" sample_is_valid
check "the packaged binary renders the sample config" sample_renders
check "the packaged binary's connect refuses a bad option in one line, exit 2" connect_checks_options
check "the packaged binary is NativeAOT (no runtime inside)" native_aot
check "the Windows client: nftknock.exe, zipped, and the folder layout for Wine" windows_client
check "the macOS clients (x64, arm64): Mach-O executables, archived" macos_clients
check "man -l renders nftknock(1) without warnings" man_renders
check "systemd-analyze verify accepts every unit" units_verify
check "no unit removes the table: restart and reload never leave a port unguarded" units_never_unguard
check "the metrics timer runs nftknock metrics --textfile every 15 s" metrics_timer
check "fail2ban's filter and disabled jail ship as conffiles; the filter bans on the recorder's lines only" fail2ban_shipped
check "the bash completion parses and registers" bash_completion_parses
check "the zsh completion parses" zsh_completion_parses
check "the .NET global tool installs and runs" tool_installs

echo "packaging: $passed passed, $failed failed"
[[ $failed == 0 ]]
