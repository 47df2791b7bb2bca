"""proofbook's options without a host: the checks of their values, and the plain reading of
mkdocs.yml, zensical.toml, pyproject.toml and proofbook.toml (``proofbook.settings``)."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from proofbook.cachekey import default_cache_dir
from proofbook.errors import ProofbookErrors
from proofbook.settings import OptionError, ProofbookSettings, check_option, read_options
from proofbook.settings.files import find_site_settings, read_site_settings

# -- the checks of values -----------------------------------------------------------------------

REFUSED = [
    # counts: not text, not true/false, not a float, not below the minimum
    ("jobs", "2", "Expected a whole number from 0 to 256 but received: '2' (a number written as text: drop the "
                  "quotes; YAML reads 1e3 as text, 1.0e+3 as a number)"),
    ("jobs", 257, "Expected a whole number from 0 to 256 but received: 257"),
    ("jobs", True, "Expected a whole number from 0 to 256 but received: True"),
    ("jobs", 2.0, "Expected a whole number from 0 to 256 but received: 2.0"),
    ("jobs", -1, "Expected a whole number from 0 to 256 but received: -1"),
    ("points", 0, "Expected a whole number of at least 1 but received: 0"),
    ("digits", 14, "Expected a whole number of at least 15 but received: 14"),
    ("memory_limit_mb", None, "Expected a whole number of at least 0 but received: None"),
    # seconds: finite, positive
    ("time_limit", float("inf"), "Expected a finite number of at least 0.001 but received: inf"),
    ("time_limit", float("-inf"), "Expected a finite number of at least 0.001 but received: -inf"),
    ("time_limit", float("nan"), "Expected a finite number of at least 0.001 but received: nan"),
    ("time_limit", 0, "Expected a finite number of at least 0.001 but received: 0"),
    ("time_limit", "1e3", "Expected a finite number of at least 0.001 but received: '1e3' (a number written as "
                          "text: drop the quotes; YAML reads 1e3 as text, 1.0e+3 as a number)"),
    ("symbolic_budget", -0.5, "Expected a finite number of at least 0 but received: -0.5"),
    # sizes: a list of counts of at least 1
    ("exact_sizes", 2, "Expected a list of sizes (whole numbers of at least 1) but received: 2"),
    ("random_sizes", [1, "x"], "Expected a whole number of at least 1 but received: 'x' (in the list [1, 'x'])"),
    ("numeric_sizes", [0], "Expected a whole number of at least 1 but received: 0 (in the list [0])"),
    # the registry: a non-empty list of non-empty paths
    ("registry", "registry", "Expected a list of registry files or folders but received: 'registry'"),
    ("registry", [], "Expected at least one registry file or folder but received: []"),
    ("registry", ["  "], "Expected a path (text) but received: '  ' (in the list ['  '])"),
    # true/false, text, choices
    ("cache", "yes", "Expected true or false but received: 'yes'"),
    ("version", 1.0, "Expected text (quote a number: \"1.0\") but received: 1.0"),
    ("math", "MathJax", "Expected one of: ('auto', 'katex', 'katex-cdn', 'none') but received: 'MathJax'"),
    ("require", "proof", "Expected one of: ('proved', 'proved-for-sizes', 'tested', 'numeric') but received: 'proof'"),
    ("authors", "Ada", "Expected a list of names but received: 'Ada'"),
    ("authors", ["Ada", 3], "Expected text (quote a number: \"1.0\") but received: 3 (in the list ['Ada', 3])"),
    # dates: a day of the calendar, written YYYY-MM-DD, not a moment
    ("date", "2024-02-30", "Expected a date as YYYY-MM-DD but received: '2024-02-30'"),
    ("date", "20240203", "Expected a date as YYYY-MM-DD but received: '20240203'"),
    ("date", "2024-W05-6", "Expected a date as YYYY-MM-DD but received: '2024-W05-6'"),
    ("date", 2024, "Expected a date as YYYY-MM-DD but received: 2024"),
    ("date", datetime.datetime(2024, 2, 3, 10, 0),
     "Expected a date as YYYY-MM-DD but received: datetime.datetime(2024, 2, 3, 10, 0)"),
    # pages: inside the site, in a folder a URL can name
    *[("output_dir", folder, f"Expected a folder inside the site (handbook, reference/formulas) but received: "
                             f"{folder!r}")
      for folder in ["..", "../handbook", "handbook/../../x", "a//b", "C:\\site", "C:/site", "a\\b", "a?b",
                     "a#b", "hand book", "%2e%2e"]],
    ("output_dir", None, "Expected a folder inside the site (handbook, reference/formulas) but received: None"),
    # a navigation section needs a title
    ("nav_section", " ", "Expected a title (text) but received: ' '"),
    # a huge value is cut in the message
    ("nav_section", 7 * 10**100, f"Expected a title (text) but received: {str(7 * 10**100)[:60]}..."),
]


@pytest.mark.parametrize(("name", "value", "message"), REFUSED)
def test_bad_values_are_refused_with_what_was_expected(name: str, value: object, message: str) -> None:
    """Each check says what it expected and what it received."""
    with pytest.raises(OptionError) as refused:
        check_option(name, value)
    assert str(refused.value) == message


@pytest.mark.parametrize(("name", "value", "held"), [
    ("exact_sizes", [1, 3], (1, 3)),
    ("time_limit", 5, 5.0),
    ("symbolic_budget", 0, 0.0),
    ("output_dir", "/reference/formulas/", "reference/formulas"),  # a site path, below the root
    ("output_dir", "./handbook", "handbook"),
    ("output_dir", "", ""),  # the site's root itself
    ("date", "2024-02-29", datetime.date(2024, 2, 29)),
    ("date", datetime.date(2024, 2, 29), datetime.date(2024, 2, 29)),  # YAML and TOML read dates
    ("date", "", None),
    ("authors", None, None),  # not set: the site's author
    ("registry", ["sheet", "more/sheet.yml"], ("sheet", "more/sheet.yml")),
])
def test_good_values_are_held_as_the_core_takes_them(name: str, value: object, held: object) -> None:
    assert check_option(name, value) == held


def test_unknown_option_names_the_likely_one() -> None:
    """A typo gets the option it was meant to be; anything else gets the list of options."""
    with pytest.raises(OptionError, match=r"^Unknown option\. Did you mean 'time_limit'\?$"):
        check_option("time_limt", 5)
    with pytest.raises(OptionError) as refused:
        check_option("colour", "red")
    assert str(refused.value).startswith("Unknown option. The options are: registry, allow_outside, exact_sizes, random_sizes, ")


def test_read_options_lists_every_problem() -> None:
    """Verify-then-report: all bad options at once, each with its label and place."""
    with pytest.raises(ProofbookErrors) as failed:
        read_options({"jobs": -1, "job": 2, "points": 2}, label="option")
    assert [str(e) for e in failed.value.errors] == [
        "option 'jobs': Expected a whole number from 0 to 256 but received: -1",
        "option 'job': Unknown option. Did you mean 'jobs'?",
    ]


def test_defaults_are_the_core_defaults() -> None:
    """Settings from no options verify as ``check_registry``'s own defaults do."""
    from proofbook.check import CheckOptions

    settings = read_options({})
    assert settings == ProofbookSettings() and settings.check_options() == CheckOptions()


