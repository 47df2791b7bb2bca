"""The verification cache: what it skips, what it never trusts, and what a warm run needs.

The rule under test: a cache can make a run faster, never change a verdict. A damaged,
edited or foreign cache costs only time.
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from proofbook.cache import CACHE_FILE, RETENTION_DAYS, ResultCache, shard_file
from proofbook.check import CheckOptions, check_registry
from proofbook.adapters.cli import main
from proofbook.model import Result
from proofbook.registry.snapshot import load_registry_cached
from proofbook.verify.claims import Settings
from samples import WRONG, copy_seed_chapters

ROOT = Path(__file__).resolve().parents[1]
SMALL = CheckOptions(Settings(exact_sizes=(1,), random_sizes=(1, 2), points=1, numeric_sizes=(3,),
                              numeric_points=1), jobs=1)

TRUE = """\
chapter: Algebra
entries:
  - id: square-of-sum
    title: Square of a sum
    symbols: {x: scalar, y: scalar}
    lhs: (x + y)**2
    rhs: x**2 + 2*x*y + y**2
    source: a test
"""


def check(folder: Path, cache_dir: Path | None, capsys: pytest.CaptureFixture[str],
          *options: str) -> tuple[int, str, str]:
    """``proofbook check FOLDER --cache-dir CACHE_DIR --jobs 1`` (no cache for None)."""
    cache = ["--no-cache"] if cache_dir is None else ["--cache-dir", str(cache_dir)]
    code = main(["check", str(folder), *cache, "--jobs", "1", *options])
    out, err = capsys.readouterr()
    return code, out, err


def records(cache_dir: Path, name: str = CACHE_FILE) -> dict[str, dict[str, object]]:
    return json.loads((cache_dir / name).read_text())["records"]


def rewrite(cache_dir: Path, change: dict[str, dict[str, object]]) -> None:
    data = json.loads((cache_dir / CACHE_FILE).read_text())
    data["records"].update(change)
    (cache_dir / CACHE_FILE).write_text(json.dumps(data))


@pytest.fixture
def wrong(tmp_path: Path) -> Path:
    (tmp_path / "registry").mkdir()
    (tmp_path / "registry" / "wrong.yml").write_text(WRONG)
    return tmp_path / "registry"


def test_a_verdict_edited_from_false_to_verified_is_verified_again(
        wrong: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The stored counterexample is replaced by a pass: the checksum catches it, the identity
    is verified again, and it is still false."""
    cache = tmp_path / "cache"
    assert check(wrong, cache, capsys)[0] == 1
    (name, record), = [(k, r) for k, r in records(cache).items() if k.startswith("result:")]
    assert record["value"]["status"] == "false"  # type: ignore[index]
    forged = {**record, "value": {"status": "verified", "evidence": [
        {"method": "symbolic", "summary": "exact symbolic proof for every n", "sizes": []}]}}
    rewrite(cache, {name: forged})

    code, out, err = check(wrong, cache, capsys)
    assert code == 1 and "wrong-gradient" in out and " false " in out
    assert "wrong.yml:3:5: entry 'wrong-gradient' (1.1) is false" in err
    assert "1 record(s) in the cache" in err and "did not match their checksum" in err
    assert "1 entry verified now, 0 from the cache" in err
    assert records(cache)[name]["value"]["status"] == "false"  # type: ignore[index]


def test_forged_latex_is_never_shown(tmp_path: Path) -> None:
    """The displayed formula comes from the checked expression: edited LaTeX is printed again."""
    (tmp_path / "r.yml").write_text(TRUE)
    cache = tmp_path / "cache"
    first = check_registry(load_registry_cached([tmp_path / "r.yml"], ResultCache(cache)), SMALL,
                           ResultCache(cache))
    rewrite(cache, {name: {**record, "value": r"\text{anything}"}
                    for name, record in records(cache).items() if name.startswith("latex:")})
    warm = ResultCache(cache)
    second = check_registry(load_registry_cached([tmp_path / "r.yml"], warm), SMALL, warm)
    assert second.entries[0].latex == first.entries[0].latex and "anything" not in second.entries[0].latex
    assert warm.rejected == 2 and second.verified_now == []


