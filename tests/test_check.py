"""The check pipeline: proofs, chains, limits, and the problem messages built from them."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from proofbook.cache import ResultCache
from proofbook.check import CheckOptions, Report, check_registry
from proofbook.export import report_as_dict
from proofbook.registry.load import load_registry
from proofbook.verify.claims import Settings

FAST = CheckOptions(Settings(random_sizes=(1, 2, 3), numeric_sizes=(3,)), jobs=1)

HEADER = "chapter: Test\nentries:\n"
TRACE = """\
  - id: {id}
    title: {title}
    symbols:
      A: {{kind: matrix, size: n}}
      B: {{kind: matrix, size: n}}
    lhs: diff(trace(A*B), A)
    rhs: {rhs}
    source: test
"""


def check_text(tmp_path: Path, text: str, options: CheckOptions = FAST) -> Report:
    path = tmp_path / "test.yml"
    path.write_text(HEADER + text)
    return check_registry(load_registry([path]), options, ResultCache())


def test_wrong_proof_step_names_entry_and_step(tmp_path: Path) -> None:
    """A step that does not follow fails with its step number, file and line."""
    text = TRACE.format(id="g", title="T", rhs="B.T") + """\
    proof:
      - step: B
        rule: algebra
"""
    report = check_text(tmp_path, text)
    problems = report.problems()
    assert report.entries[0].result.status == "verified"
    assert len(problems) == 2
    assert f"{tmp_path / 'test.yml'}:12:9: entry 'g' (1.1): proof step 1 does not follow from the line before:" in problems[0]
    assert "the proof's last line (= right-hand side) does not follow" in problems[1]


def test_proof_steps_are_verified_and_rendered(tmp_path: Path) -> None:
    """Every step gets a verdict and LaTeX; a final step equal to the rhs needs no closing line."""
    text = TRACE.format(id="g", title="T", rhs="B.T") + """\
    proof:
      - step: diff(trace(B*A), A)
        rule: cyclic-trace
      - step: B.T
        rule: definition
"""
    report = check_text(tmp_path, text)
    steps = report.entries[0].steps
    assert [s.result.status for s in steps] == ["verified", "verified"]
    assert steps[1].latex == r"\mathbf{B}^{T}" and report.problems() == []


def test_circular_proofs_are_input_errors(tmp_path: Path) -> None:
    """Proofs citing each other are reported once, with the cycle spelled out."""
    one = TRACE.format(id="one", title="One", rhs="B.T") + "    proof:\n      - step: B.T\n        by: [two]\n"
    two = TRACE.format(id="two", title="Two", rhs="B.T") + "    proof:\n      - step: B.T\n        by: [three]\n"
    three = TRACE.format(id="three", title="Three", rhs="B.T") + "    proof:\n      - step: B.T\n        by: [one]\n"
    report = check_text(tmp_path, one + two + three)
    assert [str(e) for e in report.errors] == [
        f"{tmp_path / 'test.yml'}:3:5: entry 'one': circular proof: one → two → three → one. "
        "A proof may not rely, directly or through other proofs, on the entry it proves."]


def test_chain_link_that_fails_is_named(tmp_path: Path) -> None:
    """In a = b = c, the failing link is named in the verdict."""
    text = """\
  - id: chain
    title: Chain
    symbols: {x: scalar}
    chain: [x + x, 2*x, 3*x]
    source: test
"""
    result = check_text(tmp_path, text).entries[0].result
    assert result.status == "false"
    assert "statement link 2" in (result.reason or "") or result.counterexample is not None


def test_time_limit_makes_one_entry_inconclusive_and_checks_the_rest(tmp_path: Path) -> None:
    """A claim over its time limit ends inconclusive with the reason; others still verify."""
    slow = """\
  - id: slow
    title: Slow
    symbols:
      x: scalar
      k: {kind: scalar, assume: [integer]}
    lhs: sum(x**k/k**2, k, 1, 1000000000000)
    rhs: sum(x**k/k**2, k, 1, 1000000000000)
    source: test
"""
    quick = "  - id: quick\n    title: Q\n    symbols: {x: scalar}\n    lhs: 2*x\n    rhs: x + x\n    source: test\n"
    options = CheckOptions(Settings(random_sizes=(1, 2), numeric_sizes=(12,)), jobs=2, time_limit=1.5)
    report = check_text(tmp_path, slow + quick, options)
    by_id = {r.entry.id: r.result for r in report.entries}
    assert by_id["slow"].status == "inconclusive"
    assert by_id["slow"].reason == "timed out after 1.5 s"
    assert by_id["quick"].status == "verified"
    assert "entry 'slow' (1.1) is inconclusive: timed out after 1.5 s" in report.problems()[0]


def test_checking_from_a_script_without_main_guard(tmp_path: Path) -> None:
    """Workers never re-run the caller's script: a script read from stdin (or a notebook) works."""
    script = ("from proofbook.check import check_registry\n"
              "from proofbook.registry.load import load_registry\n"
              f"print(check_registry(load_registry([{str(tmp_path / 'test.yml')!r}])).summary())\n")
    (tmp_path / "test.yml").write_text(HEADER + TRACE.format(id="g", title="T", rhs="B.T"))
    done = subprocess.run([sys.executable, "-"], input=script, capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "1 verified, 0 false, 0 inconclusive, 0 definitions", done.stderr


def test_verdicts_do_not_depend_on_the_number_of_workers(tmp_path: Path) -> None:
    """Seeds are fixed per entry, claim and size: one worker or two give the same verdicts,
    evidence and counterexamples, in the same order."""
    text = "".join(TRACE.format(id=f"e{k}", title=f"T{k}", rhs=rhs)
                   for k, rhs in enumerate(["B.T", "B", "B.T + 0*B", "2*B.T - B.T", "B*B"]))
    reports = [report_as_dict(check_text(tmp_path, text, replace(FAST, jobs=jobs)), timings=False)
               for jobs in (1, 2)]
    assert reports[0] == reports[1]
    assert [e["status"] for e in reports[0]["entries"]] == ["verified", "false", "verified", "verified", "false"]
