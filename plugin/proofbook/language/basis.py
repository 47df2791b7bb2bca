"""Positions of standard basis vectors as a declaration writes them (``basis: 1``,
``basis: n``, ``basis: n - 1``), kept free of SymPy so the loader can check them."""

from __future__ import annotations

import re

#: The largest fixed position into a dimension the verifier chooses (n): its sizes start at
#: this position, and the smallest sizes are where most counterexamples live.
MAX_FIXED_POSITION = 6

#: A basis position as a declaration writes it: 3, n, or n - 1.
_BASIS = re.compile(r"\s*([A-Za-z][A-Za-z0-9]*)\s*(?:-\s*([0-9]{1,6}))?\s*")


def parse_basis(basis: int | str) -> tuple[str | None, int]:
    """A declared basis position as (dimension name or None, offset): 3 is (None, 3), n is
    ("n", 0), n - 1 is ("n", 1); ValueError for anything else."""
    if isinstance(basis, int):
        return None, basis
    match = _BASIS.fullmatch(basis)
    if match is None:
        raise ValueError(basis)
    return match.group(1), int(match.group(2) or 0)


def ordinal(basis: int | str) -> str:
    """The position as a reader says it: 1st, 2nd, 3rd, 11th, n-th, (n - 1)-th."""
    name, k = parse_basis(basis)
    if name is not None:
        return f"{name}-th" if k == 0 else f"({name} - {k})-th"
    suffix = "th" if 10 <= k % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(k % 10, "th")
    return f"{k}{suffix}"
