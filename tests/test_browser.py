"""The repository's site in a real browser: headless Chromium driven by Playwright.

The repository's site is built once, with the default ``math: katex``, and served from a local
``http.server``.  Every request to another host is blocked and recorded, so a page that works
here works offline: KaTeX and Mermaid come from the site itself.  Without /usr/bin/chromium the
tests are skipped, except under CI (the ``CI`` environment variable), where they fail.
"""

from __future__ import annotations

import re
import subprocess
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from mkdocs.config.defaults import MkDocsConfig

from proofbook.registry.load import load_registry
from tools import require, unavailable

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-quic"]
CHAPTER_ONE = "handbook/matrix-derivatives/"
#: Material draws a Mermaid diagram in a closed shadow root; opened here so the test can see it.
OPEN_SHADOW_ROOTS = """
const attachShadow = Element.prototype.attachShadow;
Element.prototype.attachShadow = function (init) { return attachShadow.call(this, {...init, mode: "open"}); };
"""
#: True once every formula of the page is typeset (KaTeX puts a .katex element in each).
ALL_TYPESET = """() => {
  const formulas = document.querySelectorAll(".arithmatex");
  return formulas.length > 0 && [...formulas].every(f => f.querySelector(".katex"));
}"""


class QuietHandler(SimpleHTTPRequestHandler):
    """Serves the site without logging each request to stderr."""

    def log_message(self, format: str, *args: Any) -> None:
        pass


@dataclass(frozen=True)
class Site:
    """A built site and the URL it is served at."""

    url: str
    config: MkDocsConfig


@pytest.fixture(scope="module")
def site(build_site: Callable[..., MkDocsConfig], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The repository's site, served below a folder of a free port of 127.0.0.1.

    Built here, not shared with ``repo_site``, to give it this server's address as ``site_url``:
    Material's instant navigation follows only links listed in sitemap.xml, which MkDocs fills
    only when the site has a URL.
    """
    root = tmp_path_factory.mktemp("served")
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=root))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/handbook-site/"
    try:
        yield Site(url, build_site(REPO / "mkdocs.yml", root / "handbook-site", site_url=url))
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Chromium, as CI installs it; a plain launch uses a fresh temporary profile."""
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} is not installed")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@dataclass
class Reader:
    """A browser page on the served site, and the requests to other hosts it tried."""

    page: Any
    base_url: str
    blocked: list[str] = field(default_factory=list)

    def open(self, path: str) -> None:
        """Load a page of the site and wait until its formulas are typeset."""
        self.page.goto(self.base_url + path)
        self.page.wait_for_function(ALL_TYPESET)


#: The widths every page must work at: a phone and a desktop.
PHONE, DESKTOP = {"width": 390, "height": 844}, {"width": 1366, "height": 900}


@pytest.fixture
def reader(browser: Any, site: Site, request: pytest.FixtureRequest) -> Iterator[Reader]:
    """A fresh page (own context) that blocks, and records, every request off 127.0.0.1; at
    the viewport a test is parametrized with (``viewport``), else the desktop's."""
    viewport = getattr(request, "param", DESKTOP)
    context = browser.new_context(viewport=viewport)
    context.set_default_timeout(10_000)
    reader = Reader(context.new_page(), site.url)

    def only_local(route: Any) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            reader.blocked.append(route.request.url)
            route.abort()

    context.route("**/*", only_local)
    yield reader
    context.close()


def static_html(config: MkDocsConfig, path: str) -> BeautifulSoup:
    """A page as the build wrote it, before any script ran."""
    return BeautifulSoup((Path(config.site_dir) / path / "index.html").read_text(encoding="utf-8"), "html.parser")


# -- tests ------------------------------------------------------------------------------------


