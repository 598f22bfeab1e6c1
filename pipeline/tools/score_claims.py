"""Score claims against the hand-checked claim gold of FA-KES dev articles (tests/claim_gold/).

    .venv/bin/python -m pipeline.tools.score_claims OUTPUTS_DIR [--gold DIR] [--errors]

Why: the FA-KES labels describe one incident per article; analysts read every claim.
The gold lists every casualty figure of 60 dev articles, written from the text, with its
group, place, time, actor, source and scope (the guidelines are in tests/claim_gold/README.md).
This prints claim precision, recall and F1, and among matched claims how often each field
agrees, for the whole gold and for each half by unit_id parity (as ``make eval`` prints
the FA-KES fields).

Matching. A gold claim is anchored by a short snippet of the text that contains its count
as written (``at: [section, count text, snippet, occurrence]``); the snippet is found in the
output's own ``article.text`` (title = first line, body = the rest), which gives the count's
character position. An output claim matches a gold claim when it has the same predicate,
the same count (the same number, whatever the qualifier; the same bounds for a range; the
same word for a vague amount such as "dozens") and its evidence sentence holds the gold
count's position. Pairs are made one to one, nearest count text first. Output claims left
unmatched are false positives; gold claims left unmatched are misses.

Agreement among matched claims: ``group`` (plural "s" aside); ``qualifier``; ``includes`` (the
same sub-counts); ``country`` and ``admin1`` of the first place that has one; ``time`` equal (same
interval) and overlapping (the intervals share a day); ``actor`` id; ``source`` (the output's
source name or text holds, as whole words, a name the gold accepts, compared lower case without
punctuation: "A source at Aleppo Police Command" holds "Aleppo Police Command", "he" holds
nothing); ``scope`` (``scope`` when outputs carry it, else ``cumulative`` / ``incident`` from the
``cumulative`` flag). A gold field may list several acceptable values; null is a value too
(nothing stated must come out as nothing).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

GOLD = Path(__file__).resolve().parents[2] / "tests" / "claim_gold"
PREDICATES = ("killed", "injured", "trapped", "displaced", "detained", "missing", "incidents")
QUALIFIERS = ("exact", "at_least", "more_than", "up_to", "less_than", "approximately", "range", "vague")
SCOPES = ("incident", "period_total", "cumulative", "background")
# Words for an amount without a number; longest first so "hundreds of thousands" wins over "hundreds".
VAGUE = ("hundreds of thousands", "tens of thousands", "a handful of", "a number of", "dozens", "scores",
         "hundreds", "thousands", "millions", "tens", "several", "a few")
FIELDS = ("group", "qualifier", "includes", "country", "admin1", "time_equal", "time_overlap", "actor",
          "source", "scope")
# The output's qualifier names where they differ from the gold's.
OUTPUT_QUALIFIER = {"at_most": "up_to"}

Interval = tuple[dt.date, dt.date]
CountKey = tuple[Any, ...]


class GoldError(ValueError):
    """A gold file that does not follow the format of tests/claim_gold/README.md."""


@dataclass(frozen=True)
class GoldClaim:
    """One casualty figure of the gold and what the text says about it."""

    unit_id: str
    index: int
    section: str
    count_text: str
    near: str
    occurrence: int | None
    predicate: str
    key: CountKey
    qualifier: str
    group: tuple[str, ...]
    includes: frozenset[tuple[str, CountKey]]
    country: tuple[str | None, ...]
    admin1: tuple[str | None, ...]
    time: tuple[Interval | None, ...]
    actor: tuple[str | None, ...]
    source: tuple[str | None, ...]
    scope: str

    @property
    def label(self) -> str:
        return f"{self.unit_id}#{self.index} {self.predicate} {self.count_text!r} ({self.section}: {self.near!r})"


@dataclass(frozen=True)
class GoldArticle:
    unit_id: str
    published: dt.date | None
    claims: tuple[GoldClaim, ...]


@dataclass(frozen=True)
class OutClaim:
    """What the scorer reads of an output claim."""

    index: int
    predicate: str
    key: CountKey
    qualifier: str
    positions: tuple[int, ...]
    start: int
    end: int
    raw: dict[str, Any]


# --- the gold -------------------------------------------------------------------------


def _alternatives(value: Any) -> tuple[Any, ...]:
    """A gold field: one value, or a list of acceptable values (null among them)."""
    return tuple(value) if isinstance(value, list) else (value,)


def _date(value: Any, where: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as error:
        raise GoldError(f"{where}: {value!r} is not an ISO date") from error


def _interval(value: Any, where: str) -> Interval | None:
    if value is None:
        return None
    if not (isinstance(value, list) and len(value) == 2):
        raise GoldError(f"{where}: time must be [start, end], {{any: [...]}} or null")
    start, end = _date(value[0], where), _date(value[1], where)
    if end < start:
        raise GoldError(f"{where}: time ends before it starts")
    return (start, end)


def _times(value: Any, where: str) -> tuple[Interval | None, ...]:
    if isinstance(value, dict):
        if set(value) != {"any"} or not isinstance(value["any"], list):
            raise GoldError(f"{where}: time alternatives are written {{any: [[start, end], null]}}")
        return tuple(_interval(item, where) for item in value["any"])
    return (_interval(value, where),)


def vague_word(text: str) -> str | None:
    """The vague amount a count text is written with ("Dozens of" -> "dozens"), if any."""
    folded = " " + " ".join(text.lower().split()) + " "
    for word in VAGUE:
        if f" {word} " in folded:
            return word
    return None


def gold_key(count: Any, qualifier: str, where: str) -> CountKey:
    """What a gold count must equal: the number, the range's bounds or the vague word."""
    if qualifier == "range":
        if not (isinstance(count, list) and len(count) == 2 and all(isinstance(n, int) for n in count)):
            raise GoldError(f"{where}: a range count is [low, high]")
        return ("range", count[0], count[1])
    if qualifier == "vague":
        if not isinstance(count, str) or count not in VAGUE:
            raise GoldError(f"{where}: a vague count is one of {', '.join(VAGUE)}")
        return ("vague", count)
    if not isinstance(count, int) or isinstance(count, bool):
        raise GoldError(f"{where}: count must be a whole number")
    return ("n", count)


