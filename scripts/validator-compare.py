#!/usr/bin/env python3
"""Compares orchlint's schema checking with the validators people use today.

Usage: scripts/validator-compare.py BINARY CORPUS_DIR [--exceptions FILE] [--keep NEW_DIR] [--verbose]

From the Compose and Kubernetes specs of CORPUS_DIR that every validator accepts
as they are, it builds a deterministic sample of mutated copies (one mutation of a
known class per copy: a misspelt key, a value outside an enum or a form, a quoted
number, a missing required field, an unknown kind, bad interpolation) plus
unmutated controls, each in a directory of its own. Every case is then run through

- orchlint (`check --format json`), counting only `schema/*` and `syntax/*` findings
  and the `correctness/undefined-*` references Compose refuses;
- Compose: `docker-compose config -q` (Debian's docker-compose 1.29.2, through
  `validator_compose.py`) and `check-jsonschema --builtin-schema vendor.compose-spec`;
- Kubernetes: `kubernetes-validate --strict` against its newest bundled release.

Every mutation makes a spec the engine (Docker Compose and the Docker Engine,
kube-apiserver) refuses, so every mutated case must get a finding from orchlint
("miss" otherwise), as must a control a validator rejects; a case that every
validator accepts must get none ("extra" otherwise). Each exception is listed,
with its reason, in scripts/validator-exceptions.toml, by case id
(`CLASS:CORPUS-PATH`) or by mutation class; an unlisted mismatch, or a listed
exception that no longer occurs, makes the script exit 1. It prints a table per
mutation class: cases, caught by orchlint, rejected by each validator.

The validators are looked up on PATH (`.ci/run` installs them); a validator that
is missing is skipped with a message, and its column shows `-`.
"""
import argparse
import collections
import concurrent.futures
import copy
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib

import yaml

SEED = 10
# Mutated cases per class, and unmutated controls per format.
PER_CLASS = 8
CONTROLS = 15
# Files read from the corpus per format before the validators sort out the ones
# they accept: enough for every class, few enough to keep the run short.
CANDIDATES = 90
HERE = os.path.dirname(os.path.abspath(__file__))

# ---------------------------------------------------------------------------
# Reading the corpus


def load_yaml(text):
    try:
        return list(yaml.safe_load_all(text))
    except yaml.YAMLError:
        return None


def compose_base(docs):
    """The Compose tree of a file that can stand alone, or None."""
    if not docs or len(docs) != 1 or not isinstance(docs[0], dict):
        return None
    tree = docs[0]
    services = tree.get("services")
    if not isinstance(services, dict) or not services or "include" in tree:
        return None
    for svc in services.values():
        if not isinstance(svc, dict) or "extends" in svc:
            return None
    return tree


def kubernetes_base(docs):
    """The documents of a Kubernetes file of plain objects, or None."""
    docs = [d for d in docs or [] if d is not None]
    if not docs:
        return None
    for d in docs:
        if not isinstance(d, dict) or "apiVersion" not in d or "kind" not in d:
            return None
        if d["kind"] == "List" or "kustomize" in str(d["apiVersion"]):
            return None
    return docs


def corpus_bases(corpus):
    """(format, relative path, tree) for every usable Compose and Kubernetes file."""
    out = []
    for kind, fmt in (("compose", "compose"), ("swarm", "compose"), ("kubernetes", "k8s")):
        top = os.path.join(corpus, kind)
        for root, dirs, files in os.walk(top):
            dirs.sort()
            for name in sorted(files):
                if not name.endswith((".yml", ".yaml")):
                    continue
                path = os.path.join(root, name)
                try:
                    with open(path, encoding="utf-8") as f:
                        text = f.read()
                except (OSError, UnicodeDecodeError):
                    continue
                if "{{" in text:
                    continue
                docs = load_yaml(text)
                tree = compose_base(docs) if fmt == "compose" else kubernetes_base(docs)
                if tree is not None:
                    out.append((fmt, os.path.relpath(path, corpus), tree))
    return out


# ---------------------------------------------------------------------------
# Mutations. Each takes a deep copy of a tree and a seeded Random, changes the
# tree in place and returns True, or returns False when the file has no place
# for it.

COMPOSE_KEEP = {"image", "build", "extends"}


def typo(key, rng, avoid=()):
    """A misspelling of key: one inner letter dropped, or the last one doubled."""
    if len(key) > 4:
        i = rng.randrange(1, len(key) - 1)
        cand = key[:i] + key[i + 1 :]
        if cand not in avoid and cand != key:
            return cand
    return key + key[-1]


def rename_key(mapping, rng, keep=(), fallback=None):
    """Renames one key of mapping (not one of keep) to a misspelling, keeping the
    order; with no such key, adds fallback (key, value)."""
    keys = [k for k in mapping if isinstance(k, str) and k not in keep]
    if not keys:
        if fallback is None:
            return False
        mapping[fallback[0]] = fallback[1]
        return True
    key = rng.choice(keys)
    new = typo(key, rng, avoid=set(mapping))
    items = [(new if k == key else k, v) for k, v in mapping.items()]
    mapping.clear()
    mapping.update(items)
    return True


def pick_service(tree, rng, want=lambda s: True):
    names = [n for n, s in tree["services"].items() if want(s)]
    return tree["services"][rng.choice(names)] if names else None


