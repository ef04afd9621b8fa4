#!/usr/bin/env bash
# Builds nftknock's release artefacts into artifacts/ (or $OUT):
#   publish/<rid>/nftknock      self-contained single-file binary per runtime (packaging/publish.sh)
#   nftknock_<version>_<arch>.deb  binary, systemd units, man page, sample config, bash/zsh completion
#   nupkg/nftknock.<version>.nupkg the .NET global tool (dotnet tool install -g nftknock)
# RIDS picks the runtimes (default linux-x64; linux-arm64 needs its runtime pack from NuGet,
# which this build host's feed does not have). The first run downloads the linux-x64 runtime
# and crossgen packs (minutes); later runs take about two minutes on two cores.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-artifacts}
RIDS=${RIDS:-linux-x64}
VERSION=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props | head -1)
HOST_RID=linux-x64
mkdir -p "$OUT"

step() { printf 'build: %s\n' "$*" >&2; }

for rid in $RIDS; do
	step "publishing $rid (self-contained, single file, trimmed, composite ReadyToRun)"
	bash packaging/publish.sh "$rid" "$OUT/publish/$rid"
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
		*) step "no Debian architecture for $rid; skipping its .deb"; continue ;;
	esac
	step "packaging nftknock_${VERSION}_${arch}.deb"
	root=$(mktemp -d)
	trap 'rm -rf "$root"' EXIT
	install -D -m 0755 "$OUT/publish/$rid/nftknock" "$root/usr/bin/nftknock"
	install -D -m 0644 packaging/systemd/nftknock.service "$root/lib/systemd/system/nftknock.service"
	install -D -m 0644 packaging/systemd/nftknock-rotate.service "$root/lib/systemd/system/nftknock-rotate.service"
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
	size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
	sed -e "s/@VERSION@/$VERSION/" -e "s/@ARCH@/$arch/" -e "s/@SIZE@/$size/" packaging/debian/control > "$root/DEBIAN/control"
	dpkg-deb --root-owner-group -Zxz --build "$root" "$OUT/nftknock_${VERSION}_${arch}.deb" >/dev/null
	rm -rf "$root"
	trap - EXIT
done

step "packing the .NET global tool"
dotnet pack src/NftKnock.Cli -c Release -o "$OUT/nupkg" -v q --nologo
step "done: $(cd "$OUT" && ls -d publish/*/nftknock ./*.deb nupkg/*.nupkg 2>/dev/null | tr '\n' ' ')"
