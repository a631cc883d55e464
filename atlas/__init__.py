"""Libya Claims Atlas: annotated news claims, checked against their texts, built into a site.

The pipeline runs in visible stages, one module each:
load (files -> documents) -> validate (schemas, ids) -> resolve (references, anchoring)
-> render (Markdown pages, exports) -> publish (mkdocs, atomic swap).
"""