def test_every_formula_of_a_chapter_is_typeset(reader: Reader, site: Site, tmp_path: Path) -> None:
    """Chapter 1: KaTeX typesets each formula, numbered (1.1) to (1.13), with nothing left raw."""
    formulas = len(static_html(site.config, CHAPTER_ONE).select(".arithmatex"))
    page = reader.page
    reader.open(CHAPTER_ONE)
    assert page.locator(".arithmatex .katex").count() >= formulas > 13
    assert page.locator(".katex-error").count() == 0
    shown = page.evaluate("document.body.innerText")
    assert not re.search(r"\\\(|\\\[|\$\$", shown), "raw LaTeX delimiters are visible"
    tags = page.locator(".pb-entry > .pb-formula > .pb-eqno")
    assert tags.all_inner_texts() == [f"(1.{k})" for k in range(1, 14)]
    assert all(tag.is_visible() for tag in tags.all())
    assert reader.blocked == []

    page.locator("#trace-ab-grad details.pb-proof > summary").click()
    page.locator("#trace-ab-grad").scroll_into_view_if_needed()
    screenshot = tmp_path / "matrix-derivatives.png"
    page.screenshot(path=screenshot, animations="disabled")
    print(f"screenshot of {CHAPTER_ONE}: {screenshot}")


def test_reference_on_the_home_page_goes_to_its_entry(reader: Reader) -> None:
    """Clicking (1.13) on the home page lands on that entry, scrolled into view."""
    from playwright.sync_api import expect

    reader.open("")
    reader.page.locator('article a.pb-ref[href$="#log-det-grad"]').first.click()
    reader.page.wait_for_url(f"**/{CHAPTER_ONE}#log-det-grad")
    assert reader.page.evaluate("location.hash") == "#log-det-grad"
    expect(reader.page.locator("#log-det-grad")).to_be_in_viewport()


#: The heading id the table of contents highlights, and the one of a given entry.
ACTIVE_TOC = """(entry) => {
  const active = document.querySelector(".md-sidebar--secondary .md-nav__link--active");
  const heading = document.querySelector(`#${entry} > h3[id]`);
  return {active: active && decodeURIComponent(active.hash.slice(1)), heading: heading.id};
}"""


def test_the_contents_highlight_the_entry_a_reference_leads_to(reader: Reader) -> None:
    """After following a reference upwards to (1.7), the table of contents marks (1.7), not
    the entry before it: the entry's heading lands where a contents click would put it."""
    reader.open(CHAPTER_ONE)
    page = reader.page
    page.locator("#trace-ab-grad .pb-uses a.pb-ref[href$='#trace-ab-entry']").click()
    page.wait_for_function("location.hash === '#trace-ab-entry'")
    page.wait_for_timeout(500)  # the contents follow the scroll position on the next frames
    toc = page.evaluate(ACTIVE_TOC, "trace-ab-entry")
    assert toc["active"] == toc["heading"], f"the contents highlight {toc['active']}"


def test_a_proof_opens_when_its_summary_is_clicked(reader: Reader) -> None:
    """A proof is closed until its summary is clicked; then its typeset lines show."""
    from playwright.sync_api import expect

    reader.open(CHAPTER_ONE)
    proof = reader.page.locator("#trace-abatc-grad details.pb-proof")
    expect(proof).not_to_have_attribute("open", "")
    expect(proof.locator(".katex").first).to_be_hidden()
    proof.locator("> summary").click()
    expect(proof).to_have_attribute("open", "")
    expect(proof.locator(".katex").first).to_be_visible()


#: Every node of the graph page's drawings: its link, its colour, the smallest computed font
#: size of its labels, and the drawing's scroll box.
GRAPH_NODES = """() => [...document.querySelectorAll(".pb-graph a.pb-node")].map(node => ({
  href: node.getAttribute("xlink:href"), fill: getComputedStyle(node.querySelector("rect")).fill,
  kind: [...node.classList].find(c => c.startsWith("pb-node-")),
  font: Math.min(...[...node.querySelectorAll("text, tspan")].map(t => parseFloat(getComputedStyle(t).fontSize))),
  scrolls: ["auto", "scroll"].includes(getComputedStyle(node.closest(".pb-graph")).overflowX),
}))"""


