"""How check prints: GitHub Actions commands and plain lines that contributor text cannot forge
(and the other commands CI runs, fmt --check and build, no more than check).

A workflow log turns any line starting with `::` into a command (an error annotation, a masked
value, a stop-commands token). Check quotes contributor text (field values, unknown keys, file
names), so none of it can start a line, end a command early or fake a file=/line= property.
"""
from __future__ import annotations

import re
from pathlib import Path

from conftest import FIXTURES, copy_tree, run_cli

SOURCE = "annotations/sources/sample-report.yaml"
# One GitHub command: ::severity key=value,key=value::data, with no raw ':' or ',' in values.
COMMAND = re.compile(r"::(error|warning) file=([^,:\n]*),line=(\d+),col=(\d+)::([^\n]*)")
TEXT_LINE = re.compile(r"(annotations|corpus)/[^\n]*?:(\d+):(\d+): (error|warning): [^\n]*")


def hostile_repo(root: Path) -> Path:
    """The valid fixture plus contributor text built to forge workflow commands."""
    copy_tree(FIXTURES / "valid", root)
    (root / "README.md").unlink()
    source = (root / SOURCE).read_text("utf-8")
    source = source.replace("exact: denied any backing from Foxtrot", 'exact: "x\\n::error file=a.py,line=1::forged %0A 100%25, done"')
    source = source.replace("language: en", 'language: en\n"::warning file=x.py,line=9::key, with comma": 1')
    source = source.replace("mentions:\n", "mentions:\n  exclude:\n    - exact: Share this\n      reason: '::stop-commands::x'\n")
    (root / SOURCE).write_text(source, "utf-8")
    (root / "annotations/actors/a,b::c%0A.yaml").write_text("id: x\nname: X\nkind: person\n", "utf-8")
    (root / "annotations/actors/new\n::error::line.yaml").write_text("id: y\nname: Y\nkind: person\n", "utf-8")
    return root


def test_github_format_exact_lines(tmp_path):
    code, out, _ = run_cli("--root", str(hostile_repo(tmp_path / "repo")), "check", "--format", "github")
    assert code == 1
    assert out.splitlines() == EXPECTED_GITHUB


def test_github_format_cannot_be_forged(tmp_path):
    _, out, _ = run_cli("--root", str(hostile_repo(tmp_path / "repo")), "check", "--format", "github")
    *commands, summary = out.splitlines()
    assert all(COMMAND.fullmatch(line) for line in commands), commands
    assert not summary.startswith("::")
    files = {_unescape(COMMAND.fullmatch(line).group(2)) for line in commands}
    assert "annotations/actors/a,b::c%0A.yaml" in files  # the real name, after GitHub's unescaping
    assert all("\n" not in line and "\r" not in line for line in commands)


def test_text_format_cannot_be_forged(tmp_path):
    _, out, _ = run_cli("--root", str(hostile_repo(tmp_path / "repo")), "check")
    *problems, summary = out.splitlines()
    assert all(TEXT_LINE.fullmatch(line) for line in problems), problems
    assert re.fullmatch(r"\d+ errors?, \d+ warnings? \(.*\)", summary)
    assert not any(line.startswith("::") for line in out.splitlines())


def test_no_command_ci_runs_lets_contributor_text_start_a_line(tmp_path):
    """The pull-request workflow runs check, fmt --check and the build; their logs are parsed for
    workflow commands, so no line they print may start with '::' (check --format github aside,
    whose commands are ours and tested above)."""
    root = hostile_repo(tmp_path / "repo")
    runs = [("check",), ("fmt", "--check"), ("build", "--site-dir", str(tmp_path / "site"))]
    for argv in runs:
        code, out, err = run_cli("--root", str(root), *argv)
        assert code == 1, argv
        forged = [line for line in (out + err).splitlines() if line.lstrip().startswith("::")]
        assert forged == [], argv


def _unescape(value: str) -> str:
    """GitHub's decoding of a property value."""
    for escaped, raw in (("%2C", ","), ("%3A", ":"), ("%0A", "\n"), ("%0D", "\r"), ("%25", "%")):
        value = value.replace(escaped, raw)
    return value


