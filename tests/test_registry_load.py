"""Tests for proofbook.registry.load: registry YAML files -> model.Registry, or clear errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from importlib import resources
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from proofbook.errors import Location, ProofbookError, ProofbookErrors
from proofbook.model import MATRIX_ASSUMPTIONS, SCALAR_ASSUMPTIONS, ProofStep, Source, SymbolDecl
from proofbook.registry.load import load_registry
from timing import fastest

#: Three lines; the first entry of a case therefore starts on line 4.
HEAD = "chapter: Basics\nsource: Test book\nentries:\n"
#: A valid entry body after "  - id: e1\n" (title, lhs, rhs).
BODY = "    title: T\n    lhs: x\n    rhs: x\n"


def write(folder: Path, text: str | bytes, name: str = "01-basics.yml") -> Path:
    """Write a registry file; bytes are written as they are (for encoding tests)."""
    path = folder / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def problems(*paths: Path | str) -> list[ProofbookError]:
    """The errors load_registry raises for ``paths`` (it must raise)."""
    with pytest.raises(ProofbookErrors) as caught:
        load_registry(list(paths))
    return caught.value.errors


def only_problem(path: Path) -> ProofbookError:
    """The single error of a file that has exactly one problem."""
    errors = problems(path)
    assert len(errors) == 1, [str(e) for e in errors]
    return errors[0]


def e1(extra: str = "", body: str = BODY) -> str:
    """A file whose entry e1 (line 4) has ``body`` (lines 5-7) and then ``extra`` (line 8 on)."""
    return HEAD + "  - id: e1\n" + body + extra


def case(name: str, text: str, message: str, line: int, entry_id: str | None = None) -> object:
    """One row of BAD_FILES: the file text, its one error's message, line and entry id."""
    return pytest.param(text, message, line, entry_id, id=name)


