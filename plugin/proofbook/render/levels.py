"""Evidence levels in words a student understands: the badge's few words and its details.

The level (``model.Level``) says what was shown; the words must never claim more.  They name
the dimensions the entry declares (``d``, ``m``, ``p``), not a generic n, and the largest size
each method reached, taken from the evidence itself.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..model import Entry, Evidence, Level, Result

#: What each level guarantees, for the badge's details and the trust page.
MEANING: dict[Level, str] = {
    "proved": "Proved: the identity holds for every value of its symbols and, for matrices, for "
              "every size. A formal proof for symbolic sizes agreed with an exact test at a size "
              "large enough to catch identities that hold only for small matrices.",
    "proved-for-sizes": "Proved for the sizes listed: at those sizes the identity holds for every "
                        "value of its symbols. Larger sizes were tested, not proved.",
    "tested": "Tested: both sides were equal, exactly, at random points that satisfy the "
              "assumptions. A false identity passes such a test only with the tiny probability "
              "stated, but this is not a proof.",
    "numeric": "Checked numerically: both sides agree to many digits at random points. No exact "
               "method applied, so this is the weakest evidence.",
}


def dimensions(entry: Entry) -> list[str]:
    """The dimension names the entry declares, in order of first declaration."""
    names: dict[str, None] = {}
    for decl in entry.symbols:
        for dim in decl.shape or ():
            if isinstance(dim, str):
                names.setdefault(dim, None)
    return list(names)


def _listing(names: Sequence[str]) -> str:
    """``n``, ``m and n``, ``d, m and p``."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _largest(evidence: Sequence[Evidence], *methods: str) -> int | None:
    sizes = [n for e in evidence if e.method in methods for n in e.sizes]
    return max(sizes) if sizes else None


def _up_to(dims: Sequence[str], size: int | None) -> str:
    """``for n ≤ 8``, ``for m, n ≤ 8``; empty without dimensions or a size."""
    if not dims or size is None:
        return ""
    return f" for {', '.join(dims)} ≤ {size}"


def level_words(result: Result, dims: Sequence[str]) -> str:
    """The badge's few words for a verified result: ``proved for every n``, ``tested for n ≤ 8``."""
    evidence = result.evidence
    tested = _up_to(dims, _largest(evidence, "randomized", "numeric"))
    match result.level:
        case "proved":
            return f"proved for every {_listing(dims)}" if dims else "proved"
        case "proved-for-sizes":
            proved = _up_to(dims, _largest(evidence, "symbolic")) or " for the sizes listed"
            return f"proved{proved}, tested{tested}" if tested else f"proved{proved}"
        case "tested":
            return f"tested{tested}" if tested else "tested at exact random points"
        case _:
            return f"numeric check only{tested}"


def level_details(result: Result) -> list[str]:
    """The details one click away: what the level means, then each method's own account."""
    meaning = [MEANING[result.level]] if result.level else []
    return [*meaning, *(e.summary for e in result.evidence)]
