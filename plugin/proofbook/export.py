"""Machine-readable forms of a checked registry (``proofbook check --json``, exports)."""

from __future__ import annotations

from typing import Any

from . import __version__
from .check import Report
from .model import EntryReport, result_to_dict


def report_as_dict(report: Report) -> dict[str, Any]:
    """Every entry with its number, LaTeX, verdict, evidence and proof structure."""
    return {
        "proofbook": __version__,
        "summary": report.counts(),
        "errors": [str(e) for e in report.errors],
        "entries": [_entry_as_dict(r) for r in report.entries],
    }


def _entry_as_dict(report: EntryReport) -> dict[str, Any]:
    entry = report.entry
    return {
        "id": entry.id,
        "number": entry.number,
        "title": entry.title,
        "kind": entry.kind,
        "chapter": entry.chapter,
        "file": entry.location.file,
        "line": entry.location.line,
        "statement": [s.text for s in entry.statement],
        "latex": report.latex,
        "source": entry.source,
        "tags": list(entry.tags),
        **result_to_dict(report.result),
        "proof": [
            {
                "number": k,
                "expression": step.step.expr.text if step.step else entry.statement[-1].text,
                "latex": step.latex,
                "by": list(step.step.by) if step.step else [],
                "rule": step.step.rule if step.step else None,
                **result_to_dict(step.result),
            }
            for k, step in enumerate(report.steps, start=1)
        ],
    }
