"""The small core every other part of the atlas stands on; it imports nothing else of the atlas.

    model.py     the data the stages hand each other: documents and texts as loaded, the dataset
    problems.py  Problem, Report (every problem at once), AtlasError, the severities
    printer.py   the one problem printer: text lines or GitHub commands, and the count line
    text.py      contributor text made safe to print (quote, visible), the invisible characters
    vocab.py     record kinds, their folders and schema files, the id pattern, size limits
    paths.py     the project root and its folders
    settings.py  deployment settings (site URL, repository, text mode)
    files.py     writing a file atomically
    history.py   what the working tree changes against git's HEAD, for the messages that say so
"""
