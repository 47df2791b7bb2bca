"""Registry text in the output, unit by unit: the HTML sanitizer, URLs, the TeX allow-list, limits.

The same rows go through a real site build in test_sanitize_site.py, a browser in
test_sanitize_browser.py and pdflatex in test_sanitize_tex.py; they are in hardening_cases.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hardening_cases import (BENIGN_MARKDOWN, BOMB_UNITS, MARKDOWN_LIMIT, TEX_BENIGN, TEX_NOTES,
                             XSS_MARKDOWN, bomb)
from proofbook.export import _tex_markdown
from proofbook.render import sanitize
from proofbook.render.refs import MAX_EMBEDDED, MAX_EMBEDS, Target, fix_refs
from proofbook.texmath import COMMANDS, safe_math
from timing import fastest

#: A bomb of MARKDOWN_LIMIT characters must render in less than this (quadratic parsing took
#: 1.3 s for 5,000 '[' and 0.7 s for 5,000 '[[a|' on the same machine).
BOMB_SECONDS = 0.5
#: Commands the export writes itself around registry text.
EXPORT_COMMANDS = {"textbackslash", "textbraceleft", "textbraceright", "textasciitilde", "textasciicircum",
                   "texttt", "ensuremath", "eqref", "hyperref", "textsuperscript", "textsubscript"}


def unseal(fragment: str) -> str:
    """Sealed HTML with the numeric character references decoded (named ones, nh3's, stay)."""
    return re.sub(r"&#(\d+);", lambda m: chr(int(m[1])), fragment)


class Elements(HTMLParser):
    """Every element of a fragment with its attributes, decoded as a browser decodes them."""

    def __init__(self, fragment: str) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict[str, str]]] = []
        self.feed(fragment)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, {k: v or "" for k, v in attrs}))


def problems(fragment: str, sealed: bool = True) -> list[str]:
    """What in a fragment is not allowed: tags, attributes, classes, URLs, and (``sealed``) more
    than one line or raw Markdown syntax."""
    found = []
    if sealed and "\n" in fragment:
        found.append("more than one line")
    references = re.sub(r"\[\[[a-z0-9-]+(?:\|[^\[\]]*)?\]\]", "", fragment)
    outside_tags = re.sub(r"&#?[a-z0-9]+;", "", re.sub(r"<[^<>]*>", "", references))
    found += [f"raw {char!r}" for char in "[]`{}$\\*_~^|:#!%'" if sealed and char in outside_tags]
    for tag, attrs in Elements(fragment).found:
        if tag == "a" and attrs.get("class") == "pb-ref":  # a reference, as fix_refs writes it
            attrs = {k: v for k, v in attrs.items() if k == "href"}
        if tag not in sanitize.TAGS:
            found.append(f"<{tag}>")
        for name, value in attrs.items():
            allowed = sanitize.ATTRIBUTES.get(tag, set()) | {"rel"} | ({"class"} if tag in sanitize.CLASSES else set())
            if name not in allowed:
                found.append(f"<{tag} {name}>")
            if name == "class" and set(value.split()) - sanitize.CLASSES[tag]:
                found.append(f"<{tag} class={value!r}>")
            if name in ("href", "src") and not _allowed_url(value):
                found.append(f"<{tag} {name}={value!r}>")
    return found


def _allowed_url(url: str) -> bool:
    url = re.sub(r"[\t\n\r]", "", url).strip("".join(map(chr, range(0x21))))
    scheme = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", url)
    return (scheme[1].lower() in ("http", "https", "mailto")) if scheme else not re.match(r"[/\\]{2}", url)


# -- HTML -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "text"), XSS_MARKDOWN, ids=[row[0] for row in XSS_MARKDOWN])
def test_hostile_markdown_becomes_allowed_markup_only(name: str, text: str) -> None:
    """Each vector comes out as allow-listed tags, attributes and URLs, on one sealed line."""
    fragment = sanitize.markdown_html(text)
    assert problems(fragment) == []
    # as the page has it, not even a naive scanner finds a handler or a script
    assert "<script" not in fragment.lower() and "javascript:" not in fragment.lower()
    assert not re.search(r"<[a-z][^<>]*\son[a-z]+\s*=", fragment, re.IGNORECASE)


@pytest.mark.parametrize(("name", "text", "shown"), BENIGN_MARKDOWN, ids=[row[0] for row in BENIGN_MARKDOWN])
def test_benign_markdown_still_renders(name: str, text: str, shown: str) -> None:
    """Emphasis, links, math, code, lists and images survive, exactly."""
    fragment = sanitize.markdown_html(text)
    assert problems(fragment) == []
    assert shown in unseal(fragment)


