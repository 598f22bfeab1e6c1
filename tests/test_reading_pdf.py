"""PDF reports: the text layer, paragraphs rebuilt from wrapped lines, page breaks, and coded refusals.

The PDFs are made by tests/pdf_maker.py from our own short texts.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from pipeline.article import extract_article
from pipeline.errors import InputError
from pipeline.reading.pdf import pdf_to_text
from pipeline.sidecar import Sidecar
from tests.pdf_maker import make_pdf

pytest.importorskip("pypdf", reason="the [pdf] extra is not installed (make test installs it)")

# Lines as a report wraps them: a paragraph over three full lines, then a short last line.
REPORT_PAGE_1 = [
    "Monthly protection report",
    "",
    "During the reporting period, air strikes and shelling on residential areas of the",
    "eastern districts killed at least 37 civilians, including nine children and four",
    "women, according to figures gathered by the protection cluster from hospitals",
    "and local authorities.",
    "",
    "Another 120 people were injured.",
]
REPORT_PAGE_2 = [
    "Monthly protection report",
    "Humanitarian access remained restricted throughout the month, and two convoys",
    "were turned back at checkpoints on the main road to the north of the province.",
]


def test_wrapped_lines_become_one_paragraph_and_pages_stay_apart() -> None:
    pdf = pdf_to_text(make_pdf([REPORT_PAGE_1 + ["1"], REPORT_PAGE_2 + ["2"]], title="Protection report: March"))
    assert pdf.pages == 2
    title, body = pdf.text.split("\n\n", 1)
    assert title == "Protection report: March"
    paragraphs = body.split("\n")
    assert ("During the reporting period, air strikes and shelling on residential areas of the eastern districts "
            "killed at least 37 civilians, including nine children and four women, according to figures gathered "
            "by the protection cluster from hospitals and local authorities.") in paragraphs
    # a page break is a blank line: page 2 starts its own paragraph (its header is on two pages: kept)
    assert "local authorities.\nAnother 120 people were injured.\n\nMonthly protection report\nHumanitarian" in pdf.text
    assert pdf.dropped["page_number"] == 2


def test_running_headers_are_dropped() -> None:
    pages = [["Situation Report No. 12", f"Paragraph {i} says what happened on day {i} of the week in the region",
              f"and how {i * 100} people were displaced from the villages near the front line.", str(i)]
             for i in range(1, 5)]
    pdf = pdf_to_text(make_pdf(pages))
    assert "Situation Report No. 12" not in pdf.text
    assert pdf.dropped["running_header"] == 4 and pdf.dropped["page_number"] == 4


def test_file_name_titles_are_not_titles() -> None:
    pdf = pdf_to_text(make_pdf([REPORT_PAGE_1], title="Microsoft Word - sitrep_final_v3.docx"))
    assert pdf.text.startswith("Monthly protection report\n")


def test_extracting_a_pdf_report(nlp: object) -> None:
    data = make_pdf([REPORT_PAGE_1, REPORT_PAGE_2], title="Protection report: March")
    record = extract_article(data, "reports/march.pdf", Sidecar(published="2024-04-02"), nlp)  # type: ignore[arg-type]
    article = record["article"]
    assert article["format"] == "pdf" and article["encoding"] == "pdf"
    assert article["title"] == "Protection report: March"
    killed = [c for c in record["claims"] if c["predicate"] == "killed"]
    assert [c["count"]["text"] for c in killed] == ["at least 37"]
    assert [i["count"]["value"] for i in killed[0]["includes"]] == [9, 4]
    assert [c["count"]["text"] for c in record["claims"] if c["predicate"] == "injured"] == ["120"]


def test_a_scan_without_text_is_refused_with_its_own_code() -> None:
    with pytest.raises(InputError) as caught:
        pdf_to_text(make_pdf([["x"], ["y"]], scanned=True))
    assert caught.value.code == "E120"


def test_damaged_pdf() -> None:
    data = make_pdf([REPORT_PAGE_1])
    with pytest.raises(InputError) as caught:
        pdf_to_text(data[: len(data) // 3])
    assert caught.value.code in ("E120", "E121")  # cut before its text: nothing readable either way
    with pytest.raises(InputError) as caught:
        pdf_to_text(b"%PDF-1.4\n" + b"\x00garbage" * 50)
    assert caught.value.code == "E121"


def test_without_the_pdf_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pypdf", None)
    with pytest.raises(InputError) as caught:
        pdf_to_text(make_pdf([REPORT_PAGE_1]))
    assert caught.value.code == "E122" and "[pdf]" in str(caught.value)


def test_a_corpus_with_pdfs(tmp_path: Path) -> None:
    """extract reads .pdf files of the corpus; a scan fails alone with E120, the rest is written."""
    from pipeline.runner import run

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "report.pdf").write_bytes(make_pdf([REPORT_PAGE_1, REPORT_PAGE_2], title="Protection report"))
    (corpus / "report.meta.json").write_text('{"published": "2024-04-02"}', encoding="utf-8")
    (corpus / "scan.pdf").write_bytes(make_pdf([["x"]], scanned=True))
    (corpus / "note.txt").write_text("Note\n\nClashes killed 4 fighters.\n", encoding="utf-8")
    summary, lines = run(corpus, tmp_path / "out", max_bytes=2_000_000)
    assert (summary.extracted, summary.failed) == (2, 1)
    assert [line.split(": ", 1)[0] for line in lines] == ["scan.pdf"] and "[E120]" in lines[0]
    record = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert record["article"]["format"] == "pdf" and record["article"]["published"] == "2024-04-02"
