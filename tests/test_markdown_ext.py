"""The Markdown extension (``markdown_extensions: [proofbook]``), hosted by MkDocs without the
plugin: pages place the handbook's parts, references resolve, and any problem fails the build
with proofbook's message.  Zensical and ProperDocs build it too (test_zensical, test_properdocs).
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import markdown
import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from proofbook.adapters import markdown as extension
from proofbook.render.placement import directives, page_url, without_front_matter

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "zensical"
#: Small sizes and one worker: these tests are about pages, not about the verifier.
FAST = {"exact_sizes": [1], "random_sizes": [1, 2], "points": 1, "numeric_sizes": [3],
        "numeric_points": 1, "jobs": 1}

Site = Callable[..., Path]


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One result cache for every site of the session: each build verifies only what changed."""
    return tmp_path_factory.mktemp("proofbook-cache")


@pytest.fixture
def make_site(tmp_path: Path, shared_cache: Path, monkeypatch: pytest.MonkeyPatch) -> Site:
    """``make_site(pages={...}, **options)``: an MkDocs site with the example's registry and the
    extension, in ``tmp_path`` (also the working directory, so messages show relative paths)."""
    monkeypatch.chdir(tmp_path)

    def make(pages: dict[str, str] | None = None, registry: dict[str, str] | None = None,
             use_directory_urls: bool = True, **options: object) -> Path:
        shutil.copytree(EXAMPLE / "registry", tmp_path / "registry")
        for name, text in (registry or {}).items():
            (tmp_path / "registry" / name).write_text(text, encoding="utf-8")
        for name, text in (pages or dict(EXAMPLE_PAGES)).items():
            path = tmp_path / "docs" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        config = {"site_name": "Example", "use_directory_urls": use_directory_urls,
                  "markdown_extensions": ["toc", "md_in_html", "attr_list",
                                          {"proofbook": {**FAST, "cache_dir": str(shared_cache), **options}}]}
        path = tmp_path / "mkdocs.yml"
        path.write_text(yaml.safe_dump(config), encoding="utf-8")
        return path

    return make


def example_pages() -> dict[str, str]:
    """The Zensical example's pages, by path below docs/."""
    docs = EXAMPLE / "docs"
    return {p.relative_to(docs).as_posix(): p.read_text(encoding="utf-8") for p in sorted(docs.rglob("*.md"))}


EXAMPLE_PAGES = example_pages()


def build_site(config_file: Path) -> Path:
    """``mkdocs build`` of the site; its output folder."""
    build(load_config(str(config_file)))
    return config_file.parent / "site"


def build_error(config_file: Path, caplog: pytest.LogCaptureFixture) -> str:
    """The message of a failing ``mkdocs build``: MkDocs logs the PluginError and aborts."""
    with caplog.at_level(logging.ERROR), pytest.raises(Abort):
        build_site(config_file)
    return "\n".join(r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR)


def html(site: Path, page: str) -> str:
    return (site / page).read_text(encoding="utf-8")


# -- pages --------------------------------------------------------------------------------------

def test_chapter_pages_hold_numbered_formulas_and_badges(make_site: Site) -> None:
    """A ``proofbook-chapter`` line becomes the chapter: heading, formulas, badges, proofs."""
    site = build_site(make_site())
    page = html(site, "handbook/matrix-derivatives/index.html")
    assert "1. Matrix derivatives</h1>" in page
    for ident, number in [("trace-ab-grad", "1.1"), ("trace-ba-grad", "1.2"), ("log-det-grad", "1.4")]:
        assert f'id="{ident}"' in page
        assert f"<span class=\"pb-eqno\">({number})</span>" in page
    assert page.count('class="pb-badge pb-verified') == 4
    assert '<details class="note pb-proof"' in page
    assert "proofbook-chapter" not in page


def test_references_and_embeds_link_relative_to_the_page(make_site: Site) -> None:
    """``[[id]]`` links to the chapter's page from wherever it is; ``![[id]]`` embeds the block."""
    site = build_site(make_site())
    home = html(site, "index.html")
    assert 'href="handbook/matrix-derivatives/#trace-ab-grad"' in home
    assert ">the log-determinant gradient</a>" in home
    assert 'class="pb-entry pb-verified" id="trace-cyclic"' in home
    chapter = html(site, "handbook/matrix-derivatives/index.html")
    assert 'href="#trace-ab-grad"' in chapter  # the proof of (1.2) cites (1.1), on the same page


