"""A hostile registry through ``proofbook check`` and a real ``mkdocs build --strict``.

Every hostile and benign row of hardening_cases.py sits in notes, intros and proof-step notes,
the text rows in titles, sources and tags (``hostile_output_registry``).  The registry is valid,
so ``check`` passes it; the build writes the site, and every written page, the print page and
the search index are read back as a browser would read them.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from mkdocs.config.defaults import MkDocsConfig

from hardening_cases import BENIGN_MARKDOWN, PWNED, bomb, hostile_output_registry
from proofbook.adapters.cli import main
from proofbook.render import sanitize
from proofbook.render.refs import MAX_EMBEDDED, MAX_EMBEDS
from test_sanitize import problems, unseal

SiteFactory = Callable[..., Path]
Builder = Callable[..., MkDocsConfig]
HOME_NAV = [{"Home": "index.md"}]
#: The blocks of registry Markdown on a page.
REGISTRY_BLOCKS = ".pb-notes, .pb-intro, .pb-step-note"
#: Attributes that hold a URL.
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "data", "poster", "xlink:href", "srcset")


#: The print page's own style sheet: the footer text as a CSS string whose every character
#: outside a small safe set is a CSS escape (``pages._page_footer``), so it cannot end the rule.
PRINT_FOOTER = re.compile(r'@media print \{ @page \{ @bottom-left \{ content: "([\w .,:;()/·-]|\\[0-9a-f]+ )*"; '
                          r'font-size: 8pt; \} @bottom-right \{ content: counter\(page\) " / " '
                          r'counter\(pages\); font-size: 8pt; \} \} \}')


def is_print_footer(element: Any) -> bool:
    """Whether ``element`` is the print page's footer style, exactly as proofbook writes it."""
    return (element.name == "style" and element.get("id") == "pb-print-footer"
            and PRINT_FOOTER.fullmatch(element.get_text()) is not None)


