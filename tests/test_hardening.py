"""Hardening: bad and hostile input through the real entry points, limits that hold, reproducible output.

The loader's and the parser's exact messages are unit-tested in test_registry_load.py and
test_language.py, random input in test_fuzz.py, site features in test_plugin.py, limits at the
pool level in test_pool.py.  Here each bad input goes the way a user sends it: ``proofbook check``
(exit 2, one short located paragraph on stderr) and, for the cheapest, ``mkdocs build`` (the same
paragraph in a PluginError, no pages written).  The cases are in hardening_cases.py.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import time
from collections.abc import Callable
from fractions import Fraction
from html.parser import HTMLParser
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, PluginError

import proofbook.language.parse  # noqa: F401  (imports SymPy now: the timings below measure refusals)
from hardening_cases import (CASES, CHAPTER_TITLE_BREAKOUT, DEFINITIONS, FALSE, FILE, HEAD, HOSTILE, HUGE_FALSE,
                             LIMITS, MARKER, NOTES_MARKUP, TRUE_NEIGHBOURS, WRONG_STEP, Case, expr,
                             misbehaving_task, three, typos)
from proofbook.cache import ResultCache
from proofbook.check import CheckOptions, check_registry
from proofbook.adapters.cli import main
from proofbook.registry.load import load_registry
from proofbook.verify.claims import Settings

ROOT = Path(__file__).resolve().parent.parent
SiteFactory = Callable[..., Path]  # the types of conftest's fixtures make_site and build_site
Builder = Callable[..., MkDocsConfig]
Builds = tuple[dict[str, bytes], dict[str, bytes]]  # of the fixture repo_builds

#: "One short paragraph": no problem of the catalogue needs more (the longest is about 210).
MAX_PARAGRAPH = 400
#: A resource attack must be refused in less than this many seconds.
FAST_SECONDS = 2.0
#: Small sites have one page, which references nothing.
HOME = {"index.md": "# Home\n"}
HOME_NAV = [{"Home": "index.md"}]
#: Small sizes and one worker for the verifier tests, as in test_check.py.
SMALL = Settings(exact_sizes=(1,), random_sizes=(1, 2), points=1, numeric_sizes=(3,), numeric_points=1)


# -- helpers ------------------------------------------------------------------------------------


def write_registry(folder: Path, files: dict[str, str | bytes] | None) -> None:
    """``folder/registry`` with ``files`` (bytes as they are); no folder at all for None."""
    if files is None:
        return
    (folder / "registry").mkdir()
    for name, text in files.items():
        path = folder / "registry" / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")


def check(capsys: pytest.CaptureFixture[str], *options: str) -> tuple[int, str, str]:
    """``proofbook check registry --no-cache --jobs 1 [options]`` in the working directory."""
    code = main(["check", "registry", "--no-cache", "--jobs", "1", *options])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def problems(stderr: str) -> list[str]:
    """The problems ``proofbook check`` printed, one line each, after its count (and after
    the line that says how many entries were verified)."""
    head, *lines = stderr.split("\n\n", 1)[-1].strip("\n").split("\n")
    assert head == f"proofbook: {len(lines)} problem(s):", stderr
    return lines


def assert_reads_well(problem: str, case: Case) -> None:
    """Location, entry and exact message first; then one short paragraph, no traceback."""
    assert problem.startswith(case.prefix), f"\n{problem}\n{case.prefix}"
    assert "\n" not in problem and len(problem) <= MAX_PARAGRAPH and "Traceback" not in problem


def failed_build(build_site: Builder, config_file: Path, site: Path) -> str:
    """The PluginError message of a ``mkdocs build --strict`` that must fail before writing pages."""
    with pytest.raises(Abort) as failure:  # MkDocs logs the PluginError, then aborts
        build_site(config_file, site)
    error = failure.value.__context__
    assert isinstance(error, PluginError)
    assert not (site / "index.html").exists() and not list(site.rglob("*.html"))
    return str(error)


class Markup(HTMLParser):
    """What a browser makes of a page: elements with attributes, and the text of each script.

    As in a browser, ``<title>`` and ``<textarea>`` hold text only (RCDATA): a ``<script>``
    inside them is harmless text, one after a ``</title>`` is a script.
    """

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self.feed(page)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        if tag == "script":
            self.scripts.append("")
        elif tag in ("title", "textarea"):
            self.set_cdata_mode(tag)

    def handle_data(self, data: str) -> None:
        if self.cdata_elem == "script" and self.scripts:
            self.scripts[-1] += data


def injected(site: Path) -> list[str]:
    """Every place where a built site runs registry markup: scripts, handlers, javascript: URLs."""
    found = []
    for page in sorted(site.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        markup = Markup(text)
        name = page.relative_to(site)
        found += [f"{name}: <script> {s.strip()[:40]!r}" for s in markup.scripts if "alert(" in s]
        for tag, attrs in markup.elements:
            found += [f"{name}: <{tag} {key}={value!r}>" for key, value in attrs.items()
                      if key.startswith("on") and "alert(" in (value or "")
                      or key in ("href", "src") and (value or "").strip().lower().startswith("javascript:")]
        if "<script>alert(1)" in text or re.search(r"<[a-zA-Z][^<>]*\sonerror\s*=", text):
            found.append(f"{name}: raw markup in the file")
    return found


# -- 1. the bad-input catalogue -----------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_check_refuses_bad_input(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    """``proofbook check`` exits 2 with one short located problem; nothing injected runs; attacks fail fast."""
    monkeypatch.chdir(tmp_path)
    write_registry(tmp_path, case.files)
    started = time.perf_counter()
    code, _, err = check(capsys)
    seconds = time.perf_counter() - started
    assert code == 2, err
    (problem,) = problems(err)
    assert_reads_well(problem, case)
    assert not (tmp_path / MARKER).exists()
    assert seconds < FAST_SECONDS or not case.fast


@pytest.mark.parametrize("case", [c for c in CASES if c.site], ids=lambda c: c.name)
def test_site_build_refuses_bad_input(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                      make_site: SiteFactory, build_site: Builder) -> None:
    """``mkdocs build`` fails with the very problem ``proofbook check`` prints, and writes no page."""
    monkeypatch.chdir(tmp_path)  # messages show paths relative to it, as check's do
    config_file = make_site(tmp_path, pages=HOME, nav=HOME_NAV)
    shutil.rmtree(tmp_path / "registry")
    write_registry(tmp_path, case.files)
    header, problem = failed_build(build_site, config_file, tmp_path / "site").split("\n")
    assert header == "proofbook: 1 problem in the registry:"
    assert_reads_well(problem, case)
    assert not (tmp_path / MARKER).exists()


def test_site_build_refuses_unknown_reference(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              make_site: SiteFactory, build_site: Builder) -> None:
    """A page citing an unknown id fails the build with page and line (more in test_plugin.py)."""
    monkeypatch.chdir(tmp_path)
    config_file = make_site(tmp_path, registry={FILE: DEFINITIONS},
                            pages={"index.md": "# Home\n\nSee [[nope]].\n"}, nav=HOME_NAV)
    message = failed_build(build_site, config_file, tmp_path / "site")
    assert message == "docs/index.md:3: unknown proofbook reference 'nope'"


@pytest.mark.parametrize(("options", "expected"), [
    # a typo in an option name: an error, with the option it was meant to be
    ({"registyr": ["registry"]}, "option 'registyr': Unknown option. Did you mean 'registry'?"),
    # text where a number belongs
    ({"time_limit": "fast"}, "option 'time_limit': Expected a finite number of at least 0.001 "
                             "but received: 'fast'"),
    # text where true/false belongs (test_plugin.py has more)
    ({"fail_on_inconclusive": "no"}, "option 'fail_on_inconclusive': Expected true or false "
                                     "but received: 'no'"),
])
def test_site_build_refuses_bad_options(options: dict[str, object], expected: str, tmp_path: Path,
                                        make_site: SiteFactory, build_site: Builder,
                                        caplog: pytest.LogCaptureFixture) -> None:
    """A bad plugin option gets proofbook's validation message naming it, and no site."""
    config_file = make_site(tmp_path, registry={FILE: DEFINITIONS}, pages=HOME,
                            nav=HOME_NAV, **options)
    with pytest.raises(Abort, match="configuration"):
        build_site(config_file, tmp_path / "site")
    assert f"Config value 'plugins': Plugin 'proofbook' {expected}" in caplog.text
    assert not (tmp_path / "site").exists()


