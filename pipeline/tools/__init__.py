"""Development tools: generators of committed data files (not imported at run time)."""
