"""Cross-references: ``[[id]]``, ``[[id|text]]`` and ``![[id]]``, without building a site."""

from __future__ import annotations

import html

import pytest

from proofbook.render.refs import (
    Target,
    fix_refs,
    href,
    link,
    literal,
    misplaced_message,
    sub_outside_code,
    unknown_message,
)

TARGETS = {
    "trace-ab-grad": Target("1.8", "handbook/matrix-derivatives/", r"\mathbf{B}^{T}", "BLOCK [[log-det-grad]]"),
    "log-det-grad": Target("1.13", "handbook/matrix-derivatives/", r"A_{ij}", "LOG-DET"),
}


def ref(text: str = "(1.8)", url: str = "handbook/matrix-derivatives/#trace-ab-grad",
        tex: str = r"\mathbf{B}^{T}", number: str = "1.8") -> str:
    """The link expected for trace-ab-grad: its number, title and formula for the preview."""
    return (f'<a class="pb-ref" href="{url}" data-pb-number="{number}" data-pb-title="" '
            f'data-pb-tex="{literal(tex)}">{text}</a>')


@pytest.mark.parametrize(("markdown", "expected"), [
    # the number, linked, from the home page
    ("See [[trace-ab-grad]].", f"See {ref()}."),
    # own link text, which stays Markdown
    ("[[trace-ab-grad|the *trace* rule]]", ref("the *trace* rule")),
    # two references on one line
    ("[[trace-ab-grad]] and [[trace-ab-grad]]", f"{ref()} and {ref()}"),
    # not an id (capitals, spaces): not a reference
    ("[[Not An Id]] [[a b]]", "[[Not An Id]] [[a b]]"),
    # a code span is left alone, also with double backticks and across a line break
    ("`[[trace-ab-grad]]` ``x [[trace-ab-grad]]`` `a\n[[trace-ab-grad]]`",
     "`[[trace-ab-grad]]` ``x [[trace-ab-grad]]`` `a\n[[trace-ab-grad]]`"),
    # a code span does not cross a blank line: the lone backtick is text
    ("`a\n\n[[trace-ab-grad]]", f"`a\n\n{ref()}"),
    # a fenced block (backticks or tildes, indented in a list) is left alone
    ("```yaml\n[[trace-ab-grad]]\n```\n[[trace-ab-grad]]", f"```yaml\n[[trace-ab-grad]]\n```\n{ref()}"),
    ("- item\n\n    ~~~~\n    [[trace-ab-grad]]\n    ~~~~\n", "- item\n\n    ~~~~\n    [[trace-ab-grad]]\n    ~~~~\n"),
    # a shorter fence does not close a longer one
    ("````\n```\n[[trace-ab-grad]]\n````", "````\n```\n[[trace-ab-grad]]\n````"),
    # inside an admonition (indented text, not code) references work
    ('!!! note "N"\n    By [[trace-ab-grad]].', f'!!! note "N"\n    By {ref()}.'),
    # an embed alone on its line: the block, whose references are resolved too
    ("Intro\n![[trace-ab-grad]]\nNext",
     f"Intro\n\nBLOCK {ref('(1.13)', 'handbook/matrix-derivatives/#log-det-grad', 'A_{ij}', '1.13')}\n\nNext"),
])
def test_fix_refs(markdown: str, expected: str) -> None:
    """References become links from the home page; code and non-ids stay as written."""
    fixed = fix_refs(markdown, "./", TARGETS)
    assert fixed.markdown == expected
    assert fixed.unknown == [] and fixed.misplaced == []


@pytest.mark.parametrize(("page_url", "expected"), [
    # the entry's own page: a fragment only
    ("handbook/matrix-derivatives/", "#trace-ab-grad"),
    # the home page
    ("./", "handbook/matrix-derivatives/#trace-ab-grad"),
    # a sibling page of the handbook
    ("handbook/graph/", "../matrix-derivatives/#trace-ab-grad"),
    # a page outside the handbook
    ("getting-started/", "../handbook/matrix-derivatives/#trace-ab-grad"),
    # use_directory_urls: false
    ("getting-started.html", "handbook/matrix-derivatives/#trace-ab-grad"),
])
def test_href_is_relative_to_the_page(page_url: str, expected: str) -> None:
    """The same reference gets the right relative URL on every page."""
    assert href("trace-ab-grad", TARGETS["trace-ab-grad"], page_url) == expected


def test_link_preview_data_is_the_formula_and_title_verbatim() -> None:
    """The preview's data decode to the LaTeX and the title exactly, nothing in them looks like
    Markdown, and there is no title attribute, whose tooltip would show LaTeX source."""
    target = Target("1.1", "x/", r'\frac{a_i}{b_j} * `c` | "d" <e> & [f]', "", title='A "b" <c> *d*')
    tag = link("i", target, "x/")
    tex = tag.split('data-pb-tex="')[1].split('">')[0]
    title = tag.split('data-pb-title="')[1].split('" ')[0]
    assert html.unescape(tex) == target.formula and html.unescape(title) == target.title
    assert not (set(tex) | set(title)) & set("\\`*_[]<>|{}\"")
    assert " title=" not in tag


def test_unknown_ids_are_reported_with_lines() -> None:
    """Every unknown id is listed with its line and left as written."""
    fixed = fix_refs("ok [[trace-ab-grad]]\n\nbad [[trace-ab-gard]]\n![[nope]]", "./", TARGETS)
    assert fixed.unknown == [(3, "trace-ab-gard"), (4, "nope")]
    assert fixed.markdown.endswith("bad [[trace-ab-gard]]\n![[nope]]")


def test_embed_not_alone_on_its_line_is_a_reference() -> None:
    """An inline embed renders as a reference and is reported as misplaced."""
    fixed = fix_refs("first\nsee ![[trace-ab-grad]] here", "./", TARGETS)
    assert fixed.markdown == f"first\nsee {ref()} here"
    assert fixed.misplaced == [2]


def test_embeds_inside_an_embed_are_references() -> None:
    """A block that embeds itself cannot recurse forever."""
    targets = {"a": Target("1.1", "h/", "x", "A\n![[a]]\n")}
    assert fix_refs("![[a]]", "h/", targets).markdown == f"\nA\n{link('a', targets['a'], 'h/')}\n\n"


def test_sub_outside_code() -> None:
    """Substitution skips code spans and fences."""
    text = "<b> `<b>`\n```\n<b>\n```\n<b>"
    assert sub_outside_code("<", lambda _: "&lt;", text) == "&lt;b> `<b>`\n```\n<b>\n```\n&lt;b>"


@pytest.mark.parametrize(("ident", "expected"), [
    # a typo: the closest id is suggested
    ("trace-ab-gard", "docs/index.md:12: unknown proofbook reference 'trace-ab-gard' (did you mean 'trace-ab-grad'?)"),
    # nothing close: no suggestion
    ("zzz", "docs/index.md:12: unknown proofbook reference 'zzz'"),
])
def test_unknown_message(ident: str, expected: str) -> None:
    """The error text names page, line and id, with a suggestion when one is close."""
    assert unknown_message("docs/index.md:12", ident, TARGETS) == expected


def test_misplaced_message() -> None:
    """The warning text says what to do."""
    assert misplaced_message("docs/a.md:3") == (
        "docs/a.md:3: an embed ![[...]] must stand alone at the start of a line; "
        "it was rendered as a reference")
