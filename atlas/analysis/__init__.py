"""What the pages show, computed from the resolved Dataset as plain data (no HTML, no Markdown).

    attribution.py  who said it: a statement's voices, speakers, origins (the evidence model's "who")
    views.py     indexes, evidence by claim, support relations, contradictions, the timeline
    places.py    what the place, event and map pages show
    coverage.py  per source: what the annotations cover and miss (`build.py coverage`, its page)
    stats.py     the counts a reader sees on the site (`build.py diff` reports them)
    pages.py     the analysis pages, declared once: paths, titles, navigation, index entries
"""
