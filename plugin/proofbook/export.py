"""Machine-readable and printable forms of a checked registry: ``check --json`` and ``export``.

The CLI exports only a report in which every identity is verified, so an export never has to
show a failure.  Nothing here imports SymPy: entry LaTeX comes ready-made in the report.
"""

from __future__ import annotations

import datetime
import json
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from . import __version__
from .check import Report
from .model import Chapter, Entry, EntryReport, Registry, StepReport, result_to_dict
from .render.refs import REFERENCE
from .texmath import safe_math


@dataclass(frozen=True)
class HandbookMeta:
    """Who publishes the handbook, which release, and where it lives online.

    It fills the JSON header, the title of the LaTeX sheet and the citations; ``url`` (the
    site root) turns citations into permalinks to single entries, on the chapter pages that
    the plugin writes below ``pages_dir`` (its ``output_dir``).
    """

    title: str = "proofbook handbook"
    authors: tuple[str, ...] = ()
    version: str | None = None
    url: str | None = None
    #: None: undated, so that the same sources always give the same files.
    date: datetime.date | None = None
    pages_dir: str = "handbook"

    def as_dict(self) -> dict[str, Any]:
        return {"title": self.title, "authors": list(self.authors), "version": self.version,
                "url": self.url, "date": self.date.isoformat() if self.date else None}

    def release(self) -> list[str]:
        """``["version 2", "2024-05-01"]``: what identifies this edition, as far as it is known."""
        return [*([f"version {self.version}"] if self.version else []),
                *([self.date.isoformat()] if self.date else [])]

    def permalink(self, entry: Entry) -> str | None:
        """The entry's anchor on its chapter page of the published site, if ``url`` is known."""
        if self.url is None:
            return None
        return f"{self.url.rstrip('/')}/{self.pages_dir.strip('/')}/{entry.chapter}/#{entry.id}"


# -- JSON -------------------------------------------------------------------------------------

def report_as_dict(report: Report, timings: bool = True) -> dict[str, Any]:
    """Every entry with its number, LaTeX, verdict, evidence and proof structure.

    ``timings=False`` leaves out the seconds each claim took, for files that two builds of the
    same registry must write byte for byte (the site's exports)."""
    data = {
        "proofbook": __version__,
        "summary": report.counts(),
        "errors": [str(e) for e in report.errors],
        "entries": [_entry_as_dict(r) for r in report.entries],
    }
    return data if timings else _without_seconds(data)


def _without_seconds(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_seconds(v) for k, v in value.items() if k != "seconds"}
    if isinstance(value, list):
        return [_without_seconds(v) for v in value]
    return value


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


def handbook_json(registry: Registry, report: Report, meta: HandbookMeta) -> str:
    """The ``check --json`` report under a handbook header, with chapter titles to group by."""
    chapters = [{"slug": c.slug, "number": c.number, "title": c.title} for c in registry.chapters]
    data = {"handbook": meta.as_dict(), "chapters": chapters, **report_as_dict(report, timings=False)}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


# -- text for LaTeX and BibTeX ----------------------------------------------------------------

# Escapes that keep braces balanced, because BibTeX counts braces even after a backslash.
_SPECIALS = {
    "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
    "{": r"\textbraceleft{}", "}": r"\textbraceright{}", "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}", "\\": r"\textbackslash{}",
}
_GREEK = dict(zip(
    "αβγδεζηθικλμνξπρστυφχψωΓΔΘΛΞΠΣΥΦΨΩ",
    ("alpha beta gamma delta varepsilon zeta eta theta iota kappa lambda mu nu xi pi rho sigma tau "
     "upsilon phi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega").split(),
))
# Characters pdflatex's UTF-8 input cannot typeset in text, but titles use (Gradient of ∂f/∂x).
_MATH_CHARS = {
    **{char: "\\" + name for char, name in _GREEK.items()},
    "∂": r"\partial", "∇": r"\nabla", "∑": r"\sum", "∫": r"\int", "∞": r"\infty", "∈": r"\in",
    "≤": r"\leq", "≥": r"\geq", "≠": r"\neq", "≈": r"\approx", "→": r"\to", "−": "-",
    "⊗": r"\otimes", "∘": r"\circ",
}


