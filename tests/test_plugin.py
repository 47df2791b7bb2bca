"""The MkDocs plugin end to end: sites built with ``mkdocs.commands.build.build``.

The repository's own site and a small site (conftest) are each built once per session; the
failure tests build a copy of the small site with one thing broken, and check the message
the user reads.
"""

from __future__ import annotations

import datetime
import logging
import re
from collections.abc import Callable
from html import escape
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from bs4 import BeautifulSoup
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, PluginError

from proofbook.check import Report, check_registry
from proofbook.adapters.cli import main
from proofbook.adapters.mkdocs import ProofbookPlugin
from proofbook.proofs import dependency_edges
from proofbook.registry.load import load_registry
from proofbook.render.levels import dimensions, level_words
from proofbook.render.pages import display_math
from proofbook.settings import ProofbookSettings
from proofbook.verify import pool

SiteFactory = Callable[..., Path]  # the types of the fixtures make_site, build_site, build_error
Builder = Callable[..., MkDocsConfig]
BuildError = Callable[..., str]
Texts = dict[str, str]  # file name -> text, as small_registry and small_pages give them

# -- helpers ------------------------------------------------------------------------------------


def read(config: MkDocsConfig, page: str) -> str:
    """A built page's HTML, by its path below the site folder."""
    return (Path(config.site_dir) / page / "index.html").read_text(encoding="utf-8")


def block(page_html: str, ident: str) -> str:
    """One entry block of a built page: from its anchor to the next block or the page's end."""
    start = page_html.index(f'id="{ident}"')
    end = page_html.find('<div class="pb-entry ', start)
    return page_html[start:end if end > 0 else page_html.index("</article>")]


def plugin_of(config: MkDocsConfig) -> ProofbookPlugin:
    """The plugin, configured for this site again: MkDocs keeps one instance per process (the
    plugin has ``on_startup``), so the last build may have been another site's."""
    plugin = config.plugins["proofbook"]
    assert isinstance(plugin, ProofbookPlugin)
    plugin.on_config(config)
    return plugin


def report_of(config: MkDocsConfig) -> Report:
    """The verifier's report for a built site, from the plugin's (now warm) cache."""
    plugin = plugin_of(config)
    return check_registry(load_registry(plugin.paths), plugin.settings.check_options(), cache=plugin.cache)


def line_of(text: str, needle: str) -> int:
    """The 1-based line of ``text`` that contains ``needle``."""
    return next(n for n, line in enumerate(text.splitlines(), start=1) if needle in line)


@pytest.fixture
def build_error(make_site: SiteFactory, build_site: Builder, tmp_path: Path,
                monkeypatch: pytest.MonkeyPatch) -> BuildError:
    """``build_error(registry=, pages=, **options)``: the PluginError message of a failing build.

    Builds in ``tmp_path``, also the working directory, so messages show relative paths.
    """
    monkeypatch.chdir(tmp_path)

    def run(**site: object) -> str:
        with pytest.raises(Abort) as failure:
            build_site(make_site(tmp_path, **site), tmp_path / "site")
        error = failure.value.__context__  # MkDocs logs the PluginError, then aborts
        assert isinstance(error, PluginError)
        return str(error)

    return run


# -- the repository's site ----------------------------------------------------------------------

CHAPTER_ONE = "handbook/matrix-derivatives"


def test_repo_chapter_one_has_the_13_seed_entries(repo_site: MkDocsConfig) -> None:
    """Every seed entry has its anchor and its number as the equation tag, in order."""
    chapter = load_registry(plugin_of(repo_site).paths).chapters[0]
    html = read(repo_site, CHAPTER_ONE)
    assert len(chapter.entries) == 13
    positions = [html.index(f'id="{entry.id}"') for entry in chapter.entries]
    assert positions == sorted(positions)
    for k, entry in enumerate(chapter.entries, start=1):
        assert f'<span class="pb-eqno">(1.{k})</span>' in block(html, entry.id)