def test_references_become_sealed_references_for_fix_refs() -> None:
    """``[[id]]`` and ``[[id|label]]`` come out as references whose label is clean HTML; an embed
    in registry text is a reference; references in code stay code."""
    fragment = sanitize.markdown_html("See [[e1]], [[e2|the *second*]], `[[e3]]`.\n\n![[e4]]")
    assert "[[e1]]" in fragment and "[[e2|the <em>second</em>]]" in fragment
    assert "[[e4]]" in fragment and "![[e4]]" not in unseal(fragment).replace("[[e4]]", "", 0)
    assert "<code>&#91;&#91;e3&#93;&#93;</code>" in fragment
    fixed = fix_refs(fragment, "a/", {i: Target("1.1", "a/", "x", "BLOCK") for i in ("e1", "e2", "e4")})
    assert fixed.unknown == [] and fixed.misplaced == [] and "BLOCK" not in fixed.markdown
    assert '<a class="pb-ref" href="#e2" data-pb-number="1.1" data-pb-title="" data-pb-tex="x">the <em>second</em></a>' in fixed.markdown


@pytest.mark.parametrize(("url", "expected"), [
    ("https://example.org/a", "https://example.org/a"),  # http(s) stays
    ("HTTP://example.org", "HTTP://example.org"),  # scheme case does not matter
    ("mailto:a@example.org", "mailto:a@example.org"),
    ("../notation/#x", "../notation/#x"),  # relative paths and fragments stay
    ("#top", "#top"),
    ("?q=1", "?q=1"),
    ("javascript:alert(1)", None),
    ("JaVaScRiPt:alert(1)", None),
    ("java\tscript:alert(1)", None),  # browsers drop tabs and line breaks anywhere
    ("java\nscript:alert(1)", None),
    ("\x01 javascript:alert(1)", None),  # and control characters and spaces at the ends
    ("data:text/html,x", None),
    ("vbscript:msgbox(1)", None),
    ("file:///etc/passwd", None),
    ("//evil.example", None),  # another host
    ("\\\\evil.example", None),
    ("/\\evil.example", None),
    ("a\x00b", None),
])
def test_safe_url(url: str, expected: str | None) -> None:
    """Only http(s), mailto and relative URLs, judged as the browser reads them."""
    assert sanitize.safe_url(url) == expected


def test_text_fields_are_escaped_and_sealed() -> None:
    """Sources and tags are text: markup and Markdown characters come out as references."""
    assert sanitize.text_html("<img src=x onerror=alert(1)> [[e1]] $x$") == (
        "&lt;img src&#61;x onerror&#61;alert(1)&gt; &#91;&#91;e1&#93;&#93; &#36;x&#36;")


# -- bounded work -----------------------------------------------------------------------------


@pytest.mark.parametrize("unit", BOMB_UNITS)
def test_markdown_at_the_limit_renders_fast(unit: str) -> None:
    """The longest note allowed, made of what used to cost quadratic time, renders at once."""
    text = bomb(unit, MARKDOWN_LIMIT)
    fragment, seconds = fastest(lambda: sanitize.markdown_html(text))
    assert seconds < BOMB_SECONDS
    assert problems(fragment) == []


def test_reference_scan_is_linear() -> None:
    """A page of 32 KB of ``[[a|`` (155 s of build time before) is scanned at once."""
    fixed, seconds = fastest(lambda: fix_refs("[[a|" * 8000, "a/", {"a": Target("1.1", "a/", "x", "B")}))
    assert seconds < BOMB_SECONDS
    assert fixed.unknown == []


