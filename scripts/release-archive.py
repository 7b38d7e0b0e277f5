#!/usr/bin/env python3
"""Packs the orchlint binary of a wheel into a standalone release archive.

The wheel (maturin's `bin` bindings) holds the binary under
`orchlint-<version>.data/scripts/`; taking it from there means the archive
ships the very bytes the wheel does. Writes, in OUT_DIR:

  orchlint-<target>.tar.gz  (orchlint-<target>.zip for Windows targets)
      orchlint-<target>/orchlint[.exe] and README.md
  orchlint-<target>.tar.gz.sha256
      "<sha-256>  <archive name>", the format `sha256sum --check` reads

Usage: release-archive.py WHEEL TARGET OUT_DIR [README]
Standard library only, so it runs on every release runner as it is.
"""

import hashlib
import io
import os
import sys
import tarfile
import zipfile


def binary_from_wheel(wheel_path):
    """Returns (file name, bytes) of the one executable in the wheel's scripts."""
    with zipfile.ZipFile(wheel_path) as wheel:
        found = [
            name
            for name in wheel.namelist()
            if ".data/scripts/" in name and os.path.basename(name) in ("orchlint", "orchlint.exe")
        ]
        if len(found) != 1:
            sys.exit(f"{wheel_path}: expected one orchlint binary under .data/scripts/, found {found}")
        return os.path.basename(found[0]), wheel.read(found[0])


def add_tar(tar, name, data, mode):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = mode
    # Fixed owner and time: the archive depends only on its contents.
    info.mtime = 0
    info.uname = info.gname = ""
    tar.addfile(info, io.BytesIO(data))


def main(argv):
    if len(argv) not in (4, 5):
        sys.exit(__doc__)
    wheel_path, target, out_dir = argv[1:4]
    readme = open(argv[4], "rb").read() if len(argv) == 5 else None
    exe_name, exe = binary_from_wheel(wheel_path)
    folder = f"orchlint-{target}"
    os.makedirs(out_dir, exist_ok=True)
    if "windows" in target:
        archive = f"{folder}.zip"
        with zipfile.ZipFile(os.path.join(out_dir, archive), "w", zipfile.ZIP_DEFLATED) as out:
            out.writestr(f"{folder}/{exe_name}", exe)
            if readme is not None:
                out.writestr(f"{folder}/README.md", readme)
    else:
        archive = f"{folder}.tar.gz"
        with tarfile.open(os.path.join(out_dir, archive), "w:gz") as out:
            add_tar(out, f"{folder}/{exe_name}", exe, 0o755)
            if readme is not None:
                add_tar(out, f"{folder}/README.md", readme, 0o644)
    with open(os.path.join(out_dir, archive), "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    with open(os.path.join(out_dir, archive + ".sha256"), "w", encoding="ascii", newline="\n") as f:
        f.write(f"{digest}  {archive}\n")
    print(f"{archive}: {os.path.getsize(os.path.join(out_dir, archive))} bytes, sha256 {digest}")


if __name__ == "__main__":
    main(sys.argv)