#: How every bad-id message explains a slug.
ANY_ID = "use lowercase letters, digits and single hyphens"
BAD_FILES = [
    # --- entries: required fields, unknown fields, types ----------------------------------------
    # a missing title points at the entry and names it
    case("missing-title", e1(body="    lhs: x\n    rhs: x\n"), "missing 'title'.", 4, "e1"),
    # a typo gets a did-you-mean, and no second "missing 'title'" error
    case("typo-field", e1(body="    titel: T\n    lhs: x\n    rhs: x\n"),
         "unknown field 'titel' (did you mean 'title'?)", 5, "e1"),
    # an unknown field without a close match
    case("unknown-field", e1("    colour: red\n"), "unknown field 'colour'.", 8, "e1"),
    # a wrong type says what was expected and what was found
    case("wrong-type", e1("    tags: 5\n"),
         "'tags' must be a list of strings, not a number.", 8, "e1"),
    # YAML reads yes as true/false, not as text
    case("yes-is-bool", e1(body="    title: yes\n    lhs: x\n    rhs: x\n"),
         "'title' must be text, not true/false.", 5, "e1"),
    # a list item of the wrong type
    case("wrong-item-type", e1("    tags: [1]\n"),
         "item 1 of 'tags' must be a short text, not a number.", 8, "e1"),
    # an entry without an id is named by its position
    case("missing-id", HEAD + "  - title: T\n    lhs: x\n    rhs: x\n",
         "entry #1: missing 'id'.", 4),
    # an entry that is not a mapping
    case("entry-not-mapping", HEAD + "  - just text\n",
         "entry #1: the entry must be a mapping with id:, title:, ..., not text.", 4),
    # an id that is not a slug suggests one; the (readable) id still names the entry
    case("bad-id", HEAD + "  - id: Trace AB\n" + BODY,
         f"'Trace AB' is not a valid id: {ANY_ID}, e.g. 'trace-ab'.", 4, "Trace AB"),
    # an id over 64 characters is not readable, so the entry is named by position
    case("long-id", HEAD + "  - id: " + "a" * 65 + "\n" + BODY,
         "entry #1: 'id' is too long (65 characters; the limit is 64).", 4),
    # no chapter-wide source, so every entry needs one
    case("missing-source", "chapter: Basics\nentries:\n  - id: e1\n" + BODY,
         "missing 'source'.", 3, "e1"),
    # an unknown entry kind
    case("unknown-kind", e1("    kind: lemma\n"), "unknown kind 'lemma'.", 8, "e1"),
    # --- statements -----------------------------------------------------------------------------
    # both lhs/rhs and chain
    case("lhs-and-chain", e1("    chain: [a, b]\n"), "has both lhs/rhs and chain.", 4, "e1"),
    # neither lhs/rhs nor chain
    case("no-statement", e1(body="    title: T\n"), "has no statement.", 4, "e1"),
    # half an equation
    case("lhs-only", e1(body="    title: T\n    lhs: x\n"), "has 'lhs' but no 'rhs'.", 4, "e1"),
    # a chain of one
    case("short-chain", e1(body="    title: T\n    chain: [a]\n"),
         "'chain' has 1 item; it needs at least 2.", 6, "e1"),
    # an empty expression
    case("empty-expression", e1(body="    title: T\n    lhs: ''\n    rhs: x\n"),
         "'lhs' is empty.", 6, "e1"),
    # a missing expression value
    case("null-expression", e1(body="    title: T\n    lhs:\n    rhs: x\n"),
         "'lhs' is empty; it must be an expression (text).", 6, "e1"),
    # a bounded expression length
    case("long-expression", e1(body="    title: T\n    lhs: " + "x" * 2001 + "\n    rhs: x\n"),
         "'lhs' is too long (2,001 characters; the limit is 2,000).", 6, "e1"),
    # YAML splits an unquoted expression with a comma inside [ ]
    case("flow-split", e1(body="    title: T\n    chain: [diff(a.T*x, x), a]\n"),
         "YAML split 'diff(a.T*x' at a comma: inside [ ] and { } a comma separates items.",
         6, "e1"),
    # --- symbols --------------------------------------------------------------------------------
    # an unknown assumption, with a did-you-mean
    case("typo-assumption", e1("    symbols:\n      y: {kind: scalar, assume: [postive]}\n"),
         "unknown assumption 'postive' (did you mean 'positive'?)", 9, "e1"),
    # a matrix assumption on a scalar
    case("matrix-assumption", e1("    symbols:\n      y: {kind: scalar, assume: [symmetric]}\n"),
         "'symmetric' is an assumption for square matrices, not for scalars and functions.",
         9, "e1"),
    # an unknown symbol kind
    case("unknown-symbol-kind", e1("    symbols:\n      A: {kind: tensor, size: n}\n"),
         "unknown symbol kind 'tensor'.", 9, "e1"),
    # only scalar has a short form
    case("short-form", e1("    symbols:\n      a: vector\n"),
         "symbol 'a' is declared as 'vector', but only scalar has a short form.", 9, "e1"),
    # a symbol name must be an identifier (points at the name)
    case("bad-symbol-name", e1("    symbols:\n      2x: scalar\n"),
         "'2x' is not a valid symbol name: start with a letter, then use letters, digits or '_' "
         "(at most 20).", 9, "e1"),
    # a vector needs a size
    case("vector-no-size", e1("    symbols:\n      a: {kind: vector}\n"),
         "missing 'size' in symbol 'a'.", 9, "e1"),
    # a scalar has no size (points at the size key)
    case("scalar-size", e1("    symbols:\n      x: {kind: scalar,\n          size: n}\n"),
         "symbol 'x' is a scalar and takes no 'size'.", 10, "e1"),
    # a vector takes no assumptions
    case("vector-assume", e1("    symbols:\n      a: {kind: vector, size: n, assume: [real]}\n"),
         "symbol 'a' is a vector and takes no 'assume'.", 9, "e1"),
    # a vector's size is one dimension
    case("vector-pair-size", e1("    symbols:\n      a: {kind: vector, size: [m, n]}\n"),
         "'size' of symbol 'a' must be a dimension name such as n or N, or a number from 1 to 12, "
         "not a list.", 9, "e1"),
    # a fixed size over the limit says the limit
    case("size-too-large", e1("    symbols:\n      A: {kind: matrix, size: 10000}\n"),
         "size 10000 is too large: a fixed size must be at most 12.", 9, "e1"),
    # a fixed size under the limit
    case("size-too-small", e1("    symbols:\n      A: {kind: matrix, size: [0, n]}\n"),
         "size 0 is too small: a fixed size must be at least 1.", 9, "e1"),
    # a dimension name is letters and digits (N is fine, n_1 is not)
    case("bad-dimension", e1("    symbols:\n      A: {kind: matrix, size: n_1}\n"),
         "'n_1' is not a valid dimension: use a name of letters and digits such as n, m or N, or a "
         "number from 1 to 12.", 9, "e1"),
    # the same bad dimension twice in one size is reported once
    case("bad-dimension-twice", e1("    symbols:\n      A: {kind: matrix, size: [n_1, n_1]}\n"),
         "'n_1' is not a valid dimension: use a name of letters and digits such as n, m or N, or a "
         "number from 1 to 12.", 9, "e1"),
    # a dimension cannot take a reserved name: E would be read as Euler's number
    case("reserved-dimension", e1("    symbols:\n      A: {kind: matrix, size: E}\n"),
         "'E' is the constant e; it cannot name a dimension.", 9, "e1"),
    # an uppercase dimension that is also the name of a matrix
    case("dimension-matrix", e1("    symbols:\n      N: {kind: matrix, size: N}\n"),
         "'N' is used both as a dimension and as a symbol.", 9, "e1"),
    # a size pair has two items
    case("size-triple", e1("    symbols:\n      A: {kind: matrix, size: [m, n, k]}\n"),
         "'size' of symbol 'A' has 3 items; it allows at most 2.", 9, "e1"),
    # a function needs of
    case("function-no-of", e1("    symbols:\n      f: {kind: function}\n"),
         "missing 'of' in symbol 'f'.", 9, "e1"),
    # an index depends on nothing
    case("index-of", e1("    symbols:\n      x: scalar\n      i: {kind: index, size: 3, of: x}\n"),
         "symbol 'i' is an index and takes no 'of'.", 10, "e1"),
    # of names a symbol that is not declared
    case("of-undeclared", e1("    symbols:\n      F: {kind: matrix, size: n, of: x}\n"),
         "symbol 'F' is a function of 'x', which this entry does not declare.", 9, "e1"),
    # of names the symbol itself
    case("of-itself", e1("    symbols:\n      f: {kind: function, of: f}\n"),
         "symbol 'f' cannot be a function of itself.", 9, "e1"),
    # a dimension name that is also a symbol (points at the symbol)
    case("dimension-symbol", e1("    symbols:\n      A: {kind: matrix, size: n}\n"
                                "      n: scalar\n"),
         "'n' is used both as a dimension and as a symbol.", 10, "e1"),
    # matrix assumptions need a square matrix
    case("non-square", e1("    symbols:\n"
                          "      M: {kind: matrix, size: [m, n], assume: [symmetric]}\n"),
         "'symmetric' needs a square matrix, but symbol 'M' is m x n.", 9, "e1"),
    # --- proofs ---------------------------------------------------------------------------------
    # a definition has no proof (points at the proof key)
    case("definition-proof", e1("    kind: definition\n    proof:\n"
                                "      - {step: x, rule: algebra}\n"),
         "a definition has no proof.", 9, "e1"),
    # a step needs by or rule
    case("no-reason", e1("    proof:\n      - step: x\n"),
         "proof step 1 gives no reason.", 9, "e1"),
    # a step needs its expression
    case("no-step", e1("    proof:\n      - rule: algebra\n"),
         "missing 'step' in proof step 1.", 9, "e1"),
    # an unknown rule, with a did-you-mean
    case("typo-rule", e1("    proof:\n      - step: x\n        rule: chain rule\n"),
         "unknown rule 'chain rule' (did you mean 'chain-rule'?)", 10, "e1"),
    # a cited id must be a slug
    case("bad-citation", e1("    proof:\n      - step: x\n        by: Other Entry\n"),
         f"'Other Entry' is not a valid id: {ANY_ID}, e.g. 'other-entry'.", 10, "e1"),
    # a cited id must exist (checked once everything else loads)
    case("unknown-citation", e1("    proof:\n      - step: x\n        by: [e1x]\n"),
         "proof step 1 cites 'e1x', which is not the id of any entry (did you mean 'e1'?)",
         10, "e1"),
    # an empty proof
    case("empty-proof", e1("    proof: []\n"), "'proof' is empty.", 8, "e1"),
    # --- the chapter ----------------------------------------------------------------------------
    # a missing chapter title
    case("missing-chapter", "source: S\nentries:\n  - id: e1\n" + BODY, "missing 'chapter'.", 1),
    # a top-level typo: one did-you-mean, no "missing 'chapter'"
    case("typo-chapter", "chapters: Basics\nsource: S\nentries:\n  - id: e1\n" + BODY,
         "unknown field 'chapters' (did you mean 'chapter'?)", 1),
    # no entries key
    case("missing-entries", "chapter: Basics\n", "missing 'entries'.", 1),
    # an empty entries list
    case("empty-entries", "chapter: Basics\nentries: []\n", "'entries' is empty.", 2),
    # an explicit slug must be a slug
    case("bad-slug", "chapter: Basics\nslug: Basics!\nsource: S\nentries:\n  - id: e1\n" + BODY,
         f"'Basics!' is not a valid slug: {ANY_ID}, e.g. 'basics'.", 2),
    # --- YAML itself ----------------------------------------------------------------------------
    # malformed YAML: one line, the problem and its position
    case("yaml-colon", e1(body="    title: a: b\n"),
         "invalid YAML: mapping values are not allowed here.", 5),
    # an unclosed flow list: the problem and where the list began
    case("yaml-unclosed", e1(body="    tags: [a, b\n"),
         "invalid YAML: expected ',' or ']', but got '<stream end>' (while parsing a flow "
         "sequence from line 5).", 6),
    # the top level must be a mapping
    case("top-list", "- a\n- b\n",
         "the file must be a mapping with chapter: and entries:, not a list.", 1),
    # one document per file
    case("two-documents", "chapter: A\n---\nchapter: B\n",
         "the file holds more than one YAML document (a second '---').", 2),
    # anchors are refused at the anchor (no billion laughs)
    case("anchor", e1(body="    title: &t T\n    lhs: x\n    rhs: x\n"),
         "YAML anchors and aliases (&name, *name) are not allowed.", 5),
    # an alias alone is refused too (an unquoted *x)
    case("alias", e1(body="    title: T\n    lhs: *x\n    rhs: x\n"),
         "YAML anchors and aliases (&name, *name) are not allowed.", 6),
    # a duplicate key (PyYAML would keep the last) points at the second one
    case("duplicate-key", e1(body="    title: T\n    title: U\n    lhs: x\n    rhs: x\n"),
         "duplicate key 'title' (first given on line 5).", 6, "e1"),
    # a key that YAML reads as a number
    case("number-key", "chapter: Basics\n1: one\nsource: S\nentries:\n  - id: e1\n" + BODY,
         "the key 1 is not text: YAML reads it as a number.", 2),
    # tags that would build Python objects
    case("python-tag", e1(body="    title: !!python/name:os.system T\n    lhs: x\n    rhs: x\n"),
         "the YAML tag '!!python/name:os.system' is not allowed.", 5, "e1"),
    # deep nesting stops before PyYAML's recursion does
    case("deep", "chapter: " + "[" * 30 + "]" * 30 + "\n",
         "the YAML is nested more than 20 levels deep.", 1),
    # a control character
    case("control-character", "chapter: Basics\x07\n",
         "the file contains the control character U+0007, which YAML does not allow.", 1),
    # an empty file, and one with only comments
    case("empty", "", "the file is empty.", 1),
    case("only-comments", "# nothing yet\n", "the file is empty.", 1),
]


