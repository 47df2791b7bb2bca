"""The repository's site in a real browser: headless Chromium driven by Playwright.

The repository's site is built once, with the default ``math: katex``, and served from a local
``http.server``.  Every request to another host is blocked and recorded, so a page that works
here works offline: KaTeX and Mermaid come from the site itself.  Without /usr/bin/chromium the
tests are skipped, except under CI (the ``CI`` environment variable), where they fail.
"""

from __future__ import annotations

import re
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

from tools import unavailable

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


def test_the_dependency_graph_is_drawn_offline(reader: Reader, site: Site) -> None:
    """Mermaid, served by the site, draws one node per entry of the graph; no CDN is asked."""
    from playwright.sync_api import expect

    source = static_html(site.config, "handbook/graph").select_one("pre.mermaid").get_text()
    nodes = len(re.findall(r"^\s*pb_\w+\[", source, flags=re.MULTILINE))
    reader.page.add_init_script(OPEN_SHADOW_ROOTS)
    reader.page.goto(reader.base_url + "handbook/graph/")
    expect(reader.page.locator("div.mermaid svg")).to_be_visible()
    assert reader.page.locator("div.mermaid svg g.node").count() == nodes > 10
    assert reader.blocked == []


def test_math_is_typeset_after_instant_navigation(reader: Reader) -> None:
    """A click in the navigation swaps the page in place (no reload); its math is typeset too."""
    page = reader.page
    reader.open("")
    page.evaluate("window.sameDocument = true")
    page.locator(".md-sidebar--primary a.md-nav__link[href$='handbook/matrix-algebra/']").click()
    page.wait_for_url("**/handbook/matrix-algebra/")
    page.wait_for_function(ALL_TYPESET)
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
                  if p.parent.name not in ("graph", "notation"))


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
        reader.page.screenshot(path=shot, full_page=True, animations="disabled")
    print(f"screenshots at {width} px: {tmp_path}")