def _includes(value: Any, where: str) -> frozenset[tuple[str, CountKey]]:
    parts = set()
    for item in value or []:
        if not (isinstance(item, dict) and set(item) == {"group", "count"}):
            raise GoldError(f"{where}: includes are [{{group: ..., count: N}}]")
        parts.add((group_key(item["group"]), ("n", item["count"])))
    return frozenset(parts)


_CLAIM_KEYS = {"at", "predicate", "count", "qualifier", "group", "includes", "country", "admin1", "time",
               "actor", "source", "scope", "note"}


def _claim(unit_id: str, index: int, item: dict[str, Any]) -> GoldClaim:
    where = f"claim_gold/{unit_id}.yaml claim {index}"
    missing = {"at", "predicate", "count", "qualifier", "group", "country", "admin1", "time", "actor", "source",
               "scope"} - set(item)
    if missing:
        raise GoldError(f"{where}: missing {', '.join(sorted(missing))}")
    if set(item) - _CLAIM_KEYS:
        raise GoldError(f"{where}: unknown keys {', '.join(sorted(set(item) - _CLAIM_KEYS))}")
    at = item["at"]
    if not (isinstance(at, list) and len(at) in (3, 4) and at[0] in ("title", "body")):
        raise GoldError(f"{where}: at is [title|body, count text, snippet(, occurrence)]")
    section, count_text, near = at[0], str(at[1]), str(at[2])
    occurrence = int(at[3]) if len(at) == 4 else None
    if count_text not in near:
        raise GoldError(f"{where}: the snippet {near!r} does not hold the count text {count_text!r}")
    if item["predicate"] not in PREDICATES:
        raise GoldError(f"{where}: predicate {item['predicate']!r} is not one of {PREDICATES}")
    if item["qualifier"] not in QUALIFIERS:
        raise GoldError(f"{where}: qualifier {item['qualifier']!r} is not one of {QUALIFIERS}")
    if item["scope"] not in SCOPES:
        raise GoldError(f"{where}: scope {item['scope']!r} is not one of {SCOPES}")
    return GoldClaim(
        unit_id=unit_id, index=index, section=section, count_text=count_text, near=near, occurrence=occurrence,
        predicate=item["predicate"], key=gold_key(item["count"], item["qualifier"], where),
        qualifier=item["qualifier"], group=tuple(group_key(g) for g in _alternatives(item["group"])),
        includes=_includes(item.get("includes"), where),
        country=_alternatives(item["country"]), admin1=tuple(_fold_or_none(a) for a in _alternatives(item["admin1"])),
        time=_times(item["time"], where), actor=_alternatives(item["actor"]),
        source=tuple(_fold_or_none(s) for s in _alternatives(item["source"])), scope=item["scope"],
    )