# -- the files ------------------------------------------------------------------------------------


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def problems(file: Path) -> list[str]:
    """The messages of a configuration that ``read_site_settings`` refuses."""
    with pytest.raises(ProofbookErrors) as failed:
        read_site_settings(file)
    return [str(e) for e in failed.value.errors]


#: A site configuration of the kind real sites have: tags proofbook never constructs.
MKDOCS_YML = """site_name: T
theme:
  name: material
markdown_extensions:
  - md_in_html
  - pymdownx.superfences:
      custom_fences:
        - name: mermaid
          format: !!python/name:pymdownx.superfences.fence_code_format
  - pymdownx.emoji:
      emoji_index: !!python/name:material.extensions.emoji.twemoji
extra:
  analytics: !ENV [ANALYTICS_KEY, "none"]
  asset: !relative $config_dir/assets
plugins:
  - search
  - proofbook:
      registry: [sheet]
      jobs: !ENV [PROOFBOOK_JOBS, 3]
      date: 2024-02-29
"""


def test_mkdocs_yml_is_read_without_constructing_tags(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Python tags stay inert, !ENV is resolved as MkDocs resolves it; paths start at the file."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PROOFBOOK_JOBS", raising=False)
    site = read_site_settings(write(tmp_path, "site/mkdocs.yml", MKDOCS_YML))
    assert (site.settings.registry, site.settings.jobs, site.settings.date) == (
        ("sheet",), 3, datetime.date(2024, 2, 29))
    assert site.section == "plugins: proofbook" and site.registry_paths() == [str(tmp_path / "site/sheet")]
    assert site.cache_folder() == default_cache_dir(tmp_path / "site")  # outside the checkout
    monkeypatch.setenv("PROOFBOOK_JOBS", "5")
    assert read_site_settings(tmp_path / "site/mkdocs.yml").settings.jobs == 5
    monkeypatch.setenv("PROOFBOOK_JOBS", "five")
    assert problems(tmp_path / "site/mkdocs.yml") == [
        f"{Path('site/mkdocs.yml')}:19:7: proofbook option 'jobs': Expected a whole number from 0 to 256 "
        "but received: 'five'"]


