#!/usr/bin/env python3
"""Measures `orchlint server` round trips on a 300-line Kubernetes manifest: open →
diagnostics, and change → diagnostics, over plain JSON-RPC on the server's stdio
(no client library). A benchmark, not a test: it prints figures and never fails on
them.

Usage: scripts/lsp-latency.py [--bin target/release/orchlint] [--changes N]
                              [--beside DIR]

`--beside DIR` copies DIR into the workspace folder next to the manifest: the
server scans the whole folder on every change, so this shows what a larger
repository costs.
"""
import argparse
import json
import os
import pathlib
import shutil
import statistics
import subprocess
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]


def manifest(lines=300):
    """Deployments and Services, each pair 30 lines, cut to `lines` lines."""
    out = []
    i = 0
    while len(out) < lines:
        out += f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-{i}
  labels: {{app: app-{i}}}
spec:
  replicas: 2
  selector:
    matchLabels: {{app: app-{i}}}
  template:
    metadata:
      labels: {{app: app-{i}}}
    spec:
      containers:
        - name: app
          image: registry.example/app-{i}:1.{i}
          ports:
            - containerPort: 8080
          resources:
            requests: {{cpu: 100m, memory: 128Mi}}
---
apiVersion: v1
kind: Service
metadata:
  name: app-{i}
spec:
  selector: {{app: app-{i}}}
  ports:
    - port: 80
      targetPort: 8080
---""".split("\n")
        i += 1
    return "\n".join(out[:lines]) + "\n"


class Server:
    def __init__(self, cmd):
        self.p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.next = 0

    def send(self, msg):
        body = json.dumps(dict(jsonrpc="2.0", **msg)).encode()
        self.p.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.p.stdin.flush()

    def recv(self):
        length = None
        while True:
            line = self.p.stdout.readline()
            if not line:
                raise EOFError("the server closed its output")
            if line in (b"\r\n", b"\n"):
                break
            name, _, value = line.decode().partition(":")
            if name.lower() == "content-length":
                length = int(value)
        return json.loads(self.p.stdout.read(length))

    def request(self, method, params):
        self.next += 1
        self.send(dict(id=self.next, method=method, params=params))
        while True:
            m = self.recv()
            if m.get("id") == self.next and "method" not in m:
                return m

    def notify(self, method, params):
        self.send(dict(method=method, params=params))

    def diagnostics(self, uri, version):
        while True:
            m = self.recv()
            p = m.get("params") or {}
            if (
                m.get("method") == "textDocument/publishDiagnostics"
                and p.get("uri") == uri
                and p.get("version") == version
            ):
                return p["diagnostics"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=str(ROOT / "target" / "release" / "orchlint"))
    ap.add_argument("--changes", type=int, default=50)
    ap.add_argument("--opens", type=int, default=10)
    ap.add_argument("--beside", help="a directory copied into the workspace")
    args = ap.parse_args()
    text = manifest()
    opens, changes = [], []
    with tempfile.TemporaryDirectory() as d:
        root = pathlib.Path(d).resolve()
        if args.beside:
            shutil.copytree(args.beside, root / "beside", symlinks=True)
        path = root / "app.yaml"
        path.write_text(text)
        uri = path.as_uri()
        for _ in range(args.opens):
            s = Server([args.bin, "--isolated", "server"])
            s.request(
                "initialize",
                {"processId": os.getpid(), "capabilities": {},
                 "workspaceFolders": [{"uri": root.as_uri(), "name": "w"}]},
            )
            s.notify("initialized", {})
            t = time.perf_counter()
            s.notify("textDocument/didOpen", {"textDocument": {
                "uri": uri, "languageId": "yaml", "version": 1, "text": text}})
            found = s.diagnostics(uri, 1)
            opens.append(time.perf_counter() - t)
            if not changes:
                for v in range(2, args.changes + 2):
                    # Change one value (a replica count), as a keystroke would.
                    edited = text.replace("replicas: 2", f"replicas: {v}", 1)
                    t = time.perf_counter()
                    s.notify("textDocument/didChange", {
                        "textDocument": {"uri": uri, "version": v},
                        "contentChanges": [{"text": edited}]})
                    s.diagnostics(uri, v)
                    changes.append(time.perf_counter() - t)
            s.request("shutdown", None)
            s.notify("exit", None)
            s.p.wait(timeout=10)
    ms = lambda xs: ", ".join(
        f"{k} {v * 1000:.1f} ms" for k, v in
        [("median", statistics.median(xs)), ("min", min(xs)), ("max", max(xs))])
    print(f"manifest: {len(text.splitlines())} lines, {len(text)} bytes, "
          f"{len(found)} diagnostics" + (f"; beside {args.beside}" if args.beside else ""))
    print(f"open -> diagnostics ({len(opens)} runs, fresh server each): {ms(opens)}")
    print(f"change -> diagnostics ({len(changes)} changes): {ms(changes)}")


if __name__ == "__main__":
    main()
