"""The LaTeX export of a hostile registry, compiled: nothing is read, nothing is written.

Every row of ``TEX_NOTES`` is a note, the text rows are titles, sources and tags; ``proofbook
export`` writes the sheet (the site offers the same file as ``proofbook.tex``), and pdflatex
compiles it with ``-no-shell-escape`` in an empty folder that holds only the sheet and a
secret file.  Without pdflatex and pdftotext the test is skipped, except under CI, where it
fails.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from hardening_cases import TEX_BENIGN, TEX_NOTES, XSS_TEXT
from proofbook.cli import main

pytestmark = pytest.mark.latex

SECRET = "SECRET-CONTENT-4711"
#: The names the hostile notes try to read; both files hold SECRET.
SECRET_FILES = ("secret.txt", "secret.tex")
#: What pdflatex may leave besides the sheet and the secrets.
OUTPUTS = {"sheet.aux", "sheet.log", "sheet.out", "sheet.pdf"}
TITLES = ["\\input{secret.txt}", "\\immediate\\openout5=pwned.tex", "^^5cinput{secret.txt}", "}\\input{secret}{",
          "x\r\\input{secret}", "%\\input{secret}", "#1 ~ & $ _ ^",
          # Unicode pdflatex cannot typeset must not stop the compilation
          "emoji 🙂, CJK 中文, Ħ, \u202eright-to-left\u202c, zero\u200bwidth, ǎ"]


def require(*tools: str) -> None:
    """Skip without the tools, or fail under CI, which must run this test (as test_browser.py does)."""
    missing = [tool for tool in tools if shutil.which(tool) is None]
    if not missing:
        return
    reason = f"{', '.join(missing)} not installed"
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI must run the LaTeX tests", pytrace=False)
    pytest.skip(reason)


def hostile_tex_registry() -> str:
    """One chapter: e1, an identity with hostile title, source, tags and step note, then one
    definition per note of TEX_NOTES and TEX_BENIGN, titled with the TITLES."""
    notes = [note.format(secret="secret.txt") for _, note in TEX_NOTES] + [note for _, note, _ in TEX_BENIGN]
    lines = [f"chapter: {json.dumps(TITLES[0])}", f"source: {json.dumps(TITLES[1])}", "entries:",
             "  - id: e1", f"    title: {json.dumps(TITLES[2])}", "    symbols: {x: scalar}",
             "    lhs: x + x", "    rhs: 2*x", f"    tags: {json.dumps(TITLES[3:7])}",
             f"    notes: {json.dumps(XSS_TEXT[0])}",
             "    proof:", "      - step: 2*x", "        rule: algebra", f"        note: {json.dumps(notes[0])}"]
    for k, note in enumerate(notes):
        lines += [f"  - id: d{k}", f"    title: {json.dumps(TITLES[k % len(TITLES)])}", "    kind: definition",
                  "    symbols: {x: scalar}", "    lhs: x", "    rhs: x", f"    notes: {json.dumps(note)}",
                  f"    source: {json.dumps(TITLES[(k + 1) % len(TITLES)])}"]
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def sheet(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The LaTeX export of the hostile registry, as ``proofbook export`` writes it."""
    folder = tmp_path_factory.mktemp("hostile-tex")
    (folder / "registry").mkdir()
    (folder / "registry" / "01-tex.yml").write_text(hostile_tex_registry(), encoding="utf-8")
    out = folder / "sheet.tex"
    code = main(["export", str(folder / "registry"), "--no-cache", "--jobs", "1", "--format", "latex",
                 "-o", str(out)])
    assert code == 0
    return out.read_text(encoding="utf-8")


def test_benign_math_is_math_in_the_export(sheet: str) -> None:
    """Allowed formulas from notes are in the sheet as written."""
    for _, _, tex in TEX_BENIGN:
        assert tex in sheet


def test_hostile_export_compiles_without_reading_or_writing(sheet: str, tmp_path: Path) -> None:
    """pdflatex compiles the sheet; the PDF shows the hostile text as text, not the secret; the
    log opens no secret file; the folder holds pdflatex's own outputs and nothing else."""
    require("pdflatex", "pdftotext")
    (tmp_path / "sheet.tex").write_text(sheet, encoding="utf-8")
    for name in SECRET_FILES:
        (tmp_path / name).write_text(f"{SECRET}\n", encoding="utf-8")
    before = set(os.listdir(tmp_path))
    run = subprocess.run(["pdflatex", "-no-shell-escape", "-interaction=nonstopmode", "-halt-on-error", "sheet.tex"],
                         cwd=tmp_path, capture_output=True, text=True, timeout=120,
                         env={**os.environ, "openout_any": "p"})
    log = (tmp_path / "sheet.log").read_text(encoding="latin-1")
    assert run.returncode == 0, log[-3000:]
    assert set(os.listdir(tmp_path)) - before <= OUTPUTS
    opened = re.findall(r"\((\.?/[^\s()]+)", log)  # TeX logs each file it opens as "(./name"
    assert "./sheet.aux" in opened and not [name for name in opened if "secret" in name], opened
    written = re.findall(r"\\openout\d+ = `?([^'\s]+)", log)
    assert set(written) <= OUTPUTS, written
    text = subprocess.run(["pdftotext", "sheet.pdf", "-"], cwd=tmp_path, capture_output=True, text=True,
                          check=True).stdout
    assert SECRET not in text
    assert "input{secret.txt}" in text.replace(" ", "")  # shown as text