def test_a_tag_where_an_option_belongs_is_refused_not_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``!!python/object/apply:os.system`` in proofbook's options is a wrong value, never a call."""
    monkeypatch.chdir(tmp_path)
    marker = tmp_path / "ran"
    config = write(tmp_path, "mkdocs.yml", "site_name: T\nplugins:\n  - proofbook:\n"
                                           f"      version: !!python/object/apply:os.system ['touch {marker}']\n")
    assert problems(config) == [
        "mkdocs.yml:4:7: proofbook option 'version': Expected text (quote a number: \"1.0\") but received: "
        "!!python/object/apply:os.system"]
    assert not marker.exists()


@pytest.mark.parametrize(("text", "expected"), [
    # not YAML: where it broke
    ("site_name: T\nplugins: [proofbook\n", "mkdocs.yml:3:1: invalid YAML: expected ',' or ']', but got '<stream end>'."),
    # YAML, but no mapping of settings
    ("- proofbook\n", "mkdocs.yml:1:1: the configuration is not a mapping of settings."),
    # no proofbook: the fix
    ("site_name: T\nplugins: [search]\n",
     "mkdocs.yml: this MkDocs configuration does not use the proofbook plugin. Add proofbook under plugins:."),
    # proofbook's options are no mapping
    ("plugins:\n  - proofbook: [jobs]\n", "mkdocs.yml:2:5: proofbook's options (plugins: proofbook) must be a "
                                          "mapping of option names to values, not ['jobs']."),
    # MkDocs' own enabled option, checked as MkDocs checks it
    ("plugins:\n  - proofbook:\n      enabled: maybe\n",
     "mkdocs.yml:3:7: proofbook option 'enabled': Expected true or false but received: 'maybe'"),
    # every bad option, each at its line
    ("plugins:\n  - proofbook:\n      jobs: -1\n      time_limit: .nan\n      output_dir: /../x\n", "\n".join([
        "mkdocs.yml:3:7: proofbook option 'jobs': Expected a whole number from 0 to 256 but received: -1",
        "mkdocs.yml:4:7: proofbook option 'time_limit': Expected a finite number of at least 0.001 but received: nan",
        "mkdocs.yml:5:7: proofbook option 'output_dir': Expected a folder inside the site "
        "(handbook, reference/formulas) but received: '/../x'"])),
])
def test_bad_mkdocs_yml_is_named_with_line_and_fix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    text: str, expected: str) -> None:
    monkeypatch.chdir(tmp_path)
    assert "\n".join(problems(write(tmp_path, "mkdocs.yml", text))) == expected


def test_missing_file_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert problems(tmp_path / "mkdocs.yml") == ["mkdocs.yml: cannot read the configuration: No such file or directory."]


@pytest.mark.parametrize(("plugins", "jobs"), [
    ("plugins:\n  - proofbook\n", 0),  # a name alone: the defaults
    ("plugins:\n  proofbook:\n    jobs: 2\n", 2),  # plugins as a mapping
    ("plugins:\n  - proofbook:\n", 0),  # an empty entry
    ("markdown_extensions:\n  - proofbook:\n      jobs: 4\n", 4),  # the Markdown extension's options
])
def test_every_spelling_of_the_entry_is_found(tmp_path: Path, plugins: str, jobs: int) -> None:
    assert read_site_settings(write(tmp_path, "mkdocs.yml", plugins)).settings.jobs == jobs