def c_unknown_service(tree, rng):
    svc = pick_service(tree, rng)
    return rename_key(svc, rng, keep=COMPOSE_KEEP, fallback=("restrat", "always"))


def c_unknown_deploy(tree, rng):
    svc = pick_service(tree, rng)
    deploy = svc.get("deploy")
    if isinstance(deploy, dict) and deploy:
        return rename_key(deploy, rng)
    svc["deploy"] = {"replica": 2}
    return True


def c_unknown_build(tree, rng):
    svc = pick_service(tree, rng, lambda s: "build" in s)
    if svc is None:
        return False
    build = svc["build"]
    if isinstance(build, str):
        svc["build"] = {"context": build, "dockerfil": "Dockerfile"}
        return True
    if isinstance(build, dict):
        return rename_key(build, rng, fallback=("dockerfil", "Dockerfile"))
    return False


def c_unknown_volume(tree, rng):
    svc = pick_service(tree, rng)
    vols = svc.setdefault("volumes", [])
    if not isinstance(vols, list):
        return False
    vols.append({"type": "volume", "target": "/mutated-data", "read_onyl": True})
    return True


def add_port(tree, rng, port):
    svc = pick_service(tree, rng)
    ports = svc.setdefault("ports", [])
    if not isinstance(ports, list):
        return False
    ports.append(port)
    return True


def c_unknown_port(tree, rng):
    return add_port(tree, rng, {"target": 8080, "published": 18080, "protocl": "tcp"})


def c_enum_restart(tree, rng):
    pick_service(tree, rng)["restart"] = "alwayz"
    return True


def c_enum_protocol(tree, rng):
    return add_port(tree, rng, "18080:80/tcpp")


def c_enum_condition(tree, rng):
    names = list(tree["services"])
    if len(names) < 2:
        return False
    a, b = rng.sample(names, 2)
    tree["services"][a]["depends_on"] = {b: {"condition": "service_startd"}}
    return True


def c_form_duration(tree, rng):
    pick_service(tree, rng)["stop_grace_period"] = "10 seconds"
    return True


def c_form_bytes(tree, rng):
    pick_service(tree, rng)["shm_size"] = "64 megs"
    return True


def c_port_range(tree, rng):
    return add_port(tree, rng, "70000:80")


def c_missing_image(tree, rng):
    svc = pick_service(tree, rng, lambda s: ("image" in s) != ("build" in s))
    if svc is None:
        return False
    svc.pop("image", None)
    svc.pop("build", None)
    return True


def c_interpolation_braced(tree, rng):
    pick_service(tree, rng)["command"] = "sh -c 'echo ${#HOSTNAME}'"
    return True


def c_interpolation_paren(tree, rng):
    pick_service(tree, rng)["working_dir"] = "/srv/$(hostname)"
    return True


def c_unknown_healthcheck(tree, rng):
    pick_service(tree, rng)["healthcheck"] = {"test": ["CMD", "true"], "interval": "30s", "retires": 3}
    return True


def c_unknown_logging(tree, rng):
    pick_service(tree, rng)["logging"] = {"driver": "json-file", "option": {"max-size": "10m"}}
    return True


def c_unknown_resources(tree, rng):
    svc = pick_service(tree, rng)
    deploy = svc.setdefault("deploy", {})
    if not isinstance(deploy, dict):
        return False
    deploy["resources"] = {"limits": {"memroy": "50M"}}
    return True


def c_unknown_network(tree, rng):
    networks = tree.setdefault("networks", {})
    if not isinstance(networks, dict):
        return False
    networks["mutated"] = {"drivr": "bridge"}
    return True


def c_unknown_depends_on(tree, rng):
    names = list(tree["services"])
    if len(names) < 2:
        return False
    a, b = rng.sample(names, 2)
    tree["services"][a]["depends_on"] = {b: {"conditon": "service_started"}}
    return True


def c_unknown_top_level(tree, rng):
    keys = [k for k in ("volumes", "networks", "secrets", "configs") if k in tree]
    if keys:
        key = rng.choice(keys)
        items = [(key[:-1] if k == key else k, v) for k, v in tree.items()]
        tree.clear()
        tree.update(items)
    else:
        tree["volume"] = {"data": {}}
    return True


def c_enum_pull_policy(tree, rng):
    pick_service(tree, rng)["pull_policy"] = "sometimes"
    return True


def c_form_cpus(tree, rng):
    svc = pick_service(tree, rng)
    deploy = svc.setdefault("deploy", {})
    if not isinstance(deploy, dict):
        return False
    deploy["resources"] = {"limits": {"cpus": "half"}}
    return True


def c_form_memory(tree, rng):
    svc = pick_service(tree, rng)
    deploy = svc.setdefault("deploy", {})
    if not isinstance(deploy, dict):
        return False
    deploy["resources"] = {"limits": {"memory": "50 megs"}}
    return True


def c_wrong_type_ports(tree, rng):
    pick_service(tree, rng)["ports"] = {"8080": 80}
    return True


def c_undefined_service(tree, rng):
    pick_service(tree, rng)["depends_on"] = ["no-such-service"]
    return True


def c_undefined_network(tree, rng):
    svc = pick_service(tree, rng, lambda s: "network_mode" not in s)
    if svc is None:
        return False
    svc["networks"] = ["no-such-network"]
    return True


