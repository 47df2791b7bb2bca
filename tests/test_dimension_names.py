"""Uppercase dimension names (``size: [N, N]``, as statistics writes them) work end to end:
loading, parsing, every verification method and the formal every-size proof."""

from __future__ import annotations

import re
from pathlib import Path

from proofbook.errors import Location
from proofbook.model import Source, SymbolDecl
from proofbook.registry.load import load_registry
from proofbook.render.levels import level_words
from proofbook.verify.claims import Claim
from proofbook.verify.engine import verify_claim

SYMBOLS = (SymbolDecl("A", "matrix", ("N", "N")), SymbolDecl("B", "matrix", ("N", "N")),
           SymbolDecl("M", "matrix", ("N", "m")), SymbolDecl("c", "scalar"))


def claim(lhs: str, rhs: str) -> Claim:
    """A claim declaring the symbols of SYMBOLS that it uses (so N may be its only dimension)."""
    here = Location("test.yml", 1, 1)
    used = tuple(d for d in SYMBOLS if re.search(rf"\b{d.name}\b", lhs + rhs))
    return Claim("test", "statement", used, Source(lhs, here), Source(rhs, here))


def test_registry_accepts_an_uppercase_dimension(tmp_path: Path) -> None:
    """size: [N, N] loads, and the dimension keeps its name."""
    (tmp_path / "01-stats.yml").write_text(
        "chapter: Statistics\nsource: S\nentries:\n  - id: e1\n    title: T\n    symbols:\n"
        "      X: {kind: matrix, size: [N, p]}\n    lhs: trace(X.T*X)\n    rhs: trace(X*X.T)\n")
    entry = load_registry([tmp_path]).chapters[0].entries[0]
    assert entry.symbols[0].shape == ("N", "p")


def test_true_identity_with_dimension_n_is_proved_for_every_size() -> None:
    """Tr(AB) = Tr(BA) with N x N matrices: tested at several sizes of N, formally proved; the
    badge and the account name N, not n."""
    result = verify_claim(claim("trace(A*B)", "trace(B*A)"))
    assert result.status == "verified" and result.level == "proved", result.describe()
    assert "of N)" in result.describe() and "for each N = 2" in result.describe()
    assert level_words(result, ["N"]) == "proved for every N"


def test_true_identity_using_the_dimension_as_a_scalar() -> None:
    """det(cA) = c**N det(A), with the uppercase dimension as an exponent, and a rectangular M."""
    result = verify_claim(claim("det(c*A)*trace(M*M.T)", "c**N*det(A)*trace(M.T*M)"))
    assert result.status == "verified", result.describe()


def test_false_identity_with_dimension_n_gets_a_counterexample_at_a_size_of_n() -> None:
    """(AB)^T = A^T B^T is false; the counterexample names N."""
    result = verify_claim(claim("(A*B).T", "A.T*B.T"))
    assert result.status == "false"
    assert "at N = 2 with A = [[" in result.describe()


def test_false_scaling_of_a_determinant_with_dimension_n() -> None:
    """det(2A) = 2 det(A) holds at N = 1 only: refused."""
    result = verify_claim(claim("det(2*A)", "2*det(A)"))
    assert result.status == "false" and "N = 2" in result.describe()