@pytest.mark.parametrize(("text", "message", "line", "entry_id"), BAD_FILES)
def test_bad_file_gives_one_clear_error(
    tmp_path: Path, text: str, message: str, line: int, entry_id: str | None
) -> None:
    """Each bad input gives exactly one error with the exact text, file, line and entry id."""
    path = write(tmp_path, text)
    error = only_problem(path)
    assert error.message == message
    assert error.location is not None
    assert (error.location.file, error.location.line) == (str(path), line)
    assert error.entry_id == entry_id
    assert "\n" not in str(error) and "Traceback" not in str(error)


REALISTIC = """\
# yaml-language-server: $schema=../plugin/proofbook/registry.schema.json
chapter: Matrix derivatives
intro: |
  Derivatives of traces and quadratic forms.
source: Bishop 2006, PRML, Appendix C
entries:
  - id: trace-ab-entry
    title: Entries of Tr(AB)
    kind: definition
    symbols:
      A: {kind: matrix, size: [m, n]}
      B: {kind: matrix, size: [n, m]}
    lhs: trace(A*B)
    rhs: "sum(A[i, j]*B[j, i])"
    tags: [trace]
  - id: trace-ab-grad
    title: Gradient of Tr(AB)
    symbols:
      A: {kind: matrix, size: n}
      B: {kind: matrix, size: n}
    lhs: diff(trace(A*B), A)
    rhs: B.T
    source: Bishop 2006, Appendix C, p. 697
    notes: Free *Markdown*.
    proof:
      - step: diff(trace(B*A), A)
        by: trace-ab-entry
        rule: cyclic-trace
        note: Cyclic property.
      - step: |
          B.T
        by: [trace-ab-entry, quad-form]
  - id: quad-form
    title: Gradient of a linear form
    symbols:
      x: {kind: vector, size: n}
      a: {kind: vector, size: n}
      y: {kind: scalar, assume: [positive, real]}
      S: {kind: matrix, size: 3, assume: [symmetric, invertible]}
      F: {kind: matrix, size: n, of: [x, y]}
      i: {kind: index, size: n}
      f: {kind: function, of: y}
      c: scalar
    chain:
      - diff(a.T*x, x)
      - 'diff(x.T*a, x)'
      - a
"""


