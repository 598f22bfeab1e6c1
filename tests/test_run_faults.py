"""Faults during a run: an article that hangs or crashes its process, Ctrl-C and SIGTERM, a
killed supervisor, and a file system that refuses writes. Each costs one coded line,
never a traceback, a hung run or another article's output."""

from __future__ import annotations

import errno
import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.runner import STATE_FILE, run

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = "Airstrikes kill {n} civilians in Idlib\n\n3 March 2017\nAt least {n} civilians were killed in Russian air strikes on Idlib on Friday, a monitor said.\n"


def _corpus(tmp_path: Path, count: int, repeat: int = 1) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(count):
        (corpus / f"a{i:03}.txt").write_text(ARTICLE.format(n=i + 2) * repeat, encoding="utf-8")
    return corpus


def _outputs(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*.json"))
            if not p.name.startswith(".")}


# --- the watchdog --------------------------------------------------------------------


@pytest.mark.parametrize(("jobs", "how"), [(1, "waits"), (2, "waits"), (1, "computes")])
def test_faults_an_article_that_runs_over_is_ended_and_the_run_goes_on(tmp_path: Path, monkeypatch, jobs: int,  # type: ignore[no-untyped-def]
                                                                       how: str) -> None:
    import pipeline.workers as workers

    corpus = _corpus(tmp_path, 9)
    run(corpus, tmp_path / "clean")
    (corpus / "a004.txt").rename(corpus / "slow.txt")
    run_without = tmp_path / "without"
    (corpus / "slow.txt").rename(tmp_path / "slow.txt")
    run(corpus, run_without)
    (tmp_path / "slow.txt").rename(corpus / "slow.txt")
    extract = workers.extract_job

    def hangs_on_one(job, max_bytes):  # type: ignore[no-untyped-def]
        if job.rel == "slow.txt":  # stands for any article that never finishes, in Python or in C
            if how == "waits":
                time.sleep(3600)
            while True:
                pass
        return extract(job, max_bytes)

    monkeypatch.setattr(workers, "extract_job", hangs_on_one)
    started = time.monotonic()
    summary, lines = run(corpus, tmp_path / "out", jobs=jobs, article_timeout=1)
    assert time.monotonic() - started < 60
    assert (summary.extracted, summary.failed) == (8, 1)
    assert lines == ["slow.txt: [E111] extraction ran over 1 s (--article-timeout) and was ended"]
    assert _outputs(tmp_path / "out") == _outputs(run_without)  # byte-identical to a run without it
    monkeypatch.undo()
    summary, _ = run(corpus, tmp_path / "out", jobs=jobs)  # the next run tries it again
    assert (summary.extracted, summary.unchanged) == (1, 8)


def test_faults_the_timeout_is_an_option_of_the_cli(tmp_path: Path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    import pipeline.workers as workers

    corpus = _corpus(tmp_path, 2)
    monkeypatch.setattr(workers, "extract_job", lambda job, max_bytes: time.sleep(3600))
    status = main(["extract", "--corpus", str(corpus), "--outputs", str(tmp_path / "o"), "--article-timeout", "0.5"])
    assert status == 1
    assert capsys.readouterr().err.count("[E111] extraction ran over 0.5 s") == 2
    assert main(["extract", "--corpus", str(corpus), "--outputs", str(tmp_path / "o"), "--article-timeout", "-1"]) == 2


# --- signals -------------------------------------------------------------------------


def _start(corpus: Path, outputs: Path, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "pipeline", "extract", "--corpus", str(corpus), "--outputs", str(outputs), *extra],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )


def _wait_for_outputs(outputs: Path, count: int, proc: subprocess.Popen[str]) -> None:
    deadline = time.time() + 120
    while time.time() < deadline and len(list(outputs.glob("a*.json"))) < count and proc.poll() is None:
        time.sleep(0.05)
    assert proc.poll() is None, "the run ended before it could be interrupted"


