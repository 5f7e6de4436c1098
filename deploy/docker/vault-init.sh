#!/bin/sh
# One-shot seeding of the docker-compose Vault dev server (docker-compose.yml, service
# vault-init). Runs in the Vault image with VAULT_ADDR and the dev root token set, and:
#   1. writes the relay's secret (KV v2) at $VAULT_KV_MOUNT/$VAULT_SECRET_PATH with the
#      lower-case key names the relay reads (google_client_id, graph_client_secret, ...),
#      taken from the upper-case variables of the same name that compose passes in;
#   2. writes the policy the relay needs (read on that one secret, nothing else);
#   3. creates the relay's own token ($RELAY_VAULT_TOKEN) with only that policy, so the relay
#      never holds the root token.
# Idempotent: re-running overwrites the secret and keeps an existing relay token.
set -eu

mount="${VAULT_KV_MOUNT:-secret}"
path="${VAULT_SECRET_PATH:-calendar-relay}"
policy="${RELAY_VAULT_POLICY:-calendar-relay}"
relay_token="${RELAY_VAULT_TOKEN:?RELAY_VAULT_TOKEN must be set (the token the relay uses)}"

missing=""
for name in GOOGLE_CLIENT_ID GOOGLE_CLIENT_SECRET GRAPH_CLIENT_ID GRAPH_CLIENT_SECRET GRAPH_AUTHORITY; do
  eval "value=\${$name:-}"
  [ -n "$value" ] || missing="$missing $name"
done
if [ -n "$missing" ]; then
  echo "vault-init: set$missing in the environment (or a .env file beside docker-compose.yml);" >&2
  echo "vault-init: for a run without a Microsoft tenant use: docker compose --profile demo up" >&2
  exit 1
fi

# Required keys first, then the optional ones that are set.
set --
for name in GOOGLE_CLIENT_ID GOOGLE_CLIENT_SECRET GRAPH_CLIENT_ID GRAPH_CLIENT_SECRET \
  GRAPH_AUTHORITY GRAPH_ENDPOINT GOOGLE_CLIENT_SECRET_PREVIOUS TOKEN_SIGNING_KEY; do
  eval "value=\${$name:-}"
  [ -n "$value" ] || continue
  case "$value" in
    # `vault kv put k=@file` reads a file and `k=-` reads stdin: refuse rather than store
    # something other than the value.
    @* | -)
      echo "vault-init: $name starts with '@' or is '-', which vault kv put would not store as is" >&2
      exit 1
      ;;
  esac
  key="$(printf '%s' "$name" | tr '[:upper:]' '[:lower:]')"
  set -- "$@" "$key=$value"
done

vault kv put -mount="$mount" "$path" "$@" >/dev/null
echo "vault-init: wrote $# keys to $mount/$path"

# KV v2 serves the data under <mount>/data/<path>; reading that is all the relay does.
vault policy write "$policy" - <<POLICY
path "$mount/data/$path" {
  capabilities = ["read"]
}
POLICY
echo "vault-init: policy $policy allows read on $mount/data/$path"

if vault token lookup "$relay_token" >/dev/null 2>&1; then
  echo "vault-init: relay token exists already"
else
  # Periodic: renewable indefinitely by the relay, expires if it stops renewing.
  vault token create -id="$relay_token" -policy="$policy" -period=24h -orphan \
    -display-name=calendar-relay >/dev/null
  echo "vault-init: created the relay token with policy $policy"
fi
