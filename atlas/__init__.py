"""Libya Claims Atlas: annotated news claims, checked against their texts, built into a site.

The package, in the order the data flows through it (docs/architecture.md draws it):

    core/       what every stage shares: the data passed between stages (model), problems and
                the one problem printer, safe text, the vocabulary (kinds, folders, ids, limits),
                project paths, settings, atomic writes; it imports nothing else of the atlas
    load/       stage 1: list the annotation files, parse each (strict YAML), read the texts;
                the dataset's version from CITATION.cff
    validate/   stage 2: each file against its schema and rules, in plain language; ids across files
    resolve/    stage 3: references, anchoring every quoted span, automatic mentions -> Dataset
    pipeline.py the driver of stages 1-3, given a provider: Plain (here) or Fast
    fast/       every speed-up beside its plain twin: check cache, worker processes, compiled schemas
    analysis/   what the pages show: views, coverage, counts, the analysis pages declared once
    render/     stage 4: the Dataset as Markdown pages (Jinja2 templates/), no mkdocs
    export/     stage 4b: the Dataset as downloadable files (JSON, JSON-LD, CSV, data package)
    publish/    stage 5: mkdocs in a subprocess (hooks, theme/), swapped into site/ whole
    data.py     or, for a data user's script: the checked dataset as dataset.json and the CSV rows hold it
    make_site.py  what `build.py build` runs: check -> render -> exports -> publish
    preview/    `build.py serve`: which pages an edit reaches, and the preview's builds
    tools/      fmt's canonical writer, new-source's scaffolding, new ids and records (new-place,
                new-actor, new-claim), find, check --fix, diff's review summary, the desk's
                writes, release's steps
    cli/        one module per command, named after it; main() in cli/__init__.py, which
                build.py hands its table of commands

A unit imports only the ones listed above it, and no stage imports fast/ (tests/test_layout.py).
"""
