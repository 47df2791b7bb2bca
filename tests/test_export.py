"""``proofbook export``: JSON, LaTeX and BibTeX of the verified registry, and refusals to export."""

from __future__ import annotations

import datetime
import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from proofbook.cache import ResultCache
from proofbook.check import CheckOptions, Report, check_registry
from proofbook.adapters.cli import main
from proofbook.export import HandbookMeta, latex_sheet, tex_escape
from proofbook.model import Registry
from proofbook.registry.load import load_registry
from proofbook.render.bibtex import bibliography
from samples import WRONG
from tools import require

ROOT = Path(__file__).resolve().parents[1]
REGISTRY = ROOT / "registry"
# Every character that needs escaping, plus Unicode that pdflatex cannot typeset as is.
NASTY = r"R&D 100% $5 #1 a_b {x} ~ ^ \ Aᵀ X⁻¹ αΣ∂ é"
META = HandbookMeta(title=NASTY, authors=("Jane Doe", "R&D {Team}"), version="1.0_beta",
                    url="https://example.org/book/", date=datetime.date(2026, 11, 26))


Checked = tuple[Registry, Report]


@pytest.fixture(scope="session")
def cache_dir() -> Path:
    """The session's verification cache (conftest.py), so that ``checked`` and the CLI runs
    after it verify only what no other test verified before."""
    return Path(os.environ["PROOFBOOK_CACHE_DIR"])


@pytest.fixture(scope="session")
def checked(cache_dir: Path) -> Checked:
    """The repository registry, verified once for the whole session."""
    registry = load_registry([REGISTRY])
    report = check_registry(registry, CheckOptions(), ResultCache(cache_dir))
    assert not report.problems(), report.problems()
    return registry, report


def export(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["export", *args])
    out, err = capsys.readouterr()
    return code, out, err


def meta_args() -> list[str]:
    """``META`` as command-line flags."""
    authors = [arg for author in META.authors for arg in ("--author", author)]
    return ["--title", META.title, *authors, "--version", str(META.version), "--url", str(META.url),
            "--date", META.date.isoformat()]


def count(report: Report, kind: str) -> int:
    return sum(r.entry.kind == kind for r in report.entries)


