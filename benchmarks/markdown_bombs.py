"""Registry Markdown that used to cost quadratic time, through the old path and the new one.

    python benchmarks/markdown_bombs.py

For each bomb (a unit repeated up to a length), three figures: the site's own Markdown
(mkdocs.yml's extensions), which is how notes used to be rendered; the reference pattern as it
was (``[[id|text]]`` with text that could run past other references); and proofbook's registry
renderer with reference resolution (``render.sanitize`` and ``render.refs``), as notes are
rendered now.  5,000 characters is the length limit of a note; 32,000 is the bomb of the issue
"Untrusted registries", now refused by the schema.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import markdown
from mkdocs.config import load_config

from proofbook.render.refs import Target, fix_refs
from proofbook.render.sanitize import markdown_html

ROOT = Path(__file__).resolve().parent.parent
OLD_REFERENCE = r"(?P<bang>!?)\[\[(?P<id>[a-z0-9]+(?:-[a-z0-9]+)*)(?:\|(?P<text>(?:(?!\]\])[^\n])+))?\]\]"
BOMBS = [("[[a|", 5000), ("[", 5000), ("![", 5000), ("\\(", 5000), ("[[a|", 32000)]


def seconds(work: object, *args: object) -> float:
    started = time.perf_counter()
    work(*args)  # type: ignore[operator]
    return time.perf_counter() - started


def main() -> None:
    config = load_config(str(ROOT / "mkdocs.yml"))

    def site(text: str) -> str:
        return markdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs).convert(text)

    def now(text: str) -> None:
        fix_refs(markdown_html(text), "a/", {"a": Target("1.1", "a/", "x", "block")})

    print("| bomb | length | site Markdown (old) | old reference pattern | now |")
    print("|---|---:|---:|---:|---:|")
    for unit, length in BOMBS:
        text = (unit * length)[:length]
        old, pattern = seconds(site, text), seconds(re.findall, OLD_REFERENCE, text)
        print(f"| `{unit}` | {length:,} | {old:.2f} s | {pattern:.2f} s | {seconds(now, text):.3f} s |")


if __name__ == "__main__":
    main()
