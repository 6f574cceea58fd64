"""Load benchmarks: start an app, drive it under load, write JSON, a table and a plot.

They are run on purpose (`nox -s bench-async`, `nox -s bench-final`), never by the default test run.
`benchmarks.harness` holds what every benchmark shares.
"""