def _session_processes(session: int) -> list[int]:
    """Processes still alive (not zombies) in the session the run was started in."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == session and fields[0] != "Z":  # pgrp, state
            found.append(int(entry))
    return found


@pytest.mark.parametrize(("signum", "jobs", "group"), [(signal.SIGINT, "1", True), (signal.SIGINT, "2", True),
                                                       (signal.SIGTERM, "2", False)])
def test_faults_a_signal_stops_cleanly_and_the_next_run_resumes(tmp_path: Path, signum: int, jobs: str,
                                                                 group: bool) -> None:
    corpus, outputs = _corpus(tmp_path, 400, repeat=15), tmp_path / "out"
    proc = _start(corpus, outputs, "--jobs", jobs)
    _wait_for_outputs(outputs, 10, proc)
    if group:  # Ctrl-C on a terminal: the whole process group gets it
        os.killpg(proc.pid, signum)
    else:
        proc.send_signal(signum)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 128 + signum
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"interrupted by {signal.Signals(signum).name}: extracted ")
    assert _session_processes(proc.pid) == []
    done = json.loads((outputs / STATE_FILE).read_text(encoding="utf-8"))["articles"]
    assert 10 <= len(done) < 400
    summary, errors = run(corpus, outputs, dry_run=True)  # the next run takes up the rest, and only the rest
    assert errors == [] and (summary.unchanged, len(summary.planned)) == (len(done), 400 - len(done))


def test_faults_children_die_with_a_killed_supervisor(tmp_path: Path) -> None:
    corpus, outputs = _corpus(tmp_path, 400, repeat=15), tmp_path / "out"
    proc = _start(corpus, outputs, "--jobs", "2")
    _wait_for_outputs(outputs, 10, proc)
    assert len(_session_processes(proc.pid)) >= 3  # the supervisor and its two children
    proc.kill()
    proc.communicate(timeout=60)
    deadline = time.time() + 10
    while time.time() < deadline and _session_processes(proc.pid):
        time.sleep(0.05)
    assert _session_processes(proc.pid) == []
    for path in outputs.glob("a*.json"):
        json.loads(path.read_text(encoding="utf-8"))  # every output whole


# --- the file system refuses -------------------------------------------------------------


def test_faults_an_output_folder_that_cannot_be_created_is_one_line(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    corpus = _corpus(tmp_path, 2)
    (tmp_path / "file").write_text("a file, not a folder", encoding="utf-8")
    assert main(["extract", "--corpus", str(corpus), "--outputs", str(tmp_path / "file" / "out")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("[E305] folder ") and "Not a directory" in err


@pytest.mark.parametrize("jobs", [1, 2])
def test_faults_a_full_disk_is_one_line_per_file(tmp_path: Path, monkeypatch, capsys, jobs: int) -> None:  # type: ignore[no-untyped-def]
    import pipeline.job
    import pipeline.output

    corpus, outputs = _corpus(tmp_path, 3), tmp_path / "out"
    outputs.mkdir()

    def disk_full(path, text, *, durable=False):  # type: ignore[no-untyped-def]
        raise OSError(errno.ENOSPC, "No space left on device")

    for module in (pipeline.output, pipeline.job, sys.modules["pipeline.runner"], sys.modules["pipeline.state"]):
        monkeypatch.setattr(module, "write_atomic", disk_full)
    assert main(["extract", "--corpus", str(corpus), "--outputs", str(outputs), "--jobs", str(jobs)]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert [line.split(": [")[1][:4] for line in lines[:-1]] == ["E109"] * 4
    assert all("No space left on device" in line for line in lines[:-1])
    assert lines[-2].startswith(f"{(outputs / STATE_FILE).as_posix()}: [E109]")
    assert lines[-1].startswith("extracted 0, unchanged 0, removed 0, failed 3")


def test_faults_a_state_file_that_cannot_be_written_is_one_line(tmp_path: Path) -> None:
    corpus, outputs = _corpus(tmp_path, 2), tmp_path / "out"
    (outputs / STATE_FILE).mkdir(parents=True)  # a folder where the state file goes
    summary, lines = run(corpus, outputs)
    assert (summary.extracted, summary.faults) == (2, 1)
    state = (outputs / STATE_FILE).as_posix()
    assert [line.split(": [")[0] + " " + line.split("[")[1][:4] for line in lines] == [f"{state} W106", f"{state} E109"]


def test_faults_an_orphan_that_cannot_be_removed_is_one_line(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    corpus, outputs = _corpus(tmp_path, 4), tmp_path / "out"
    run(corpus, outputs)
    (corpus / "a001.txt").unlink()
    real_unlink = Path.unlink

    def read_only(self: Path, missing_ok: bool = False) -> None:
        if self.name == "a001.json":
            raise PermissionError(errno.EROFS, "Read-only file system")
        real_unlink(self, missing_ok)

    monkeypatch.setattr(Path, "unlink", read_only)
    summary, lines = run(corpus, outputs)
    assert (summary.removed, summary.faults) == (0, 1)
    assert lines == [f"{(outputs / 'a001.json').as_posix()}: [E113] {(outputs / 'a001.json').as_posix()} "
                     "cannot be removed: Read-only file system"]


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o077, 0o600)])
def test_faults_outputs_and_state_respect_the_umask(tmp_path: Path, jobs: int, umask: int, mode: int) -> None:
    corpus, outputs = _corpus(tmp_path, 3), tmp_path / "out"
    previous = os.umask(umask)
    try:
        run(corpus, outputs, jobs=jobs)
    finally:
        os.umask(previous)
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in outputs.iterdir()}
    assert modes == dict.fromkeys(["a000.json", "a001.json", "a002.json", STATE_FILE], mode)


def test_faults_no_process_to_be_had_fails_the_articles_not_the_run(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import multiprocessing.context

    def refused(self) -> None:  # type: ignore[no-untyped-def]
        raise BlockingIOError(errno.EAGAIN, "Resource temporarily unavailable")  # fork: too many processes

    monkeypatch.setattr(multiprocessing.context.ForkProcess, "start", refused)
    summary, lines = run(_corpus(tmp_path, 3), tmp_path / "out", jobs=2)
    assert (summary.extracted, summary.failed) == (0, 3)
    assert all("[E112]" in line and "cannot start an extracting process" in line for line in lines)
