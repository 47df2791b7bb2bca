"""Shared fixtures for the MkDocs plugin tests.

* ``markdown_to_html``: Python-Markdown with the repo site's own extensions (from mkdocs.yml),
  to check that generated Markdown survives them, without building a site.
* ``small_registry``, ``small_pages``: the small site's files (name -> text), fresh copies that a
  test may change to break the site.
* ``make_site``: writes a small site (mkdocs.yml inheriting the repo's, docs/, registry/) into
  a folder and returns its config file.
* ``build_site``: builds like ``mkdocs build [--strict]``.
* ``small_site`` (session): the small site built once with ``--strict``; its output is shared.
* ``repo_site`` (session): the repository's own site built once with ``--strict``.

Small sites verify at small sizes with one worker, and share one result cache, so a build
only verifies what a test changed.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import markdown
import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig

REPO = Path(__file__).resolve().parent.parent

#: Chapter 1 of the small site: a definition, a proof citing an entry, the (1.12)-like identity.
TRACES = r"""chapter: Traces
intro: Gradients of traces, after [[trace-ab-grad]].
source: Bishop 2006, Appendix C
entries:
  - id: grad-def
    title: Derivative of a scalar by a vector
    kind: definition
    symbols:
      x: scalar
      a: {kind: vector, size: n}
      i: {kind: index, size: n}
    lhs: diff(x, a)[i]
    rhs: diff(x, a[i])

  - id: trace-ab-grad
    title: Gradient of Tr(AB)
    symbols:
      A: {kind: matrix, size: n}
      B: {kind: matrix, size: n}
    lhs: diff(trace(A*B), A)
    rhs: B.T
    tags: [trace, gradient]

  - id: trace-atb-grad
    title: Gradient of Tr(AᵀB)
    symbols:
      A: {kind: matrix, size: n}
      B: {kind: matrix, size: n}
    lhs: diff(trace(A.T*B), A)
    rhs: B
    proof:
      - step: diff(trace(B.T*A), A)
        rule: transpose
        note: $\operatorname{Tr}(X) = \operatorname{Tr}(X^T)$ for $a_i < b_j$.
      - step: B.T.T
        by: trace-ab-grad
      - step: B
        rule: transpose

  - id: trace-abatc-grad
    title: Gradient of Tr(ABAᵀC)
    symbols:
      A: {kind: matrix, size: n}
      B: {kind: matrix, size: n}
      C: {kind: matrix, size: n}
    lhs: diff(trace(A*B*A.T*C), A)
    rhs: C.T*A*B.T + C*A*B
"""

#: Chapter 2: user text that must never become markup.
SCALARS = r"""chapter: Scalars <em>too</em>
source: "<script>alert('source')</script>"
entries:
  - id: square-of-sum
    title: Square of a sum
    symbols: {x: scalar, y: scalar}
    lhs: (x + y)**2
    rhs: x**2 + 2*x*y + y**2

  - id: hostile
    title: "<script>alert('title')</script> & *stars* [x]"
    symbols: {x: scalar, y: scalar}
    lhs: (x + y)**2 - 2*x*y
    rhs: x**2 + y**2
    notes: "Markdown *works*, raw <script>alert('notes')</script> does not; `<kbd>` is code."
    tags: ["<script>"]
    proof:
      - step: x**2 + 2*x*y + y**2 - 2*x*y
        by: square-of-sum
      - step: x**2 + y**2
        rule: algebra
"""

SMALL_REGISTRY = {"01-traces.yml": TRACES, "02-scalars.yml": SCALARS}

#: The small site's home page; line 3 cites (1.2), line 5 embeds (1.3).
HOME = """# Home

See [[trace-ab-grad]] and [[hostile|the hostile one]].

![[trace-atb-grad]]

