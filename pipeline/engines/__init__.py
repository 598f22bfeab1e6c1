"""Extraction engines besides the built-in runner (``pipeline/runner.py``): ``dask`` (the ``[dask]`` extra)."""
