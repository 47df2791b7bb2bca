"""Speed of the stronger verifier: the figures of the issue "Verified means proved".

    python benchmarks/verified_means_proved.py [--runs 3] [--count 300]

1. The seed chapter (registry/, chapter 1), every claim in one process, cold: target 1.5 s.
2. ``--count`` generated identities (``generate.py``), cold ``proofbook check`` with 2 workers
   in a fresh interpreter: target 10 s.
3. The slowest entry of registry/ and of the generated registry, in one process: target 2 s.
4. The power identities (x**a)**b = x**(a*b) for positive x and its false variant
   x**(a + b), each decided (verified, false) in seconds: target 5 s each.

Times are wall-clock medians of ``--runs`` runs; CPU seconds of this process are printed
beside the in-process figures, since the machine is often shared and wall time then says
more about the neighbours than about proofbook.  No figure is asserted; the script prints a
Markdown table with the ratio of each figure to its target.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from proofbook.cache import ResultCache
from proofbook.check import _plan
from proofbook.errors import Location
from proofbook.model import Source, SymbolDecl
from proofbook.registry.snapshot import load_registry_cached
from proofbook.verify.claims import Claim
from proofbook.verify.engine import verify_claim

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {"seed": 1.5, "large": 10.0, "entry": 2.0, "power": 5.0}


def _generate(folder: Path, count: int) -> Path:
    spec = importlib.util.spec_from_file_location("generate", ROOT / "benchmarks" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.write_registry(folder / "generated", count=count, seed=1)
    return folder / "generated"


def _timed(action: Callable[[], object]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process) of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    return time.perf_counter() - wall, time.process_time() - cpu


def entry_times(registry: Path) -> tuple[dict[str, tuple[float, float]], str]:
    """Every identity's (wall, CPU) seconds in this process, and the first chapter's slug."""
    loaded = load_registry_cached([registry], ResultCache())
    times = {}
    for entry in loaded.entries:
        if entry.kind == "identity":
            claims = _plan(entry).claims()
            times[entry.id] = _timed(lambda: [verify_claim(c) for c in claims])  # noqa: B023  # timed at once
    return times, loaded.chapters[0].slug


def seed_chapter() -> tuple[float, float]:
    loaded = load_registry_cached([ROOT / "registry"], ResultCache())
    claims = [c for e in loaded.chapters[0].entries if e.kind == "identity" for c in _plan(e).claims()]
    return _timed(lambda: [verify_claim(c) for c in claims])


def cold_check(registry: Path, jobs: int) -> float:
    command = [sys.executable, "-m", "proofbook.adapters.cli", "check", str(registry), "--no-cache", "--jobs", str(jobs)]
    began = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
    return time.perf_counter() - began


def power_identities() -> dict[str, tuple[float, str]]:
    here = Location("power.yml", 1, 1)
    symbols = (SymbolDecl("x", "scalar", None, ("positive",)), SymbolDecl("a", "scalar"), SymbolDecl("b", "scalar"))
    found = {}
    for rhs in ("x**(a*b)", "x**(a + b)"):
        claim = Claim("power", "statement", symbols, Source("(x**a)**b", here), Source(rhs, here))
        began = time.perf_counter()
        result = verify_claim(claim)
        found[f"(x**a)**b = {rhs}"] = (time.perf_counter() - began, result.status)
    return found


def ratio(value: float, target: str) -> str:
    r = value / TARGETS[target]
    return f"target {TARGETS[target]:g} s: ratio {r:.2f}, {'meets' if r <= 1 else '**misses**'} the target"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--count", type=int, default=300)
    args = parser.parse_args(argv)
    seed_chapter()  # imports and first-use caches, as a worker has them after its preload
    seeds = [seed_chapter() for _ in range(args.runs)]
    seed_wall, seed_cpu = statistics.median(w for w, _ in seeds), statistics.median(c for _, c in seeds)
    with tempfile.TemporaryDirectory() as tmp:
        generated = _generate(Path(tmp), args.count)
        large = statistics.median(cold_check(generated, 2) for _ in range(args.runs))
        slowest = {}
        for name, folder in (("registry/", ROOT / "registry"), ("generated", generated)):
            times, _ = entry_times(folder)
            entry = max(times, key=lambda k: times[k][0])
            slowest[name] = (entry, *times[entry])
    powers = power_identities()
    rows = [("Seed chapter, every claim in one process", f"{seed_wall:.2f} s (CPU {seed_cpu:.2f} s)",
             ratio(seed_wall, "seed")),
            (f"{args.count} generated identities, cold check, 2 workers", f"{large:.1f} s", ratio(large, "large"))]
    rows += [(f"Slowest entry of {name}: {entry}", f"{wall:.2f} s (CPU {cpu:.2f} s)", ratio(wall, "entry"))
             for name, (entry, wall, cpu) in slowest.items()]
    rows += [(f"`{claim}`", f"{seconds:.2f} s, {status}", ratio(seconds, "power"))
             for claim, (seconds, status) in powers.items()]
    print(f"\nMeasured {time.strftime('%Y-%m-%d')}; medians of {args.runs} runs.\n")
    print("| Measurement | Time | Comparison |\n|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
