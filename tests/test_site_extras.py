"""What the plugin adds for readers, besides the pages: math and diagram assets, Cite controls,
exports, the print page and search, checked in built sites (no browser; see test_browser.py).

Most tests read the small site (conftest); a few build it again with other options.
"""

from __future__ import annotations

import datetime
import json
import logging
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, PluginError

from proofbook.adapters import cli
from proofbook.errors import Location
from proofbook.check import Report
from proofbook.export import latex_sheet
from proofbook.model import Entry, EntryReport, Registry, Result
from proofbook.registry.load import load_registry
from proofbook.render.assets import KATEX_CDN, KATEX_VERSION, PACKAGE_ASSETS, page_assets, site_engine
from proofbook.render.bibtex import bibtex_entry
from proofbook.render.cite import SiteMeta, citation

REPO = Path(__file__).resolve().parent.parent
SiteFactory = Callable[..., Path]
Builder = Callable[..., MkDocsConfig]

LOCAL_KATEX = "assets/proofbook/vendor/katex"
INIT = "assets/proofbook/katex-init.js"
STYLE = "assets/proofbook/proofbook.css"
#: The metadata options of the "cited" small site, and the site_url it is built with.
CITED = {"handbook_title": "Small handbook", "authors": ["Ada Lovelace", "Alan Turing"], "version": "2.1",
         "date": "2024-05-01"}
SITE_URL = "https://example.org/small/"


# -- helpers ------------------------------------------------------------------------------------


def soup(config: MkDocsConfig, page: str) -> BeautifulSoup:
    """A built page, parsed; ``page`` is its folder below the site ("" for the home page)."""
    return BeautifulSoup((Path(config.site_dir) / page / "index.html").read_text(encoding="utf-8"), "html.parser")


def site_file(config: MkDocsConfig, name: str) -> str:
    return (Path(config.site_dir) / name).read_text(encoding="utf-8")


def bib_record(bib: str, ident: str) -> str:
    """One ``@misc`` record of a .bib file, by key."""
    return re.search(rf"^@misc\{{{ident},\n.*?^\}}", bib, flags=re.MULTILINE | re.DOTALL).group()


def cite_of(config: MkDocsConfig, page: str, ident: str) -> tuple[str, str | None]:
    """The plain-text citation and the BibTeX (None if absent) of an entry's Cite control."""
    control = soup(config, page).select_one(f"#{ident} details.pb-cite")
    bibtex = control.select_one("pre.pb-bibtex")
    return control.select_one(".pb-citation").get_text(), bibtex.get_text() if bibtex else None


def search_docs(config: MkDocsConfig) -> list[dict[str, Any]]:
    return json.loads(site_file(config, "search/search_index.json"))["docs"]  # type: ignore[no-any-return]


@pytest.fixture(scope="module", autouse=True)
def plugin_left_for_the_repo_site() -> Iterator[None]:
    """Load the repository's config again after this module's builds.

    MkDocs keeps one plugin instance per process, configured by the last config loaded, and
    test_plugin's ``plugin_of`` expects the repository's options after building ``repo_site``.
    """
    yield
    load_config(str(REPO / "mkdocs.yml"))


@pytest.fixture(scope="module")
def cited_site(make_site: SiteFactory, build_site: Builder,
               tmp_path_factory: pytest.TempPathFactory) -> MkDocsConfig:
    """The small site with a URL and every metadata option set."""
    folder = tmp_path_factory.mktemp("cited")
    return build_site(make_site(folder, **CITED), folder / "site", site_url=SITE_URL)


# -- assets: the math option ------------------------------------------------------------------


SCRIPT = "assets/proofbook/proofbook.js"
LOADED_KATEX = {"css": ["vendor/katex/katex.min.css"],
                "js": ["vendor/katex/katex.min.js", "vendor/katex/contrib/auto-render.min.js", "katex-init.js"]}
CDN_KATEX = {"css": [f"{KATEX_CDN}/katex.min.css"],
             "js": [f"{KATEX_CDN}/katex.min.js", f"{KATEX_CDN}/contrib/auto-render.min.js", "katex-init.js"]}


