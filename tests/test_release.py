"""The distribution: sdist and wheel build, pass ``twine check``, carry the assets and the
schema, and the wheel installed into a fresh virtual environment builds a site.

Building uses the package index (the build backend, then proofbook's dependencies for the
fresh environment) through pip's cache.
"""

from __future__ import annotations

import subprocess
import sys
import tarfile
import venv
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

import proofbook
from samples import WRONG

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "plugin" / "proofbook"

pytestmark = pytest.mark.release


def run(*command: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(part) for part in command], cwd=cwd, capture_output=True, text=True,
                          check=False, timeout=900)


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """``python -m build``: the sdist and the wheel, by their suffix."""
    out = tmp_path_factory.mktemp("dist")
    built = run(sys.executable, "-m", "build", "--outdir", out, ROOT)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    files = {path.suffix: path for path in out.iterdir()}
    assert set(files) == {".gz", ".whl"}
    return files


def test_twine_check_passes(dist: dict[str, Path]) -> None:
    """PyPI will accept both files and render the README."""
    checked = run(sys.executable, "-m", "twine", "check", "--strict", *dist.values())
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.count("PASSED") == 2


def packaged_files() -> set[str]:
    """Every file of the package that git tracks: the modules, the schema and the assets."""
    listed = run("git", "ls-files", "plugin/proofbook").stdout.split()
    return {name.removeprefix("plugin/") for name in listed}


def test_wheel_holds_the_package_its_assets_and_schema(dist: dict[str, Path]) -> None:
    """Every module, the vendored KaTeX (fonts included) and Mermaid, and the registry schema;
    no tests, caches or virtual environments."""
    with zipfile.ZipFile(dist[".whl"]) as wheel:
        names = set(wheel.namelist())
        entry_points = wheel.read(f"mkdocs_proofbook-{proofbook.__version__}.dist-info/entry_points.txt").decode()
        metadata = Parser().parsestr(wheel.read(f"mkdocs_proofbook-{proofbook.__version__}.dist-info/METADATA")
                                     .decode())
    package = {name for name in names if name.startswith("proofbook/")}
    assert package == packaged_files()
    assert {"proofbook/registry.schema.json", "proofbook/assets/vendor/katex/katex.min.js",
            "proofbook/assets/vendor/katex/fonts/KaTeX_Main-Regular.woff2",
            "proofbook/assets/proofbook.js", "proofbook/assets/proofbook.css"} <= package
    assert not any(part in name for name in names for part in ("tests/", ".venv", "__pycache__", ".cache"))
    assert "proofbook = proofbook.adapters.mkdocs:ProofbookPlugin" in entry_points
    assert "proofbook = proofbook.adapters.cli:main" in entry_points
    assert metadata["Name"] == "mkdocs-proofbook" and metadata["Version"] == proofbook.__version__
    assert "mkdocs<2,>=1.6" in metadata.get_all("Requires-Dist")
    assert metadata["License-Expression"] == "MIT"


def test_sdist_holds_the_package_and_the_license(dist: dict[str, Path]) -> None:
    with tarfile.open(dist[".gz"]) as sdist:
        names = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    assert {f"plugin/{name}" for name in packaged_files()} <= names
    assert {"pyproject.toml", "README.md", "LICENSE"} <= names


SITE = """site_name: Installed
theme:
  name: material
  font: false
markdown_extensions:
  - md_in_html
  - attr_list
  - pymdownx.arithmatex:
      generic: true
  - pymdownx.details
  - pymdownx.superfences:
      custom_fences:
        - name: mermaid
          class: mermaid
          format: !!python/name:pymdownx.superfences.fence_code_format
plugins:
  - proofbook:
      registry: [sheet]
      jobs: 1
      exact_sizes: [1]
      random_sizes: [1, 2]
      numeric_sizes: [3]
"""

RIGHT = WRONG.replace("rhs: B\n", "rhs: B.T\n").replace("wrong-gradient", "trace-ab-grad")


def test_installed_wheel_builds_a_site(dist: dict[str, Path], tmp_path: Path) -> None:
    """``pip install <wheel>`` in a fresh venv gives the MkDocs plugin, serving its own KaTeX,
    and the ``proofbook`` command; a wrong identity fails that site's build."""
    env = tmp_path / "venv"
    venv.create(env, with_pip=True)
    installed = run(env / "bin" / "python", "-m", "pip", "install", "--quiet", dist[".whl"])
    assert installed.returncode == 0, installed.stderr[-3000:]
    site = tmp_path / "site"
    (site / "docs").mkdir(parents=True)
    (site / "docs" / "index.md").write_text("# Home\n\nSee [[trace-ab-grad]].\n", encoding="utf-8")
    (site / "sheet").mkdir()
    (site / "sheet" / "traces.yml").write_text(RIGHT, encoding="utf-8")
    (site / "mkdocs.yml").write_text(SITE, encoding="utf-8")

    built = run(env / "bin" / "mkdocs", "build", "--strict", cwd=site)
    assert built.returncode == 0, built.stderr[-3000:]
    home = (site / "site" / "index.html").read_text(encoding="utf-8")
    assert 'href="handbook/traces/#trace-ab-grad"' in home
    served = site / "site" / "assets" / "proofbook" / "vendor" / "katex" / "katex.min.js"
    assert served.read_bytes() == (PACKAGE / "assets" / "vendor" / "katex" / "katex.min.js").read_bytes()
    checked = run(env / "bin" / "proofbook", "check", cwd=site)
    assert checked.returncode == 0, checked.stderr[-3000:]
    assert "options from mkdocs.yml (plugins: proofbook)" in checked.stderr

    (site / "sheet" / "traces.yml").write_text(WRONG, encoding="utf-8")
    failed = run(env / "bin" / "mkdocs", "build", "--strict", cwd=site)
    assert failed.returncode == 1
    assert "entry 'wrong-gradient' (1.1) is false: exact at n = 2 with" in failed.stderr
