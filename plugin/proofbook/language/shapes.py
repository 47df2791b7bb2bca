"""Shapes as text (``("n", "n")``, ``None`` for a scalar): what the cache keeps of a compiled
expression, so that every run compares the shapes of an entry's lines without SymPy."""

from __future__ import annotations

ShapeText = tuple[str, str] | None


def is_scalarlike(shape: ShapeText) -> bool:
    """A scalar, or a 1 x 1 matrix such as ``a.T*x``."""
    return shape is None or shape == ("1", "1")


def describe(shape: ShapeText) -> str:
    """Shapes as a reader says them: 'a scalar', 'an n x 1 vector', 'an m x n matrix'."""
    if shape is None:
        return "a scalar"
    rows, cols = shape
    if cols == "1" and rows != "1":
        return f"a column vector of length {rows}"
    article = "an" if rows[0] in "aefhilmnorsx8" else "a"
    return f"{article} {rows} x {cols} matrix"


def from_data(data: object) -> ShapeText:
    """A shape read back from the cache; ValueError for anything else."""
    if data is None:
        return None
    if isinstance(data, list) and len(data) == 2 and all(isinstance(d, str) and d for d in data):
        return (data[0], data[1])
    raise ValueError("not a shape")
