"""Where the external test tools are, and what a missing one means.

Chromium and Java come from Debian (`.ci/setup-system`), the Nu HTML Checker and axe-core from
npm (`package-lock.json`); `make test` installs all of them. On a developer machine a missing
tool skips the tests that need it, naming the command that installs it. In CI (CI set to
anything but false/0) the same absence is a failure: CI has to prove every check ran.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
NODE_MODULES = REPO / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
ARTIFACTS = REPO / "test-artifacts"

# Flags that keep Chromium from calling home; Playwright adds its own headless ones.
CHROMIUM_ARGS = [
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-domain-reliability",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-dev-shm-usage",
]


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def require(found, what: str, install: str):
    """Return `found`; when it is missing, skip locally and fail in CI."""
    if found:
        return found
    message = f"{what} is missing (install it with: {install})"
    if in_ci():
        pytest.fail(message + "; in CI a missing test tool is a failure", pytrace=False)
    pytest.skip(message)


def chromium() -> str:
    """Debian's Chromium; Playwright's own browser download does not work here."""
    candidates = [shutil.which("chromium"), "/usr/bin/chromium", "/usr/lib/chromium/chromium"]
    found = next((c for c in candidates if c and os.access(c, os.X_OK)), None)
    return require(found, "Chromium", "bash .ci/setup-system")


def java() -> str:
    return require(shutil.which("java"), "Java", "bash .ci/setup-system")


def vnu_jar() -> Path:
    return require(VNU_JAR if VNU_JAR.is_file() else None, "vnu-jar (the Nu HTML Checker)", "npm ci")


def axe_js() -> Path:
    return require(AXE_JS if AXE_JS.is_file() else None, "axe-core", "npm ci")
