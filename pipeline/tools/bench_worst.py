"""Worst-case inputs: time, peak memory and output size per hostile article.

    .venv/bin/python -m pipeline.tools.bench_worst            # run by `make bench`, after bench_html
    .venv/bin/python -m pipeline.tools.bench_worst -k html    # only the cases whose name holds "html"
    .venv/bin/python -m pipeline.tools.bench_worst --case parens_run   # one case, in this process

Each case is generated here (nothing is read from disk), at the most the caps let
through (``--max-bytes``'s 2,000,000 bytes, the 300,000-character text cut), and
run in a fresh process: the pipeline is built first, untimed, then
``extract_article`` and the JSON encoding of its record are timed, in CPU seconds
of the process (the machine is shared: wall seconds, also shown, grow with its
load). The peak resident memory is the whole process's (the pipeline itself is
about 95 MB), and the output size is the UTF-8 JSON. Targets (issue 14), for any
input within the caps: at most 2 s and 300 MB per article, and an output at most
20 times the input (a claim's JSON skeleton is some 600 bytes whatever its text,
so inputs under GROWTH_FLOOR_BYTES count as that size). The first case, 300,000
characters of varied news-like prose, is the yardstick: no input should cost much more.
A case that raises or overruns ``--timeout`` is shown as such. It reports; it does
not gate: the exit status is 0 whatever the numbers say (tests/test_worst_case.py and
tests/test_tokenizer_bounds.py test the behaviour behind each bound).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pipeline.tools.bench import REPO

TARGET_SECONDS = 2.0
TARGET_RSS_MB = 300.0
TARGET_GROWTH = 20.0
# A claim's JSON is some 600 bytes whatever its text, and an empty record 800: the
# growth target applies to inputs of at least this size (smaller ones count as this).
GROWTH_FLOOR_BYTES = 100_000
CAP_BYTES = 2_000_000  # pipeline.runner.DEFAULT_MAX_BYTES
CAP_CHARS = 300_000  # pipeline.article.MAX_CHARS


@dataclass(frozen=True)
class Case:
    """A generated article: its file name (which decides text or HTML) and its bytes."""

    name: str
    file: str
    what: str
    make: Callable[[], bytes]


def _fill(unit: str, size: int = CAP_BYTES, head: str = "Worst case\n\n") -> bytes:
    """``head`` then ``unit`` repeated up to ``size`` UTF-8 bytes."""
    budget = size - len(head.encode())
    per = len(unit.encode())
    return (head + unit * (budget // per)).encode()


def _random_words(alphabet: str, seed: int, size: int, gap: int) -> str:
    """Random runs of ``alphabet`` characters, a space every ``gap`` characters or so,
    so that no two runs are alike (spaCy's tokenizer caches repeated ones)."""
    rng = random.Random(seed)
    out: list[str] = []
    total = 0
    while total < size:
        run = "".join(rng.choice(alphabet) for _ in range(rng.randint(gap // 2, gap)))
        out.append(run)
        total += len(run) + 1
    return " ".join(out)


def _prose(size: int = CAP_CHARS, seed: int = 3) -> str:
    """News-like sentences, varied (figures, places, actors, causes, days), ``size`` characters."""
    rng = random.Random(seed)
    actors = ["Russian", "Syrian government", "US-led coalition", "Turkish", "rebel", "Islamic State"]
    causes = ["airstrikes", "shelling", "barrel bombs", "a car bomb", "rocket fire", "clashes"]
    places = ["Aleppo", "Idlib", "Raqqa", "Deir ez-Zor", "Homs", "Douma", "Mosul", "Daraa", "Hama"]
    days = ["on Monday", "on Friday", "last week", "yesterday", "since March", "overnight"]
    groups = ["civilians", "children", "people", "fighters", "women"]
    templates = [
        "{a} {c} killed {n} {g} in {p} {d}, a monitor said.",
        "At least {n} {g} were killed and {m} wounded when {c} hit {p} {d}.",
        "The Syrian Observatory for Human Rights said {n} {g} had died in {p}, including {k} children.",
        "Residents of {p} said the {a} forces had pushed into the town after weeks of fighting.",
        "Between {k} and {n} {g} were reported missing after {c} struck a market in {p}.",
        "\n",
    ]
    out: list[str] = []
    total = 0
    while total < size:
        n = rng.randint(2, 900)
        sentence = rng.choice(templates).format(
            a=rng.choice(actors), c=rng.choice(causes), p=rng.choice(places), d=rng.choice(days),
            g=rng.choice(groups), n=n, m=rng.randint(1, 400), k=rng.randint(1, n))
        out.append(sentence)
        total += len(sentence) + 1
    return " ".join(out)[:size]


def _figures_unpunctuated() -> bytes:
    words = ["12 people were killed", "at least 7 civilians died", "between 3 and 9 children were wounded"]
    body = " ".join(words[i % 3] for i in range(CAP_CHARS // 20))
    return ("Worst case\n\n" + body[:CAP_CHARS]).encode()


def _html(body: str, head: str = "<title>Worst case</title>") -> bytes:
    return f"<!doctype html><html><head>{head}</head><body>{body}</body></html>".encode()


def _html_fill(unit: str, before: str = "<article><p>", after: str = "</p></article>") -> bytes:
    shell = len(_html(before + after))
    return _html(before + unit * ((CAP_BYTES - shell) // len(unit.encode())) + after)


CASES: tuple[Case, ...] = (
    Case("prose_300k", "a.txt", "calibration: 300,000 characters of news-like prose",
         lambda: ("A long report\n\n" + _prose()).encode()),
    Case("between_at_end", "a.txt", "text ending in a range word", lambda: b"Toll\n\nThey said between"),
    Case("to_at_end", "a.txt", "text ending in a number and a range link", lambda: b"Toll\n\nSome 12 to"),
    Case("digit_run_5k", "a.txt", "a 5,000-digit number", lambda: ("Toll\n\nkilled " + "9" * 5000 + " people").encode()),
    Case("digit_run", "a.txt", "one 2 MB run of digits", lambda: _fill("7")),
    Case("parens_run", "a.txt", "2 MB of '('", lambda: _fill("(")),
    Case("equals_run", "a.txt", "2 MB of '='", lambda: _fill("=")),
    Case("affix_mix", "a.txt", "random prefix/suffix characters, a space every ~90",
         lambda: ("Worst case\n\n" + _random_words("()=$+<>'\"[]{}*&#", 1, CAP_CHARS, 90)).encode()),
    Case("affix_short", "a.txt", "random affix characters, a space every ~12",
         lambda: ("Worst case\n\n" + _random_words("()=$+<>'\"[]{}*&#", 2, CAP_CHARS, 12)).encode()),
    Case("dots_run", "a.txt", "2 MB of '.'", lambda: _fill(".")),
    Case("no_spaces", "a.txt", "2 MB of letters, no space", lambda: _fill("a")),
    Case("title_only", "a.txt", "a 2 MB first line (the title)", lambda: _fill("word ", head="")),
    Case("spelled_numbers", "a.txt", "'one hundred and twenty ' repeated",
         lambda: _fill("one hundred and twenty ")),
    Case("spelled_numbers_killed", "a.txt", "'one hundred and twenty people were killed ' repeated",
         lambda: _fill("one hundred and twenty people were killed ")),
    Case("unicode_spaces_read", "a.txt", "U+1680 runs before 'Read Also'",
         lambda: _fill("5 killed" + "\u1680" * 5000 + "Read Also x\n")),
    Case("unicode_spaces_tags", "a.txt", "U+1680 runs before 'Tags'",
         lambda: _fill("5 killed" + "\u1680" * 5000 + "Tags Syria\n")),
    Case("caption_brackets", "a.txt", "one line of '[getty' (caption rule)", lambda: _fill("[getty ")),
    Case("markdown_links", "a.txt", "'[x](' repeated", lambda: _fill("[x](")),
    Case("figures_unpunctuated", "a.txt", "300,000 characters of tolls, no sentence end", _figures_unpunctuated),
    Case("bare_numbers", "a.txt", "numbers and spaces", lambda: _fill("1 2 34 567 ")),
    Case("many_lines", "a.txt", "2 MB of one-figure lines", lambda: _fill("5 killed\n")),
    Case("blank_lines", "a.txt", "2 MB of newlines", lambda: _fill("\n")),
    Case("places_actors", "a.txt", "places, actors and causes repeated, no sentence end",
         lambda: _fill("Russian airstrikes on Aleppo and Idlib killed 5 civilians in Raqqa ")),
    Case("times", "a.txt", "dates and times in one count sentence",
         lambda: _fill("on Monday 3 May 2017 last week since 2011 killed 4 ")),
    Case("quotes_nested", "a.txt", "quotes and brackets around figures",
         lambda: _fill("\"(5) [killed]\" ")),
    Case("html_quoted_lt", "a.html", "attributes whose quoted values hold '<'",
         lambda: _html_fill('<a title="<<<<">x</a> ')),
    Case("html_amp_runs", "a.html", "runs of '&amp;'", lambda: _html_fill("&amp;")),
    Case("html_unclosed_p", "a.html", "thousands of unclosed paragraphs",
         lambda: _html_fill("<p>5 people were killed in Aleppo ", before="<article>", after="</article>")),
    Case("html_unclosed_comment", "a.html", "an unclosed comment before the text",
         lambda: _html("<!-- " + "<p>3 people were killed.</p>" * 50000)),
    Case("html_deep", "a.html", "50,000 nested divs",
         lambda: _html("<div>" * 50000 + "<p>7 people were killed.</p>" + "</div>" * 50000)),
    Case("html_many_tags", "a.html", "short tags only",
         lambda: _html_fill("<b>1</b>", before="<article><p>", after="</p></article>")),
)



def _reader_cases() -> tuple[Case, ...]:
    """The HTML reader's own worst cases (``bench_html.WORST_CASES``), through the whole pipeline."""
    from pipeline.tools.bench_html import WORST_CASES

    return tuple(
        Case("reader_" + re.sub(r"\W+", "_", name).strip("_"), "a.html", "HTML reader worst case (bench_html)",
             lambda make=make: make().encode("utf-8", "surrogatepass"))  # type: ignore[misc]
        for name, make in sorted(WORST_CASES.items())
    )


CASES = CASES + _reader_cases()


def run_case(case: Case) -> dict[str, object]:
    """Extract one case in this process: seconds, peak RSS in MB, output bytes, error."""
    from pipeline.article import extract_article
    from pipeline.errors import InputError
    from pipeline.factories import shared_nlp
    from pipeline.output import dumps
    from pipeline.sidecar import Sidecar

    nlp = shared_nlp()
    data = case.make()
    started, cpu_started = time.perf_counter(), time.process_time()
    error = None
    out = 0
    try:
        out = len(dumps(extract_article(data, case.file, Sidecar(), nlp)).encode("utf-8", "surrogatepass"))
    except InputError as exc:  # a coded refusal (a page with no text: E101) is an answer
        error = f"refused {exc.code}"
    except Exception as exc:  # reported, not raised: the table shows it
        error = f"{type(exc).__name__}: {str(exc)[:80]}"
    cpu, seconds = time.process_time() - cpu_started, time.perf_counter() - started
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"cpu": cpu, "seconds": seconds, "rss_mb": rss, "in": len(data), "out": out, "error": error}


def _child(case: Case, timeout: float) -> dict[str, object]:
    command = [sys.executable, "-m", "pipeline.tools.bench_worst", "--case", case.name, "--json"]
    try:
        done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return {"error": f"over {timeout:.0f} s (killed)"}
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return {"error": f"exit {done.returncode}: {tail[:80]}"}
    return json.loads(lines[-1])  # type: ignore[no-any-return]


def _row(case: Case, result: dict[str, object]) -> tuple[str, bool]:
    error = result.get("error")
    if "seconds" not in result:
        return f"{case.name:24} {'':>6} {'':>6} {'':>6} {'':>10} {'':>10} {'':>6}  FAIL {error}", False
    cpu, seconds, rss = float(result["cpu"]), float(result["seconds"]), float(result["rss_mb"])  # type: ignore[arg-type]
    size_in, size_out = int(result["in"]), int(result["out"])  # type: ignore[call-overload]
    growth = size_out / max(size_in, 1)
    refused = isinstance(error, str) and error.startswith("refused")
    met = ((error is None or refused) and cpu <= TARGET_SECONDS and rss <= TARGET_RSS_MB
           and size_out <= TARGET_GROWTH * max(size_in, GROWTH_FLOOR_BYTES))
    status = ("ok" if met else "OVER") if error is None or refused else f"FAIL {error}"
    if refused:
        status += f" ({error})"
    line = f"{case.name:24} {cpu:6.2f} {seconds:6.2f} {rss:6.0f} {size_in:10,d} {size_out:10,d} {growth:6.1f}  {status}"
    return line, met


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-k", dest="select", help="only the cases whose name holds this string")
    parser.add_argument("--case", help="run one case in this process and print its figures")
    parser.add_argument("--json", action="store_true", help="with --case: one JSON line (for the parent)")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds before a case is killed (default: 60)")
    args = parser.parse_args(argv)
    by_name = {case.name: case for case in CASES}
    if args.case:
        result = run_case(by_name[args.case])
        print(json.dumps(result) if args.json else _row(by_name[args.case], result)[0])
        return 0
    cases = [c for c in CASES if not args.select or args.select in c.name]
    print(f"Worst-case inputs (one fresh process each; targets: <= {TARGET_SECONDS:g} CPU s, "
          f"<= {TARGET_RSS_MB:g} MB peak RSS, output <= {TARGET_GROWTH:g}x the input, "
          f"inputs under {GROWTH_FLOOR_BYTES // 1000} KB counted as {GROWTH_FLOOR_BYTES // 1000} KB):")
    print(f"{'case':24} {'CPU s':>6} {'wall s':>6} {'RSS MB':>6} {'in bytes':>10} {'out bytes':>10} {'x in':>6}  target")
    met = 0
    for case in cases:
        line, ok = _row(case, _child(case, args.timeout))
        met += ok
        print(line, flush=True)
    print(f"worst case: {met} of {len(cases)} cases within the targets")
    return 0


if __name__ == "__main__":
    sys.exit(main())
