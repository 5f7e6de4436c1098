#!/usr/bin/env bash
# Installs the real `helm` the chart tests (test/deploy) drive, idempotently: a helm v3.22.0
# already on PATH or in .tools/bin is used as it is; otherwise it is built from source with
# `go install` (the Go module proxy is the one outside source this project's machines reach;
# helm's release tarballs are not). The first build takes a few minutes on 2 cores; later runs
# return at once. Prints the path of the helm binary on its last line.
set -euo pipefail
cd "$(dirname "$0")/.."

want="v3.22.0"
tools_bin="$PWD/.tools/bin"

version_of() {
  "$1" version --template '{{.Version}}' 2>/dev/null || true
}

find_helm() {
  local candidate
  for candidate in "$tools_bin/helm" "$(command -v helm 2>/dev/null || true)"; do
    if [ -n "$candidate" ] && [ -x "$candidate" ] && [ "$(version_of "$candidate")" = "$want" ]; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

if found="$(find_helm)"; then
  echo "install-helm: helm $want already at $found" >&2
  echo "$found"
  exit 0
fi

# Parallel test workers may all arrive here: one builds, the others wait and reuse its result.
mkdir -p "$tools_bin"
exec 9>"$tools_bin/.install-helm.lock"
flock 9
if found="$(find_helm)"; then
  echo "install-helm: helm $want already at $found" >&2
  echo "$found"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  echo "install-helm: helm $want is not installed and Go is not on PATH to build it" >&2
  echo "install-helm: install Go (https://go.dev/dl/) or put helm $want on PATH" >&2
  exit 1
fi

# The same -X flags helm's own Makefile sets for a release build: without them `go install`
# yields a helm that calls itself "v3.22" and assumes Kubernetes 1.20 for .Capabilities and for
# lint's deprecation checks. Kubernetes 1.37 is what helm v3.22.0's k8s.io modules (v0.37)
# give its release binaries.
ldflags="-w -s"
ldflags+=" -X helm.sh/helm/v3/internal/version.version=$want"
for pkg in helm.sh/helm/v3/pkg/lint/rules helm.sh/helm/v3/pkg/chartutil; do
  ldflags+=" -X $pkg.k8sVersionMajor=1 -X $pkg.k8sVersionMinor=37"
done

echo "install-helm: building helm $want with go install (a few minutes the first time)" >&2
GOBIN="$tools_bin" CGO_ENABLED=0 go install -trimpath -ldflags "$ldflags" "helm.sh/helm/v3/cmd/helm@$want"

got="$(version_of "$tools_bin/helm")"
if [ "$got" != "$want" ]; then
  echo "install-helm: built $tools_bin/helm but it reports version '$got', not $want" >&2
  exit 1
fi
echo "install-helm: installed helm $want at $tools_bin/helm" >&2
echo "$tools_bin/helm"
