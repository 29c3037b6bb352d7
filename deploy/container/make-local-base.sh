#!/usr/bin/env bash
# Makes a stand-in for the public node:20-bookworm-slim image where it cannot be pulled: a Debian
# bookworm root filesystem from mmdebstrap (cached as a tarball) plus this machine's Node.js and npm,
# laid out as in the official image (/usr/local/bin/node). Prints the image name.
#
#   deploy/container/make-local-base.sh [IMAGE]     (default localhost/hangar-node-base:bookworm-node<version>)
set -euo pipefail

node_bin="$(readlink -f "$(command -v node)")"
node_version="$("$node_bin" -p 'process.versions.node')"
npm_dir="$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")"
image="${1:-localhost/hangar-node-base:bookworm-node$node_version}"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/hangar-container"
rootfs="$cache/debian-bookworm-minbase.tar"

if buildah inspect --type image "$image" >/dev/null 2>&1; then
  echo "$image"
  exit 0
fi
[ -f "$npm_dir/bin/npm-cli.js" ] || { echo "npm not found next to $(command -v npm)" >&2; exit 1; }

mkdir -p "$cache"
if [ ! -s "$rootfs" ]; then
  echo "mmdebstrap: Debian bookworm (minbase) into $rootfs" >&2
  mmdebstrap --variant=minbase --quiet bookworm "$rootfs.tmp" >&2
  mv "$rootfs.tmp" "$rootfs"
fi

ctr="$(buildah from scratch)"
trap 'buildah rm "$ctr" >/dev/null 2>&1 || true' EXIT
buildah add --quiet "$ctr" "$rootfs" / >/dev/null
buildah copy --quiet "$ctr" "$node_bin" /usr/local/bin/node >/dev/null
buildah copy --quiet "$ctr" "$npm_dir" /usr/local/lib/node_modules/npm >/dev/null
# This machine's trusted certificates, so npm inside the build trusts what the host trusts (a registry
# mirror or TLS-inspecting proxy with its own CA works as it does outside).
if [ -s /etc/ssl/certs/ca-certificates.crt ]; then
  buildah copy --quiet "$ctr" /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt >/dev/null
  buildah run --isolation chroot "$ctr" -- sh -c \
    'mkdir -p /usr/local/etc && echo cafile=/etc/ssl/certs/ca-certificates.crt > /usr/local/etc/npmrc'
fi
buildah run --isolation chroot "$ctr" -- sh -c '
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm &&
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx &&
  rm -rf /var/cache/apt/archives/*.deb /var/lib/apt/lists/*' >&2
buildah config --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  --env NODE_VERSION="$node_version" --cmd node \
  --label org.opencontainers.image.description="Debian bookworm with Node.js $node_version (local stand-in for node:20-bookworm-slim)" \
  "$ctr"
buildah commit --quiet --format docker "$ctr" "$image" >/dev/null
echo "$image"