@pytest.mark.parametrize("reader", [PHONE, DESKTOP], ids=["phone", "desktop"], indirect=True)
def test_the_dependency_graph_is_readable_and_linked(reader: Reader, site: Site, tmp_path: Path) -> None:
    """The graph is drawn offline without a script: labels of at least 12 px at every width, in
    a scroll box that a phone can pan; every node links to its entry and is coloured by its
    level, each colour in the legend; following a node lands on the entry."""
    from playwright.sync_api import expect

    page = reader.page
    page.goto(reader.base_url + "handbook/graph/")
    nodes = page.evaluate(GRAPH_NODES)
    main = static_html(site.config, "handbook/graph").select_one(".pb-graph svg").select("a.pb-node")
    assert len(nodes) >= len(main) > 10
    for node in nodes:
        assert node["font"] >= 12, f"a label of {node['font']} px: {node['href']}"
        assert node["scrolls"] and re.fullmatch(r"\.\./[a-z0-9-]+/#[a-z0-9-]+", node["href"])
    by_kind: dict[str, set[str]] = {}
    for node in nodes:
        by_kind.setdefault(node["kind"], set()).add(node["fill"])
    assert len(by_kind) >= 2 and all(len(fills) == 1 for fills in by_kind.values())
    assert len({next(iter(f)) for f in by_kind.values()}) == len(by_kind), "two levels share a colour"
    legend = {c for li in page.locator(".pb-legend .pb-swatch").all() for c in li.get_attribute("class").split()}
    assert set(by_kind) <= legend
    width = page.viewport_size["width"]
    shot = tmp_path / f"graph-{width}.png"
    page.screenshot(path=shot, full_page=True, animations="disabled", timeout=60_000)
    print(f"screenshot of the graph at {width} px: {shot}")
    page.locator('.pb-graph a.pb-node[*|href$="#trace-ab-grad"]').first.click()
    page.wait_for_url(f"**/{CHAPTER_ONE}#trace-ab-grad")
    expect(page.locator("#trace-ab-grad")).to_be_in_viewport()
    assert reader.blocked == []


def test_each_entry_links_to_its_neighbourhood(reader: Reader) -> None:
    """An entry's neighbourhood link lands on its block of the graph page, which lists what it
    rests on and what uses it, transitively, with its own drawing."""
    from playwright.sync_api import expect

    reader.open(CHAPTER_ONE)
    reader.page.locator("#trace-ab-grad a.pb-nb-link").click()
    reader.page.wait_for_url("**/handbook/graph/#pb-nb-trace-ab-grad")
    block = reader.page.locator("#pb-nb-trace-ab-grad")
    expect(block).to_be_in_viewport()
    text = block.inner_text()
    assert "Rests on: (1.7), (1.1)" in text
    assert re.search(r"Used by: \(1\.9\), \(1\.10\), \(1\.11\), \(1\.12\)", text)
    assert block.locator("svg a.pb-node").count() >= 7


#: Whether KaTeX's stylesheet applies: it hides the MathML copy of each formula off screen.
KATEX_STYLED = """() => {
  const mathml = document.querySelector(".katex-mathml");
  return mathml !== null && getComputedStyle(mathml).position === "absolute";
}"""


@pytest.mark.parametrize("start", ["", CHAPTER_ONE])
def test_math_is_typeset_after_instant_navigation(reader: Reader, start: str) -> None:
    """A click in the navigation swaps the page in place (no reload); its math is typeset and
    styled too, also when the page it left had loaded KaTeX (whose stylesheet Material's swap
    of the head would drop)."""
    from playwright.sync_api import expect
    page = reader.page
    reader.open(start)
    page.evaluate("window.sameDocument = true")
    page.locator(".md-sidebar--primary a.md-nav__link[href$='handbook/matrix-algebra/']").click()
    page.wait_for_url("**/handbook/matrix-algebra/")
    expect(page.locator("article h1")).to_have_text(re.compile("Matrix algebra"))  # swapped in
    page.wait_for_function(ALL_TYPESET)
    page.wait_for_function(KATEX_STYLED)
    assert page.evaluate("window.sameDocument") is True, "the page was reloaded: not instant navigation"
    assert page.locator(".katex-error").count() == 0