def test_realistic_chapter_loads_every_field(tmp_path: Path) -> None:
    """A three-entry chapter becomes the model, field by field, with exact locations."""
    path = write(tmp_path, REALISTIC)
    registry = load_registry([tmp_path])
    file = str(path)

    def at(line: int, column: int) -> Location:
        return Location(file, line, column)

    (chapter,) = registry.chapters
    assert (chapter.slug, chapter.title, chapter.number, chapter.file) == (
        "basics", "Matrix derivatives", 1, file)
    assert chapter.intro == "Derivatives of traces and quadratic forms.\n"
    assert chapter.source == "Bishop 2006, PRML, Appendix C"
    definition, grad, quad = chapter.entries
    assert [e.number for e in chapter.entries] == ["1.1", "1.2", "1.3"]
    assert {e.chapter for e in chapter.entries} == {"basics"}
    assert registry.by_id()["quad-form"] is quad

    assert (definition.id, definition.title, definition.kind) == (
        "trace-ab-entry", "Entries of Tr(AB)", "definition")
    assert definition.location == at(7, 5)
    assert definition.symbols == (
        SymbolDecl("A", "matrix", ("m", "n"), location=at(11, 7)),
        SymbolDecl("B", "matrix", ("n", "m"), location=at(12, 7)),
    )
    assert definition.statement == (
        Source("trace(A*B)", at(13, 10)), Source("sum(A[i, j]*B[j, i])", at(14, 11)))
    assert definition.source == "Bishop 2006, PRML, Appendix C"  # the chapter's default
    assert (definition.tags, definition.notes, definition.proof) == (("trace",), None, None)

    assert grad.kind == "identity"
    assert grad.source == "Bishop 2006, Appendix C, p. 697"
    assert grad.notes == "Free *Markdown*."
    assert grad.proof == (
        ProofStep(Source("diff(trace(B*A), A)", at(26, 15)), ("trace-ab-entry",),
                  "cyclic-trace", "Cyclic property.", at(26, 9)),
        ProofStep(Source("B.T\n", at(31, 11)), ("trace-ab-entry", "quad-form"), None, None,
                  at(30, 9)),
    )
    assert grad.cited == ("trace-ab-entry", "quad-form")

    assert [(s.name, s.kind, s.shape, s.assume, s.of) for s in quad.symbols] == [
        ("x", "vector", ("n", 1), (), ()),
        ("a", "vector", ("n", 1), (), ()),
        ("y", "scalar", None, ("positive", "real"), ()),
        ("S", "matrix", (3, 3), ("symmetric", "invertible"), ()),
        ("F", "matrix", ("n", "n"), (), ("x", "y")),
        ("i", "index", ("n", 1), (), ()),
        ("f", "function", None, (), ("y",)),
        ("c", "scalar", None, (), ()),
    ]
    assert quad.statement == (
        Source("diff(a.T*x, x)", at(45, 9)), Source("diff(x.T*a, x)", at(46, 10)),
        Source("a", at(47, 9)))
    assert quad.source == "Bishop 2006, PRML, Appendix C"


