"""Fast enough to forget: the figures of the issue of that name, measured on this machine.

    python benchmarks/fast_enough.py [--runs 3] [--count 300] [--skip-large]

1. Cold ``proofbook check registry`` (no cache): wall time, and the time of every entry.
2. A generated registry of ``--count`` true identities (``generate.py``), cold, with 1 and 2
   worker processes.
3. Warm ``mkdocs build`` of this repository's site (every verdict, formula and the registry
   from the cache) against a plain ``mkdocs build`` of the same site without the plugin: the
   pages proofbook generates written out as Markdown files (references resolved), its scripts,
   styles and exports as static files.
4. Peak memory of the cold check of item 2 with 2 workers (all processes together).

Every command runs in a fresh interpreter, as a user's does; each figure is the median of
``--runs`` runs, and each comparison is a ratio of figures measured in the same run of this
script (warm and plain builds alternate, so that drift hits both). The results end as a
Markdown table for ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType

import yaml
from mkdocs.commands.build import build as build_in_process
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files

from proofbook.adapters.mkdocs import ProofbookPlugin

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
TARGETS = {"seed": 5.0, "large": 60.0, "ratio": 1.10, "memory": 1024.0}


# -- running and timing -----------------------------------------------------------------------

def timed(command: Sequence[str], cwd: Path = ROOT) -> float:
    """Wall seconds of one command in a fresh interpreter; a failure stops the benchmark."""
    started = time.perf_counter()
    subprocess.run(command, check=True, env=ENV, cwd=cwd, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def median_of(runs: int, measure: Callable[[], float]) -> float:
    return statistics.median(measure() for _ in range(runs))


def check_command(registry: Path, jobs: int | None = None) -> list[str]:
    command = [sys.executable, "-m", "proofbook.adapters.cli", "check", str(registry), "--no-cache"]
    return command + (["--jobs", str(jobs)] if jobs else [])


class PeakMemory:
    """The largest total resident memory of a process and all its descendants (Linux /proc),
    sampled every 20 ms: the check's workers and its fork server included."""

    def __init__(self, root: int) -> None:
        self.root, self.peak = root, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def stop(self) -> int:
        """Stop sampling; the peak in bytes."""
        self._stop.set()
        self._thread.join()
        return self.peak

    def _sample(self) -> None:
        page = os.sysconf("SC_PAGE_SIZE")
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, sum(_resident_pages(pid) for pid in _tree(self.root)) * page)


def _tree(root: int) -> list[int]:
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            parents.setdefault(ppid, []).append(int(entry.name))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo += parents.get(pid, [])
    return tree


