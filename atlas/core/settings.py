"""Deployment settings of the site, from the command line or the environment.

- SITE_URL: where the site is published (canonical links, sitemap, exports). The default is
  the local preview address, which is what a local build honestly is.
- REPO_URL (+ EDIT_URI): the repository, for "edit this record" links. There is no default:
  when unset the pages name the record's file in the repository as text instead of linking a
  guessed address.
- ATLAS_TEXT_MODE: which article texts the site publishes in full (`full_text`):
  `rights` (the default, locally and in the deploy): a text in full only where its source's
  rights allow republishing it (public domain, or an open licence that fits the atlas's own
  CC BY licence: core/rights.py), and the annotated
  statements with some context for every other source; `full`: every text in full, an explicit
  opt-in for a private build; `excerpts`: no text in full.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Mapping

from .problems import AtlasError
from .rights import rights_allow_full_text

DEFAULT_SITE_URL = "http://127.0.0.1:8000/"
TEXT_MODES = ("rights", "full", "excerpts")
DEFAULT_TEXT_MODE = "rights"
_HTTP_URL = re.compile(r"https?://[^\s<>\"'`\\]+")
_EDIT_URI = re.compile(r"(?:[A-Za-z0-9._~-]+/)*")


@dataclass(frozen=True)
class Settings:
    site_url: str = DEFAULT_SITE_URL
    repo_url: str | None = None
    edit_uri: str = "edit/main/"
    text_mode: str = DEFAULT_TEXT_MODE

    def __post_init__(self):
        if not _HTTP_URL.fullmatch(self.site_url or ""):
            raise AtlasError(f"site URL must be an absolute http(s) URL, not {self.site_url!r}")
        if self.repo_url is not None and not _HTTP_URL.fullmatch(self.repo_url):
            raise AtlasError(f"repository URL must be an absolute http(s) URL, not {self.repo_url!r}")
        if not _EDIT_URI.fullmatch(self.edit_uri) or {".", ".."} & set(self.edit_uri.split("/")):
            raise AtlasError(f"edit URI must be a relative path ending in '/', like 'edit/main/', not {self.edit_uri!r}")
        if self.text_mode not in TEXT_MODES:
            raise AtlasError(f"text mode must be one of {', '.join(TEXT_MODES)}, not {self.text_mode!r}")
        if not self.site_url.endswith("/"):
            object.__setattr__(self, "site_url", self.site_url + "/")

    def edit_url(self, path: str) -> str | None:
        """The repository's edit address of a file, or None when no repository is configured."""
        if not self.repo_url:
            return None
        return self.repo_url.rstrip("/") + "/" + self.edit_uri + path

    def full_text(self, rights: dict | None) -> bool:
        """Whether this build publishes a source's whole text, given its rights record."""
        if self.text_mode == "full":
            return True
        return self.text_mode == "rights" and rights_allow_full_text(rights)


def from_environment(env: Mapping[str, str], **overrides) -> Settings:
    """Settings from environment variables, with explicit (command line) values taking precedence."""
    values = {
        "site_url": env.get("SITE_URL") or DEFAULT_SITE_URL,
        "repo_url": env.get("REPO_URL") or None,
        "edit_uri": env.get("EDIT_URI") or "edit/main/",
        "text_mode": env.get("ATLAS_TEXT_MODE") or DEFAULT_TEXT_MODE,
    }
    values.update({k: v for k, v in overrides.items() if v is not None})
    return Settings(**values)