def test_source_locations_point_at_the_text(tmp_path: Path) -> None:
    """Plain, quoted, folded and number expressions locate their first character."""
    text = HEAD + '  - id: e1\n    title: T\n    lhs: "a + b"\n    rhs: >-\n\n      a\n'
    text += "  - id: e2\n    title: T\n    lhs: 0\n    rhs: 1.50\n"
    path = write(tmp_path, text)
    first, second = load_registry([path]).entries
    assert first.statement == (Source("a + b", Location(str(path), 6, 11)),
                               Source("\na", Location(str(path), 8, 7)))
    # YAML reads 0 and 1.50 as numbers; an expression keeps the text as written
    assert second.statement == (Source("0", Location(str(path), 12, 10)),
                                Source("1.50", Location(str(path), 13, 10)))


def test_folders_files_and_numbering(tmp_path: Path) -> None:
    """A folder is read in name order, listed files keep their order, numbering follows."""
    folder = tmp_path / "registry"
    folder.mkdir()
    for name in ("02-second.yaml", "01-first.yml", "notes.txt", ".01-backup.yml"):
        write(folder, HEAD + f"  - id: {name[:2]}-{name[3:6]}\n" + BODY, name)
    extra = write(tmp_path, HEAD + "  - id: extra\n" + BODY, "extra.yml")
    registry = load_registry([extra, str(folder)])
    assert [(c.number, c.slug) for c in registry.chapters] == [
        (1, "extra"), (2, "first"), (3, "second")]
    assert [e.number for e in registry.entries] == ["1.1", "2.1", "3.1"]
    assert registry.chapters[1].file == str(folder / "01-first.yml")


