"""The package's layout holds: a core that needs no MkDocs, adapters on top, imports one way.

The import contracts live in pyproject.toml (``[tool.importlinter]``); here they are run, kept
complete (every core module is under them), and backed by running ``proofbook check`` in a
Python where MkDocs and Python-Markdown cannot be imported at all.
"""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import proofbook

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

SiteFactory = Callable[..., Path]  # conftest's make_site

ROOT = Path(__file__).resolve().parents[1]
CONTRACTS = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]["contracts"]
#: What the core must never import: the hosts (their top-level packages) and the adapters.
HOSTS = ("mkdocs", "material")
#: What ``proofbook check`` must run without: the hosts, and Python-Markdown, which only the
#: pages need (the core renders registry Markdown with it).
NOT_FOR_CHECK = (*HOSTS, "markdown", "pymdownx")

#: Runs ``proofbook`` (argv after the script) where importing a host fails, then reports which
#: host modules were imported: none may be.
WITHOUT_HOSTS = """
import importlib.abc, sys

BLOCKED = {blocked!r}

class NoHosts(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named {name!r} (blocked: the core must not need it)")
        return None

sys.meta_path.insert(0, NoHosts())
from proofbook.adapters.cli import main
status = main(sys.argv[1:])
loaded = sorted(m for m in sys.modules if m.split(".")[0] in BLOCKED)
print("host modules:", loaded, file=sys.stderr)
sys.exit(status)
"""


def contract(kind: str) -> dict[str, object]:
    (found,) = [c for c in CONTRACTS if c["type"] == kind]
    return found


def test_import_contracts_are_kept() -> None:
    """import-linter: the core imports no host and no adapter, and layers import downwards only."""
    run = subprocess.run([str(Path(sys.executable).with_name("lint-imports")), "--no-cache"], cwd=ROOT,
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Contracts: 2 kept, 0 broken." in run.stdout


def test_every_core_module_is_under_the_contracts() -> None:
    """A new module of the package must be placed in a layer and be kept from the hosts."""
    modules = {m.name for m in pkgutil.iter_modules(proofbook.__path__)} - {"__main__"}
    layers = {name.strip() for layer in contract("layers")["layers"]  # type: ignore[attr-defined]
              for name in layer.replace("|", ":").split(":")}
    assert layers == modules
    forbidden = contract("forbidden")
    assert {m.removeprefix("proofbook.") for m in forbidden["source_modules"]} == modules - {"adapters"}  # type: ignore[attr-defined]
    assert set(forbidden["forbidden_modules"]) == {*HOSTS, "proofbook.adapters"}  # type: ignore[arg-type]


def run_without_hosts(args: list[str], cwd: Path,
                      blocked: tuple[str, ...] = NOT_FOR_CHECK) -> subprocess.CompletedProcess[str]:
    """``proofbook ARGS`` in a Python where the ``blocked`` packages cannot be imported."""
    script = WITHOUT_HOSTS.replace("{blocked!r}", repr(set(blocked)))
    return subprocess.run([sys.executable, "-c", script, *args], cwd=cwd, capture_output=True,
                          text=True, check=False, timeout=300)


def test_check_and_export_run_where_mkdocs_cannot_be_imported(make_site: SiteFactory, tmp_path: Path) -> None:
    """``proofbook check --config mkdocs.yml`` and ``export`` of a Material site (tags, INHERIT)
    verify and write without MkDocs or Python-Markdown: neither is ever imported."""
    make_site(tmp_path)
    check = run_without_hosts(["check", "--config", "mkdocs.yml", "--json", "out/results.json"], tmp_path)
    assert check.returncode == 0, check.stderr
    assert "host modules: []" in check.stderr and "Traceback" not in check.stderr
    assert check.stdout.splitlines()[-1].endswith("0 false, 0 inconclusive, 1 definition")
    assert (tmp_path / "out" / "results.json").is_file()
    export = run_without_hosts(["export", "--format", "latex", "-o", "out/sheet.tex"], tmp_path)
    assert export.returncode == 0, export.stderr
    assert "options from mkdocs.yml (plugins: proofbook)" in export.stderr
    assert "host modules: []" in export.stderr and (tmp_path / "out" / "sheet.tex").is_file()


def test_a_failing_check_without_mkdocs_still_names_the_problem(tmp_path: Path) -> None:
    """Bad input without MkDocs: exit 2, proofbook's message, no traceback."""
    (tmp_path / "proofbook.toml").write_text("registry = ['sheet']\njobs = -1\n", encoding="utf-8")
    run = run_without_hosts(["check"], tmp_path)
    assert run.returncode == 2
    assert ("proofbook.toml:2: proofbook option 'jobs': Expected a whole number from 0 to 256 but received: -1"
            in run.stderr)
    assert "Traceback" not in run.stderr and "host modules: []" in run.stderr
