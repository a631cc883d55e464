"""`build.py serve`'s builds: one full build, then after each edit only the pages it reaches.

    live.py   Preview: the full build into .build/preview/, then incremental updates through a
              kept-loaded mkdocs (the command that serves it is cli/serve.py)
    watch.py  how an edit is noticed: the live-reload server's observer, by system events or polling
    reach.py  which pages an edit can change (tests/test_preview.py: the same pages as a full render)
    desk.py   what the served pages get and the published site never has: the error banner, and
              the guarded endpoint of the annotation desk (its script and style in static/)
"""