def test_embeds_per_page_are_capped() -> None:
    """Past MAX_EMBEDS embeds, or MAX_EMBEDDED characters, an embed is a reference, with its line."""
    targets = {"e1": Target("1.1", "a/", "x", "BLOCK\n")}
    fixed = fix_refs("![[e1]]\n" * (MAX_EMBEDS + 5), "a/", targets)
    assert fixed.markdown.count("BLOCK") == MAX_EMBEDS
    assert fixed.over_limit == list(range(MAX_EMBEDS + 1, MAX_EMBEDS + 6))
    big = {"e1": Target("1.1", "a/", "x", "B" * (MAX_EMBEDDED // 3))}
    fixed = fix_refs("![[e1]]\n" * 5, "a/", big)
    assert fixed.embeds == 3 and fixed.over_limit == [4, 5]
    assert len(fixed.markdown) < MAX_EMBEDDED + 1000


# -- TeX --------------------------------------------------------------------------------------


def control_words(tex: str) -> set[str]:
    """The control words of a TeX text (what pdflatex would look up)."""
    return set(re.findall(r"\\([A-Za-z]+)", tex))


@pytest.mark.parametrize(("name", "note"), TEX_NOTES, ids=[row[0] for row in TEX_NOTES])
def test_tex_notes_keep_only_allowed_commands(name: str, note: str) -> None:
    """Whatever a note holds, the export writes only typesetting commands, balanced braces, no
    ``^^``, ``%``, ``#``, ``~`` or line ends of its own."""
    tex = _tex_markdown(note.format(secret="secret.txt"))
    assert control_words(tex) <= COMMANDS | EXPORT_COMMANDS, tex
    assert "^^" not in tex and not re.search(r"(?<!\\)[%#~\r\n\f]", tex), tex
    depth = 0
    for char in re.sub(r"\\[{}]", "", tex):
        depth += {"{": 1, "}": -1}.get(char, 0)
        assert depth >= 0, tex
    assert depth == 0, tex


@pytest.mark.parametrize(("name", "note", "tex"), TEX_BENIGN, ids=[row[0] for row in TEX_BENIGN])
def test_tex_benign_math_stays_math(name: str, note: str, tex: str) -> None:
    """Formulas in notes that use only allowed commands reach the export as math."""
    assert _tex_markdown(note) == tex


@pytest.mark.parametrize("math", [
    "\\input{x}", "x^^5c", "a % b", "#1", "a~b", "a & b", "{", "}", "\\", "\\left( x",
    "\\begin{filecontents}", "\\begin{pmatrix} a \\end{bmatrix}", "\\frac", "{\\sqrt}", "é",
    "x^", "x_}", "\\frac{a}", "\\frac a", "x^&",
])
def test_safe_math_refuses(math: str) -> None:
    """Anything outside the allow-list, or unbalanced, fails the whole formula."""
    assert safe_math(math) is None


# -- the site's Markdown leaves a sealed block whole ------------------------------------------

#: An entry block as pages.py writes one, with a sealed block inside its proof.
ENTRY = ('<div class="pb-entry" id="e" markdown>\n\n### Title\n\n{block}\n\n<details class="note pb-proof" markdown>\n'
         "<summary>Proof</summary>\n\n{block}\n\n</details>\n\n</div>\n\nafter\n")


def assert_whole(block: str, convert: Callable[[str], str]) -> None:
    """Through the site's Markdown (md_in_html), both copies of ``block`` keep every element
    inside them, and the text after the entry stays after it."""
    expected = [e.name for e in BeautifulSoup(block, "html.parser").div.find_all(True)]
    soup = BeautifulSoup(convert(ENTRY.format(block=block)), "html.parser")
    copies = soup.select("div.pb-entry > div.pb-notes, div.pb-entry > details > div.pb-notes")
    assert len(copies) == 2, soup
    for copy in copies:
        assert [e.name for e in copy.find_all(True)] == expected, copy
    assert soup.find_all("p", recursive=False)[-1].get_text() == "after"


@pytest.mark.parametrize(("name", "text"), [row[:2] for row in XSS_MARKDOWN + BENIGN_MARKDOWN],
                         ids=[row[0] for row in XSS_MARKDOWN + BENIGN_MARKDOWN])
def test_sealed_blocks_stay_whole_in_the_page(name: str, text: str, markdown_to_html: Callable[[str], str]) -> None:
    """No note can end its block early and put the rest of itself outside (where the site's
    Markdown would read it); the catalogue's rows, one by one."""
    assert_whole(sanitize.block(sanitize.markdown_html(text), "pb-notes"), markdown_to_html)


_INLINE = st.sampled_from(["x", "*x*", "`c`", "$a<b$", "[l](https://e.org)", "[[e1|t]]", "<b>", "&amp;"])
_BLOCK = st.recursive(
    st.lists(_INLINE, min_size=1, max_size=4).map(" ".join),
    lambda inner: st.one_of(
        inner.map(lambda t: "> " + t.replace("\n", "\n> ")),
        st.lists(inner, min_size=1, max_size=3).map(lambda items: "\n".join("- " + i.replace("\n", "\n  ") for i in items)),
        inner.map(lambda t: f"$$\n{t}\n$$"),
        inner.map(lambda t: f"```\n{t}\n```"),
        inner.map(lambda t: f"| a | b |\n|---|---|\n| {t.splitlines()[0]} | y |"),
        inner.map(lambda t: f"#### {t.splitlines()[0]}"),
        st.lists(inner, min_size=2, max_size=3).map("\n\n".join),
    ), max_leaves=8)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_BLOCK)
def test_random_markdown_stays_whole_in_the_page(text: str, markdown_to_html: Callable[[str], str]) -> None:
    """Random nestings of quotes, lists, math, code, tables and headings stay inside their block."""
    assert_whole(sanitize.block(sanitize.markdown_html(text), "pb-notes"), markdown_to_html)