def test_inherit_merges_as_mkdocs_does(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The child's plugins list replaces the parent's; without one, the parent's proofbook applies,
    and a bad option in the parent is reported at the parent's line."""
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "base/mkdocs.yml", "theme: {name: material}\nplugins:\n  - proofbook:\n      jobs: 2\n      points: 0\n")
    child = write(tmp_path, "mkdocs.yml", "INHERIT: base/mkdocs.yml\nplugins:\n  - proofbook:\n      jobs: 1\n")
    assert read_site_settings(child).settings.jobs == 1
    write(tmp_path, "mkdocs.yml", "INHERIT: base/mkdocs.yml\nsite_name: child\n")
    assert problems(child) == [
        f"{Path('base/mkdocs.yml')}:5:7: proofbook option 'points': Expected a whole number of at least 1 "
        "but received: 0"]


def test_inherit_loop_and_missing_parent_are_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    loop = write(tmp_path, "mkdocs.yml", "INHERIT: mkdocs.yml\n")
    (message,) = problems(loop)
    assert message.startswith("mkdocs.yml:1:1: INHERIT must name one parent configuration file")
    missing = write(tmp_path, "mkdocs.yml", "INHERIT: nowhere.yml\n")
    assert problems(missing) == ["nowhere.yml: cannot read the configuration: No such file or directory."]


def test_disabled_plugin_is_read_with_a_notice(tmp_path: Path) -> None:
    site = read_site_settings(write(tmp_path, "mkdocs.yml", "plugins:\n  - proofbook:\n      enabled: false\n"
                                                            "      jobs: 2\n"))
    assert site.settings.jobs == 2
    (notice,) = site.notices
    assert "the proofbook plugin is disabled (enabled: false), so the site builds without verifying" in notice


def test_aliases_are_shared_not_expanded(tmp_path: Path) -> None:
    """Anchors are ordinary in site configurations; a billion-laughs file is still read at once."""
    laughs = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(8))
    site = read_site_settings(write(tmp_path, "mkdocs.yml", laughs + "plugins:\n  - proofbook: {jobs: 1}\n"))
    assert site.settings.jobs == 1


ZENSICAL = """[project]
site_name = "T"

[project.markdown_extensions.md_in_html]

[project.markdown_extensions.proofbook]
registry = ["sheet"]
jobs = 2
"""


def test_zensical_toml_reads_the_extensions_options(tmp_path: Path) -> None:
    site = read_site_settings(write(tmp_path, "zensical.toml", ZENSICAL))
    assert (site.settings.registry, site.settings.jobs, site.notices) == (("sheet",), 2, ())
    assert site.section == "[project.markdown_extensions.proofbook]"


def test_zensical_toml_proofbook_table(tmp_path: Path) -> None:
    """A top-level [proofbook] table, which Zensical itself leaves alone, holds the options too."""
    site = read_site_settings(write(tmp_path, "zensical.toml", '[project]\nsite_name = "T"\n\n[proofbook]\njobs = 3\n'))
    assert (site.settings.jobs, site.section) == (3, "[proofbook]")


def test_zensical_plugin_is_read_with_a_warning(tmp_path: Path) -> None:
    """Zensical ignores MkDocs plugins: the check verifies, and says the site would publish unverified."""
    site = read_site_settings(write(tmp_path, "zensical.toml", '[project]\n[project.plugins.proofbook]\njobs = 1\n'))
    assert site.settings.jobs == 1
    (notice,) = site.notices
    assert "Zensical ignores MkDocs plugins" in notice and "[project.markdown_extensions.proofbook]" in notice


