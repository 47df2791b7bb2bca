"""The scripts and styles the handbook pages need, and where the browser gets them (``math``).

A site that only says ``plugins: [proofbook]`` must show typeset formulas, offline, and a site
with its own math engine must keep it alone.  So every page gets two small files, listed in
``extra_css`` and ``extra_javascript`` (``on_config``) and served below ``assets/proofbook/``
(``on_files``): ``proofbook.css`` and ``proofbook.js``.  The script loads KaTeX (shipped in
``assets/vendor/``, from npm, unmodified, or from a CDN) only on pages that show formulas, and
only when the site has no engine of its own; it also draws the references' previews.  A page
without formulas therefore weighs a few kilobytes more, not megabytes, and a MathJax site
never gets a second engine.

The dependency graph is an SVG drawn at build time (``render.graph``): no Mermaid is served.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

MathEngine = Literal["auto", "katex", "katex-cdn", "none"]

#: proofbook's front-end files in the installed package.
PACKAGE_ASSETS = Path(__file__).resolve().parent.parent / "assets"
#: Where the site serves them: the package folder, mirrored below this one.
SITE_FOLDER = "assets/proofbook"

#: The vendored KaTeX release; ``katex-cdn`` loads the same one.
KATEX_VERSION = "0.16.47"
KATEX_CDN = f"https://cdn.jsdelivr.net/npm/katex@{KATEX_VERSION}/dist"

_KATEX = "vendor/katex"
_KATEX_CSS = "katex.min.css"
_KATEX_JS = ("katex.min.js", "contrib/auto-render.min.js")
_KATEX_INIT = "katex-init.js"
#: The page script; the plugin writes it with its settings in front (``script``).
SCRIPT = "proofbook.js"
_STYLE = "proofbook.css"
#: Words in a site's ``extra_javascript`` URL that show it brings its own math engine.
_ENGINES = ("mathjax", "katex")


@dataclass(frozen=True)
class Assets:
    """What one ``math`` choice adds to a site.

    ``css`` and ``js`` are site paths for ``extra_css`` and ``extra_javascript``; ``files`` are
    the package files the site serves, as paths below ``PACKAGE_ASSETS`` (their URL is
    ``site_uri(path)``), ``SCRIPT`` among them; ``katex`` is what the script loads on pages
    with formulas (``{"css": [...], "js": [...]}``, relative to ``SITE_FOLDER`` or absolute),
    or None when the site typesets itself.
    """

    css: tuple[str, ...]
    js: tuple[str, ...]
    files: tuple[str, ...]
    katex: dict[str, list[str]] | None

    def script(self) -> str:
        """``proofbook.js`` as the site serves it: its settings, then the package file."""
        settings = json.dumps({"katex": self.katex}, separators=(",", ":"))
        return f"const PROOFBOOK = {settings};\n" + (PACKAGE_ASSETS / SCRIPT).read_text(encoding="utf-8")


def site_uri(path: str) -> str:
    """The site path of a package asset: ``vendor/katex/katex.min.js`` → ``assets/proofbook/vendor/...``."""
    return f"{SITE_FOLDER}/{path}"


def site_engine(extra_javascript: Iterable[Any]) -> str | None:
    """The site's own math engine, when one of its scripts names it (``mathjax`` or ``katex``)."""
    for url in map(str, extra_javascript):
        if url.startswith(SITE_FOLDER + "/"):
            continue
        for name in _ENGINES:
            if name in url.lower():
                return name
    return None


def page_assets(math: MathEngine, site_has_engine: bool = False) -> Assets:
    """The style sheet, script and files that the ``math`` option asks for (see its docstring):
    ``auto`` is ``none`` when ``site_has_engine``, else ``katex``.

    Licenses travel with the vendored code they cover; KaTeX's fonts with its style sheet,
    which loads them from ``fonts/`` next to itself (only ``woff2`` is shipped: every browser
    KaTeX supports reads it, and takes it first).
    """
    if math == "auto":
        math = "none" if site_has_engine else "katex"
    files = [_STYLE, SCRIPT]
    katex = None
    if math != "none":
        if math == "katex":
            base = _KATEX
            files += [f"{_KATEX}/{name}" for name in [_KATEX_CSS, *_KATEX_JS, "LICENSE", *_fonts()]]
        else:
            base = KATEX_CDN
        katex = {"css": [f"{base}/{_KATEX_CSS}"], "js": [*(f"{base}/{name}" for name in _KATEX_JS), _KATEX_INIT]}
        files.append(_KATEX_INIT)
    return Assets(css=(site_uri(_STYLE),), js=(site_uri(SCRIPT),), files=tuple(files), katex=katex)


def _fonts() -> list[str]:
    """KaTeX's font files, below its folder."""
    return sorted(f"fonts/{font.name}" for font in (PACKAGE_ASSETS / _KATEX / "fonts").glob("*.woff2"))


def prepend_new(urls: list[Any], first: tuple[str, ...]) -> None:
    """Put ``first`` before the site's own ``extra_css``/``extra_javascript``, once.

    First, so that a site's own styles and scripts can override or build on proofbook's;
    once, because ``on_config`` may run again on the same config (the tests do that).  Items
    are compared as text: MkDocs keeps ``extra_javascript`` entries as ``ExtraScriptValue``.
    """
    present = {str(url) for url in urls}
    urls[:0] = [url for url in first if url not in present]