def test_step_that_does_not_follow_exits_1(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    """A wrong proof step is a verification failure (exit 1), not bad input (exit 2)."""
    monkeypatch.chdir(tmp_path)
    write_registry(tmp_path, {FILE: WRONG_STEP})
    code, _, err = check(capsys)
    assert code == 1, err
    first = problems(err)[0]
    assert first.startswith(f"registry/{FILE}:10:9: entry 'e1' (1.1): proof step 1 does not follow "
                            "from the line before: ")
    assert len(first) <= MAX_PARAGRAPH


def test_lone_surrogate_is_not_called_deep_nesting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """A lone surrogate (YAML "\\ud800") is refused as text that is not Unicode, not as nesting."""
    monkeypatch.chdir(tmp_path)
    write_registry(tmp_path, {FILE: expr("x").replace('"x"', '"x + \\ud800"')})
    code, _, err = check(capsys)
    (problem,) = problems(err)
    assert code == 2 and problem.startswith(f"registry/{FILE}:7:11: entry 'e1': the text contains U+D800")
    assert "nested too deeply" not in problem


# -- 2. hostile text never becomes markup -------------------------------------------------------


def test_hostile_text_never_becomes_markup(tmp_path: Path, make_site: SiteFactory, build_site: Builder) -> None:
    """Scripts and handlers in titles, notes, sources, tags and intros reach every page as text only."""
    pages = {"index.md": "# Home\n\nSee [[hostile]].\n\n![[hostile]]\n"}
    config = build_site(make_site(tmp_path, registry={FILE: HOSTILE}, pages=pages,
                                  nav=HOME_NAV), tmp_path / "site")
    site = Path(config.site_dir)
    assert injected(site) == []
    chapter = (site / "handbook" / "bad" / "index.html").read_text(encoding="utf-8")
    for field in ("Title", "Notes", "Source", "Step note", "Intro", "Chapter source"):
        assert (f"{field} &#60;script&#62;alert(1)" in chapter or f"{field} &lt;script&gt;alert(1)" in chapter), field
    assert "<span class=\"pb-tag\">&lt;img src&#61;x onerror&#61;alert(1)&gt;</span>" in chapter


def test_chapter_title_cannot_close_the_page_title(tmp_path: Path, make_site: SiteFactory,
                                                   build_site: Builder) -> None:
    """A chapter title with </title><script> stays text in the page's <title>."""
    config = build_site(make_site(tmp_path, registry={FILE: CHAPTER_TITLE_BREAKOUT},
                                  pages=HOME, nav=HOME_NAV), tmp_path / "site")
    assert injected(Path(config.site_dir)) == []


def test_notes_cannot_add_handlers_or_script_links(tmp_path: Path, make_site: SiteFactory,
                                                   build_site: Builder) -> None:
    """Markdown in notes cannot attach event handlers or javascript: links."""
    config = build_site(make_site(tmp_path, registry={FILE: NOTES_MARKUP},
                                  pages=HOME, nav=HOME_NAV), tmp_path / "site")
    assert injected(Path(config.site_dir)) == []


# -- 3. limits that hold ------------------------------------------------------------------------


def test_time_limit_through_the_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    """An entry over --time-limit is inconclusive (exit 1) with the reason; the next still verifies."""
    monkeypatch.chdir(tmp_path)
    write_registry(tmp_path, {FILE: LIMITS})
    started = time.perf_counter()
    code, out, err = check(capsys, "--time-limit", "1")
    assert time.perf_counter() - started < 10
    assert code == 1
    assert problems(err) == [f"registry/{FILE}:4:5: entry 'slow' (1.1) is inconclusive: timed out after 1 s"]
    assert re.search(r"^ +1\.2 +quick +verified ", out, re.MULTILINE), out


@pytest.mark.parametrize(("middle", "reason"), [
    # the worker is killed by a signal, as by the kernel's OOM killer
    ("dies", "worker died (killed by signal 9)"),
    # the worker asks for more memory than memory_limit_mb
    ("hungry", "worker ran out of memory (limit 1024 MiB)"),
])
def test_misbehaving_worker_costs_only_its_entry(middle: str, reason: str, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker that dies or runs out of memory fails its entry only; the entries after it still verify."""
    # The pool pickles the task function by name, so workers import hardening_cases (a patch of
    # the function in a worker would never be seen). A tiny memory_limit_mb alone is no way to
    # do this: the limit applies after the fork, and a small claim may fit in memory already held.
    monkeypatch.setattr("proofbook.verify.engine.verify_task", misbehaving_task)
    (tmp_path / FILE).write_text(three(middle))
    options = CheckOptions(SMALL, jobs=1, memory_limit_mb=1024)
    report = check_registry(load_registry([tmp_path / FILE]), options, ResultCache())
    verdicts = {r.entry.id: (r.result.status, r.result.reason) for r in report.entries}
    assert verdicts == {"before": ("verified", None), middle: ("inconclusive", reason),
                        "after": ("verified", None), "d1": ("definition", None)}
    assert report.problems() == [f"{tmp_path / FILE}:9:5: entry '{middle}' (1.2) is inconclusive: {reason}"]


# -- 4. reproducible output ---------------------------------------------------------------------

#: Files MkDocs itself stamps with the build date.
STAMPED = {"sitemap.xml", "sitemap.xml.gz"}


def repo_build(site: Path, fresh: bool) -> None:
    """``mkdocs build --strict`` of the repo's site with no cache on disk; ``fresh``: verifying
    everything, else from the verdicts the plugin kept in memory from the build before."""
    config = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(site), strict=True)
    plugin = config.plugins["proofbook"]
    plugin.config["cache_dir"] = ""
    if fresh:
        plugin.cache = None  # MkDocs keeps one plugin per process (see conftest.py): forget its verdicts
    build(config)


def tree(site: Path) -> dict[str, bytes]:
    """Every file of a built site by its path below it."""
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def repo_builds(tmp_path_factory: pytest.TempPathFactory) -> Builds:
    """The repo's site built from scratch, then again from the verdicts of the first build: both
    trees (what a cached CI build publishes must be what a fresh one would)."""
    folder = tmp_path_factory.mktemp("reproducible")
    try:
        repo_build(folder / "one", fresh=True)
        repo_build(folder / "two", fresh=False)
    finally:
        load_config(str(ROOT / "mkdocs.yml")).plugins["proofbook"].cache = None
    return tree(folder / "one"), tree(folder / "two")


def differing(one: dict[str, bytes], two: dict[str, bytes]) -> set[str]:
    """The files of two builds whose bytes differ (the trees must list the same files)."""
    assert one.keys() == two.keys()
    return {name for name in one if one[name] != two[name]}


def test_repo_site_builds_are_byte_identical(repo_builds: Builds) -> None:
    """A fresh and a cached build of the repo's site differ at most in the files MkDocs stamps
    with a date."""
    one, two = repo_builds
    assert "handbook/matrix-derivatives/index.html" in one
    differ = differing(one, two)
    assert differ <= STAMPED, sorted(differ)


def test_counterexample_is_reproducible_from_its_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    """Two runs print the same counterexample and seed, and its values give the printed sides."""
    monkeypatch.chdir(tmp_path)
    write_registry(tmp_path, {FILE: FALSE})
    first, second = check(capsys), check(capsys)
    assert first[:2] == second[:2] and first[0] == 1
    assert problems(first[2]) == problems(second[2])  # the activity line's seconds may differ
    (problem,) = problems(first[2])
    found = re.fullmatch(rf"registry/{FILE}:4:5: entry 'e1' \(1\.1\) is false: exact with x = (\S+); "
                         r"y = (\S+): lhs = (\S+), rhs = (\S+) \(seed (\d+)\)", problem)
    assert found, problem
    x, y, lhs, rhs = map(Fraction, found.groups()[:4])
    assert ((x + y) ** 2, x ** 2 + y ** 2) == (lhs, rhs) and lhs != rhs


# -- 5. trust and limits ------------------------------------------------------------------------


def test_true_neighbours_of_the_refused_cases_verify(tmp_path: Path) -> None:
    """The limits refuse attacks, not mathematics: each neighbour of a refused row verifies."""
    text = HEAD + "".join(
        f"  - id: {name}\n    title: T\n    symbols: {symbols}\n    lhs: {lhs}\n    rhs: {rhs}\n"
        for name, (lhs, rhs, symbols) in TRUE_NEIGHBOURS.items())
    (tmp_path / FILE).write_text(text)
    report = check_registry(load_registry([tmp_path / FILE]), CheckOptions(SMALL, jobs=1), ResultCache())
    assert report.errors == []
    assert {r.entry.id: r.result.status for r in report.entries} == dict.fromkeys(TRUE_NEIGHBOURS, "verified")


@pytest.mark.parametrize("allow", [False, True])
def test_a_false_identity_with_huge_values_is_false(allow: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """Values over Python's 4,300-digit limit once made a false identity "inconclusive: worker
    raised ValueError", which --allow-inconclusive let through; it is false (the exact test
    steps aside for values too large to compute, the numeric test sees the difference), and the
    message stays short."""
    monkeypatch.chdir(tmp_path)
    write_registry(tmp_path, {FILE: HUGE_FALSE})
    code, _, err = check(capsys, *(["--allow-inconclusive"] if allow else []))
    (problem,) = problems(err)
    assert code == 1 and problem.startswith(f"registry/{FILE}:4:5: entry 'e1' (1.1) is false: ")
    assert len(problem) <= MAX_PARAGRAPH


def test_a_failure_of_the_verifier_fails_even_when_inconclusive_is_allowed(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """An exception in a worker is no verdict: a located error (file, line, entry) that fails
    the build whatever fail_on_inconclusive says; a time or memory limit stays inconclusive."""
    monkeypatch.setattr("proofbook.verify.engine.verify_task", misbehaving_task)
    (tmp_path / FILE).write_text(three("raises"))
    report = check_registry(load_registry([tmp_path / FILE]), CheckOptions(SMALL, jobs=1), ResultCache())
    expected = (f"{tmp_path / FILE}:12:10: entry 'raises': the verifier failed on the statement (worker raised "
                "ValueError: Exceeds the limit (4300 digits) for integer string conversion). ")
    for allowed in (True, False):
        (problem,) = report.problems(fail_on_inconclusive=not allowed)
        assert problem.startswith(expected)
    assert {r.entry.id: r.result.status for r in report.entries}["after"] == "verified"


def test_the_shape_check_runs_with_a_warm_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    """Both sides of A = trace(A) cached by earlier runs: the shapes are still compared."""
    monkeypatch.chdir(tmp_path)
    warm = HEAD + "".join(f"  - id: {i}\n    title: T\n    symbols: {{A: {{kind: matrix, size: n}}}}\n"
                          f"    lhs: {e}\n    rhs: {e}\n" for i, e in (("e1", "A"), ("e2", "trace(A)")))
    write_registry(tmp_path, {FILE: warm})
    assert main(["check", "registry", "--jobs", "1", "--cache-dir", "cache"]) == 0
    (tmp_path / "registry" / FILE).write_text(warm + "  - id: e3\n    title: T\n    symbols: {A: {kind: matrix, "
                                             "size: n}}\n    lhs: A\n    rhs: trace(A)\n")
    capsys.readouterr()
    assert main(["check", "registry", "--jobs", "1", "--cache-dir", "cache"]) == 2
    (problem,) = problems(capsys.readouterr().err)
    assert problem.startswith(f"registry/{FILE}:18:10: entry 'e3': this line is a scalar but the left-hand side "
                              "is an n x n matrix.")


def test_problems_are_listed_up_to_a_hundred(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str], make_site: SiteFactory,
                                             build_site: Builder) -> None:
    """150 problems: the count, the first 100, and how many more (60,000 once printed 605 MB)."""
    monkeypatch.chdir(tmp_path)
    write_registry(tmp_path, {FILE: typos(150)})
    code, _, err = check(capsys)
    head, *lines = err.strip("\n").split("\n")
    assert code == 2 and head == "proofbook: 150 problem(s):" and len(lines) == 101
    assert lines[-1] == "... and 50 more." and all("unknown field 'titel'" in line for line in lines[:-1])
    config_file = make_site(tmp_path / "site-src", registry={FILE: typos(150)}, pages=HOME, nav=HOME_NAV)
    message = failed_build(build_site, config_file, tmp_path / "site")
    assert message.split("\n")[0] == "proofbook: 150 problems in the registry:" and message.endswith("\n... and 50 more.")


def test_a_sparse_three_gigabyte_file_is_refused_unread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    """The size is checked before reading (a 3 GB sparse file was once read whole for the cache key)."""
    monkeypatch.chdir(tmp_path)
    write_registry(tmp_path, {})
    with open(tmp_path / "registry" / FILE, "wb") as handle:
        handle.truncate(3 * 1024**3)
    started = time.perf_counter()
    for options in ((), ("--cache-dir", "cache")):  # the cache key hashes the files first
        code = main(["check", "registry", "--jobs", "1", *(options or ("--no-cache",))])
        (problem,) = problems(capsys.readouterr().err)
        assert code == 2 and problem == (f"registry/{FILE}: the file is larger than 1 MiB (1,048,576 bytes). "
                                         "Split the chapter into several files.")
    assert time.perf_counter() - started < FAST_SECONDS


def test_a_pipe_named_like_a_chapter_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    """A FIFO would block the build forever: named, it is refused unopened for reading; in a
    folder, it is not a chapter file at all."""
    monkeypatch.chdir(tmp_path)
    write_registry(tmp_path, {})
    os.mkfifo(tmp_path / "registry" / FILE)
    assert main(["check", f"registry/{FILE}", "--no-cache", "--jobs", "1"]) == 2
    (problem,) = problems(capsys.readouterr().err)
    assert problem == (f"registry/{FILE}: this is not a regular file (a device, a pipe or a socket). "
                       "Registry files are plain .yml files.")
    (problem,) = problems(check(capsys)[2])
    assert problem.startswith("registry: the registry folder has no .yml or .yaml files.")


OUTSIDE = "a chapter that lives elsewhere on the build machine"


def set_options(config_file: Path, **options: object) -> None:
    """Change options of the proofbook plugin in a mkdocs.yml that make_site wrote (as JSON)."""
    config = json.loads(config_file.read_text())
    config["plugins"][0]["proofbook"].update(options)
    config_file.write_text(json.dumps(config))


@pytest.mark.parametrize("how", ["symlinked-file", "symlinked-folder", "path-with-dots"])
def test_the_registry_stays_inside_the_project(how: str, tmp_path: Path, make_site: SiteFactory,
                                               build_site: Builder) -> None:
    """A chapter outside the folder of mkdocs.yml (by a symlink, or a registry: path) is refused
    with a located message, unless the site says allow_outside: true."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / FILE).write_text(DEFINITIONS.replace("A definition", OUTSIDE))
    project = tmp_path / "project"
    project.mkdir()
    config_file = make_site(project, registry={"00-home.yml": DEFINITIONS.replace("d1", "d0")},
                            pages=HOME, nav=HOME_NAV)
    if how == "path-with-dots":
        set_options(config_file, registry=["../elsewhere"])
    if how == "symlinked-file":
        (project / "registry" / "02-linked.yml").symlink_to(elsewhere / FILE)
    elif how == "symlinked-folder":
        shutil.rmtree(project / "registry")
        (project / "registry").symlink_to(elsewhere, target_is_directory=True)
    message = failed_build(build_site, config_file, project / "site")
    assert f"outside the project folder {project.resolve()}" in message and "allow_outside: true" in message
    set_options(config_file, allow_outside=True)
    site = Path(build_site(config_file, project / "site").site_dir)
    assert any(OUTSIDE in page.read_text(encoding="utf-8") for page in (site / "handbook").rglob("index.html"))


def test_a_symlink_out_of_a_registry_folder_is_refused_by_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    """Without a site, what a folder lists must lie inside that folder."""
    monkeypatch.chdir(tmp_path)
    write_registry(tmp_path, {"01-ok.yml": DEFINITIONS})
    (tmp_path / "secret.yml").write_text(DEFINITIONS.replace("d1", "d2"))
    (tmp_path / "registry" / "02-link.yml").symlink_to(tmp_path / "secret.yml")
    code, _, err = check(capsys)
    (problem,) = problems(err)
    assert code == 2 and problem.startswith(f"registry/02-link.yml: the registry path leads to {tmp_path / 'secret.yml'}, "
                                            f"outside the project folder {tmp_path / 'registry'}.")


def test_a_cache_file_in_the_repository_cannot_verify_a_false_identity(tmp_path: Path, make_site: SiteFactory,
                                                                        build_site: Builder) -> None:
    """The issue's attack through ``mkdocs build --strict``: a pull request adds a cache file
    with a 'verified' record (its keyless SHA-256 recomputed) to the site's own cache folder."""
    config_file = make_site(tmp_path, registry={FILE: FALSE}, pages=HOME, nav=HOME_NAV, cache_dir=".cache/proofbook")
    assert "is false" in failed_build(build_site, config_file, tmp_path / "site")
    cache = tmp_path / ".cache" / "proofbook"
    stored = json.loads((cache / "results.json").read_text())
    (name,) = [k for k in stored["records"] if k.startswith("result:")]
    value = {"status": "verified", "evidence": [{"method": "symbolic", "summary": "proved", "sizes": []}],
             "level": "proved"}
    blob = json.dumps(["result", name.partition(":")[2], value], sort_keys=True, separators=(",", ":"))
    forged = {name: {"value": value, "mac": hashlib.sha256(blob.encode()).hexdigest(), "used": "2026-01-01"}}
    (cache / "a-x.json").write_text(json.dumps({**stored, "records": forged}))
    assert "entry 'e1' (1.1) is false" in failed_build(build_site, config_file, tmp_path / "site")