def test_repo_identities_show_badge_and_evidence(repo_site: MkDocsConfig) -> None:
    """Each verified identity carries the badge with the verifier's evidence."""
    reports = report_of(repo_site).entries
    assert {r.result.status for r in reports} == {"verified", "definition"}
    for report in reports:
        shown = block(read(repo_site, f"handbook/{report.entry.chapter}"), report.entry.id)
        assert f'<details class="pb-badge pb-{report.result.status}' in shown
        assert report.result.evidence or report.result.status == "definition"
        for evidence in report.result.evidence:
            assert f"<p>{escape(evidence.summary)}</p>" in shown
        if report.result.status == "verified":
            words = level_words(report.result, dimensions(report.entry))
            assert f"<summary>✔ {escape(words)}</summary>" in shown


def test_repo_every_proof_step_is_rendered(repo_site: MkDocsConfig) -> None:
    """A proof starts from the left-hand side; every checked line is an equation "= ..."."""
    reports = [r for r in report_of(repo_site).entries if r.steps]
    assert len(reports) >= 10
    for report in reports:
        html = block(read(repo_site, f"handbook/{report.entry.chapter}"), report.entry.id)
        start = html.index('<details class="note pb-proof">')
        proof = html[start:html.index("</details>", start)]
        assert display_math(report.sides[0]) in proof
        assert proof.count('<div class="arithmatex">\\[ = ') == len(report.steps)
        for step in report.steps:
            assert display_math(f"= {step.latex}") in proof


def test_repo_home_page_references_resolve(repo_site: MkDocsConfig) -> None:
    """The home page's references link to the right anchors with the right numbers."""
    home = (Path(repo_site.site_dir) / "index.html").read_text(encoding="utf-8")
    for ident, number in [("trace-ab-grad", "1.8"), ("trace-abatc-grad", "1.12"), ("log-det-grad", "1.13")]:
        assert re.search(rf'<a class="pb-ref" href="{CHAPTER_ONE}/#{ident}" data-pb-number="[^"]+" data-pb-title="[^"]*" data-pb-tex="[^"]+">\({number}\)</a>', home)
    assert '<div class="pb-entry pb-verified" id="trace-abatc-grad">' in home  # the embed
    assert "<code>[[trace-ab-grad]]</code>" in home  # the syntax, shown in code


def test_repo_graph_lists_every_proof_edge(repo_site: MkDocsConfig) -> None:
    """Each (cited, citing) pair of the registry is an arrow of the graph's SVG, whose every
    node links to its entry on its chapter page."""
    page = BeautifulSoup(read(repo_site, "handbook/graph"), "html.parser")
    registry = load_registry(plugin_of(repo_site).paths)
    edges = dependency_edges(registry)
    assert len(edges) >= 10
    graph = page.select_one("article .pb-graph svg")
    assert {path["data-edge"] for path in graph.select("path.pb-edge")} == {f"{a} {b}" for a, b in edges}
    chapters = {e.id: e.chapter for e in registry.entries}
    links = {a["xlink:href"] for a in graph.select("a.pb-node")}
    assert links == {f"../{chapters[i]}/#{i}" for edge in edges for i in edge}


# -- the small site -----------------------------------------------------------------------------


def test_generated_pages_get_a_nav_section(make_site: SiteFactory, build_site: Builder, tmp_path: Path) -> None:
    """The generated pages sit in one nav section after the user's pages, in order."""
    config = build_site(make_site(tmp_path), tmp_path / "site")
    pages = [file.page for file in plugin_of(config).generated]
    assert [p.title for p in pages] == ["Index of formulas", "1. Traces", "2. Scalars ‹em›too‹/em›",
                                        "Dependency graph", "Notation"]
    assert {p.parent.title for p in pages} == {"Handbook"}
    assert pages[0].previous_page.title == "Sub" and pages[0].next_page is pages[1]
    assert [p.file.src_uri for p in pages] == ["handbook/index.md", "handbook/traces.md", "handbook/scalars.md",
                                               "handbook/graph.md", "handbook/notation.md"]
    assert not (tmp_path / "docs" / "handbook").exists()


def test_output_dir_and_nav_section_move_the_pages(make_site: SiteFactory, build_site: Builder,
                                                    tmp_path: Path) -> None:
    """The pages go to output_dir, under a nav section named nav_section, and links follow."""
    config = build_site(make_site(tmp_path, output_dir="/reference/formulas/", nav_section="Formulas"),
                        tmp_path / "site")
    pages = [file.page for file in plugin_of(config).generated]
    assert pages[1].file.src_uri == "reference/formulas/traces.md" and pages[1].parent.title == "Formulas"
    home = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert 'href="reference/formulas/traces/#trace-ab-grad"' in home