def test_index_and_graph_pages(make_site: Site) -> None:
    """The index links each chapter where the site placed it; the graph draws the proof edges."""
    site = build_site(make_site())
    index = html(site, "handbook/index.html")
    assert '<a href="matrix-derivatives/">1. Matrix derivatives</a>' in index
    assert '<a href="graph/">dependency graph</a>' in index
    assert "printable version" not in index  # the site has no print page
    graph = html(site, "handbook/graph/index.html")
    assert 'data-edge="trace-ab-grad trace-ba-grad"' in graph
    assert 'xlink:href="../matrix-derivatives/#trace-ab-grad"' in graph


def test_file_urls(make_site: Site) -> None:
    """With ``use_directory_urls: false`` links point at ``.html`` pages."""
    site = build_site(make_site(use_directory_urls=False))
    assert 'href="handbook/matrix-derivatives.html#trace-ab-grad"' in html(site, "index.html")


def test_directives_in_code_are_text(make_site: Site) -> None:
    """A directive or reference shown in a code block is left as written."""
    pages = dict(EXAMPLE_PAGES)
    pages["syntax.md"] = "# Syntax\n\n```\n!!! proofbook-chapter matrix-algebra\n[[trace-ab-grad]]\n```\n"
    site = build_site(make_site(pages=pages))
    page = html(site, "syntax/index.html")
    assert "!!! proofbook-chapter matrix-algebra\n[[trace-ab-grad]]" in page


# -- one verification per build -----------------------------------------------------------------

