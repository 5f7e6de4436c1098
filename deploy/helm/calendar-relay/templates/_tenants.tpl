{{- /*
Several Microsoft 365 tenants (values `tenants`, docs/tenants.md): rendered to the relay's
TENANTS and TENANT_<NAME>_* keys (libs/config/src/tenant-keys.ts). Non-secret keys go into the
ConfigMap; a tenant's secrets come from its own Vault secret, from the relay's secret, or from a
Kubernetes Secret of the tenant's, and never into a ConfigMap or the release.
*/ -}}

{{/* `contoso-eu` -> `TENANT_CONTOSO_EU_`, as the relay spells a tenant's keys. */}}
{{- define "calendar-relay.tenantPrefix" -}}
{{- printf "TENANT_%s_" (. | upper | replace "-" "_") }}
{{- end }}

{{/* The lower-case key names of a tenant's secrets (its Vault secret keys, its files). */}}
{{- define "calendar-relay.tenantSecretKeys" -}}
{{- $keys := list "graph_client_id" "graph_client_secret" }}
{{- if .ownGoogleClient }}
{{- $keys = concat $keys (list "google_client_id" "google_client_secret" "google_client_secret_previous") }}
{{- end }}
{{- $keys | toJson }}
{{- end }}

{{/* The KV v2 API path of a tenant's own secret. */}}
{{- define "calendar-relay.tenantVaultDataPath" -}}
{{- printf "%s/data/%s" (trimSuffix "/" .root.Values.vault.kvMount) (trimPrefix "/" .tenant.vaultSecretPath) }}
{{- end }}

{{/*
The ConfigMap's tenant keys: TENANTS, then each tenant's non-secret keys, and with in-app Vault
the path of the tenant's own secret (TENANT_<NAME>_VAULT_SECRET_PATH).
*/}}
{{- define "calendar-relay.tenantConfig" -}}
{{- if .Values.tenants }}
TENANTS: {{ keys .Values.tenants | sortAlpha | join "," | quote }}
{{- range $name, $t := .Values.tenants }}
{{- $p := include "calendar-relay.tenantPrefix" $name }}
{{ $p }}DOMAINS: {{ join "," $t.domains | quote }}
{{- with $t.graph }}
{{- with .authority }}
{{ $p }}GRAPH_AUTHORITY: {{ . | quote }}
{{- end }}
{{- with .endpoint }}
{{ $p }}GRAPH_ENDPOINT: {{ . | quote }}
{{- end }}
{{- with .anchorMailbox }}
{{ $p }}GRAPH_ANCHOR_MAILBOX: {{ . | quote }}
{{- end }}
{{- with .concurrency }}
{{ $p }}GRAPH_CONCURRENCY: {{ . | quote }}
{{- end }}
{{- end }}
{{- if hasKey $t "eventDetails" }}
{{- if kindIs "slice" $t.eventDetails }}
{{ $p }}EVENT_DETAILS: {{ join "," $t.eventDetails | quote }}
{{- else }}
{{ $p }}EVENT_DETAILS: {{ $t.eventDetails | quote }}
{{- end }}
{{- end }}
{{- if and (eq $t.secrets.source "tenantVault") (eq $.Values.secrets.source "vault") }}
{{ $p }}VAULT_SECRET_PATH: {{ $t.vaultSecretPath | quote }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}

{{/*
The container's env entries for tenants whose secrets are a Kubernetes Secret of their own
(secretKeyRef: the value never passes through the chart).
*/}}
{{- define "calendar-relay.tenantSecretEnv" -}}
{{- range $name, $t := .Values.tenants }}
{{- if eq $t.secrets.source "existingSecret" }}
{{- $p := include "calendar-relay.tenantPrefix" $name }}
{{- $s := $t.secrets.existingSecret }}
{{- $refs := dict "GRAPH_CLIENT_ID" $s.keys.graphClientId "GRAPH_CLIENT_SECRET" $s.keys.graphClientSecret }}
{{- if $t.ownGoogleClient }}
{{- $_ := set $refs "GOOGLE_CLIENT_ID" $s.keys.googleClientId }}
{{- $_ := set $refs "GOOGLE_CLIENT_SECRET" $s.keys.googleClientSecret }}
{{- end }}
{{- range $suffix := list "GRAPH_CLIENT_ID" "GRAPH_CLIENT_SECRET" "GOOGLE_CLIENT_ID" "GOOGLE_CLIENT_SECRET" }}
{{- with get $refs $suffix }}
- name: {{ printf "%s%s" $p $suffix }}
  valueFrom:
    secretKeyRef:
      name: {{ $s.name }}
      key: {{ . }}
{{- end }}
{{- end }}
{{- if and $t.ownGoogleClient $s.keys.googleClientSecretPrevious }}
- name: {{ printf "%sGOOGLE_CLIENT_SECRET_PREVIOUS" $p }}
  valueFrom:
    secretKeyRef:
      name: {{ $s.name }}
      key: {{ $s.keys.googleClientSecretPrevious }}
      # Present only while a rotation is under way.
      optional: true
{{- end }}
{{- end }}
{{- end }}
{{- end }}