#: For every numbered formula on the page: the rectangles of its number and of the formula's
#: typeset body, whether that body is clipped without a scroll box, and whether the number is
#: inside the window.
FORMULA_GEOMETRY = """() => [...document.querySelectorAll(".pb-formula")].map(formula => {
  const box = r => ({left: r.left, right: r.right, top: r.top, bottom: r.bottom});
  const number = formula.querySelector(".pb-eqno").getBoundingClientRect();
  const display = formula.querySelector(".katex-display");
  const body = formula.querySelector(".katex-html").getBoundingClientRect();
  const scrolls = ["auto", "scroll"].includes(getComputedStyle(display).overflowX);
  return {
    id: formula.closest("[id]")?.id, number: box(number), body: box(display.getBoundingClientRect()),
    typeset: box(body), clipped: display.scrollWidth > display.clientWidth + 1 && !scrolls,
    inWindow: number.left >= 0 && number.right <= window.innerWidth,
  };
})"""


def overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    """Whether two rectangles share any area."""
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


def chapter_pages(site: Site) -> list[str]:
    """Every chapter page of the handbook, and the print page."""
    handbook = Path(site.config.site_dir) / "handbook"
    return sorted(f"handbook/{p.parent.name}/" for p in handbook.glob("*/index.html")
                  if p.parent.name not in ("graph", "notation", "corrections"))


@pytest.mark.parametrize("reader", [PHONE, DESKTOP], ids=["phone", "desktop"], indirect=True)
def test_no_equation_number_covers_its_formula(reader: Reader, site: Site, tmp_path: Path) -> None:
    """On every chapter page and the print page, at phone and desktop widths, no number
    intersects its formula, every number is inside the window, and a formula wider than the
    page scrolls in its own box instead of being cut off. Screenshots are kept."""
    pages = chapter_pages(site)
    assert "handbook/print/" in pages and len(pages) > 3
    width = reader.page.viewport_size["width"]
    for path in pages:
        reader.open(path)
        formulas = reader.page.evaluate(FORMULA_GEOMETRY)
        assert formulas, f"no numbered formula on {path}"
        for formula in formulas:
            where = f"{path}#{formula['id']} at {width} px"
            assert not overlap(formula["number"], formula["typeset"]), f"the number covers the formula: {where}"
            assert formula["inWindow"], f"the number is outside the window: {where}"
            assert not formula["clipped"], f"the formula is cut off without a scroll box: {where}"
        shot = tmp_path / f"{path.strip('/').replace('/', '-')}-{width}.png"
        reader.page.screenshot(path=shot, full_page=True, animations="disabled", timeout=60_000)
    print(f"screenshots at {width} px: {tmp_path}")


#: The height of every entry block of the page, with its proof closed.
ENTRY_HEIGHTS = """() => [...document.querySelectorAll("article .pb-entry")].map(entry => ({
  id: entry.id, height: entry.getBoundingClientRect().height,
  closed: [...entry.querySelectorAll("details")].every(d => !d.open),
}))"""
#: Chapter 1's length at 1366 px before the dense layout (document.querySelector('article').scrollHeight).
CHAPTER_ONE_BEFORE = 7239


def test_entries_are_dense(reader: Reader) -> None:
    """At 1366 px an entry with its proof closed is at most 220 px high, and chapter 1 is at
    most half as long as before; symbols are one line, not a list."""
    reader.open(CHAPTER_ONE)
    heights = reader.page.evaluate(ENTRY_HEIGHTS)
    assert len(heights) == 13 and all(h["closed"] for h in heights)
    tall = [(h["id"], round(h["height"])) for h in heights if h["height"] > 220]
    assert not tall, f"entries taller than 220 px: {tall}"
    length = reader.page.evaluate("document.querySelector('article').scrollHeight")
    assert length <= CHAPTER_ONE_BEFORE / 2, f"chapter 1 is {length} px long"
    assert reader.page.locator("article .pb-entry li").count() == 0


def test_proof_and_cite_open_below_the_info_line(reader: Reader) -> None:
    """Proof and Cite are toggles in the entry's info line; opened, each takes the full width."""
    reader.open(CHAPTER_ONE)
    entry = reader.page.locator("#trace-ab-grad")
    info = entry.locator(".pb-info").bounding_box()
    for control in ("details.pb-proof", "details.pb-cite"):
        toggle = entry.locator(f".pb-info > {control}")
        toggle.locator("> summary").click()
        opened = toggle.bounding_box()
        assert opened["width"] >= info["width"] - 2, f"{control} opened narrower than its line"
        toggle.locator("> summary").click()


