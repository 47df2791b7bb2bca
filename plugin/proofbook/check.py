"""Check a whole registry: compile every expression, verify every claim, collect every problem.

This is the one pipeline the CLI and the MkDocs plugin share:
registry (loaded) → proof graph checks → compile + LaTeX (skipped when cached) →
claims verified in worker processes (skipped when cached) → one ``Report``.
SymPy is imported only when something is not in the cache.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import cast

from .cache import ResultCache, source_digest
from .errors import Location, ProofbookError, escaped
from .language import shapes
from .language.shapes import ShapeText
from .model import LEVELS, Entry, EntryReport, Evidence, Level, Registry, Result, Source, StepReport, weakest
from .progress import Progress
from .proofs import proof_errors
from .verify.claims import Claim, Settings



@dataclass(frozen=True)
class CheckOptions:
    """Verification settings plus how to run them."""

    settings: Settings = Settings()
    time_limit: float = 60.0
    jobs: int = 0
    memory_limit_mb: int | None = 4096
    bold: bool = True
    #: ``(K, N)``: check only the K-th of N shares of the entries (``proofbook check --shard``).
    shard: tuple[int, int] | None = None
    #: The weakest evidence level an identity may have; one below it is a problem. The default
    #: accepts every verified identity, since each badge states its level (see the trust page).
    require: Level = "numeric"


@dataclass
class Report:
    """Per-entry verdicts and LaTeX, plus the input errors that stopped some entries."""

    entries: list[EntryReport] = field(default_factory=list)
    errors: list[ProofbookError] = field(default_factory=list)
    #: Ids of the identities verified in this run, and of those whose verdicts all came from
    #: the cache (an identity with input errors is in neither).
    verified_now: list[str] = field(default_factory=list)
    from_cache: list[str] = field(default_factory=list)
    seconds: float = 0.0
    #: ``CheckOptions.require`` of the check that made this report.
    require: Level = "numeric"

    def counts(self) -> dict[str, int]:
        counts = {"verified": 0, "false": 0, "inconclusive": 0, "definition": 0}
        for report in self.entries:
            counts[report.result.status] += 1
        return counts

    def summary(self) -> str:
        c = self.counts()
        plural = "" if c["definition"] == 1 else "s"
        return (f"{c['verified']} verified, {c['false']} false, {c['inconclusive']} inconclusive, "
                f"{c['definition']} definition{plural}")

    def activity(self) -> str:
        """What this run did: e.g. "1 entry verified now, 27 from the cache (0.4 s)"."""
        now = len(self.verified_now)
        noun = "entry" if now == 1 else "entries"
        return f"{now} {noun} verified now, {len(self.from_cache)} from the cache ({self.seconds:.1f} s)"

    def problems(self, fail_on_inconclusive: bool = True) -> list[str]:
        """One paragraph per problem: input errors, false or inconclusive claims, bad steps."""
        lines = [str(e) for e in self.errors]
        for report in self.entries:
            lines.extend(escaped(line) for line in _entry_problems(report, fail_on_inconclusive))
            lines.extend(escaped(line) for line in _level_problems(report, self.require))
        return lines


def _entry_problems(report: EntryReport, fail_on_inconclusive: bool) -> list[str]:
    entry = report.entry
    head = f"{entry.location}: entry '{entry.id}' ({entry.number})"
    lines = []
    result = report.result
    if result.status == "false" or (result.status == "inconclusive" and fail_on_inconclusive
                                    and result.reason != _INVALID):
        verdict = "is false" if result.status == "false" else "is inconclusive"
        lines.append(f"{head} {verdict}: {result.describe()}")
    for number, step in enumerate(report.steps, start=1):
        status = step.result.status
        if status == "false" or (status == "inconclusive" and fail_on_inconclusive):
            where = step.step.location if step.step and step.step.location else entry.location
            what = f"proof step {number}" if step.step else "the proof's last line (= right-hand side)"
            verdict = "does not follow from the line before" if status == "false" else "could not be checked"
            lines.append(f"{where}: entry '{entry.id}' ({entry.number}): {what} {verdict}: "
                         f"{step.result.describe()}")
    return lines


def _level_problems(report: EntryReport, require: Level) -> list[str]:
    """A verified identity whose evidence is weaker than the site requires."""
    result, entry = report.result, report.entry
    if result.status != "verified" or result.level is None or LEVELS.index(result.level) <= LEVELS.index(require):
        return []
    return [f"{entry.location}: entry '{entry.id}' ({entry.number}) is verified only at level "
            f"'{result.level}' ({result.describe()}), below the level '{require}' that this site "
            f"requires. Strengthen its evidence (the trust page says what each level needs), or "
            f"lower the requirement (the plugin's require option, proofbook check --require)."]


_INVALID = "the entry has input errors (listed with the problems)"


def check_registry(registry: Registry, options: CheckOptions = CheckOptions(),
                   cache: ResultCache | None = None, progress: Progress | None = None) -> Report:
    """Verify every entry (or, with ``options.shard``, a share of them); never raises for a
    problem in the registry (they go in the Report)."""
    started = time.monotonic()
    cache = cache if cache is not None else ResultCache()
    report = Report(errors=proof_errors(registry), require=options.require)
    entries = share(registry.entries, options.shard)
    latex, invalid = _latex_for(entries, options, cache, report.errors)
    plans = {e.id: _plan(e) for e in entries if e.kind == "identity" and e.id not in invalid}
    results, fresh, failed = _verify([c for plan in plans.values() for c in plan.claims()], options,
                                     cache, progress)
    report.errors += _failure_errors(failed)
    for claim in failed:
        plans.pop(claim.entry_id, None)
    for ident, plan in plans.items():
        (report.verified_now if fresh.intersection(plan.claims()) else report.from_cache).append(ident)
    for entry in entries:
        report.entries.append(_entry_report(entry, plans.get(entry.id), results, latex, options.bold))
    cache.save()
    report.seconds = time.monotonic() - started
    return report


def share(entries: Sequence[Entry], shard: tuple[int, int] | None) -> Sequence[Entry]:
    """The K-th of N shares (``shard = (K, N)``), dealt round-robin in registry order, so that
    every share gets its part of each chapter; all entries when ``shard`` is None."""
    if shard is None:
        return entries
    k, n = shard
    return entries[k - 1::n]


# -- LaTeX (compiles; needs SymPy only on a cache miss) ---------------------------------------

def _expression_key(entry: Entry, source: Source, bold: bool) -> str:
    symbols = [(d.name, d.kind, d.shape, d.assume, d.of, d.latex, d.basis) for d in entry.symbols]
    blob = json.dumps([source_digest("language", "render/latex.py"), symbols, source.text, bold], default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


def _sources(entry: Entry) -> list[Source]:
    return [*entry.statement, *(s.expr for s in entry.proof or ())]


@dataclass(frozen=True)
class _Compiled:
    """What the cache keeps of a compiled expression: its LaTeX and its shape."""

    latex: str
    shape: ShapeText

    def to_data(self) -> dict[str, object]:
        return {"latex": self.latex, "shape": None if self.shape is None else list(self.shape)}

    @classmethod
    def from_data(cls, data: object) -> _Compiled | None:
        if not (isinstance(data, dict) and isinstance(data.get("latex"), str)):
            return None
        try:
            return cls(data["latex"], shapes.from_data(data.get("shape")))
        except ValueError:
            return None


def _latex_for(entries: Sequence[Entry], options: CheckOptions, cache: ResultCache,
               errors: list[ProofbookError]) -> tuple[dict[str, str], set[str]]:
    """LaTeX of every expression by text key; the ids of entries that failed to compile.

    An expression's record says only how that one expression compiles; whether the lines of an
    entry agree in shape is checked here on every run, whatever the cache holds."""
    latex: dict[str, str] = {}
    invalid: set[str] = set()
    for entry in entries:
        keyed = [(_expression_key(entry, source, options.bold), source) for source in _sources(entry)]
        cached = {key: found for key, _ in keyed
                  if (found := _Compiled.from_data(cache.latex(key))) is not None}
        if len(cached) == len({key for key, _ in keyed}):
            compiled = {source: cached[key] for key, source in keyed}
            entry_errors = _shape_errors(entry, compiled)
        else:
            compiled, entry_errors = _compile(entry, keyed, options)
            entry_errors += _shape_errors(entry, compiled)
            if not entry_errors:  # only a fully valid entry may skip compilation next time
                for key, source in keyed:
                    cache.store_latex(key, compiled[source].to_data())
        if entry_errors:
            errors.extend(entry_errors)
            invalid.add(entry.id)
        else:
            latex.update({key: compiled[source].latex for key, source in keyed})
    return latex, invalid


def _compile(entry: Entry, keyed: list[tuple[str, Source]],
             options: CheckOptions) -> tuple[dict[Source, _Compiled], list[ProofbookError]]:
    """Every expression that compiles, and the errors of those that do not."""
    from .language.parse import compile_source, shape_text
    from .language.symbols import SymbolTable
    from .render.latex import to_latex

    try:
        table = SymbolTable.build(entry.symbols)
    except ProofbookError as error:
        return {}, [replace(error, entry_id=entry.id)]
    errors = []
    compiled: dict[Source, _Compiled] = {}
    names = {d.name: d.latex for d in entry.symbols if d.latex}
    for _, source in keyed:
        try:
            typed = compile_source(source, table, entry.id)
        except ProofbookError as error:
            errors.append(error)
            continue
        compiled[source] = _Compiled(to_latex(typed.expr, bold=options.bold, names=names),
                                     shape_text(typed.shape))
    return compiled, errors


def _shape_errors(entry: Entry, compiled: dict[Source, _Compiled]) -> list[ProofbookError]:
    """Every line of a statement or proof must have one shape (1 x 1 counts as scalar)."""
    lines = [s for s in _sources(entry) if s in compiled]
    if not lines:
        return []
    first = compiled[lines[0]].shape
    errors = []
    for source in lines[1:]:
        shape = compiled[source].shape
        if first != shape and not (shapes.is_scalarlike(first) and shapes.is_scalarlike(shape)):
            errors.append(ProofbookError(
                f"this line is {shapes.describe(shape)} but the left-hand side is "
                f"{shapes.describe(first)}.", source.location, entry.id,
                "Both sides of an equation must have the same shape."))
    return errors


# -- claims -----------------------------------------------------------------------------------

@dataclass
class _Plan:
    """The claims of one identity: statement links, then proof links."""

    statement: list[Claim]
    proof: list[tuple[Claim, int | None]]

    def claims(self) -> list[Claim]:
        return self.statement + [c for c, _ in self.proof]


def _plan(entry: Entry) -> _Plan:
    def claim(label: str, lhs: Source, rhs: Source) -> Claim:
        return Claim(entry.id, label, entry.symbols, lhs, rhs)

    chain = entry.statement
    statement = [claim("statement" if len(chain) == 2 else f"statement link {k}", a, b)
                 for k, (a, b) in enumerate(zip(chain, chain[1:]), start=1)]
    proof: list[tuple[Claim, int | None]] = []
    previous = chain[0]
    for k, step in enumerate(entry.proof or (), start=1):
        proof.append((claim(f"proof step {k}", previous, step.expr), k))
        previous = step.expr
    if entry.proof and previous.text.strip() != chain[-1].text.strip():
        proof.append((claim("proof closing line", previous, chain[-1]), None))
    return _Plan(statement, proof)


def _verify(claims: list[Claim], options: CheckOptions, cache: ResultCache,
            progress: Progress | None) -> tuple[dict[Claim, Result], set[Claim], dict[Claim, str]]:
    """Every claim's verdict, the claims verified now (not in the cache), and the claims on
    which the verifier itself failed (an error, not a limit), with the failure."""
    results: dict[Claim, Result] = {}
    failed: dict[Claim, str] = {}
    todo = []
    for claim in claims:
        cached = cache.result(claim.key(options.settings))
        if cached is not None:
            results[claim] = cached
        else:
            todo.append(claim)
    if todo:
        from .verify.engine import verify_task
        from .verify.pool import run_tasks

        if progress is not None:
            progress.start([c.entry_id for c in todo])
        try:
            outcomes = run_tasks(verify_task, [(c, options.settings) for c in todo],
                                 jobs=options.jobs or os.cpu_count() or 1, time_limit=options.time_limit,
                                 memory_limit_mb=options.memory_limit_mb,
                                 preload=["proofbook.verify.engine"],
                                 on_done=None if progress is None else
                                 lambda index: progress.claim_done(todo[index].entry_id))
        finally:
            if progress is not None:
                progress.finish()
        for claim, outcome in zip(todo, outcomes):
            if outcome.failure is not None and not outcome.resource:
                failed[claim] = outcome.failure
                continue
            result = (cast(Result, outcome.value) if outcome.failure is None  # no failure: the worker returned one
                      else Result("inconclusive", reason=outcome.failure))
            results[claim] = result
            cache.store_result(claim.key(options.settings), result)
    return results, set(todo), failed


def _failure_errors(failed: dict[Claim, str]) -> list[ProofbookError]:
    """A failure of the verifier is never an allowed "inconclusive": it fails every build, at
    the claim's line, as bad input does (a value too large to handle, a construct the verifier
    does not support), whatever ``fail_on_inconclusive`` says."""
    return [ProofbookError(f"the verifier failed on the {claim.label} ({failure}).", _where(claim),
                           claim.entry_id, "Rewrite the expression, or split it with a proof; "
                           "if it is valid, please report this as a bug of proofbook.")
            for claim, failure in failed.items()]


def _where(claim: Claim) -> Location:
    """The line a claim is about: a proof step's own expression, else the statement's start."""
    return claim.rhs.location if claim.label.startswith("proof") else claim.lhs.location


# -- reports ----------------------------------------------------------------------------------

def _entry_report(entry: Entry, plan: _Plan | None, results: dict[Claim, Result],
                  latex: dict[str, str], bold: bool) -> EntryReport:
    def tex(source: Source) -> str:
        return latex.get(_expression_key(entry, source, bold), "")

    sides = [tex(s) for s in entry.statement]
    statement_tex = " = ".join(sides)
    if entry.kind == "definition":
        return EntryReport(entry, Result("definition"), statement_tex, sides=sides)
    if plan is None:
        return EntryReport(entry, Result("inconclusive", reason=_INVALID), statement_tex, sides=sides)
    result = combine([results[c] for c in plan.statement], [c.label for c in plan.statement])
    steps = []
    for claim, k in plan.proof:
        step = entry.proof[k - 1] if k is not None and entry.proof else None
        steps.append(StepReport(tex(claim.rhs), results[claim], step))
    return EntryReport(entry, result, statement_tex, steps, sides)


def combine(results: list[Result], labels: Iterable[str]) -> Result:
    """One verdict for a chain a = b = c: false or inconclusive if any link is."""
    labels = list(labels)
    for status in ("false", "inconclusive"):
        for result, label in zip(results, labels):
            if result.status == status:
                prefix = "" if label == "statement" else f"{label}: "
                reason = prefix + (result.reason or "") if result.reason else None
                return Result(status, result.evidence, result.counterexample, reason, result.seconds)
    evidence: dict[str, Evidence] = {}
    for result in results:
        for item in result.evidence:
            evidence.setdefault(item.summary, item)
    return Result("verified", tuple(evidence.values()), seconds=round(sum(r.seconds for r in results), 3),
                  level=weakest([r.level or "numeric" for r in results]))
