"""``proofbook build --out DIR``: the handbook as files for any static site generator, the same
bytes on every run, and ``--check`` for CI."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from docs_snippets import commands
from proofbook.adapters.cli import main
from samples import WRONG
from test_layout import HOSTS, run_without_hosts

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "zensical"
#: Small sizes and one worker (proofbook.toml in the project): these tests are about files.
FAST = 'exact_sizes = [1]\nrandom_sizes = [1, 2]\npoints = 1\nnumeric_sizes = [3]\nnumeric_points = 1\njobs = 1\n'


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project with the example's registry and a proofbook.toml, as the working directory."""
    shutil.copytree(EXAMPLE / "registry", tmp_path / "registry")
    cache = tmp_path_factory.getbasetemp() / "generate-cache"
    (tmp_path / "proofbook.toml").write_text(f'{FAST}cache_dir = "{cache}"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def build(*args: str) -> int:
    return main(["build", *args])


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_writes_pages_exports_and_assets(project: Path) -> None:
    assert build("--out", "out") == 0
    files = snapshot(project / "out")
    for name in ["index.md", "matrix-derivatives.md", "matrix-algebra.md", "graph.md", "notation.md", "print.md",
                 "proofbook.json", "proofbook.tex", "proofbook.bib", "assets/proofbook/proofbook.css",
                 "assets/proofbook/vendor/katex/katex.min.js", "assets/proofbook/proofbook.js"]:
        assert name in files, name
    chapter = files["matrix-derivatives.md"].decode()
    assert "<span class=\"pb-eqno\">(1.1)</span>" in chapter and 'class="pb-badge pb-verified' in chapter
    assert "[[" not in chapter.replace("&#91;&#91;", "")  # every reference resolved (the Cite control shows the syntax escaped)
    index = files["index.md"].decode()
    assert 'href="matrix-derivatives/#trace-ab-grad"' in index
    assert "[JSON](proofbook.json)" in index
    printable = files["print.md"].decode()
    assert 'href="#trace-ab-grad"' in printable and "matrix-derivatives/#" not in printable


def test_a_second_run_writes_the_same_bytes(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Reproducible: nothing is dated or timed, so a rerun rewrites nothing and changes nothing."""
    assert build("--out", "out") == 0
    first = snapshot(project / "out")
    capsys.readouterr()
    assert build("--out", "out") == 0
    assert snapshot(project / "out") == first
    assert f"0 files in out written or removed; {len(first)} files in all" in capsys.readouterr().err


def test_check_names_the_stale_files(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``--check`` writes nothing; after a registry edit it exits 1 naming each stale file."""
    assert build("--out", "out") == 0
    assert build("--out", "out", "--check") == 0
    chapter = project / "registry" / "02-matrix-algebra.yml"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace("Transpose of a product", "Transposes"),
                       encoding="utf-8")
    (project / "out" / "graph.md").unlink()
    capsys.readouterr()
    assert build("--out", "out", "--check") == 1
    err = capsys.readouterr().err
    for name in ["matrix-algebra.md", "index.md", "print.md", "proofbook.json", "graph.md"]:
        assert f"out/{name}: missing or out of date; run the same command without --check" in err
    assert "out/matrix-derivatives.md" not in err
    assert not (project / "out" / "graph.md").exists()


def test_a_renamed_chapter_leaves_no_old_page(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The old page of a renamed chapter is stale content: --check names it, a build removes it,
    and files the generator never wrote stay."""
    assert build("--out", "out") == 0
    (project / "out" / "mine.md").write_text("# My own page\n", encoding="utf-8")
    chapter = project / "registry" / "02-matrix-algebra.yml"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace("slug: matrix-algebra", "slug: algebra"),
                       encoding="utf-8")
    capsys.readouterr()
    assert build("--out", "out", "--check") == 1
    err = capsys.readouterr().err
    assert "out/matrix-algebra.md: left over from an earlier build; run the same command without --check" in err
    assert "out/algebra.md: missing or out of date" in err
    assert build("--out", "out") == 0
    assert not (project / "out" / "matrix-algebra.md").exists()
    assert (project / "out" / "algebra.md").is_file() and (project / "out" / "mine.md").is_file()
    assert build("--out", "out", "--check") == 0


def test_a_false_identity_writes_nothing(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "registry" / "03-wrong.yml").write_text(WRONG, encoding="utf-8")
    assert build("--out", "out") == 1
    assert "03-wrong.yml:3:5: entry 'wrong-gradient' (3.1) is false" in capsys.readouterr().err
    assert not (project / "out").exists()


def test_assets_only(project: Path) -> None:
    assert build("--out", "docs", "--assets-only") == 0
    names = set(snapshot(project / "docs"))
    assert names and all(name.startswith("assets/proofbook/") for name in names - {".proofbook-files"})


def test_file_urls(project: Path) -> None:
    assert build("--out", "out", "--no-directory-urls") == 0
    assert 'href="matrix-derivatives.html#trace-ab-grad"' in (project / "out" / "index.md").read_text(encoding="utf-8")


def test_the_migration_pages_commands(project: Path) -> None:
    """The generator recipe of docs/migrating.md, as written: build, then check."""
    for line in commands("generate-commands"):
        program, *args = line.split()
        assert program == "proofbook"
        assert main(args) == 0, line
    assert (project / "docs" / "handbook" / "index.md").is_file()


def test_build_runs_where_no_host_can_be_imported(project: Path) -> None:
    """The generator is core: no MkDocs or Material is imported (Python-Markdown renders the
    registry's notes, as in every front end)."""
    done = run_without_hosts(["build", "--out", "out"], project, HOSTS)
    assert done.returncode == 0, done.stderr
    assert "host modules: []" in done.stderr
    assert (project / "out" / "matrix-derivatives.md").is_file()
