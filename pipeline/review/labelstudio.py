"""A Label Studio import file: each article's text, with the claims as predictions.

Each claim becomes one ``labels`` region over its count as written ("at least 744"),
labelled with its predicate, so annotators correct spans and labels in a tool they
know; the region's id is the claim's id. The labelling configuration adds, per region, a
verdict (correct or wrong), a "fix" box for corrected fields ("count=12; actor=isis") and a
reason, which ``python -m pipeline import-labelstudio`` turns into corrections
(labelstudio_import.py). Offsets are converted to UTF-16 code units: Label Studio measures text in
JavaScript string positions, so an emoji or any character outside the Basic
Multilingual Plane would otherwise shift every later region (Label Studio #4988).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pipeline.review.highlight import claim_spans
from pipeline.review.load import Record

PREDICATES = ("killed", "injured", "trapped", "displaced", "detained", "missing", "incidents")
MODEL_VERSION = "casualty-claims rules"
TASKS_FILE = "labelstudio-tasks.json"
CONFIG_FILE = "labelstudio-config.xml"


def write_labelstudio(records: Mapping[str, Record], out: Path) -> list[Path]:
    """The task file and a matching labelling configuration; returns the files written."""
    out.mkdir(parents=True, exist_ok=True)
    tasks_path, config_path = out / TASKS_FILE, out / CONFIG_FILE
    text = json.dumps(tasks(records), ensure_ascii=False, indent=1) + "\n"
    tasks_path.write_text(text, encoding="utf-8")
    config_path.write_text(label_config(), encoding="utf-8")
    return [tasks_path, config_path]


def tasks(records: Mapping[str, Record]) -> list[dict[str, Any]]:
    """One task per article, in file order; task ids count from 1."""
    result = []
    for number, key in enumerate(sorted(records), 1):
        record = records[key]
        article = record.get("article") or {}
        text = str(article.get("text") or "")
        claims = list(record.get("claims") or [])
        regions = []
        for span in claim_spans(text, claims):
            claim = claims[span.index]
            if span.count_start is not None and span.count_end is not None:
                start, end = span.count_start, span.count_end
            else:  # the count's words are not in the sentence: mark the sentence
                start, end = span.start, span.end
            regions.append({
                "id": str(claim.get("id")),
                "from_name": "label",
                "to_name": "text",
                "type": "labels",
                "value": {
                    "start": utf16_offset(text, start),
                    "end": utf16_offset(text, end),
                    "text": text[start:end],
                    "labels": [str(claim.get("predicate"))],
                },
            })
        result.append({
            "id": number,
            "data": {
                "text": text,
                "article": str(article.get("file") or key),
                "title": article.get("title"),
                "published": article.get("published"),
            },
            "predictions": [{"model_version": MODEL_VERSION, "result": regions}],
        })
    return result


def utf16_offset(text: str, index: int) -> int:
    """A Python (code point) offset as a JavaScript (UTF-16 code unit) offset."""
    return index + sum(1 for char in text[:index] if ord(char) > 0xFFFF)


def label_config() -> str:
    """The ``<View>`` to paste into the project's Labeling Interface; names match the tasks and
    the importer (``label``, ``text``, and per region ``verdict``, ``fix``, ``reason``)."""
    labels = "\n".join(f'    <Label value="{name}"/>' for name in PREDICATES)
    return (
        "<View>\n"
        '  <Labels name="label" toName="text">\n'
        f"{labels}\n"
        "  </Labels>\n"
        '  <Text name="text" value="$text"/>\n'
        '  <View visibleWhen="region-selected">\n'
        '    <Header value="Verdict on the selected claim (leave empty: kept as it is means correct)"/>\n'
        '    <Choices name="verdict" toName="text" perRegion="true" choice="single">\n'
        '      <Choice value="correct"/>\n'
        '      <Choice value="wrong"/>\n'
        "    </Choices>\n"
        '    <TextArea name="fix" toName="text" perRegion="true" maxSubmissions="1" editable="true"\n'
        '              placeholder="corrected fields: count=12; group=children; actor=isis; cause=airstrike; '
        'place=Aleppo; time=2017-06-01"/>\n'
        '    <TextArea name="reason" toName="text" perRegion="true" maxSubmissions="1" editable="true"\n'
        '              placeholder="a short reason"/>\n'
        "  </View>\n"
        "</View>\n"
    )