def test_relative_paths_stay_relative(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Locations show the path as the caller gave it."""
    (tmp_path / "reg").mkdir()
    write(tmp_path / "reg", HEAD + "  - id: e1\n" + BODY)
    monkeypatch.chdir(tmp_path)
    (entry,) = load_registry(["reg"]).entries
    assert entry.location == Location("reg/01-basics.yml", 4, 5)


def test_missing_path_and_empty_folder(tmp_path: Path) -> None:
    """A missing path and a folder without YAML files are both reported."""
    (tmp_path / "empty").mkdir()
    empty, missing = problems(tmp_path / "nope", tmp_path / "empty")  # sorted by file
    assert (str(missing.location), missing.message) == (
        str(tmp_path / "nope"), "no such file or folder.")
    assert (str(empty.location), empty.message) == (
        str(tmp_path / "empty"), "the registry folder has no .yml or .yaml files.")


def test_not_utf8_names_the_byte(tmp_path: Path) -> None:
    """A Latin-1 file is refused with the byte, its offset, line and column."""
    path = write(tmp_path, "chapter: Basics\ntitle: caf\xe9\n".encode("latin-1"))
    error = only_problem(path)
    assert error.message == ("the file is not UTF-8 text: byte 0xe9 at byte offset 26 is not "
                             "valid UTF-8.")
    assert error.location == Location(str(path), 2, 11)


def test_file_over_one_mib_is_refused(tmp_path: Path) -> None:
    """A file over 1 MiB is refused before YAML sees it."""
    path = write(tmp_path, "chapter: " + "x" * (1024 * 1024) + "\n")
    error = only_problem(path)
    assert error.message == "the file is larger than 1 MiB (1,048,576 bytes)."
    assert error.hint == "Split the chapter into several files."


def test_one_megabyte_expression_is_refused(tmp_path: Path) -> None:
    """A 1 MB expression (under the file limit) fails the length limit without echoing it."""
    huge = "x" * 1_000_000
    path = write(tmp_path, e1(body=f"    title: T\n    lhs: '{huge}'\n    rhs: x\n"))
    error = only_problem(path)
    assert error.message == "'lhs' is too long (1,000,000 characters; the limit is 2,000)."
    assert len(str(error)) < 300


def test_billion_laughs_is_refused_fast(tmp_path: Path) -> None:
    """Nested aliases stop at the first anchor, long before any expansion."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}" + f",*{chr(97 + i)}" * 8 + "]"
              for i in range(8)]
    path = write(tmp_path, "\n".join(lines) + "\n")
    error, seconds = fastest(lambda: only_problem(path))
    assert seconds < 0.5
    assert error.message == "YAML anchors and aliases (&name, *name) are not allowed."
    assert error.location == Location(str(path), 1, 4)


def test_errors_of_all_files_are_collected_and_sorted(tmp_path: Path) -> None:
    """Problems of several files come back together, sorted by file and line."""
    write(tmp_path, HEAD + "  - id: e1\n    title: T\n    lhs: x\n    rhs: x\n    tags: 5\n"
          "  - id: e2\n    lhs: x\n    rhs: x\n", "02-b.yml")
    write(tmp_path, "chapter: [\n", "01-a.yml")
    errors = problems(tmp_path)
    assert [(Path(e.location.file).name, e.location.line) for e in errors] == [
        ("01-a.yml", 2), ("02-b.yml", 8), ("02-b.yml", 9)]
    assert str(errors[2]) == (
        f"{tmp_path / '02-b.yml'}:9:5: entry 'e2': missing 'title'. "
        "Add title: <a short name for the formula>.")