@pytest.mark.parametrize(("name", "text", "expected"), [
    # the bad option's own line
    ("zensical.toml", ZENSICAL.replace("jobs = 2", "jobs = -2"),
     "zensical.toml:8: proofbook option 'jobs': Expected a whole number from 0 to 256 but received: -2"),
    ("zensical.toml", ZENSICAL.replace("jobs = 2", "time_limit = inf"),
     "zensical.toml:8: proofbook option 'time_limit': Expected a finite number of at least 0.001 but received: inf"),
    ("pyproject.toml", "[project]\nname = 'x'\n\n[tool.proofbook]\nregistry = 'sheet'\n",
     "pyproject.toml:5: proofbook option 'registry': Expected a list of registry files or folders but received: 'sheet'"),
    ("proofbook.toml", "jobs = 1\ndate = 2024-02-30\n", "proofbook.toml:2:8: invalid TOML: Invalid date or datetime."),
    ("proofbook.toml", "jobs = 1\n\n# a comment\ntime_limt = 5\n",
     "proofbook.toml:4: proofbook option 'time_limt': Unknown option. Did you mean 'time_limit'?"),
    # TOML has datetimes: a moment is not a date
    ("proofbook.toml", "date = 2024-02-03T10:00:00\n",
     "proofbook.toml:1: proofbook option 'date': Expected a date as YYYY-MM-DD but received: "
     "datetime.datetime(2024, 2, 3, 10, 0)"),
    # inline tables: the table's line
    ("pyproject.toml", "[tool]\nproofbook = {jobs = 'many'}\n",
     "pyproject.toml: proofbook option 'jobs': Expected a whole number from 0 to 256 but received: 'many'"),
    # no proofbook: the fix
    ("zensical.toml", '[project]\nsite_name = "T"\n',
     "zensical.toml: this Zensical configuration does not use proofbook. "
     "Add its Markdown extension: [project.markdown_extensions.proofbook]."),
    ("pyproject.toml", "[project]\nname = 'x'\n",
     "pyproject.toml: this pyproject.toml has no [tool.proofbook] table. "
     "Add one with proofbook's options (an empty table takes the defaults)."),
])
def test_bad_toml_is_named_with_line_and_fix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             name: str, text: str, expected: str) -> None:
    monkeypatch.chdir(tmp_path)
    assert "\n".join(problems(write(tmp_path, name, text))) == expected


def test_the_same_value_gets_the_same_message_in_every_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """mkdocs.yml, zensical.toml, pyproject.toml and proofbook.toml refuse ``points = 0`` alike."""
    monkeypatch.chdir(tmp_path)
    files = {"mkdocs.yml": "plugins:\n  - proofbook:\n      points: 0\n",
             "zensical.toml": "[project.markdown_extensions.proofbook]\npoints = 0\n",
             "pyproject.toml": "[tool.proofbook]\npoints = 0\n",
             "proofbook.toml": "points = 0\n"}
    messages = {name: problems(write(tmp_path / name.replace(".", "-"), name, text))[0].split(": ", 1)[1]
                for name, text in files.items()}
    assert set(messages.values()) == {"proofbook option 'points': Expected a whole number of at least 1 but received: 0"}


def test_discovery_takes_the_first_file_that_configures_proofbook(tmp_path: Path) -> None:
    """proofbook.toml, then pyproject.toml, mkdocs.yml and zensical.toml; a file without
    proofbook's options is passed over, a broken one is not."""
    assert find_site_settings(tmp_path) is None
    write(tmp_path, "zensical.toml", "[project.markdown_extensions.proofbook]\njobs = 4\n")
    write(tmp_path, "mkdocs.yml", "plugins: [search]\n")
    write(tmp_path, "pyproject.toml", "[project]\nname = 'x'\n")
    found = find_site_settings(tmp_path)
    assert found is not None and (found.file, found.settings.jobs) == (tmp_path / "zensical.toml", 4)
    write(tmp_path, "mkdocs.yml", "plugins:\n  - proofbook:\n      jobs: 3\n")
    found = find_site_settings(tmp_path)
    assert found is not None and found.settings.jobs == 3
    write(tmp_path, "pyproject.toml", "[tool.proofbook]\njobs = 2\n")
    found = find_site_settings(tmp_path)
    assert found is not None and found.settings.jobs == 2
    write(tmp_path, "proofbook.toml", "jobs = 1\n")
    found = find_site_settings(tmp_path)
    assert found is not None and found.settings.jobs == 1
    write(tmp_path, "proofbook.toml", "jobs = \n")
    with pytest.raises(ProofbookErrors, match="invalid TOML"):
        find_site_settings(tmp_path)
