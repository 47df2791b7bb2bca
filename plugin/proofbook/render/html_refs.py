"""References that reach the page's HTML unreplaced: those in Markdown that extensions add while
a page converts, after ``on_page_markdown`` has run (pymdownx.snippets' included files,
mkdocstrings' docstrings).

They are replaced in the page's HTML (``on_page_content``), in text only: never inside a tag
(an attribute value), nor in ``<code>``, ``<pre>``, ``<script>`` or ``<style>``, so the syntax
shown in code stays as written.  An embed ``![[id]]`` there is a reference, since a block can
no longer be converted.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from .refs import REFERENCE, Target, link

#: An element whose text is never a reference, a tag, or the text between them.
_PIECES = re.compile(r"(<(code|pre|script|style|textarea)\b.*?</\2\s*>)|(<[^>]*>)|([^<]+)", re.S | re.I)
_REFERENCE = re.compile(REFERENCE, re.VERBOSE)


@dataclass
class FixedHtml:
    """A page's HTML with its late references replaced, and the ids that are no entry's."""

    html: str
    unknown: list[str] = field(default_factory=list)


def fix_html_refs(page_html: str, page_url: str, targets: Mapping[str, Target]) -> FixedHtml:
    """Replace every ``[[id]]``, ``[[id|text]]`` and ``![[id]]`` in the text of ``page_html``."""
    fixed = FixedHtml(page_html)
    if "[[" not in page_html:
        return fixed

    def replace(match: re.Match[str]) -> str:
        ident = match.group("id")
        target = targets.get(ident)
        if target is None:
            fixed.unknown.append(ident)
            return match.group()
        return link(ident, target, page_url, match.group("text"))

    def piece(match: re.Match[str]) -> str:
        text = match.group(4)
        return _REFERENCE.sub(replace, text) if text is not None and "[[" in text else match.group()

    fixed.html = _PIECES.sub(piece, page_html)
    return fixed

