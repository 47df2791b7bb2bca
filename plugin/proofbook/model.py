"""The registry as plain data: chapters, entries, symbols, statements, proofs and results.

Nothing here imports SymPy: a warm build (every result cached) renders the handbook from
these objects and cached LaTeX alone.  Expressions stay source text (``Source``) until
``proofbook.language`` compiles them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Literal, get_args, get_type_hints

from .errors import Location

SymbolKind = Literal["scalar", "vector", "matrix", "index", "function"]
EntryKind = Literal["definition", "identity"]
Status = Literal["verified", "false", "inconclusive", "definition"]
#: How strong the evidence for a verified identity is, strongest first (``LEVELS``):
#: ``proved`` -- for every value of every dimension (or, with all sizes fixed, a symbolic
#: proof at those sizes; for a scalar identity, an exact symbolic proof, cross-checked);
#: ``proved-for-sizes`` -- a symbolic proof at the listed sizes, tested beyond them;
#: ``tested`` -- a randomized exact test at the listed sizes and points;
#: ``numeric`` -- high-precision numeric agreement only.
Level = Literal["proved", "proved-for-sizes", "tested", "numeric"]
LEVELS: tuple[Level, ...] = ("proved", "proved-for-sizes", "tested", "numeric")

#: Properties a scalar symbol may assume (SymPy assumption names).
SCALAR_ASSUMPTIONS = ("real", "positive", "negative", "nonnegative", "nonzero", "integer")
#: Properties a matrix symbol may assume.
MATRIX_ASSUMPTIONS = ("invertible", "symmetric", "positive_definite", "diagonal", "orthogonal")


@dataclass(frozen=True)
class Source:
    """A piece of registry text (an expression) and where it starts."""

    text: str
    location: Location


@dataclass(frozen=True)
class SymbolDecl:
    """A declared symbol.

    ``shape`` is ``(rows, cols)`` for vectors (cols == 1) and matrices; each dimension is a
    dimension name such as ``"n"`` (the verifier chooses its values) or a fixed int.
    ``of`` names the symbols this one is a function of (``A(x)``, ``f(x)``).
    For an ``index`` symbol, ``shape[0]`` is the range it runs over.
    ``basis`` makes a vector the standard basis vector e_k: k is a position from 1 (an int),
    the vector's dimension name (the last position) or that name minus a whole number.
    """

    name: str
    kind: SymbolKind
    shape: tuple[str | int, str | int] | None = None
    assume: tuple[str, ...] = ()
    of: tuple[str, ...] = ()
    location: Location | None = None
    #: The display name (checked TeX, ``\sigma^2``) that replaces the name wherever it prints.
    latex: str | None = None
    #: The position k of a standard basis vector e_k (1, 'n', 'n - 1'), or None.
    basis: int | str | None = None


@dataclass(frozen=True)
class ProofStep:
    """One link of a proof chain: the expression reached and why it follows."""

    expr: Source
    by: tuple[str, ...] = ()
    rule: str | None = None
    note: str | None = None
    location: Location | None = None


@dataclass(frozen=True)
class Entry:
    """A definition or identity of the registry.

    ``statement`` is the chain ``a = b = c`` (two items for ``lhs = rhs``).
    ``number`` is ``"chapter.position"``, e.g. ``"1.8"``.
    """

    id: str
    title: str
    kind: EntryKind
    symbols: tuple[SymbolDecl, ...]
    statement: tuple[Source, ...]
    source: str
    location: Location
    chapter: str
    number: str
    notes: str | None = None
    tags: tuple[str, ...] = ()
    proof: tuple[ProofStep, ...] | None = None

    @property
    def cited(self) -> tuple[str, ...]:
        """Ids this entry's proof cites, in order of first use."""
        seen: dict[str, None] = {}
        for step in self.proof or ():
            for ref in step.by:
                seen.setdefault(ref, None)
        return tuple(seen)


@dataclass(frozen=True)
class Chapter:
    """One registry file: a titled, ordered list of entries."""

    slug: str
    title: str
    number: int
    file: str
    entries: tuple[Entry, ...]
    intro: str | None = None
    source: str | None = None


@dataclass(frozen=True)
class Registry:
    """All chapters in order."""

    chapters: tuple[Chapter, ...]

    @property
    def entries(self) -> tuple[Entry, ...]:
        return tuple(e for c in self.chapters for e in c.entries)

    def by_id(self) -> dict[str, Entry]:
        return {e.id: e for e in self.entries}


@dataclass(frozen=True)
class Evidence:
    """One line of evidence for a verified identity, e.g. ``exact symbolic proof for n = 1, 2``."""

    #: ``formal``: the every-n engine (``proofbook.verify.formal``) found equal normal forms.
    method: Literal["symbolic", "randomized", "numeric", "formal"]
    summary: str
    sizes: tuple[int, ...] = ()


