"""Evidence levels: the badge's words never claim more than the level, and a site can require one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from proofbook.adapters.cli import main
from proofbook.check import CheckOptions, Report
from proofbook.model import EntryReport, Evidence, Level, Result, SymbolDecl, weakest
from proofbook.render.levels import dimensions, level_words
from samples import WRONG

EXACT = Evidence("randomized", "exact test", (1, 2, 3, 4, 6, 8))
SYMBOLIC = Evidence("symbolic", "symbolic proof for n = 1, 2", (1, 2))


@pytest.mark.parametrize(("result", "dims", "words"), [
    # proved: the entry's own dimension names, never a generic n
    (Result("verified", (EXACT,), level="proved"), ["n"], "proved for every n"),
    (Result("verified", (EXACT,), level="proved"), ["d", "m", "p"], "proved for every d, m and p"),
    (Result("verified", (EXACT,), level="proved"), [], "proved"),
    # proved at some sizes, tested beyond
    (Result("verified", (EXACT, SYMBOLIC), level="proved-for-sizes"), ["n"], "proved for n ≤ 2, tested for n ≤ 8"),
    (Result("verified", (EXACT, SYMBOLIC), level="proved-for-sizes"), ["m", "n"],
     "proved for m, n ≤ 2, tested for m, n ≤ 8"),
    (Result("verified", (EXACT,), level="tested"), ["n"], "tested for n ≤ 8"),
    (Result("verified", (Evidence("randomized", "exact test"),), level="tested"), [], "tested at exact random points"),
    (Result("verified", (Evidence("numeric", "numeric", (6,)),), level="numeric"), ["n"], "numeric check only for n ≤ 6"),
    (Result("verified", (Evidence("numeric", "numeric"),), level="numeric"), [], "numeric check only"),
])
def test_level_words(result: Result, dims: list[str], words: str) -> None:
    """A few words a student understands, naming the largest size each method reached."""
    assert level_words(result, dims) == words


def test_dimensions_in_declaration_order_without_fixed_sizes() -> None:
    """Dimension names come from shapes; fixed sizes are not dimensions."""
    from test_pages import make_entry

    entry = make_entry(symbols=(SymbolDecl("X", "matrix", ("p", 3)), SymbolDecl("v", "vector", ("d", 1)),
                                SymbolDecl("Y", "matrix", ("d", "p"))))
    assert dimensions(entry) == ["p", "d"]


def test_a_chain_reaches_its_weakest_link() -> None:
    assert weakest(["proved", "tested", "proved-for-sizes"]) == "tested"
    assert weakest(["proved"]) == "proved"


def test_json_reports_the_level(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``check --json`` has one ``level`` per verified entry, from the four values only."""
    (tmp_path / "r.yml").write_text(WRONG.replace("rhs: B", "rhs: B.T"))
    out = tmp_path / "out.json"
    assert main(["check", str(tmp_path), "--no-cache", "--jobs", "1", "--json", str(out)]) == 0
    entry, = json.loads(out.read_text())["entries"]
    assert entry["status"] == "verified"
    assert entry["level"] in ("proved", "proved-for-sizes", "tested", "numeric")


def report_at(level: Level, require: Level) -> Report:
    """A report of one verified identity at ``level``, checked with ``require``."""
    from test_pages import make_entry

    result = Result("verified", (EXACT,), level=level)
    return Report(entries=[EntryReport(make_entry(), result, "x")], require=require)


@pytest.mark.parametrize(("level", "require", "fails"), [
    ("tested", "proved", True),
    ("proved-for-sizes", "proved", True),
    ("numeric", "tested", True),
    ("proved", "proved", False),
    ("tested", "tested", False),
    ("proved", "numeric", False),
])
def test_require_fails_an_identity_below_the_level(level: Level, require: Level, fails: bool) -> None:
    """Below the required level is a problem naming the entry, both levels and the fix."""
    problems = report_at(level, require).problems()
    if not fails:
        assert problems == []
        return
    problem, = problems
    assert problem.startswith("registry/01-traces.yml:3:5: entry 'log-det-grad' (1.2) is verified only at level "
                              f"'{level}' (exact test), below the level '{require}' that this site requires.")
    assert "the plugin's require option, proofbook check --require" in problem


def test_cli_require_reaches_the_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``--require`` overrides the default ``numeric`` of the check options."""
    import proofbook.adapters.cli as cli

    seen: list[Level] = []

    def spy(registry: object, options: CheckOptions, *rest: object) -> Report:
        seen.append(options.require)
        return Report()

    monkeypatch.setattr(cli, "check_registry", spy)
    (tmp_path / "r.yml").write_text(WRONG)
    main(["check", str(tmp_path), "--no-cache", "--require", "tested"])
    main(["check", str(tmp_path), "--no-cache"])
    assert seen == ["tested", "numeric"]


def test_require_refuses_an_unknown_level(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["check", "--require", "proven"])
    assert exit_.value.code == 2 and "invalid choice: 'proven'" in capsys.readouterr().err
