"""Write the claim and incident tables as CSV, Parquet and one DuckDB database.

CSV is written by the standard library so its bytes are fixed by the rows alone
(UTF-8, no BOM, ``\\n`` line ends, header first, empty field for null). DuckDB then
reads those CSVs back with explicit column types (never sampled), so the database and
the Parquet files hold exactly what the CSV holds; one thread keeps row order as
written. duckdb is imported here only, when an export is asked for.

A spreadsheet may run a cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return as a formula: a title, a quote or a URL from an article
could then compute, link or fetch. The CSV files given to people therefore start such
text cells with an apostrophe, which spreadsheets show as text (OWASP's advice for CSV
injection); ``raw`` keeps them as they are, for programs. DuckDB and Parquet always
hold the values as they are: they are read by programs, not spreadsheets.
"""

from __future__ import annotations

import csv
import errno
import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pipeline.review.apply import review_records
from pipeline.review.corrections import Correction
from pipeline.review.incidents_table import LINKED_COLUMNS, linked_rows
from pipeline.review.load import Record
from pipeline.review.tables import CLAIM_COLUMNS, INCIDENT_COLUMNS, Row, Value, claim_rows, incident_rows

EXCEL_BOM = "\ufeff".encode()
# What a spreadsheet reads as the start of a formula (OWASP, CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# Claims next to their article's metadata: the table most questions start from.
CLAIM_ARTICLES_VIEW = """
CREATE VIEW claim_articles AS
SELECT c.*, a.title, a.outlet, a.url, a.published, a.published_from
FROM claims AS c JOIN incidents AS a USING (source_article)
ORDER BY c.source_article, c.evidence_start, c.claim_id
"""


def export_all(records: Mapping[str, Record], out: Path, *, excel: bool = False, raw: bool = False,
               incidents: Mapping[str, Any] | None = None,
               corrections: Mapping[str, list[Correction]] | None = None) -> list[Path]:
    """CSV, Parquet and ``claims.duckdb`` for every table; returns the files written.

    ``incidents`` (the linker's ``_incidents.json``) adds the ``incidents_linked`` table.
    ``corrections`` (corrections.py) are applied to the claims table and marked in its
    ``review`` columns; the outputs themselves are never changed.

    ``excel`` starts each CSV with a byte-order mark: Excel reads BOM-less UTF-8 as the
    local code page and garbles names, but the mark trips other tools, so it is opt-in.
    ``raw`` leaves text cells that look like formulas as they are (see the module docstring).

    Raises:
        OSError: a file could not be written (``filename`` says which).
    """
    out.mkdir(parents=True, exist_ok=True)
    tables = {
        "claims": (CLAIM_COLUMNS, claim_rows(records, review_records(records, corrections or {}))),
        "incidents": (INCIDENT_COLUMNS, incident_rows(records)),
    }
    if incidents is not None:
        tables["incidents_linked"] = (LINKED_COLUMNS, linked_rows(incidents))
    for name, (columns, rows) in tables.items():
        (out / f"{name}.csv").write_bytes(csv_bytes([column for column, _ in columns], rows, raw=True))
    # DuckDB reads the files as they are; then the spreadsheet's copies are made safe.
    written = write_duckdb(out, tables)
    csvs = [out / f"{name}.csv" for name in tables]
    for path, (columns, rows) in zip(csvs, tables.values(), strict=True):
        data = csv_bytes([column for column, _ in columns], rows, raw=raw)
        path.write_bytes(EXCEL_BOM + data if excel else data)
    return csvs + written


def csv_bytes(header: list[str], rows: list[Row], *, raw: bool = False) -> bytes:
    """The table as UTF-8 CSV: fields quoted only when needed, booleans ``true``/``false``,
    text that a spreadsheet would run as a formula neutralised unless ``raw``."""
    lines = [_csv_line(header)]
    lines.extend(_csv_line([_cell(row.get(column), raw) for column in header]) for row in rows)
    return "".join(lines).encode("utf-8")


_ROW = io.StringIO()
# Written with a CRLF terminator, so that the csv module quotes a field holding a lone
# carriage return as well as a line feed (with "\n" alone it left "\r" bare, and
# readers took it for the end of the row); the line itself then ends in "\n".
_WRITER = csv.writer(_ROW, lineterminator="\r\n")


def _csv_line(cells: list[str]) -> str:
    _ROW.seek(0)
    _ROW.truncate()
    _WRITER.writerow(cells)
    return _ROW.getvalue()[:-2] + "\n"


def neutralise(text: str) -> str:
    """``text`` as a spreadsheet shows it, never runs it: an apostrophe before a formula start."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def write_duckdb(out: Path, tables: Mapping[str, tuple[tuple[tuple[str, str], ...], list[Row]]]) -> list[Path]:
    """``claims.duckdb`` (both tables and the ``claim_articles`` view) and one Parquet per table."""
    import duckdb  # noqa: PLC0415 - 20 MB library, loaded only for exports

    database = out / "claims.duckdb"
    for stale in (database, out / "claims.duckdb.wal"):
        stale.unlink(missing_ok=True)
    written = [database]
    try:
        connection = duckdb.connect(str(database))
    except duckdb.Error as exc:
        raise OSError(errno.EIO, str(exc).splitlines()[0], str(database)) from exc
    try:
        connection.execute("SET threads = 1")
        for name, (columns, _rows) in tables.items():
            types = ", ".join(f"'{column}': '{kind}'" for column, kind in columns)
            source = str(out / f"{name}.csv").replace("'", "''")
            connection.execute(
                f"CREATE TABLE {name} AS SELECT * FROM read_csv('{source}', header = true, auto_detect = false, "
                f"delim = ',', quote = '\"', escape = '\"', nullstr = '', columns = {{{types}}})"
            )
            parquet = out / f"{name}.parquet"
            target = str(parquet).replace("'", "''")
            try:
                connection.execute(f"COPY {name} TO '{target}' (FORMAT PARQUET)")
            except duckdb.Error as exc:
                raise OSError(errno.EIO, str(exc).splitlines()[0], str(parquet)) from exc
            written.append(parquet)
        connection.execute(CLAIM_ARTICLES_VIEW)
    except duckdb.Error as exc:
        raise OSError(errno.EIO, str(exc).splitlines()[0], str(database)) from exc
    finally:
        connection.close()
    return written


def _cell(value: Value, raw: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value if raw else neutralise(value)
    return str(value)
