"""What the exports quote of a text (atlas/export/quoting.py), on small texts, without exporting:
each span's context against the documented rule (test_export_text.context, written from the
docs), and the windows of a text that is not published in full."""
from __future__ import annotations

from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from atlas.export.quoting import CONTEXT_CHARS, Reach, Reaches, context
from test_export_text import context as documented_context


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab \n\U0001F600", max_size=90), st.data())
def test_context_follows_the_documented_rule(text, data):
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    lo, hi = context(text, start, end)
    assert (text[lo:start], text[end:hi]) == documented_context(text, start, end)


def test_context_exactly():
    line = "zero one two three four five six seven eight nine ten eleven twelve"
    start = line.index("seven")
    lo, hi = context(line, start, start + 5)
    assert line[lo:start] == "one two three four five six " and line[start + 5:hi] == " eight nine ten eleven twelve"
    assert context("abc\nsaid it\nxyz", 4, 8) == (4, 11)  # within its lines: no context across a line break
    assert context("x" * 40 + "said" + "y" * 40, 40, 44) == (40, 44)  # no space to cut at: nothing
    assert context("ab cd", 3, 5, size=1) == (3, 5) and context("ab cd", 3, 5, size=3) == (0, 5)
    assert context("a cd", 2, 4, size=2) == (0, 4)  # the whole line fits: no cut
    assert CONTEXT_CHARS == 32


def source(text: str, spans: list[tuple[int, int]], rights=None):
    statements = [SimpleNamespace(span=SimpleNamespace(start=s, end=e)) for s, e in spans]
    return SimpleNamespace(id="s", text=text, record={"rights": rights}, statements=statements)


WORDS = " ".join(f"w{i:02d}" for i in range(40))  # "w00 w01 ... w39", 159 code points


def test_windows_of_an_excerpted_text_merge_when_they_touch():
    one, two, far = WORDS.index("w10"), WORDS.index("w14"), WORDS.index("w35")
    reach = Reach.of(source(WORDS, [(far, far + 3), (two, two + 3), (one, one + 3)]), lambda rights: False)
    first = (context(WORDS, one, one + 3)[0], context(WORDS, two, two + 3)[1])
    assert reach.windows == (first, context(WORDS, far, far + 3)) and not reach.full
    assert reach.window(one, one + 3) == first and reach.admits(two, two + 3)
    assert not reach.admits(0, 3) and reach.window(first[0], first[1] + 1) is None
    assert reach.window(first[0], first[1]) == first
    prefix, suffix = reach.quote(one, one + 3)
    assert prefix == WORDS[first[0]:one] and suffix == WORDS[one + 3:context(WORDS, one, one + 3)[1]]
    mention = WORDS.index("w19")  # inside the window, its own context cut at the window's end
    assert reach.quote(mention, mention + 3)[1] == WORDS[mention + 3:first[1]]
    assert reach.quote(0, 3) == ("", "")  # outside every window: no context at all


def test_a_text_published_in_full_has_one_window_the_whole_text():
    reach = Reach.of(source(WORDS, [(0, 3)], rights={"status": "public-domain"}), lambda rights: rights is not None)
    assert reach.full and reach.windows == () and reach.window(100, 103) == (0, len(WORDS))
    assert reach.quote(100, 103) == (WORDS[context(WORDS, 100, 103)[0]:100], WORDS[103:context(WORDS, 100, 103)[1]])


def test_reaches_are_made_once_per_source():
    asked = []
    reaches = Reaches(lambda rights: asked.append(rights) or False)
    text = source(WORDS, [(0, 3)])
    assert reaches.of(text) is reaches.of(text) and asked == [None]


def test_context_on_every_short_span_of_long_lines():
    """Exhaustively, on lines longer than the context on both sides, with astral characters and
    runs of spaces: every span of up to 12 code points against the documented rule."""
    text = ("w00 w01  w02 \U0001F600w03 " + " ".join(f"word{i}" for i in range(12)) + "  end\n"
            + "x" * 40 + " tail and more words after it, many of them, to pass the limit\n\nlast")
    for start in range(len(text)):
        for end in range(start, min(len(text), start + 12) + 1):
            lo, hi = context(text, start, end)
            assert (text[lo:start], text[end:hi]) == documented_context(text, start, end), (start, end)


def test_a_context_never_reaches_past_the_span_for_its_cut():
    assert context("x" * 40 + "said it", 40, 44) == (40, 47)  # no space before: nothing before, not a later space
    assert context("a b " + "y" * 40, 4, 8) == (0, 8)  # no space after within reach: nothing after, not an earlier one


def test_windows_that_touch_are_merged():
    """Two statements whose windows meet exactly (a double space between them) make one window,
    so a mention across the meeting point is quoted."""
    text = "  ".join(f"word{i:02d}" for i in range(30))
    spans = [(text.index(f"word{i:02d}"), text.index(f"word{i:02d}") + 6) for i in range(30)]
    touching = [(a, b) for a in spans for b in spans if a < b and context(text, *a)[1] == context(text, *b)[0]]
    assert touching, "the text has two spans whose windows touch"
    a, b = touching[0]
    reach = Reach.of(source(text, [a, b]), lambda rights: False)
    assert reach.windows == ((context(text, *a)[0], context(text, *b)[1]),)
