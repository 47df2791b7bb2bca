"""The README's two set-up commands, run as written in a clean copy of the repository.

A new user copies them from the README into a shell in the root of a clone; nothing is
activated and nothing is installed beforehand.  The first installs proofbook into a fresh
virtual environment and builds the handbook; the README then says to read it with
``mkdocs serve``, which is tested too.  The second is ``.ci/run``, which CI itself runs.
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")


def setup_commands() -> list[str]:
    """The shell commands of the README's set-up section, one per code block."""
    section = README.partition("## Set up")[2].partition("\n## ")[0]
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", section, re.S)]


def test_readme_gives_exactly_two_setup_commands() -> None:
    """One command builds the handbook, the other is the test command CI runs."""
    build, tests = setup_commands()
    assert "\n" not in build and "mkdocs build --strict" in build and "python3 -m venv" in build
    assert tests == "bash .ci/run"
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "python3 -m venv .venv" in ci and ".venv/bin/python -m pytest" in ci


def test_readme_preview_is_a_server_not_a_file() -> None:
    """A build opened from disk shows raw LaTeX, so the README never sends readers there."""
    assert "mkdocs serve" in README and "open `site/index.html`" not in README


@pytest.fixture(scope="module")
def clean_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The files git would clone (tracked, or new and not ignored): no venv, cache or site."""
    copy = tmp_path_factory.mktemp("clone")
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=REPO, capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = REPO / name
        if source.is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)
    return copy


@pytest.fixture(scope="module")
def built(clean_copy: Path) -> Path:
    """The clean copy after the README's first command, run by a shell as written."""
    build, _ = setup_commands()
    run = subprocess.run(["bash", "-c", build], cwd=clean_copy, capture_output=True, text=True,
                         timeout=900)
    assert run.returncode == 0, (run.stdout + run.stderr)[-4000:]
    return clean_copy


def test_readme_build_command_installs_and_builds_the_handbook(built: Path) -> None:
    """The venv has proofbook's command, and the site has every chapter with its formulas."""
    assert (built / ".venv" / "bin" / "proofbook").is_file()
    chapter = (built / "site" / "handbook" / "matrix-derivatives" / "index.html").read_text(encoding="utf-8")
    assert 'id="trace-ab-grad"' in chapter and '<span class="pb-eqno">(1.8)</span>' in chapter


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def served(built: Path) -> Iterator[str]:
    """``.venv/bin/mkdocs serve`` as the README says, on a free loopback port."""
    address = f"127.0.0.1:{free_port()}"
    with (built / "serve.log").open("wb") as log:
        server = subprocess.Popen([str(built / ".venv" / "bin" / "mkdocs"), "serve", "-a", address],
                                  cwd=built, stdout=log, stderr=subprocess.STDOUT)
        try:
            yield f"http://{address}/"
        finally:
            server.terminate()
            server.wait(timeout=30)


def fetch(url: str, deadline: float) -> str:
    """The body at ``url``, waiting (until ``deadline``) for the server's first build."""
    while True:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                return response.read().decode("utf-8")
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def test_readme_preview_serves_the_handbook_with_its_scripts(served: str) -> None:
    """The served chapter page loads proofbook's script, which loads KaTeX from the site itself,
    and KaTeX is there."""
    chapter = served + "handbook/matrix-derivatives/"
    page = fetch(chapter, time.monotonic() + 180)
    assert 'id="trace-ab-grad"' in page
    script = re.search(r'src="([^"]*proofbook\.js)"', page)
    assert script is not None, "the chapter page loads no proofbook script"
    url = urllib.parse.urljoin(chapter, script.group(1))
    katex = re.search(r'"(vendor/katex/katex\.min\.js)"', fetch(url, time.monotonic() + 10))
    assert katex is not None, "the script loads no KaTeX of the site's own"
    assert "katex" in fetch(urllib.parse.urljoin(url, katex.group(1)), time.monotonic() + 10).lower()
