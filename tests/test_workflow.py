"""The copyable GitHub workflow and CITATION.cff: their structure, and that their commands exist."""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

import proofbook
from proofbook.cache import shard_file
from proofbook.adapters.cli import _parser

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = ROOT / ".github" / "workflows" / "handbook.yml"
ON_MAIN_PUSH = ("github.event_name == 'push'", "github.ref == 'refs/heads/main'")
#: The CI cache folder (outside the checkout) and the signing secret, given to pushes only.
CI_CACHE_DIR = "/tmp/proofbook-cache"
CI_ENV = {"PROOFBOOK_CACHE_DIR": CI_CACHE_DIR,
          "PROOFBOOK_CACHE_KEY": "${{ github.event_name == 'push' && secrets.PROOFBOOK_CACHE_KEY || '' }}"}

Step = dict[str, Any]


@pytest.fixture(scope="module")
def workflow() -> dict[Any, Any]:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def build_steps(workflow: dict[Any, Any]) -> list[Step]:
    return workflow["jobs"]["build"]["steps"]


def step_using(steps: list[Step], action: str) -> Step:
    """The one step that runs ``action`` (any version)."""
    matches = [s for s in steps if s.get("uses", "").split("@")[0] == action]
    assert len(matches) == 1, f"expected one step using {action}"
    return matches[0]


def commands(steps: list[Step]) -> list[list[str]]:
    """Every shell command of the ``run:`` steps, split into words."""
    lines = [line for s in steps for line in s.get("run", "").splitlines()]
    return [shlex.split(line) for line in lines if line.strip() and not line.lstrip().startswith("#")]


def proofbook_args(steps: list[Step]) -> list[argparse.Namespace]:
    """Each ``proofbook`` command parsed by the real CLI parser (a wrong flag fails the test)."""
    parsed = []
    for words in commands(steps):
        if words[0] == "proofbook":
            try:
                parsed.append(_parser().parse_args(words[1:]))
            except SystemExit:
                pytest.fail(f"the workflow runs {shlex.join(words)!r}, which the CLI rejects")
    return parsed


def test_runs_on_push_and_pull_request_to_main(workflow: dict[Any, Any]) -> None:
    """PyYAML reads the key ``on`` as the boolean True (YAML 1.1)."""
    triggers = workflow[True]
    assert triggers["push"]["branches"] == ["main"] and triggers["pull_request"]["branches"] == ["main"]


def test_build_installs_verifies_then_builds_strictly(workflow: dict[Any, Any]) -> None:
    """Checkout, Python 3.11, install, ``proofbook check``, then ``mkdocs build --strict``."""
    steps = build_steps(workflow)
    step_using(steps, "actions/checkout")
    python = step_using(steps, "actions/setup-python")["with"]["python-version"]
    assert python == "3.11"  # quoted: unquoted, 3.10 would read as 3.1
    lines = [shlex.join(words) for words in commands(steps)]
    assert lines.index("pip install .") < lines.index("proofbook check --config mkdocs.yml --json proofbook-results.json") \
        < lines.index("mkdocs build --strict")


def test_every_proofbook_command_exists_in_the_cli(workflow: dict[Any, Any]) -> None:
    """Subcommands and flags of the workflow are accepted by ``proofbook.adapters.cli._parser()``."""
    parsed = proofbook_args(build_steps(workflow))
    assert [args.run.__name__ for args in parsed] == ["_check"]


def test_results_are_uploaded_even_when_the_check_fails(workflow: dict[Any, Any]) -> None:
    """The artifact is the file that ``check --json`` writes, uploaded ``if: always()``."""
    steps = build_steps(workflow)
    upload = step_using(steps, "actions/upload-artifact")
    assert upload["if"] == "always()"
    (check,) = proofbook_args(steps)
    assert upload["with"]["path"] == check.json


def test_pages_are_deployed_only_from_pushes_to_main(workflow: dict[Any, Any]) -> None:
    """The site artifact and the deploy job both require a push to main; deploying needs OIDC."""
    pages = step_using(build_steps(workflow), "actions/upload-pages-artifact")
    assert pages["with"]["path"] == "site" and all(c in pages["if"] for c in ON_MAIN_PUSH)
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build" and all(c in deploy["if"] for c in ON_MAIN_PUSH)
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    step_using(deploy["steps"], "actions/deploy-pages")
    assert workflow["permissions"] == {"contents": "read"}  # everything else stays read-only


def test_citation_cff_describes_this_release() -> None:
    """CITATION.cff has the keys CFF 1.2.0 requires and the package's own version."""
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0"
    assert {"cff-version", "message", "title", "authors"} <= cff.keys()
    assert cff["title"] == "proofbook" and cff["type"] == "software" and cff["license"] == "MIT"
    assert cff["version"] == proofbook.__version__
    assert cff["authors"] == [{"name": "The proofbook developers"}]
    assert datetime.date.fromisoformat(cff["date-released"]) == datetime.date(2026, 11, 26)
    assert cff["abstract"] and cff["keywords"]


def test_docs_explain_the_workflow_and_gh_deploy() -> None:
    """The publishing page walks through the workflow's commands and the gh-deploy route."""
    text = (ROOT / "docs" / "publishing.md").read_text()
    for command in ("proofbook check --config mkdocs.yml --json proofbook-results.json",
                    "mkdocs build --strict", "mkdocs gh-deploy --strict", ".github/workflows/handbook.yml"):
        assert command in text


# -- the sharded recipe of docs/scaling.md ------------------------------------------------------

def yaml_blocks(page: str) -> list[Any]:
    """The ```yaml blocks of a docs page, parsed."""
    text = (ROOT / "docs" / page).read_text(encoding="utf-8")
    return [yaml.safe_load(block) for block in re.findall(r"```yaml\n(.*?)```", text, re.S)]


