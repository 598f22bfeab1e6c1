"""Each report of the worldwide development set (tests/worldwide/*.yaml) as a behaviour test.

The reports are our own short texts for countries, actors and wordings beyond Syria;
their expectations were checked by hand against the text. A report marked
``known_failure`` is an expected failure (strict: it fails the suite once it passes,
so the mark is removed when a rule fixes it).
"""

from __future__ import annotations

import pytest

from pipeline.tools.score_worldwide import check, describe, extract, load_reports

REPORTS = load_reports()


def test_worldwide_report_ids_are_unique() -> None:
    ids = [r.id for r in REPORTS]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


@pytest.mark.parametrize(
    "report",
    [pytest.param(r, marks=pytest.mark.xfail(reason=r.known_failure, strict=True)) if r.known_failure else r
     for r in REPORTS],
    ids=lambda r: r.id,
)
def test_worldwide_report_meets_its_expectations(nlp, report) -> None:  # type: ignore[no-untyped-def]
    record = extract(report, nlp)
    failed = [measure for measure, passed in check(report, record).items() if not passed]
    assert not failed, f"{failed}: expected {report.expect}, got {describe(report, record)}"
