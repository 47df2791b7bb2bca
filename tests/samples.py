"""Small registries shared by several test modules."""

import shutil
from pathlib import Path

#: The repository's first three chapters (28 identities, 2 definitions): what the cache and
#: command-line tests check cold, so that their cost does not grow with the handbook.
SEED_CHAPTERS = ("01-matrix-derivatives.yml", "02-matrix-algebra.yml", "03-scalar-identities.yml")


def copy_seed_chapters(registry: Path, dest: Path) -> None:
    """Copy the chapters of ``SEED_CHAPTERS`` from the folder ``registry`` into ``dest``."""
    dest.mkdir(parents=True)
    for name in SEED_CHAPTERS:
        shutil.copy(registry / name, dest / name)

#: One false identity: the gradient of Tr(AB) is B^T, not B (fails for n >= 2).
WRONG = """\
chapter: Wrong
entries:
  - id: wrong-gradient
    title: A wrong gradient
    symbols:
      A: {kind: matrix, size: n}
      B: {kind: matrix, size: n}
    lhs: diff(trace(A*B), A)
    rhs: B
    source: a test
"""
