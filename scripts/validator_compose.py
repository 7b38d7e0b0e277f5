"""Runs what `docker-compose config -q` runs, for many Compose files in one process.

Reads a JSON list of [compose file, project directory] pairs on stdin and prints a
JSON object: file -> [accepted, message]. Run it with the Python interpreter that
docker-compose itself uses (Debian's docker-compose 1.29.2 is a Python package):
starting docker-compose costs seconds per file on a loaded machine, while the
validation is `compose.cli.command.get_config_from_options`, the call that
`TopLevelCommand.config` makes before it returns early for `--quiet`.
"""
import json
import logging
import sys

from compose.cli.command import get_config_from_options


def main():
    logging.disable(logging.CRITICAL)  # unset-variable warnings are not verdicts
    out = {}
    for file, directory in json.load(sys.stdin):
        options = {"--file": [file], "--project-directory": directory, "--env-file": None}
        try:
            get_config_from_options(directory, options, {"--no-interpolate": False})
            out[file] = [True, ""]
        except Exception as err:  # every error of config loading is a rejection
            out[file] = [False, f"{type(err).__name__}: {err}".strip()]
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
