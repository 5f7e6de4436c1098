#!/usr/bin/env bash
# Runs a command (the test runner) with a throwaway TLS setup for the local Graph/Entra emulator:
# a CA made for this run, a server certificate it signs for 127.0.0.1, ::1 and localhost, and
# NODE_EXTRA_CA_CERTS pointing at the CA so that @azure/identity (node:https) and the Graph SDK
# (fetch) trust the emulator exactly as production trusts Microsoft: through Node's own trust
# store, with no test switch in the relay's code. Node reads NODE_EXTRA_CA_CERTS once, when the
# process starts, so it must be set before jest starts; hence this wrapper.
#
#   bash test/graph-emulator/with-test-ca.sh npx jest test/graph-
#
# The CA's private key is deleted before the command runs (nothing more can be signed with it)
# and everything is removed when the command ends. Needs the openssl CLI.
set -euo pipefail

dir="$(mktemp -d "${TMPDIR:-/tmp}/graph-emulator-tls.XXXXXX")"
trap 'rm -rf "$dir"' EXIT

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
  -subj "/CN=Calendar Relay throwaway test CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -keyout "$dir/ca.key" -out "$dir/ca.pem" 2>/dev/null
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=localhost" \
  -keyout "$dir/server.key" -out "$dir/server.csr" 2>/dev/null
printf '%s\n' 'subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost' 'extendedKeyUsage=serverAuth' \
  'basicConstraints=critical,CA:FALSE' 'keyUsage=critical,digitalSignature' >"$dir/server.ext"
openssl x509 -req -days 2 -in "$dir/server.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" \
  -CAcreateserial -extfile "$dir/server.ext" -out "$dir/server.pem" 2>/dev/null
rm -f "$dir/ca.key" "$dir/ca.srl" "$dir/server.csr" "$dir/server.ext"

# Keep any CA the environment already trusts (a corporate proxy's, say) next to ours.
if [ -n "${NODE_EXTRA_CA_CERTS:-}" ] && [ -r "$NODE_EXTRA_CA_CERTS" ]; then
  cat "$NODE_EXTRA_CA_CERTS" "$dir/ca.pem" >"$dir/trusted.pem"
else
  cp "$dir/ca.pem" "$dir/trusted.pem"
fi

export NODE_EXTRA_CA_CERTS="$dir/trusted.pem"
export GRAPH_EMULATOR_TLS_DIR="$dir"
# Also read at start-up only: Jest loads the ESM-only Nest 12 packages through its require(esm),
# which needs vm modules (https://jestjs.io/docs/ecmascript-modules#require-of-esm), so that
# `npx jest ...` behind this wrapper works as the npm test scripts do.
export NODE_OPTIONS="--experimental-vm-modules${NODE_OPTIONS:+ $NODE_OPTIONS}"
"$@"
