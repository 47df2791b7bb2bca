"""Fresh virtual environments with another site generator and this package, for the tests that
build with Zensical or ProperDocs as a user would: installed from PyPI by pip, not imported here.

pip's cache keeps a second session fast; this package goes in without its dependencies (those a
host needs are named by the test), so the test also shows which ones proofbook needs there.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import venv
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

REPO = Path(__file__).resolve().parent.parent


def core_requirements() -> list[str]:
    """proofbook's own dependencies, without MkDocs and its theme (a host brings what it needs)."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [r for r in project["dependencies"] if not re.match(r"mkdocs\b", r)]


def make_venv(folder: Path, requirements: list[str]) -> Path:
    """A virtual environment in ``folder`` with ``requirements`` and this package; its bin folder."""
    venv.EnvBuilder(with_pip=True).create(folder)
    bin_dir = folder / ("Scripts" if os.name == "nt" else "bin")
    pip = [str(bin_dir / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    _run([*pip, *requirements])
    _run([*pip, "--no-deps", str(REPO)])
    return bin_dir


def _run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")


def run(bin_dir: Path, command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """A shell command line as the docs show it, with the environment's programs first on PATH."""
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
           "VIRTUAL_ENV": str(bin_dir.parent)}
    env.pop("PYTHONPATH", None)
    return subprocess.run(command, shell=True, cwd=cwd, env=env, capture_output=True, text=True,
                          check=False, executable="/bin/bash" if sys.platform != "win32" else None)
