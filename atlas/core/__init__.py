"""The small core every other part of the atlas stands on; it imports nothing else of the atlas.

    model.py     the data the stages hand each other: documents and texts as loaded, the dataset
    problems.py  Problem, Report (every problem at once), AtlasError, the severities
    printer.py   the one problem printer: text lines or GitHub commands, and the count line
    text.py      contributor text made safe to print (quote, visible), the invisible characters
    vocab.py     record kinds, their folders, files and schema files, stances, size limits
    schemafacts.py  the facts read from the schemas: the id and date patterns, ACLED's types
    dates.py     written dates read as ranges of days (checks, timeline, exports)
    paths.py     the project root and its folders, the project's documents by name
    settings.py  deployment settings (site URL, repository, text mode)
    rights.py    what a source's rights allow the atlas to publish of its text
    release.py   the dataset's version and release date (load/release.py reads them)
    gazetteer.py the one door to the gazetteer places take their coordinates from
    files.py     writing a file atomically
    lock.py      one build at a time in a work folder
    history.py   what the working tree changes against git's HEAD, for the messages that say so
"""
