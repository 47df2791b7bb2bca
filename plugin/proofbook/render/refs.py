r"""Cross-references to handbook entries, written in any Markdown page.

Syntax (an id is an entry id of the registry, such as ``trace-ab-grad``):

``[[trace-ab-grad]]``
    The entry's number, linked to its anchor: ``(1.8)``.  The link carries the entry's number,
    title and formula (``data-pb-*``), from which ``proofbook.js`` shows a typeset preview on
    hover, or on a first tap on a touch screen; no ``title`` attribute, whose tooltip would
    show LaTeX source.
``[[trace-ab-grad|the trace rule]]``
    The same link with your own text (Markdown) instead of the number.
``![[trace-ab-grad]]``
    The whole entry block (title, formula, badge, proof), embedded.  It must stand alone at the
    start of a line; elsewhere it is an ordinary reference and a warning says so.

References are replaced in the Markdown source, before Python-Markdown sees it, so they also
work inside raw HTML.  Fenced code blocks and code spans are left untouched: write
```` `[[trace-ab-grad]]` ```` to show the syntax itself.  Links are relative to the page that
contains them, so the built site can be served from any folder.
"""

from __future__ import annotations

import difflib
import html
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from ..model import Registry
from .urls import relative_url

#: Fenced code blocks (``` or ~~~, closed by a fence at least as long) and code spans
#: (which, as in Python-Markdown, do not cross a blank line).
CODE = r"""
    ^[ \t]*(?P<fence>(?P<fence_char>[`~])(?P=fence_char){2,})[^\n]*\n
        (?:.*\n)*?[ \t]*(?P=fence)(?P=fence_char)*[ \t]*$
  | (?<!`)(?P<ticks>`+)(?!`)(?:.|\n(?![ \t]*\n))+?(?<!`)(?P=ticks)(?!`)
"""

#: The longest text of a reference ``[[id|text]]``.
MAX_TEXT = 1000
#: ``[[id]]``, ``[[id|text]]`` and ``![[id]]``; ids as the registry schema allows them.  The text
#: ends before ``]]`` and cannot hold ``[[`` or a line break, so a reference that never closes
#: costs a scan up to the next ``[[`` only: a page full of ``[[a|`` is scanned in linear time.
REFERENCE = r"""
    (?P<bang>!?)\[\[(?P<id>[a-z0-9]+(?:-[a-z0-9]+)*)(?:\|(?P<text>(?:(?!\]\]|\[\[)[^\n]){1,""" + str(MAX_TEXT) + r"""}))?\]\]
"""
#: At most this many embeds per page, and this many characters embedded in all: beyond them an
#: embed is rendered as a reference, with a warning, so a page cannot grow without bound.
MAX_EMBEDS = 100
MAX_EMBEDDED = 2_000_000

_FLAGS = re.MULTILINE | re.VERBOSE


@dataclass(frozen=True)
class Target:
    """What a reference needs to know about an entry."""

    number: str
    #: URL of the page that holds the entry, relative to the site root (``File.url``).
    url: str
    #: LaTeX of the statement, shown as the link's tooltip.
    formula: str
    #: The entry's Markdown block, for embeds.
    block: str
    #: The entry's title, shown in the preview.
    title: str = ""


@dataclass
class Fixed:
    """A page with its references replaced, and what could not be replaced as written."""

    markdown: str
    #: (line, id) of each reference to an id that is not an entry.
    unknown: list[tuple[int, str]] = field(default_factory=list)
    #: Line of each embed that does not stand alone on its line (rendered as a reference).
    misplaced: list[int] = field(default_factory=list)
    #: Line of each embed past ``MAX_EMBEDS`` or ``MAX_EMBEDDED`` (rendered as a reference).
    over_limit: list[int] = field(default_factory=list)
    #: Embeds expanded, and the characters of Markdown they added.
    embeds: int = 0
    embedded: int = 0


def sub_outside_code(pattern: str, replace: Callable[[re.Match[str]], str], text: str) -> str:
    """``re.sub`` of a verbose ``pattern`` everywhere except in fenced code and code spans.

    Code is matched first, at the same scan, so nothing inside it is ever seen by ``pattern``.
    """
    def keep_code(match: re.Match[str]) -> str:
        return match.group() if match.group("code") is not None else replace(match)

    return re.sub(rf"(?P<code>{CODE})|{pattern}", keep_code, text, flags=_FLAGS)


