"""The verification cache: what it skips, what it never trusts, and what a warm run needs.

The rule under test: a cache can make a run faster, never change a verdict. A damaged,
edited, forged or foreign cache costs only time; only records signed with this installation's
key count, and the default folder is outside the checkout.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from proofbook.cache import CACHE_FILE, RETENTION_DAYS, ResultCache, shard_file
from proofbook.cachekey import CacheKey, cache_key, default_cache_dir, user_cache_home
from proofbook.check import CheckOptions, check_registry
from proofbook.adapters.cli import main
from proofbook.model import Result, result_from_dict
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
    assert "1 record(s) in the cache" in err and "did not match their signature" in err
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


@pytest.mark.parametrize("damage", ["{ not json", '{"format": 4, "records": []}', "[1, 2]", "",
                                    '{"format": 4, "key": 5, "records": {}}'])
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
    assert code == 1 and "could not be read" not in err and "signature" not in err


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
        assert [p.name for p in (tmp_path / f"job{k}").glob("*.json")] == [shard_file((k, 2))]
        parts.append({line.split()[1] for line in out.splitlines()[:-1]})
    everything = {e.id for e in load_registry_cached([registry], ResultCache()).entries}
    assert parts[0] | parts[1] == everything and not parts[0] & parts[1]

    merged = tmp_path / "merged"
    for k in (1, 2):
        shutil.copytree(tmp_path / f"job{k}", merged, dirs_exist_ok=True)
    code, out, err = check(registry, merged, capsys)
    assert code == 0 and "0 entries verified now, 28 from the cache" in err
    assert sorted(p.name for p in merged.glob("*.json")) == [shard_file((1, 2)), shard_file((2, 2))]  # nothing new


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
    """The repository's site, built twice with the session's verdict cache: the second build
    renders from the cache alone.  (That a cold build imports them is shown by the warm
    check test above, on a registry small enough to verify in a moment.)"""
    def build() -> str:
        done = subprocess.run([sys.executable, "-c", WARM_BUILD, str(ROOT / "mkdocs.yml"), str(tmp_path / "site"),
                               str(default_cache_dir(ROOT))], capture_output=True, text=True, check=True,
                              env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
        return done.stderr

    build()
    warm = build()
    identities = sum(e.kind == "identity" for e in load_registry_cached([ROOT / "registry"], ResultCache()).entries)
    assert "imported: []" in warm and f"0 entries verified now, {identities} from the cache" in warm


# -- whose records count ------------------------------------------------------------------------

def forged_file(folder: Path, name: str, records_: dict[str, object], key: str | None = None) -> None:
    """A record file written by someone without the secret (the key fingerprint is public)."""
    folder.mkdir(parents=True, exist_ok=True)
    ident = key if key is not None else ResultCache(folder).key.ident  # type: ignore[union-attr]
    (folder / name).write_text(json.dumps({"format": 4, "key": ident, "records": records_}))


def keyless_mac(kind: str, key: str, value: object) -> str:
    """The old scheme: a SHA-256 anyone can recompute."""
    blob = json.dumps([kind, key, value], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()


@pytest.mark.parametrize("signature", ["keyless-sha256", "hmac-with-another-key", "empty"])
def test_a_pull_request_cannot_bring_its_own_verdict(signature: str, wrong: Path, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    """A file added next to the real cache (as a pull request adds .cache/proofbook/a-x.json)
    with a 'verified' record for a false identity changes nothing: it is false, and the build warns."""
    learned = tmp_path / "learned"
    check(wrong, learned, capsys)
    (name,) = [k for k in records(learned) if k.startswith("result:")]
    kind, _, key = name.partition(":")
    value = {"status": "verified", "evidence": [{"method": "symbolic", "summary": "proof", "sizes": []}],
             "level": "proved"}
    mac = {"keyless-sha256": keyless_mac(kind, key, value), "empty": "",
           "hmac-with-another-key": hmac.new(b"x" * 32, b"anything", hashlib.sha256).hexdigest()}[signature]
    cache = tmp_path / "cache"
    forged_file(cache, "a-x.json", {name: {"value": value, "mac": mac, "used": "2026-01-01"}})
    code, out, err = check(wrong, cache, capsys)
    assert code == 1 and " false " in out and "1 entry verified now" in err
    assert "1 record(s) in the cache" in err and "did not match their signature" in err


def test_a_file_signed_with_another_key_is_ignored(wrong: Path, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """A shard made by a job without the site's secret is ignored as a whole, with a notice."""
    other = ResultCache(tmp_path / "cache", key=CacheKey(b"another secret" * 4, "test"))
    other.store_latex("k", {"latex": "x", "shape": None})
    other.save()
    code, _, err = check(wrong, tmp_path / "cache", capsys)
    assert code == 1 and "is false" in err
    assert f"the cache file {tmp_path / 'cache' / CACHE_FILE} was signed with another key; its 1 record(s) were ignored" in err


@pytest.mark.parametrize("status", ["proved", "VERIFIED", "inconclusive", "definition", None, 1])
def test_a_signed_record_with_another_status_is_never_a_verdict(status: object, tmp_path: Path) -> None:
    """Even with a valid signature, only 'verified' and 'false' are read back, and malformed
    records (an unknown status, level or method) count as missing."""
    cache = ResultCache(tmp_path)
    cache._put("result", "k", {"status": status})
    cache.save()
    assert ResultCache(tmp_path).result("k") is None