def test_json_has_metadata_numbers_latex_evidence_and_proofs(
        checked: Checked, cache_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The JSON export (stdout by default) is the check report under the handbook metadata."""
    code, out, err = export([str(REGISTRY), "--cache-dir", str(cache_dir), *meta_args()], capsys)
    assert code == 0, err
    data = json.loads(out)
    assert data["handbook"] == {"title": NASTY, "authors": ["Jane Doe", "R&D {Team}"], "version": "1.0_beta",
                                "url": "https://example.org/book/", "date": "2026-11-26"}
    assert [c["title"] for c in data["chapters"]] == [c.title for c in checked[0].chapters]
    entries = {e["id"]: e for e in data["entries"]}
    assert [e["number"] for e in data["entries"]] == [e.number for e in checked[0].entries]
    assert all(e["latex"] for e in entries.values())
    assert all(e["evidence"] for e in entries.values() if e["kind"] == "identity")
    gradient = entries["trace-ab-grad"]
    assert gradient["number"] == "1.8" and gradient["status"] == "verified"
    assert gradient["latex"].endswith(r"= \mathbf{B}^{T}")
    assert gradient["proof"][0]["by"] == ["trace-ab-entry", "grad-scalar-by-vector"]
    assert all(step["latex"] and step["status"] == "verified" for step in gradient["proof"])


def test_latex_sheet_has_sections_tagged_equations_notes_and_proofs(checked: Checked) -> None:
    """One section per chapter, one labelled and tagged equation per entry, proofs in the appendix."""
    registry, report = checked
    tex = latex_sheet(registry, report, META)
    assert tex.count(r"\section{") == len(registry.chapters) + 1  # the chapters and "Proofs"
    assert tex.count(r"\begin{equation}") == len(report.entries)
    assert r"\label{trace-ab-grad}\tag{1.8}" in tex
    assert tex.count("(definition)") == count(report, "definition")
    assert rf"\title{{{tex_escape(NASTY)}}}" in tex
    assert r"\author{Jane Doe \and R\&D \textbraceleft{}Team\textbraceright{}}" in tex
    appendix = tex.split(r"\appendix")[1]
    assert appendix.count(r"\begin{align*}") == sum(bool(r.steps) for r in report.entries)
    assert (r"&= \mathbf{B}^{T} && \text{by \eqref{trace-ab-entry}, \eqref{grad-scalar-by-vector}, "
            r"definition}") in tex


def test_tex_escape_spells_specials_and_unicode_for_pdflatex() -> None:
    """Every special character is escaped with balanced braces (BibTeX needs them balanced)."""
    assert tex_escape("& % $ # _") == r"\& \% \$ \# \_"
    assert tex_escape("{~^\\}") == (r"\textbraceleft{}\textasciitilde{}\textasciicircum{}"
                                    r"\textbackslash{}\textbraceright{}")
    assert tex_escape("Aᵀ X⁻¹ α") == (r"A\textsuperscript{T} X\textsuperscript{\ensuremath{-}}"
                                      r"\textsuperscript{1} \ensuremath{\alpha}")
    assert tex_escape("é — plain") == "é — plain"


#: The Debian packages whose TeX files the export may rely on: texlive-latex-base and the
#: texlive-base it depends on. Anything else (lmodern, say) must be loaded only when present.
BASE_TEX_PACKAGES = ("texlive-latex-base", "texlive-base")


def base_tex_tree(folder: Path) -> dict[str, str]:
    """A TEXINPUTS tree of links to the files of ``BASE_TEX_PACKAGES`` only, as the environment
    for pdflatex: a TEXINPUTS without a trailing colon replaces TeX's search path, so a
    ``\\usepackage`` of anything outside these packages fails as on a machine without it."""
    require("dpkg-query")
    listed = subprocess.run(["dpkg-query", "-L", *BASE_TEX_PACKAGES], capture_output=True, text=True,
                            check=True).stdout.split()
    for name in listed:
        source = Path(name)
        if "/texmf-dist/tex/" in name and source.is_file():
            link = folder / name.partition("/texmf-dist/tex/")[2]
            link.parent.mkdir(parents=True, exist_ok=True)
            if not link.exists():
                link.symlink_to(source)
    return {"TEXINPUTS": f".:{folder}//"}


@pytest.mark.latex
@pytest.mark.parametrize("tex", ["installed", "base packages only"])
def test_latex_export_compiles_with_one_tag_per_entry(
        checked: Checked, cache_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        tex: str) -> None:
    """pdflatex compiles the sheet, with the TeX installed and with texlive-latex-base alone;
    every \\eqref resolves, and the PDF shows each entry's tag."""
    require("pdflatex", "pdftotext")
    env = dict(os.environ)
    if tex == "base packages only":
        env.update(base_tex_tree(tmp_path / "texmf"))
    sheet = tmp_path / "handbook.tex"
    code, out, err = export([str(REGISTRY), "--cache-dir", str(cache_dir), "--format", "latex",
                             "--output", str(sheet), *meta_args()], capsys)
    assert code == 0 and out == "", err
    for _ in range(2):  # the second run resolves the references
        run = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", sheet.name],
                             cwd=tmp_path, capture_output=True, text=True, errors="replace", env=env)
        assert run.returncode == 0, run.stdout[-3000:]
    assert "undefined" not in (tmp_path / "handbook.log").read_text(errors="replace")
    text = subprocess.run(["pdftotext", "handbook.pdf", "-"], cwd=tmp_path, capture_output=True,
                          text=True, check=True).stdout
    body = text.partition("\nProofs\n")[0]
    tags = set(re.findall(r"\((\d+\.\d+)\)", body))
    numbers = {r.entry.number for r in checked[1].entries}
    assert tags == numbers and len(tags) == count(checked[1], "identity") + count(checked[1], "definition")
    # Without Latin Modern (OT1 Computer Modern) _ is a rule and ~ ^ are accents: shown, not copied.
    assert ("R&D 100% $5 #1 a_b {x} ~ ^ \\" if tex == "installed" else "R&D 100% $5 #1 a b {x} ˜ ˆ \\") in text