def c_wrong_type_aliases(tree, rng):
    svc = pick_service(tree, rng, lambda s: "network_mode" not in s)
    if svc is None:
        return False
    tree.setdefault("networks", {})
    if not isinstance(tree["networks"], dict):
        return False
    tree["networks"]["mutated"] = {}
    svc["networks"] = {"mutated": {"aliases": "web"}}
    return True


def c_form_volume_mode(tree, rng):
    svc = pick_service(tree, rng)
    vols = svc.setdefault("volumes", [])
    if not isinstance(vols, list):
        return False
    vols.append("./data:/mutated-data:rwx")
    return True


def c_missing_ulimit_hard(tree, rng):
    pick_service(tree, rng)["ulimits"] = {"nofile": {"soft": 1024}}
    return True


def c_form_container_name(tree, rng):
    pick_service(tree, rng)["container_name"] = "web server!"
    return True


def c_form_service_name(tree, rng):
    names = list(tree["services"])
    old = rng.choice(names)
    referenced = json.dumps(tree).count(json.dumps(old))
    if referenced > 1:
        return False  # another service names it: renaming would break a reference too
    items = [("web server" if k == old else k, v) for k, v in tree["services"].items()]
    tree["services"].clear()
    tree["services"].update(items)
    return True


def c_form_image(tree, rng):
    svc = pick_service(tree, rng, lambda s: isinstance(s.get("image"), str) and "$" not in s["image"])
    if svc is None:
        return False
    svc["image"] = "nginx:1.27:alpine"
    return True


def c_undefined_secret(tree, rng):
    pick_service(tree, rng)["secrets"] = ["no-such-secret"]
    return True


def c_form_extra_hosts(tree, rng):
    pick_service(tree, rng)["extra_hosts"] = ["somehost"]
    return True


POD_SPEC_PATHS = {
    "Pod": ("spec",),
    "Deployment": ("spec", "template", "spec"),
    "StatefulSet": ("spec", "template", "spec"),
    "DaemonSet": ("spec", "template", "spec"),
    "ReplicaSet": ("spec", "template", "spec"),
    "ReplicationController": ("spec", "template", "spec"),
    "Job": ("spec", "template", "spec"),
    "CronJob": ("spec", "jobTemplate", "spec", "template", "spec"),
}
# Kinds whose metadata.name kube-apiserver checks (all DNS-1123 subdomains or labels).
NAMED_KINDS = {"Deployment", "StatefulSet", "DaemonSet", "Service", "ConfigMap", "Pod", "Job"}


def walk(tree, path):
    for key in path:
        if not isinstance(tree, dict):
            return None
        tree = tree.get(key)
    return tree


def pod_specs(docs):
    out = []
    for d in docs:
        spec = walk(d, POD_SPEC_PATHS.get(d.get("kind"), ("-",)))
        if isinstance(spec, dict) and isinstance(spec.get("containers"), list):
            out.append(spec)
    return out


def containers(docs, want=lambda c: True):
    return [
        c
        for spec in pod_specs(docs)
        for c in spec["containers"]
        if isinstance(c, dict) and want(c)
    ]


def choose(items, rng):
    return rng.choice(items) if items else None


def k_unknown_container(docs, rng):
    c = choose(containers(docs), rng)
    return c is not None and rename_key(
        c, rng, keep={"name", "image"}, fallback=("imagePullPolcy", "Always")
    )


def k_unknown_pod_spec(docs, rng):
    spec = choose(pod_specs(docs), rng)
    return spec is not None and rename_key(
        spec, rng, keep={"containers"}, fallback=("restartPolcy", "Always")
    )


def service_ports(docs):
    return [
        p
        for d in docs
        if d["kind"] == "Service" and isinstance(walk(d, ("spec", "ports")), list)
        for p in d["spec"]["ports"]
        if isinstance(p, dict)
    ]


def k_unknown_service_port(docs, rng):
    p = choose(service_ports(docs), rng)
    return p is not None and rename_key(p, rng, keep={"port"})


def k_unknown_deployment_spec(docs, rng):
    d = choose([d for d in docs if d["kind"] == "Deployment" and isinstance(d.get("spec"), dict)], rng)
    return d is not None and rename_key(d["spec"], rng, keep={"template", "selector"})


def container_ports(docs):
    return [
        p
        for c in containers(docs, lambda c: isinstance(c.get("ports"), list))
        for p in c["ports"]
        if isinstance(p, dict)
    ]


def k_enum_protocol(docs, rng):
    p = choose(container_ports(docs) + service_ports(docs), rng)
    if p is None:
        return False
    p["protocol"] = "TPC"
    return True


def k_enum_pull_policy(docs, rng):
    c = choose(containers(docs), rng)
    if c is None:
        return False
    c["imagePullPolicy"] = "Sometimes"
    return True


def k_enum_service_type(docs, rng):
    d = choose([d for d in docs if d["kind"] == "Service" and isinstance(d.get("spec"), dict)], rng)
    if d is None:
        return False
    d["spec"]["type"] = "Loadbalancer"
    return True


def k_enum_restart_policy(docs, rng):
    spec = choose(pod_specs(docs), rng)
    if spec is None:
        return False
    spec["restartPolicy"] = "Sometimes"
    return True


