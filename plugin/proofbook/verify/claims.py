"""What the verifier is asked (a ``Claim``) and how hard it tries (``Settings``).

Kept apart from the engine so the plugin can build claims and cache keys without SymPy.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass

from ..cache import source_digest
from ..model import Source, SymbolDecl


@dataclass(frozen=True)
class Settings:
    """How hard to check; the plugin and the CLI fill this from their options."""

    exact_sizes: tuple[int, ...] = (1, 2)
    random_sizes: tuple[int, ...] = (1, 2, 3, 4)
    #: The exact test also runs above ``random_sizes``: at a size above the claim's degree
    #: bound, never below this one.
    least_top_size: int = 6
    points: int = 2
    numeric_sizes: tuple[int, ...] = (5,)
    numeric_points: int = 2
    digits: int = 50
    symbolic_budget: float = 8.0


@dataclass(frozen=True)
class Claim:
    """``lhs = rhs`` for one entry: its statement (or one link of a chain) or a proof step."""

    entry_id: str
    label: str
    symbols: tuple[SymbolDecl, ...]
    lhs: Source
    rhs: Source

    def key(self, settings: Settings) -> str:
        """Cache key: what decides the verdict (not where the text sits in its file)."""
        symbols = [(d.name, d.kind, d.shape, d.assume, d.of, d.basis) for d in self.symbols]
        blob = json.dumps([source_digest("verify", "language"), self.entry_id, self.label, symbols,
                           self.lhs.text, self.rhs.text, asdict(settings)], default=str)
        return hashlib.sha256(blob.encode()).hexdigest()
