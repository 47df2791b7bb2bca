"""The handbook's own registry: it verifies, chapter 1 is the seed sheet, it is large enough,
every entry is attributed, and every correction states the version it corrects."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from proofbook.cache import ResultCache
from proofbook.cachekey import default_cache_dir
from proofbook.check import CheckOptions, check_registry
from proofbook.model import Registry
from proofbook.registry.load import load_registry

REPO = Path(__file__).resolve().parent.parent

#: The seed sheet (Chainais, after Bishop 2006, pp. 697-698), equations (1) to (13) in order.
SEED = [
    "grad-scalar-by-vector", "jacobian-vector-by-vector", "grad-linear-form",
    "product-rule-matrix", "inverse-derivative", "log-det-derivative", "trace-ab-entry",
    "trace-ab-grad", "trace-atb-grad", "trace-grad", "trace-abat-grad", "trace-abatc-grad",
    "log-det-grad",
]
SEED_STATEMENTS = {
    "trace-ab-grad": ("diff(trace(A*B), A)", "B.T"),
    "trace-abat-grad": ("diff(trace(A*B*A.T), A)", "A*(B + B.T)"),
    "trace-abatc-grad": ("diff(trace(A*B*A.T*C), A)", "C.T*A*B.T + C*A*B"),
    "log-det-grad": ("diff(log(det(A)), A)", "inv(A).T"),
    "inverse-derivative": ("diff(inv(A), x)", "-inv(A)*diff(A, x)*inv(A)"),
}


def _shows_common_version(notes: str | None) -> bool:
    """Correction notes introduce the misprinted formula with "Common version"."""
    return re.search(r"Common\s+version", notes or "") is not None


@pytest.fixture(scope="module")
def registry() -> Registry:
    return load_registry([REPO / "registry"])


def test_the_whole_registry_verifies(registry: Registry) -> None:
    """Default verifier settings, two workers, the session's verdict cache (the first test that
    needs the repository's registry verifies it cold; its verdicts serve the others)."""
    report = check_registry(registry, CheckOptions(jobs=2),
                            cache=ResultCache(default_cache_dir(REPO)))
    assert report.problems() == []
    assert report.counts()["false"] == 0 and report.counts()["inconclusive"] == 0


def test_chapter_one_is_the_seed_sheet(registry: Registry) -> None:
    first = registry.chapters[0]
    assert first.title == "Matrix derivatives"
    assert [e.id for e in first.entries] == SEED
    for k, entry in enumerate(first.entries, start=1):
        assert entry.source.startswith("Bishop 2006"), entry.id
        assert entry.source.endswith(f"(Chainais sheet, eq. {k})"), entry.id
    by_id = registry.by_id()
    for ident, statement in SEED_STATEMENTS.items():
        assert tuple(s.text for s in by_id[ident].statement) == statement


def test_size_of_the_registry(registry: Registry) -> None:
    identities = [e for e in registry.entries if e.kind == "identity"]
    assert len(registry.chapters) >= 8
    assert len(identities) >= 150
    assert all(c.entries for c in registry.chapters)


def test_every_entry_has_a_source(registry: Registry) -> None:
    missing = [e.id for e in registry.entries if not (e.source or "").strip()]
    assert missing == []


def test_matrix_cookbook_sources_name_the_version_and_equation(registry: Registry) -> None:
    """New chapters cite the Cookbook by edition, and by equation or section."""
    for chapter in registry.chapters[3:]:
        for entry in chapter.entries:
            if "Matrix Cookbook" in entry.source:
                assert "version of November 15, 2012" in entry.source, entry.id
                assert re.search(r"eqs?\. \(\d+\)|Sec\. \d", entry.source), entry.id


def test_corrections_state_the_common_version(registry: Registry) -> None:
    corrections = [e for e in registry.entries if "correction" in e.tags]
    assert len(corrections) >= 10
    for entry in corrections:
        assert entry.kind == "identity", entry.id
        assert _shows_common_version(entry.notes), entry.id
    # ... and every entry whose notes show a common version is tagged, so the corrections
    # page generated from the tag misses none.
    untagged = [e.id for e in registry.entries
                if _shows_common_version(e.notes) and "correction" not in e.tags]
    assert untagged == []


def test_assumptions_are_declared_where_corrections_need_them(registry: Registry) -> None:
    """The assumption a correction is about is part of the entry, not only of its notes."""
    by_id = registry.by_id()
    needs = {
        "quadratic-form-grad-symmetric": ("S", "symmetric"),
        "grad-weighted-residual-by-s": ("W", "symmetric"),
        "trace-inv-xtcx-a-grad": ("C", "symmetric"),
        "trace-rayleigh-quotient-grad": ("B", "symmetric"),
        "trace-regularised-rayleigh-grad": ("A", "symmetric"),
        "log-det-of-product-positive-definite": ("A", "positive_definite"),
        "arctangent-reciprocal": ("x", "positive"),
        "square-root-of-product": ("y", "nonnegative"),
    }
    for ident, (name, assumption) in needs.items():
        decl = {d.name: d for d in by_id[ident].symbols}[name]
        assert assumption in decl.assume, ident