def k_form_quantity(docs, rng):
    c = choose(containers(docs), rng)
    if c is None:
        return False
    res = c.setdefault("resources", {})
    if not isinstance(res, dict):
        return False
    limits = res.setdefault("limits", {})
    if not isinstance(limits, dict):
        return False
    limits["memory"] = "512MBs"
    return True


def k_form_name(docs, rng):
    d = choose([d for d in docs if d["kind"] in NAMED_KINDS and isinstance(d.get("metadata"), dict)], rng)
    if d is None or not isinstance(d["metadata"].get("name"), str):
        return False
    d["metadata"]["name"] = d["metadata"]["name"].replace("-", "_") + "_App"
    return True


def k_form_port_name(docs, rng):
    p = choose(container_ports(docs), rng)
    if p is None:
        return False
    p["name"] = "metrics-endpoint-http"
    return True


def k_form_label(docs, rng):
    d = choose([d for d in docs if isinstance(d.get("metadata"), dict)], rng)
    if d is None:
        return False
    labels = d["metadata"].setdefault("labels", {})
    if not isinstance(labels, dict):
        return False
    labels["tier"] = "front end!"
    return True


def k_port_range(docs, rng):
    p = choose(container_ports(docs), rng)
    if p is None:
        return False
    p["containerPort"] = 70000
    return True


def k_quoted_number(docs, rng):
    places = [(p, "containerPort") for p in container_ports(docs) if isinstance(p.get("containerPort"), int)]
    places += [
        (d["spec"], "replicas")
        for d in docs
        if isinstance(d.get("spec"), dict) and isinstance(d["spec"].get("replicas"), int)
    ]
    place = choose(places, rng)
    if place is None:
        return False
    place[0][place[1]] = str(place[0][place[1]])
    return True


def k_missing_container_name(docs, rng):
    c = choose(containers(docs, lambda c: "name" in c), rng)
    if c is None:
        return False
    del c["name"]
    return True


def k_missing_selector(docs, rng):
    d = choose(
        [d for d in docs if d["kind"] == "Deployment" and isinstance(walk(d, ("spec", "selector")), dict)],
        rng,
    )
    if d is None:
        return False
    del d["spec"]["selector"]
    return True


def k_unknown_kind(docs, rng):
    d = choose([d for d in docs if isinstance(d["kind"], str) and len(d["kind"]) > 4], rng)
    if d is None:
        return False
    d["kind"] = typo(d["kind"], rng)
    return True


def k_unknown_probe(docs, rng):
    c = choose(containers(docs), rng)
    if c is None:
        return False
    probe = c.get("livenessProbe")
    if isinstance(probe, dict) and probe:
        return rename_key(probe, rng)
    c["livenessProbe"] = {"tcpSocket": {"port": 80}, "periodSecond": 10}
    return True


def k_unknown_volume_mount(docs, rng):
    c = choose(containers(docs), rng)
    if c is None:
        return False
    mounts = c.setdefault("volumeMounts", [])
    if not isinstance(mounts, list):
        return False
    spec = next(s for s in pod_specs(docs) if any(x is c for x in s["containers"]))
    volumes = spec.setdefault("volumes", [])
    if not isinstance(volumes, list):
        return False
    volumes.append({"name": "mutated", "emptyDir": {}})
    mounts.append({"name": "mutated", "mountPath": "/mutated", "readOnlyy": True})
    return True


def k_unknown_env(docs, rng):
    c = choose(containers(docs), rng)
    if c is None:
        return False
    env = c.setdefault("env", [])
    if not isinstance(env, list):
        return False
    env.append({"name": "MUTATED", "vaule": "1"})
    return True


def k_unknown_metadata(docs, rng):
    d = choose([d for d in docs if isinstance(d.get("metadata"), dict)], rng)
    return d is not None and rename_key(d["metadata"], rng, keep={"name"}, fallback=("lables", {"app": "x"}))


def k_unknown_security_context(docs, rng):
    c = choose(containers(docs), rng)
    if c is None:
        return False
    c["securityContext"] = {"runAsNonRot": True}
    return True


def k_unknown_resources(docs, rng):
    c = choose(containers(docs), rng)
    if c is None:
        return False
    c["resources"] = {"limit": {"memory": "128Mi"}}
    return True


def k_quoted_bool(docs, rng):
    c = choose(containers(docs), rng)
    if c is None:
        return False
    c["securityContext"] = {"privileged": "false"}
    return True


def k_missing_mount_path(docs, rng):
    c = choose(containers(docs), rng)
    if c is None:
        return False
    spec = next(s for s in pod_specs(docs) if any(x is c for x in s["containers"]))
    volumes = spec.setdefault("volumes", [])
    mounts = c.setdefault("volumeMounts", [])
    if not isinstance(volumes, list) or not isinstance(mounts, list):
        return False
    volumes.append({"name": "mutated", "emptyDir": {}})
    mounts.append({"name": "mutated"})
    return True


def k_missing_env_name(docs, rng):
    c = choose(containers(docs), rng)
    if c is None:
        return False
    env = c.setdefault("env", [])
    if not isinstance(env, list):
        return False
    env.append({"value": "1"})
    return True


