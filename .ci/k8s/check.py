"""Checks the rendered Kubernetes manifests and the Grafana dashboard (run by .ci/k8s.sh).

* Every resource of Kubernetes' own kinds validates against the API schemas of each
  version given, strictly: an unknown field fails, and so does a kind with no schema.
* Custom resources (only the Prometheus Operator's ServiceMonitor) have no schema there:
  they validate against the pydantic models generated from the operator's CRDs, which
  check types, enums and patterns but let unknown fields through.
* The orchestrator's Deployment keeps what the drain and the probes need, and the base
  holds no Secret.
* The dashboard's queries parse as PromQL and name only metrics the binary exports, and
  every exported metric has a panel.

Usage: check.py --versions 1.30.0,1.37.0 --dashboard FILE RENDERED.yaml…
Exits 1 after printing every problem found.
"""

import argparse
import json
import re
import sys
from pathlib import Path

import kubernetes_validate
import promql_parser
import yaml
from cloudcoil.models.prometheus_operator import v1 as prometheus_operator
from pydantic import ValidationError

# Custom resources, by (apiVersion, kind), and the model that validates each.
CUSTOM_KINDS = {
    ("monitoring.coreos.com/v1", "ServiceMonitor"): prometheus_operator.ServiceMonitor,
}

# The Deployment, and its container, that run `onboard serve` (the image's entrypoint).
ORCHESTRATOR = "onboard"

# server.shutdown_grace_secs where nothing sets it (config/default.toml).
DEFAULT_SHUTDOWN_GRACE_SECS = 20

# What the binary exports at /metrics. Histograms are named without their suffixes.
HISTOGRAMS = {
    "onboard_party_call_duration_seconds",
    "onboard_saga_duration_seconds",
    "onboard_http_request_duration_seconds",
}
SERIES = {
    "onboard_live_actors",
    "onboard_waiting_sagas",
    "onboard_paused_sagas",
    "onboard_party_calls_waiting",
    "onboard_sagas_created_total",
    "onboard_transitions_total",
    "onboard_party_calls_total",
    "onboard_lease_takeovers_total",
    "onboard_leases_lost_total",
    "onboard_retention_purged_total",
}
HISTOGRAM_SUFFIXES = ("_bucket", "_count", "_sum")

# Grafana's variables, replaced by values of their kind before a query is parsed.
GRAFANA_VARIABLES = {
    "$__rate_interval": "5m",
    "$__interval": "1m",
    "$__range": "1h",
    "${datasource}": "prometheus",
    "$namespace": ".*",
    "$pod": ".*",
}


class Problems:
    """Collects every problem, so that one run shows all of them."""

    def __init__(self):
        self.items = []

    def add(self, where, what):
        self.items.append(f"{where}: {what}")


def load(path):
    return [doc for doc in yaml.safe_load_all(Path(path).read_text()) if doc]


def name_of(resource):
    return f"{resource['kind']}/{resource['metadata']['name']}"


def validate_resources(path, resources, versions, problems):
    for resource in resources:
        where = f"{path} {name_of(resource)}"
        model = CUSTOM_KINDS.get((resource["apiVersion"], resource["kind"]))
        if model is not None:
            try:
                model.model_validate(resource)
            except ValidationError as error:
                problems.add(where, f"does not match its CRD: {error}")
            continue
        for version in versions:
            try:
                kubernetes_validate.validate(resource, version, strict=True)
            except kubernetes_validate.ValidationError as error:
                problems.add(where, f"invalid for Kubernetes {version}: {error.message} "
                             f"at {'/'.join(str(p) for p in error.path)}")
            except kubernetes_validate.SchemaNotFoundError:
                problems.add(where, f"no schema in Kubernetes {version} (a typo in kind or "
                             "apiVersion, or a custom resource missing from CUSTOM_KINDS)")


def env_value(container, config_maps, name):
    """The value the container sees for `name`: its own env first, then envFrom."""
    for entry in container.get("env", []):
        if entry["name"] == name and "value" in entry:
            return entry["value"]
    for source in container.get("envFrom", []):
        ref = source.get("configMapRef")
        if ref and name in config_maps.get(ref["name"], {}):
            return config_maps[ref["name"]][name]
    return None