def print_pdf(reader: Reader, tmp_path: Path, name: str) -> tuple[int, str]:
    """The print page as Chromium prints it to A4: its page count and its text (pdftotext)."""
    pdf = tmp_path / f"{name}.pdf"
    reader.page.emulate_media(media="print")
    pdf.write_bytes(reader.page.pdf(format="A4"))
    reader.page.emulate_media(media="screen")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    pages = text.count("\f")
    print(f"print page as PDF ({pages} pages): {pdf}")
    return pages, text


def test_the_print_page_is_a_formula_sheet(reader: Reader, site: Site, tmp_path: Path) -> None:
    """On A4 the print page holds at least 3 numbered formulas per page, no entry breaks across
    pages, and the paper shows the numbers, the sources, the title and a page footer; with the
    switch on, the proofs are printed too, still whole."""
    require("pdftotext")
    reader.open("handbook/print/")
    formulas = reader.page.locator("article .pb-entry > .pb-formula").count()
    assert formulas == len(load_registry([REPO / "registry"]).entries)
    pages, text = print_pdf(reader, tmp_path, "formulas-only")
    assert formulas / pages >= 3, f"{formulas} formulas on {pages} pages"
    assert all(f"(1.{k})" in text for k in range(1, 14)) and "Source: Bishop 2006" in text
    title = site.config.site_name
    assert text.count(title[:30]) >= pages, "the title is not on every page"
    assert "Proof (" not in text and "Cite" not in text
    reader.page.emulate_media(media="print")
    assert set(reader.page.evaluate(
        "[...document.querySelectorAll('.pb-entry')].map(e => getComputedStyle(e).breakInside)")) == {"avoid"}
    reader.page.emulate_media(media="screen")

    reader.page.locator("#pb-print-proofs").check()
    with_proofs, text = print_pdf(reader, tmp_path, "with-proofs")
    assert with_proofs > pages and "Proof (" in text


def test_a_reference_previews_its_formula(browser: Any, site: Site) -> None:
    """Hovering a reference shows the entry's number, title and typeset formula (no LaTeX
    source, no native tooltip); on a touch screen the first tap shows it, the second follows."""
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.route("**/*", lambda route: route.continue_() if "//127.0.0.1:" in route.request.url else route.abort())
    page.goto(site.url)
    page.wait_for_function(ALL_TYPESET)
    link = page.locator('article a.pb-ref[href$="#log-det-grad"]').first
    assert link.get_attribute("title") is None
    link.hover()
    preview = page.locator(".pb-preview")
    preview.locator(".katex").wait_for()
    assert preview.locator(".pb-preview-title").inner_text() == "(1.13) Gradient of the log-determinant"
    assert "\\" not in preview.inner_text()
    context.close()

    touch = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    page = touch.new_page()
    page.route("**/*", lambda route: route.continue_() if "//127.0.0.1:" in route.request.url else route.abort())
    page.goto(site.url)
    page.wait_for_function(ALL_TYPESET)
    link = page.locator('article a.pb-ref[href$="#log-det-grad"]').first
    link.scroll_into_view_if_needed()
    link.tap()
    page.locator(".pb-preview .katex").wait_for()
    assert page.url == site.url, "the first tap followed the link"
    page.locator(".pb-preview a.pb-preview-go").tap()
    page.wait_for_url(f"**/{CHAPTER_ONE}#log-det-grad")
    touch.close()


def test_search_results_are_readable(reader: Reader) -> None:
    """Searching a formula's title shows its entry with its number and plain-text formula,
    never LaTeX source or graph source."""
    reader.open(CHAPTER_ONE)
    reader.page.keyboard.press("/")  # Material's shortcut to the search box
    reader.page.keyboard.type("log-determinant")
    results = reader.page.locator(".md-search-result__item")
    results.first.wait_for()
    reader.page.wait_for_timeout(500)  # the results of the whole word
    shown = " ".join(results.all_inner_texts())
    assert "Derivative of the log-determinant by a scalar" in shown
    assert "\\" not in shown and "flowchart" not in shown and "<svg" not in shown
