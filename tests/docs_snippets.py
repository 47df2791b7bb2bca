"""The code blocks of docs/migrating.md that tests run, so the page shows what is tested.

A block is marked by an HTML comment on the line before its fence: ``<!-- test: NAME -->``.
"""

from __future__ import annotations

import re
from pathlib import Path

PAGE = Path(__file__).resolve().parent.parent / "docs" / "migrating.md"

_BLOCK = re.compile(r"^<!-- test: (?P<name>[a-z-]+) -->\n```[a-z]*\n(?P<body>.*?)^```$", re.MULTILINE | re.DOTALL)


def snippet(name: str) -> str:
    """The text of the block marked ``name``."""
    blocks = {m.group("name"): m.group("body") for m in _BLOCK.finditer(PAGE.read_text(encoding="utf-8"))}
    return blocks[name]


def commands(name: str) -> list[str]:
    """The command lines of a marked shell block, without the ``pip install`` a test does itself."""
    return [line for line in snippet(name).splitlines() if line.strip() and not line.startswith("pip ")]
