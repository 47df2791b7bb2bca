"""ProperDocs, for real: the repository's own site (plugin and all) built by ``properdocs build
--strict`` from PyPI in a fresh virtual environment, with the commands docs/migrating.md shows."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from docs_snippets import commands
from venvs import REPO, core_requirements, make_venv, run

pytestmark = pytest.mark.hosts


@pytest.fixture(scope="session")
def properdocs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin folder of a virtual environment with ProperDocs, Material and proofbook."""
    return make_venv(tmp_path_factory.mktemp("properdocs-venv"),
                     ["properdocs", "mkdocs-material", *core_requirements()])


def copy_site(to: Path) -> Path:
    """The repository's site (configuration, pages, registry) in ``to``."""
    to.mkdir(parents=True)
    shutil.copy(REPO / "mkdocs.yml", to)
    for folder in ("docs", "registry"):
        shutil.copytree(REPO / folder, to / folder)
    return to


@pytest.fixture(scope="session")
def built(properdocs: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's site, built as the migration page says; the copy's folder."""
    site = copy_site(tmp_path_factory.mktemp("properdocs") / "repo")
    for command in commands("properdocs-commands"):
        done = run(properdocs, command, site)
        assert done.returncode == 0, f"{command}:\n{done.stdout}\n{done.stderr}"
    return site


def test_the_handbook_is_verified_and_published(built: Path) -> None:
    """Every identity of the repository's registry is on its chapter page with its badge."""
    handbook = built / "site" / "handbook"
    chapters = [p for p in sorted(handbook.glob("*/index.html"))
                if p.parent.name not in ("graph", "print", "notation", "corrections")]
    badges = sum(p.read_text(encoding="utf-8").count('class="pb-badge pb-verified') for p in chapters)
    summary = json.loads((built / "site" / "proofbook.json").read_text(encoding="utf-8"))["summary"]
    assert badges == summary["verified"] > 150 and summary["false"] == summary["inconclusive"] == 0
    assert (built / "site" / "migrating" / "index.html").is_file()


def test_a_wrong_identity_fails_the_strict_build(properdocs: Path, built: Path, tmp_path: Path) -> None:
    """A copy with one wrong right-hand side: ``properdocs build --strict`` stops with proofbook's
    message (the copy keeps the first build's cache, so only the edited entry is verified)."""
    site = tmp_path / "wrong"
    shutil.copytree(built, site, ignore=shutil.ignore_patterns("site"))
    chapter = site / "registry" / "02-matrix-algebra.yml"
    text = chapter.read_text(encoding="utf-8")
    assert "    rhs: inv(B)*inv(A)\n" in text
    chapter.write_text(text.replace("    rhs: inv(B)*inv(A)\n", "    rhs: inv(A)*inv(B)\n"), encoding="utf-8")
    done = run(properdocs, "properdocs build --strict -f mkdocs.yml", site)
    assert done.returncode == 1
    assert "proofbook: 1 problem in the registry:" in done.stderr
    assert "registry/02-matrix-algebra.yml:26:5: entry 'inverse-of-product' (2.3) is false: " in done.stderr
    assert "Traceback" not in done.stderr