@pytest.mark.parametrize(("math", "site_engine", "katex"), [
    # the default, on a site without an engine: KaTeX from the site itself
    ("auto", False, LOADED_KATEX),
    # the default on a MathJax or KaTeX site: the site's engine alone
    ("auto", True, None),
    # KaTeX asked for, from the site
    ("katex", False, LOADED_KATEX),
    # KaTeX from jsDelivr, pinned to the vendored version
    ("katex-cdn", False, CDN_KATEX),
    # the site brings its own math engine
    ("none", False, None),
])
def test_math_option_lists_scripts_and_styles(math: str, site_engine: bool, katex: object) -> None:
    """Every page gets one style sheet and one script; the script loads the math engine the
    option asks for, on pages with formulas only; every local file it names is served."""
    assets = page_assets(math, site_engine)  # type: ignore[arg-type]
    assert (list(assets.css), list(assets.js), assets.katex) == ([STYLE], [SCRIPT], katex)
    local = [url for url in (katex or {"css": [], "js": []})["css"] + (katex or {"js": []})["js"]
             if not url.startswith("https://")]
    assert set(assets.files) >= set(local) | {"proofbook.css", "proofbook.js"}
    assert all((PACKAGE_ASSETS / path).is_file() for path in assets.files)
    assert assets.script().startswith(f"const PROOFBOOK = {json.dumps({'katex': katex}, separators=(',', ':'))};")


@pytest.mark.parametrize(("extra_javascript", "engine"), [
    # MathJax from a CDN, as Material's docs configure it
    (["javascripts/mathjax.js", "https://unpkg.com/mathjax@3/es5/tex-mml-chtml.js"], "mathjax"),
    # the site's own KaTeX
    (["https://cdn.jsdelivr.net/npm/katex@0.16/dist/katex.min.js"], "katex"),
    # proofbook's own files are not the site's engine
    (["assets/proofbook/vendor/katex/katex.min.js", "js/app.js"], None),
    # no engine
    ([], None),
])
def test_site_engine_is_detected(extra_javascript: list[str], engine: str | None) -> None:
    """A site whose scripts name MathJax or KaTeX has an engine; proofbook leaves it alone."""
    assert site_engine(extra_javascript) == engine


def test_katex_fonts_travel_with_katex() -> None:
    """Every woff2 font that katex.min.css names is shipped next to it."""
    css = (PACKAGE_ASSETS / "vendor/katex/katex.min.css").read_text(encoding="utf-8")
    named = set(re.findall(r"url\((fonts/[\w-]+\.woff2)\)", css))
    assert len(named) == 20
    assert {f"vendor/katex/{font}" for font in named} <= set(page_assets("katex").files)


def test_cdn_serves_the_vendored_katex_version() -> None:
    """katex-cdn pins the version that is vendored, so both choices typeset alike."""
    script = (PACKAGE_ASSETS / "vendor/katex/katex.min.js").read_text(encoding="utf-8")
    assert f'version:"{KATEX_VERSION}"' in script
    assert f"/katex@{KATEX_VERSION}/" in KATEX_CDN


@pytest.mark.parametrize(("math", "katex_served"), [("katex", True), ("katex-cdn", False), ("none", False)])
def test_math_option_changes_the_pages_scripts(make_site: SiteFactory, build_site: Builder, tmp_path: Path,
                                               math: str, katex_served: bool) -> None:
    """A built page loads Material's bundle, then proofbook's one script; KaTeX is served only
    when the option asks for the site's own copy; no Mermaid is served (the graph is an SVG)."""
    config = build_site(make_site(tmp_path, math=math), tmp_path / "site")
    page = soup(config, "handbook/traces")
    sources = [tag["src"].removeprefix("../../") for tag in page.select("script[src]")]
    assert sources[1:] == [SCRIPT] and sources[0].startswith("assets/javascripts/bundle.")
    assert (tmp_path / "site" / LOCAL_KATEX / "fonts/KaTeX_Main-Regular.woff2").exists() == katex_served
    assert not list((tmp_path / "site").rglob("mermaid*"))


