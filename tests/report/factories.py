"""Moved to tests.factories.records; bench.compile still imports SAMPLES from here."""

# temporary: re-exports until bench/compile.py imports tests.factories.records
from tests.factories.records import SAMPLES

__all__ = ["SAMPLES"]
