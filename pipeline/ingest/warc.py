"""WARC and WARC.gz web archives (a crawl, Common Crawl's CC-NEWS) -> one ``.html`` per page.

Read with warcio (the ``[warc]`` extra). Only ``response`` records of HTTP status
200 whose payload is HTML are articles; other responses are counted in the summary
("not HTML", "HTTP 404"…), and request, metadata and warcinfo records are not
responses at all. The payload is stored as the server sent it (transfer and content
encodings undone), named ``<host>/<path-slug>.html``, with the record's URL, the
crawl date as ``fetched`` (the WARC-Date: when it was crawled, not published) and
``source_record`` "crawl.warc.gz#offset=1234". A truncated or damaged archive keeps
every record before the damage and reports E603.

Why warcio over fastwarc: on a WARC built from the benchmark pages fastwarc reads
records 1.5x (gzip) to 3.6x (plain) faster, but reading is a few per cent of an
ingest, whose time goes to cleaning each page for the near-duplicate check; warcio
is pure Python (a wheel for every platform) and also writes WARCs, which the tests
and the benchmark use to build theirs.
"""

from __future__ import annotations

import zlib
from pathlib import Path

from pipeline.errors import PipelineError
from pipeline.ingest.names import url_name
from pipeline.ingest.store import CorpusStore, Incoming

HTML_TYPES = ("text/html", "application/xhtml+xml")
PDF_TYPES = ("application/pdf",)
# A page larger than this is no article (the extractor caps articles at 2,000,000 bytes).
MAX_PAYLOAD = 20_000_000


def ingest_warc(src: Path, store: CorpusStore) -> int:
    """Write the archive's HTML responses into the store; returns an exit status."""
    try:
        from warcio.archiveiterator import ArchiveIterator
        from warcio.exceptions import ArchiveLoadFailed
        from warcio.statusandheaders import StatusAndHeadersParserException
    except ImportError:
        store.summary.fail(f"{src}: {PipelineError('E122', what='WARC files', extra='warc')}")
        return 2
    summary = store.summary
    records = 0
    try:
        with src.open("rb") as handle:
            is_arc = src.name.lower().endswith((".arc", ".arc.gz"))
            iterator = ArchiveIterator(handle, arc2warc=is_arc)
            for record in iterator:
                if not is_arc and record.format != "warc":  # warcio reads any line as an ARC header
                    raise ValueError("not a WARC record")
                records += 1
                if record.rec_type != "response":
                    continue
                http = record.http_headers
                if http is None:
                    summary.skip("not HTTP")
                    continue
                status = http.get_statuscode() or "none"
                if status != "200":
                    summary.skip(f"HTTP {status}")
                    continue
                kind = (http.get_header("Content-Type") or "").split(";")[0].strip().lower()
                suffix = ".html" if kind in HTML_TYPES else ".pdf" if kind in PDF_TYPES else None
                if suffix is None:
                    summary.skip("not HTML")
                    continue
                payload = record.content_stream().read(MAX_PAYLOAD + 1)
                if record.raw_stream.limit:  # fewer bytes than the record declared: the archive ends here
                    raise EOFError(f"record {records} ends early")
                offset = iterator.get_record_offset()  # (reads the record to its end: after the payload)
                if len(payload) > MAX_PAYLOAD:
                    summary.skip("too large")
                    continue
                url = record.rec_headers.get_header("WARC-Target-URI") or ""
                meta = {"url": url, "fetched": record.rec_headers.get_header("WARC-Date") or "",
                        "source_record": f"{src.name}#offset={offset}"}
                store.add(Incoming(url_name(url), suffix, payload, meta, f"{src.name}#offset={offset}"))
    except (ArchiveLoadFailed, StatusAndHeadersParserException, EOFError, OSError, ValueError, zlib.error) as exc:
        reason = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}".rstrip(": ")
        summary.fail(str(PipelineError("E603", src=src, records=records, reason=reason[:300])))
        return 1
    return 0
