"""Mutation testing of the critical modules: `make mutation` (mutation/run.py)."""
