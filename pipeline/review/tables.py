"""Outputs as two flat tables, claims and incidents (one row per article), for analysts.

Column names follow what analysts already use: ACLED (``event_date``, ``admin1``,
``location``, ``actor``) and UCDP GED (``date_start``/``date_end``/``date_precision``,
``low``/``best``/``high``, ``source_article``). Rows are claims as reported, never
merged into events: deduplication is the analyst's call. Values are str, int, bool or
None only, so every writer (CSV, DuckDB, Parquet) sees the same thing.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from pipeline.review.apply import ArticleReview, changes, corrected_claim
from pipeline.review.corrections import Correction
from pipeline.review.load import Record

Value = str | int | bool | None
Row = dict[str, Value]

# (name, DuckDB type): the order is the CSV header and the table's column order.
CLAIM_COLUMNS: tuple[tuple[str, str], ...] = (
    ("claim_id", "VARCHAR"),
    ("source_article", "VARCHAR"),
    ("event_date", "DATE"),
    ("date_start", "DATE"),
    ("date_end", "DATE"),
    ("date_precision", "VARCHAR"),
    ("time_text", "VARCHAR"),
    ("country", "VARCHAR"),
    ("admin1", "VARCHAR"),
    ("location", "VARCHAR"),
    ("locations", "VARCHAR"),
    ("predicate", "VARCHAR"),
    ("victim_group", "VARCHAR"),
    ("group_text", "VARCHAR"),
    ("actor", "VARCHAR"),
    ("actor_text", "VARCHAR"),
    ("cause", "VARCHAR"),
    ("cause_text", "VARCHAR"),
    ("civilians", "BIGINT"),
    ("children", "BIGINT"),
    ("women", "BIGINT"),
    ("fighters", "BIGINT"),
    ("low", "BIGINT"),
    ("best", "BIGINT"),
    ("high", "BIGINT"),
    ("qualifier", "VARCHAR"),
    ("count_text", "VARCHAR"),
    ("cumulative", "BOOLEAN"),
    ("source", "VARCHAR"),
    ("source_text", "VARCHAR"),
    ("section", "VARCHAR"),
    ("rule", "VARCHAR"),
    ("quote", "VARCHAR"),
    ("evidence_start", "BIGINT"),
    ("evidence_end", "BIGINT"),
    # Added with the claims' scope, status and precision codes (after the first columns,
    # so that readers of the earlier layout by position are not broken).
    ("where_precision", "VARCHAR"),
    ("scope", "VARCHAR"),
    ("status", "VARCHAR"),
    ("inherited", "VARCHAR"),
    # Reviewers' corrections (corrections/, apply.py), applied to the columns above.
    ("review", "VARCHAR"),
    ("review_fields", "VARCHAR"),
    ("review_reason", "VARCHAR"),
    ("review_match", "VARCHAR"),
)

INCIDENT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("source_article", "VARCHAR"),
    ("title", "VARCHAR"),
    ("outlet", "VARCHAR"),
    ("url", "VARCHAR"),
    ("published", "DATE"),
    ("published_from", "VARCHAR"),
    ("date_order", "VARCHAR"),
    ("format", "VARCHAR"),
    ("encoding", "VARCHAR"),
    ("sha256", "VARCHAR"),
    ("claims", "BIGINT"),
    ("main_claim", "VARCHAR"),
    ("event_date", "DATE"),
    ("country", "VARCHAR"),
    ("admin1", "VARCHAR"),
    ("location", "VARCHAR"),
    ("actor", "VARCHAR"),
    ("cause", "VARCHAR"),
    ("civilians", "BIGINT"),
    ("children", "BIGINT"),
    ("women", "BIGINT"),
    ("fighters", "BIGINT"),
    ("people", "BIGINT"),
    ("warnings", "VARCHAR"),
    ("total", "BIGINT"),
)

# The victim groups that get their own column, as in UCDP's deaths_* split.
GROUP_COLUMNS = ("civilians", "children", "women", "fighters")


def claim_rows(records: Mapping[str, Record], reviews: Mapping[str, ArticleReview] | None = None) -> list[Row]:
    """One row per claim: articles in file order, claims in document order.

    With ``reviews`` (apply.py), a reviewed claim's row carries the reviewer's values and its
    ``review`` columns (a claim judged wrong stays, marked ``wrong``), and a figure the rules
    still miss follows its article's claims as a row of its own (``review`` = ``missed``).
    """
    rows: list[Row] = []
    for key in sorted(records):
        record = records[key]
        article = record.get("article") or {}
        source_article, published = _article_id(article, key), article.get("published")
        review = (reviews or {}).get(key)
        for index, claim in enumerate(record.get("claims") or []):
            match = review.by_claim.get(index) if review else None
            if match is None:
                rows.append(claim_row(claim, source_article, published))
                continue
            correction = match.correction
            row = claim_row(corrected_claim(claim, correction), source_article, published)
            row.update(review_columns(correction, match.how, [name for name, _, _ in changes(claim, correction)]))
            rows.append(row)
        for missed in review.missed if review else []:
            if missed.index is None:
                rows.append(missed_row(missed.correction, source_article, published))
    return rows


def review_columns(correction: Correction, how: str, changed: list[str]) -> Row:
    """The ``review*`` columns of a reviewed claim."""
    return {
        "review": correction.verdict,
        "review_fields": "; ".join(changed) or None,
        "review_reason": correction.reason or None,
        "review_match": how or None,
    }


def missed_row(correction: Correction, source_article: str, published: str | None) -> Row:
    """A figure a reviewer found that the rules miss: what the correction gives, no claim id."""
    values = correction.fields
    claim: Record = {"predicate": values.get("predicate") or correction.predicate, "group": values.get("group"),
                     "count": {"text": correction.count_text}, "evidence": {"text": correction.quote}}
    row = claim_row(corrected_claim(claim, replace(correction, verdict="corrected")), source_article, published)
    row.update({"claim_id": None, "evidence_start": None, "evidence_end": None, "cumulative": None,
                **review_columns(correction, "", [name for name in values])})
    return row


def incident_rows(records: Mapping[str, Record]) -> list[Row]:
    """One row per article, with its main incident (empty when it has none)."""
    rows: list[Row] = []
    for key in sorted(records):
        record = records[key]
        article = record.get("article") or {}
        incident = record.get("incident") or {}
        location = incident.get("location") or {}
        killed = incident.get("killed") or {}
        rows.append({
            "source_article": _article_id(article, key),
            "title": article.get("title"),
            "outlet": article.get("outlet"),
            "url": article.get("url"),
            "published": article.get("published"),
            "published_from": article.get("published_from"),
            "date_order": article.get("date_order"),
            "format": article.get("format"),
            "encoding": article.get("encoding"),
            "sha256": article.get("sha256"),
            "claims": len(record.get("claims") or []),
            "main_claim": incident.get("claim"),
            "event_date": incident.get("date"),
            "country": location.get("country"),
            "admin1": location.get("admin1"),
            "location": location.get("name"),
            "actor": incident.get("actor"),
            "cause": incident.get("cause"),
            **{name: killed.get(name) for name in (*GROUP_COLUMNS, "people")},
            "warnings": " | ".join(article.get("warnings") or []) or None,
            "total": killed.get("total"),
        })
    return rows


def claim_row(claim: Record, source_article: str, published: str | None) -> Row:
    """The flat form of one claim (see the README for each column)."""
    count = claim.get("count") or {}
    time = claim.get("time") or {}
    places = claim.get("locations") or []
    first = places[0] if places else {}
    actor = claim.get("actor") or {}
    cause = claim.get("cause") or {}
    source = claim.get("source") or {}
    evidence = claim.get("evidence") or {}
    start, end = time.get("start"), time.get("end")
    row: Row = {
        "claim_id": claim.get("id"),
        "source_article": source_article,
        "event_date": end or start or published,
        "date_start": start,
        "date_end": end,
        # The claim's own code (day, days, week, month, year, none); outputs written before
        # it existed get the earlier reading of the interval.
        "date_precision": claim.get("date_precision") or date_precision(start, end, published),
        "time_text": time.get("text"),
        "country": first.get("country"),
        "admin1": first.get("admin1"),
        "location": first.get("name"),
        "locations": "; ".join(str(place.get("name")) for place in places) or None,
        "predicate": claim.get("predicate"),
        "victim_group": claim.get("group"),
        "group_text": claim.get("group_text"),
        "actor": actor.get("id"),
        "actor_text": actor.get("text"),
        "cause": cause.get("id"),
        "cause_text": cause.get("text"),
        **group_figures(claim),
        "low": count.get("low"),
        "best": count.get("value"),
        "high": count.get("high"),
        "qualifier": count.get("qualifier"),
        "count_text": count.get("text"),
        "cumulative": bool(claim.get("cumulative")),
        "source": source.get("name") or source.get("text"),
        "source_text": source.get("text"),
        "section": claim.get("section"),
        "rule": claim.get("rule"),
        "quote": " ".join(str(evidence.get("text") or "").split()) or None,
        "evidence_start": evidence.get("start"),
        "evidence_end": evidence.get("end"),
        "where_precision": claim.get("where_precision"),
        "scope": claim.get("scope"),
        "status": claim.get("status"),
        "inherited": "; ".join(claim.get("inherited") or []) or None,
    }
    return row


def group_figures(claim: Record) -> dict[str, int | None]:
    """Figures for civilians/children/women/fighters from the claim's group and its sub-counts.

    A figure is the count's best value, else its lower bound ("at least 12" → 12), the
    same reading as UCDP's ``best`` falling back to ``low``.
    """
    figures: dict[str, int | None] = dict.fromkeys(GROUP_COLUMNS)
    parts = [(claim.get("group"), claim.get("count") or {})]
    parts += [(item.get("group"), item.get("count") or {}) for item in claim.get("includes") or []]
    for group, count in parts:
        if group in figures and figures[group] is None:
            figure = count.get("value") if count.get("value") is not None else count.get("low")
            figures[str(group)] = figure if isinstance(figure, int) else None
    return figures


def date_precision(start: str | None, end: str | None, published: str | None) -> str | None:
    """For outputs without the claim's own ``date_precision``: ``day``, ``month``, ``year`` or
    ``interval`` for a resolved time; ``published`` when the claim states no resolved time
    and the report date stands in; else None."""
    if not start or not end:
        if start or end:
            return "interval"
        return "published" if published else None
    first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    if first == last:
        return "day"
    month_end = calendar.monthrange(first.year, first.month)[1]
    if first.day == 1 and last == first.replace(day=month_end):
        return "month"
    if (first.month, first.day) == (1, 1) and last == dt.date(first.year, 12, 31):
        return "year"
    return "interval"


def _article_id(article: Mapping[str, Any], key: str) -> str:
    # The corpus path is what people recognise; the output key stands in if a file lacks it.
    return str(article.get("file") or key)