def k_missing_service_port(docs, rng):
    p = choose([p for p in service_ports(docs) if "port" in p], rng)
    if p is None:
        return False
    del p["port"]
    return True


def k_range_replicas(docs, rng):
    d = choose([d for d in docs if d["kind"] in ("Deployment", "StatefulSet") and isinstance(d.get("spec"), dict)], rng)
    if d is None:
        return False
    d["spec"]["replicas"] = -1
    return True


def k_enum_dns_policy(docs, rng):
    spec = choose(pod_specs(docs), rng)
    if spec is None:
        return False
    spec["dnsPolicy"] = "ClusterFirstt"
    return True


def k_enum_strategy(docs, rng):
    d = choose([d for d in docs if d["kind"] == "Deployment" and isinstance(d.get("spec"), dict)], rng)
    if d is None:
        return False
    d["spec"]["strategy"] = {"type": "Rolling"}
    return True


def k_form_cpu(docs, rng):
    c = choose(containers(docs), rng)
    if c is None:
        return False
    c["resources"] = {"requests": {"cpu": "1core"}}
    return True


def k_wrong_type_command(docs, rng):
    c = choose(containers(docs), rng)
    if c is None:
        return False
    c["command"] = "sh -c 'sleep 3600'"
    return True


def k_wrong_type_env_value(docs, rng):
    c = choose(containers(docs), rng)
    if c is None:
        return False
    env = c.setdefault("env", [])
    if not isinstance(env, list):
        return False
    env.append({"name": "WORKERS", "value": 4})
    return True


def k_wrong_type_label(docs, rng):
    d = choose([d for d in docs if isinstance(d.get("metadata"), dict)], rng)
    if d is None:
        return False
    labels = d["metadata"].setdefault("labels", {})
    if not isinstance(labels, dict):
        return False
    labels["version"] = 2
    return True


MUTATIONS = {
    "compose": [
        ("compose/control", lambda t, r: True),
        ("compose/unknown-key/service", c_unknown_service),
        ("compose/unknown-key/deploy", c_unknown_deploy),
        ("compose/unknown-key/build", c_unknown_build),
        ("compose/unknown-key/volume", c_unknown_volume),
        ("compose/unknown-key/port", c_unknown_port),
        ("compose/enum/restart", c_enum_restart),
        ("compose/enum/protocol", c_enum_protocol),
        ("compose/enum/depends-on-condition", c_enum_condition),
        ("compose/form/duration", c_form_duration),
        ("compose/form/byte-size", c_form_bytes),
        ("compose/range/port", c_port_range),
        ("compose/missing/image-or-build", c_missing_image),
        ("compose/interpolation/braced", c_interpolation_braced),
        ("compose/interpolation/dollar-paren", c_interpolation_paren),
        ("compose/unknown-key/healthcheck", c_unknown_healthcheck),
        ("compose/unknown-key/logging", c_unknown_logging),
        ("compose/unknown-key/resources", c_unknown_resources),
        ("compose/unknown-key/network", c_unknown_network),
        ("compose/unknown-key/depends-on", c_unknown_depends_on),
        ("compose/unknown-key/top-level", c_unknown_top_level),
        ("compose/enum/pull-policy", c_enum_pull_policy),
        ("compose/form/cpus", c_form_cpus),
        ("compose/form/memory", c_form_memory),
        ("compose/wrong-type/ports", c_wrong_type_ports),
        ("compose/undefined/service", c_undefined_service),
        ("compose/undefined/network", c_undefined_network),
        ("compose/undefined/secret", c_undefined_secret),
        ("compose/wrong-type/network-aliases", c_wrong_type_aliases),
        ("compose/form/volume-mode", c_form_volume_mode),
        ("compose/form/container-name", c_form_container_name),
        ("compose/form/service-name", c_form_service_name),
        ("compose/form/image", c_form_image),
        ("compose/form/extra-hosts", c_form_extra_hosts),
        ("compose/missing/ulimit-hard", c_missing_ulimit_hard),
    ],
    "k8s": [
        ("k8s/control", lambda t, r: True),
        ("k8s/unknown-key/container", k_unknown_container),
        ("k8s/unknown-key/pod-spec", k_unknown_pod_spec),
        ("k8s/unknown-key/service-port", k_unknown_service_port),
        ("k8s/unknown-key/deployment-spec", k_unknown_deployment_spec),
        ("k8s/enum/protocol", k_enum_protocol),
        ("k8s/enum/image-pull-policy", k_enum_pull_policy),
        ("k8s/enum/service-type", k_enum_service_type),
        ("k8s/enum/restart-policy", k_enum_restart_policy),
        ("k8s/form/quantity", k_form_quantity),
        ("k8s/form/dns-name", k_form_name),
        ("k8s/form/port-name", k_form_port_name),
        ("k8s/form/label-value", k_form_label),
        ("k8s/range/port", k_port_range),
        ("k8s/quoted-number", k_quoted_number),
        ("k8s/missing/container-name", k_missing_container_name),
        ("k8s/missing/deployment-selector", k_missing_selector),
        ("k8s/unknown-kind", k_unknown_kind),
        ("k8s/unknown-key/probe", k_unknown_probe),
        ("k8s/unknown-key/volume-mount", k_unknown_volume_mount),
        ("k8s/unknown-key/env", k_unknown_env),
        ("k8s/unknown-key/metadata", k_unknown_metadata),
        ("k8s/unknown-key/security-context", k_unknown_security_context),
        ("k8s/unknown-key/resources", k_unknown_resources),
        ("k8s/quoted-bool", k_quoted_bool),
        ("k8s/missing/mount-path", k_missing_mount_path),
        ("k8s/missing/env-name", k_missing_env_name),
        ("k8s/missing/service-port", k_missing_service_port),
        ("k8s/range/replicas", k_range_replicas),
        ("k8s/enum/dns-policy", k_enum_dns_policy),
        ("k8s/enum/deployment-strategy", k_enum_strategy),
        ("k8s/form/cpu", k_form_cpu),
        ("k8s/wrong-type/command", k_wrong_type_command),
        ("k8s/wrong-type/env-value", k_wrong_type_env_value),
        ("k8s/wrong-type/label-value", k_wrong_type_label),
    ],
}