@dataclass(frozen=True)
class Counterexample:
    """Where two sides differ: the sizes, the values used, which entry, and both values."""

    method: str
    sizes: dict[str, int]
    values: dict[str, str]
    position: str
    lhs: str
    rhs: str
    seed: int | None = None

    def describe(self) -> str:
        dims = ", ".join(f"{k} = {v}" for k, v in self.sizes.items())
        vals = "; ".join(f"{k} = {v}" for k, v in self.values.items())
        parts = [f"{self.method}"]
        if dims:
            parts.append(f"at {dims}")
        if vals:
            parts.append(f"with {vals}")
        text = " ".join(parts)
        where = f" {self.position}" if self.position else ""
        seed = f" (seed {self.seed})" if self.seed is not None else ""
        return f"{text}:{where} lhs = {self.lhs}, rhs = {self.rhs}{seed}"


@dataclass(frozen=True)
class Result:
    """The verifier's verdict on one claim (a statement or one proof step)."""

    status: Status
    evidence: tuple[Evidence, ...] = ()
    counterexample: Counterexample | None = None
    reason: str | None = None
    seconds: float = 0.0
    #: The strength of the evidence; set exactly when ``status`` is ``verified``.
    level: Level | None = None

    def describe(self) -> str:
        if self.status == "verified":
            return "; ".join(e.summary for e in self.evidence)
        if self.status == "false":
            return self.counterexample.describe() if self.counterexample else (self.reason or "")
        return self.reason or ""


@dataclass
class StepReport:
    """A proof step as checked: its LaTeX and the verdict on "previous line = this line".

    ``step`` is None for the closing line that a proof gets when its last step is not
    written as the right-hand side itself.
    """

    latex: str
    result: Result
    step: ProofStep | None


@dataclass
class EntryReport:
    """Everything the handbook needs about an entry after checking: verdicts and LaTeX."""

    entry: Entry
    result: Result
    latex: str
    steps: list[StepReport] = field(default_factory=list)
    #: The LaTeX of each side of the statement chain (``latex`` joins them with " = ").
    sides: list[str] = field(default_factory=list)


def weakest(levels: list[Level]) -> Level:
    """The level a chain of claims reaches: that of its weakest link."""
    return max(levels, key=LEVELS.index)


def result_to_dict(result: Result) -> dict[str, object]:
    return asdict(result)


def result_from_dict(data: dict[str, object]) -> Result:
    """Rebuild a Result from ``result_to_dict`` output (the cache and ``--json``).

    Everything is checked, as if an attacker had written it: an unknown status, evidence
    method or level, a value of the wrong type, or a field too many raises ValueError, so that
    no malformed record is ever shown as a verdict."""
    if not isinstance(data, dict) or not set(data) <= _RESULT_FIELDS:
        raise ValueError("not a result")
    status = data.get("status")
    if status not in get_args(Status):
        raise ValueError(f"unknown status {status!r}")
    level = data.get("level")
    if level is not None and (status != "verified" or level not in LEVELS):
        raise ValueError(f"level {level!r} does not fit status {status!r}")
    evidence = data.get("evidence", [])
    if not isinstance(evidence, (list, tuple)):
        raise ValueError("evidence must be a list")
    cx = data.get("counterexample")
    reason, seconds = data.get("reason"), data.get("seconds", 0.0)
    if not (reason is None or isinstance(reason, str)):
        raise ValueError("reason must be text")
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not 0 <= seconds < 1e9:
        raise ValueError("seconds must be a finite, non-negative number")
    if status == "false" and cx is None and reason is None:
        raise ValueError("a false result needs a counterexample or a reason")
    return Result(status, tuple(_evidence(e) for e in evidence),  # type: ignore[arg-type]
                  None if cx is None else _counterexample(cx), reason, float(seconds), level)


_RESULT_FIELDS = {f.name for f in fields(Result)}
_METHODS = get_args(get_type_hints(Evidence)["method"])


def _evidence(data: object) -> Evidence:
    if not (isinstance(data, dict) and set(data) == {"method", "summary", "sizes"}
            and data["method"] in _METHODS and isinstance(data["summary"], str)
            and isinstance(data["sizes"], (list, tuple))
            and all(type(n) is int and n >= 0 for n in data["sizes"])):
        raise ValueError("malformed evidence")
    return Evidence(data["method"], data["summary"], tuple(data["sizes"]))


def _counterexample(data: object) -> Counterexample:
    texts = ("method", "position", "lhs", "rhs")
    if not (isinstance(data, dict) and set(data) == {f.name for f in fields(Counterexample)}
            and all(isinstance(data[k], str) for k in texts)
            and isinstance(data["sizes"], dict) and isinstance(data["values"], dict)
            and all(isinstance(k, str) and type(v) is int for k, v in data["sizes"].items())
            and all(isinstance(k, str) and isinstance(v, str) for k, v in data["values"].items())
            and (data["seed"] is None or type(data["seed"]) is int)):
        raise ValueError("malformed counterexample")
    return Counterexample(**data)
