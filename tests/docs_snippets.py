"""The code blocks of the docs that tests run, so a page shows what is tested.

A block is marked by an HTML comment on the line before its fence: ``<!-- test: NAME -->``.
"""

from __future__ import annotations

import re
from pathlib import Path

DOCS = Path(__file__).resolve().parent.parent / "docs"

_BLOCK = re.compile(r"^<!-- test: (?P<name>[a-z-]+) -->\n```[a-z]*\n(?P<body>.*?)^```$", re.MULTILINE | re.DOTALL)


def snippet(name: str, page: str = "migrating.md") -> str:
    """The text of the block marked ``name`` on ``page`` (a file of docs/)."""
    text = (DOCS / page).read_text(encoding="utf-8")
    blocks = {m.group("name"): m.group("body") for m in _BLOCK.finditer(text)}
    return blocks[name]


def commands(name: str) -> list[str]:
    """The command lines of a marked shell block of migrating.md, without the ``pip install``
    a test does itself."""
    return [line for line in snippet(name).splitlines() if line.strip() and not line.startswith("pip ")]
