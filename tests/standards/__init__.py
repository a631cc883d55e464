"""Standards' own conformance suites, vendored verbatim, and the runners that apply them to the
project's exports from the tests.

- `w3c-annotation-model/`: the W3C Web Annotation Data Model suite (web-platform-tests
  `annotation-model/`), see its README.md and MANIFEST.txt.
- `w3c_suite`: runs that suite's `.test` files on JSON objects with `jsonschema`, with the
  upstream runner's assertion semantics.

Importable from the tests as `standards.w3c_suite` (pytest puts tests/ on sys.path, as for
`htmlscan` and `browser`).
"""
