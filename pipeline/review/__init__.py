"""Review tools: claim-level diffs, the offline review page, table exports.

Nothing here is imported by extraction: the CLI imports these modules only inside the
``diff``, ``report`` and ``export`` subcommands, so ``extract`` starts as fast as before
and the heavier libraries (duckdb) load only when a reviewer asks for them.
"""