{{/*
With the Vault Agent injector: one file per tenant secret key in /vault/secrets, named as the
relay reads it (tenant_<name>_graph_client_secret), from the tenant's own secret (its keys
without the prefix) or from the relay's (tenant_<name>_* keys). Files vault.agent.keys already
lists are left to it.
*/}}
{{- define "calendar-relay.tenantAgentAnnotations" -}}
{{- $relayPath := include "calendar-relay.vaultDataPath" . }}
{{- range $name, $t := .Values.tenants }}
{{- if ne $t.secrets.source "existingSecret" }}
{{- $filePrefix := include "calendar-relay.tenantPrefix" $name | lower }}
{{- range $key := include "calendar-relay.tenantSecretKeys" $t | fromJsonArray }}
{{- $file := printf "%s%s" $filePrefix $key }}
{{- if not (has $file $.Values.vault.agent.keys) }}
{{- $path := $relayPath }}
{{- $field := $file }}
{{- if eq $t.secrets.source "tenantVault" }}
{{- $path = include "calendar-relay.tenantVaultDataPath" (dict "root" $ "tenant" $t) }}
{{- $field = $key }}
{{- end }}
vault.hashicorp.com/agent-inject-secret-{{ $file }}: {{ $path | quote }}
vault.hashicorp.com/agent-inject-template-{{ $file }}: {{ printf "{{- with secret %q -}}{{- with .Data.data.%s -}}{{ . }}{{- end -}}{{- end -}}" $path $field | quote }}
vault.hashicorp.com/agent-inject-perms-{{ $file }}: "0440"
{{- end }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}

{{/*
What values.schema.json cannot say: a domain in two tenants, single-tenant values beside
tenants (the relay refuses GRAPH_*, ALLOWED_DOMAINS and EVENT_DETAILS beside TENANTS), and a
tenant's own Vault secret without a Vault reader.
*/}}
{{- define "calendar-relay.validateTenants" -}}
{{- if .Values.tenants }}
{{- $owner := dict }}
{{- range $name, $t := .Values.tenants }}
{{- range $domain := $t.domains }}
{{- with get $owner $domain }}
{{- fail (printf "%s is in tenants.%s.domains and tenants.%s.domains: a domain belongs to one tenant only (the relay routes each mailbox to the tenant of its domain)" $domain . $name) }}
{{- end }}
{{- $_ := set $owner $domain $name }}
{{- end }}
{{- if and (eq $t.secrets.source "tenantVault") (not (has $.Values.secrets.source (list "vault" "vaultAgent"))) }}
{{- fail (printf "tenants.%s.secrets.source tenantVault reads the tenant's own Vault secret, which needs secrets.source vault or vaultAgent (it is %s): use relaySecret (tenant_%s_* keys in the relay's secrets) or existingSecret" $name $.Values.secrets.source ($name | replace "-" "_")) }}
{{- end }}
{{- end }}
{{- $c := .Values.config }}
{{- range $value := list "graphAuthority" "graphEndpoint" "graphAnchorMailbox" "allowedDomains" }}
{{- if get $c $value }}
{{- fail (printf "config.%s is for one tenant; with tenants set each tenant has its own (tenants.<name>.%s)" $value (get (dict "graphAuthority" "graph.authority" "graphEndpoint" "graph.endpoint" "graphAnchorMailbox" "graph.anchorMailbox" "allowedDomains" "domains") $value)) }}
{{- end }}
{{- end }}
{{- if ne (toJson $c.eventDetails) "false" }}
{{- fail "config.eventDetails is for one tenant; with tenants set each tenant has its own (tenants.<name>.eventDetails)" }}
{{- end }}
{{- if ne (int $c.graphConcurrency) 4 }}
{{- fail "config.graphConcurrency is for one tenant's app; with tenants set each tenant's app has its own (tenants.<name>.graph.concurrency)" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
The Vault policy the relay's login needs (NOTES.txt prints it): read on the relay's secret and
on each tenant's own secret, nothing else (docs/vault.md, "The policy").
*/}}
{{- define "calendar-relay.vaultPolicy" -}}
path "{{ include "calendar-relay.vaultDataPath" . }}" {
  capabilities = ["read"]
}
{{- range $name, $t := .Values.tenants }}
{{- if eq $t.secrets.source "tenantVault" }}
path "{{ include "calendar-relay.tenantVaultDataPath" (dict "root" $ "tenant" $t) }}" {
  capabilities = ["read"]
}
{{- end }}
{{- end }}
{{- end }}
