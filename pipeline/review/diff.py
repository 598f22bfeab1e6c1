"""Claim-level differences between two sets of outputs, matched by claim id.

A claim id hashes the article, the evidence sentence and the count text, so an id that
survives means "the same figure in the same sentence": its other fields are compared
one by one. A new or vanished id is a claim added or removed. Evidence offsets are not
compared: they shift whenever an earlier paragraph changes, which says nothing about
the claim itself (the quote is still compared).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from pipeline.review.load import Record

# Offsets move with any edit above the sentence; the id is the match key itself.
_IGNORED_CLAIM_FIELDS = frozenset({"id", "evidence.start", "evidence.end"})
# The text is summarised by the claims; its hash changes with every byte.
_IGNORED_ARTICLE_FIELDS = frozenset({"text", "sha256"})
QUOTE_WIDTH = 160


@dataclass(frozen=True)
class FieldChange:
    """One field, by dotted path (``count.value``), with its old and new value."""

    path: str
    old: Any
    new: Any


@dataclass(frozen=True)
class ClaimChange:
    """A claim present on both sides whose fields differ."""

    claim: Record
    fields: tuple[FieldChange, ...]


@dataclass
class ArticleDiff:
    """What changed in one output file. ``status`` is ``added``, ``removed`` or ``changed``."""

    key: str
    status: str
    added: list[Record] = field(default_factory=list)
    removed: list[Record] = field(default_factory=list)
    changed: list[ClaimChange] = field(default_factory=list)
    article: list[FieldChange] = field(default_factory=list)


@dataclass(frozen=True)
class Totals:
    """The one-line summary."""

    compared: int
    articles_changed: int
    articles_added: int
    articles_removed: int
    claims_added: int
    claims_removed: int
    claims_changed: int


def diff_outputs(old: Mapping[str, Record], new: Mapping[str, Record]) -> list[ArticleDiff]:
    """Per-article differences, sorted by key; unchanged articles are left out."""
    diffs: list[ArticleDiff] = []
    for key in sorted(set(old) | set(new)):
        before, after = old.get(key), new.get(key)
        if before == after:
            continue
        if before is not None and after is not None:
            diffs.append(_diff_article(key, before, after))
        elif after is not None:
            diffs.append(ArticleDiff(key, "added", added=list(after["claims"])))
        elif before is not None:
            diffs.append(ArticleDiff(key, "removed", removed=list(before["claims"])))
    return diffs


def totals(diffs: list[ArticleDiff], compared: int) -> Totals:
    """Counts over all articles for the last line and for ``--check``."""
    return Totals(
        compared=compared,
        articles_changed=sum(d.status == "changed" for d in diffs),
        articles_added=sum(d.status == "added" for d in diffs),
        articles_removed=sum(d.status == "removed" for d in diffs),
        claims_added=sum(len(d.added) for d in diffs),
        claims_removed=sum(len(d.removed) for d in diffs),
        claims_changed=sum(len(d.changed) for d in diffs),
    )


def _diff_article(key: str, before: Record, after: Record) -> ArticleDiff:
    result = ArticleDiff(key, "changed")
    old_claims = {claim["id"]: claim for claim in before["claims"]}
    new_claims = {claim["id"]: claim for claim in after["claims"]}
    result.removed = [claim for claim in before["claims"] if claim["id"] not in new_claims]
    result.added = [claim for claim in after["claims"] if claim["id"] not in old_claims]
    for claim in after["claims"]:
        previous = old_claims.get(claim["id"])
        if previous is None:
            continue
        fields = tuple(change for change in field_changes(previous, claim)
                       if change.path not in _IGNORED_CLAIM_FIELDS)
        if fields:
            result.changed.append(ClaimChange(claim, fields))
    article_old = {k: v for k, v in before.get("article", {}).items() if k not in _IGNORED_ARTICLE_FIELDS}
    article_new = {k: v for k, v in after.get("article", {}).items() if k not in _IGNORED_ARTICLE_FIELDS}
    result.article = [FieldChange(f"article.{c.path}", c.old, c.new) for c in field_changes(article_old, article_new)]
    result.article += [FieldChange(f"incident.{c.path}", c.old, c.new)
                       for c in field_changes(before.get("incident") or {}, after.get("incident") or {})]
    return result


def field_changes(old: Mapping[str, Any], new: Mapping[str, Any], prefix: str = "") -> Iterator[FieldChange]:
    """Leaf differences by dotted path. Objects recurse; lists compare whole, as one value."""
    for name in _ordered_keys(old, new):
        path = f"{prefix}{name}"
        before, after = old.get(name), new.get(name)
        if before == after:
            continue
        if isinstance(before, dict) and isinstance(after, dict):
            yield from field_changes(before, after, f"{path}.")
        else:
            yield FieldChange(path, before, after)


def _ordered_keys(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    # The output's own key order, then keys only the old side had.
    return list(new) + [name for name in old if name not in new]


def render(diffs: list[ArticleDiff], summary: Totals, label: str) -> str:
    """The report printed by ``python -m pipeline diff``: one block per article, one total line."""
    lines: list[str] = []
    for diff in diffs:
        lines.append(_heading(diff))
        for field_change in diff.article:
            lines.append(f"    {field_change.path}: {show(field_change.old)} → {show(field_change.new)}")
        for claim in diff.removed:
            lines.append(f"  - {claim_line(claim)}")
            lines.append(f"      quote: {quote(claim)}")
        for claim in diff.added:
            lines.append(f"  + {claim_line(claim)}")
            lines.append(f"      quote: {quote(claim)}")
        for change in diff.changed:
            lines.append(f"  ~ {claim_line(change.claim)}")
            for item in change.fields:
                lines.append(f"      {item.path}: {show(item.old)} → {show(item.new)}")
            lines.append(f"      quote: {quote(change.claim)}")
        if diff.status == "changed" and not (diff.article or diff.added or diff.removed or diff.changed):
            lines.append("    only the text or evidence offsets changed")
    lines.append(total_line(summary, label))
    return "\n".join(lines) + "\n"


def total_line(summary: Totals, label: str) -> str:
    """``diff HEAD → outputs: 2 of 40 articles differ (1 new, 0 gone); claims +3 -1 ~2``."""
    differ = summary.articles_changed + summary.articles_added + summary.articles_removed
    if not differ:
        return f"diff {label}: no changes ({summary.compared} articles compared)"
    return (f"diff {label}: {differ} of {summary.compared} articles differ "
            f"({summary.articles_added} new, {summary.articles_removed} gone); "
            f"claims +{summary.claims_added} -{summary.claims_removed} ~{summary.claims_changed}")


def _heading(diff: ArticleDiff) -> str:
    parts = []
    if diff.added:
        parts.append(f"{len(diff.added)} added")
    if diff.removed:
        parts.append(f"{len(diff.removed)} removed")
    if diff.changed:
        parts.append(f"{len(diff.changed)} changed")
    status = {"added": "new article", "removed": "article gone", "changed": "changed"}[diff.status]
    detail = ", ".join(parts) if parts else "no claim changes"
    return f"{diff.key} ({status}): {detail}"


def claim_line(claim: Record) -> str:
    """``0718190b2982 killed 472 civilians [killed.verb_object]``: id, what, rule."""
    count = claim.get("count") or {}
    return f"{claim.get('id')} {claim.get('predicate')} {count.get('text')} {claim.get('group')} [{claim.get('rule')}]"


def quote(claim: Record, width: int = QUOTE_WIDTH) -> str:
    """The evidence sentence on one line, cut at ``width`` characters."""
    text = " ".join(str((claim.get("evidence") or {}).get("text", "")).split())
    if len(text) > width:
        text = text[: width - 1].rstrip() + "…"
    return f'"{text}"'


def show(value: Any) -> str:
    """A value as JSON on one line (strings quoted, ``null`` for None)."""
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
