"""Fast enough to forget: a warm ``mkdocs build`` of this repository with proofbook against a
plain ``mkdocs build`` of the same pages (the handbook pages proofbook generates, written out
as ordinary Markdown files, and no proofbook plugin), and the cold build for comparison.

    python benchmarks/build_warm.py [RUNS]

Each timed build runs in a fresh interpreter, as a user's ``mkdocs build`` does.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml
from mkdocs.commands.build import build as build_in_process
from mkdocs.config import load_config

ROOT = Path(__file__).resolve().parents[1]


def build(config: Path, site: Path) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)],
                   check=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, cwd=ROOT)
    return time.perf_counter() - started


def write_config(name: str, plugin: dict | None, docs_dir: Path | None = None) -> Path:
    """mkdocs.yml with the proofbook plugin's options replaced (None: the plugin removed)."""
    others = [p for p in load_config(str(ROOT / "mkdocs.yml"))["plugins"] if p != "proofbook"]
    plugins: list = [*others, {"proofbook": plugin}] if plugin is not None else others
    overrides: dict = {"INHERIT": "mkdocs.yml", "plugins": plugins}
    if docs_dir is not None:
        overrides["docs_dir"] = str(docs_dir)
    path = ROOT / f".bench-{name}.yml"
    path.write_text(yaml.safe_dump(overrides))
    return path


def plain_docs(proofbook_config: Path, folder: Path) -> Path:
    """docs/ plus every page proofbook generates, as files: the same site without the plugin."""
    config = load_config(str(proofbook_config), site_dir=str(folder / "scratch"))
    build_in_process(config)
    docs = folder / "docs"
    shutil.copytree(ROOT / "docs", docs)
    plugin = config.plugins["proofbook"]
    for file in [*plugin.generated, plugin.printable]:  # type: ignore[attr-defined]
        target = docs / file.src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(file.content_string, encoding="utf-8")
    return docs


def main(runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cache = folder / "cache"
        with_plugin = write_config("proofbook", {"cache_dir": str(cache)})
        try:
            cold = build(with_plugin, folder / "site")
            plain = write_config("plain", None, plain_docs(with_plugin, folder))
            times = {"plain": [build(plain, folder / "site") for _ in range(runs)],
                     "warm": [build(with_plugin, folder / "site") for _ in range(runs)]}
        finally:
            for leftover in ROOT.glob(".bench-*.yml"):
                leftover.unlink()
        own = _own_work(cache)
    plain_s, warm = statistics.median(times["plain"]), statistics.median(times["warm"])
    print(f"plain mkdocs build of the same pages:  {plain_s:.2f} s (median of {runs})")
    print(f"proofbook, warm cache:                 {warm:.2f} s (median of {runs})")
    print(f"proofbook, cold cache (one run):       {cold:.2f} s")
    print(f"ratio warm / plain: {warm / plain_s:.2f}   ratio cold / plain: {cold / plain_s:.2f}")
    print(f"proofbook's own work in a warm build (load + cached check, no SymPy): {own:.3f} s")


def _own_work(cache: Path) -> float:
    """Load the registry and check it against the warm cache, in-process."""
    from proofbook.cache import ResultCache
    from proofbook.check import check_registry
    from proofbook.registry.load import load_registry

    started = time.perf_counter()
    check_registry(load_registry([ROOT / "registry"]), cache=ResultCache.in_folder(cache))
    return time.perf_counter() - started


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