@pytest.mark.parametrize("value", [
    {"status": "verified", "level": "certain"},  # an unknown level
    {"status": "verified", "evidence": [{"method": "oracle", "summary": "trust me", "sizes": []}]},
    {"status": "verified", "evidence": "all of it"},
    {"status": "verified", "seconds": "fast"},
    {"status": "verified", "surprise": True},  # a field a Result does not have
    {"status": "false"},  # false, but no counterexample and no reason
    {"status": "false", "counterexample": {"method": "exact"}},
])
def test_malformed_results_are_refused(value: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        result_from_dict(value)


def test_the_default_cache_is_outside_the_checkout(wrong: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   user_cache_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``proofbook check`` without --cache-dir writes nothing into the project; its verdicts
    and the key (0600) are in the user's cache folder, and a second run is warm."""
    monkeypatch.delenv("PROOFBOOK_CACHE_DIR")  # the session's shared folder (conftest.py)
    monkeypatch.chdir(tmp_path)
    for _ in range(2):
        code, _, err = main(["check", str(wrong), "--jobs", "1"]), *capsys.readouterr()
        assert code == 1
    assert "0 entries verified now, 1 from the cache" in err
    assert not (tmp_path / ".cache").exists()
    folder = default_cache_dir(tmp_path)
    assert folder.parent == user_cache_home / "proofbook" / "projects" and (folder / CACHE_FILE).is_file()
    assert stat.S_IMODE((user_cache_home / "proofbook" / "key").stat().st_mode) == 0o600


def test_the_environment_names_the_key_and_the_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """CI gives the secret and the folder through the environment; a short secret is refused."""
    monkeypatch.setenv("PROOFBOOK_CACHE_DIR", str(tmp_path / "ci"))
    assert default_cache_dir(Path("anywhere")) == tmp_path / "ci"
    monkeypatch.setenv("PROOFBOOK_CACHE_KEY", "s" * 32)
    assert cache_key() == CacheKey(b"s" * 32, "PROOFBOOK_CACHE_KEY")
    monkeypatch.setenv("PROOFBOOK_CACHE_KEY", "short")
    key = cache_key()
    assert key.origin == "this run only" and "shorter than 32 characters" in str(key.problem)


def test_a_key_file_others_may_change_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A key file another user could read or replace would let them sign verdicts: refused,
    and this run trusts nothing from earlier runs (it says so)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    first = cache_key()
    assert first.origin == str(tmp_path / "proofbook" / "key") and first.problem is None
    assert cache_key() == first  # read again, not replaced
    (tmp_path / "proofbook" / "key").chmod(0o664)
    refused = cache_key()
    assert refused.origin == "this run only" and "other users may read or change it" in str(refused.problem)
    cache = ResultCache(tmp_path / "c")
    assert any("no verdict of this run is trusted by the next one" in n for n in cache.notices())


CONCURRENT = """
import sys
from pathlib import Path
from proofbook.cache import ResultCache
folder, who = Path(sys.argv[1]), sys.argv[2]
for i in range(25):
    cache = ResultCache(folder)
    cache.store_latex(f"{who}-{i}", {"latex": who, "shape": None})
    cache.save()
"""


def test_two_processes_sharing_a_cache_lose_nothing(tmp_path: Path) -> None:
    """Two writers saving in turns as fast as they can: every record of both survives."""
    writers = [subprocess.Popen([sys.executable, "-c", CONCURRENT, str(tmp_path), who]) for who in "ab"]
    assert [w.wait(timeout=120) for w in writers] == [0, 0]
    assert set(records(tmp_path)) == {f"latex:{who}-{i}" for who in "ab" for i in range(25)}


def test_a_save_keeps_what_another_run_wrote_meanwhile(tmp_path: Path) -> None:
    one, two = ResultCache(tmp_path), ResultCache(tmp_path)
    one.store_latex("one", "x")
    two.store_latex("two", "y")
    one.save()
    two.save()
    assert set(records(tmp_path)) == {"latex:one", "latex:two"}


def test_a_record_file_that_is_not_a_regular_file_is_not_read(tmp_path: Path) -> None:
    """A FIFO (or a device) named *.json would block or never end: it is refused unread."""
    os.mkfifo(tmp_path / "pipe.json")
    assert ResultCache(tmp_path).unreadable == ["pipe.json"]


@pytest.mark.parametrize("xdg", ["", "relative/cache"])
def test_without_a_home_the_cache_is_never_in_the_working_directory(xdg: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """No HOME (a bare container) and no absolute XDG_CACHE_HOME: a per-user temporary folder,
    not ``./~/.cache`` inside the checkout."""
    monkeypatch.setenv("XDG_CACHE_HOME", xdg)
    monkeypatch.delenv("HOME")
    monkeypatch.setattr(os.path, "expanduser", lambda path: path)
    home = user_cache_home()
    assert home.is_absolute() and home.parent == Path(tempfile.gettempdir())