@pytest.fixture(scope="module")
def hostile_site(make_site: SiteFactory, build_site: Builder, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hostile registry built with --strict; a home page cites and embeds e1."""
    folder = tmp_path_factory.mktemp("hostile")
    pages = {"index.md": "# Home\n\nSee [[e1]].\n\n![[e1]]\n"}
    config_file = make_site(folder, registry=hostile_output_registry(), pages=pages, nav=HOME_NAV)
    config = json.loads(config_file.read_text(encoding="utf-8"))
    config["plugins"].insert(0, "search")  # the search index is an output too
    config_file.write_text(json.dumps(config), encoding="utf-8")
    return Path(build_site(config_file, folder / "site").site_dir)


def pages_of(site: Path) -> dict[str, str]:
    return {str(p.relative_to(site)): p.read_text(encoding="utf-8") for p in sorted(site.rglob("*.html"))}


def script_vectors(name: str, page: str) -> list[str]:
    """Everything on a page by which registry text could run: scripts that are not the site's,
    handlers, URLs with other schemes, frames, forms, styles, and raw markup in the file."""
    soup = BeautifulSoup(page, "html.parser")
    found = []
    for script in soup.find_all("script"):
        if PWNED in script.get_text() or "alert(" in script.get_text():
            found.append(f"{name}: <script> {script.get_text()[:60]!r}")
    for element in soup.find_all(True):
        for attribute, value in element.attrs.items():
            value = " ".join(value) if isinstance(value, list) else value
            if attribute.lower().startswith("on"):
                found.append(f"{name}: <{element.name} {attribute}>")
            if attribute.lower() in URL_ATTRIBUTES and sanitize.safe_url(value) is None:
                found.append(f"{name}: <{element.name} {attribute}={value!r}>")
            if attribute.lower() in URL_ATTRIBUTES and "evil.example" in value:
                found.append(f"{name}: <{element.name} {attribute}={value!r}>")
    for block in soup.select(REGISTRY_BLOCKS):
        for element in block.find_all(True):
            if element.name not in sanitize.TAGS or "style" in element.attrs or "id" in element.attrs:
                found.append(f"{name}: <{element.name} {sorted(element.attrs)}> in registry Markdown")
    for tag in ("iframe", "object", "embed", "form", "base", "frame", "applet", "style", "link", "meta"):
        found += [f"{name}: <{tag}> in the content" for element in soup.select(f"article {tag}")
                  if not is_print_footer(element)]
    if re.search(r"<[a-zA-Z][^<>]*\s(on[a-z]+)\s*=", page) or "javascript:" in page.lower().replace(" ", ""):
        found.append(f"{name}: raw markup in the file")
    return found


def test_check_accepts_hostile_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    """Hostile text is not an error (it is shown as text); ``check`` passes the registry."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "registry").mkdir()
    for name, text in hostile_output_registry().items():
        (tmp_path / "registry" / name).write_text(text, encoding="utf-8")
    code = main(["check", "registry", "--no-cache", "--jobs", "1"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "1 verified, 0 false, 0 inconclusive" in out + err


def test_no_page_runs_registry_text(hostile_site: Path) -> None:
    """No written page, chapter, print page, index, graph, or the home page with its embed, has
    a script, handler, script URL, frame, form or style from the registry."""
    pages = pages_of(hostile_site)
    assert {"handbook/output/index.html", "handbook/print/index.html", "index.html"} <= pages.keys()
    found = [problem for name, page in pages.items() for problem in script_vectors(name, page)]
    assert found == []


def test_registry_blocks_hold_clean_markup(hostile_site: Path) -> None:
    """On the chapter and print pages every block of registry Markdown passes the sanitizer's
    own check, as the browser receives it."""
    for name in ("handbook/output/index.html", "handbook/print/index.html"):
        soup = BeautifulSoup((hostile_site / name).read_text(encoding="utf-8"), "html.parser")
        blocks = soup.select(REGISTRY_BLOCKS)
        assert len(blocks) > 90
        for block in blocks:
            assert problems(block.decode_contents(), sealed=False) == [], block


def test_benign_markdown_survives_the_build(hostile_site: Path) -> None:
    """Emphasis, links, math, code, lists and images reach the chapter page as written."""
    page = unseal((hostile_site / "handbook/output/index.html").read_text(encoding="utf-8"))
    missing = [name for name, _, shown in BENIGN_MARKDOWN if shown not in page.replace("\n", "")
               and shown.replace("\n", "") not in page.replace("\n", "")]
    assert missing == []


def test_search_index_holds_text_only(hostile_site: Path) -> None:
    """The search index has registry text as escaped text: no tag with a handler, no script."""
    index = json.loads((hostile_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    found = []
    for doc in index["docs"]:
        for field in ("title", "text"):
            soup = BeautifulSoup(doc.get(field, ""), "html.parser")
            found += [f"{doc['location']}: <{e.name}>" for e in soup.find_all(True)
                      if e.name in ("script", "img", "svg", "iframe") or any(a.startswith("on") for a in e.attrs)]
    assert found == []


def test_embeds_in_registry_text_are_references(hostile_site: Path) -> None:
    """``![[e1]]`` in a note is a link, not a copy of e1: the chapter holds e1's block once."""
    soup = BeautifulSoup((hostile_site / "handbook/output/index.html").read_text(encoding="utf-8"), "html.parser")
    assert len(soup.select('div.pb-entry[id="e1"]')) == 1
    assert soup.select('.pb-notes a.pb-ref[href="#e1"]')


def test_a_page_full_of_embeds_stays_bounded(tmp_path: Path, make_site: SiteFactory, build_site: Builder,
                                             caplog: pytest.LogCaptureFixture) -> None:
    """300 embeds of an entry with long notes: MAX_EMBEDS are expanded, the rest are links with
    a warning each (which --strict turns into a failure); the page stays bounded."""
    registry = hostile_output_registry()
    registry["01-output.yml"] = registry["01-output.yml"].replace(
        '    notes: "', f'    notes: "{bomb("long ", 4500)}', 1)
    pages = {"index.md": "# Home\n\n" + "![[e1]]\n" * 300}
    config = build_site(make_site(tmp_path, registry=registry, pages=pages, nav=HOME_NAV),
                        tmp_path / "site", strict=False)
    home = (Path(config.site_dir) / "index.html").read_text(encoding="utf-8")
    assert home.count('class="pb-entry') == MAX_EMBEDS
    assert len(home) < 3 * MAX_EMBEDDED
    assert caplog.text.count("too many embeds ![[...]] on this page") == 300 - MAX_EMBEDS
    assert "docs/index.md:103: too many embeds" in caplog.text


def test_notes_at_the_limit_build_fast(tmp_path: Path, make_site: SiteFactory, build_site: Builder) -> None:
    """Notes of 5,000 characters of ``[[a|``, ``[`` and ``\\(`` (quadratic before) build at once."""
    registry = hostile_output_registry()
    bombs = "".join(f'  - id: bomb-{k}\n    title: B\n    kind: definition\n    symbols: {{x: scalar}}\n'
                    f'    lhs: x\n    rhs: x\n    notes: {json.dumps(bomb(unit))}\n'
                    for k, unit in enumerate(["[[e1|", "[", "\\(", "![", "[a]("]))
    registry["01-output.yml"] += bombs
    started = time.perf_counter()
    build_site(make_site(tmp_path, registry=registry, pages={"index.md": "# Home\n"}, nav=HOME_NAV),
               tmp_path / "site")
    assert time.perf_counter() - started < 60


def test_registry_text_stays_inside_its_entry(hostile_site: Path) -> None:
    """No note closes the elements around it: on the chapter and print pages every entry, and
    every block of registry Markdown, is inside the page's article, and each entry holds its
    own blocks (a note that ended its block early would leave its rest outside)."""
    registry = hostile_output_registry()
    entries = sum(text.count("\n  - id: ") for text in registry.values())
    for name in ("handbook/output/index.html", "handbook/print/index.html"):
        soup = BeautifulSoup((hostile_site / name).read_text(encoding="utf-8"), "html.parser")
        article = soup.select_one("article.md-content__inner")
        on_page = article.select("div.pb-entry")
        assert len(on_page) == len(soup.select("div.pb-entry")), name
        assert len(on_page) >= (entries if "print" in name else 90), name
        for block in soup.select(REGISTRY_BLOCKS):
            assert block.find_parent("article") is article, name
            assert block.find_parent("div", class_="pb-entry") or "pb-intro" in block["class"], name
