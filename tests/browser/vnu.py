"""The Nu HTML Checker (npm vnu-jar) over every HTML file of a built site.

Errors only, CSS not checked (the theme's stylesheets give false positives there). The theme
has exactly one known false positive in its HTML: `autocomplete="off"` on its two checkbox
toggles (drawer and search). It is filtered by its exact message, quoted literally for Java's
regex engine, so any other autocomplete error - or any other error at all - still counts.
"""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

THEME_FALSE_POSITIVE = (
    "Attribute “autocomplete” is only allowed when the input type is “color”, “date”, "
    "“datetime-local”, “email”, “hidden”, “month”, “number”, “password”, “range”, “search”, "
    "“tel”, “text”, “time”, “url”, or “week”."
)


def command(java: str, jar: Path, targets: list[Path]) -> list[str]:
    return [java, "-Xss8m", "-jar", str(jar), "--skip-non-html", "--no-langdetect", "--errors-only",
            "--format", "json", "--filterpattern", r"\Q" + THEME_FALSE_POSITIVE + r"\E",
            *map(str, targets)]


def check(java: str, jar: Path, targets: list[Path], root: Path) -> list[str]:
    """Return every error as `path:line:column: message`, paths relative to `root`."""
    done = subprocess.run(command(java, jar, targets), capture_output=True, text=True, timeout=600)
    try:
        messages = json.loads(done.stderr or "{}").get("messages", [])
    except json.JSONDecodeError:
        raise AssertionError(f"vnu gave no JSON report (exit {done.returncode}):\n{done.stderr}") from None
    errors = [_format(m, root) for m in messages if m.get("type") != "info"]
    if done.returncode != 0 and not errors:
        raise AssertionError(f"vnu failed (exit {done.returncode}) without a message:\n{done.stderr}")
    return errors


def _format(message: dict, root: Path) -> str:
    url = message.get("url", "")
    path = url.removeprefix("file:")
    try:
        path = Path(path).relative_to(root).as_posix()
    except ValueError:
        pass
    line = message.get("lastLine", message.get("firstLine", 0))
    column = message.get("firstColumn", 0)
    return f"{path}:{line}:{column}: {message.get('type')}: {message.get('message')}"
