"""Bounded fuzzing: no input makes the parser or the loader raise anything but proofbook's own
error, and nothing in the input is ever evaluated."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from proofbook.errors import Location, ProofbookError, ProofbookErrors
from proofbook.language.parse import compile_source
from proofbook.language.symbols import SymbolTable
from proofbook.model import Source, SymbolDecl
from proofbook.registry.load import load_registry

MARKER = Path("/tmp/proofbook-fuzz-marker")
TABLE = SymbolTable.build((
    SymbolDecl("x", "scalar"),
    SymbolDecl("A", "matrix", ("n", "n")),
    SymbolDecl("a", "vector", ("n", 1)),
    SymbolDecl("i", "index", ("n", 1)),
))
TOKENS = [
    "x", "A", "a", "i", "n", "pi", "E", "1", "2", "0.5", "-1", "10**10", "+", "-", "*", "/", "**", "@",
    "(", ")", "[", "]", ",", ".T", ".__class__", "trace(", "det(", "inv(", "diff(", "sum(", "sin(",
    "integrate(", "eye(", "lambda:", "for", "in", "'s'", "f'{x}'", "*args", "=", ":", " ",
    f"open('{MARKER}','w')", f"__import__('os').system('touch {MARKER}')", "\n", "#", "\\", "\x00",
]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(TOKENS), max_size=25).map("".join) | st.text(max_size=60))
def test_parser_raises_only_proofbook_errors(text: str) -> None:
    """Any text compiles or raises ProofbookError; the marker file is never created."""
    try:
        compile_source(Source(text, Location("fuzz.yml", 1, 1)), TABLE, "fuzz")
    except ProofbookError:
        pass
    assert not MARKER.exists()


YAML_TOKENS = [
    "chapter: C\n", "entries:\n", "  - id: e\n", "    title: T\n", "    lhs: x\n", "    rhs: x\n",
    "    source: s\n", "    symbols: {x: scalar}\n", "    proof:\n", "      - step: x\n", "        by: [e]\n",
    "&a [1]\n", "*a\n", "!!python/object/apply:os.system ['touch /tmp/proofbook-fuzz-marker']\n",
    "- ", ": ", "{", "}", "[", "]", "'", '"', "\t", "---\n", "%YAML 1.1\n", "\xff", "é", "\n",
]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(YAML_TOKENS), max_size=30).map("".join) | st.binary(max_size=200).map(
    lambda b: b.decode("latin-1")))
def test_loader_raises_only_proofbook_errors(tmp_path: Path, text: str) -> None:
    """Any file loads or raises ProofbookErrors; YAML tags never construct Python objects."""
    path = tmp_path / "fuzz.yml"
    path.write_bytes(text.encode("utf-8", errors="surrogateescape"))
    try:
        load_registry([path])
    except ProofbookErrors as errors:
        assert errors.errors and all(isinstance(e, ProofbookError) for e in errors.errors)
    assert not MARKER.exists()