def load_article(path: Path) -> GoldArticle:
    """One gold file: ``unit_id``, ``published`` and its ``claims`` in text order."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or str(data.get("unit_id")) != path.stem:
        raise GoldError(f"{path.name}: unit_id must be the file's name")
    unit_id = path.stem
    published = data.get("published")
    claims = tuple(_claim(unit_id, i, item) for i, item in enumerate(data.get("claims") or [], start=1))
    return GoldArticle(unit_id, None if published is None else _date(published, path.name), claims)


def load_gold(folder: Path = GOLD) -> list[GoldArticle]:
    """Every gold article of ``folder``, by unit_id."""
    return [load_article(path) for path in sorted(folder.glob("*.yaml"))]


# --- anchors ---------------------------------------------------------------------------


def _loose(text: str) -> str:
    """A regular expression for ``text`` in which any run of white space matches any other."""
    return "".join(r"\s+" if part.isspace() else re.escape(part) for part in re.split(r"(\s+)", text) if part)


def locate(text: str, claim: GoldClaim) -> int | None:
    """Character position of the gold claim's count in an article text (title + blank line + body),
    or None when its snippet is not there (the text was cut or cleaned away)."""
    split = text.find("\n")
    title_end = len(text) if split < 0 else split
    lo, hi = (0, title_end) if claim.section == "title" else (title_end, len(text))
    before, _, after = claim.near.partition(claim.count_text)
    pattern = _loose(before) + "(?P<count>" + _loose(claim.count_text) + ")" + _loose(after)
    for flags in (0, re.IGNORECASE):
        matches = list(re.compile(pattern, flags).finditer(text, lo, hi))
        if len(matches) >= (claim.occurrence or 1):
            return matches[(claim.occurrence or 1) - 1].start("count")
    return None


def occurrences(text: str, claim: GoldClaim) -> int:
    """How many times the claim's snippet occurs in its section (case as written)."""
    split = text.find("\n")
    title_end = len(text) if split < 0 else split
    lo, hi = (0, title_end) if claim.section == "title" else (title_end, len(text))
    return len(re.compile(_loose(claim.near)).findall(text, lo, hi))


# --- outputs ---------------------------------------------------------------------------


def fold(text: str) -> str:
    """Lower case, accents and punctuation removed, a leading "the" dropped, spaces collapsed."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = re.sub(r"[^\w\s]", " ", text)
    words = text.split()
    if words[:1] == ["the"]:
        words = words[1:]
    return " ".join(words)


def _fold_or_none(value: Any) -> str | None:
    return None if value is None else fold(str(value))


def group_key(text: str) -> str:
    """A victim group folded with each word's plural "s" dropped ("nurses" and "nurse" agree)."""
    return " ".join(word[:-1] if word.endswith("s") and len(word) > 3 else word for word in fold(text).split())


def _holds(text: str, name: str) -> bool:
    """Whether a folded source text holds a folded name as whole words."""
    return f" {name} " in f" {text} "


def output_key(count: dict[str, Any]) -> CountKey:
    """The comparable count of an output claim (see gold_key)."""
    qualifier = count.get("qualifier")
    if qualifier == "range":
        return ("range", count.get("low"), count.get("high"))
    if qualifier == "vague":
        return ("vague", vague_word(count.get("text") or ""))
    for name in ("value", "low", "high"):
        if isinstance(count.get(name), int):
            return ("n", count[name])
    return ("n", None)


def read_claims(record: dict[str, Any]) -> list[OutClaim]:
    claims = []
    for index, claim in enumerate(record.get("claims") or []):
        evidence = claim.get("evidence") or {}
        start, end = int(evidence.get("start", 0)), int(evidence.get("end", 0))
        sentence = evidence.get("text") or ""
        count_text = (claim.get("count") or {}).get("text") or ""
        positions = [start + m.start() for m in re.finditer(re.escape(count_text), sentence)] if count_text else []
        qualifier = (claim.get("count") or {}).get("qualifier") or ""
        claims.append(OutClaim(index, claim.get("predicate", ""), output_key(claim.get("count") or {}),
                               OUTPUT_QUALIFIER.get(qualifier, qualifier), tuple(positions or [start]), start, end,
                               claim))
    return claims


