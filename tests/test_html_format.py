"""render/html.formatted, the pages' fast form of `Markup(template) % args`, gives exactly what
markupsafe gives: on every string of the hostile fixture and on values of every other kind the
pages format (numbers for %d and %g, None, Markup, objects with __html__)."""
from __future__ import annotations

import pytest
import yaml
from markupsafe import Markup

from atlas.render.html import formatted
from conftest import FIXTURES

HOSTILE = FIXTURES / "hostile" / "annotations"


class Html:
    def __html__(self):
        return "<b>already markup</b>"


class Text:
    def __str__(self):
        return "<i>a value's own text & more</i>"


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def hostile_strings() -> list[str]:
    found = {s for path in sorted(HOSTILE.rglob("*.yaml")) for s in _strings(yaml.safe_load(path.read_text("utf-8")))}
    return sorted(found)


OTHERS = [None, 0, 7, -3, 2.5, 1e-7, float("inf"), True, Markup("<em>kept</em>"), Markup("a &amp; b"), Html(), Text(),
          "", "&<>\"'", "&amp;", "\u2028", "%s %d"]


def test_the_hostile_fixture_gives_many_strings():
    assert len(hostile_strings()) > 50


@pytest.mark.parametrize("template", ["%s", '<a class="x" href="%s">%s</a>', "“%s” — %s, (%s)"])
def test_formatted_escapes_strings_as_markupsafe_does(template):
    values = hostile_strings() + OTHERS
    width = template.count("%s")
    for start in range(len(values)):
        args = tuple(values[(start + i) % len(values)] for i in range(width))
        made = formatted(template, *args)
        assert type(made) is Markup
        assert made == Markup(template) % args, args


@pytest.mark.parametrize("template, args", [
    ("%d of %s", (3, "<x>")), ("%d", (2.9,)), ("%g,%g", (1.25, 3)), ('<rect x="%s" y="%s"/>', (1.5, -0.0)),
    ("%s%%", ("50",)), ("%s", (Markup("<br>"),)),
])
def test_formatted_takes_numbers_as_markupsafe_does(template, args):
    assert formatted(template, *args) == Markup(template) % args
