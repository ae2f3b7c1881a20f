#!/usr/bin/env python3
"""Regenerate plimsoll's bundled Kubernetes schemas.

Usage (from anywhere):

    python3 schemas/generate.py               # download the pinned wheel with pip
    python3 schemas/generate.py --wheel FILE  # use an already-downloaded wheel

The data comes from the PyPI package ``kubernetes-validate`` (Apache-2.0),
which ships the Kubernetes OpenAPI definitions converted to JSON Schema.  For
each Kubernetes minor version in ``MINORS`` this script reads
``kubernetes_validate/kubernetes-json-schema/v1.X.0-local-strict/_definitions.json``
from the wheel (without extracting it), strips annotations (descriptions,
defaults, ``x-*`` extensions), adds the enums listed in ``ENUM_PATCHES`` and
writes ``schemas/kubernetes/v1.X.json.gz``.  It also writes
``schemas/kubernetes/LICENSE`` (copied from the wheel) and
``schemas/kubernetes/NOTICE``.

Output is deterministic: compact JSON with sorted keys, gzip with mtime=0.
Only the Python 3.11 standard library is used (pip runs as a subprocess).
See schemas/README.md.
"""

from __future__ import annotations

import argparse
import copy
import gzip
import hashlib
import json
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

# --------------------------------------------------------------------------
# Pinned source.  To bump: change these constants (see schemas/README.md).
# --------------------------------------------------------------------------
KV_PACKAGE = "kubernetes-validate"
KV_VERSION = "1.37.0"
# sha256 of kubernetes_validate-1.37.0-py3-none-any.whl as served by PyPI.
KV_WHEEL_SHA256 = "85136d018a27b50ec7fc049d902bfa5193f5976807e6c0f408e3ab6fe078cad9"
KV_UPSTREAM = "https://github.com/willthames/kubernetes-validate"
# Kubernetes minor versions to generate (1.25 .. 1.37 inclusive).
MINORS = range(25, 38)

SCHEMA_DIR_TEMPLATE = "kubernetes_validate/kubernetes-json-schema/v1.{minor}.0-local-strict/_definitions.json"
LICENSE_PATH_TEMPLATE = "kubernetes_validate-{version}.dist-info/licenses/LICENSE"

OUT_DIR = Path(__file__).resolve().parent / "kubernetes"
OUT_NAME_RE = re.compile(r"^v1\.(\d+)\.json\.gz$")

# --------------------------------------------------------------------------
# Enum patches: string enums that the Kubernetes OpenAPI data lacks.
#
# Each entry: (groups, type name, property, values[, min_minor[, max_minor]])
#   groups    - definition-name prefixes *without* the API version, e.g.
#               "io.k8s.api.core" matches io.k8s.api.core.v1.<Type>; every API
#               version of the group (v1, v2, v2beta2, ...) present in the data
#               is patched.
#   property  - a string property (enum goes on the property) or an array of
#               strings (enum goes on `items`).
#   min/max   - optional inclusive Kubernetes minor-version bounds, for value
#               sets that changed between releases.
# A definition or property missing in a given version is skipped silently.
# Values verified against the Go constants in kubernetes/api (see README).
# --------------------------------------------------------------------------
CORE = ("io.k8s.api.core",)
APPS = ("io.k8s.api.apps",)
BATCH = ("io.k8s.api.batch",)
NETWORKING = ("io.k8s.api.networking",)
POLICY = ("io.k8s.api.policy",)
AUTOSCALING = ("io.k8s.api.autoscaling",)
META = ("io.k8s.apimachinery.pkg.apis.meta",)
DISCOVERY = ("io.k8s.api.discovery",)

PROTOCOL = ["SCTP", "TCP", "UDP"]
PULL_POLICY = ["Always", "IfNotPresent", "Never"]
TERMINATION_MESSAGE_POLICY = ["FallbackToLogsOnError", "File"]
SECCOMP_APPARMOR_TYPE = ["Localhost", "RuntimeDefault", "Unconfined"]
TRAFFIC_POLICY = ["Cluster", "Local"]
VOLUME_MODE = ["Block", "Filesystem"]
ACCESS_MODES = ["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"]
TAINT_EFFECT = ["NoExecute", "NoSchedule", "PreferNoSchedule"]
ON_DELETE_ROLLING = ["OnDelete", "RollingUpdate"]
DELETE_RETAIN = ["Delete", "Retain"]

