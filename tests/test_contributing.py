"""CONTRIBUTING.md stays true: its worked example is what check prints, the fix it gives works,
and it names every command build.py has."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from atlas.cli import _parser
from atlas.load.yamlsafe import parse
from atlas.tools.canonical import Formatter
from atlas.validate.schemas import Schemas
from conftest import COMMANDS, REPO, run_cli

GUIDE = (REPO / "CONTRIBUTING.md").read_text("utf-8")
SOURCE = "annotations/sources/serraj-rules-out-negotiations-with-haftar.yaml"
ACTOR = "annotations/actors/khalifa-haftar.yaml"
STRAIGHT = '"I will never sit down with Haftar, after the disasters and the crimes he committed against all Libyans,"'
CURLY = "“I will never sit down with Haftar, after the disasters and the crimes he committed against all Libyans,”"


def documented_errors() -> list[str]:
    block = GUIDE.split("<!-- check-example", 1)[1].split("<!-- end check-example -->", 1)[0]
    return re.findall(r"^annotations/.*$", block, flags=re.M)


def place_free(line: str) -> str:
    return re.sub(r"^([^:]+):\d+:\d+:", r"\1:L:C:", line)


def rewrite(root: Path, rel: str, change) -> None:
    """Change a record as data and write it back in canonical form."""
    path = root / rel
    data = parse(path.read_bytes()).data
    change(data)
    kind = {"actors": "actor", "claims": "claim", "sources": "source", "speech-events": "speech-event"}[path.parent.name]
    path.write_text(Formatter(Schemas()).format(json.dumps(data, ensure_ascii=False).encode(), kind), "utf-8")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    for folder in ("annotations", "corpus"):
        shutil.copytree(REPO / folder, root / folder)
    claim = sorted((root / "annotations" / "claims").glob("*.yaml"))[0].stem
    statement = {"id": "never-sit-down", "exact": STRAIGHT, "mode": "direct-quote",
                 "attribution": [{"actor": "fayez-al-sarraj", "act": "told", "channel": "interview", "to": "la-repubblica",
                                  "event": "sarraj-interview-la-repubblica"}],
                 "readings": [{"claim": claim, "stance": "asserts"}]}
    rewrite(root, SOURCE, lambda d: d.setdefault("statements", []).insert(0, statement))
    rewrite(root, ACTOR, lambda d: d.update(roles=[{"title": "commander", "of": "libyan-national-amry"}]))
    return root


def test_the_worked_example_is_what_check_prints(repo: Path):
    documented = documented_errors()
    assert len(documented) == 2
    code, out, _ = run_cli("--root", str(repo), "check")
    assert code == 1
    printed = {place_free(line) for line in out.splitlines()}
    for line in documented:
        assert place_free(line) in printed, f"CONTRIBUTING.md shows a message check no longer prints:\n{line}\n\ncheck printed:\n{out}"


def test_the_fix_it_gives_works(repo: Path):
    def fix(data):
        data["statements"][0]["exact"] = CURLY
    rewrite(repo, SOURCE, fix)
    rewrite(repo, ACTOR, lambda d: d.update(roles=[{"title": "commander", "of": "libyan-national-army"}]))
    code, out, _ = run_cli("--root", str(repo), "check")
    assert code == 0, out
    assert f"    exact: {CURLY}\n" in (repo / SOURCE).read_text("utf-8"), "the guide says fmt writes it unquoted"
    assert f"exact: {CURLY}" in GUIDE


def test_every_command_is_documented():
    sub = next(a for a in _parser(COMMANDS)._actions if a.dest == "command")
    readme = (REPO / "README.md").read_text("utf-8")
    for name in sub.choices:
        assert f"build.py {name}" in GUIDE, f"CONTRIBUTING.md does not mention build.py {name}"
        assert f"build.py {name}" in readme, f"README.md does not mention build.py {name}"


def test_links_work_on_the_site_too():
    """The site publishes this file as a page: a relative link would point nowhere there."""
    assert not re.findall(r"\]\((?!https?://|#)[^)]*\)", GUIDE)
