"""What a source's rights allow the atlas to publish of its text, written once for the site
(core/settings.py: Settings.full_text, render/words.py) and the exports (export/quoting.py).

A text may be republished whole when it is in the public domain or under an open licence that
fits the atlas's own CC BY licence (OPEN_LICENCES: CC0-1.0, CC-BY-4.0, CC-BY-SA-4.0, crediting
the holder); the publisher's copyright, other licences and unknown rights allow excerpts only.
"""
from __future__ import annotations

# Licences under which the atlas may republish a whole text: they allow derivatives and
# commercial use, as the atlas's own CC BY licence passes on. The non-commercial and
# no-derivatives ones do not (schema/source.schema.json, rights.licence).
OPEN_LICENCES = ("CC0-1.0", "CC-BY-4.0", "CC-BY-SA-4.0")


def rights_allow_full_text(rights: dict | None) -> bool:
    """A text may be republished whole when it is in the public domain or under an open licence
    (OPEN_LICENCES); publisher's copyright, other licences and unknown rights allow excerpts only."""
    if not isinstance(rights, dict):
        return False
    status = rights.get("status")
    return status == "public-domain" or (status == "licensed" and rights.get("licence") in OPEN_LICENCES)