def fix_refs(markdown: str, page_url: str, targets: Mapping[str, Target], embeds: bool = True) -> Fixed:
    """Replace every reference of a page whose URL (``page.file.url``) is ``page_url``.

    Inside an embedded block, ``embeds`` is False: an entry whose notes embed itself must not
    embed itself forever.
    """
    fixed = Fixed(markdown)
    if "[[" not in markdown:  # most pages of a site: skip the scan
        return fixed

    def line(match: re.Match[str]) -> int:
        """The match's line, counted only for a problem (per match, it made pages quadratic)."""
        return markdown.count("\n", 0, match.start()) + 1

    def replace(match: re.Match[str]) -> str:
        ident = match.group("id")
        target = targets.get(ident)
        if target is None:
            fixed.unknown.append((line(match), ident))
            return match.group()
        if match.group("bang") and embeds:
            if not _stands_alone(markdown, match):
                fixed.misplaced.append(line(match))
            elif _fits(fixed, target):
                return "\n" + fix_refs(target.block, page_url, targets, embeds=False).markdown + "\n"
            else:
                fixed.over_limit.append(line(match))
        return link(ident, target, page_url, match.group("text"))

    fixed.markdown = sub_outside_code(REFERENCE, replace, markdown)
    return fixed


def _fits(fixed: Fixed, target: Target) -> bool:
    """Whether one more embed of ``target`` stays within the page's limits; counts it if so."""
    if fixed.embeds >= MAX_EMBEDS or fixed.embedded + len(target.block) > MAX_EMBEDDED:
        return False
    fixed.embeds += 1
    fixed.embedded += len(target.block)
    return True


def _stands_alone(text: str, match: re.Match[str]) -> bool:
    """Whether the match is all of its line (trailing blanks allowed), from the first column."""
    starts_line = match.start() == 0 or text[match.start() - 1] == "\n"
    end = text.find("\n", match.end())
    return starts_line and not text[match.end():len(text) if end < 0 else end].strip()


def link(ident: str, target: Target, page_url: str, text: str | None = None) -> str:
    """The HTML link to an entry from the page at ``page_url``; ``text`` defaults to its number."""
    label = text if text is not None else f"({target.number})"
    return (f'<a class="pb-ref" href="{html.escape(href(ident, target, page_url))}" '
            f'data-pb-number="{literal(target.number)}" data-pb-title="{literal(target.title)}" '
            f'data-pb-tex="{literal(target.formula)}">{label}</a>')


def href(ident: str, target: Target, page_url: str) -> str:
    """``#id`` on the entry's own page, else the relative URL of its page plus ``#id``."""
    if target.url == page_url:
        return f"#{ident}"
    return f"{relative_url(target.url, page_url)}#{ident}"


#: Characters that can start inline syntax of Python-Markdown or its extensions (``{`` attr_list,
#: ``$`` arithmatex, ``:`` emoji, ``~ ^ =`` tilde/caret/mark) or of HTML.
_MARKDOWN_CHARS = "\\`*_[]<>&|~^=$:{}#\"'"
_AS_REFERENCES = {ord(c): f"&#{ord(c)};" for c in _MARKDOWN_CHARS}


def literal(value: str) -> str:
    """``value`` written into Markdown source (as text or an HTML attribute) so that it shows as is.

    Every character that could start Markdown or HTML syntax becomes a character reference:
    Python-Markdown's inline patterns (escapes, emphasis, links) run before raw inline HTML is
    set aside, so a backslash or underscore in a LaTeX tooltip would otherwise be rewritten,
    and a ``<script>`` in a title would be markup.  Browsers decode the references.
    """
    return value.translate(_AS_REFERENCES)


def unknown_message(where: str, ident: str, known: Iterable[str]) -> str:
    """``docs/index.md:12: unknown proofbook reference 'x' (did you mean 'y'?)``."""
    close = difflib.get_close_matches(ident, list(known), n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return f"{where}: unknown proofbook reference '{ident}'{hint}"


def misplaced_message(where: str) -> str:
    """The warning for an embed that is not alone on its line."""
    return (f"{where}: an embed ![[...]] must stand alone at the start of a line; "
            "it was rendered as a reference")


def over_limit_message(where: str) -> str:
    """The warning for an embed past the page's limits."""
    return (f"{where}: too many embeds ![[...]] on this page (at most {MAX_EMBEDS}, "
            f"{MAX_EMBEDDED:,} characters in all); it was rendered as a reference")


def registry_problems(registry: Registry) -> list[str]:
    """Unknown references in the registry's own Markdown (intros and notes), located there."""
    known = registry.by_id()
    texts = [(f"{c.file}: the chapter intro", c.intro) for c in registry.chapters]
    for entry in registry.entries:
        texts.append((f"{entry.location}: entry '{entry.id}' notes", entry.notes))
        texts += [(f"{s.location or entry.location}: entry '{entry.id}' proof step {k} note", s.note)
                  for k, s in enumerate(entry.proof or (), start=1)]
    return [unknown_message(where, ident, known)
            for where, text in texts
            for _, ident in fix_refs(text or "", "", {}).unknown  # no targets: every reference
            if ident not in known]


def entry_links(targets: Mapping[str, Target], page_url: str) -> dict[str, str]:
    """A link to each entry that has a page, as seen from the page at ``page_url`` (the graph
    drawing links its nodes with these; an SVG link is not rewritten by any host)."""
    return {ident: f"{relative_url(target.url, page_url)}#{ident}" for ident, target in targets.items()}
