"""Small registries shared by several test modules."""

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