Code stays: `[[not-an-entry]]`.
"""

SMALL_PAGES = {"index.md": HOME, "sub/page.md": "# Sub\n\nBy [[trace-ab-grad]].\n"}

#: The small site's plugin options: small sizes and one worker, to keep tests fast.
FAST = {"jobs": 1, "exact_sizes": [1], "random_sizes": [1, 2], "points": 1, "numeric_sizes": [3],
        "numeric_points": 1}
NAV = [{"Home": "index.md"}, {"Sub": "sub/page.md"}]


@pytest.fixture(scope="session", autouse=True)
def user_cache_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The user cache folder (cache signing key) of the whole session: a temporary one, never the
    user's own, and no signing secret from the environment.  Every build and check that uses
    the default cache shares one folder (``PROOFBOOK_CACHE_DIR``, as CI sets it), wherever its
    project lies: the repository's registry, copied into many test folders, is verified once
    per session, not once per copy.  Tests of the cache itself name folders of their own."""
    home = tmp_path_factory.mktemp("user-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(home))
        patch.delenv("PROOFBOOK_CACHE_KEY", raising=False)
        patch.setenv("PROOFBOOK_CACHE_DIR", str(home / "shared-verdicts"))
        yield home


@pytest.fixture(scope="session")
def markdown_to_html() -> Callable[[str], str]:
    """Convert Markdown as the repo site does (its markdown_extensions and their options)."""
    config = load_config(str(REPO / "mkdocs.yml"))

    def convert(text: str) -> str:
        return markdown.Markdown(extensions=config.markdown_extensions,
                                 extension_configs=config.mdx_configs).convert(text)

    return convert


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One result cache for every small site: a build verifies only what its test changed."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture
def small_registry() -> dict[str, str]:
    """The small site's registry files, to change."""
    return dict(SMALL_REGISTRY)


@pytest.fixture
def small_pages() -> dict[str, str]:
    """The small site's pages (path below docs/), to change."""
    return dict(SMALL_PAGES)


SiteFactory = Callable[..., Path]
Builder = Callable[..., MkDocsConfig]


@pytest.fixture(scope="session")
def make_site(shared_cache: Path) -> SiteFactory:
    """``make_site(folder, registry=, pages=, nav=, **options)`` writes a small site; returns its mkdocs.yml.

    The config inherits the repo's mkdocs.yml (theme, Markdown extensions); it is written as
    JSON, which is YAML too.
    """
    def write(folder: Path, registry: dict[str, str] | None = None, pages: dict[str, str] | None = None,
              nav: list[object] = NAV, **options: object) -> Path:
        plugin = {**FAST, "cache_dir": str(shared_cache), **options}
        config = {"INHERIT": str(REPO / "mkdocs.yml"), "site_name": "small", "nav": nav,
                  "plugins": [{"proofbook": plugin}]}
        files = {**{f"registry/{n}": t for n, t in (registry or SMALL_REGISTRY).items()},
                 **{f"docs/{n}": t for n, t in (pages or SMALL_PAGES).items()},
                 "mkdocs.yml": json.dumps(config, indent=2)}
        for name, text in files.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(text, encoding="utf-8")
        return folder / "mkdocs.yml"

    return write


@pytest.fixture(scope="session")
def build_site() -> Builder:
    """``build_site(config_file, site_dir, strict=True, **settings)`` builds as ``mkdocs build`` does,
    with ``settings`` (``site_url=...``) over the file's; returns the config."""
    def run(config_file: Path, site_dir: Path, strict: bool = True, **settings: object) -> MkDocsConfig:
        config = load_config(str(config_file), site_dir=str(site_dir), strict=strict, **settings)
        build(config)
        return config

    return run


@pytest.fixture(scope="session")
def small_site(make_site: SiteFactory, build_site: Builder,
               tmp_path_factory: pytest.TempPathFactory) -> MkDocsConfig:
    """The small site, built once with --strict; returns its config (``site_dir``: the output)."""
    folder = tmp_path_factory.mktemp("small")
    return build_site(make_site(folder), folder / "site")


@pytest.fixture(scope="session")
def repo_site(build_site: Builder, tmp_path_factory: pytest.TempPathFactory) -> MkDocsConfig:
    """The repository's site, built once with --strict into a temporary folder; returns its config."""
    return build_site(REPO / "mkdocs.yml", tmp_path_factory.mktemp("repo") / "site")