# What ``tex_escape`` must look at: the specials and every character outside printable ASCII.
_NEEDS_TEX = re.compile("[" + re.escape("".join(_SPECIALS)) + r"]|[^\x20-\x7e]")
# Characters TeX reads as something other than text: control characters (a carriage return
# ends the line and drops the rest, ^^L is an \outer \par, ^^? is invalid) and line and
# paragraph separators; each becomes a space.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def tex_escape(text: str) -> str:
    r"""``text`` as LaTeX (and BibTeX) text: specials escaped, control characters and line breaks
    as spaces, Greek letters, math symbols and Unicode super/subscripts (Aᵀ, X⁻¹) spelled as
    pdflatex can typeset them.  The result holds no command but those spellings."""
    return _NEEDS_TEX.sub(lambda match: _tex_char(match[0]), text)


def _tex_char(char: str) -> str:
    if _CONTROL.match(char):
        return " "
    if char in _SPECIALS:
        return _SPECIALS[char]
    if char in _MATH_CHARS:
        return rf"\ensuremath{{{_MATH_CHARS[char]}}}"
    kind, _, code = unicodedata.decomposition(char).partition(" ")
    if kind in ("<super>", "<sub>") and " " not in code:
        command = "textsuperscript" if kind == "<super>" else "textsubscript"
        return rf"\{command}{{{_tex_char(chr(int(code, 16)))}}}"
    if _typeset(char):
        return char
    return _fallback(char)


# What pdflatex's UTF-8 input typesets with T1 fonts: Latin-1, Latin Extended-A but for nine
# letters, and common punctuation (measured with TeX Live 2023; anything else is an error
# "Unicode character ... not set up for use with LaTeX").
_UNSET = frozenset("\u0126\u0127\u0138\u013f\u0140\u0149\u0166\u0167\u017f")
_PUNCTUATION = frozenset("–—‘’“”…•€†‡‰‹›™")


def _typeset(char: str) -> bool:
    return "\u00a0" <= char <= "\u017f" and char not in _UNSET or char in _PUNCTUATION


def _fallback(char: str) -> str:
    """A character pdflatex cannot typeset: its letter without accents if it has one (ǎ → a),
    nothing for an invisible format character (zero-width space, direction marks), else ``?``."""
    base = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
    if base and base.isalnum():
        return base
    return "" if unicodedata.category(char) == "Cf" else "?"


_REFERENCE = re.compile(REFERENCE, re.VERBOSE)
#: Code spans and the four ways of writing math, in a note; each formula at most 500 characters.
_NOTE_PIECE = re.compile(r"""
    (?P<ticks>`+)(?P<code>[^`]{1,500}?)(?P=ticks)
  | \$\$(?P<display>[^$]{1,500}?)\$\$ | \\\[(?P<display2>.{1,500}?)\\\]
  | \$(?P<inline>[^$]{1,500}?)\$ | \\\((?P<inline2>.{1,500}?)\\\)
""", re.VERBOSE | re.DOTALL)


def _tex_markdown(text: str) -> str:
    r"""A registry note: ``[[id]]`` references as ``\eqref`` links, math through the allow-list
    of ``texmath``, code spans as ``\texttt``, everything else escaped as text."""
    pieces, last = [], 0
    for match in _REFERENCE.finditer(text):
        pieces.append(_tex_text(text[last:match.start()]))
        label = match["text"]
        pieces.append(f"\\hyperref[{match['id']}]{{{_tex_text(label)}}}" if label
                      else f"\\eqref{{{match['id']}}}")
        last = match.end()
    pieces.append(_tex_text(text[last:]))
    return "".join(pieces)


def _tex_text(text: str) -> str:
    pieces, last = [], 0
    for match in _NOTE_PIECE.finditer(text):
        pieces += [tex_escape(text[last:match.start()]), _tex_piece(match)]
        last = match.end()
    pieces.append(tex_escape(text[last:]))
    return "".join(pieces)


