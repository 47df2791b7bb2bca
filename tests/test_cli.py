"""``proofbook check``: lines, summary, exit statuses and --json."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from proofbook.adapters.cli import main
from samples import WRONG

ROOT = Path(__file__).resolve().parents[1]


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["check", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_repository_registry_verifies(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Every identity of registry/ is verified: exit 0, one line per entry, the summary."""
    report = tmp_path / "results.json"
    code, out, err = run([str(ROOT / "registry"), "--no-cache", "--json", str(report)], capsys)
    assert code == 0, err
    lines = out.splitlines()
    assert any(line.split()[:3] == ["1.12", "trace-abatc-grad", "verified"] for line in lines)
    assert lines[-1].endswith("0 false, 0 inconclusive, 2 definitions")
    data = json.loads(report.read_text())
    entry = next(e for e in data["entries"] if e["id"] == "trace-abatc-grad")
    assert entry["status"] == "verified" and entry["number"] == "1.12"
    assert [e["method"] for e in entry["evidence"]] == ["randomized", "numeric", "symbolic", "matrix-calculus"]
    assert entry["proof"] and all(step["status"] == "verified" for step in entry["proof"])


def test_false_identity_exits_1_with_counterexample(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A false identity: exit 1, and stderr names file:line, id and the counterexample."""
    (tmp_path / "wrong.yml").write_text(WRONG)
    code, out, err = run([str(tmp_path), "--no-cache", "--jobs", "1"], capsys)
    assert code == 1
    assert f"{tmp_path / 'wrong.yml'}:3:5: entry 'wrong-gradient' (1.1) is false: exact at n = 2 with A = [[" in err
    assert "entry (1, 2) lhs = " in err and "Traceback" not in err + out


def test_bad_input_exits_2_without_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An expression error: exit 2, file:line:column and entry id, no traceback."""
    (tmp_path / "bad.yml").write_text(WRONG.replace("rhs: B", "rhs: B*D"))
    code, _, err = run([str(tmp_path), "--no-cache"], capsys)
    assert code == 2
    assert f"{tmp_path / 'bad.yml'}:9:12: entry 'wrong-gradient': unknown symbol 'D'." in err
    assert "Traceback" not in err


def test_missing_registry_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A path that does not exist is bad input."""
    code, _, err = run([str(tmp_path / "nowhere")], capsys)
    assert code == 2 and "nowhere" in err


def test_cache_makes_the_second_run_skip_verification(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """With a cache, a second run reuses the verdicts (and still reports them)."""
    registry = tmp_path / "registry"
    shutil.copytree(ROOT / "registry", registry)
    cache = tmp_path / "cache"
    first = run([str(registry), "--cache-dir", str(cache)], capsys)
    assert first[0] == 0 and (cache / "results.json").is_file()
    second = run([str(registry), "--cache-dir", str(cache)], capsys)
    assert second[0] == 0 and second[1] == first[1]


def test_config_takes_the_sites_plugin_options(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--config verifies the registry of a mkdocs.yml with its proofbook options."""
    site = tmp_path / "site"
    (site / "docs").mkdir(parents=True)
    (site / "docs" / "index.md").write_text("# Home\n")
    (site / "sheet").mkdir()
    (site / "sheet" / "wrong.yml").write_text(WRONG)
    (site / "mkdocs.yml").write_text(
        "site_name: T\nmarkdown_extensions: [md_in_html]\n"
        "plugins:\n  - proofbook:\n      registry: [sheet]\n      random_sizes: [3]\n      cache_dir: ''\n")
    code, _, err = run(["--config", str(site / "mkdocs.yml"), "--jobs", "1"], capsys)
    assert code == 1
    assert "is false: exact at n = 3 with" in err


def test_config_without_the_plugin_is_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A mkdocs.yml that does not use proofbook is named in the error."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: T\n")
    code, _, err = run(["--config", str(tmp_path / "mkdocs.yml")], capsys)
    assert code == 2
    assert f"{tmp_path / 'mkdocs.yml'}: this MkDocs configuration does not use the proofbook plugin." in err
