"""Tests of the published site as its readers use it: a real browser, HTML validity,
accessibility and links.

The helpers here are independent of the site code, so they can judge it:
`serve` (the site over HTTP on 127.0.0.1), `guard` (what a page may not do: reach another host,
log an error, fail a request), `links` (every internal href and #fragment resolves), `vnu` (the
Nu HTML Checker), `axe` (axe-core in the page) and `tools` (where the browser, Java and the npm
packages are, and what a missing one means: a skip on a developer machine, a failure in CI).
"""