def test_duplicate_ids_name_both_places(tmp_path: Path) -> None:
    """The same id in one file and across files is reported with the first place."""
    first = write(tmp_path, HEAD + "  - id: e1\n" + BODY + "  - id: e1\n" + BODY, "01-a.yml")
    second = write(tmp_path, HEAD + "  - id: e1\n" + BODY, "02-b.yml")
    in_file, across = problems(tmp_path)
    assert in_file.message == f"duplicate id 'e1': it is already used at {first}:4:5."
    assert (in_file.location, in_file.entry_id) == (Location(str(first), 8, 5), "e1")
    assert across.message == f"duplicate id 'e1': it is already used at {first}:4:5."
    assert across.location == Location(str(second), 4, 5)


def test_duplicate_chapter_slugs(tmp_path: Path) -> None:
    """Two files with the same slug (here 01-x.yml and a slug: x) are refused."""
    first = write(tmp_path, HEAD + "  - id: e1\n" + BODY, "01-x.yml")
    second = write(tmp_path, "chapter: B\nslug: x\nsource: S\nentries:\n  - id: e2\n" + BODY,
                   "02-y.yml")
    error = only_problem(tmp_path)
    assert error.message == f"the chapter slug 'x' is already used by {first}."
    assert error.location == Location(str(second), 2, 7)


def test_file_name_that_gives_no_slug(tmp_path: Path) -> None:
    """A file name that is not a slug asks for a rename or a slug: line."""
    path = write(tmp_path, HEAD + "  - id: e1\n" + BODY, "03-My Chapter.yml")
    error = only_problem(path)
    assert error.message == ("the file name gives the chapter slug 'My Chapter', which is not "
                             "valid: use lowercase letters, digits and single hyphens.")
    assert error.hint == "Rename the file (e.g. 01-my-chapter.yml) or add slug: my-chapter."


def test_schema_is_valid_and_matches_the_model() -> None:
    """The shipped schema is valid draft 2020-12 and lists the model's assumptions."""
    schema = json.loads(resources.files("proofbook").joinpath("registry.schema.json").read_text())
    Draft202012Validator.check_schema(schema)
    enums = [clause["then"]["properties"]["assume"]["items"]["enum"]
             for clause in schema["$defs"]["declaration"]["allOf"]
             if "assume" in clause["then"].get("properties", {})]
    assert enums == [list(SCALAR_ASSUMPTIONS), list(MATRIX_ASSUMPTIONS)]


def test_every_typed_schema_says_what_it_expects() -> None:
    """Type errors read "must be <x-expected>", so every schema with a type has one."""
    schema = json.loads(resources.files("proofbook").joinpath("registry.schema.json").read_text())

    def typed(node: object) -> list[dict]:
        """Subschemas with a type, leaving out "if" conditions (they never report errors)."""
        if isinstance(node, list):
            return [found for item in node for found in typed(item)]
        if not isinstance(node, dict):
            return []
        inner = [found for key, value in node.items() if key != "if" for found in typed(value)]
        return ([node] if "type" in node else []) + inner

    assert all("x-expected" in node for node in typed(schema))


def test_loading_does_not_import_sympy() -> None:
    """Warm builds load the registry without SymPy."""
    code = "import sys, proofbook.registry.load; sys.exit('sympy' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_documented_example_loads(tmp_path: Path) -> None:
    """The complete chapter in docs/registry-format.md is a valid registry file."""
    doc = (Path(__file__).parent.parent / "docs" / "registry-format.md").read_text()
    example = doc.split("## A complete chapter")[1].split("```yaml\n")[1].split("```")[0]
    registry = load_registry([write(tmp_path, example, "01-matrix-derivatives.yml")])
    assert [e.number for e in registry.entries] == ["1.1", "1.2", "1.3"]
    assert registry.chapters[0].slug == "matrix-derivatives"


# -- limits, assumptions, identifiers and the project boundary (issue 12) ------------------------

def symbol_file(decl: str) -> str:
    """An entry e1 with one declaration ``x: <decl>`` on line 6."""
    return HEAD + f"  - id: e1\n    title: T\n    symbols:\n      x: {decl}\n    lhs: x\n    rhs: x\n"


@pytest.mark.parametrize(("assume", "clash"), [
    ("[positive, negative]", ("positive", "negative")),
    ("[negative, nonnegative]", ("negative", "nonnegative")),
    ("[nonzero, real, positive, integer, negative]", ("positive", "negative")),
])
def test_contradictory_assumptions_are_refused_at_their_line(tmp_path: Path, assume: str,
                                                             clash: tuple[str, str]) -> None:
    write(tmp_path, symbol_file(f"{{kind: scalar, assume: {assume}}}"))
    (error,) = problems(tmp_path)
    assert (error.message, error.location.line, error.entry_id) == (
        f"symbol 'x' cannot be both {clash[0]} and {clash[1]}: no number is.", 7, "e1")