def check_orchestrator(path, resources, problems):
    config_maps = {r["metadata"]["name"]: r.get("data", {})
                   for r in resources if r["kind"] == "ConfigMap"}
    deployments = [r for r in resources if r["kind"] == "Deployment"
                   and r["metadata"]["name"] == ORCHESTRATOR]
    if len(deployments) != 1:
        problems.add(path, f"expected one Deployment {ORCHESTRATOR}, found {len(deployments)}")
        return
    deployment = deployments[0]
    where = f"{path} {name_of(deployment)}"
    pod = deployment["spec"]["template"]["spec"]
    containers = [c for c in pod["containers"] if c["name"] == ORCHESTRATOR]
    if len(containers) != 1:
        problems.add(where, f"expected one container {ORCHESTRATOR}")
        return
    container = containers[0]

    grace = int(env_value(container, config_maps, "ONBOARD_SERVER__SHUTDOWN_GRACE_SECS")
                or DEFAULT_SHUTDOWN_GRACE_SECS)
    pre_stop = container.get("lifecycle", {}).get("preStop", {}).get("sleep", {}).get("seconds", 0)
    termination = pod.get("terminationGracePeriodSeconds", 30)
    if termination <= pre_stop + 2 * grace:
        problems.add(where, f"terminationGracePeriodSeconds {termination} is not above the "
                     f"preStop pause ({pre_stop}) plus two drain phases of {grace} s")

    probes = {"readinessProbe": "/readyz", "livenessProbe": "/healthz"}
    for probe, wanted in probes.items():
        got = container.get(probe, {}).get("httpGet", {}).get("path")
        if got != wanted:
            problems.add(where, f"{probe} is {got!r}, not {wanted}")

    pod_security = pod.get("securityContext", {})
    security = container.get("securityContext", {})
    if not security.get("runAsNonRoot", pod_security.get("runAsNonRoot")):
        problems.add(where, "runAsNonRoot is not set")
    expectations = {
        "readOnlyRootFilesystem": security.get("readOnlyRootFilesystem") is True,
        "allowPrivilegeEscalation: false": security.get("allowPrivilegeEscalation") is False,
        "capabilities drop ALL": "ALL" in security.get("capabilities", {}).get("drop", []),
        "seccomp RuntimeDefault": (security.get("seccompProfile") or pod_security.get(
            "seccompProfile", {})).get("type") == "RuntimeDefault",
        "resource requests and limits": {"requests", "limits"} <= set(container.get("resources", {})),
    }
    for what, holds in expectations.items():
        if not holds:
            problems.add(where, f"{what} is not set")
    if env_value(container, config_maps, "ONBOARD_SANDBOX__ENABLED") != "false":
        problems.add(where, "ONBOARD_SANDBOX__ENABLED is not \"false\"")


def check_no_secrets(path, resources, problems):
    for resource in resources:
        if resource["kind"] == "Secret":
            problems.add(path, f"{name_of(resource)}: the base must only name Secrets, never hold one")


def exported(metric):
    if metric in SERIES:
        return True
    return any(metric == h + s for h in HISTOGRAMS for s in HISTOGRAM_SUFFIXES)


def check_dashboard(path, problems):
    dashboard = json.loads(Path(path).read_text())
    variables = [v["name"] for v in dashboard["templating"]["list"]]
    if "datasource" not in variables:
        problems.add(path, "no `datasource` variable")
    seen = set()
    panels = [p for p in dashboard["panels"] if p["type"] != "row"]
    for panel in panels:
        where = f"{path} panel {panel['title']!r}"
        if panel.get("datasource", {}).get("uid") != "${datasource}":
            problems.add(where, "does not use the ${datasource} variable")
        if not panel.get("targets"):
            problems.add(where, "has no query")
        for target in panel.get("targets", []):
            expr = target["expr"]
            for variable, value in GRAFANA_VARIABLES.items():
                expr = expr.replace(variable, value)
            try:
                promql_parser.parse(expr)
            except ValueError as error:
                problems.add(where, f"query does not parse ({error}): {target['expr']}")
            for metric in re.findall(r"\bonboard_[a-z_]+", expr):
                if not exported(metric):
                    problems.add(where, f"names {metric}, which Onboard does not export")
                seen.add(metric)
    for metric in sorted(SERIES | HISTOGRAMS):
        names = {metric} | {metric + s for s in HISTOGRAM_SUFFIXES}
        if not names & seen:
            problems.add(path, f"no panel shows {metric}")
    return len(panels)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--versions", required=True)
    parser.add_argument("--dashboard", required=True)
    parser.add_argument("--base", required=True, help="the rendered base")
    parser.add_argument("overlays", nargs="+", help="the rendered overlays")
    args = parser.parse_args()
    versions = args.versions.split(",")

    problems = Problems()
    total = 0
    for path in [args.base, *args.overlays]:
        resources = load(path)
        total += len(resources)
        validate_resources(path, resources, versions, problems)
        check_orchestrator(path, resources, problems)
    check_no_secrets(args.base, load(args.base), problems)
    panels = check_dashboard(args.dashboard, problems)

    for problem in problems.items:
        print(f"FAILED {problem}", file=sys.stderr)
    if problems.items:
        sys.exit(1)
    print(f"k8s: {total} resources in {1 + len(args.overlays)} renders valid for Kubernetes "
          f"{', '.join(versions)}; the orchestrator's drain, probes and security context "
          f"hold; {panels} dashboard panels parse")


if __name__ == "__main__":
    main()
