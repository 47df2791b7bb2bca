"""``proofbook check``: lines, summary, exit statuses and --json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from proofbook.adapters.cli import main
from samples import WRONG, copy_seed_chapters

ROOT = Path(__file__).resolve().parents[1]


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["check", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_repository_registry_verifies(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Every identity of registry/ is verified: exit 0, one line per entry, the summary."""
    report = tmp_path / "results.json"
    code, out, err = run([str(ROOT / "registry"), "--json", str(report)], capsys)  # the session cache
    assert code == 0, err
    lines = out.splitlines()
    assert any(line.split()[:3] == ["1.12", "trace-abatc-grad", "verified"] for line in lines)
    assert lines[-1].endswith("0 false, 0 inconclusive, 2 definitions")
    data = json.loads(report.read_text())
    entry = next(e for e in data["entries"] if e["id"] == "trace-abatc-grad")
    assert entry["status"] == "verified" and entry["number"] == "1.12"
    assert [e["method"] for e in entry["evidence"]] == ["randomized", "numeric", "formal"]
    assert entry["level"] == "proved"
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
    copy_seed_chapters(ROOT / "registry", registry)
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
    assert "sheet/wrong.yml:" in err and "is false: exact at n = " in err  # the registry the site names


def test_config_without_the_plugin_is_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A mkdocs.yml that does not use proofbook is named in the error."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: T\n")
    code, _, err = run(["--config", str(tmp_path / "mkdocs.yml")], capsys)
    assert code == 2
    assert f"{tmp_path / 'mkdocs.yml'}: this MkDocs configuration does not use the proofbook plugin." in err


# -- arguments are checked as options are ---------------------------------------------------------


def bad_arguments(tmp_path: Path) -> list[tuple[list[str], str]]:
    """Arguments ``proofbook`` refuses, each with the one line that says why."""
    a_file = tmp_path / "a-file"
    a_file.write_text("")
    return [
        (["check", "--jobs", "-1"], "argument --jobs: Expected a whole number from 0 to 256 but received: -1"),
        (["check", "--jobs", "two"], "argument --jobs: Expected a whole number from 0 to 256 but received: 'two'"),
        (["check", "--jobs", "1.5"], "argument --jobs: Expected a whole number from 0 to 256 but received: 1.5"),
        (["check", "--jobs", "5000"], "argument --jobs: Expected a whole number from 0 to 256 but received: 5000"),
        (["check", "--time-limit", "0"],
         "argument --time-limit: Expected a finite number of at least 0.001 but received: 0"),
        (["check", "--time-limit", "-3"],
         "argument --time-limit: Expected a finite number of at least 0.001 but received: -3"),
        (["check", "--time-limit", "1e400"],
         "argument --time-limit: Expected a finite number of at least 0.001 but received: inf"),
        (["check", "--time-limit", "inf"],
         "argument --time-limit: Expected a finite number of at least 0.001 but received: inf"),
        (["check", "--time-limit", "nan"],
         "argument --time-limit: Expected a finite number of at least 0.001 but received: nan"),
        (["check", "--time-limit", "soon"],
         "argument --time-limit: Expected a finite number of at least 0.001 but received: 'soon'"),
        (["check", "--json", "/"], "argument --json: Expected a file to write but received a folder: '/'"),
        (["check", "--json", str(tmp_path)],
         f"argument --json: Expected a file to write but received a folder: {str(tmp_path)!r}"),
        (["check", "--json", "results/"], "argument --json: Expected a file to write but received a folder: 'results/'"),
        (["check", "--json", str(a_file / "results.json")],
         f"argument --json: Expected a file in a folder that can be written but received: {str(a_file / 'results.json')!r}"),
        (["check", "--json", ""], "argument --json: Expected a file to write but received: ''"),
        (["check", "--cache-dir", str(a_file)], f"argument --cache-dir: Expected a folder but received: {str(a_file)!r}"),
        (["check", "--shard", "0/2"], "argument --shard: expected K/N with 1 <= K <= N, such as 1/4, not '0/2'"),
        (["check", "--shard", "3/2"], "argument --shard: expected K/N with 1 <= K <= N, such as 1/4, not '3/2'"),
        (["check", "--shard", "1/x"], "argument --shard: expected K/N with 1 <= K <= N, such as 1/4, not '1/x'"),
        (["export", "--date", "2024-02-30"], "argument --date: Expected a date as YYYY-MM-DD but received: '2024-02-30'"),
        (["export", "--date", "20240203"], "argument --date: Expected a date as YYYY-MM-DD but received: '20240203'"),
        (["export", "--output", str(tmp_path)],
         f"argument --output/-o: Expected a file to write but received a folder: {str(tmp_path)!r}"),
    ]


