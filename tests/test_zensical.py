"""Zensical, for real: the example site (examples/zensical) built by ``zensical build`` from
PyPI in a fresh virtual environment, with the commands docs/migrating.md shows."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from docs_snippets import commands, snippet
from venvs import REPO, core_requirements, make_venv, run

pytestmark = pytest.mark.hosts

EXAMPLE = REPO / "examples" / "zensical"
#: The newest Zensical that installs from the package index this project uses.
ZENSICAL = "zensical==0.0.73"


@pytest.fixture(scope="session")
def zensical(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin folder of a virtual environment with Zensical and proofbook, and no MkDocs."""
    return make_venv(tmp_path_factory.mktemp("zensical-venv"), [ZENSICAL, *core_requirements()])


#: What each command of the migration page wrote on standard error, in the ``built`` copy.
OUTPUTS: dict[str, str] = {}


@pytest.fixture(scope="session")
def built(zensical: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the example, built as the migration page says; the copy's folder."""
    site = tmp_path_factory.mktemp("zensical-site") / "example"
    shutil.copytree(EXAMPLE, site, ignore=shutil.ignore_patterns("site", ".cache", ".proofbook-cache", "assets"))
    for command in commands("zensical-commands"):
        done = run(zensical, command, site)
        assert done.returncode == 0, f"{command}:\n{done.stdout}\n{done.stderr}"
        OUTPUTS[command] = done.stderr
    return site


def page(site: Path, path: str) -> str:
    return (site / "site" / path).read_text(encoding="utf-8")


def test_the_page_shows_the_examples_configuration() -> None:
    """The configuration on the migration page is the example's, character for character."""
    assert snippet("zensical-config") == (EXAMPLE / "zensical.toml").read_text(encoding="utf-8")


def test_mkdocs_is_not_needed(zensical: Path) -> None:
    """The environment has no MkDocs: the extension and the CLI run on the core alone."""
    done = run(zensical, "python -c 'import mkdocs'", REPO)
    assert done.returncode != 0 and "No module named 'mkdocs'" in done.stderr


def test_handbook_pages_have_formulas_and_badges(built: Path) -> None:
    chapter = page(built, "handbook/matrix-derivatives/index.html")
    for ident, number in [("trace-ab-grad", "1.1"), ("trace-ba-grad", "1.2"),
                          ("trace-abat-grad", "1.3"), ("log-det-grad", "1.4")]:
        assert f'id="{ident}"' in chapter
        assert f"<span class=\"pb-eqno\">({number})</span>" in chapter
    assert chapter.count('class="pb-badge pb-verified') == 4
    assert "✔ proved for every n" in chapter
    assert "exact test at random rational points" in chapter
    assert "proofbook-chapter" not in chapter
    assert 'href="#trace-ab-grad"' in chapter  # (1.2)'s proof cites (1.1) on the same page
    home = page(built, "index.html")
    assert 'href="handbook/matrix-derivatives/#trace-ab-grad"' in home
    assert 'class="pb-entry pb-verified" id="trace-cyclic"' in home
    index = page(built, "handbook/index.html")
    assert '<a href="../matrix-algebra/">2. Matrix algebra</a>' in index or 'href="matrix-algebra/"' in index
    assert 'data-edge="trace-ab-grad trace-ba-grad"' in page(built, "handbook/graph/index.html")


def test_the_build_verifies_once_from_the_checks_cache(built: Path) -> None:
    """``proofbook check`` verified the registry; Zensical's build (every page a new Markdown
    instance) verified it once more, all from that cache."""
    [build] = [out for command, out in OUTPUTS.items() if command.startswith("zensical build")]
    assert build.count("proofbook: 6 verified, 0 false, 0 inconclusive, 0 definitions; "
                       "0 entries verified now, 6 from the cache") == 1


def test_the_site_serves_its_scripts_itself(built: Path) -> None:
    for asset in ["assets/proofbook/vendor/katex/katex.min.js", "assets/proofbook/proofbook.js",
                  "assets/proofbook/proofbook.css", "assets/proofbook/vendor/katex/fonts/KaTeX_Main-Regular.woff2"]:
        assert (built / "site" / asset).is_file(), asset
    assert 'src="../../assets/proofbook/katex-init.js"' in page(built, "handbook/matrix-derivatives/index.html")


def test_a_wrong_identity_fails_the_build(zensical: Path, built: Path, tmp_path: Path) -> None:
    """After a good build (its pages cached by Zensical), one wrong right-hand side fails the next
    build, without --clean, because the example watches the registry; the message is proofbook's."""
    chapter = built / "registry" / "01-matrix-derivatives.yml"
    original = chapter.read_text(encoding="utf-8")
    try:
        chapter.write_text(original.replace("    rhs: inv(A).T", "    rhs: inv(A)"), encoding="utf-8")
        later = chapter.stat().st_mtime + 2  # Zensical compares modification times in whole seconds
        os.utime(chapter, (later, later))
        done = run(zensical, "zensical build", built)
        assert done.returncode != 0
        assert done.stderr.startswith("proofbook: 1 problem in the registry:\n"
                                      "registry/01-matrix-derivatives.yml:40:5: entry 'log-det-grad' (1.4) is false: ")
    finally:
        chapter.write_text(original, encoding="utf-8")


def test_proofbook_under_plugins_is_reported(zensical: Path, built: Path) -> None:
    """A zensical.toml that lists proofbook as a plugin: the check says Zensical ignores it."""
    config = built / "plugin.toml"
    config.write_text('[project]\nsite_name = "x"\nplugins = { proofbook = { registry = ["registry"] } }\n',
                      encoding="utf-8")
    done = run(zensical, "proofbook check --config plugin.toml", built)
    assert "ignore" in done.stderr and "[project.markdown_extensions.proofbook]" in done.stderr


def test_the_cache_pitfall_and_clean(zensical: Path, built: Path, tmp_path: Path) -> None:
    """What the migration page warns of: without ``watch``, Zensical serves its cached pages after a
    registry edit and proofbook never runs; ``--clean`` builds every page, and the edit fails."""
    site = tmp_path / "unwatched"
    shutil.copytree(built, site, ignore=shutil.ignore_patterns("site"))
    config = site / "zensical.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('watch = ["registry"]\n', ""), encoding="utf-8")
    assert run(zensical, "zensical build", site).returncode == 0
    chapter = site / "registry" / "01-matrix-derivatives.yml"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace("    rhs: inv(A).T", "    rhs: inv(A)"),
                       encoding="utf-8")
    cached = run(zensical, "zensical build", site)
    assert cached.returncode == 0 and "proofbook" not in cached.stderr  # the pitfall: nothing verified
    clean = run(zensical, "zensical build --clean", site)
    assert clean.returncode != 0 and "entry 'log-det-grad' (1.4) is false" in clean.stderr
