"""The benchmark generator (benchmarks/generate.py) writes registries of true identities: one
entry of every family verifies with the CLI, and a seed always gives the same files."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from proofbook.adapters.cli import main
from proofbook.registry.load import load_registry

GENERATOR = Path(__file__).resolve().parent.parent / "benchmarks" / "generate.py"


@pytest.fixture(scope="module")
def generate() -> ModuleType:
    """benchmarks/ is not a package: load the script by path."""
    spec = importlib.util.spec_from_file_location("proofbook_benchmark_generate", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_one_entry_of_every_family_verifies(generate: ModuleType, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    count = len(generate.FAMILIES)
    paths = generate.write_registry(tmp_path, count=count, seed=7, per_file=8)
    assert [p.name for p in paths] == ["01-generated-1.yml", "02-generated-2.yml", "03-generated-3.yml"]
    registry = load_registry([tmp_path])
    assert {e.id.rsplit("-", 1)[0] for e in registry.entries} == {slug for slug, _ in generate.FAMILIES}
    assert any(e.proof for e in registry.entries)

    status = main(["check", str(tmp_path), "--no-cache", "--jobs", "2"])

    out = capsys.readouterr().out
    assert status == 0, out
    assert f"{count} verified, 0 false, 0 inconclusive" in out


def test_a_seed_gives_identical_files(generate: ModuleType, tmp_path: Path) -> None:
    first = generate.write_registry(tmp_path / "a", count=60, seed=3)
    again = generate.write_registry(tmp_path / "b", count=60, seed=3)
    other = generate.write_registry(tmp_path / "c", count=60, seed=4)
    texts = [p.read_text(encoding="utf-8") for p in first]
    assert texts == [p.read_text(encoding="utf-8") for p in again]
    assert texts != [p.read_text(encoding="utf-8") for p in other]


def test_a_large_registry_loads_with_unique_ids(generate: ModuleType, tmp_path: Path) -> None:
    """300 entries load without a single input error; a rewrite drops stale chapters."""
    generate.write_registry(tmp_path, count=300, seed=1)
    generate.write_registry(tmp_path, count=120, seed=1)
    registry = load_registry([tmp_path])
    assert len(registry.entries) == 120
    assert len({e.id for e in registry.entries}) == 120