def pair(gold: Sequence[GoldClaim], positions: Sequence[int | None],
         outputs: Sequence[OutClaim]) -> list[tuple[GoldClaim, OutClaim]]:
    """One-to-one pairs of gold and output claims (see the module docstring), nearest first."""
    candidates = []
    for g, pos in zip(gold, positions):
        if pos is None:
            continue
        for o in outputs:
            if o.predicate == g.predicate and o.key == g.key and o.start <= pos < max(o.end, o.start + 1):
                candidates.append((min(abs(p - pos) for p in o.positions), g.index, o.index, g, o))
    candidates.sort(key=lambda c: c[:3])
    used_gold: set[int] = set()
    used_out: set[int] = set()
    pairs = []
    for _, gi, oi, g, o in candidates:
        if gi in used_gold or oi in used_out:
            continue
        used_gold.add(gi)
        used_out.add(oi)
        pairs.append((g, o))
    return pairs


# --- agreement -------------------------------------------------------------------------


def _first_place(claim: dict[str, Any], key: str) -> str | None:
    for place in claim.get("locations") or []:
        if place.get(key):
            return str(place[key])
    return None


def _output_interval(claim: dict[str, Any]) -> Interval | None:
    time = claim.get("time") or {}
    if time.get("start") and time.get("end"):
        return (dt.date.fromisoformat(time["start"]), dt.date.fromisoformat(time["end"]))
    return None


def _overlaps(a: Interval | None, b: Interval | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return a[0] <= b[1] and b[0] <= a[1]


def output_scope(claim: dict[str, Any]) -> str:
    scope = claim.get("scope")
    if isinstance(scope, str):
        return scope
    return "cumulative" if claim.get("cumulative") else "incident"


def _output_includes(claim: dict[str, Any]) -> frozenset[tuple[str, CountKey]]:
    return frozenset((group_key(str(part.get("group") or "")), output_key(part.get("count") or {}))
                     for part in claim.get("includes") or [])


def agreement(gold: GoldClaim, out: dict[str, Any]) -> dict[str, bool]:
    """Which fields of a matched output claim say what the gold says."""
    actor = (out.get("actor") or {}).get("id")
    source = out.get("source") or {}
    said = [fold(str(source[k])) for k in ("name", "text") if source.get(k)]
    interval = _output_interval(out)
    admin1 = _first_place(out, "admin1")
    qualifier = (out.get("count") or {}).get("qualifier")
    return {
        "group": group_key(str(out.get("group") or "")) in gold.group,
        "qualifier": OUTPUT_QUALIFIER.get(qualifier, qualifier) == gold.qualifier,
        "includes": _output_includes(out) == gold.includes,
        "country": _first_place(out, "country") in gold.country,
        "admin1": (None if admin1 is None else fold(admin1)) in gold.admin1,
        "time_equal": interval in gold.time,
        "time_overlap": any(_overlaps(interval, alt) for alt in gold.time),
        "actor": actor in gold.actor,
        "source": (not said and None in gold.source)
        or any(_holds(text, name) for text in said for name in gold.source if name),
        "scope": output_scope(out) == gold.scope,
    }


# --- scoring ---------------------------------------------------------------------------


@dataclass
class Tally:
    gold: int = 0
    output: int = 0
    matched: int = 0
    missing_outputs: int = 0
    unanchored: int = 0
    agree: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))

    def scores(self) -> dict[str, float]:
        precision = self.matched / self.output if self.output else 0.0
        recall = self.matched / self.gold if self.gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        result = {"precision": precision, "recall": recall, "f1": f1}
        for name in FIELDS:
            result[name] = self.agree[name] / self.matched if self.matched else 0.0
        return result


@dataclass
class Report:
    """Tallies for the whole gold and each half, and the errors behind them."""

    whole: Tally = field(default_factory=Tally)
    halves: tuple[Tally, Tally] = field(default_factory=lambda: (Tally(), Tally()))
    errors: list[str] = field(default_factory=list)


def _add(tallies: Iterable[Tally], name: str, amount: int = 1) -> None:
    for tally in tallies:
        setattr(tally, name, getattr(tally, name) + amount)


