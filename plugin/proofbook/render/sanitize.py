r"""Registry text made safe for a page: rendered here, cleaned by an allow-list, then sealed.

Registry files are untrusted (they arrive in pull requests), so nothing in them may become
script in a reader's browser.  Rather than guess which part of a note is math or code and
escape the rest, every piece of registry Markdown (intros, notes, proof-step notes) goes
through three steps:

1. **render**: Python-Markdown with a fixed, small set of extensions turns it into HTML.  Raw
   HTML is not passed through (``<b>`` shows as text), math becomes arithmatex's generic
   ``<span class="arithmatex">\( ... \)</span>``, ``[[id]]`` references become placeholders,
   and link parsing is bounded, so no input costs more than linear time;
2. **clean**: nh3 (the Rust sanitizer ammonia) parses that HTML as a browser would and keeps
   only an allow-list of tags, attributes and classes; every URL must be http(s), mailto or
   relative (``safe_url``), checked after entity decoding;
3. **seal**: the clean HTML is written on one line, with every character of its text and
   attribute values that Markdown, a Markdown extension or another plugin's page hook could
   read as syntax (``[ ] ` { } $ \\ < = >`` and more) spelled as a character reference.
   The page puts it in a raw HTML block, which Python-Markdown passes through untouched, and
   browsers decode the references.

Plain text fields (sources, tags, the verifier's reasons) are escaped and sealed the same way
(``text_html``).  References are the one thing left for later: a placeholder becomes
``[[id]]`` or ``[[id|label]]`` again, with a sealed label, which ``refs.fix_refs`` resolves per
page, since the link depends on the page that shows it.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from functools import lru_cache

import markdown
import nh3
from markdown.extensions import Extension
from markdown.inlinepatterns import (IMAGE_LINK_RE, IMAGE_REFERENCE_RE, LINK_RE, REFERENCE_RE,
                                     ImageInlineProcessor, ImageReferenceInlineProcessor,
                                     InlineProcessor, LinkInlineProcessor, ReferenceInlineProcessor,
                                     ShortImageReferenceInlineProcessor, ShortReferenceInlineProcessor)

from .refs import REFERENCE

#: The longest link text and link target Python-Markdown looks for.  Its link parser scans
#: from each ``[`` to the end of the paragraph for the matching ``]`` (and from each ``](``
#: for the ``)``), which is quadratic in a note made of ``[``; bounded, it is linear.
MAX_LINK_SCAN = 1000
#: The longest inline formula (``$...$``, ``\(...\)``); a longer one shows as text.
MAX_INLINE_MATH = 500

#: The tags registry Markdown may produce; everything else is dropped, its text kept.  No
#: ``div``: Python-Markdown's HTML-block parser (md_in_html) ends the enclosing raw block at a
#: nested ``</div>`` after text, which would let the rest of a note out of its block; display
#: math is therefore a ``<p class="arithmatex">``.  No headings either: the site's Markdown
#: would give them anchors and put them in the page's table of contents.
TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em", "hr", "i", "img",
    "kbd", "li", "ol", "p", "pre", "s", "span", "strong", "sub", "sup", "table", "tbody", "td", "th",
    "thead", "tr", "ul",
})
#: Attributes per tag.  No event handler, no ``style``, no ``id`` or ``name`` (they could
#: shadow the page's own anchors and globals), no ``class`` except those in CLASSES.
ATTRIBUTES = {
    "a": {"href", "title", "data-pb-ref"},
    "img": {"src", "alt", "title"},
    "abbr": {"title"},
    "ol": {"start"},
    "th": {"align"},
    "td": {"align"},
}
#: The only classes (``class`` itself is allowed through this): arithmatex's, which the math
#: script typesets.
CLASSES = {"span": {"arithmatex"}, "p": {"arithmatex"}}
#: Schemes a link or image may use; anything else (javascript:, data:, vbscript:, ...) is removed.
SCHEMES = frozenset({"http", "https", "mailto"})
#: Tags whose content is removed with them.
DROP_CONTENT = frozenset({"script", "style", "textarea", "noscript", "template", "iframe", "object",
                          "svg", "math", "select", "title", "xmp", "noembed", "noframes"})

#: Characters Markdown, a Markdown extension or a page hook could read as syntax, and ``< = >``
#: (no tag to find, no ``onerror=`` for a scanner to misread), as character references.
_SEAL = str.maketrans({c: f"&#{ord(c)};" for c in "\n\r[]`{}$\\*_~^|:#!%'+@<=>"})
#: A tag as nh3 writes it: a lowercase name, attributes with double-quoted values.
_TAG = re.compile(r'<(/?[a-z][a-z0-9]*)((?:\s[a-z][a-z0-9-]*="[^"]*")*)\s*/?>')
_ATTRIBUTE = re.compile(r'\s([a-z][a-z0-9-]*)="([^"]*)"')
#: Control characters other than tab and line feed: no prose needs them, and they let text
#: forge log lines or hide a URL scheme.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
#: A reference placeholder as nh3 writes it (its attribute is the only one nh3 leaves there).
_PLACEHOLDER = re.compile(r'<a data-pb-ref="([a-z0-9-]+)"(?: rel="[^"]*")?>(.*?)</a>')


# -- URLs -------------------------------------------------------------------------------------

_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
#: Two slashes or backslashes in any mix: a browser reads ``//host`` and ``\\host`` as another host.
_OTHER_HOST = re.compile(r"[/\\]{2}")


def safe_url(value: str) -> str | None:
    """``value`` as a browser reads it, if it is http(s), mailto or relative to the site; else None.

    ``value`` is entity-decoded already (nh3 parses the HTML).  A browser removes tabs and line
    breaks anywhere in a URL and control characters and spaces at its ends, so ``java\\tscript:``
    is ``javascript:``: the check runs on what the browser would see, and returns that.
    """
    url = re.sub(r"[\t\n\r]", "", value).strip("".join(map(chr, range(0x21))))
    if _CONTROL.search(url):
        return None
    scheme = _SCHEME.match(url)
    if scheme:
        return url if scheme[1].lower() in SCHEMES else None
    return None if _OTHER_HOST.match(url) else url


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if attribute in ("href", "src"):
        return safe_url(value)
    if attribute == "data-pb-ref":
        return value if re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", value) else None
    if attribute == "start":
        return value if value.isdigit() and len(value) <= 6 else None
    if attribute == "align":
        return value if value in ("left", "right", "center") else None
    return value


def clean(fragment: str) -> str:
    """``fragment`` with only the allow-listed tags, attributes, classes and URLs left."""
    return nh3.clean(fragment, tags=set(TAGS), clean_content_tags=set(DROP_CONTENT),
                     attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
                     attribute_filter=_filter_attribute, url_schemes=set(SCHEMES),
                     allowed_classes={tag: set(names) for tag, names in CLASSES.items()},
                     link_rel="nofollow noopener noreferrer", strip_comments=True)


# -- Markdown ---------------------------------------------------------------------------------

#: Link text up to its closing ``]``, with brackets nested at most two deep.  One regular
#: expression, no backtracking (its alternatives start with different characters), and run
#: on a bounded window: linear however many ``[`` a note holds.
_LINK_TEXT = re.compile(r"(?:[^\[\]]|\[(?:[^\[\]]|\[[^\[\]]*\])*\])*\]")
#: A link target up to its closing ``)``, with parentheses nested at most three deep.
_LINK_TARGET = re.compile(r"(?:[^()]|\((?:[^()]|\((?:[^()]|\([^()]*\))*\))*\))*\)")


class _BoundedLinks:
    """Python-Markdown's bracket and parenthesis scans, bounded by ``MAX_LINK_SCAN`` characters.

    Its own ``getText`` and ``getLink`` walk from each ``[`` (each ``](``) to the end of the
    paragraph when nothing closes it, which is quadratic in a note made of ``[``.  Here a
    regular expression on a bounded window decides first whether anything closes."""

    def getText(self, data: str, index: int) -> tuple[str, int, bool]:
        match = _LINK_TEXT.match(data, index, index + MAX_LINK_SCAN)
        if match is None:
            return "", index, False
        return data[index:match.end() - 1], match.end(), True

    def getLink(self, data: str, index: int) -> tuple[str, str | None, int, bool]:
        window = index + MAX_LINK_SCAN
        if data[index:index + 1] == "(" and _LINK_TARGET.match(data, index + 1, window) is None:
            return "", None, index, False
        href, title, end, handled = super().getLink(data[index:window], 0)  # type: ignore[misc]
        return href, title, index + end, handled



class _BoundedReferences(_BoundedLinks):
    """The same for ``[text][id]``, whose id is scanned up to its ``]``."""

    def evalId(self, data: str, index: int, text: str) -> tuple[str | None, int, bool]:
        ident, end, handled = super().evalId(data[index:index + MAX_LINK_SCAN], 0, text)  # type: ignore[misc]
        return ident, index + end, handled


class _Link(_BoundedLinks, LinkInlineProcessor): ...
class _Image(_BoundedLinks, ImageInlineProcessor): ...
class _Reference(_BoundedReferences, ReferenceInlineProcessor): ...
class _ShortReference(_BoundedReferences, ShortReferenceInlineProcessor): ...
class _ImageReference(_BoundedReferences, ImageReferenceInlineProcessor): ...
class _ShortImageReference(_BoundedReferences, ShortImageReferenceInlineProcessor): ...


class _EntryReference(InlineProcessor):
    """``[[id|text]]`` → ``<a data-pb-ref="id">text</a>``, a placeholder ``seal`` turns back.

    ``![[id]]`` too: in registry text an embed is a reference, since an entry that copied
    others into itself could multiply a page's size."""

    def __init__(self, md: markdown.Markdown) -> None:
        super().__init__(REFERENCE, md)
        self.compiled_re = re.compile(REFERENCE, re.VERBOSE)

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[etree.Element, int, int]:  # type: ignore[override]
        element = etree.Element("a", {"data-pb-ref": m.group("id")})
        element.text = m.group("text") or ""
        return element, m.start(0), m.end(0)


class RegistryMarkdown(Extension):
    """What registry Markdown may use: no raw HTML, no headings, bounded links, entry references."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.parser.blockprocessors.deregister("hashheader")
        md.parser.blockprocessors.deregister("setextheader")
        md.inlinePatterns.register(_EntryReference(md), "proofbook_reference", 175)
        for name, (cls, pattern, priority) in _LINK_PROCESSORS.items():
            md.inlinePatterns.register(cls(pattern, md), name, priority)


#: Python-Markdown's link processors (name: bounded class, pattern, its priority there).
_LINK_PROCESSORS = {
    "reference": (_Reference, REFERENCE_RE, 170),
    "link": (_Link, LINK_RE, 160),
    "image_link": (_Image, IMAGE_LINK_RE, 150),
    "image_reference": (_ImageReference, IMAGE_REFERENCE_RE, 140),
    "short_reference": (_ShortReference, REFERENCE_RE, 130),
    "short_image_ref": (_ShortImageReference, IMAGE_REFERENCE_RE, 125),
}


@lru_cache(maxsize=1)
def _converter() -> markdown.Markdown:
    converter = markdown.Markdown(
        extensions=[RegistryMarkdown(), "tables", "fenced_code", "sane_lists", "pymdownx.arithmatex"],
        extension_configs={"pymdownx.arithmatex": {"generic": True, "block_tag": "p"},
                           "tables": {"use_align_attribute": True}})
    _bound_inline_math(converter)
    return converter


def _bound_inline_math(converter: markdown.Markdown) -> None:
    """Inline math of at most ``MAX_INLINE_MATH`` characters.

    arithmatex looks for the closing ``$`` or ``\\)`` of every opening one up to the end of the
    paragraph, which is quadratic in a note made of ``\\(``; its lazy ``+?`` repetitions of
    the formula's characters become ``{1,MAX_INLINE_MATH}?``."""
    processor = converter.inlinePatterns["arithmatex-inline"]
    pattern, count = re.subn(r"\]\)\+\?\)", f"]){{1,{MAX_INLINE_MATH}}}?)", processor.pattern)
    if not count:
        raise RuntimeError("pymdownx.arithmatex changed its inline pattern; update _bound_inline_math")
    processor.compiled_re = re.compile(pattern, re.DOTALL | re.UNICODE)


def render(text: str) -> str:
    """Registry Markdown as HTML, before cleaning (raw HTML in it shows as text)."""
    converter = _converter()
    converter.reset()
    return converter.convert(_CONTROL.sub("", text))


# -- sealing ----------------------------------------------------------------------------------

def seal(fragment: str) -> str:
    """Clean HTML on one line that no Markdown parser or page hook reads as anything but HTML;
    reference placeholders become ``[[id]]`` / ``[[id|label]]`` for ``refs.fix_refs``."""
    pieces, last = [], 0
    for match in _PLACEHOLDER.finditer(fragment):
        label = _seal_html(match.group(2))
        pieces += [_seal_html(fragment[last:match.start()]),
                   f"[[{match.group(1)}|{label}]]" if label else f"[[{match.group(1)}]]"]
        last = match.end()
    pieces.append(_seal_html(fragment[last:]))
    return "".join(pieces)


def _seal_html(fragment: str) -> str:
    """Text and attribute values sealed, tags kept; anything that is not a tag nh3 writes is
    text, so a tag this does not recognize is shown, never run."""
    pieces, last = [], 0
    for tag in _TAG.finditer(fragment):
        attributes = "".join(f' {name}="{value.translate(_SEAL)}"' for name, value in _ATTRIBUTE.findall(tag[2]))
        pieces += [fragment[last:tag.start()].translate(_SEAL), f"<{tag[1]}{attributes}>"]
        last = tag.end()
    pieces.append(fragment[last:].translate(_SEAL))
    return "".join(pieces)


def markdown_html(text: str) -> str:
    """Registry Markdown as safe, sealed HTML (one line), references left for ``fix_refs``."""
    return seal(clean(render(text)))


def text_html(text: str) -> str:
    """Registry plain text (a source, a tag) as safe, sealed HTML."""
    return seal(html.escape(_CONTROL.sub("", text), quote=False))


def block(fragment: str, css_class: str) -> str:
    """Sealed HTML as a raw HTML block of its own: one line, from the first column."""
    return f'<div class="{css_class}">{fragment}</div>'