def test_default_repo_site_loads_nothing_from_other_hosts(repo_site: MkDocsConfig) -> None:
    """No page of the repository's site names a script, style sheet or other resource elsewhere."""
    pages = list(Path(repo_site.site_dir).rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        html = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        urls = [tag["src"] for tag in html.select("script[src]")]
        urls += [tag["href"] for tag in html.select("link[href]")]
        assert urls and not [url for url in urls if re.match(r"(https?:)?//", url)], page
    for css in Path(repo_site.site_dir, "assets/proofbook").rglob("*.css"):
        assert not re.search(r"url\(['\"]?(https?:)?//", css.read_text(encoding="utf-8")), css


def test_site_files_never_replace_the_users(make_site: SiteFactory, build_site: Builder,
                                            small_pages: dict[str, str], tmp_path: Path) -> None:
    """A page of the site where an export goes fails the build instead of being lost."""
    with pytest.raises(Abort) as failure:
        build_site(make_site(tmp_path, pages={**small_pages, "proofbook.bib": "mine"}), tmp_path / "site")
    error = failure.value.__context__
    assert isinstance(error, PluginError)
    assert str(error).startswith("proofbook: cannot generate the file proofbook.bib: the site already has a file "
                                 "with that path.")


@pytest.mark.parametrize(("options", "expected"), [
    # no such engine
    ({"math": "mathjax"}, "Expected one of: ('auto', 'katex', 'katex-cdn', 'none') but received: 'mathjax'"),
    # not a date
    ({"date": "2024-13-01"}, "Expected a date as YYYY-MM-DD but received: '2024-13-01'"),
    # authors is a list
    ({"authors": "Ada"}, "Expected a list of names but received: 'Ada'"),
])
def test_reader_option_errors(make_site: SiteFactory, build_site: Builder, tmp_path: Path,
                              caplog: pytest.LogCaptureFixture, options: dict[str, object], expected: str) -> None:
    """Wrong reader options get proofbook's validation messages, which MkDocs prints."""
    with pytest.raises(Abort):
        build_site(make_site(tmp_path, **options), tmp_path / "site")
    assert expected in caplog.text


# -- the Cite control ---------------------------------------------------------------------------


def test_cite_control_with_metadata(cited_site: MkDocsConfig) -> None:
    """Plain text with authors, title, version, date and permalink; BibTeX as in proofbook.bib."""
    text, bibtex = cite_of(cited_site, "handbook/traces", "trace-ab-grad")
    permalink = f"{SITE_URL}handbook/traces/#trace-ab-grad"
    assert text == ("Ada Lovelace, Alan Turing. (1.2) Gradient of Tr(AB). "
                    f"In: Small handbook, version 2.1, 2024-05-01. {permalink}")
    assert bibtex == bib_record(site_file(cited_site, "proofbook.bib"), "trace-ab-grad")
    assert bibtex.startswith("@misc{trace-ab-grad,\n  title = {{(1.2) Gradient of Tr(AB)}},\n"
                             "  author = {Ada Lovelace and Alan Turing},\n"
                             f"  howpublished = {{\\url{{{permalink}}}}},\n")
    assert bibtex.endswith("  year = {2024},\n  version = {2.1},\n}")


def test_cite_control_without_metadata(small_site: MkDocsConfig) -> None:
    """Defaults: the site name, no authors, no date; the path below the site root, as no URL is known."""
    text, bibtex = cite_of(small_site, "handbook/traces", "trace-ab-grad")
    assert text == "(1.2) Gradient of Tr(AB). In: small. handbook/traces/#trace-ab-grad"
    assert bibtex == bib_record(site_file(small_site, "proofbook.bib"), "trace-ab-grad")
    assert "  howpublished = {small},\n" in bibtex and "year" not in bibtex and "author" not in bibtex


def test_cite_control_of_a_definition_has_no_bibtex(small_site: MkDocsConfig) -> None:
    """Definitions are not in proofbook.bib, so their Cite control offers the plain text only."""
    text, bibtex = cite_of(small_site, "handbook/traces", "grad-def")
    assert text.startswith("(1.1) Derivative of a scalar by a vector. In: small.") and bibtex is None
    assert "@misc{grad-def," not in site_file(small_site, "proofbook.bib")


def test_cite_control_is_in_every_block_and_shows_the_reference(small_site: MkDocsConfig) -> None:
    """Every entry block, embedded ones too, ends its info line with a Cite control naming its [[id]]."""
    for page, count in [("handbook/traces", 4), ("handbook/scalars", 2), ("", 1)]:
        blocks = soup(small_site, page).select("div.pb-entry")
        assert len(blocks) == count
        for block in blocks:
            control = block.select(":scope > .pb-info > details.pb-cite")
            assert len(control) == 1 and f"[[{block['id']}]]" in control[0].get_text()


def test_hostile_title_stays_text_in_the_cite_control(small_site: MkDocsConfig) -> None:
    """Markup in a title is text in the citation and in the BibTeX; `[[` is not a reference."""
    text, bibtex = cite_of(small_site, "handbook/scalars", "hostile")
    assert "(2.2) <script>alert('title')</script> & *stars* [x]. In: small." in text
    assert "  title = {{(2.2) <script>alert('title')</script> \\& *stars* [x]}},\n" in bibtex


def test_permalinks_follow_use_directory_urls(make_site: SiteFactory, build_site: Builder, tmp_path: Path) -> None:
    """Without directory URLs the permalink is the .html page, in the Cite control and proofbook.bib."""
    config = build_site(make_site(tmp_path), tmp_path / "site", site_url=SITE_URL, use_directory_urls=False)
    html = BeautifulSoup((tmp_path / "site/handbook/traces.html").read_text(encoding="utf-8"), "html.parser")
    text = html.select_one("#trace-ab-grad .pb-citation").get_text()
    permalink = f"{SITE_URL}handbook/traces.html#trace-ab-grad"
    assert text.endswith(f". {permalink}")
    assert f"\\url{{{permalink}}}" in site_file(config, "proofbook.bib")


@pytest.mark.parametrize(("meta", "expected"), [
    # nothing but the title: the location below the site root
    (SiteMeta(title="H", page_urls={"traces": "handbook/traces/"}), "(1.2) Gradient. In: H. handbook/traces/#e"),
    # authors, version, date and URL
    (SiteMeta(title="H", authors=("A", "B"), version="3", date=datetime.date(2020, 2, 29), url="https://x.org/",
              page_urls={"traces": "handbook/traces/"}),
     "A, B. (1.2) Gradient. In: H, version 3, 2020-02-29. https://x.org/handbook/traces/#e"),
])
def test_citation(meta: SiteMeta, expected: str) -> None:
    """The plain-text citation, part by part."""
    entry = Entry("e", "Gradient", "identity", (), (), "", Location("r.yml", 1, 1), "traces", "1.2")
    assert citation(entry, meta) == expected


@pytest.mark.parametrize(("meta", "date_line", "year"), [
    # undated: nothing stands for a date, so two builds write the same files
    (SiteMeta(), "\\date{}", None),
    (SiteMeta(version="2"), "\\date{Version 2}", None),
    (SiteMeta(version="2", date=datetime.date(2024, 5, 1)), "\\date{Version 2, 2024-05-01}", "2024"),
])
def test_exports_are_dated_only_when_a_date_is_set(meta: SiteMeta, date_line: str, year: str | None) -> None:
    """The LaTeX sheet's date line and the BibTeX year follow the date option, never the clock."""
    entry = Entry("e", "Gradient", "identity", (), (), "", Location("r.yml", 1, 1), "traces", "1.2")
    report = EntryReport(entry, Result("verified"), "x")
    assert date_line in latex_sheet(Registry(()), Report(), meta).splitlines()
    record = bibtex_entry(report, meta)
    assert ("year = {" + year + "}" in record) if year else ("year" not in record)


# -- exports ------------------------------------------------------------------------------------


def test_exports_are_those_of_proofbook_export(cited_site: MkDocsConfig, tmp_path: Path) -> None:
    """proofbook.json, .tex and .bib are what ``proofbook export`` writes with the same metadata."""
    for name, form in [("proofbook.json", "json"), ("proofbook.tex", "latex"), ("proofbook.bib", "bibtex")]:
        out = tmp_path / name
        authors = [arg for author in CITED["authors"] for arg in ("--author", author)]
        status = cli.main(["export", "--config", cited_site.config_file_path, "--format", form, "-o", str(out),
                           "--title", CITED["handbook_title"], *authors, "--version", CITED["version"],
                           "--date", CITED["date"], "--url", SITE_URL])
        assert status == 0
        assert site_file(cited_site, name) == out.read_text(encoding="utf-8"), name


def test_undated_exports_have_no_date(small_site: MkDocsConfig) -> None:
    """Without a date option the exports are dated nowhere: a rebuild gives the same files."""
    assert json.loads(site_file(small_site, "proofbook.json"))["handbook"] == {
        "title": "small", "authors": [], "version": None, "url": None, "date": None}
    assert "\\date{}\n" in site_file(small_site, "proofbook.tex")
    assert "year" not in site_file(small_site, "proofbook.bib")


def test_index_links_exports_and_print_page(small_site: MkDocsConfig) -> None:
    """The handbook index links the print page and each export, which the site serves."""
    links = {a.get_text(): a["href"] for a in soup(small_site, "handbook").select("article a")}
    assert {k: links[k] for k in ("printable version", "JSON", "LaTeX", "BibTeX")} == {
        "printable version": "print/", "JSON": "../proofbook.json", "LaTeX": "../proofbook.tex",
        "BibTeX": "../proofbook.bib"}
    for name in ("proofbook.json", "proofbook.tex", "proofbook.bib"):
        assert (Path(small_site.site_dir) / name).stat().st_size > 500


def test_no_exports_while_inconclusive(make_site: SiteFactory, build_site: Builder, tmp_path: Path,
                                       caplog: pytest.LogCaptureFixture) -> None:
    """An export says every identity is verified: with an inconclusive one there is none, nor a link."""
    config_file = make_site(tmp_path, time_limit=0.001, fail_on_inconclusive=False, cache_dir=str(tmp_path / "c"))
    with caplog.at_level(logging.INFO):
        config = build_site(config_file, tmp_path / "site", strict=False)
    assert not list(Path(config.site_dir).glob("proofbook.*"))
    assert "JSON" not in soup(config, "handbook").select_one("article").get_text()
    assert "the exports (proofbook.json, proofbook.tex, proofbook.bib) are left out" in caplog.text
    assert cite_of(config, "handbook/traces", "trace-ab-grad")[1] is None


# -- the print page -----------------------------------------------------------------------------


def test_print_page_has_every_entry_with_open_proofs(small_site: MkDocsConfig) -> None:
    """All chapters and entries in order, every proof open, references kept on the page."""
    page = soup(small_site, "handbook/print")
    ids = [block["id"] for block in page.select("div.pb-entry")]
    assert ids == ["grad-def", "trace-ab-grad", "trace-atb-grad", "trace-abatc-grad", "square-of-sum", "hostile"]
    assert [h.get_text().rstrip("¶") for h in page.select("article h2")] == [
        "1. Traces", "2. Scalars <em>too</em>"]
    proofs = page.select("details.pb-proof")
    assert len(proofs) == 2 and all(proof.has_attr("open") for proof in proofs)
    assert not page.select("details.pb-cite")
    refs = {a["href"] for a in page.select("article a.pb-ref")}
    assert refs and all(href.startswith("#") for href in refs)


def test_repo_print_page_has_every_entry(repo_site: MkDocsConfig) -> None:
    """The repository's print page holds every entry of its registry, in order."""
    ids = [block["id"] for block in soup(repo_site, "handbook/print").select("div.pb-entry")]
    assert ids == [entry.id for entry in load_registry([str(REPO / "registry")]).entries]


def test_print_page_is_for_paper(small_site: MkDocsConfig) -> None:
    """Outside the navigation and the search index; the print style sheet hides navigation."""
    page = soup(small_site, "handbook/print")
    assert page.select_one("h1").get_text().rstrip("¶") == "small"
    nav = [a["href"] for a in soup(small_site, "handbook").select(".md-nav--primary a")]
    assert "graph/" in nav and "print/" not in nav
    css = site_file(small_site, STYLE)
    assert re.search(r"@media print \{[^@]*\.md-sidebar,[^@]*display: none", css)
    assert page.select_one(f'link[href="../../{STYLE}"]')


def test_print_page_names_authors_and_release(cited_site: MkDocsConfig) -> None:
    """The print page starts with the handbook's title, then its authors, version and date."""
    title = soup(cited_site, "handbook/print").select_one("article h1")
    assert title.get_text().rstrip("¶") == "Small handbook"
    assert title.find_next_sibling("p").get_text() == "Ada Lovelace, Alan Turing · version 2.1 · 2024-05-01"


# -- search -------------------------------------------------------------------------------------


def test_search_finds_every_entry_by_id_title_and_notes(repo_site: MkDocsConfig) -> None:
    """Each entry is a section of Material's index: titled by its title, with its id and notes as text."""
    docs = search_docs(repo_site)
    sections = {(doc["location"].split("#")[0], doc["title"]): doc["text"] for doc in docs}
    entries = load_registry([str(REPO / "registry")]).entries
    assert len(entries) >= 150
    for entry in entries:
        text = sections[(f"handbook/{entry.chapter}/", entry.title)]
        assert f"[[{entry.id}]]" in text
        # the words of the notes, but not of their math or references (shown as numbers)
        words = re.findall(r"[A-Za-z]{4,}", re.sub(r"\$[^$]*\$|\[\[[^\]]*\]\]", "", entry.notes or ""))
        assert all(word in text for word in words), entry.id
    handbook = [doc for doc in docs if doc["location"].startswith("handbook/")]
    assert not [doc for doc in handbook if "@misc" in doc["text"]]  # the citations are not indexed
    assert not [doc for doc in handbook if doc["location"].startswith("handbook/print/")]  # nor the print page
