"""Smaller things a reader or a host site meets: citations with and without ``site_url``, the
spellings of Markdown extensions, the warning without arithmatex, the serve error page's text,
and ``proofbook --help`` in plain words."""

from __future__ import annotations

import datetime
import html
import logging
import subprocess
import sys
from pathlib import Path

import pytest
from markdown.extensions.md_in_html import MarkdownInHtmlExtension

from conftest import Builder, SiteFactory
from proofbook.adapters.mkdocs.plugin import extension_name
from proofbook.model import Entry, EntryReport, Result, Source
from proofbook.render import pages
from proofbook.render.cite import NO_SITE_URL, SiteMeta, cite_block, citation
from proofbook.render.bibtex import bibtex_entry
from proofbook.errors import Location

HERE = Location("registry/01.yml", 3, 5)
ENTRY = Entry("trace-ab-grad", "Gradient of Tr(AB)", "identity", (), (Source("a", HERE), Source("b", HERE)),
              "Bishop 2006", HERE, "traces", "1.2")
REPORT = EntryReport(ENTRY, Result("verified", level="proved"), "a = b")
META = SiteMeta(title="Course sheet", authors=("Ada Lovelace", "Alan Turing"), version="2.1",
                url="https://notes.example.org/course/", date=datetime.date(2024, 5, 1),
                page_urls={"traces": "handbook/traces/"})
PERMALINK = "https://notes.example.org/course/handbook/traces/#trace-ab-grad"


def test_the_cite_box_gives_the_absolute_permalink() -> None:
    """With site_url the Cite box shows and links the permalink; the citation carries authors,
    title, version, year and the permalink; the BibTeX has url, author, year and version."""
    box = html.unescape(cite_block(REPORT, META))
    assert f'<p>Permalink: <a class="pb-absolute" href="{PERMALINK}">{PERMALINK}</a></p>' in box
    assert citation(ENTRY, META) == ("Ada Lovelace, Alan Turing. (1.2) Gradient of Tr(AB). In: Course sheet, "
                                     f"version 2.1, 2024-05-01. {PERMALINK}")
    record = bibtex_entry(REPORT, META)
    for field in (f"  url = {{{PERMALINK}}},", "  author = {Ada Lovelace and Alan Turing},",
                  "  year = {2024},", "  version = {2.1},"):
        assert field in record


def test_without_site_url_the_cite_box_has_a_path_and_the_build_says_how_once(
        make_site: SiteFactory, build_site: Builder, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """No site_url: a path below the site root, no permalink line, and one notice naming site_url."""
    relative = SiteMeta(title="Course sheet", page_urls={"traces": "handbook/traces/"})
    box = html.unescape(cite_block(REPORT, relative))
    assert "<p>Permalink:" not in box and "handbook/traces/#trace-ab-grad" in box
    with caplog.at_level(logging.INFO):
        build_site(make_site(tmp_path), tmp_path / "site")
    assert caplog.text.count(NO_SITE_URL) == 1


@pytest.mark.parametrize(("written", "name"), [
    # the short name, the dotted module, the module with its class, an instance
    ("md_in_html", "md_in_html"),
    ("markdown.extensions.md_in_html", "md_in_html"),
    ("markdown.extensions.md_in_html:MarkdownInHtmlExtension", "md_in_html"),
    (MarkdownInHtmlExtension(), "md_in_html"),
    # pymdownx extensions keep their package
    ("pymdownx.arithmatex", "pymdownx.arithmatex"),
])
def test_every_spelling_of_an_extension_is_recognised(written: object, name: str) -> None:
    """mkdocs.yml may name an extension in several ways; each counts."""
    assert extension_name(written) == name


def test_the_dotted_md_in_html_builds_and_a_missing_arithmatex_warns(
        make_site: SiteFactory, build_site: Builder, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """A site spelling md_in_html as a module builds; without arithmatex the build says what
    it costs and how to add it."""
    config_file = make_site(tmp_path)
    text = config_file.read_text(encoding="utf-8")
    extensions = ('"markdown_extensions": ["markdown.extensions.md_in_html", "admonition", "pymdownx.details", '
                  '"pymdownx.superfences"], ')
    config_file.write_text(text.replace('"site_name"', extensions + '"site_name"', 1), encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        build_site(config_file, tmp_path / "site", strict=False)
    assert "without pymdownx.arithmatex; add it under markdown_extensions in mkdocs.yml" in caplog.text
    assert (tmp_path / "site" / "handbook" / "traces" / "index.html").exists()


def test_the_serve_banner_shows_the_problems_as_text() -> None:
    """The banner quotes the problems verbatim, as text: a hostile message stays text."""
    banner = pages.failure_banner("registry/01.yml:12:5: entry 'x' (1.2) is false: lhs = <b>1</b>")
    assert banner.startswith('<div class="pb-failure" role="alert">')
    assert "<pre>registry/01.yml:12:5: entry 'x' (1.2) is false: lhs = &lt;b&gt;1&lt;/b&gt;</pre>" in banner


def test_help_is_plain_text() -> None:
    """``proofbook --help`` shows no reStructuredText markup."""
    program = Path(sys.executable).with_name("proofbook")
    shown = subprocess.run([str(program), "--help"], check=True, capture_output=True, text=True).stdout
    assert "``" not in shown and ":func:" not in shown and "Check a proofbook registry" in shown