@pytest.mark.parametrize("damage", ["{ not json", '{"format": 3, "records": []}', "[1, 2]", ""])
def test_a_damaged_cache_file_costs_only_time(wrong: Path, tmp_path: Path, damage: str,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / CACHE_FILE).write_text(damage)
    code, _, err = check(wrong, cache, capsys)
    assert code == 1 and "is false" in err
    assert f"the cache file {cache / CACHE_FILE} could not be read" in err
    assert records(cache)  # written anew


def test_a_cache_of_another_format_is_ignored_quietly(wrong: Path, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / CACHE_FILE).write_text('{"format": 1, "results": {}, "latex": {}}')
    code, _, err = check(wrong, cache, capsys)
    assert code == 1 and "could not be read" not in err and "checksum" not in err


def test_an_unwritable_cache_is_a_notice(wrong: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    code, _, err = check(wrong, blocker / "cache", capsys)
    assert code == 1 and "proofbook: the cache could not be written:" in err


def test_the_key_covers_the_engine_versions(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Another SymPy (or proofbook) gives other keys: its verdicts are not reused."""
    import proofbook.cache as cache_module

    (tmp_path / "r.yml").write_text(TRUE)
    folder = tmp_path / "cache"
    registry = load_registry_cached([tmp_path / "r.yml"], ResultCache(folder))
    assert check_registry(registry, SMALL, ResultCache(folder)).verified_now == ["square-of-sum"]
    assert check_registry(registry, SMALL, ResultCache(folder)).verified_now == []
    cache_module.source_digest.cache_clear()
    monkeypatch.setattr(cache_module, "_versions", lambda: {"sympy": "99.0"})
    try:
        assert check_registry(registry, SMALL, ResultCache(folder)).verified_now == ["square-of-sum"]
    finally:
        cache_module.source_digest.cache_clear()


def test_the_key_covers_the_settings(tmp_path: Path) -> None:
    (tmp_path / "r.yml").write_text(TRUE)
    folder = tmp_path / "cache"
    registry = load_registry_cached([tmp_path / "r.yml"], ResultCache(folder))
    check_registry(registry, SMALL, ResultCache(folder))
    more = CheckOptions(Settings(exact_sizes=(1,), random_sizes=(1, 2, 3), points=1, numeric_sizes=(3,),
                                 numeric_points=1), jobs=1)
    assert check_registry(registry, more, ResultCache(folder)).verified_now == ["square-of-sum"]


def test_inconclusive_verdicts_are_not_kept(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path)
    cache.store_result("k", Result("inconclusive", reason="timed out after 1 s"))
    cache.store_result("v", Result("verified"))
    cache.save()
    assert list(records(tmp_path)) == ["result:v"]


def test_unused_records_expire(tmp_path: Path) -> None:
    """Records a run did not use stay for RETENTION_DAYS (a check of one chapter does not
    throw away the others'), then go when the file is next written."""
    day = datetime.date(2026, 1, 1)
    old = ResultCache(tmp_path, today=day)
    old.store_latex("old", "x")
    old.save()
    recent = ResultCache(tmp_path, today=day + datetime.timedelta(days=RETENTION_DAYS))
    recent.store_latex("new", "y")
    recent.save()
    assert set(records(tmp_path)) == {"latex:old", "latex:new"}
    later = ResultCache(tmp_path, today=day + datetime.timedelta(days=RETENTION_DAYS + 1))
    assert later.latex("new") == "y"
    later.save()
    assert set(records(tmp_path)) == {"latex:new"}


def test_shard_files_merge_by_copying(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Two CI jobs check one share each; their cache folders copied into one make a warm run
    that verifies nothing."""
    registry = tmp_path / "registry"
    copy_seed_chapters(ROOT / "registry", registry)
    parts = []
    for k in (1, 2):
        code, out, err = check(registry, tmp_path / f"job{k}", capsys, "--shard", f"{k}/2")
        assert code == 0, err
        assert out.splitlines()[-1].startswith(f"shard {k}/2: ")
        assert [p.name for p in (tmp_path / f"job{k}").iterdir()] == [shard_file((k, 2))]
        parts.append({line.split()[1] for line in out.splitlines()[:-1]})
    everything = {e.id for e in load_registry_cached([registry], ResultCache()).entries}
    assert parts[0] | parts[1] == everything and not parts[0] & parts[1]

    merged = tmp_path / "merged"
    for k in (1, 2):
        shutil.copytree(tmp_path / f"job{k}", merged, dirs_exist_ok=True)
    code, out, err = check(registry, merged, capsys)
    assert code == 0 and "0 entries verified now, 28 from the cache" in err
    assert sorted(p.name for p in merged.iterdir()) == [shard_file((1, 2)), shard_file((2, 2))]  # nothing new


@pytest.mark.parametrize("shard", ["0/2", "3/2", "1", "a/b", "1/0"])
def test_a_bad_shard_is_a_usage_error(shard: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["check", "--shard", shard])
    assert exit_.value.code == 2
    assert f"argument --shard: expected K/N with 1 <= K <= N, such as 1/4, not '{shard}'" in capsys.readouterr().err


WARM_CHECK = """
import sys
from proofbook.adapters.cli import main
code = main(["check", sys.argv[1], "--cache-dir", sys.argv[2], "--jobs", "1"])
heavy = sorted(m for m in ("sympy", "mpmath", "jsonschema", "proofbook.registry.load") if m in sys.modules)
print("imported:", heavy, file=sys.stderr)
sys.exit(code)
"""


def test_a_warm_check_imports_neither_sympy_nor_the_yaml_loader(tmp_path: Path) -> None:
    """When every entry is cached, the registry, verdicts and LaTeX come from the cache alone;
    changing a file brings the loader back (and SymPy only for what changed)."""
    registry = tmp_path / "registry"
    copy_seed_chapters(ROOT / "registry", registry)

    def run() -> str:
        done = subprocess.run([sys.executable, "-c", WARM_CHECK, str(registry), str(tmp_path / "cache")],
                              capture_output=True, text=True, check=True, cwd=tmp_path)
        return done.stderr

    assert "imported: ['jsonschema', 'mpmath', 'proofbook.registry.load', 'sympy']" in run()
    warm = run()
    assert "imported: []" in warm and "0 entries verified now, 28 from the cache" in warm
    chapter = registry / "03-scalar-identities.yml"
    chapter.write_text(chapter.read_text() + "\n# a comment changes the file, not an entry\n")
    assert "imported: ['jsonschema', 'proofbook.registry.load']" in run()


WARM_BUILD = """
import logging, sys
from mkdocs.commands.build import build
from mkdocs.config import load_config
config = load_config(sys.argv[1], site_dir=sys.argv[2], strict=True)
config.plugins["proofbook"].config.cache_dir = sys.argv[3]
logging.basicConfig(level=logging.INFO)
build(config)
heavy = sorted(m for m in ("sympy", "mpmath", "jsonschema", "proofbook.registry.load") if m in sys.modules)
print("imported:", heavy, file=sys.stderr)
"""


def test_a_warm_site_build_imports_no_sympy(tmp_path: Path) -> None:
    """The repository's site, built twice: the second build renders from the cache alone."""
    def build() -> str:
        done = subprocess.run([sys.executable, "-c", WARM_BUILD, str(ROOT / "mkdocs.yml"), str(tmp_path / "site"),
                               str(tmp_path / "cache")], capture_output=True, text=True, check=True,
                              env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
        return done.stderr

    assert "imported: ['jsonschema', 'mpmath', 'proofbook.registry.load', 'sympy']" in build()
    warm = build()
    identities = sum(e.kind == "identity" for e in load_registry_cached([ROOT / "registry"], ResultCache()).entries)
    assert "imported: []" in warm and f"0 entries verified now, {identities} from the cache" in warm
