"""Benchmarks of the build at scale: a synthetic corpus generator (synth) and the timing run (run)."""