def test_bad_arguments_are_one_line_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Every argument is checked before anything runs: exit 2, the usage and one line of error."""
    for args, message in bad_arguments(tmp_path):
        with pytest.raises(SystemExit) as exit_:
            main(args)
        err = capsys.readouterr().err
        assert exit_.value.code == 2, args
        assert err.splitlines()[-1] == f"proofbook {args[0]}: error: {message}", args
        assert "Traceback" not in err


@pytest.mark.parametrize(("config", "message"), [
    ("nowhere.toml", "nowhere.toml: cannot read the configuration: No such file or directory."),
    (".", ".: cannot read the configuration: Is a directory."),
    ("site.yml", "site.yml: this MkDocs configuration does not use the proofbook plugin. Add proofbook under plugins:."),
])
def test_a_config_that_cannot_be_used_is_bad_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str], config: str, message: str) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "site.yml").write_text("site_name: T\n")
    code, out, err = run(["--config", config], capsys)
    assert (code, out) == (2, "")
    assert err.splitlines()[-1] == message and "Traceback" not in err


def test_options_come_from_the_project_configuration(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """Without --config, the first configuration file here that configures proofbook applies,
    and the check says which."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sheet").mkdir()
    (tmp_path / "sheet" / "wrong.yml").write_text(WRONG)
    (tmp_path / "pyproject.toml").write_text("[tool.proofbook]\nregistry = ['sheet']\nrandom_sizes = [3]\n"
                                             "cache = false\njobs = 1\n")
    code, _, err = run([], capsys)
    assert code == 1
    assert "proofbook: options from pyproject.toml ([tool.proofbook])" in err
    assert "sheet/wrong.yml:" in err and "is false: exact at n = " in err and not (tmp_path / ".cache").exists()


def test_a_bad_project_configuration_is_bad_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """A wrong option in a discovered file stops the check before anything is verified."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mkdocs.yml").write_text("site_name: T\nplugins:\n  - proofbook:\n      time_limit: .inf\n")
    code, out, err = run([], capsys)
    assert (code, out) == (2, "")
    assert err.splitlines()[-1] == ("mkdocs.yml:4:7: proofbook option 'time_limit': Expected a finite number "
                                    "of at least 0.001 but received: inf")


def test_zensical_plugin_gets_a_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    """proofbook listed as a Zensical plugin: verified all the same, and told it would be ignored."""
    monkeypatch.chdir(tmp_path)
    copy_seed_chapters(ROOT / "registry", tmp_path / "registry")
    (tmp_path / "zensical.toml").write_text("[project]\nsite_name = 'T'\n\n[project.plugins.proofbook]\n"
                                            f"cache_dir = {str(tmp_path / 'cache')!r}\n")
    code, _, err = run([], capsys)
    assert code == 0, err
    assert "zensical.toml: Zensical ignores MkDocs plugins: [project.plugins.proofbook] does nothing" in err


def test_export_takes_the_sites_citation_options(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """export --config: title, authors, version, date and the pages' folder of the site, unless
    an argument says otherwise."""
    monkeypatch.chdir(tmp_path)
    copy_seed_chapters(ROOT / "registry", tmp_path / "registry")
    (tmp_path / "proofbook.toml").write_text(
        f"cache_dir = {str(tmp_path / 'cache')!r}\nhandbook_title = 'Sheet'\nauthors = ['Ada']\n"
        "version = '2'\ndate = 2024-02-29\noutput_dir = 'formulas'\n")
    assert main(["export", "--url", "https://example.org/", "-o", "out.json"]) == 0
    header = json.loads((tmp_path / "out.json").read_text())["handbook"]
    assert header == {"title": "Sheet", "authors": ["Ada"], "version": "2", "url": "https://example.org/",
                      "date": "2024-02-29"}
    assert main(["export", "--url", "https://example.org/", "--format", "bibtex", "-o", "out.bib"]) == 0
    assert "\\url{https://example.org/formulas/matrix-derivatives/#" in (tmp_path / "out.bib").read_text()
    assert main(["export", "--title", "Other", "--author", "Bo", "-o", "out.json"]) == 0
    header = json.loads((tmp_path / "out.json").read_text())["handbook"]
    assert (header["title"], header["authors"]) == ("Other", ["Bo"])
    capsys.readouterr()
