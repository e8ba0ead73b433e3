{{/* Chart name, truncated to the 63 characters a label value allows. */}}
{{- define "parapet.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Base name of every object: the release name, unless it already contains the chart name. */}}
{{- define "parapet.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 40 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 40 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "parapet.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: {{ include "parapet.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: parapet
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* Selector labels of one role; call with (dict "ctx" $ "role" "controller"). */}}
{{- define "parapet.selectorLabels" -}}
app.kubernetes.io/name: {{ include "parapet.name" .ctx }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .role }}
{{- end }}

{{- define "parapet.roleLabels" -}}
{{ include "parapet.labels" .ctx }}
app.kubernetes.io/component: {{ .role }}
{{- end }}

{{- define "parapet.controller.fullname" -}}
{{ include "parapet.fullname" . }}-controller
{{- end }}

{{- define "parapet.webhook.fullname" -}}
{{ include "parapet.fullname" . }}-webhook
{{- end }}

{{- define "parapet.webhook.tlsSecretName" -}}
{{- if eq .Values.webhook.tls.mode "secret" }}
{{- required "webhook.tls.secret.name is required when webhook.tls.mode=secret" .Values.webhook.tls.secret.name }}
{{- else }}
{{- include "parapet.fullname" . }}-webhook-tls
{{- end }}
{{- end }}

{{- define "parapet.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/* Pod-level security context shared by both roles. */}}
{{- define "parapet.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 185
runAsGroup: 185
fsGroup: 185
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{/* Container-level security context shared by both roles. */}}
{{- define "parapet.containerSecurityContext" -}}
runAsNonRoot: true
runAsUser: 185
runAsGroup: 185
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
privileged: false
capabilities:
  drop:
    - ALL
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{/*
Env common to both roles: management interface (health + metrics), no CRD writes, and no
start-up preflight. The preflight (one API-server call, 3 s timeout, exit 2) is for laptop runs;
in a pod a slow API server at start would turn it into a restart loop, and the Quarkus
Kubernetes client and the probes already handle an API server that answers late.
*/}}
{{- define "parapet.commonEnv" -}}
- name: PARAPET_PREFLIGHT_SKIP
  value: "true"
- name: QUARKUS_LOG_CONSOLE_JSON_ENABLED
  value: {{ eq .Values.logging.format "json" | quote }}
- name: QUARKUS_MANAGEMENT_ENABLED
  value: "true"
- name: QUARKUS_MANAGEMENT_PORT
  value: "9000"
- name: QUARKUS_OPERATOR_SDK_CRD_APPLY
  value: "false"
- name: QUARKUS_OPERATOR_SDK_CRD_VALIDATE
  value: "false"
{{- end }}

{{/* Probes on the Quarkus management interface (plain HTTP 9000). */}}
{{- define "parapet.probes" -}}
startupProbe:
  httpGet:
    path: /q/health/live
    port: management
  periodSeconds: 2
  failureThreshold: 60
livenessProbe:
  httpGet:
    path: /q/health/live
    port: management
  periodSeconds: 10
  timeoutSeconds: 2
  failureThreshold: 3
readinessProbe:
  httpGet:
    path: /q/health/ready
    port: management
  periodSeconds: 5
  timeoutSeconds: 2
  failureThreshold: 3
{{- end }}

{{/* Refuse values that would hand AWS credentials to the webhook. */}}
{{- define "parapet.validate" -}}
{{- if hasKey .Values.webhook.serviceAccount.annotations "eks.amazonaws.com/role-arn" }}
{{- fail "webhook.serviceAccount.annotations must not set eks.amazonaws.com/role-arn: the webhook holds no AWS credentials; set controller.irsa.roleArn instead" }}
{{- end }}
{{- range .Values.webhook.extraEnv }}
{{- if hasPrefix "AWS_" (upper .name) }}
{{- fail (printf "webhook.extraEnv must not set %s: the webhook holds no AWS credentials or settings; put AWS settings on the controller" .name) }}
{{- end }}
{{- end }}
{{- if and (eq .Values.webhook.tls.mode "secret") (not .Values.webhook.tls.secret.caBundle) }}
{{- fail "webhook.tls.secret.caBundle is required when webhook.tls.mode=secret (base64 PEM of the CA that signed the Secret's certificate)" }}
{{- end }}
{{- end }}

{{/*
The chart-generated webhook TLS material (webhook.tls.mode=helm), computed once per render and
shared by the Secret, the caBundle and the pods' checksum annotation. An existing Secret (found
with `lookup` on install/upgrade against a cluster) is reused so `helm upgrade` does not rotate;
webhook.tls.helm.forceRotate=true issues a new CA and certificate. `helm template` and client-side
dry runs cannot look up, so they always generate fresh material.
*/}}
{{- define "parapet.webhook.generatedTls" -}}
{{- include "parapet.validate" . }}
{{- $cache := .Release }}
{{- if not (hasKey $cache "parapetWebhookTls") }}
{{- $secretName := include "parapet.webhook.tlsSecretName" . }}
{{- $existing := lookup "v1" "Secret" .Release.Namespace $secretName }}
{{- $data := dict }}
{{- if and $existing $existing.data }}{{ $data = $existing.data }}{{ end }}
{{- if and (not .Values.webhook.tls.helm.forceRotate) (index $data "ca.crt") (index $data "tls.crt") (index $data "tls.key") }}
{{- $_ := set $cache "parapetWebhookTls" (dict "caCert" (index $data "ca.crt") "cert" (index $data "tls.crt") "key" (index $data "tls.key")) }}
{{- else }}
{{- $svc := include "parapet.webhook.fullname" . }}
{{- $ns := .Release.Namespace }}
{{- $days := int .Values.webhook.tls.helm.validityDays }}
{{- $ca := genCA (printf "%s-ca" $svc) $days }}
{{- $dns := list $svc (printf "%s.%s" $svc $ns) (printf "%s.%s.svc" $svc $ns) (printf "%s.%s.svc.cluster.local" $svc $ns) }}
{{- $cert := genSignedCert (printf "%s.%s.svc" $svc $ns) nil $dns $days $ca }}
{{- $_ := set $cache "parapetWebhookTls" (dict "caCert" ($ca.Cert | b64enc) "cert" ($cert.Cert | b64enc) "key" ($cert.Key | b64enc)) }}
{{- end }}
{{- end }}
{{- toJson (get $cache "parapetWebhookTls") }}
{{- end }}

{{/* The base64 CA bundle the API server trusts, for helm and secret modes (empty for certManager: injected). */}}
{{- define "parapet.webhook.caBundle" -}}
{{- if eq .Values.webhook.tls.mode "helm" }}
{{- (include "parapet.webhook.generatedTls" . | fromJson).caCert }}
{{- else if eq .Values.webhook.tls.mode "secret" }}
{{- .Values.webhook.tls.secret.caBundle }}
{{- end }}
{{- end }}

{{/* A duration of one unit (90m, 13h, 2d; the schema allows only these) in seconds. */}}
{{- define "parapet.durationSeconds" -}}
{{- $n := regexFind "^[0-9]+" . | int -}}
{{- $unit := regexFind "[smhd]$" . -}}
{{- mul $n (get (dict "s" 1 "m" 60 "h" 3600 "d" 86400) $unit) -}}
{{- end -}}
