"""The scripts and styles the handbook pages need, and where the browser gets them (``math``).

A site that only says ``plugins: [proofbook]`` must show typeset formulas and a drawn
dependency graph, offline.  So proofbook ships KaTeX and Mermaid (``assets/vendor/``, from
npm, unmodified) with its own small script and style sheet, copies the files a site needs
below ``assets/proofbook/`` of the site (``on_files``), and lists them in ``extra_css`` and
``extra_javascript`` (``on_config``).

Mermaid is always served by the site: Material loads Mermaid from unpkg.com only when no
``mermaid`` global exists, and the vendored script defines it.  ``katex-init.js`` typesets
arithmatex's generic output with KaTeX on every page, including those Material's instant
navigation swaps in.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

MathEngine = Literal["katex", "katex-cdn", "none"]

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
_MERMAID = "vendor/mermaid/mermaid.min.js"
_STYLE = "proofbook.css"


@dataclass(frozen=True)
class Assets:
    """What one ``math`` choice adds to a site.

    ``css`` and ``js`` are URLs for ``extra_css`` and ``extra_javascript``, in load order
    (site-relative, or absolute for a CDN); ``files`` are the package files the site serves,
    as paths below ``PACKAGE_ASSETS`` (their URL is ``site_uri(path)``).
    """

    css: tuple[str, ...]
    js: tuple[str, ...]
    files: tuple[str, ...]


def site_uri(path: str) -> str:
    """The site path of a package asset: ``vendor/katex/katex.min.js`` → ``assets/proofbook/vendor/...``."""
    return f"{SITE_FOLDER}/{path}"


def page_assets(math: MathEngine) -> Assets:
    """The style sheets, scripts and files that the ``math`` option asks for (see its docstring).

    Licenses travel with the vendored code they cover; KaTeX's fonts with its style sheet,
    which loads them from ``fonts/`` next to itself (only ``woff2`` is shipped: every browser
    KaTeX supports reads it, and takes it first).
    """
    files = [_STYLE, _MERMAID, "vendor/mermaid/LICENSE"]
    css: list[str] = []
    js: list[str] = []
    if math != "none":
        if math == "katex":
            base = site_uri(_KATEX)
            katex = [_KATEX_CSS, *_KATEX_JS, "LICENSE", *_fonts()]
            files += [f"{_KATEX}/{name}" for name in katex]
        else:
            base = KATEX_CDN
        css.append(f"{base}/{_KATEX_CSS}")
        js += [*(f"{base}/{name}" for name in _KATEX_JS), site_uri(_KATEX_INIT)]
        files.append(_KATEX_INIT)
    return Assets(css=(*css, site_uri(_STYLE)), js=(*js, site_uri(_MERMAID)), files=tuple(files))


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