# ---------------------------------------------------------------------------
# Cases on disk


class Case:
    def __init__(self, fmt, mutation, base, tree, directory):
        self.fmt = fmt
        self.mutation = mutation
        self.base = base
        self.id = f"{mutation}:{base}"
        self.dir = directory
        self.file = os.path.join(directory, "docker-compose.yml" if fmt == "compose" else "objects.yaml")
        text = dump(fmt, tree)
        os.makedirs(directory)
        with open(self.file, "w", encoding="utf-8") as f:
            f.write(text)
        if fmt == "compose":
            add_compose_context(tree, directory)
        self.verdicts = {}  # validator -> (rejected: bool, message)
        self.orchlint = []  # schema/syntax findings: "rule: message"


def dump(fmt, tree):
    opts = dict(sort_keys=False, default_flow_style=False, allow_unicode=True, width=4096)
    if fmt == "compose":
        return yaml.safe_dump(tree, **opts)
    return yaml.safe_dump_all(tree, **opts)


def add_compose_context(tree, directory):
    """Creates the build contexts and env files a Compose file names by relative
    path, empty, so that docker-compose judges the file rather than the missing
    checkout around it."""
    for svc in tree["services"].values():
        if not isinstance(svc, dict):
            continue
        build = svc.get("build")
        context = build.get("context") if isinstance(build, dict) else build
        if isinstance(context, str) and "://" not in context and "$" not in context:
            path = os.path.normpath(os.path.join(directory, context))
            if path.startswith(directory):
                os.makedirs(path, exist_ok=True)
        env_files = svc.get("env_file")
        env_files = [env_files] if isinstance(env_files, str) else env_files
        for env in env_files if isinstance(env_files, list) else []:
            if isinstance(env, str) and "$" not in env:
                path = os.path.normpath(os.path.join(directory, env))
                if path.startswith(directory) and not os.path.exists(path):
                    os.makedirs(os.path.dirname(path), exist_ok=True)
                    open(path, "w").close()


# ---------------------------------------------------------------------------
# Validators


def docker_compose(cases, parallel):
    """Verdicts of `docker-compose config -q` for Compose cases, or None when
    docker-compose is not installed."""
    exe = shutil.which("docker-compose")
    if exe is None:
        print("validator-compare: docker-compose not found: its column is skipped", file=sys.stderr)
        return None
    with open(exe, "rb") as f:
        shebang = f.readline().decode().strip()
    python = shebang[2:].split()[0] if shebang.startswith("#!") else sys.executable
    driver = os.path.join(HERE, "validator_compose.py")
    chunks = [cases[i::parallel] for i in range(parallel)]

    def run(chunk):
        payload = json.dumps([[c.file, c.dir] for c in chunk])
        env = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/")}
        proc = subprocess.run([python, driver], input=payload, capture_output=True, text=True, env=env)
        if proc.returncode != 0:
            raise SystemExit(f"validator-compare: docker-compose driver failed\n{proc.stderr}")
        return json.loads(proc.stdout)

    out = {}
    with concurrent.futures.ThreadPoolExecutor(parallel) as pool:
        for result in pool.map(run, [c for c in chunks if c]):
            for file, (ok, message) in result.items():
                out[file] = (not ok, message)
    return out


def compose_cli_agrees(cases, verdicts):
    """Runs the real `docker-compose config -q` on one accepted and one rejected
    case: the in-process driver must give the same verdicts."""
    picked = []
    for want in (False, True):
        for c in cases:
            if verdicts[c.file][0] == want:
                picked.append(c)
                break
    for c in picked:
        proc = subprocess.run(
            ["docker-compose", "-f", c.file, "--project-directory", c.dir, "config", "-q"],
            capture_output=True,
            text=True,
            cwd=c.dir,
            env={"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/")},
        )
        if (proc.returncode != 0) != verdicts[c.file][0]:
            print(
                f"validator-compare: docker-compose CLI exit {proc.returncode} on {c.id} "
                f"disagrees with the driver ({verdicts[c.file]})\n{proc.stderr}",
                file=sys.stderr,
            )
            return False
    return True


