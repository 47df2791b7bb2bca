"""A hostile site in headless Chromium: no script from registry text runs, no formula covers the page.

The site of ``hostile_output_registry`` (every hostile row of hardening_cases.py in notes,
intros, proof-step notes, titles, sources and tags) is served from 127.0.0.1; every request to
another host is blocked and recorded.  Each payload would set ``window.__pwned`` or call
``alert``; the pages are loaded, typeset, hovered, focused and clicked through, and must leave
no trace.  Without /usr/bin/chromium the tests are skipped, except under CI, where they fail.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from functools import partial
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from mkdocs.config.defaults import MkDocsConfig

from hardening_cases import hostile_output_registry
from test_browser import ARGS, CHROMIUM, QuietHandler, unavailable

pytestmark = pytest.mark.browser

SiteFactory = Callable[..., Path]
Builder = Callable[..., MkDocsConfig]
#: Pages that show registry text: chapter, print page, index, graph, and the home page's embed.
PAGES = ["handbook/output/", "handbook/print/", "handbook/", "handbook/graph/", ""]
#: Records every way a payload could announce itself, before any page script runs.
TRAPS = """
window.__dialogs = [];
for (const name of ["alert", "confirm", "prompt", "print", "open"]) {
  window[name] = (...args) => { window.__dialogs.push(name); };
}
"""
#: True once every formula is typeset or shown as a KaTeX error.
TYPESET = """() => [...document.querySelectorAll(".arithmatex")].every(
  f => f.querySelector(".katex, .katex-error"))"""
#: Events a handler could wait for, fired at every element of registry Markdown.
PROVOKE = """() => {
  for (const element of document.querySelectorAll(".pb-notes *, .pb-intro *, .pb-step-note *, .pb-entry h3 *")) {
    for (const type of ["mouseover", "mouseenter", "focus", "focusin", "animationstart", "toggle", "load", "error"]) {
      element.dispatchEvent(new Event(type, {bubbles: true}));
    }
  }
}"""
#: What is left on the page that could run or mislead: handlers, script URLs, frames, classes.
LEFT_OVER = """() => {
  const found = [];
  for (const element of document.querySelectorAll("*")) {
    for (const attribute of element.attributes) {
      if (attribute.name.startsWith("on")) found.push(`<${element.localName} ${attribute.name}>`);
    }
    for (const property of ["href", "src", "action", "formAction", "data"]) {
      const value = element[property];
      if (typeof value === "string" && /^(javascript|data|vbscript):/i.test(value)) {
        found.push(`<${element.localName} ${property}=${value.slice(0, 40)}>`);
      }
    }
  }
  for (const element of document.querySelectorAll("article iframe, article object, article embed, article form")) {
    found.push(`<${element.localName}> in the content`);
  }
  for (const element of document.querySelectorAll(".pb-notes [class*=md-], .pb-notes [id]:not([id^=__code_])")) {
    found.push(`<${element.localName} class=${element.className}> from a note`);
  }
  for (const element of document.querySelectorAll(".pb-entry, .pb-notes, .pb-intro, .pb-step-note")) {
    if (!element.closest("article")) found.push(`${element.className} ${element.id} outside the article`);
  }
  return found;
}"""
#: KaTeX's size cap: 10em, at the handbook's font size well under this many pixels.
MAX_FORMULA_PIXELS = 400


@pytest.fixture(scope="module")
def hostile_url(make_site: SiteFactory, build_site: Builder,
                tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The hostile site, served below a folder of a free port of 127.0.0.1."""
    root = tmp_path_factory.mktemp("hostile-served")
    folder = tmp_path_factory.mktemp("hostile-src")
    pages = {"index.md": "# Home\n\nSee [[e1]].\n\n![[e1]]\n"}
    build_site(make_site(folder, registry=hostile_output_registry(), pages=pages, nav=[{"Home": "index.md"}]),
               root / "site")
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=root))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/site/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """Headless Chromium, as CI installs it."""
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} is not installed")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@pytest.mark.parametrize("path", PAGES)
def test_no_registry_script_runs(chromium: Any, hostile_url: str, path: str) -> None:
    """Loaded, typeset and provoked, a page shows no sign of a payload, asks no other host and
    keeps no handler, script URL, frame or theme class from registry text."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    blocked: list[str] = []
    dialogs: list[str] = []
    console: list[str] = []

    def only_local(route: Any) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context.route("**/*", only_local)
    context.add_init_script(TRAPS)
    page = context.new_page()
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("console", lambda message: console.append(message.text))
    try:
        page.goto(hostile_url + path)
        page.wait_for_function(TYPESET)
        page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
        page.evaluate(PROVOKE)
        links = page.locator(".pb-notes a:not(.pb-ref), .pb-step-note a:not(.pb-ref), .pb-intro a:not(.pb-ref)")
        for link in [link for link in links.all() if link.is_visible()][:40]:
            link.hover(force=True, timeout=2000)
        page.wait_for_timeout(300)
        assert page.evaluate("window.__pwned") is None
        assert page.evaluate("window.__dialogs") == [] and dialogs == []
        assert [text for text in console if "pwned" in text.lower()] == []
        assert page.evaluate(LEFT_OVER) == []
        assert blocked == []
    finally:
        context.close()


def test_hostile_formulas_stay_small_and_inert(chromium: Any, hostile_url: str) -> None:
    """``\\rule{3000px}{3000px}`` and ``\\raisebox`` are capped; ``\\href`` and ``\\htmlData`` make no
    link or attribute; ``\\gdef`` in one note does not change the next formula."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    context.route("**/*", lambda route: route.continue_() if urlsplit(route.request.url).hostname == "127.0.0.1"
                  else route.abort())
    page = context.new_page()
    try:
        page.goto(hostile_url + "handbook/output/")
        page.wait_for_function(TYPESET)
        for entry in ("x-katex-rule-cover", "x-katex-raisebox"):
            box = page.locator(f"#{entry} .pb-notes .arithmatex").first.bounding_box()
            assert box is not None and box["width"] < MAX_FORMULA_PIXELS and box["height"] < MAX_FORMULA_PIXELS, entry
        for entry in ("x-katex-href", "x-katex-url", "x-katex-html-data", "x-katex-html-class"):
            notes = page.locator(f"#{entry} .pb-notes")
            assert notes.locator("a, [data-onclick], .md-header").count() == 0, entry
        second = page.locator("#x-katex-gdef .pb-notes .arithmatex").nth(1)
        assert "WRONG" not in second.inner_text() and "A" in second.inner_text()
    finally:
        context.close()