def test_verifies_once_per_build_and_again_after_an_edit(make_site: Site,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Every page gets its own Markdown instance; the registry is verified by the first only,
    not again by an unchanged rebuild, and again once a registry file changes."""
    calls: list[object] = []
    verify = extension.verified_registry

    def counting(*args: object, **kwargs: object) -> object:
        calls.append(args)
        return verify(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(extension, "verified_registry", counting)
    config = make_site()
    build_site(config)
    assert len(calls) == 1
    build_site(config)
    assert len(calls) == 1
    chapter = config.parent / "registry" / "02-matrix-algebra.yml"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace("Transpose of a product", "Transposes"),
                       encoding="utf-8")
    site = build_site(config)
    assert len(calls) == 2
    assert "Transposes" in html(site, "handbook/matrix-algebra/index.html")


# -- failures -----------------------------------------------------------------------------------

def test_false_identity_fails_the_build_with_proofbooks_message(make_site: Site,
                                                                 caplog: pytest.LogCaptureFixture) -> None:
    """A wrong right-hand side stops the host's build: file:line, entry, counterexample."""
    chapter = (EXAMPLE / "registry" / "01-matrix-derivatives.yml").read_text(encoding="utf-8")
    wrong = chapter.replace("    rhs: A*(B + B.T)", "    rhs: A*B")
    message = build_error(make_site(registry={"01-matrix-derivatives.yml": wrong}), caplog)
    assert "proofbook: 1 problem in the registry:" in message
    assert "registry/01-matrix-derivatives.yml:30:5: entry 'trace-abat-grad' (1.3) is false: exact at n = " in message


def test_inconclusive_fails_unless_allowed(make_site: Site, caplog: pytest.LogCaptureFixture) -> None:
    """A claim that runs out of time is inconclusive: the build fails, as with the plugin."""
    message = build_error(make_site(time_limit=0.001, cache=False), caplog)
    assert "is inconclusive" in message


@pytest.mark.parametrize(("page", "expected"), [
    # a typo in an id: the nearest id is suggested
    ("See [[trace-ab-gard]].\n", "docs/extra.md:1: unknown proofbook reference 'trace-ab-gard' "
                                  "(did you mean 'trace-ab-grad'?)"),
    # below front matter, which the host cuts before Python-Markdown sees the page
    ("---\ntitle: Extra\n---\n\nSee [[trace-ab-gard]].\n", "docs/extra.md:5: unknown proofbook reference"),
    # an unknown chapter slug
    ("# X\n\n!!! proofbook-chapter matrix-calculus\n",
     "docs/extra.md:3: unknown chapter 'matrix-calculus' in 'proofbook-chapter'; the registry's chapters "
     "are: matrix-derivatives, matrix-algebra."),
    # a chapter placed twice
    ("!!! proofbook-chapter matrix-algebra\n", "docs/handbook/matrix-algebra.md:1: the chapter "
     "'matrix-algebra' is placed a second time; it is already on docs/extra.md:1. Each part has one page."),
    # a misspelt part
    ("!!! proofbook-indx\n", "docs/extra.md:1: unknown proofbook directive 'proofbook-indx'; known: "
     "proofbook-chapter, proofbook-index, proofbook-graph, proofbook-notation, proofbook-print."),
])
def test_page_problems_name_file_and_line(make_site: Site, caplog: pytest.LogCaptureFixture,
                                          page: str, expected: str) -> None:
    pages = {**EXAMPLE_PAGES, "extra.md": page}
    assert expected in build_error(make_site(pages=pages), caplog)


def test_reference_to_a_chapter_on_no_page(make_site: Site, caplog: pytest.LogCaptureFixture) -> None:
    """An entry whose chapter no page places cannot be linked: the message says how to place it."""
    pages = {name: text for name, text in EXAMPLE_PAGES.items() if name != "handbook/matrix-algebra.md"}
    pages["index.md"] = "# Home\n\nUses [[transpose-of-product]].\n"
    pages["handbook/index.md"] = "# Only chapter 1\n"
    message = build_error(make_site(pages=pages), caplog)
    assert ("docs/index.md:3: proofbook reference 'transpose-of-product' (2.1) has no page to link to: its "
            "chapter 'matrix-algebra' is on no page. Add a line '!!! proofbook-chapter matrix-algebra' to a "
            "page, or embed the entry here with ![[transpose-of-product]].") in message


def test_an_embed_places_an_entry_of_an_unplaced_chapter(make_site: Site) -> None:
    """A page may embed an entry whose chapter has no page: its links point at the embed."""
    pages = {"index.md": "# Home\n\n![[transpose-of-product]]\n"}
    site = build_site(make_site(pages=pages))
    assert 'href="#transpose-of-product"' in html(site, "index.html")


# -- Python-Markdown on its own, and the pieces ---------------------------------------------------

def test_plain_python_markdown(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shared_cache: Path) -> None:
    """Without a host, paths are relative to the working directory and the page is the root."""
    shutil.copytree(EXAMPLE / "registry", tmp_path / "registry")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("!!! proofbook-chapter matrix-algebra\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    md = markdown.Markdown(extensions=["md_in_html", "proofbook"],
                           extension_configs={"proofbook": {**FAST, "cache_dir": str(shared_cache)}})
    out = md.convert("!!! proofbook-chapter matrix-algebra\n\nSee [[trace-cyclic]].")
    assert '<a class="pb-ref" href="#trace-cyclic"' in out
    assert 'id="transpose-of-product"' in out


@pytest.mark.parametrize(("src", "directory", "url"), [
    ("index.md", True, ""),
    ("a/index.md", True, "a/"),
    ("a/README.md", True, "a/"),
    ("a/b.md", True, "a/b/"),
    ("a/b.md", False, "a/b.html"),
    ("a/index.md", False, "a/index.html"),
    ("a/README.md", False, "a/index.html"),
])
def test_page_urls_follow_mkdocs_and_zensical(src: str, directory: bool, url: str) -> None:
    assert page_url(src, directory) == url


def test_directive_lines() -> None:
    """Directives are whole lines; indented or in code they are not directives."""
    text = "!!! proofbook-index\n  !!! proofbook-graph\n`!!! proofbook-notation`\n!!! proofbook-chapter x \n"
    assert [(d.kind, d.arg, d.line) for d in directives(text)] == [("index", None, 1), ("chapter", "x", 4)]


def test_front_matter_is_dropped_from_a_part() -> None:
    assert without_front_matter('---\ntitle: "1. A"\n---\n\n# 1. A\n') == "# 1. A\n"


def test_registry_paths_are_relative_to_the_configuration(make_site: Site, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """``mkdocs build -f other/mkdocs.yml``: the registry is found next to the configuration."""
    config = make_site()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    site = build_site(Path(os.path.relpath(config, elsewhere)))
    assert (site / "handbook" / "matrix-algebra" / "index.html").exists()


def test_a_page_that_gains_a_chapter_moves_its_links_without_verifying_again(
        make_site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    """As under ``serve``: a chapter moves to another page; links follow, the registry is not
    verified again."""
    calls: list[object] = []
    verify = extension.verified_registry
    monkeypatch.setattr(extension, "verified_registry",
                        lambda *a, **k: calls.append(a) or verify(*a, **k))  # type: ignore[arg-type, func-returns-value]
    config = make_site()
    build_site(config)
    docs = config.parent / "docs"
    (docs / "handbook" / "matrix-derivatives.md").unlink()
    (docs / "derivatives.md").write_text("# Derivatives\n\n!!! proofbook-chapter matrix-derivatives\n", encoding="utf-8")
    site = build_site(config)
    assert len(calls) == 1
    assert 'href="derivatives/#trace-ab-grad"' in html(site, "index.html")
    assert '<h2 class="pb-chapter" id="pb-print-matrix-derivatives">1. Matrix derivatives' in html(site, "derivatives/index.html")


def test_print_and_notation_parts(make_site: Site) -> None:
    """The print page links to its own copies, proofs open; the notation page lists the symbols."""
    pages = {**EXAMPLE_PAGES, "print.md": "!!! proofbook-print\n", "notation.md": "!!! proofbook-notation\n"}
    site = build_site(make_site(pages=pages))
    printable = html(site, "print/index.html")
    assert 'href="#trace-ab-grad"' in printable and "handbook/matrix-derivatives/#" not in printable
    assert '<details class="note pb-proof" open="open">' in printable
    assert "Symbols used in this handbook" in html(site, "notation/index.html")
    index = html(site, "handbook/index.html")
    assert '<a href="../notation/">notation</a>' in index and '<a href="../print/">printable version</a>' in index


def test_a_misplaced_embed_warns_so_that_strict_fails(make_site: Site, caplog: pytest.LogCaptureFixture) -> None:
    """The warning goes to MkDocs' plugin loggers, which ``--strict`` counts."""
    pages = {**EXAMPLE_PAGES, "extra.md": "Inline ![[trace-ab-grad]] here.\n"}
    with caplog.at_level(logging.WARNING):
        build_site(make_site(pages=pages))
    [record] = [r for r in caplog.records if "must stand alone" in r.getMessage()]
    assert record.name == "mkdocs.plugins.proofbook" and record.getMessage().startswith("docs/extra.md:1: ")


def test_bad_options_are_named(make_site: Site, caplog: pytest.LogCaptureFixture) -> None:
    """Options are checked as the plugin's are, with the extension named."""
    message = build_error(make_site(jobs=-1, exact_size=[1]), caplog)
    assert "proofbook Markdown extension option 'jobs': Expected a whole number from 0 to 256 but received: -1" in message
    assert "proofbook Markdown extension option 'exact_size': Unknown option. Did you mean 'exact_sizes'?" in message


def test_inconclusive_allowed_is_published_with_a_warning(make_site: Site, caplog: pytest.LogCaptureFixture) -> None:
    """``fail_on_inconclusive: false``: the page shows the inconclusive badge and a warning says
    why, through MkDocs' plugin logger (so ``--strict`` still fails)."""
    with caplog.at_level(logging.WARNING):
        site = build_site(make_site(time_limit=0.001, cache=False, fail_on_inconclusive=False))
    assert 'class="pb-badge pb-inconclusive' in html(site, "handbook/matrix-algebra/index.html")
    warnings = [r for r in caplog.records if r.name == "mkdocs.plugins.proofbook" and r.levelno == logging.WARNING]
    assert any("is inconclusive" in r.getMessage() for r in warnings)


def test_entry_blocks_need_md_in_html(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shared_cache: Path) -> None:
    """Without md_in_html an entry block would show its Markdown raw: the page fails, saying why;
    a page with references only does not need it."""
    shutil.copytree(EXAMPLE / "registry", tmp_path / "registry")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "algebra.md").write_text("!!! proofbook-chapter matrix-algebra\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    configs = {"proofbook": {**FAST, "cache_dir": str(shared_cache)}}
    assert "pb-ref" in markdown.Markdown(extensions=["proofbook"], extension_configs=configs).convert("[[trace-cyclic]]")
    with pytest.raises(extension.ProofbookBuildError, match=r"^docs/index\.md: proofbook: the handbook's entry "
                       r"blocks need the md_in_html Markdown extension; add md_in_html under markdown_extensions\.$"):
        markdown.Markdown(extensions=["proofbook"], extension_configs=configs).convert("![[trace-cyclic]]")