# The file name's ',' and ':' are escaped as properties need; '%' in data as %25; the newline
# in a file name or a value is shown as the six characters \u000a and never reaches the log.
EXPECTED_GITHUB = [
    "::error file=annotations/actors/a%2Cb%3A%3Ac%250A.yaml,line=1,col=5::"
    "id 'x' must equal the file name 'a,b::c%250A'; rename the file or the id",
    "::error file=annotations/actors/new\\u000a%3A%3Aerror%3A%3Aline.yaml,line=1,col=5::"
    "id 'y' must equal the file name 'new\\u000a::error::line'; rename the file or the id",
    "::error file=annotations/sources/sample-report.yaml,line=20,col=1::"
    "unknown field '::warning file=x.py,line=9::key, with comma'; allowed: author, id, language, mentions, note, "
    "outlet, outlet_note, place_mentions, published, published_note, regions, rights, statements, text, title, url, url_note",
    "::warning file=annotations/sources/sample-report.yaml,line=29,col=14::"
    "mentions.exclude[1]: 'Share this' contains no automatic mention to exclude",
    "::error file=annotations/sources/sample-report.yaml,line=65,col=12::"
    "statements[4]: 'x\\u000a::error file=a.py,line=1::forged %250A 100%2525, done' does not occur in the text, "
    "nor does any part of its beginning",
    "4 errors, 1 warning (5 actors, 2 claims, 1 source, 14 spans)",
]


# -- more problems than GitHub shows inline ------------------------------------------------------

def crowded_repo(root: Path, errors: int) -> Path:
    """The valid fixture plus `errors` actor files whose id is not their file name (one error each)."""
    copy_tree(FIXTURES / "valid", root)
    for n in range(errors):
        (root / f"annotations/actors/extra-{n:02d}.yaml").write_text(f"id: other-{n:02d}\nname: X\nkind: person\n", "utf-8")
    return root


def test_github_format_says_how_many_problems_are_not_shown_inline(tmp_path):
    summary_file = tmp_path / "summary.md"
    code, out, _ = run_cli("--root", str(crowded_repo(tmp_path / "repo", 13)), "check", "--format", "github",
                           "--summary", str(summary_file))
    assert code == 1
    *commands, notice, last = out.splitlines()
    assert len(commands) == 13 and all(COMMAND.fullmatch(line) for line in commands)
    assert notice == ("::notice title=Problems not shown inline::3 errors and 0 warnings are not shown inline "
                      "(GitHub shows the first 10 of each per step); the job summary lists all of them, grouped by file")
    assert last.startswith("13 errors, 0 warnings")


def test_the_summary_lists_every_problem_grouped_by_file(tmp_path):
    summary_file = tmp_path / "summary.md"
    summary_file.write_text("an earlier step's summary\n", "utf-8")
    run_cli("--root", str(crowded_repo(tmp_path / "repo", 13)), "check", "--format", "github", "--summary", str(summary_file))
    report = summary_file.read_text("utf-8")
    assert report.startswith("an earlier step's summary\n### build\\.py check: 13 errors, 0 warnings\n")  # appended
    assert "3 errors and 0 warnings were not shown there" in report
    for n in range(13):
        heading = f"#### annotations/actors/extra\\-{n:02d}\\.yaml (1 error, 0 warnings)"
        assert heading in report
        row = report.split(heading, 1)[1].split("\n####", 1)[0]
        assert f"| 1 | 5 | error | id 'other\\-{n:02d}' must equal the file name 'extra\\-{n:02d}'" in row


def test_no_notice_when_github_shows_every_problem(tmp_path):
    _, out, _ = run_cli("--root", str(crowded_repo(tmp_path / "repo", 10)), "check", "--format", "github")
    assert "::notice" not in out
    _, out, _ = run_cli("--root", str(crowded_repo(tmp_path / "repo2", 11)), "check", "--format", "github")
    assert "1 error and 0 warnings are not shown inline" in out and "the log above lists all of them" in out


def test_the_summary_is_inert_markdown(tmp_path):
    summary_file = tmp_path / "summary.md"
    run_cli("--root", str(hostile_repo(tmp_path / "repo")), "check", "--summary", str(summary_file))
    report = summary_file.read_text("utf-8")
    rows = [line for line in report.splitlines() if line.startswith("| ") and "---" not in line and "severity" not in line]
    assert len(rows) == 5
    for row in rows:
        cells = re.split(r"(?<!\\)\|", row)[1:-1]
        assert len(cells) == 4, row  # no contributor '|' opens a cell
        assert "<" not in row and re.search(r"(?<!\\)[\[\]`*_]", row) is None, row
    assert "#### annotations/actors/new\\\\u000a::error::line\\.yaml" in report  # one line, made visible


def test_an_unwritable_summary_is_said_not_raised(tmp_path):
    code, out, _ = run_cli("--root", str(crowded_repo(tmp_path / "repo", 1)), "check", "--summary", str(tmp_path / "no" / "summary.md"))
    assert code == 2
    assert "cannot write the summary to" in out and "No such file or directory" in out
