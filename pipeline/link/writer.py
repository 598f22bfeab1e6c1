"""``_incidents.json``: build it from an outputs folder, write it, or check that it is current.

The file is derived from the per-article outputs and committed beside them, so ``git diff``
shows every merge and split of incidents. Byte-stable like the outputs (``pipeline.output.dumps``:
fixed key order, no floats, no timestamps), and order-free: the same outputs give the same
bytes whatever order the files are read in, since reports are sorted by article path before
linking and every tie is broken by paths or ids.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pipeline.errors import Errors
from pipeline.link.linker import link_reports
from pipeline.link.reconcile import reconcile
from pipeline.link.records import INCIDENTS_FILE, load_records, report_of
from pipeline.link.rules import LinkRules, load_rules
from pipeline.output import dumps, write_atomic


def incidents_of(records: dict[str, dict[str, Any]], rules: LinkRules | None = None) -> dict[str, Any]:
    """The incidents document of output records keyed by ``article.file``."""
    rules = rules or load_rules()
    reports = [report for report in (report_of(records[name], rules) for name in sorted(records)) if report]
    incidents = [reconcile(group, rules) for group in link_reports(reports, rules)]
    incidents.sort(key=lambda incident: (incident["date"]["start"] or "", incident["id"]))
    return {"incidents": incidents}


def build(outputs: Path, problems: list[str] | None = None) -> str:
    """The text of ``_incidents.json`` for the outputs under ``outputs``."""
    return dumps(incidents_of(load_records(outputs, problems)))


def run_link(outputs: Path, *, check: bool = False) -> tuple[int, list[str]]:
    """Write (or with ``check``, compare) ``outputs/_incidents.json``: exit status and stderr lines."""
    problems: list[str] = []
    text = build(outputs, problems)
    target = outputs / INCIDENTS_FILE
    count = text.count('\n    {\n      "id": "inc-')
    if check:
        current = target.read_text(encoding="utf-8") if target.is_file() else None
        if current != text:
            problems.append(f"would change: {target.as_posix()} (run `make link`)")
            return 1, problems
        problems.append(f"link check: {target.as_posix()} is current ({count} incidents)")
        return (1 if any("[E5" in line for line in problems) else 0), problems
    try:
        write_atomic(target, text)
    except OSError as exc:
        problems.append(f"[E502] {Errors.E502.format(path=target.as_posix(), reason=exc.strerror or exc)}")
        return 1, problems
    problems.append(f"linked {count} incidents into {target.as_posix()}")
    return (1 if any("[E5" in line for line in problems) else 0), problems
