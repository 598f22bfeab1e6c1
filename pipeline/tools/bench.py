"""Throughput benchmark: our end-to-end extraction against a bare spaCy matcher pass.

    .venv/bin/python -m pipeline.tools.bench                # or: make bench
    .venv/bin/python -m pipeline.tools.bench --rounds 1     # quicker, noisier
    .venv/bin/python -m pipeline.tools.bench --keep         # leave the temp corpus for profiling

It reports; it does not gate: the exit status is 0 whatever the numbers say.

Every run is its own process, timed from spawn to exit, because start-up (imports,
rule loading, gazetteer) is part of what a user waits for. The corpus is 1,000+
real articles: the FA-KES dev set and the seed articles, copied with a changed
title and number so that no run is served from a cache or a duplicate-text shortcut.

The reference pass is the floor we compare against: spaCy's tokenizer, sentencizer
and matchers over the same lexicons, and nothing else (no cleaning, no
interpretation, no JSON). "Ours within 2x of that" is the target.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
MIN_ARTICLES = 1000
BUDGET_SECONDS = 170.0  # keep `make bench` under ~3 minutes on a 2-core machine
SAMPLE_SECONDS = 0.05  # /proc sampling interval for the process-tree memory
_SUMMARY = re.compile(r"extracted \d+, unchanged \d+, removed \d+, failed \d+(?:, skipped \d+)? in [\d.]+ s")

# Targets from the performance brief; all are reported, none gates.
TARGET_RATIO = 2.0
TARGET_SPEEDUP = 1.6
TARGET_RERUN = 1.5
TARGET_STARTUP = 1.5
TARGET_RSS_MB = 400.0


# --- corpus -------------------------------------------------------------------


def shared_dir() -> Path | None:
    """The shared folder ($SHARED, else ../shared beside the repo), if it holds FA-KES."""
    root = Path(os.environ.get("SHARED", REPO.parent / "shared"))
    if not root.is_absolute():
        root = (REPO / root).resolve()
    return root if (root / "benchmarks" / "fakes" / "fakes-dev.csv").is_file() else None


def base_articles(workdir: Path, shared: Path | None) -> list[Path]:
    """The real articles we start from: FA-KES dev (via the shared converter) plus the seeds."""
    found: list[Path] = []
    if shared is not None:
        out = workdir / "fakes"
        subprocess.run(
            [sys.executable, str(shared / "tools" / "fakes_to_corpus.py"),
             str(shared / "benchmarks" / "fakes" / "fakes-dev.csv"), str(out)],
            check=True, stdout=subprocess.DEVNULL,
        )
        found.extend(sorted(out.glob("*.txt")))
    found.extend(sorted((REPO / "corpus").glob("*.txt")))
    return found


def edited_copy(text: str, k: int) -> str:
    """Copy k of an article: " (k)" on the title, the body's first number changed.

    Both edits change the bytes (so incremental state and any text cache miss) while
    keeping the article realistic: same length, same claims shape.
    """
    title, sep, body = text.partition("\n")
    body = re.sub(r"\d+", lambda m: str(int(m.group()) + k), body, count=1)
    return f"{title.rstrip()} ({k}){sep}{body}"


def build_corpus(dest: Path, sources: Sequence[Path], minimum: int) -> int:
    """Write the originals, then edited copies round-robin until ``minimum`` files exist."""
    dest.mkdir(parents=True)
    texts = [(p.stem, p.read_text(encoding="utf-8", errors="replace")) for p in sources]
    count = 0
    for stem, text in texts:
        (dest / f"{stem}.txt").write_text(text, encoding="utf-8")
        count += 1
    k = 0
    while count < minimum:
        stem, text = texts[k % len(texts)]
        copy = k // len(texts) + 1
        (dest / f"{stem}-copy{copy:03d}.txt").write_text(edited_copy(text, copy), encoding="utf-8")
        count += 1
        k += 1
    return count


def corpus_size(folder: Path) -> tuple[int, int]:
    """(articles, whitespace-split words) of a corpus folder, for the per-second columns."""
    articles = words = 0
    for path in folder.rglob("*.txt"):
        articles += 1
        words += len(path.read_text(encoding="utf-8", errors="replace").split())
    return articles, words


# --- measuring one process -----------------------------------------------------


@dataclass
class Run:
    """One timed process: wall seconds, kernel peak RSS of its largest process, tree peak."""

    name: str
    articles: int
    words: int
    seconds: float
    rss_mib: float
    tree_mib: float
    summaries: list[str] = field(default_factory=list)  # our runner's own line, per round
    rounds: list[float] = field(default_factory=list)

    def extracted(self) -> int:
        """Most articles any round re-extracted: > 0 on a "no change" run means it was not one."""
        return max((int(s.split()[1].rstrip(",")) for s in self.summaries), default=0)


def _children(pid: int) -> list[int]:
    """Every descendant of ``pid`` (pool workers are grandchildren of nothing else)."""
    parents: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", encoding="ascii", errors="replace") as handle:
                ppid = int(handle.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        parents.setdefault(ppid, []).append(int(entry.name))
    found, stack = [], [pid]
    while stack:
        for child in parents.get(stack.pop(), []):
            found.append(child)
            stack.append(child)
    return found


def _pss_kib(pid: int) -> int:
    """Proportional set size: sums over forked workers without double-counting shared pages."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _sample_tree(pid: int, done: threading.Event, peak: list[int]) -> None:
    """Poll the process tree's summed PSS until ``done``; keep the maximum in ``peak[0]``."""
    while not done.is_set():
        total = sum(_pss_kib(p) for p in [pid, *_children(pid)])
        peak[0] = max(peak[0], total)
        done.wait(SAMPLE_SECONDS)


