"""The ``incidents_linked`` table: linked incidents (``_incidents.json``) flattened for analysts.

One row per incident (``row_kind`` = ``incident``: its grade, independent sources, UCDP
low/best/high and the ACLED conservative figure) followed by one row per report of it
(``row_kind`` = ``report``: the article, the claim, that source's own figure, qualifier, status,
perpetrator, ``duplicate_of`` and deviation). ``incident_id`` joins them; ``source_article`` and
``claim_id`` join a report row to the ``claims`` table. Kept apart from tables.py so the linker's
columns and the per-article tables change independently.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pipeline.review.load import Record
from pipeline.review.tables import Row

INCIDENTS_FILE = "_incidents.json"

LINKED_COLUMNS: tuple[tuple[str, str], ...] = (
    ("incident_id", "VARCHAR"),
    ("row_kind", "VARCHAR"),
    ("type", "VARCHAR"),
    ("grade", "VARCHAR"),
    ("contested", "VARCHAR"),
    ("sources", "BIGINT"),
    ("reports", "BIGINT"),
    ("date_start", "DATE"),
    ("date_end", "DATE"),
    ("country", "VARCHAR"),
    ("admin1", "VARCHAR"),
    ("town", "VARCHAR"),
    ("actor", "VARCHAR"),
    ("cause", "VARCHAR"),
    ("perpetrators", "VARCHAR"),
    ("low", "BIGINT"),
    ("best", "BIGINT"),
    ("high", "BIGINT"),
    ("conservative", "BIGINT"),
    ("source_article", "VARCHAR"),
    ("claim_id", "VARCHAR"),
    ("published", "DATE"),
    ("source", "VARCHAR"),
    ("count_text", "VARCHAR"),
    ("qualifier", "VARCHAR"),
    ("status", "VARCHAR"),
    ("victim_group", "VARCHAR"),
    ("acknowledged", "BOOLEAN"),
    ("duplicate_of", "VARCHAR"),
    ("deviation", "BIGINT"),
    ("flags", "VARCHAR"),
)


def load_incidents(outputs: Path, records: Mapping[str, Record], problems: list[str] | None = None) -> dict[str, Any]:
    """``outputs/_incidents.json`` when it exists, else linked now from ``records`` (nothing written).

    A file that cannot be read or does not validate against ``incidents.schema.json`` (edited
    by hand, an older version) is set aside with one E401 line in ``problems``, and the
    incidents are linked now instead.
    """
    import json

    from pipeline.errors import PipelineError
    from pipeline.review.validate import problem

    path = outputs / INCIDENTS_FILE
    if path.is_file():
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            found = problem(data, "incidents")
        except (OSError, ValueError) as exc:
            found = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        if found is None:
            return data
        if problems is not None:
            problems.append(f"{path.as_posix()}: {PipelineError('E401', reason=found)}; linked again from the outputs")
    from pipeline.link.writer import incidents_of

    by_file = {str((record.get("article") or {}).get("file")): dict(record) for record in records.values()
               if isinstance((record.get("article") or {}).get("file"), str)}
    return incidents_of(by_file)


def linked_rows(incidents: Mapping[str, Any]) -> list[Row]:
    """Each incident's row, then its reports' rows, in the file's order."""
    rows: list[Row] = []
    for incident in incidents.get("incidents") or []:
        location = incident.get("location") or {}
        date = incident.get("date") or {}
        figures = incident.get("figures") or {}
        common: Row = {
            "incident_id": incident.get("id"),
            "type": incident.get("type"),
            "grade": incident.get("grade"),
            "date_start": date.get("start"),
            "date_end": date.get("end"),
            "country": location.get("country"),
            "admin1": location.get("admin1"),
            "town": location.get("town"),
        }
        reports = incident.get("reports") or []
        rows.append({
            **common,
            "row_kind": "incident",
            "contested": "; ".join(incident.get("contested") or []) or None,
            "sources": incident.get("sources"),
            "reports": len(reports),
            "actor": incident.get("actor"),
            "cause": incident.get("cause"),
            "perpetrators": "; ".join(p.get("actor", "") for p in incident.get("perpetrators") or []) or None,
            "low": figures.get("low"),
            "best": figures.get("best"),
            "high": figures.get("high"),
            "conservative": figures.get("conservative"),
        })
        for report in reports:
            count = report.get("count") or {}
            rows.append({
                **common,
                "row_kind": "report",
                "actor": report.get("actor"),
                "cause": report.get("cause"),
                "low": report.get("low"),
                "best": report.get("best"),
                "high": report.get("high"),
                "source_article": report.get("article"),
                "claim_id": report.get("claim"),
                "published": report.get("published"),
                "source": report.get("source"),
                "count_text": count.get("text"),
                "qualifier": count.get("qualifier"),
                "status": report.get("status"),
                "victim_group": report.get("group"),
                "acknowledged": report.get("acknowledged"),
                "duplicate_of": report.get("duplicate_of"),
                "deviation": report.get("deviation"),
                "flags": "; ".join(report.get("flags") or []) or None,
            })
    return rows