ENUM_PATCHES: list[tuple] = [
    # core/v1 ports and protocols
    (CORE, "ContainerPort", "protocol", PROTOCOL),
    (CORE, "ServicePort", "protocol", PROTOCOL),
    (CORE, "EndpointPort", "protocol", PROTOCOL),
    (DISCOVERY, "EndpointPort", "protocol", PROTOCOL),
    (NETWORKING, "NetworkPolicyPort", "protocol", PROTOCOL),
    # containers
    (CORE, "Container", "imagePullPolicy", PULL_POLICY),
    (CORE, "EphemeralContainer", "imagePullPolicy", PULL_POLICY),
    (CORE, "Container", "terminationMessagePolicy", TERMINATION_MESSAGE_POLICY),
    (CORE, "EphemeralContainer", "terminationMessagePolicy", TERMINATION_MESSAGE_POLICY),
    # Container.restartPolicy appeared in 1.28 (sidecars, "Always" only); 1.34
    # added per-container restart rules and widened ContainerRestartPolicy.
    (CORE, "Container", "restartPolicy", ["Always"], 25, 33),
    (CORE, "Container", "restartPolicy", ["Always", "Never", "OnFailure"], 34),
    (CORE, "VolumeMount", "mountPropagation", ["Bidirectional", "HostToContainer", "None"]),
    (CORE, "HTTPGetAction", "scheme", ["HTTP", "HTTPS"]),
    (CORE, "SecurityContext", "procMount", ["Default", "Unmasked"]),
    (CORE, "SeccompProfile", "type", SECCOMP_APPARMOR_TYPE),
    (CORE, "AppArmorProfile", "type", SECCOMP_APPARMOR_TYPE),
    # pods
    (CORE, "PodSpec", "restartPolicy", ["Always", "Never", "OnFailure"]),
    (CORE, "PodSpec", "dnsPolicy", ["ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"]),
    (CORE, "PodSpec", "preemptionPolicy", ["Never", "PreemptLowerPriority"]),
    (CORE, "PodSecurityContext", "fsGroupChangePolicy", ["Always", "OnRootMismatch"]),
    (CORE, "TopologySpreadConstraint", "whenUnsatisfiable", ["DoNotSchedule", "ScheduleAnyway"]),
    (CORE, "TopologySpreadConstraint", "nodeAffinityPolicy", ["Honor", "Ignore"]),
    (CORE, "TopologySpreadConstraint", "nodeTaintsPolicy", ["Honor", "Ignore"]),
    # Toleration operators Lt/Gt were added in 1.35 (TaintTolerationComparisonOperators).
    (CORE, "Toleration", "operator", ["Equal", "Exists"], 25, 34),
    (CORE, "Toleration", "operator", ["Equal", "Exists", "Gt", "Lt"], 35),
    (CORE, "Toleration", "effect", TAINT_EFFECT),
    (CORE, "Taint", "effect", TAINT_EFFECT),
    (CORE, "NodeSelectorRequirement", "operator", ["DoesNotExist", "Exists", "Gt", "In", "Lt", "NotIn"]),
    (META, "LabelSelectorRequirement", "operator", ["DoesNotExist", "Exists", "In", "NotIn"]),
    # volumes
    (CORE, "HostPathVolumeSource", "type",
     ["", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"]),
    (CORE, "PersistentVolumeClaimSpec", "volumeMode", VOLUME_MODE),
    (CORE, "PersistentVolumeSpec", "volumeMode", VOLUME_MODE),
    (CORE, "PersistentVolumeClaimSpec", "accessModes", ACCESS_MODES),
    (CORE, "PersistentVolumeSpec", "accessModes", ACCESS_MODES),
    (CORE, "PersistentVolumeSpec", "persistentVolumeReclaimPolicy", ["Delete", "Recycle", "Retain"]),
    # services
    (CORE, "ServiceSpec", "type", ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"]),
    (CORE, "ServiceSpec", "sessionAffinity", ["ClientIP", "None"]),
    (CORE, "ServiceSpec", "externalTrafficPolicy", TRAFFIC_POLICY),
    (CORE, "ServiceSpec", "internalTrafficPolicy", TRAFFIC_POLICY),
    (CORE, "ServiceSpec", "ipFamilyPolicy", ["PreferDualStack", "RequireDualStack", "SingleStack"]),
    (CORE, "ServiceSpec", "ipFamilies", ["IPv4", "IPv6"]),
    # apps
    (APPS, "DeploymentStrategy", "type", ["Recreate", "RollingUpdate"]),
    (APPS, "StatefulSetUpdateStrategy", "type", ON_DELETE_ROLLING),
    (APPS, "DaemonSetUpdateStrategy", "type", ON_DELETE_ROLLING),
    (APPS, "StatefulSetSpec", "podManagementPolicy", ["OrderedReady", "Parallel"]),
    (APPS, "StatefulSetPersistentVolumeClaimRetentionPolicy", "whenDeleted", DELETE_RETAIN),
    (APPS, "StatefulSetPersistentVolumeClaimRetentionPolicy", "whenScaled", DELETE_RETAIN),
    # batch
    (BATCH, "CronJobSpec", "concurrencyPolicy", ["Allow", "Forbid", "Replace"]),
    (BATCH, "JobSpec", "completionMode", ["Indexed", "NonIndexed"]),
    (BATCH, "JobSpec", "podReplacementPolicy", ["Failed", "TerminatingOrFailed"]),
    # FailIndex was added in 1.28 (JobBackoffLimitPerIndex).
    (BATCH, "PodFailurePolicyRule", "action", ["Count", "FailJob", "Ignore"], 25, 27),
    (BATCH, "PodFailurePolicyRule", "action", ["Count", "FailIndex", "FailJob", "Ignore"], 28),
    # networking
    (NETWORKING, "NetworkPolicySpec", "policyTypes", ["Egress", "Ingress"]),
    (NETWORKING, "HTTPIngressPath", "pathType", ["Exact", "ImplementationSpecific", "Prefix"]),
    # policy
    (POLICY, "PodDisruptionBudgetSpec", "unhealthyPodEvictionPolicy", ["AlwaysAllow", "IfHealthyBudget"]),
    # autoscaling (v2, and v2beta2 where still served)
    (AUTOSCALING, "MetricSpec", "type", ["ContainerResource", "External", "Object", "Pods", "Resource"]),
    (AUTOSCALING, "MetricTarget", "type", ["AverageValue", "Utilization", "Value"]),
    (AUTOSCALING, "HPAScalingRules", "selectPolicy", ["Disabled", "Max", "Min"]),
    (AUTOSCALING, "HPAScalingPolicy", "type", ["Percent", "Pods"]),
]

# Schema keywords whose value is a map of property name -> schema.
SCHEMA_MAP_KEYWORDS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
# Schema keywords whose value is a schema (or a boolean schema).
SCHEMA_KEYWORDS = ("items", "additionalProperties", "additionalItems", "not", "contains",
                   "propertyNames", "if", "then", "else", "unevaluatedItems", "unevaluatedProperties")
# Schema keywords whose value is a list of schemas.
SCHEMA_LIST_KEYWORDS = ("oneOf", "anyOf", "allOf", "prefixItems")
# Annotation keywords removed from every schema object.
DROP_KEYWORDS = ("description", "default", "$schema", "$id")
API_VERSION_SEGMENT = re.compile(r"^v\d+((alpha|beta)\d+)?$")


def log(msg: str) -> None:
    print(msg, flush=True)


def warn(msg: str) -> None:
    print(f"WARNING: {msg}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------
# Fetching
# --------------------------------------------------------------------------
def download_wheel(dest: Path) -> Path:
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
           "--disable-pip-version-check", f"{KV_PACKAGE}=={KV_VERSION}", "-d", str(dest)]
    log("$ " + " ".join(cmd))
    subprocess.run(cmd, check=True, stdout=sys.stderr)
    wheels = sorted(dest.glob("*.whl"))
    if len(wheels) != 1:
        sys.exit(f"error: expected exactly one wheel in {dest}, found {[w.name for w in wheels]}")
    return wheels[0]


def check_wheel(path: Path) -> None:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != KV_WHEEL_SHA256:
        sys.exit(f"error: {path.name} has sha256 {digest}, expected {KV_WHEEL_SHA256} "
                 f"(update KV_WHEEL_SHA256 when bumping KV_VERSION)")
    log(f"wheel {path.name} sha256 {digest} OK")


# --------------------------------------------------------------------------
# Transformations
# --------------------------------------------------------------------------
def strip_schema(node):
    """Return a copy of a schema with annotations removed.

    Walks only schema positions, so property *names* such as `description`
    or `x-kubernetes-list-type` (e.g. in JSONSchemaProps) are preserved.
    """
    if not isinstance(node, dict):  # boolean schema
        return node
    out = {}
    for key, value in node.items():
        if key in DROP_KEYWORDS or key.startswith("x-"):
            continue
        if key in SCHEMA_MAP_KEYWORDS:
            out[key] = {name: strip_schema(sub) for name, sub in value.items()}
        elif key in SCHEMA_KEYWORDS:
            out[key] = [strip_schema(s) for s in value] if isinstance(value, list) else strip_schema(value)
        elif key in SCHEMA_LIST_KEYWORDS:
            out[key] = [strip_schema(s) for s in value]
        else:
            # Keywords with plain values: type, format, enum, required, $ref, ...
            out[key] = copy.deepcopy(value)
    return out


def api_version_of(group: str, version: str) -> str:
    return version if group == "" else f"{group}/{version}"


def definition_matches_gv(def_name: str, group: str, version: str) -> bool:
    """Heuristic: does a definition name live in the given group/version?

    io.k8s.api.apps.v1.Deployment -> (..., "apps", "v1"); core ("" group) is
    io.k8s.api.core.v1; other groups match on their first DNS label.
    """
    parts = def_name.split(".")
    if len(parts) < 3 or parts[-2] != version:
        return False
    name_group = parts[-3]
    want = "core" if group == "" else group.split(".")[0]
    return name_group == want


def build_kinds(defs: dict) -> dict:
    candidates: dict[tuple[str, str], list[str]] = {}
    for def_name in sorted(defs):
        for gvk in defs[def_name].get("x-kubernetes-group-version-kind", []) or []:
            key = (api_version_of(gvk.get("group", ""), gvk["version"]), gvk["kind"])
            candidates.setdefault(key, []).append(def_name)
    kinds: dict[str, dict[str, str]] = {}
    for (api_version, kind), names in sorted(candidates.items()):
        chosen = names[0]
        if len(names) > 1:
            group, _, version = api_version.rpartition("/")
            matching = [n for n in names if definition_matches_gv(n, group, version)]
            chosen = matching[0] if matching else names[0]
            warn(f"{api_version} {kind} maps to {len(names)} definitions {names}; using {chosen}")
        kinds.setdefault(api_version, {})[kind] = chosen
    return kinds


def type_list(schema: dict) -> list:
    t = schema.get("type")
    if t is None:
        return []
    return t if isinstance(t, list) else [t]


def set_enum(schema: dict, values: list[str]) -> bool:
    """Put `values` as the enum of a string schema; keep null if allowed."""
    types = type_list(schema)
    if "string" not in types:
        return False
    enum = list(values)
    if "null" in types:
        enum.append(None)
    schema["enum"] = enum
    return True


def definitions_for(defs: dict, groups: tuple[str, ...], type_name: str) -> list[str]:
    found = []
    for prefix in groups:
        for def_name in defs:
            if not def_name.startswith(prefix + ".") or not def_name.endswith("." + type_name):
                continue
            middle = def_name[len(prefix) + 1: -len(type_name) - 1]
            if API_VERSION_SEGMENT.match(middle):
                found.append(def_name)
    return sorted(found)


def apply_enum_patches(defs: dict, minor: int) -> int:
    applied = 0
    for entry in ENUM_PATCHES:
        groups, type_name, prop, values = entry[:4]
        lo = entry[4] if len(entry) > 4 else 0
        hi = entry[5] if len(entry) > 5 else 10**6
        if not lo <= minor <= hi:
            continue
        for def_name in definitions_for(defs, groups, type_name):
            schema = defs[def_name].get("properties", {}).get(prop)
            if schema is None:
                continue
            if "$ref" in schema:
                warn(f"1.{minor}: {def_name}.{prop} is a $ref, enum not applied")
                continue
            target = schema
            if "array" in type_list(schema):
                target = schema.get("items")
                if not isinstance(target, dict) or "$ref" in target:
                    warn(f"1.{minor}: {def_name}.{prop} items are not a plain schema, enum not applied")
                    continue
            if "enum" in target:
                warn(f"1.{minor}: {def_name}.{prop} already has enum {target['enum']}; overriding")
            if set_enum(target, values):
                applied += 1
            else:
                warn(f"1.{minor}: {def_name}.{prop} is not a string (type {target.get('type')}), enum not applied")
    return applied


def build_version(raw: dict, minor: int) -> tuple[dict, int]:
    src_defs = raw["$defs"]
    kinds = build_kinds(src_defs)
    defs = {name: strip_schema(schema) for name, schema in src_defs.items()}
    patched = apply_enum_patches(defs, minor)
    doc = {
        "kubernetesVersion": f"1.{minor}",
        "source": f"{KV_PACKAGE} {KV_VERSION}, v1.{minor}.0-local-strict",
        "kinds": kinds,
        "$defs": defs,
    }
    return doc, patched


def check_refs(doc: dict, minor: int) -> None:
    """Every $ref must be local and resolve inside $defs."""
    defs = doc["$defs"]
    missing = set()

    def walk(node):
        if isinstance(node, dict):
            for k, v in node.items():
                if k == "$ref" and isinstance(v, str):
                    if not v.startswith("#/$defs/") or v[len("#/$defs/"):] not in defs:
                        missing.add(v)
                else:
                    walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(defs)
    if missing:
        sys.exit(f"error: 1.{minor}: unresolved $refs: {sorted(missing)[:10]}")
    for api_version, by_kind in doc["kinds"].items():
        for kind, def_name in by_kind.items():
            if def_name not in defs:
                sys.exit(f"error: 1.{minor}: kinds[{api_version}][{kind}] -> missing {def_name}")


# --------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------
def write_if_changed(path: Path, data: bytes) -> bool:
    if path.exists() and path.read_bytes() == data:
        return False
    path.write_bytes(data)
    return True


NOTICE_TEXT = """\
plimsoll: bundled Kubernetes schemas (schemas/kubernetes/v1.*.json.gz)

These files are derived from the Python package {package} {version}
(https://pypi.org/project/{package}/{version}/), upstream project
{upstream}, Copyright (C) 2018 Will Thames,
licensed under the Apache License, Version 2.0 (see LICENSE in this
directory and https://www.apache.org/licenses/LICENSE-2.0).

{package} in turn is derived from the Kubernetes OpenAPI definitions
(https://github.com/kubernetes/kubernetes, Copyright The Kubernetes Authors,
Apache License, Version 2.0).

Modifications made by plimsoll's schemas/generate.py: only the
v1.X.0-local-strict/_definitions.json files for Kubernetes 1.{lo}-1.{hi} are
used; "description" and "default" annotations, all "x-*" extension keys and
"$schema"/"$id" keys were stripped; string enums for fields whose allowed values
the OpenAPI data does not list were added; a "kinds" index from apiVersion/kind
to definition name was added; the result is re-serialised as compact JSON and
gzip-compressed.
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--wheel", type=Path,
                        help=f"use this {KV_PACKAGE} {KV_VERSION} wheel instead of downloading it")
    args = parser.parse_args()

    OUT_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="plimsoll-schemas-") as tmp:
        wheel = args.wheel if args.wheel else download_wheel(Path(tmp))
        check_wheel(wheel)
        with zipfile.ZipFile(wheel) as zf:
            license_text = zf.read(LICENSE_PATH_TEMPLATE.format(version=KV_VERSION))
            raws = {}
            for minor in MINORS:
                member = SCHEMA_DIR_TEMPLATE.format(minor=minor)
                try:
                    raws[minor] = json.loads(zf.read(member))
                except KeyError:
                    sys.exit(f"error: {member} not found in {wheel.name}")

    expected = set()
    total_raw = total_gz = 0
    log(f"{'version':<8} {'defs':>5} {'kinds':>6} {'enums':>6} {'json bytes':>11} {'gz bytes':>9}  file")
    for minor in MINORS:
        doc, patched = build_version(raws[minor], minor)
        check_refs(doc, minor)
        data = json.dumps(doc, separators=(",", ":"), sort_keys=True, ensure_ascii=False).encode("utf-8")
        gz = gzip.compress(data, compresslevel=9, mtime=0)
        name = f"v1.{minor}.json.gz"
        expected.add(name)
        changed = write_if_changed(OUT_DIR / name, gz)
        n_kinds = sum(len(v) for v in doc["kinds"].values())
        total_raw += len(data)
        total_gz += len(gz)
        log(f"1.{minor:<6} {len(doc['$defs']):>5} {n_kinds:>6} {patched:>6} {len(data):>11} {len(gz):>9}"
            f"  {name}{'' if changed else ' (unchanged)'}")
    log(f"{'total':<8} {'':>5} {'':>6} {'':>6} {total_raw:>11} {total_gz:>9}")

    write_if_changed(OUT_DIR / "LICENSE", license_text)
    notice = NOTICE_TEXT.format(package=KV_PACKAGE, version=KV_VERSION, upstream=KV_UPSTREAM,
                                lo=min(MINORS), hi=max(MINORS))
    write_if_changed(OUT_DIR / "NOTICE", notice.encode("utf-8"))

    # Remove schemas for versions no longer in MINORS.
    for path in sorted(OUT_DIR.iterdir()):
        if OUT_NAME_RE.match(path.name) and path.name not in expected:
            log(f"removing stale {path.name}")
            path.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