def check_jsonschema(cases):
    exe = shutil.which("check-jsonschema")
    if exe is None:
        print("validator-compare: check-jsonschema not found: its column is skipped", file=sys.stderr)
        return None
    proc = subprocess.run(
        [exe, "--builtin-schema", "vendor.compose-spec", "-o", "json"] + [c.file for c in cases],
        capture_output=True,
        text=True,
    )
    try:
        doc = json.loads(proc.stdout)
    except ValueError:
        raise SystemExit(f"validator-compare: check-jsonschema output unreadable\n{proc.stdout}{proc.stderr}")
    out = {c.file: (False, "") for c in cases}
    for err in doc.get("errors", []) + doc.get("parse_errors", []):
        name = os.path.abspath(err["filename"])
        if not out[name][0]:
            out[name] = (True, f'{err.get("path", "")}: {err.get("message", "")}')
    return out


KV_LINE = re.compile(r"^(INFO|WARN|ERROR) (\S+) (.*)$")


def kubernetes_validate(cases):
    exe = shutil.which("kubernetes-validate")
    if exe is None:
        print("validator-compare: kubernetes-validate not found: its column is skipped", file=sys.stderr)
        return None
    proc = subprocess.run(
        # Without -k it validates against the newest release it bundles.
        [exe, "--strict"] + [c.file for c in cases],
        capture_output=True,
        text=True,
    )
    out = {c.file: (False, "") for c in cases}
    for line in (proc.stdout + proc.stderr).splitlines():
        m = KV_LINE.match(line)
        if m and m.group(1) == "ERROR":
            name = os.path.abspath(m.group(2))
            if name in out and not out[name][0]:
                out[name] = (True, m.group(3))
    return out


