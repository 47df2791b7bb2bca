"""proofbook as a guest in a real site it did not write: MathJax, instant navigation, snippets and
mkdocstrings, with ``proofbook`` added to the plugins and nothing else changed for it.

The site must keep its one math engine, a page without formulas must stay light, references
must resolve in every Markdown the site renders (included snippets, docstrings, autorefs), and
the print page must add no anchor that autorefs sees twice.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from mkdocs.config.defaults import MkDocsConfig

from conftest import FAST, SMALL_REGISTRY, Builder

#: A stand-in for the site's MathJax (the real one would come from a CDN): it typesets nothing,
#: but marks what it was asked to typeset, so the browser test sees which engine ran.
MATHJAX_STUB = """window.MathJax = {typesetPromise(elements) {
  for (const root of elements || [document.body]) {
    for (const math of root.querySelectorAll ? root.querySelectorAll(".arithmatex") : []) math.dataset.mathjax = "1";
  }
  return Promise.resolve();
}};
document.addEventListener("DOMContentLoaded", () => window.MathJax.typesetPromise([document.body]));
"""

MODULE = '''"""Helpers for the course.

The gradient of a trace is [[trace-ab-grad]]; see also [the trace rule][trace-ab-grad].
"""


def gradient(a: float) -> float:
    """Follows [[trace-atb-grad]]; not [[no-such-formula]].

    Code stays code: `[[trace-ab-grad]]`.
    """
    return a
'''

#: Included into the home page by pymdownx.snippets, from outside docs/ as sites keep them.
SNIPPET = "From a snippet: [[trace-atb-grad]], and a typo [[trace-ab-gard]].\n"

PAGES = {
    "index.md": "# Course\n\nThe sheet: [[trace-ab-grad]] and $x^2$.\n\n--8<-- \"snippets/part.md\"\n",
    "plain.md": "# Plain\n\nNo formulas on this page.\n",
    "api.md": "# API\n\n::: course\n",
    "javascripts/mathjax.js": MATHJAX_STUB,
}


def guest_config(folder: Path) -> Path:
    """A Material site with MathJax (its own script), instant navigation, snippets, mkdocstrings
    and the dotted spelling of md_in_html; proofbook added last."""
    config: dict[str, Any] = {
        "site_name": "Course notes",
        "docs_dir": "docs",
        "nav": [{"Course": "index.md"}, {"Plain": "plain.md"}, {"API": "api.md"}],
        "theme": {"name": "material", "font": False, "features": ["navigation.instant"]},
        "markdown_extensions": [
            "markdown.extensions.md_in_html", "admonition", "pymdownx.details",
            {"pymdownx.arithmatex": {"generic": True}},
            {"pymdownx.snippets": {"base_path": [str(folder / "includes")], "check_paths": True}},
            "pymdownx.superfences"],
        "extra_javascript": ["javascripts/mathjax.js", "https://unpkg.com/mathjax@3/es5/tex-mml-chtml.js"],
        "plugins": ["search", "autorefs",
                    {"mkdocstrings": {"handlers": {"python": {"paths": [str(folder / "src")]}}}},
                    {"proofbook": {**FAST, "cache_dir": str(folder / "cache")}}],
    }
    files = {**{f"registry/{n}": t for n, t in SMALL_REGISTRY.items()},
             **{f"docs/{n}": t for n, t in PAGES.items()},
             "includes/snippets/part.md": SNIPPET, "src/course.py": MODULE, "mkdocs.yml": json.dumps(config)}
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder / "mkdocs.yml"


@pytest.fixture(scope="module")
def guest(build_site: Builder, tmp_path_factory: pytest.TempPathFactory) -> tuple[MkDocsConfig, list[str]]:
    """The guest site, built once (not strict: the typos must warn); with its warnings."""
    folder = tmp_path_factory.mktemp("guest")
    records: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: records.append(record.getMessage())  # type: ignore[method-assign]
    handler.setLevel(logging.WARNING)
    logging.getLogger("mkdocs").addHandler(handler)
    try:
        config = build_site(guest_config(folder), folder / "site", strict=False)
    finally:
        logging.getLogger("mkdocs").removeHandler(handler)
    return config, records


def page_of(config: MkDocsConfig, path: str) -> BeautifulSoup:
    return BeautifulSoup((Path(config.site_dir) / path / "index.html").read_text(encoding="utf-8"), "html.parser")


def test_the_sites_math_engine_is_the_only_one(guest: tuple[MkDocsConfig, list[str]]) -> None:
    """math: auto finds MathJax in the site's scripts: no KaTeX is served or loaded, and the
    page script is told so."""
    config, _ = guest
    site = Path(config.site_dir)
    assert not list(site.rglob("katex*.js")) and not list(site.rglob("*.woff2"))
    script = (site / "assets/proofbook/proofbook.js").read_text(encoding="utf-8")
    assert script.startswith('const PROOFBOOK = {"katex":null};')
    sources = [tag["src"] for tag in page_of(config, "handbook/traces").select("script[src]")]
    assert [s for s in sources if "mathjax" in s.lower() or "katex" in s.lower()] == [
        "../../javascripts/mathjax.js", "https://unpkg.com/mathjax@3/es5/tex-mml-chtml.js"]


def test_a_page_without_formulas_stays_light(guest: tuple[MkDocsConfig, list[str]]) -> None:
    """What proofbook adds to a page without formulas: one style sheet and one script, a few
    kilobytes in all (it was KaTeX and Mermaid, 3.6 MB)."""
    config, _ = guest
    page = page_of(config, "plain")
    site = Path(config.site_dir)
    added = [tag.get("href") or tag.get("src") for tag in page.select("link[href*=proofbook], script[src*=proofbook]")]
    assert added == ["../assets/proofbook/proofbook.css", "../assets/proofbook/proofbook.js"]
    weight = sum((site / url.removeprefix("../")).stat().st_size for url in added)
    assert weight < 40_000, f"proofbook adds {weight} bytes to a page without formulas"


def test_references_resolve_in_snippets_and_docstrings(guest: tuple[MkDocsConfig, list[str]]) -> None:
    """[[id]] works in an included snippet and in a docstring; autorefs knows the entries; code
    keeps the syntax; every unknown id warns, naming the page."""
    config, warnings = guest
    home = page_of(config, "")
    assert home.select_one('a.pb-ref[href="handbook/traces/#trace-atb-grad"]').get_text() == "(1.3)"
    api = page_of(config, "api")
    hrefs = {a.get("href") for a in api.select("article a")}
    assert {"../handbook/traces/#trace-ab-grad", "../handbook/traces/#trace-atb-grad"} <= hrefs
    assert api.select_one("a.pb-ref[href$='#trace-ab-grad']").get_text() == "(1.2)"
    autoref = [a for a in api.select("article a") if a.get_text() == "the trace rule"]
    assert autoref and autoref[0]["href"] == "../handbook/traces/#trace-ab-grad"
    assert "[[trace-ab-grad]]" in [code.get_text() for code in api.select("article code")]
    late = [w for w in warnings if "unknown proofbook reference" in w]
    assert any(re.search(r"docs/index\.md \(in Markdown an extension added.*'trace-ab-gard' "
                         r"\(did you mean 'trace-ab-grad'\?\)", w) for w in late), late
    assert any("docs/api.md" in w and "'no-such-formula'" in w for w in late), late


def test_the_print_page_repeats_no_anchor(guest: tuple[MkDocsConfig, list[str]]) -> None:
    """No heading of the print page repeats a chapter page's id, so autorefs reports no
    duplicate; the print page's own ids are prefixed."""
    config, warnings = guest
    assert not [w for w in warnings if "autorefs" in w.lower() or "multiple" in w.lower()], warnings
    printed = page_of(config, "handbook/print")
    chapter_ids = {tag["id"] for tag in page_of(config, "handbook/traces").select("article [id]")}
    heading_ids = {tag["id"] for tag in printed.select("article h1, article h2, article h3") if tag.has_attr("id")}
    assert heading_ids and all(i.startswith("pb-print-") for i in heading_ids)
    assert not heading_ids & chapter_ids
