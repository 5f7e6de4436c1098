{{/* Names and labels, the usual helm-create shape. */}}
{{- define "calendar-relay.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "calendar-relay.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "calendar-relay.selectorLabels" -}}
app.kubernetes.io/name: {{ include "calendar-relay.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "calendar-relay.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "calendar-relay.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: calendar-relay
{{- end }}

{{- define "calendar-relay.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "calendar-relay.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "calendar-relay.image" -}}
{{- $tag := default .Chart.AppVersion .Values.image.tag }}
{{- if .Values.image.digest }}
{{- printf "%s:%s@%s" .Values.image.repository $tag .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository $tag }}
{{- end }}
{{- end }}

{{/* Where secrets files are read from, for the file-based sources (SECRETS_DIR). */}}
{{- define "calendar-relay.secretsDir" -}}
{{- if eq .Values.secrets.source "vaultAgent" }}/vault/secrets
{{- else if eq .Values.secrets.source "csi" }}{{ .Values.secrets.csi.mountPath }}
{{- end }}
{{- end }}

{{/* The KV v2 API path of the relay's secret (what a Vault policy and the agent refer to). */}}
{{- define "calendar-relay.vaultDataPath" -}}
{{- printf "%s/data/%s" (trimSuffix "/" .Values.vault.kvMount) (trimPrefix "/" .Values.vault.secretPath) }}
{{- end }}

{{/* In-app Vault with the kubernetes method and a projected, audience-bound token. */}}
{{- define "calendar-relay.projectedVaultToken" -}}
{{- if and (eq .Values.secrets.source "vault") (eq .Values.vault.auth "kubernetes") .Values.vault.kubernetes.audience }}true{{ end }}
{{- end }}

{{/*
The pod mounts the API-server service-account token only where something logs in to Vault with
it: the relay (kubernetes method, standard path) or the injected Vault Agent.
*/}}
{{- define "calendar-relay.automountToken" -}}
{{- if eq .Values.secrets.source "vaultAgent" }}true
{{- else if and (eq .Values.secrets.source "vault") (eq .Values.vault.auth "kubernetes") (not .Values.vault.kubernetes.audience) }}true
{{- else }}false
{{- end }}
{{- end }}

{{- define "calendar-relay.probeScheme" -}}
{{- if .Values.tls.secretName }}HTTPS{{ else }}HTTP{{ end }}
{{- end }}

{{/*
Checks the schema cannot express (it has no arithmetic): the grace period must cover the
preStop sleep, the readiness drain and one full lookup, or Kubernetes kills the relay mid-answer.
*/}}
{{- define "calendar-relay.validate" -}}
{{- $preStopMs := mul .Values.shutdown.preStopSleepSeconds 1000 }}
{{- $needMs := add $preStopMs .Values.shutdown.drainMs .Values.config.graphDeadlineMs }}
{{- $graceMs := mul .Values.shutdown.terminationGracePeriodSeconds 1000 }}
{{- if le (int64 $graceMs) (int64 $needMs) }}
{{- fail (printf "shutdown.terminationGracePeriodSeconds (%d s) must exceed shutdown.preStopSleepSeconds + shutdown.drainMs + config.graphDeadlineMs (%d ms): Kubernetes would kill the relay while it still drains or answers" (int64 .Values.shutdown.terminationGracePeriodSeconds) (int64 $needMs)) }}
{{- end }}
{{- end }}

{{/*
The Google admin console settings (NOTES.txt prints this; kept here so the chart tests can
render it, as `helm template` skips NOTES.txt).
*/}}
{{- define "calendar-relay.notes" -}}
{{- $fullname := include "calendar-relay.fullname" . -}}
{{- $host := "" -}}
{{- if and .Values.httpRoute.enabled .Values.httpRoute.hostnames -}}
{{- $host = first .Values.httpRoute.hostnames -}}
{{- else if .Values.ingress.enabled -}}
{{- $host = .Values.ingress.host -}}
{{- end -}}
Calendar Relay {{ .Chart.AppVersion }} is installed as {{ $fullname }} in namespace {{ .Release.Namespace }}.

Google Admin console > Apps > Google Workspace > Calendar > Calendar Interop management:
{{- if $host }}
  Exchange Web Services URL:     https://{{ $host }}/EWS/Exchange.asmx
  Token endpoint URL:            https://{{ $host }}/token
{{- else }}
  Exchange Web Services URL:     https://<public host>/EWS/Exchange.asmx
  Token endpoint URL:            https://<public host>/token
  (httpRoute.enabled and ingress.enabled are false: Google needs HTTPS on port 443 with a
  publicly trusted certificate; expose Service {{ $fullname }} port {{ .Values.service.port }}
  that way first, preferably through a Gateway: httpRoute.parentRefs.)
{{- end }}
  Exchange Role Account:         any address in the target domain, e.g. interop@<domain>
  Authentication:                OAuth 2.0 client credentials
{{- if eq .Values.secrets.source "vault" "vaultAgent" }}
  Application (client) ID:       google_client_id of Vault KV v2 secret {{ .Values.vault.kvMount }}/{{ .Values.vault.secretPath }}
                                 (vault kv get -mount={{ .Values.vault.kvMount }} -field=google_client_id {{ .Values.vault.secretPath }})
  Client secret:                 google_client_secret of the same secret
{{- else if eq .Values.secrets.source "csi" }}
  Application (client) ID:       the google_client_id object of SecretProviderClass {{ .Values.secrets.csi.secretProviderClass }}
  Client secret:                 its google_client_secret object
{{- else }}
  Application (client) ID:       kubectl -n {{ .Release.Namespace }} get secret {{ .Values.secrets.existingSecret }} -o jsonpath='{.data.GOOGLE_CLIENT_ID}' | base64 -d
  Client secret:                 the GOOGLE_CLIENT_SECRET key of the same Secret
{{- end }}
{{- if .Values.config.allowedDomains }}
  Additional Exchange endpoints: one per further domain ({{ join ", " .Values.config.allowedDomains }}),
                                 same URLs and credentials
{{- end }}
{{- if .Values.tenants }}
  Additional Exchange endpoints: one per domain of each tenant, all with the URLs above; the
                                 client id and secret above unless the tenant has its own:
{{- range $name, $t := .Values.tenants }}
{{- $file := printf "%sgoogle_client_id" (include "calendar-relay.tenantPrefix" $name | lower) }}
    tenant {{ $name }}: {{ join ", " $t.domains }}
{{- if $t.ownGoogleClient }}
{{- if eq $t.secrets.source "existingSecret" }}
      its own client: key {{ $t.secrets.existingSecret.keys.googleClientId }} (and {{ $t.secrets.existingSecret.keys.googleClientSecret }}) of Secret {{ $t.secrets.existingSecret.name }}
{{- else if eq $t.secrets.source "tenantVault" }}
      its own client: google_client_id (and google_client_secret) of Vault KV v2 secret {{ $.Values.vault.kvMount }}/{{ $t.vaultSecretPath }}
{{- else }}
      its own client: {{ $file }} (and {{ trimSuffix "_id" $file }}_secret) of the relay's secrets
{{- end }}
{{- end }}
{{- end }}
{{- end }}
{{- if has .Values.secrets.source (list "vault" "vaultAgent") }}

The Vault policy {{ if eq .Values.secrets.source "vault" }}the relay logs in with{{ else }}of the Vault Agent's role{{ end }} needs read on these secrets, nothing else:
{{ include "calendar-relay.vaultPolicy" . | indent 2 }}
{{- end }}

Check it from inside the cluster:
  kubectl -n {{ .Release.Namespace }} port-forward svc/{{ $fullname }} 8080:{{ .Values.service.port }}
  curl -sk {{ include "calendar-relay.probeScheme" . | lower }}://127.0.0.1:8080/health/ready
{{- if .Values.httpRoute.enabled }}
that the Gateway accepted both routes (Accepted and ResolvedRefs True for each parent):
  kubectl -n {{ .Release.Namespace }} get httproute {{ $fullname }} {{ include "calendar-relay.tokenRouteName" . }} -o jsonpath='{range .items[*]}{.metadata.name}{": "}{range .status.parents[*].conditions[*]}{.type}={.status}{" "}{end}{"\n"}{end}'
{{- end }}
{{- if $host }}
and as Google will:
  curl -s https://{{ $host }}/token -d grant_type=client_credentials -d client_id=<id> -d client_secret=<secret>
{{- end }}
{{- end }}

{{/* The HTTPRoute of /token and /health-check (httproute.yaml); its suffix survives truncation. */}}
{{- define "calendar-relay.tokenRouteName" -}}
{{- printf "%s-token" (include "calendar-relay.fullname" . | trunc 57 | trimSuffix "-") }}
{{- end }}

{{/*
The namespaces of the Gateways the HTTPRoutes attach to (a parentRef without one means the
release namespace), as a JSON list without repeats.
*/}}
{{- define "calendar-relay.gatewayNamespaces" -}}
{{- $namespaces := list }}
{{- range .Values.httpRoute.parentRefs }}
{{- $namespaces = append $namespaces (default $.Release.Namespace .namespace) }}
{{- end }}
{{- $namespaces | uniq | toJson }}
{{- end }}