def run_orchlint(binary, root, cases):
    proc = subprocess.run(
        [binary, "check", root, "--format", "json", "--fail-level", "never"],
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0 or "panicked" in proc.stderr:
        raise SystemExit(f"validator-compare: orchlint exited {proc.returncode}\n{proc.stderr}")
    by_file = {c.file: c for c in cases}
    for d in json.loads(proc.stdout)["diagnostics"]:
        case = by_file.get(os.path.abspath(d["file"]))
        if case is not None and counts(d["rule"]):
            case.orchlint.append(f'{d["rule"]}: {d["message"]}')


def counts(rule):
    """The findings that say the engine refuses the file: schema and syntax ones,
    and references to a service, network, volume, secret or config the file does
    not define (Compose refuses those when it loads the project)."""
    return rule.split("/")[0] in ("schema", "syntax") or rule.startswith("correctness/undefined-")


# ---------------------------------------------------------------------------
# Comparison


def load_exceptions(path):
    with open(path, "rb") as f:
        doc = tomllib.load(f)
    out = []
    for section, entries in doc.items():
        for e in entries:
            if e.get("mismatch") not in ("miss", "extra") or not e.get("reason") or not e.get("case"):
                raise SystemExit(f"validator-compare: {path}: entry needs case, mismatch (miss|extra), reason: {e}")
            out.append(dict(e, section=section, used=0))
    return out


def excused(exceptions, case, mismatch):
    """The exception listing this mismatch: by case id, or by mutation class."""
    for e in exceptions:
        if e["mismatch"] == mismatch and e["case"] in (case.id, case.mutation):
            e["used"] += 1
            return e
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("binary")
    ap.add_argument("corpus")
    ap.add_argument("--exceptions", default=os.path.join(HERE, "validator-exceptions.toml"))
    ap.add_argument("--keep", help="build the cases in this (new) directory and keep it")
    ap.add_argument("--verbose", action="store_true", help="print every case's verdicts")
    args = ap.parse_args()
    started = time.monotonic()
    if not os.path.isdir(args.corpus):
        print(f"validator-compare: no corpus at {args.corpus}", file=sys.stderr)
        return 2
    binary = os.path.abspath(args.binary)
    exceptions = load_exceptions(args.exceptions)
    parallel = max(1, min(4, os.cpu_count() or 1))

    root = os.path.abspath(args.keep) if args.keep else tempfile.mkdtemp(prefix="validator-compare-")
    try:
        return compare(binary, args.corpus, root, exceptions, parallel, args.verbose, started)
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


def validate(cases, parallel):
    """Fills each case's verdicts; returns the validators that ran, per format."""
    ran = {"compose": [], "k8s": []}
    compose = [c for c in cases if c.fmt == "compose"]
    k8s = [c for c in cases if c.fmt == "k8s"]
    if compose:
        for name, verdicts in (
            ("docker-compose", docker_compose(compose, parallel)),
            ("check-jsonschema", check_jsonschema(compose)),
        ):
            if verdicts is not None:
                ran["compose"].append(name)
                for c in compose:
                    c.verdicts[name] = verdicts[c.file]
    if k8s:
        verdicts = kubernetes_validate(k8s)
        if verdicts is not None:
            ran["k8s"].append("kubernetes-validate")
            for c in k8s:
                c.verdicts["kubernetes-validate"] = verdicts[c.file]
    return ran


def compare(binary, corpus, root, exceptions, parallel, verbose, started):
    bases, every = [], corpus_bases(corpus)
    for fmt in MUTATIONS:
        found = [b for b in every if b[0] == fmt]
        random.Random(f"{SEED}:{fmt}").shuffle(found)
        bases += sorted(found[:CANDIDATES], key=lambda b: b[1])
    # Which files every validator accepts as they are (after the same YAML round
    # trip the mutated copies go through).
    plain = [Case(fmt, f"{fmt}/control", rel, tree, os.path.join(root, "base", f"{i:04}")) for i, (fmt, rel, tree) in enumerate(bases)]
    validate(plain, parallel)
    run_orchlint(binary, os.path.join(root, "base"), plain)
    # What orchlint already finds in a file before a mutation: a mutated case
    # counts as caught only by a finding its unmutated file does not have.
    before = {c.base: set(c.orchlint) for c in plain}
    accepted = [(c.fmt, c.base, tree) for c, (_, _, tree) in zip(plain, bases) if not any(r for r, _ in c.verdicts.values())]
    shutil.rmtree(os.path.join(root, "base"))
    print(
        f"corpus: {len(bases)} Compose/Kubernetes files sampled, {len(accepted)} accepted by every validator "
        f"({sum(1 for a in accepted if a[0] == 'compose')} Compose, {sum(1 for a in accepted if a[0] == 'k8s')} Kubernetes)"
    )

    cases = []
    for fmt, mutations in MUTATIONS.items():
        pool = [a for a in accepted if a[0] == fmt]
        for mutation, fn in mutations:
            rng = random.Random(f"{SEED}:{mutation}")
            order = pool[:]
            rng.shuffle(order)
            want = CONTROLS if mutation.endswith("/control") else PER_CLASS
            taken = 0
            for _, rel, tree in order:
                if taken == want:
                    break
                tree = copy.deepcopy(tree)
                if fn(tree, random.Random(f"{SEED}:{mutation}:{rel}")):
                    cases.append(Case(fmt, mutation, rel, tree, os.path.join(root, "cases", f"{len(cases):04}")))
                    taken += 1

    ran = validate(cases, parallel)
    compose_cases = [c for c in cases if c.fmt == "compose" and "docker-compose" in c.verdicts]
    if compose_cases and not compose_cli_agrees(compose_cases, {c.file: c.verdicts["docker-compose"] for c in compose_cases}):
        return 1
    run_orchlint(binary, os.path.join(root, "cases"), cases)
    for c in cases:
        if not c.mutation.endswith("/control"):
            c.orchlint = [f for f in c.orchlint if f not in before[c.base]]

    # With a validator missing, "every validator accepts" cannot be told: extras
    # of that format are not judged, and unused exceptions are not stale.
    complete = {"compose": len(ran["compose"]) == 2, "k8s": len(ran["k8s"]) == 1}
    for fmt, ok in complete.items():
        if not ok:
            print(f"validator-compare: a {fmt} validator is missing: findings it would have to excuse are not judged", file=sys.stderr)
    failures = []
    for c in cases:
        rejected_by = [v for v, (r, _) in c.verdicts.items() if r]
        caught = bool(c.orchlint)
        # Every mutation makes a spec the engine refuses, so orchlint must catch
        # it whatever the validators say; a control must be clean unless a
        # validator rejects it.
        control = c.mutation.endswith("/control")
        if not caught and (rejected_by or not control):
            mismatch = "miss"
        elif caught and not rejected_by and complete[c.fmt]:
            mismatch = "extra"
        else:
            mismatch = None
        if verbose:
            print(f"{c.id}: validators rejecting {rejected_by or '-'}; orchlint {c.orchlint or '-'}")
        if mismatch and not excused(exceptions, c, mismatch):
            if mismatch == "miss":
                why = "; ".join(f"{v}: {' '.join(c.verdicts[v][1].split())}" for v in rejected_by)
                why = why or "by the engine only"
                failures.append(f"{c.id}: rejected ({why[:300]}) but orchlint finds nothing")
            else:
                failures.append(f"{c.id}: every validator accepts, orchlint finds {c.orchlint}")

    print_table(cases, ran)
    stale = [e for e in exceptions if e["used"] == 0] if all(complete.values()) else []
    for e in stale:
        failures.append(f'exception no longer needed: [{e["section"]}] {e["case"]} ({e["mismatch"]})')
    print(f"{len(cases)} cases in {time.monotonic() - started:.0f}s; {sum(e['used'] for e in exceptions)} mismatches excused")
    if failures:
        print("unlisted mismatches (add a fix, or an entry with its reason to the exceptions file):", file=sys.stderr)
        for f in failures:
            print("  " + f, file=sys.stderr)
        return 1
    return 0


def print_table(cases, ran):
    validators = ["docker-compose", "check-jsonschema", "kubernetes-validate"]
    rows = collections.OrderedDict()
    for c in cases:
        row = rows.setdefault(c.mutation, {"cases": 0, "orchlint": 0, **{v: None for v in validators}})
        row["cases"] += 1
        row["orchlint"] += bool(c.orchlint)
        for v in ran[c.fmt]:
            row[v] = (row[v] or 0) + c.verdicts[v][0]
    head = f'{"mutation class":36} {"cases":>5} {"orchlint":>8} {"docker-compose":>14} {"check-jsonschema":>16} {"kubernetes-validate":>19}'
    print(head)
    print("-" * len(head))
    for mutation, row in rows.items():
        cells = ["-" if row[v] is None else str(row[v]) for v in validators]
        print(f'{mutation:36} {row["cases"]:5} {row["orchlint"]:8} {cells[0]:>14} {cells[1]:>16} {cells[2]:>19}')


if __name__ == "__main__":
    sys.exit(main())
