"""Benchmarks: `python -m bench.run [--quick]` runs them all; see docs/performance.md."""
