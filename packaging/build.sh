#!/usr/bin/env bash
# Builds nftknock's release artefacts into artifacts/ (or $OUT), with packaging/publish.sh:
#   publish/linux-x64/nftknock       the NativeAOT binary (what the .deb holds)
#   publish/win-x64/nftknock.exe     self-contained single-file client for Windows
#   publish/osx-x64/nftknock, publish/osx-arm64/nftknock   the same for macOS
#   publish/win-x64-folder/          the Windows build as a folder: what the tests run under Wine
#   nftknock_<version>_<rid>.zip / .tar.gz   the Windows and macOS binaries, archived for download
#   nftknock_<version>_<arch>.deb    binary, systemd units, man page, sample config, bash/zsh completion
#   nupkg/nftknock.<version>.nupkg   the .NET global tool (dotnet tool install -g nftknock)
# RIDS picks the runtimes (default: linux-x64 win-x64 osx-x64 osx-arm64; linux-arm64 needs a
# cross-linking toolchain and its packs from NuGet). The first run downloads the ILCompiler and
# runtime packs (minutes); later runs take about four minutes on two idle cores (ten under load),
# most of it the ReadyToRun builds for Windows and macOS.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-artifacts}
RIDS=${RIDS:-linux-x64 win-x64 osx-x64 osx-arm64}
VERSION=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props | head -1)
HOST_RID=linux-x64
mkdir -p "$OUT"

step() { printf 'build: %s\n' "$*" >&2; }

for rid in $RIDS; do
	case "$rid" in
		linux-*) step "publishing $rid (NativeAOT)" ;;
		*) step "publishing $rid (self-contained, single file, trimmed, composite ReadyToRun)" ;;
	esac
	bash packaging/publish.sh "$rid" "$OUT/publish/$rid"
	case "$rid" in
		win-*)
			step "publishing $rid as a folder (the layout Wine runs)"
			LAYOUT=folder bash packaging/publish.sh "$rid" "$OUT/publish/$rid-folder"
			(cd "$OUT/publish/$rid" && python3 -m zipfile -c "../../nftknock_${VERSION}_$rid.zip" nftknock.exe)
			;;
		osx-*)
			tar -C "$OUT/publish/$rid" --owner=0 --group=0 -czf "$OUT/nftknock_${VERSION}_$rid.tar.gz" nftknock
			;;
	esac
done

# Completions come from the command tree, so they need a binary this host can run.
if [[ -x "$OUT/publish/$HOST_RID/nftknock" ]]; then
	self="$OUT/publish/$HOST_RID/nftknock"
else
	dotnet build src/NftKnock.Cli -c Release -v q --nologo
	self="dotnet src/NftKnock.Cli/bin/Release/net10.0/nftknock.dll"
fi
mkdir -p "$OUT/completion"
$self completion bash > "$OUT/completion/nftknock.bash"
$self completion zsh > "$OUT/completion/_nftknock"

for rid in $RIDS; do
	case "$rid" in
		linux-x64) arch=amd64 ;;
		linux-arm64) arch=arm64 ;;
		linux-*) step "no Debian architecture for $rid; skipping its .deb"; continue ;;
		*) continue ;; # Windows and macOS get the archives above
	esac
	step "packaging nftknock_${VERSION}_${arch}.deb"
	root=$(mktemp -d)
	trap 'rm -rf "$root"' EXIT
	install -D -m 0755 "$OUT/publish/$rid/nftknock" "$root/usr/bin/nftknock"
	install -D -m 0644 packaging/systemd/nftknock.service "$root/lib/systemd/system/nftknock.service"
	install -D -m 0644 packaging/systemd/nftknock-rotate.service "$root/lib/systemd/system/nftknock-rotate.service"
	install -D -m 0644 packaging/systemd/nftknock-metrics.service "$root/lib/systemd/system/nftknock-metrics.service"
	install -D -m 0644 packaging/systemd/nftknock-metrics.timer "$root/lib/systemd/system/nftknock-metrics.timer"
	install -D -m 0644 packaging/systemd/nftknock-hook.service "$root/lib/systemd/system/nftknock-hook.service"
	install -D -m 0644 packaging/systemd/nftknock-events.service "$root/lib/systemd/system/nftknock-events.service"
	# fail2ban's filter and jail (the jail disabled): conffiles, so an operator's edits survive upgrades.
	install -D -m 0644 packaging/fail2ban/nftknock-replay.conf "$root/etc/fail2ban/filter.d/nftknock-replay.conf"
	install -D -m 0644 packaging/fail2ban/nftknock.conf "$root/etc/fail2ban/jail.d/nftknock.conf"
	install -D -m 0644 docs/observability.md "$root/usr/share/doc/nftknock/observability.md"
	install -d -m 0755 "$root/usr/share/man/man1"
	gzip -9n < packaging/man/nftknock.1 > "$root/usr/share/man/man1/nftknock.1.gz"
	chmod 0644 "$root/usr/share/man/man1/nftknock.1.gz"
	install -D -m 0644 packaging/nftknock.yaml "$root/usr/share/doc/nftknock/examples/nftknock.yaml"
	install -D -m 0644 docs/deploy.md "$root/usr/share/doc/nftknock/deploy.md"
	install -D -m 0644 packaging/debian/copyright "$root/usr/share/doc/nftknock/copyright"
	install -D -m 0644 "$OUT/completion/nftknock.bash" "$root/usr/share/bash-completion/completions/nftknock"
	install -D -m 0644 "$OUT/completion/_nftknock" "$root/usr/share/zsh/vendor-completions/_nftknock"
	install -d -m 0755 "$root/DEBIAN"
	for script in postinst prerm postrm; do
		install -m 0755 "packaging/debian/$script" "$root/DEBIAN/$script"
	done
	install -m 0644 packaging/debian/conffiles "$root/DEBIAN/conffiles"
	size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
	sed -e "s/@VERSION@/$VERSION/" -e "s/@ARCH@/$arch/" -e "s/@SIZE@/$size/" packaging/debian/control > "$root/DEBIAN/control"
	dpkg-deb --root-owner-group -Zxz --build "$root" "$OUT/nftknock_${VERSION}_${arch}.deb" >/dev/null
	rm -rf "$root"
	trap - EXIT
done

step "packing the .NET global tool"
dotnet pack src/NftKnock.Cli -c Release -o "$OUT/nupkg" -v q --nologo
step "done: $(cd "$OUT" && ls -d publish/*/nftknock publish/*/nftknock.exe ./*.deb ./*.zip ./*.tar.gz nupkg/*.nupkg 2>/dev/null | tr '\n' ' ')"
