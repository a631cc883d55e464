"""The contributor tools behind the commands that write or compare annotations.

    canonical.py  the canonical form of annotation files, comments kept (`build.py fmt`)
    scaffold.py   a new article's text copied and its source record written (`build.py new-source`)
    review.py     what a change does to the records and the site's counts (`build.py diff`)
    ids.py        a new record's id, made from its title and checked (new-source, new-place, new-actor, new-claim, the desk)
    records.py    a new actor or claim from its fields, after the similar ones (`new-actor`, `new-claim`)
    new_record.py what those two commands run: check, write the record, check the new file again
    finder.py     records and statements found by words, ids and aliases (`build.py find`)
    fixer.py      the repairs with one right answer (`build.py check --fix`)
    context.py    the shortest prefix or suffix that picks one occurrence (fixer's and the desk's rule)
    annotate.py   a selected passage to its span, guesses, and the statement or mention written (`serve`)
    annotator.py  the preview desk's actions on those, JSON in and out (served by preview/desk.py)
    release.py    a version of the dataset, tagged, described and packed (`build.py release`)
"""
