"""``mkdocs serve`` as an author runs it: a real server on a free loopback port, and a browser.

When an identity becomes false, or the registry stops loading, the page in the browser must
reload to the problems (file, line, entry, counterexample), never keep the last good page with
its green ticks; once the source is fixed the handbook comes back.
"""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import TRACES, SiteFactory
from tools import unavailable

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
#: The small site's (1.2), made false: d/dA Tr(AB) is Bᵀ, not B.
FALSE_TRACES = TRACES.replace("lhs: diff(trace(A*B), A)\n    rhs: B.T", "lhs: diff(trace(A*B), A)\n    rhs: B")
#: The same file with a YAML syntax error on line 12.
BROKEN_TRACES = TRACES.replace("    lhs: diff(trace(A*B), A)", "    lhs: [diff(trace(A*B), A)", 1)


def free_port() -> int:
    """A port of 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fetch(url: str) -> str:
    """The page at ``url``, or "" while the server cannot answer."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return ""


def wait_for(condition: Callable[[], bool], what: str, seconds: float = 120) -> None:
    """Poll ``condition`` twice a second until it holds; fail naming ``what`` after ``seconds``."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.5)


@pytest.fixture
def served(make_site: SiteFactory, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """The small site under ``mkdocs serve`` (its own cache folder, so the first build verifies);
    yields the site's URL and its chapter-1 registry file."""
    config = make_site(tmp_path, cache_dir=str(tmp_path / "cache"))
    url = f"http://127.0.0.1:{free_port()}/"
    address = url.removeprefix("http://").rstrip("/")
    log = tmp_path / "serve.log"
    with log.open("w", encoding="utf-8") as output:
        server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-f", str(config), "-a", address],
                                  cwd=tmp_path, stdout=output, stderr=subprocess.STDOUT)
        try:
            wait_for(lambda: "✔" in fetch(url + "handbook/traces/") or server.poll() is not None, "the first build")
            assert server.poll() is None, log.read_text(encoding="utf-8")
            yield url, tmp_path / "registry" / "01-traces.yml"
        finally:
            server.terminate()
            server.wait(timeout=30)


@pytest.fixture
def page() -> Iterator[Any]:
    """A headless Chromium page that may only reach 127.0.0.1."""
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} is not installed")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--headless", "--no-sandbox"])
        context = browser.new_context()
        context.route("**/*", lambda route: route.continue_() if "//127.0.0.1:" in route.request.url
                      else route.abort())
        yield context.new_page()
        browser.close()


def test_a_false_identity_reloads_the_open_page_to_its_counterexample(served: tuple[str, Path], page: Any) -> None:
    """Saved false, the open chapter page reloads by itself to the banner naming the file and
    line, the entry and the counterexample, with no tick left; fixed, the handbook is back."""
    url, registry = served
    page.goto(url + "handbook/traces/")
    assert page.locator("#trace-ab-grad .pb-badge.pb-verified").count() == 1
    registry.write_text(FALSE_TRACES, encoding="utf-8")
    page.wait_for_selector(".pb-failure", timeout=120_000)  # livereload reloads the page itself
    banner = page.locator(".pb-failure").inner_text()
    assert re.search(r"01-traces\.yml:\d+:\d+: entry 'trace-ab-grad' \(1\.2\) is false: ", banner), banner
    assert "lhs = " in banner and "rhs = " in banner
    assert "✔" not in page.locator("article").inner_text()
    # every page says so, not only the handbook's
    assert "entry 'trace-ab-grad' (1.2) is false" in fetch(url)

    registry.write_text(TRACES, encoding="utf-8")
    page.wait_for_selector("#trace-ab-grad .pb-badge.pb-verified", timeout=120_000)
    assert page.locator(".pb-failure").count() == 0


def test_a_registry_that_stops_loading_is_shown_with_its_line(served: tuple[str, Path]) -> None:
    """A YAML error is shown on the handbook's pages and the home page, with file and line."""
    url, registry = served
    registry.write_text(BROKEN_TRACES, encoding="utf-8")
    wait_for(lambda: "pb-failure" in fetch(url + "handbook/traces/"), "the error page")
    shown = fetch(url + "handbook/traces/")
    assert re.search(r"01-traces\.yml:\d+", shown) and "✔" not in shown.split("pb-failure", 1)[1]
    assert "pb-failure" in fetch(url)
