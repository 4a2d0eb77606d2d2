"""JobWise benchmarks: event store and projection figures on the embedded SecantusDB.

Run from the repository root with ``python -m bench`` (``--quick`` for a smoke
run, ``--only NAME`` for one group). It starts its own SecantusDB on disk in a
temporary directory, prints a table of figures next to their targets, and
writes ``bench/results/latest.json``. It never fails on a missed target: it is
a measurement, not a test.
"""
