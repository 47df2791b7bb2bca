"""Cold verification of registry/: total wall time (the CLI's worker pool, no cache) and the
time of every claim, measured in-process. Target: the seed chapter in under 5 s.

    python benchmarks/verify_cold.py [REGISTRY]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from proofbook.cache import ResultCache
from proofbook.check import CheckOptions, _plan, check_registry
from proofbook.registry.load import load_registry
from proofbook.verify.engine import verify_claim

TARGET_SECONDS = 5.0
SEED_CHAPTER = "matrix-derivatives"


def main(path: str) -> None:
    registry = load_registry([path])
    started = time.perf_counter()
    report = check_registry(registry, CheckOptions(), ResultCache())
    total = time.perf_counter() - started
    print(f"cold check of {path} with the worker pool: {total:.2f} s ({report.summary()})")

    seed_total = 0.0
    print(f"\n{'number':>6}  {'id':<32} {'claims':>6} {'seconds':>8}")
    for entry in registry.entries:
        if entry.kind != "identity":
            continue
        claims = _plan(entry).claims()
        began = time.perf_counter()
        for claim in claims:
            verify_claim(claim)
        seconds = time.perf_counter() - began
        if entry.chapter == SEED_CHAPTER:
            seed_total += seconds
        print(f"{entry.number:>6}  {entry.id:<32} {len(claims):>6} {seconds:8.3f}")
    print(f"\nseed chapter, all claims in one process: {seed_total:.2f} s; "
          f"target {TARGET_SECONDS:.0f} s; ratio {seed_total / TARGET_SECONDS:.2f}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "registry")
