"""The README and docs/*.md point only at things the repository has, and quote the measured
figures as docs/performance.md (the one place measurements are kept) has them.

Checked, in every document: relative links (and their #anchors); paths under ``bench/``,
``tests/`` (with a ``::test`` name), ``src/``, ``docs/`` and ``.ci/``; module paths such as
``alerts/sender.py`` (under src/pipelineos); dotted names such as ``pipelineos.config.Settings``;
``pipelineos …`` commands and their ``--options``; the ``--options`` of ``python bench/….py``.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import click
import pytest
import typer.main

from pipelineos.cli import app

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "pipelineos"
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
PERFORMANCE = ROOT / "docs" / "performance.md"

LINK = re.compile(r"\]\(([^)\s]+)\)")
REPO_PATH = re.compile(r"(?<![\w./-])((?:bench|tests|src|docs|\.ci)/[\w./-]*\w)(::\w+)?")
MODULE_PATH = re.compile(r"`([a-z_]+/[\w/.-]+\.(?:py|sql))`")
DOTTED = re.compile(r"`(pipelineos(?:\.\w+)+)")
# A command: `pipelineos` then a lower-case word (SQL's `CREATE ROLE pipelineos LOGIN` is not).
COMMAND = re.compile(r"(?<![\w./-])pipelineos((?:[ \t]+(?=[a-z-])[^\s`#|;&()]+)(?:[ \t]+[^\s`#|;&()]+)*)")
BENCH_COMMAND = re.compile(r"python (bench/\w+\.py)([^`#\n|;&)]*)")
NUMBER = re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?")


def _ids(paths: list[Path]) -> list[str]:
    return [str(path.relative_to(ROOT)) for path in paths]


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def anchors(doc: Path) -> set[str]:
    return {slug(line.lstrip("#")) for line in doc.read_text(encoding="utf-8").splitlines()
            if line.startswith("#")}


@pytest.mark.parametrize("doc", DOCS, ids=_ids(DOCS))
def test_relative_links_lead_somewhere(doc: Path) -> None:
    """Each relative link names a file that exists, and an anchor that is one of its headings."""
    broken = []
    for target in LINK.findall(doc.read_text(encoding="utf-8")):
        if re.match(r"^[a-z]+:", target):
            continue  # https:, mailto:
        path, _, anchor = target.partition("#")
        resolved = (doc.parent / path).resolve() if path else doc
        if not resolved.exists():
            broken.append(f"{target}: no such file")
        elif anchor and resolved.suffix == ".md" and anchor not in anchors(resolved):
            broken.append(f"{target}: no heading with that anchor in {resolved.name}")
    assert broken == [], f"{doc.name}: {broken}"


@pytest.mark.parametrize("doc", DOCS, ids=_ids(DOCS))
def test_paths_named_in_the_docs_exist(doc: Path) -> None:
    """bench/, tests/, src/, docs/, .ci/ paths (and tests named with ::) and package module
    paths written in a document exist in the repository."""
    text = doc.read_text(encoding="utf-8")
    missing = []
    for path, test in REPO_PATH.findall(text):
        target = ROOT / path
        if not target.exists():
            missing.append(path)
        elif test and f"def {test[2:]}(" not in target.read_text(encoding="utf-8"):
            missing.append(f"{path}{test}")
    for path in MODULE_PATH.findall(text):
        if not (PACKAGE / path).exists() and not (ROOT / path).exists():
            missing.append(path)
    assert missing == [], f"{doc.name} names what the repository does not have: {missing}"


@pytest.mark.parametrize("doc", DOCS, ids=_ids(DOCS))
def test_dotted_names_in_the_docs_resolve(doc: Path) -> None:
    """`pipelineos.x.y.Name` names a module, or an attribute of one, that exists."""
    unresolved = []
    for dotted in DOTTED.findall(doc.read_text(encoding="utf-8")):
        parts = dotted.split(".")
        for cut in range(len(parts), 0, -1):
            try:
                found: object = importlib.import_module(".".join(parts[:cut]))
            except ImportError:
                continue
            for name in parts[cut:]:
                found = getattr(found, name, None)
            if found is None:
                unresolved.append(dotted)
            break
        else:
            unresolved.append(dotted)
    assert unresolved == [], f"{doc.name}: {unresolved}"


def _command_problems(words: list[str]) -> list[str]:
    """What is wrong with `pipelineos WORDS`: an unknown command or option."""
    command: click.Command = typer.main.get_command(app)
    path = ["pipelineos"]
    problems = []
    for word in words:
        if not re.match(r"^-{0,2}[\w][\w.=:/+-]*$", word):
            break  # a placeholder (…, NAME|OTHER, <id>): the rest is prose
        if word.startswith("--"):
            options = {opt for param in command.params for opt in param.opts}
            if word.split("=")[0] not in options:
                problems.append(f"{' '.join(path)} has no option {word.split('=')[0]}")
            continue
        subcommands = getattr(command, "commands", None)
        if subcommands is None:
            continue  # an argument of a leaf command
        if word in subcommands:
            command = subcommands[word]
            path.append(word)
        elif not any(isinstance(p, click.Argument) for p in command.params):
            problems.append(f"{' '.join(path)} has no command {word!r}")
            break
    return problems


@pytest.mark.parametrize("doc", DOCS, ids=_ids(DOCS))
def test_pipelineos_commands_in_the_docs_exist(doc: Path) -> None:
    """Every `pipelineos …` command a document shows is one the CLI has, with its options."""
    problems = []
    for line in doc.read_text(encoding="utf-8").splitlines():
        for rest in COMMAND.findall(line):
            problems += _command_problems(rest.split())
    assert problems == [], f"{doc.name}: {problems}"


@pytest.mark.parametrize("doc", DOCS, ids=_ids(DOCS))
def test_bench_commands_in_the_docs_take_those_options(doc: Path) -> None:
    """`python bench/x.py --option` names an option the script reads."""
    problems = []
    for script, rest in BENCH_COMMAND.findall(doc.read_text(encoding="utf-8")):
        source = (ROOT / script).read_text(encoding="utf-8")
        for option in re.findall(r"--[\w-]+", rest):
            if f'"{option}"' not in source:
                problems.append(f"{script} {option}")
    assert problems == [], f"{doc.name}: {problems}"


def test_the_readme_quotes_the_figures_of_performance_md() -> None:
    """Each number in the README's performance table appears in docs/performance.md."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("## Performance"):]
    rows = [line for line in table.splitlines()
            if line.startswith("| ") and not line.startswith(("| what", "| ---"))]
    assert rows, "the README's performance table was not found"
    source = set(NUMBER.findall(PERFORMANCE.read_text(encoding="utf-8")))
    missing = [(row.split(" | ")[0].strip("| "), number) for row in rows
               for cell in row.split(" | ")[:2] for number in NUMBER.findall(cell)
               if number not in source]
    assert missing == [], f"README figures not in docs/performance.md: {missing}"