def test_small_site_references_are_relative(small_site: MkDocsConfig) -> None:
    """References resolve from the home page, a nested page and the chapter itself."""
    home = (Path(small_site.site_dir) / "index.html").read_text(encoding="utf-8")
    assert re.search(r'href="handbook/traces/#trace-ab-grad" data-pb-number="[^"]+" data-pb-title="[^"]*" data-pb-tex="[^"]+">\(1.2\)</a>', home)
    assert re.search(r'href="handbook/scalars/#hostile" data-pb-number="[^"]+" data-pb-title="[^"]*" data-pb-tex="[^"]+">the hostile one</a>', home)
    assert "<code>[[not-an-entry]]</code>" in home
    assert re.search(r'href="../../handbook/traces/#trace-ab-grad" data-pb-number="[^"]+" data-pb-title="[^"]*" data-pb-tex="[^"]+">\(1.2\)</a>',
                     read(small_site, "sub/page"))
    chapter = read(small_site, "handbook/traces")
    assert re.search(r'Gradients of traces, after <a class="pb-ref" href="#trace-ab-grad"', chapter)


def test_small_site_has_no_raw_script(small_site: MkDocsConfig) -> None:
    """A hostile title, source, tag or note never reaches any page as markup."""
    for page in Path(small_site.site_dir).rglob("*.html"):
        assert "<script>alert" not in page.read_text(encoding="utf-8"), page


def test_registry_changes_rebuild_under_serve(small_site: MkDocsConfig) -> None:
    """``mkdocs serve`` watches each registry path."""
    watched: list[str] = []
    config = load_config(small_site.config_file_path)
    server = SimpleNamespace(watch=watched.append)
    plugin_of(config).on_serve(server, config=config, builder=None)  # type: ignore[arg-type]
    assert [Path(p).resolve() for p in watched] == [Path(config.config_file_path).parent / "registry"]