@pytest.mark.parametrize("assume", ["[positive, nonzero, integer]", "[nonnegative, integer]",
                                    "[real, negative, nonzero]", "[nonnegative, nonzero]"])
def test_consistent_assumptions_load(tmp_path: Path, assume: str) -> None:
    write(tmp_path, symbol_file(f"{{kind: scalar, assume: {assume}}}"))
    assert load_registry([tmp_path]).entries[0].symbols[0].assume


@pytest.mark.parametrize("text", ['"e1\\n"', '"e1\\r"', '"e1 "', '"\\ne1"'])
def test_ids_match_the_whole_text(tmp_path: Path, text: str) -> None:
    """JSON Schema's '$' is the end of the text: 'e1' and a newline is not a valid id."""
    write(tmp_path, HEAD + f"  - id: {text}\n" + BODY)
    (error,) = problems(tmp_path)
    assert "is not a valid id" in error.message


def test_a_chapter_of_too_many_entries_is_refused_while_composing(tmp_path: Path) -> None:
    write(tmp_path, HEAD + "  - {id: e, title: T, lhs: x, rhs: x}\n" * 2001 + "  - {}\n" * 100_000)
    started = time.perf_counter()
    (error,) = problems(tmp_path)
    assert time.perf_counter() - started < 5  # the 100,000 entries after the 2,001st are never read
    assert (error.message, error.location.line) == ("the chapter has more than 2,000 entries.", 2004)


def test_a_file_of_too_many_values_is_refused(tmp_path: Path) -> None:
    write(tmp_path, HEAD + "  - id: e1\n" + BODY + "    tags: [" + ", ".join(["t"] * 100_001) + "]\n")
    (error,) = problems(tmp_path)
    assert error.message == "the file has more than 100,000 YAML values."


def test_a_file_name_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    os.close(os.open(os.path.join(os.fsencode(tmp_path), b"01-\xff.yml"), os.O_CREAT | os.O_WRONLY))
    (error,) = problems(tmp_path)
    assert error.message == "the file name is not UTF-8 text."


def test_paths_and_symlinks_stay_inside_the_root(tmp_path: Path) -> None:
    """With a project root, a symlink out of it is refused; inside it, or with contained=False, it loads."""
    project, elsewhere = tmp_path / "project", tmp_path / "elsewhere"
    (project / "registry").mkdir(parents=True)
    elsewhere.mkdir()
    write(elsewhere, HEAD + "  - id: e1\n" + BODY, "01-far.yml")
    write(project, HEAD + "  - id: e2\n" + BODY, "02-near.yml")
    (project / "registry" / "01-far.yml").symlink_to(elsewhere / "01-far.yml")
    (project / "registry" / "02-near.yml").symlink_to(project / "02-near.yml")
    with pytest.raises(ProofbookErrors) as caught:
        load_registry([project / "registry"], root=project)
    (error,) = caught.value.errors
    assert error.message == (f"the registry path leads to {elsewhere / '01-far.yml'}, outside the project "
                             f"folder {project}.")
    assert [e.id for e in load_registry([project / "registry"], root=project, contained=False).entries] == ["e1", "e2"]
    with pytest.raises(ProofbookErrors):
        load_registry([elsewhere], root=project)


def test_json_surrogate_pairs_are_the_character_they_encode(tmp_path: Path) -> None:
    """``"\\ud83d\\ude00"`` (JSON's spelling of 😀, which PyYAML reads as two halves) is one
    character; only a half on its own is refused."""
    (tmp_path / "r.yml").write_text(
        'chapter: C\nentries:\n  - id: e\n    title: "smile \\ud83d\\ude00"\n    kind: definition\n'
        "    symbols: {x: scalar}\n    lhs: x\n    rhs: x\n    source: s\n", encoding="utf-8")
    entry, = load_registry([tmp_path / "r.yml"]).entries
    assert entry.title == "smile 😀"


def test_a_folder_of_too_many_chapter_files_is_refused(tmp_path: Path) -> None:
    for k in range(1001):
        (tmp_path / f"{k:04d}-c.yml").touch()
    (error,) = problems(tmp_path)
    assert error.message == "the registry folder has 1,001 chapter files; at most 1,000 are read."
