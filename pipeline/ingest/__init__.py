"""Taking articles in: dumps, web archives, feeds and URLs -> corpus files with sidecars.

``python -m pipeline ingest SRC`` turns a source into the files ``extract`` reads:
one ``.txt`` (title, blank line, text) per dump record or one ``.html`` (the bytes as
served) per page, each with a ``.meta.json`` sidecar (url, outlet, published, fetched,
source_record, duplicate_of). One module per kind of source reads records; ``store``
names and writes them (never over a different article, idempotent); ``dedup`` marks
near-duplicates (MinHash over word shingles). Only this package touches the network,
and only for URL sources: ``extract`` never does.
"""