def snapshot(dest: Path) -> Path:
    """Copy the package as it is now; every run imports this copy.

    Others edit the working tree while the bench runs; each edit changes the
    pipeline fingerprint, which silently turns a "no-change re-run" into a full
    one and makes rounds time different code. Running from a frozen copy (it sits
    first on sys.path as the child's working directory, ahead of the editable
    install's .pth entry) times one version of the code throughout.
    """
    shutil.copytree(REPO / "pipeline", dest / "pipeline", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return dest


def bytecode_cache(work: Path, keep_env: bool) -> str:
    """Let the runs cache bytecode, in a temp folder, unless asked to keep the env as it is.

    With PYTHONDONTWRITEBYTECODE set (some sandboxes and CI images set it), every
    process recompiles ~1,900 code objects of spaCy, dateparser and ours: about 2 s
    of a 2.5 s start-up. A user's venv has its .pyc files, so by default we measure
    that case; PYTHONPYCACHEPREFIX keeps the cache out of the venv and the tree.
    """
    if keep_env or not os.environ.get("PYTHONDONTWRITEBYTECODE"):
        return "bytecode: environment as is"
    os.environ.pop("PYTHONDONTWRITEBYTECODE")
    os.environ["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    return ("bytecode: PYTHONDONTWRITEBYTECODE was set; runs cache .pyc under a temp PYTHONPYCACHEPREFIX "
            "(--as-is to time cold compiles)")


def measure(cmd: Sequence[str], logdir: Path, cwd: Path) -> tuple[float, float, float, str]:
    """Run ``cmd`` to completion: (wall s, peak RSS MiB, tree peak PSS MiB, output).

    wait4 gives the kernel's exact peak RSS for this child (the largest single
    process among it and its reaped workers); the sampler adds the tree total that
    matters for --jobs. Output goes to a file, not a pipe, so a blocking wait
    cannot deadlock on a full pipe.
    """
    log = logdir / "run.log"
    with log.open("wb") as out:
        started = time.perf_counter()
        proc = subprocess.Popen(list(cmd), cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
        done, peak = threading.Event(), [0]
        sampler = threading.Thread(target=_sample_tree, args=(proc.pid, done, peak), daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        done.set()
        sampler.join()
    text = log.read_text(encoding="utf-8", errors="replace")
    if proc.returncode not in (0, 1):  # 1 = some article failed; still a timing
        raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}:\n{text[-2000:]}")
    return seconds, usage.ru_maxrss / 1024, peak[0] / 1024, text


def timed(name: str, cmd_for: Callable[[int], Sequence[str]], corpus: Path, rounds: int, logdir: Path, cwd: Path) -> Run:
    """Median of ``rounds`` runs; ``cmd_for(i)`` may give each round a fresh outputs folder."""
    articles, words = corpus_size(corpus)
    results = [measure(cmd_for(i), logdir, cwd) for i in range(rounds)]
    seconds = [r[0] for r in results]
    summaries = [found[-1] for r in results if (found := _SUMMARY.findall(r[3]))]
    return Run(
        name, articles, words, statistics.median(seconds),
        max(r[1] for r in results), max(r[2] for r in results), summaries, seconds,
    )


def extract_cmd(corpus: Path, outputs: Path, *extra: str) -> list[str]:
    """Our end-to-end command line, exactly as a user would run it."""
    return [sys.executable, "-m", "pipeline", "extract", "--corpus", str(corpus), "--outputs", str(outputs),
            "--no-progress", *extra]


def reference_cmd(corpus: Path, part: str = "0/1") -> list[str]:
    """The reference pass in its own interpreter, so its start-up is timed too.

    ``part`` "i/n": only every n-th article from the i-th, for the reference split
    over n processes (how far this machine lets even the bare pass scale).
    """
    return [sys.executable, "-m", "pipeline.tools.bench", "--reference", str(corpus), "--part", part]


def measure_together(cmds: Sequence[Sequence[str]], logdir: Path, cwd: Path) -> tuple[float, float]:
    """Run ``cmds`` at once: (wall s until the last ends, largest kernel peak RSS MiB)."""
    started = time.perf_counter()
    procs = []
    for k, cmd in enumerate(cmds):
        with (logdir / f"together-{k}.log").open("wb") as out:
            procs.append(subprocess.Popen(list(cmd), cwd=cwd, stdout=out, stderr=subprocess.STDOUT))
    peak = 0.0
    for proc in procs:
        _, status, usage = os.wait4(proc.pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            raise RuntimeError(f"{' '.join(proc.args)} failed: see {logdir}")  # type: ignore[arg-type]
        peak = max(peak, usage.ru_maxrss / 1024)
    return time.perf_counter() - started, peak


# --- the reference pass (runs in the child process) ------------------------------


def reference(corpus: Path, part: str = "0/1") -> int:
    """Tokenize, split sentences and match every lexicon and count pattern; nothing else.

    Mirrors the cheapest honest version of our matching: the same phrases (folded on
    NORM, case-sensitive ones on ORTH) and "qualifier + number" count patterns.
    """
    import spacy
    from spacy.matcher import Matcher, PhraseMatcher

    from pipeline import rules
    from pipeline.extract.lexicon import all_entries

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    folded = PhraseMatcher(nlp.vocab, attr="NORM")
    exact = PhraseMatcher(nlp.vocab, attr="ORTH")
    grouped: dict[tuple[str, bool], set[str]] = {}
    for entry in all_entries():
        grouped.setdefault((f"{entry.layer}|{entry.label}", entry.case_sensitive), set()).add(entry.phrase)
    for (key, case_sensitive), phrases in grouped.items():
        (exact if case_sensitive else folded).add(key, list(nlp.tokenizer.pipe(sorted(phrases))))
    counts = Matcher(nlp.vocab)
    for item in rules.load("counts")["qualifiers"]:
        words = [{"LOWER": w.lower()} for w in str(item["phrase"]).split()]
        counts.add(f"count|{item['qualifier']}", [[*words, {"LIKE_NUM": True}]])
    articles = sentences = matches = 0
    first, step = (int(x) for x in part.split("/"))
    for path in sorted(corpus.rglob("*.txt"))[first::step]:
        doc = nlp(path.read_text(encoding="utf-8", errors="replace"))
        sentences += sum(1 for _ in doc.sents)
        matches += len(folded(doc)) + len(exact(doc)) + len(counts(doc))
        articles += 1
    print(f"reference: {articles} articles, {sentences} sentences, {matches} matches")
    return 0


# --- report --------------------------------------------------------------------


def verdict(ok: bool) -> str:
    """PASS/FAIL, spelled out so the log greps well."""
    return "PASS" if ok else "FAIL"


def print_table(runs: Sequence[Run]) -> None:
    """One row per run: size, wall time, throughput and memory."""
    head = f"{'run':<24}{'articles':>9}{'words':>10}{'wall s':>9}{'words/s':>10}{'art/s':>8}{'RSS MiB':>9}{'tree MiB':>10}"
    print(head)
    print("-" * len(head))
    for r in runs:
        wps = r.words / r.seconds if r.seconds else 0.0
        aps = r.articles / r.seconds if r.seconds else 0.0
        print(f"{r.name:<24}{r.articles:>9}{r.words:>10}{r.seconds:>9.2f}{wps:>10.0f}{aps:>8.1f}"
              f"{r.rss_mib:>9.0f}{r.tree_mib:>10.0f}")


def print_targets(rows: Sequence[tuple[str, str, str, bool]]) -> None:
    """One row per target: measured value, limit, PASS/FAIL."""
    print(f"{'target':<38}{'value':>10}  {'limit':<8}result")
    for name, value, limit, ok in rows:
        print(f"{name:<38}{value:>10}  {limit:<8}{verdict(ok)}")


# --- main ----------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m pipeline.tools.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds of the reference, 1-job and 2-job runs (median of each)")
    parser.add_argument("--min-articles", type=int, default=MIN_ARTICLES, help="corpus size (default: 1000)")
    parser.add_argument("--as-is", action="store_true",
                        help="keep PYTHONDONTWRITEBYTECODE if set (every run then recompiles its imports)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and print its path")
    parser.add_argument("--reference", type=Path, metavar="CORPUS", help=argparse.SUPPRESS)
    parser.add_argument("--part", default="0/1", help=argparse.SUPPRESS)
    return parser


def bench(args: argparse.Namespace, work: Path) -> None:
    """Build the corpus, time every run, print the table and the targets."""
    began = time.perf_counter()
    shared = shared_dir()
    if shared is None:
        print("note: shared folder with FA-KES not found ($SHARED or ../shared); seeds only, repeated with edits")
    corpus, logs = work / "corpus", work / "logs"
    logs.mkdir()
    build_corpus(corpus, base_articles(work, shared), args.min_articles)
    empty, one = work / "empty", work / "one"
    empty.mkdir()
    one.mkdir()
    seed = next(iter(sorted((REPO / "corpus").glob("*.txt"))))
    title, _, body = seed.read_text(encoding="utf-8").partition("\n")
    (one / "short.txt").write_text(title + "\n\n" + " ".join(body.split()[:80]) + "\n", encoding="utf-8")

    src = snapshot(work / "src")
    cache_note = bytecode_cache(work, args.as_is)
    # Untimed warm-up: compiles the snapshot's bytecode and fills the page cache, as
    # a user's second run would find them; otherwise round 1 alone pays for both.
    measure(reference_cmd(one), logs, src)
    measure(extract_cmd(one, work / "out-warm", "--force"), logs, src)

    rounds = max(1, args.rounds)
    load = os.getloadavg()[0]
    serial_cmd = lambda i: extract_cmd(corpus, work / f"out-serial-{i}", "--force")  # noqa: E731
    parallel_cmd = lambda i: extract_cmd(corpus, work / f"out-jobs2-{i}", "--force", "--jobs", "2")  # noqa: E731
    ref = timed("reference (spaCy only)", lambda i: reference_cmd(corpus), corpus, 1, logs, src)
    ours = timed("ours --jobs 1", serial_cmd, corpus, 1, logs, src)
    par = timed("ours --jobs 2", parallel_cmd, corpus, 1, logs, src)
    rest = 3 * 3.0  # settle, then 3 small runs a round (~3 s each)
    per_round = ref.seconds + ours.seconds + par.seconds + 3 * 3.0
    spare = BUDGET_SECONDS - (time.perf_counter() - began) - rest
    if rounds > 1 and spare < (rounds - 1) * per_round:
        rounds = max(1, min(rounds, int(spare // per_round) + 1))
        print(f"note: {rounds} round(s) only, to stay within ~{BUDGET_SECONDS:.0f} s")
    # Interleaved rounds (reference, 1 job, 2 jobs), so a noisy neighbour hurts all alike.
    for i in range(1, rounds):
        for kept, cmd in ((ref, lambda _: reference_cmd(corpus)), (ours, serial_cmd), (par, parallel_cmd)):
            more = timed(kept.name, lambda _, cmd=cmd, i=i: cmd(i), corpus, 1, logs, src)
            kept.rounds += more.rounds
            kept.summaries += more.summaries
            kept.rss_mib, kept.tree_mib = max(kept.rss_mib, more.rss_mib), max(kept.tree_mib, more.tree_mib)
    for kept in (ref, ours, par):
        kept.seconds = statistics.median(kept.rounds)
    # The bare pass split over two processes (odd and even articles), as context for
    # the --jobs 2 target: its start-up is serial too, and the two share the caches.
    split = [measure_together([reference_cmd(corpus, "0/2"), reference_cmd(corpus, "1/2")], logs, src)[0]
             for _ in range(rounds)]
    ref_split = statistics.median(split)
    last = work / f"out-serial-{rounds - 1}"
    # Settle first, untimed: if someone edited the code or rules since the serial run,
    # the fingerprint changed and this pass re-extracts; the timed rounds then see no change.
    measure(extract_cmd(corpus, last), logs, src)
    rerun = timed("ours re-run, no change", lambda i: extract_cmd(corpus, last), corpus, rounds, logs, src)
    idle = timed("ours, empty corpus", lambda i: extract_cmd(empty, work / f"out-empty-{i}"), empty, rounds, logs, src)
    start = timed("ours, one short article", lambda i: extract_cmd(one, work / f"out-one-{i}", "--force"),
                  one, rounds, logs, src)
    runs = [ref, ours, par, rerun, idle, start]

    print(f"\nbench: {ours.articles} articles, {ours.words} words; median of {rounds} round(s) "
          f"on {os.cpu_count()} CPU(s); {time.perf_counter() - began:.0f} s in all;\n"
          f"load average {load:.2f} at start, {os.getloadavg()[0]:.2f} at end (other work on the machine "
          "skews --jobs 2 most)\n"
          f"{cache_note}\n")
    print_table(runs)
    print("\nRSS = kernel peak of the largest single process (wait4); tree = peak summed PSS of the process "
          "and its workers (sampled)")
    for r in runs:
        rounds_text = ", ".join(f"{s:.2f}" for s in r.rounds)
        print(f"  {r.name}: rounds [{rounds_text}] s" + (f"; {r.summaries[-1]}" if r.summaries else ""))
    if rerun.extracted():
        print(f"  WARNING: the no-change re-run re-extracted {rerun.extracted()} articles: the pipeline "
              "fingerprint (code, rules) changed during the bench, so its ratio below is not a no-change time")
    peak = max(ours.rss_mib, ours.tree_mib, par.rss_mib, par.tree_mib) * 1.048576  # MiB -> MB
    print()
    print_targets([
        ("ours / reference wall time", f"{ours.seconds / ref.seconds:.2f}x", f"<= {TARGET_RATIO}",
         ours.seconds / ref.seconds <= TARGET_RATIO),
        ("--jobs 2 speed-up", f"{ours.seconds / par.seconds:.2f}x", f">= {TARGET_SPEEDUP}",
         ours.seconds / par.seconds >= TARGET_SPEEDUP),
        ("no-change re-run / empty run", f"{rerun.seconds / idle.seconds:.2f}x", f"<= {TARGET_RERUN}",
         rerun.seconds / idle.seconds <= TARGET_RERUN),
        ("start-up to first article (s)", f"{start.seconds:.2f}", f"< {TARGET_STARTUP}",
         start.seconds < TARGET_STARTUP),
        ("peak memory, jobs 1 and 2 (MB)", f"{peak:.0f}", f"< {TARGET_RSS_MB:.0f}", peak < TARGET_RSS_MB),
    ])
    print(f"\ncontext for --jobs 2: the reference pass split over 2 processes takes {ref_split:.2f} s "
          f"(rounds {', '.join(f'{x:.2f}' for x in split)}), a speed-up of {ref.seconds / ref_split:.2f}x "
          "over its own single process")
    print("\nreproduce (from the repo root):")
    extra = "" if args.rounds == 3 else f" --rounds {args.rounds}"
    extra += " --as-is" if args.as_is else ""
    extra += "" if args.min_articles == MIN_ARTICLES else f" --min-articles {args.min_articles}"
    print(f"  {Path(sys.executable).relative_to(REPO) if Path(sys.executable).is_relative_to(REPO) else sys.executable}"
          f" -m pipeline.tools.bench{extra}    # or: make bench")
    print("  each run of ours is: python -m pipeline extract --corpus TMP/corpus --outputs TMP/outputs "
          "--no-progress [--force] [--jobs 2]")


def main(argv: Sequence[str] | None = None) -> int:
    """Always 0: a slow run is a finding to read, not a build to break."""
    args = _parser().parse_args(argv)
    if args.reference is not None:
        return reference(args.reference, args.part)
    work = Path(tempfile.mkdtemp(prefix="pipeline-bench-"))
    try:
        bench(args, work)
    except Exception:  # noqa: BLE001 - report and carry on: the bench never gates
        traceback.print_exc()
        print("bench: failed before finishing (see above); nothing was gated", file=sys.stderr)
    finally:
        if args.keep:
            print(f"\nkept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