def test_bibtex_has_one_misc_per_identity_with_permalinks(checked: Checked) -> None:
    """Identities only, keyed by id, titled with their number, linked to their anchor online."""
    registry, report = checked
    bib = bibliography(registry, report, META)
    assert bib.count("@misc{") == count(report, "identity")
    entry = bib[bib.index("@misc{trace-ab-grad,"):].split("\n}\n")[0]
    assert "  title = {{(1.8) Gradient of Tr(AB)}}," in entry
    permalink = "https://example.org/book/handbook/matrix-derivatives/#trace-ab-grad"
    assert rf"  howpublished = {{\url{{{permalink}}}}}," in entry
    assert "  note = {Verified by proofbook: exact test" in entry
    assert "  year = {2026}," in entry and r"  version = {1.0\_beta}," in entry
    assert r"  author = {Jane Doe and R\&D \textbraceleft{}Team\textbraceright{}}," in entry


def test_bibtex_braces_balance(checked: Checked) -> None:
    """BibTeX counts every brace, escaped or not: depth never drops below zero and ends at zero."""
    depth = 0
    for char in bibliography(*checked, META):
        depth += {"{": 1, "}": -1}.get(char, 0)
        assert depth >= 0
    assert depth == 0


@pytest.mark.latex
def test_bibtex_reads_the_export_without_warnings(checked: Checked, tmp_path: Path) -> None:
    """BibTeX itself accepts every entry (plain style, all entries cited)."""
    require("bibtex")
    (tmp_path / "handbook.bib").write_text(bibliography(*checked, META), encoding="utf-8")
    (tmp_path / "cite.aux").write_text("\\citation{*}\n\\bibstyle{plain}\n\\bibdata{handbook}\n")
    run = subprocess.run(["bibtex", "cite"], cwd=tmp_path, capture_output=True, text=True)
    assert run.returncode == 0 and "Warning" not in run.stdout, run.stdout
    assert (tmp_path / "cite.bbl").read_text().count(r"\bibitem") == count(checked[1], "identity")


def test_false_identity_exits_1_and_exports_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An unverified handbook is never exported: exit 1, no file, the counterexample on stderr."""
    (tmp_path / "wrong.yml").write_text(WRONG)
    output = tmp_path / "out.bib"
    code, out, err = export([str(tmp_path), "--no-cache", "--jobs", "1", "--format", "bibtex",
                             "--output", str(output)], capsys)
    assert code == 1 and not output.exists() and out == ""
    assert "entry 'wrong-gradient' (1.1) is false" in err


def test_inconclusive_identity_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A claim that runs out of time is not verified either, and there is no --allow-inconclusive."""
    (tmp_path / "right.yml").write_text(WRONG.replace("rhs: B", "rhs: B.T"))
    code, out, err = export([str(tmp_path), "--no-cache", "--jobs", "1", "--time-limit", "0.001"], capsys)
    assert code == 1 and out == "" and "is inconclusive" in err


def test_bad_registry_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Bad input exits 2 with file, line and entry, whether it fails loading or compiling."""
    (tmp_path / "bad.yml").write_text(WRONG.replace("rhs: B", "rhs: B*D"))
    code, out, err = export([str(tmp_path), "--no-cache", "--jobs", "1", "--format", "latex"], capsys)
    assert code == 2 and out == "" and "entry 'wrong-gradient': unknown symbol 'D'" in err
    code, _, err = export([str(tmp_path / "nowhere")], capsys)
    assert code == 2 and "nowhere" in err
