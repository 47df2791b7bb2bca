"""Fast enough to forget: a warm ``mkdocs build`` of this repository with proofbook against the
same build without the plugin, and the cold build for comparison.

    python benchmarks/build_warm.py [RUNS]

Each build runs in a fresh interpreter, as a user's ``mkdocs build`` does.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml
from mkdocs.config import load_config

ROOT = Path(__file__).resolve().parents[1]


def build(config: Path, site: Path) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)],
                   check=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, cwd=ROOT)
    return time.perf_counter() - started


def variant(name: str, plugin: dict | None) -> Path:
    """mkdocs.yml with the proofbook plugin's options replaced (None: the plugin removed)."""
    others = [p for p in load_config(str(ROOT / "mkdocs.yml"))["plugins"] if p != "proofbook"]
    plugins: list = [*others, {"proofbook": plugin}] if plugin is not None else others
    path = ROOT / f".bench-{name}.yml"
    path.write_text(yaml.safe_dump({"INHERIT": "mkdocs.yml", "plugins": plugins}))
    return path


def main(runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cache = folder / "cache"
        configs = {
            "plain": variant("plain", None),
            "proofbook": variant("proofbook", {"cache_dir": str(cache)}),
        }
        try:
            cold = build(configs["proofbook"], folder / "site")
            times = {name: [build(cfg, folder / "site") for _ in range(runs)] for name, cfg in configs.items()}
        finally:
            for cfg in configs.values():
                cfg.unlink()
        own = _own_work(cache)
    plain, warm = statistics.median(times["plain"]), statistics.median(times["proofbook"])
    print(f"plain mkdocs build (no proofbook):   {plain:.2f} s (median of {runs})")
    print(f"proofbook, warm cache:               {warm:.2f} s (median of {runs})")
    print(f"proofbook, cold cache (one run):     {cold:.2f} s")
    print(f"ratio warm / plain: {warm / plain:.2f}   ratio cold / plain: {cold / plain:.2f}")
    print(f"proofbook's own work in a warm build (load + cached check): {own:.3f} s; the rest of the "
          "difference is MkDocs rendering the generated pages")


def _own_work(cache: Path) -> float:
    """Load the registry and check it against the warm cache, in-process (no SymPy needed)."""
    from proofbook.cache import ResultCache
    from proofbook.check import check_registry
    from proofbook.registry.load import load_registry

    started = time.perf_counter()
    check_registry(load_registry([ROOT / "registry"]), cache=ResultCache(cache / "results.json"))
    return time.perf_counter() - started


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