def _resident_pages(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return 0


def checked_with_memory(command: Sequence[str]) -> tuple[float, float]:
    """Wall seconds and peak MiB of one command and its descendants."""
    started = time.perf_counter()
    process = subprocess.Popen(command, env=ENV, cwd=ROOT, stdout=subprocess.DEVNULL)
    memory = PeakMemory(process.pid)
    if process.wait() != 0:
        raise SystemExit(f"{' '.join(command)} failed")
    return time.perf_counter() - started, memory.stop() / 2**20


# -- 1. the repository's registry -------------------------------------------------------------

def repository_registry(runs: int) -> dict[str, float]:
    """Cold check of registry/ with the CLI, and every entry's time in one process."""
    from proofbook.cache import ResultCache
    from proofbook.check import _plan
    from proofbook.registry.snapshot import load_registry_cached
    from proofbook.verify.engine import verify_claim

    total = median_of(runs, lambda: timed(check_command(ROOT / "registry")))
    registry = load_registry_cached([ROOT / "registry"], ResultCache())
    seconds: dict[str, float] = {}
    seed = 0.0
    print(f"\n{'number':>6}  {'id':<32} {'claims':>6} {'seconds':>8}")
    for entry in registry.entries:
        if entry.kind != "identity":
            continue
        claims = _plan(entry).claims()
        began = time.perf_counter()
        for claim in claims:
            verify_claim(claim)
        seconds[entry.id] = time.perf_counter() - began
        if entry.chapter == registry.chapters[0].slug:
            seed += seconds[entry.id]
        print(f"{entry.number:>6}  {entry.id:<32} {len(claims):>6} {seconds[entry.id]:8.3f}")
    return {"total": total, "entries": len(seconds), "median_entry": statistics.median(seconds.values()),
            "slowest": max(seconds.values()), "seed": seed}


# -- 2 and 4. a generated registry ------------------------------------------------------------

def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("generate", ROOT / "benchmarks" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def large_registry(folder: Path, count: int, runs: int) -> dict[str, float]:
    registry = folder / "generated"
    _generator().write_registry(registry, count=count, seed=1)
    one = median_of(runs, lambda: timed(check_command(registry, jobs=1)))
    twos = [checked_with_memory(check_command(registry, jobs=2)) for _ in range(runs)]
    return {"count": count, "one": one, "two": statistics.median(t for t, _ in twos),
            "memory": max(m for _, m in twos)}


# -- 3. warm build against a plain build ------------------------------------------------------

def _config_file(name: str, overrides: dict[str, object]) -> Path:
    """A mkdocs.yml beside the repository's (so relative paths resolve alike) that inherits it."""
    path = ROOT / f".bench-{name}.yml"
    path.write_text(yaml.safe_dump({"INHERIT": "mkdocs.yml", **overrides}), encoding="utf-8")
    return path


def _built(config_file: Path, site_dir: Path) -> tuple[MkDocsConfig, Files]:
    """Build in this process; the config, and every file of the site (the plugin's included)."""
    seen: list[Files] = []
    on_files = ProofbookPlugin.on_files

    def spy(self: ProofbookPlugin, files: Files, *, config: MkDocsConfig) -> Files:
        seen.append(on_files(self, files, config=config))
        return seen[-1]

    ProofbookPlugin.on_files = spy  # type: ignore[method-assign]
    try:  # MkDocs binds the hooks when it loads the configuration
        config = load_config(str(config_file), site_dir=str(site_dir))
        build_in_process(config)
    finally:
        ProofbookPlugin.on_files = on_files  # type: ignore[method-assign]
    return config, seen[-1]


def _plain_site(config_file: Path, folder: Path) -> dict[str, object]:
    """Build ``config_file``, write its site as plain files below ``folder/docs`` (every page as
    the Markdown proofbook made of it, references resolved; its scripts, styles and exports as
    static files), and return the mkdocs.yml overrides that build it without proofbook."""
    config, files = _built(config_file, folder / "scratch")
    docs = folder / "docs"
    shutil.copytree(config.docs_dir, docs)
    for file in files:
        target = docs / file.src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        if file.page is not None:
            target.write_text(file.page.markdown or "", encoding="utf-8")
        elif file.generated_by:
            target.write_bytes(file.content_bytes)
    plugin = config.plugins["proofbook"]
    assert isinstance(plugin, ProofbookPlugin)
    handbook = [{file.page.title: file.src_uri} for file in plugin.generated if file.page is not None]
    return {"docs_dir": str(docs), "plugins": [p for p in config.plugins if p != "proofbook"],
            "extra_css": list(config.extra_css), "extra_javascript": [str(s) for s in config.extra_javascript],
            "nav": [*config.nav, {plugin.config.nav_section: handbook}]}


def warm_against_plain(folder: Path, runs: int) -> dict[str, float]:
    cache = folder / "cache"
    with_plugin = _config_file("proofbook", {"plugins": [
        p if p != "proofbook" else {"proofbook": {"cache_dir": str(cache)}}
        for p in load_config(str(ROOT / "mkdocs.yml"))["plugins"]]})
    try:
        build = [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(folder / "site"), "-f"]
        cold = timed([*build, str(with_plugin)])
        plain = _config_file("plain", _plain_site(with_plugin, folder))
        warm_times, plain_times = [], []
        for _ in range(runs):
            plain_times.append(timed([*build, str(plain)]))
            warm_times.append(timed([*build, str(with_plugin)]))
    finally:
        for leftover in ROOT.glob(".bench-*.yml"):
            leftover.unlink()
    return {"cold": cold, "warm": statistics.median(warm_times), "plain": statistics.median(plain_times)}


# -- report -----------------------------------------------------------------------------------

def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown CPU")
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    import sympy

    return (f"{cpu}, {os.cpu_count()} cores, {memory:.0f} GiB; Python {platform.python_version()}, "
            f"SymPy {sympy.__version__}")


def verdict(ok: bool) -> str:
    return "meets the target" if ok else "**misses the target**"


def table(runs: int, repo: dict[str, float], large: dict[str, float] | None, build: dict[str, float]) -> str:
    rows = [
        ("Cold `proofbook check registry` (CLI, all cores)", f"{repo['total']:.2f} s",
         f"{repo['entries']:.0f} identities; median entry {repo['median_entry']:.2f} s, slowest {repo['slowest']:.2f} s"),
        ("Seed chapter cold, every claim in one process", f"{repo['seed']:.2f} s",
         f"target < {TARGETS['seed']:.0f} s: ratio {repo['seed'] / TARGETS['seed']:.2f}, "
         f"{verdict(repo['seed'] < TARGETS['seed'])}"),
    ]
    if large:
        rows += [
            (f"Cold check of {large['count']:.0f} generated identities, 1 worker", f"{large['one']:.1f} s",
             f"{large['one'] / large['count'] * 1000:.0f} ms per identity"),
            (f"Cold check of {large['count']:.0f} generated identities, 2 workers", f"{large['two']:.1f} s",
             f"target < {TARGETS['large']:.0f} s: ratio {large['two'] / TARGETS['large']:.2f}, "
             f"{verdict(large['two'] < TARGETS['large'])}; speed-up over 1 worker {large['one'] / large['two']:.2f}"),
            ("Peak memory of that check (all processes)", f"{large['memory']:.0f} MiB",
             f"target < {TARGETS['memory']:.0f} MiB: ratio {large['memory'] / TARGETS['memory']:.2f}, "
             f"{verdict(large['memory'] < TARGETS['memory'])}"),
        ]
    ratio = build["warm"] / build["plain"]
    rows += [
        ("Plain `mkdocs build` of the same site, no plugin", f"{build['plain']:.2f} s", "the baseline"),
        ("Warm `mkdocs build` with proofbook (all from the cache)", f"{build['warm']:.2f} s",
         f"ratio to plain {ratio:.2f}; target <= {TARGETS['ratio']:.2f}, {verdict(ratio <= TARGETS['ratio'])}"),
        ("Cold `mkdocs build` with proofbook (one run)", f"{build['cold']:.2f} s",
         f"ratio to plain {build['cold'] / build['plain']:.2f}"),
    ]
    lines = [f"Measured {time.strftime('%Y-%m-%d')} on {machine()}; medians of {runs} runs.", "",
             "| Measurement | Time | Comparison |", "|---|---|---|"]
    return "\n".join(lines + [f"| {a} | {b} | {c} |" for a, b, c in rows])


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (default 3)")
    parser.add_argument("--count", type=int, default=300, help="identities in the generated registry")
    parser.add_argument("--skip-large", action="store_true", help="leave out items 2 and 4")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        repo = repository_registry(args.runs)
        large = None if args.skip_large else large_registry(folder, args.count, args.runs)
        build = warm_against_plain(folder, args.runs)
    print()
    print(table(args.runs, repo, large, build))


if __name__ == "__main__":
    main()