def _tex_piece(match: re.Match[str]) -> str:
    """A code span or a formula; a formula the allow-list refuses is printed as its text."""
    if match["code"] is not None:
        return f"\\texttt{{{tex_escape(match['code'])}}}"
    display = match["display"] or match["display2"]
    math = safe_math(display or match["inline"] or match["inline2"] or "")
    if math is None:
        return f"\\texttt{{{tex_escape(match.group())}}}"
    return f"\\[ {math} \\]" if display else f"${math}$"


# -- LaTeX sheet ------------------------------------------------------------------------------

def latex_sheet(registry: Registry, report: Report, meta: HandbookMeta) -> str:
    """A standalone article: one section per chapter, one tagged equation per entry, proofs last."""
    reports = {r.entry.id: r for r in report.entries}
    chapters = [_chapter_tex(c, [reports[e.id] for e in c.entries]) for c in registry.chapters]
    proofs = [_proof_tex(r) for r in report.entries if r.steps]
    appendix = [r"\appendix", r"\section{Proofs}", *proofs] if proofs else []
    return "\n\n".join([_preamble(meta), *chapters, *appendix, "\\end{document}\n"])


def _preamble(meta: HandbookMeta) -> str:
    authors = r" \and ".join(tex_escape(a) for a in meta.authors)
    release = ", ".join(tex_escape(part) for part in meta.release())
    return "\n".join([
        f"% Written by proofbook {__version__} from a verified registry.",
        r"\documentclass{article}",
        # Only packages of texlive-latex-base (and texlive-base, which it needs) are loaded
        # unconditionally; Latin Modern only where it is installed (Debian's lmodern).
        r"\IfFileExists{lmodern.sty}{\usepackage[T1]{fontenc}\usepackage{lmodern}}{}",
        r"\usepackage{amsmath}",
        r"\usepackage{amssymb}",
        # \tag leaves the equation counter alone: unique link targets need hypertexnames=false.
        r"\usepackage[hypertexnames=false]{hyperref}",
        f"\\title{{{tex_escape(meta.title)}}}",
        f"\\author{{{authors}}}",
        f"\\date{{{release[:1].upper() + release[1:]}}}",
        r"\begin{document}",
        r"\maketitle",
    ])


def _chapter_tex(chapter: Chapter, reports: list[EntryReport]) -> str:
    """``\\section`` numbered as the chapter, so that (1.8) stands in section 1."""
    head = f"\\setcounter{{section}}{{{chapter.number - 1}}}\n\\section{{{tex_escape(chapter.title)}}}"
    return "\n\n".join([head, *(_entry_tex(r) for r in reports)])


def _entry_tex(report: EntryReport) -> str:
    entry = report.entry
    if entry.kind == "definition":
        marker, note = " (definition)", "Definition: fixes the notation, not verified."
    else:
        marker, note = "", f"Verified: {tex_escape(report.result.describe())}."
    if entry.source:
        note += f" Source: {tex_escape(entry.source)}."
    if entry.notes:
        note += " " + _tex_markdown(entry.notes)
    return "\n".join([
        f"\\noindent\\textbf{{{tex_escape(entry.title)}}}{marker}",
        r"\begin{equation}",
        f"\\label{{{entry.id}}}\\tag{{{entry.number}}}",
        report.latex,
        r"\end{equation}",
        f"{{\\par\\small\\noindent {note}\\par}}",
    ])


def _proof_tex(report: EntryReport) -> str:
    """The proof as one ``align*`` chain from the left-hand side, each line with its reasons."""
    entry = report.entry
    lines = [f"&= {step.latex}{_reasons(step)}" for step in report.steps]
    return "\n".join([
        f"\\subsection*{{Proof of ({entry.number}) {tex_escape(entry.title)}}}",
        r"\begin{align*}",
        report.sides[0] + " " + " \\\\\n".join(lines),
        r"\end{align*}",
    ])


def _reasons(step: StepReport) -> str:
    r"""`` && \text{by (1.7), cyclic-trace}``: cited entries as links, then the rule."""
    if step.step is None:
        return ""
    reasons = [f"\\eqref{{{ref}}}" for ref in step.step.by]
    if step.step.rule:
        reasons.append(tex_escape(step.step.rule))
    return f" && \\text{{by {', '.join(reasons)}}}"