@pytest.fixture(scope="module")
def sharded() -> dict[Any, Any]:
    (recipe,) = [block for block in yaml_blocks("scaling.md") if isinstance(block, dict) and "jobs" in block]
    return recipe


def as_run_by(job: dict[Any, Any], shard: int) -> list[Step]:
    """A matrix job's steps with ``${{ matrix.shard }}`` replaced, as GitHub runs them."""
    return json.loads(json.dumps(job["steps"]).replace("${{ matrix.shard }}", str(shard)))


def test_sharded_recipe_verifies_every_share_then_builds_warm(sharded: dict[Any, Any]) -> None:
    """N verification jobs check shard K/N with the site's settings and upload exactly the file
    that shard writes; the build job needs them all and downloads every share into the cache
    folder, then builds."""
    verify, build = sharded["jobs"]["verify"], sharded["jobs"]["build"]
    shards = verify["strategy"]["matrix"]["shard"]
    n = len(shards)
    assert shards == list(range(1, n + 1))
    for k in shards:
        steps = as_run_by(verify, k)
        (check,) = proofbook_args(steps)
        assert check.shard == (k, n) and check.config == "mkdocs.yml"
        upload = step_using(steps, "actions/upload-artifact")["with"]
        assert upload["path"] == f"{CI_CACHE_DIR}/{shard_file((k, n))}"
        assert upload["name"] == f"proofbook-cache-{k}"
        assert step_using(steps, "actions/cache")["if"] == ON_MAIN_PUSH[0]
    assert sharded["env"] == CI_ENV and build["needs"] == "verify"
    download = step_using(build["steps"], "actions/download-artifact")
    assert download["with"] == {"pattern": "proofbook-cache-*", "path": CI_CACHE_DIR, "merge-multiple": True}
    assert download["if"] == ON_MAIN_PUSH[0]  # a pull request's shards are signed with keys of their own
    assert shlex.join(commands(build["steps"])[-1]) == "mkdocs build --strict"


def test_ci_cache_lives_outside_the_checkout_and_only_pushes_may_use_it() -> None:
    """The documented snippet and the workflow cache one folder outside the checkout, restore it
    on pushes only, and give the signing secret to pushes only: a pull request cannot bring
    (or read, or sign) a cache."""
    (snippet,) = [block for block in yaml_blocks("scaling.md") if isinstance(block, list)]
    workflow = yaml.safe_load(WORKFLOW.read_text())
    cached = step_using(build_steps(workflow), "actions/cache")
    for step in (snippet[0], cached):
        assert step["with"]["path"] == CI_CACHE_DIR and step["if"] == ON_MAIN_PUSH[0]
    assert workflow["jobs"]["build"]["env"] == CI_ENV


# -- the release workflow -------------------------------------------------------------------------

RELEASE = ROOT / ".github" / "workflows" / "release.yml"


@pytest.fixture(scope="module")
def release() -> dict[Any, Any]:
    return yaml.safe_load(RELEASE.read_text(encoding="utf-8"))


def test_release_runs_on_version_tags_only(release: dict[Any, Any]) -> None:
    assert release[True] == {"push": {"tags": ["v*"]}}
    assert release["permissions"] == {"contents": "read"}


def test_release_builds_checks_and_tries_the_wheel_before_publishing(release: dict[Any, Any]) -> None:
    """Build, ``twine check``, install the wheel, verify and build the site with it, then keep
    ``dist/`` for the publish job; the build job can write nothing."""
    build = release["jobs"]["build"]
    assert "permissions" not in build
    steps = build["steps"]
    step_using(steps, "actions/checkout")
    assert step_using(steps, "actions/setup-python")["with"]["python-version"] == "3.11"
    lines = [shlex.join(words) for words in commands(steps)]
    order = ["python -m build", "python -m twine check --strict 'dist/*'", "pip install 'dist/*.whl'",
             "proofbook check --config mkdocs.yml", "mkdocs build --strict"]
    assert [lines.index(line) for line in order] == sorted(lines.index(line) for line in order)
    assert [args.run.__name__ for args in proofbook_args(steps)] == ["_check"]
    upload = step_using(steps, "actions/upload-artifact")["with"]
    assert (upload["name"], upload["path"], upload["if-no-files-found"]) == ("dist", "dist/", "error")


@pytest.mark.parametrize(("tag", "status"), [(f"v{proofbook.__version__}", 0), ("v9.9.9", 1),
                                             (proofbook.__version__, 1)])
def test_release_refuses_a_tag_that_is_not_the_version(release: dict[Any, Any], tag: str, status: int) -> None:
    """The tag check, run as the workflow runs it: only ``v<version>`` passes."""
    (line,) = [line for step in release["jobs"]["build"]["steps"] for line in step.get("run", "").splitlines()
               if line.startswith("test ")]
    env = {**os.environ, "GITHUB_REF_NAME": tag, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    assert subprocess.run(["bash", "-c", line], env=env, check=False).returncode == status


def test_release_publishes_with_trusted_publishing(release: dict[Any, Any]) -> None:
    """The publish job needs the build, runs in the pypi environment, holds only the OpenID
    token permission, and publishes the built files with no password."""
    publish = release["jobs"]["publish"]
    assert publish["needs"] == "build"
    assert publish["environment"] == {"name": "pypi", "url": "https://pypi.org/p/mkdocs-proofbook"}
    assert publish["permissions"] == {"id-token": "write"}
    download, upload = publish["steps"]
    assert download["uses"].split("@")[0] == "actions/download-artifact"
    assert download["with"] == {"name": "dist", "path": "dist/"}
    assert upload["uses"] == "pypa/gh-action-pypi-publish@release/v1"
    assert "password" not in upload.get("with", {})