def test_a_serve_rebuild_verifies_only_the_edited_entry(
        make_site: SiteFactory, build_site: Builder, small_registry: Texts, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    """A rebuild (serve reloads the config) reuses the plugin and its cache: after an edit only
    that entry is verified (proofs that cite it are checked step by step, so their verdicts do
    not depend on it), and the console says how many came from the cache."""
    config_file = make_site(tmp_path, cache_dir="")
    first = plugin_of(build_site(config_file, tmp_path / "site"))
    verified: list[str] = []
    real = pool.run_tasks

    def spy(fn: Callable[..., Any], tasks: list[Any], **options: Any) -> Any:
        verified.extend(claim.entry_id for claim, _ in tasks)
        return real(fn, tasks, **options)

    monkeypatch.setattr(pool, "run_tasks", spy)
    with caplog.at_level(logging.INFO):
        assert plugin_of(build_site(config_file, tmp_path / "site")) is first
    assert verified == [] and "0 entries verified now, 5 from the cache" in caplog.text

    edited = small_registry["01-traces.yml"].replace("rhs: C.T*A*B.T + C*A*B", "rhs: C*A*B + C.T*A*B.T")
    (tmp_path / "registry" / "01-traces.yml").write_text(edited)
    with caplog.at_level(logging.INFO):
        second = plugin_of(build_site(config_file, tmp_path / "site"))
    assert second is first and second.cache is not None and second.cache.folder is None
    assert set(verified) == {"trace-abatc-grad"}
    assert "5 verified, 0 false, 0 inconclusive, 1 definition; 1 entry verified now, 4 from the cache" in caplog.text


def test_user_nav_places_the_pages(make_site: SiteFactory, build_site: Builder, tmp_path: Path) -> None:
    """A nav that lists a generated page is left as the user wrote it."""
    nav = [{"Home": "index.md"}, {"Formulas": "handbook/index.md"}, {"Sub": "sub/page.md"}]
    plugin = plugin_of(build_site(make_site(tmp_path, nav=nav), tmp_path / "site"))
    index = plugin.generated[0].page
    assert index.title == "Formulas" and index.parent is None


# -- failures -----------------------------------------------------------------------------------


def test_false_identity_fails_with_location_and_counterexample(build_error: BuildError,
                                                               small_registry: Texts) -> None:
    """One wrong identity fails the build, naming file:line, id, number and a counterexample."""
    wrong = small_registry["01-traces.yml"].replace("rhs: C.T*A*B.T + C*A*B", "rhs: C.T*A*B.T + C*A*B.T")
    message = build_error(registry={**small_registry, "01-traces.yml": wrong})
    line = line_of(wrong, "id: trace-abatc-grad")
    header, problem = message.split("\n", 1)
    assert header == "proofbook: 1 problem in the registry:"
    assert problem.startswith(f"registry/01-traces.yml:{line}:5: entry 'trace-abatc-grad' (1.4) is false: ")
    assert "at n = 2" in problem and "lhs = " in problem and ", rhs = " in problem


def test_wrong_proof_step_names_the_step(build_error: BuildError, small_registry: Texts) -> None:
    """A proof step that does not follow fails the build with its number and line."""
    wrong = small_registry["01-traces.yml"].replace("- step: B.T.T", "- step: B.T")
    message = build_error(registry={**small_registry, "01-traces.yml": wrong})
    line = line_of(wrong, "- step: B.T")
    assert (f"registry/01-traces.yml:{line}:9: entry 'trace-atb-grad' (1.3): proof step 2 does not follow "
            "from the line before: ") in message


def test_circular_proof_is_spelled_out(build_error: BuildError, small_registry: Texts) -> None:
    """Two proofs that cite each other fail the build with the cycle."""
    circular = small_registry["01-traces.yml"].replace("    tags: [trace, gradient]\n", """\
    tags: [trace, gradient]
    proof:
      - step: B.T
        by: trace-atb-grad
""")
    message = build_error(registry={**small_registry, "01-traces.yml": circular})
    assert "circular proof: trace-ab-grad → trace-atb-grad → trace-ab-grad." in message


def test_registry_input_errors_are_listed(build_error: BuildError, small_registry: Texts) -> None:
    """A registry that does not load fails with every problem, each with file:line."""
    broken = small_registry["02-scalars.yml"].replace("title: Square of a sum", "titel: Square of a sum")
    message = build_error(registry={**small_registry, "02-scalars.yml": broken})
    assert message.startswith("proofbook: ")
    assert f"registry/02-scalars.yml:{line_of(broken, 'titel')}:" in message and "'titel'" in message


@pytest.mark.parametrize(("page", "expected"), [
    # a typo on line 3, with a suggestion
    pytest.param("# Home\n\nSee [[trace-ab-gard]].\n",
                 "docs/index.md:3: unknown proofbook reference 'trace-ab-gard' (did you mean 'trace-ab-grad'?)",
                 id="typo"),
    # front matter is counted: the line is the file's; an unknown embed; nothing close
    pytest.param("---\ntitle: Home\n---\n# Home\n\n![[zzz]]\n",
                 "docs/index.md:6: unknown proofbook reference 'zzz'", id="front-matter"),
])
def test_dangling_reference_names_page_and_line(build_error: BuildError, small_pages: Texts, page: str,
                                                expected: str) -> None:
    """An unknown id in a page fails the build with the page and the line."""
    assert build_error(pages={**small_pages, "index.md": page}) == expected


def test_unknown_reference_in_notes_names_the_entry(build_error: BuildError, small_registry: Texts) -> None:
    """An unknown id in an entry's notes is a registry problem, located in the registry."""
    notes = small_registry["01-traces.yml"].replace("tags: [trace, gradient]",
                                                    "tags: [trace]\n    notes: See [[nope]].")
    message = build_error(registry={**small_registry, "01-traces.yml": notes})
    line = line_of(notes, "id: trace-ab-grad")
    assert message == ("proofbook: 1 problem in the registry:\n"
                       f"registry/01-traces.yml:{line}:5: entry 'trace-ab-grad' notes: "
                       "unknown proofbook reference 'nope'")


def test_inconclusive_fails_by_default(build_error: BuildError, tmp_path: Path) -> None:
    """A claim that runs out of time fails the build unless fail_on_inconclusive is off."""
    message = build_error(time_limit=0.001, cache_dir=str(tmp_path / "cache"))  # no cached verdicts
    assert "entry 'trace-ab-grad' (1.2) is inconclusive: timed out after 0.001 s" in message


def test_inconclusive_allowed_is_a_warning(make_site: SiteFactory, build_site: Builder, tmp_path: Path,
                                           caplog: pytest.LogCaptureFixture) -> None:
    """With fail_on_inconclusive off, the entry is published with its badge and a warning."""
    config_file = make_site(tmp_path, time_limit=0.001, fail_on_inconclusive=False, cache_dir=str(tmp_path / "c"))
    with caplog.at_level(logging.WARNING):
        config = build_site(config_file, tmp_path / "site", strict=False)
    assert any("entry 'trace-ab-grad' (1.2) is inconclusive" in r.getMessage() for r in caplog.records)
    assert ('<details class="pb-badge pb-inconclusive">\n<summary>? inconclusive</summary>\n'
            "<p>timed out after 0.001 s</p>\n</details>") in read(
        config, "handbook/traces")


def test_misplaced_embed_is_a_warning(make_site: SiteFactory, build_site: Builder, small_pages: Texts,
                                      tmp_path: Path, caplog: pytest.LogCaptureFixture,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """An embed inside a sentence renders as a reference, warns, and so fails --strict."""
    monkeypatch.chdir(tmp_path)
    config_file = make_site(tmp_path, pages={**small_pages, "index.md": "# Home\n\nSee ![[trace-ab-grad]].\n"})
    with pytest.raises(Abort, match="Aborted with 1 warnings in strict mode!"):
        build_site(config_file, tmp_path / "site")
    assert [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING] == [
        "proofbook: docs/index.md:3: an embed ![[...]] must stand alone at the start of a line; "
        "it was rendered as a reference"]


def test_generated_page_never_replaces_a_users_page(build_error: BuildError, small_pages: Texts) -> None:
    """A page at a generated page's path fails the build instead of being lost."""
    message = build_error(pages={**small_pages, "handbook/graph.md": "# Mine\n"})
    assert message == ("proofbook: cannot generate the page handbook/graph.md: the site already has a page "
                       "with that path. Rename that page or chapter (slug:), or set the plugin's output_dir option.")


def test_md_in_html_is_required(small_site: MkDocsConfig) -> None:
    """Without md_in_html the entry blocks would be raw text: the build stops and says why."""
    config = load_config(small_site.config_file_path)
    config.markdown_extensions.remove("md_in_html")
    with pytest.raises(PluginError, match=r"^proofbook: the handbook pages need the md_in_html Markdown extension; "
                                          r"add 'md_in_html' under markdown_extensions in mkdocs\.yml\.$"):
        config.plugins["proofbook"].on_config(config)


#: Bad options and proofbook's message for each; ``INF`` and ``NAN`` stand for YAML's ``.inf``
#: and ``.nan``, which the JSON that ``make_site`` writes cannot spell.
BAD_OPTIONS = [
    # a string where a number belongs
    ({"jobs": "two"}, "option 'jobs': Expected a whole number from 0 to 256 but received: 'two'"),
    # a negative worker count
    ({"jobs": -1}, "option 'jobs': Expected a whole number from 0 to 256 but received: -1"),
    # true where a count belongs (YAML's true is no number)
    ({"points": True}, "option 'points': Expected a whole number of at least 1 but received: True"),
    # a size of zero, inside a list
    ({"random_sizes": [1, 0]},
     "option 'random_sizes': Expected a whole number of at least 1 but received: 0 (in the list [1, 0])"),
    # no time at all, endless time, not a number
    ({"time_limit": 0}, "option 'time_limit': Expected a finite number of at least 0.001 but received: 0"),
    ({"time_limit": "INF"}, "option 'time_limit': Expected a finite number of at least 0.001 but received: inf"),
    ({"time_limit": "NAN"}, "option 'time_limit': Expected a finite number of at least 0.001 but received: nan"),
    # fewer digits than a double has
    ({"digits": 14}, "option 'digits': Expected a whole number of at least 15 but received: 14"),
    # no such day; a number where a date belongs
    ({"date": "2024-02-30"}, "option 'date': Expected a date as YYYY-MM-DD but received: '2024-02-30'"),
    ({"date": 20240101}, "option 'date': Expected a date as YYYY-MM-DD but received: 20240101"),
    # pages outside the site
    ({"output_dir": "../outside"},
     "option 'output_dir': Expected a folder inside the site (handbook, reference/formulas) but received: "
     "'../outside'"),
    ({"output_dir": "handbook/../../x"},
     "option 'output_dir': Expected a folder inside the site (handbook, reference/formulas) but received: "
     "'handbook/../../x'"),
    # one size, not a list of them
    ({"exact_sizes": 2},
     "option 'exact_sizes': Expected a list of sizes (whole numbers of at least 1) but received: 2"),
    # a typo in an option name: an error (it would verify with the default), with the fix
    ({"job": 2}, "option 'job': Unknown option. Did you mean 'jobs'?"),
    # an option proofbook never had
    ({"colour": "red"}, "option 'colour': Unknown option. The options are: registry, allow_outside, exact_sizes, "),
]


def site_with(make_site: SiteFactory, folder: Path, options: dict[str, object]) -> Path:
    """``make_site`` with ``options``, YAML's ``.inf`` and ``.nan`` written where they stand."""
    config_file = make_site(folder, **options)
    text = config_file.read_text(encoding="utf-8")
    config_file.write_text(text.replace('"INF"', ".inf").replace('"NAN"', ".nan"), encoding="utf-8")
    return config_file


@pytest.mark.parametrize(("options", "expected"), BAD_OPTIONS)
def test_option_errors_name_option_and_fix(make_site: SiteFactory, build_site: Builder, tmp_path: Path,
                                           options: dict[str, object], expected: str,
                                           caplog: pytest.LogCaptureFixture) -> None:
    """A wrong option stops the build with proofbook's message, which MkDocs prints on one line."""
    with pytest.raises(Abort, match="configuration"):
        build_site(site_with(make_site, tmp_path, options), tmp_path / "site")
    assert f"Config value 'plugins': Plugin 'proofbook' {expected}" in caplog.text
    assert "Traceback" not in caplog.text and not (tmp_path / "site").exists()


@pytest.mark.parametrize(("options", "expected"), BAD_OPTIONS)
def test_check_gives_the_builds_option_message(make_site: SiteFactory, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                                               options: dict[str, object], expected: str) -> None:
    """``proofbook check --config mkdocs.yml`` refuses the same option with the same message,
    reading mkdocs.yml without MkDocs, and names the line of the option."""
    monkeypatch.chdir(tmp_path)
    config_file = site_with(make_site, tmp_path, options)
    (name,) = options
    line = line_of(config_file.read_text(encoding="utf-8"), f'"{name}":')
    assert main(["check", "--config", "mkdocs.yml"]) == 2
    err = capsys.readouterr().err
    assert f"\nmkdocs.yml:{line}:9: proofbook {expected}" in err and "Traceback" not in err


def test_valid_options_reach_the_core(make_site: SiteFactory, tmp_path: Path) -> None:
    """Every option MkDocs validates arrives in the plugin's settings as the core holds it."""
    config = load_config(str(make_site(tmp_path, output_dir="/reference/formulas/", date="2024-02-29",
                                       time_limit=2, authors=["Ada"])))
    settings = plugin_of(config).settings
    assert (settings.output_dir, settings.date, settings.time_limit, settings.authors) == (
        "reference/formulas", datetime.date(2024, 2, 29), 2.0, ("Ada",))
    assert settings.check_options().settings.random_sizes == (1, 2)


def test_plugin_options_are_the_core_options() -> None:
    """The MkDocs Config declares exactly the core's options, in the same order, with the same defaults."""
    from proofbook.adapters.mkdocs.config import ProofbookConfig
    from proofbook.settings.options import DEFAULTS

    config = ProofbookConfig()
    assert [name for name, _ in ProofbookConfig._schema] == list(DEFAULTS)
    assert config.validate() == ([], []) and config.settings() == ProofbookSettings()


@pytest.mark.parametrize("url", ["", "/", ".", "a/", "a/b/", "a/b/c.html", "a/../b/", "../x/", "//x/y/", "a/./b",
                                 "handbook/traces/", "index.html", "sub/page/", "x.y/z/", "foo/../../bar"])
@pytest.mark.parametrize("page", ["", "/", "a/", "a/b/", "a/b/c.html", "handbook/traces/", "sub/page/",
                                  "handbook/print/", "x.y/z/", "../up/"])
def test_references_link_as_mkdocs_links(url: str, page: str) -> None:
    """The core's relative URLs are MkDocs' own (``get_relative_url``), without importing MkDocs."""
    from mkdocs.utils import get_relative_url

    from proofbook.render.urls import relative_url

    assert relative_url(url, page) == get_relative_url(url, page)