def score(outputs: Path, gold: Sequence[GoldArticle]) -> Report:
    """Score the fakes-<unit_id>.json files of ``outputs`` against the gold articles."""
    report = Report()
    for article in gold:
        tallies = (report.whole, report.halves[int(article.unit_id) % 2])
        _add(tallies, "gold", len(article.claims))
        path = outputs / f"fakes-{article.unit_id}.json"
        if not path.is_file():
            _add(tallies, "missing_outputs")
            report.errors.append(f"{article.unit_id}: no output {path.name}")
            continue
        record = json.loads(path.read_text(encoding="utf-8"))
        text = (record.get("article") or {}).get("text") or ""
        outs = read_claims(record)
        _add(tallies, "output", len(outs))
        positions = [locate(text, claim) for claim in article.claims]
        for claim, pos in zip(article.claims, positions):
            if pos is None:
                _add(tallies, "unanchored")
                report.errors.append(f"unanchored {claim.label}: snippet not in the output's text")
        pairs = pair(article.claims, positions, outs)
        _add(tallies, "matched", len(pairs))
        matched_gold = {g.index for g, _ in pairs}
        matched_out = {o.index for _, o in pairs}
        for claim in article.claims:
            if claim.index not in matched_gold:
                report.errors.append(f"missed {claim.label} = {claim.key[1:]}")
        for out in outs:
            if out.index not in matched_out:
                quote = " ".join(((out.raw.get("evidence") or {}).get("text") or "").split())[:90]
                report.errors.append(f"extra {article.unit_id} {out.predicate} {(out.raw.get('count') or {}).get('text')!r}"
                                     f" {out.raw.get('group')} [{out.raw.get('rule')}] {quote!r}")
        for g, o in pairs:
            agreed = agreement(g, o.raw)
            for name, ok in agreed.items():
                if ok:
                    for tally in tallies:
                        tally.agree[name] += 1
                else:
                    report.errors.append(f"field {name} {g.label}: {_shown(name, o.raw)}")
    return report


def _shown(name: str, out: dict[str, Any]) -> str:
    """The output's value of a field, for the error list."""
    if name in ("time_equal", "time_overlap"):
        return json.dumps(out.get("time"))
    if name in ("country", "admin1"):
        return json.dumps([(p.get("text"), p.get(name)) for p in out.get("locations") or []])
    if name == "scope":
        return output_scope(out)
    if name == "qualifier":
        return str((out.get("count") or {}).get("qualifier"))
    return json.dumps(out.get(name), ensure_ascii=False)


def summary(report: Report) -> dict[str, Any]:
    """Scores of the whole gold (the figures the gate in tests/eval_floors.json guards)."""
    result: dict[str, Any] = dict(report.whole.scores())
    result.update(gold=report.whole.gold, output=report.whole.output, matched=report.whole.matched,
                  missing_outputs=report.whole.missing_outputs, unanchored=report.whole.unanchored)
    return result


def print_report(report: Report, articles: int) -> None:
    rows = [("whole", report.whole), ("even half", report.halves[0]), ("odd half", report.halves[1])]
    print(f"Claim gold ({articles} FA-KES dev articles, tests/claim_gold):")
    print(f"  {'':10} {'gold':>5} {'out':>5} {'match':>5} {'prec':>6} {'recall':>6} {'F1':>6}")
    for name, tally in rows:
        s = tally.scores()
        print(f"  {name:10} {tally.gold:5d} {tally.output:5d} {tally.matched:5d}"
              f" {s['precision']:6.3f} {s['recall']:6.3f} {s['f1']:6.3f}")
    print("  agreement among matched claims   whole    even     odd")
    for name in FIELDS:
        values = " ".join(f"{tally.scores()[name]:7.3f}" for _, tally in rows)
        print(f"    {name:30} {values}")
    if report.whole.missing_outputs or report.whole.unanchored:
        print(f"  missing outputs {report.whole.missing_outputs}, unanchored gold claims {report.whole.unanchored}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outputs", type=Path, help="folder of fakes-<unit_id>.json outputs")
    parser.add_argument("--gold", type=Path, default=GOLD)
    parser.add_argument("--errors", action="store_true", help="list misses, extra claims and field disagreements")
    args = parser.parse_args(argv)
    gold = load_gold(args.gold)
    report = score(args.outputs, gold)
    print_report(report, len(gold))
    if args.errors:
        for line in report.errors:
            print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
