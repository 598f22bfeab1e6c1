"""The corpus runner and CLI: outputs mirror the corpus, runs are incremental,
parallel runs equal serial ones, and bad input costs one line, never the run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.runner import STATE_FILE, run

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "tests" / "seeds").glob("*.txt"))
ARTICLE = "Airstrikes kill 12 civilians in Idlib\n\n3 March 2017\nAt least 12 civilians were killed in Russian air strikes on Idlib on Friday, a monitor said.\n"


def _corpus(tmp_path: Path, count: int = 3) -> Path:
    corpus = tmp_path / "corpus"
    (corpus / "sub dir").mkdir(parents=True)
    for i in range(count):
        (corpus / f"a{i}.txt").write_text(ARTICLE.replace("12", str(12 + i)), encoding="utf-8")
    (corpus / "sub dir" / "seed.txt").write_bytes(SEEDS[0].read_bytes())
    return corpus


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*.json")) if p.name != STATE_FILE}


def test_runner_mirrors_corpus_tree(tmp_path: Path) -> None:
    corpus, outputs = _corpus(tmp_path), tmp_path / "out"
    summary, errors = run(corpus, outputs)
    assert errors == [] and summary.extracted == 4
    assert set(_snapshot(outputs)) == {"a0.json", "a1.json", "a2.json", "sub dir/seed.json"}


def test_runner_second_run_skips_unchanged_and_reextracts_changed(tmp_path: Path) -> None:
    corpus, outputs = _corpus(tmp_path), tmp_path / "out"
    run(corpus, outputs)
    summary, _ = run(corpus, outputs)
    assert (summary.extracted, summary.unchanged) == (0, 4)
    (corpus / "a1.txt").write_text(ARTICLE.replace("12", "99"), encoding="utf-8")
    summary, _ = run(corpus, outputs)
    assert (summary.extracted, summary.unchanged) == (1, 3)
    assert json.loads((outputs / "a1.json").read_text())["incident"]["killed"]["civilians"] == 99


def test_runner_sidecar_change_reextracts_and_wins(tmp_path: Path) -> None:
    corpus, outputs = _corpus(tmp_path), tmp_path / "out"
    run(corpus, outputs)
    (corpus / "a0.meta.json").write_text('{"published": "2017-03-04", "outlet": "Test"}', encoding="utf-8")
    summary, _ = run(corpus, outputs)
    assert summary.extracted == 1
    article = json.loads((outputs / "a0.json").read_text())["article"]
    assert (article["published"], article["published_from"], article["outlet"]) == ("2017-03-04", "sidecar", "Test")


def test_runner_removes_output_of_deleted_article(tmp_path: Path) -> None:
    corpus, outputs = _corpus(tmp_path), tmp_path / "out"
    run(corpus, outputs)
    (corpus / "a2.txt").unlink()
    summary, errors = run(corpus, outputs)
    assert summary.removed == 1 and not (outputs / "a2.json").exists()
    assert any("a2.json" in line and "removed" in line for line in errors)


def test_runner_edited_output_is_rewritten(tmp_path: Path) -> None:
    corpus, outputs = _corpus(tmp_path), tmp_path / "out"
    run(corpus, outputs)
    before = (outputs / "a0.json").read_bytes()
    (outputs / "a0.json").write_text("{}", encoding="utf-8")
    summary, _ = run(corpus, outputs)
    assert summary.extracted == 1 and (outputs / "a0.json").read_bytes() == before


def test_runner_parallel_equals_serial(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path, count=12)
    run(corpus, tmp_path / "serial")
    summary, _ = run(corpus, tmp_path / "parallel", jobs=2)
    assert summary.extracted == 13
    assert _snapshot(tmp_path / "serial") == _snapshot(tmp_path / "parallel")


def test_runner_parallel_run_records_what_it_wrote(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path, count=6)
    run(corpus, tmp_path / "out", jobs=2)
    summary, _ = run(corpus, tmp_path / "out", jobs=2)
    assert (summary.extracted, summary.unchanged) == (0, 7)


@pytest.mark.parametrize("jobs", [1, 2])
def test_runner_unwritable_output_fails_alone(tmp_path: Path, jobs: int) -> None:
    corpus, outputs = _corpus(tmp_path), tmp_path / "out"
    outputs.mkdir()
    (outputs / "sub dir").write_text("a file where the folder should be", encoding="utf-8")
    summary, errors = run(corpus, outputs, jobs=jobs)
    assert (summary.extracted, summary.failed) == (3, 1)
    assert len(errors) == 1 and errors[0].startswith("sub dir/seed.txt: [E109]") and "seed.json" in errors[0]
    assert set(_snapshot(outputs)) == {"a0.json", "a1.json", "a2.json"}
    (outputs / "sub dir").unlink()
    summary, errors = run(corpus, outputs, jobs=jobs)
    assert (summary.extracted, summary.unchanged, errors) == (1, 3, [])


def test_runner_output_is_deterministic(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    run(corpus, tmp_path / "one")
    run(corpus, tmp_path / "two", force=True)
    assert _snapshot(tmp_path / "one") == _snapshot(tmp_path / "two")


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("empty.txt", b"", "E101"),
        ("blank.txt", b"  \n\t\n", "E101"),
        ("image.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "E102"),
        ("nul.txt", b"Title\n\n12 killed\x00\x00\x00\x00" + b"\x00\x01\x02" * 200, "E102"),
    ],
    ids=["empty", "whitespace", "png", "nul-bytes"],
)
def test_runner_bad_input_is_refused_alone(tmp_path: Path, name: str, content: bytes, code: str) -> None:
    corpus, outputs = _corpus(tmp_path), tmp_path / "out"
    run(corpus, tmp_path / "clean")
    (corpus / name).write_bytes(content)
    summary, errors = run(corpus, outputs)
    assert summary.failed == 1
    assert len(errors) == 1 and errors[0].startswith(f"{name}: [{code}]")
    assert _snapshot(outputs) == _snapshot(tmp_path / "clean")


def test_runner_size_cap_has_its_own_message(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    (corpus / "big.txt").write_bytes(b"Title\n\n" + b"word " * 4000)
    summary, errors = run(corpus, tmp_path / "out", max_bytes=10_000)
    assert summary.failed == 1 and "[E103]" in errors[0] and errors[0].startswith("big.txt")


def test_runner_refuses_symlink_out_of_corpus(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    secret = tmp_path / "secret.txt"
    secret.write_text(ARTICLE, encoding="utf-8")
    (corpus / "link.txt").symlink_to(secret)
    summary, errors = run(corpus, tmp_path / "out")
    assert summary.failed == 1 and "[E106]" in errors[0]
    assert not (tmp_path / "out" / "link.json").exists()


def test_runner_bad_sidecar_names_the_sidecar(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    (corpus / "a0.meta.json").write_text('{"publised": "2017-01-01"}', encoding="utf-8")
    summary, errors = run(corpus, tmp_path / "out")
    assert summary.failed == 1 and "[E105]" in errors[0] and "a0.meta.json" in errors[0]


def test_cli_check_reports_stale_outputs(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    corpus, outputs = _corpus(tmp_path), tmp_path / "out"
    assert main(["extract", "--corpus", str(corpus), "--outputs", str(outputs)]) == 0
    assert main(["extract", "--check", "--corpus", str(corpus), "--outputs", str(outputs)]) == 0
    (outputs / "a0.json").write_text("{}", encoding="utf-8")
    assert main(["extract", "--check", "--corpus", str(corpus), "--outputs", str(outputs)]) == 1
    assert "a0.json" in capsys.readouterr().err


def test_cli_exit_codes(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    assert main(["extract", "--corpus", str(tmp_path / "missing"), "--outputs", str(tmp_path / "o")]) == 2
    assert main(["extract", "--corpus", str(corpus), "--outputs", str(corpus / "inside")]) == 2
    (corpus / "empty.txt").write_bytes(b"")
    assert main(["extract", "--corpus", str(corpus), "--outputs", str(tmp_path / "o")]) == 1


def test_cli_help_runs_as_module() -> None:
    result = subprocess.run([sys.executable, "-m", "pipeline", "--help"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0 and "extract" in result.stdout


def test_cli_bad_input_prints_no_traceback(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path, count=1)
    (corpus / "-dash name é.txt").write_bytes(b"\x00\x01\x02\x03" * 100)
    result = subprocess.run(
        [sys.executable, "-m", "pipeline", "extract", "--corpus", str(corpus), "--outputs", str(tmp_path / "o")],
        capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "-dash name é.txt: [E102]" in result.stderr


def test_runner_ambiguous_date_line_is_flagged_with_its_text(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(ARTICLE.replace("3 March 2017", "03.10.2017"), encoding="utf-8")
    run(corpus, tmp_path / "out")
    article = json.loads((tmp_path / "out" / "a.json").read_text())["article"]
    assert (article["published"], article["date_order"]) == ("2017-10-03", "DMY")
    assert article["warnings"] == ["[W002] day/month order of the date line '03.10.2017' is ambiguous; read as DMY"]


def test_runner_unreadable_file_is_refused_alone(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import builtins

    import pipeline.job

    corpus, outputs = _corpus(tmp_path), tmp_path / "out"
    (corpus / "locked.txt").write_text(ARTICLE, encoding="utf-8")
    real_open = builtins.open

    def guarded_open(file, *args, **kwargs):  # type: ignore[no-untyped-def]
        if os.fspath(file).endswith("locked.txt"):  # as root, permissions cannot lock a file: pretend
            raise PermissionError(13, "Permission denied")
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(pipeline.job, "open", guarded_open, raising=False)
    summary, errors = run(corpus, outputs)
    assert summary.failed == 1 and summary.extracted == 4
    assert errors == ["locked.txt: [E104] file cannot be read: Permission denied"]


def test_runner_twenty_megabyte_article_is_refused_by_the_cap(tmp_path: Path) -> None:
    corpus, outputs = _corpus(tmp_path), tmp_path / "out"
    run(corpus, tmp_path / "clean")
    with (corpus / "huge.txt").open("wb") as handle:
        handle.write(b"Title\n\n")
        handle.write((b"At least 12 civilians were killed in Idlib. " * 1000 + b"\n") * 460)
    assert (corpus / "huge.txt").stat().st_size > 20_000_000
    summary, errors = run(corpus, outputs)
    assert summary.failed == 1 and errors[0].startswith("huge.txt: [E103]")
    assert _snapshot(outputs) == _snapshot(tmp_path / "clean")


def test_runner_failure_names_article_and_stage(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import pipeline.claims

    corpus = _corpus(tmp_path, count=2)

    def broken(*args: object, **kwargs: object) -> None:
        raise ValueError("rule blew up")

    monkeypatch.setattr(pipeline.claims, "bind_counts", broken)
    summary, errors = run(corpus, tmp_path / "out")
    assert summary.failed == 3
    assert "a0.txt: [E107] extraction failed in stage 'claims': ValueError: rule blew up" in errors


def test_runner_leaves_the_garbage_collector_as_it_found_it(tmp_path: Path) -> None:
    # run() freezes the long-lived pipeline out of the collector's sight while it works; a
    # caller that goes on (a notebook, a Dask worker, this test process) must get it back.
    import gc

    threshold, corpus = gc.get_threshold(), _corpus(tmp_path, 1)
    run(corpus, tmp_path / "out")
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == threshold and gc.isenabled()
    gc.disable()  # as python -m pipeline starts
    try:
        run(corpus, tmp_path / "again")
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_runner_progress_bar_only_when_asked_or_on_a_terminal(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    corpus = _corpus(tmp_path)
    run(corpus, tmp_path / "shown", progress=True)
    shown = capsys.readouterr().err
    assert "/4" in shown and "article" in shown
    run(corpus, tmp_path / "default")  # pytest's stderr is not a terminal
    run(corpus, tmp_path / "off", progress=False)
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("jobs", [1, 2])
def test_runner_a_dying_worker_fails_its_article_not_the_run(tmp_path: Path, monkeypatch, jobs: int) -> None:  # type: ignore[no-untyped-def]
    import pipeline.workers as workers

    corpus = _corpus(tmp_path, count=6)
    run(corpus, tmp_path / "clean")
    (corpus / "crash.txt").write_text(ARTICLE, encoding="utf-8")
    extract = workers.extract_job

    def dies_on_one(job, max_bytes):  # type: ignore[no-untyped-def]
        if job.rel == "crash.txt":
            os._exit(3)  # the process dies in the middle of this article (a crash in C code, say)
        return extract(job, max_bytes)

    monkeypatch.setattr(workers, "extract_job", dies_on_one)
    summary, errors = run(corpus, tmp_path / "out", jobs=jobs)
    assert (summary.extracted, summary.failed) == (7, 1)
    assert errors == ["crash.txt: [E112] the process extracting it ended unexpectedly (exit status 3)"]
    assert _snapshot(tmp_path / "out") == _snapshot(tmp_path / "clean")


def _discover_by_os_walk(corpus: Path) -> list[tuple[str, str, str | None]]:
    """The first discover(), on os.walk: the order and choices the scandir version keeps."""
    from pipeline.runner import ARTICLE_SUFFIXES, SIDECAR_SUFFIX

    root, found = corpus.resolve(), []
    for dirpath, dirnames, filenames in os.walk(corpus, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for filename in sorted(filenames):
            if filename.startswith(".") or not filename.lower().endswith(ARTICLE_SUFFIXES):
                continue
            path = Path(dirpath) / filename
            rel = path.relative_to(corpus).as_posix()
            if path.is_symlink() and not path.resolve().is_relative_to(root):
                continue
            sidecar = path.with_name(filename[: filename.rfind(".")] + SIDECAR_SUFFIX)
            found.append((rel, str(path), str(sidecar) if sidecar.is_file() else None))
    return found


def test_runner_discover_matches_a_walk_of_the_tree(tmp_path: Path) -> None:
    from pipeline.runner import discover

    corpus = tmp_path / "corpus"
    for rel in ["b.txt", "a.HTML", "a.meta.json", "z/y.htm", "z/y.meta.json", "z/.hidden.txt", ".dot/x.txt",
                "m/n/o.txt", "m/a b.txt", "notes.md", "z/sub/deep.txt", "z/sub/deep.meta.json/x"]:
        (corpus / rel).parent.mkdir(parents=True, exist_ok=True)
        (corpus / rel).write_text("T\n\nAt least 2 people were killed.\n", encoding="utf-8")
    (tmp_path / "outside.txt").write_text("x", encoding="utf-8")
    (corpus / "link-out.txt").symlink_to(tmp_path / "outside.txt")
    (corpus / "link-in.txt").symlink_to(corpus / "b.txt")
    (corpus / "linked-dir").symlink_to(corpus / "m", target_is_directory=True)
    (corpus / "broken.txt").symlink_to(tmp_path / "missing.txt")
    found = discover(corpus)
    assert [(t.rel, str(t.path), str(t.sidecar) if t.sidecar else None) for t in found.tasks] == \
        _discover_by_os_walk(corpus)
    # Every file not taken is named: the two links out of the corpus are refused, the
    # linked folder, the markdown file and the file inside a folder named like a sidecar skipped.
    assert [line.split(": ")[0] + " " + line.split("[")[1][:4] for line in found.lines] == [
        "broken.txt E106", "link-out.txt E106", "notes.md W101", "linked-dir/ W104", "z/sub/deep.meta.json/x W101"]
    assert (found.refused, found.skipped) == (2, 3)


def test_runner_removes_only_its_own_orphans_in_path_order(tmp_path: Path) -> None:
    corpus, outputs = _corpus(tmp_path), tmp_path / "out"
    run(corpus, outputs)
    (outputs / "notes.json").write_text('{"mine": true}', encoding="utf-8")  # not a record of ours
    (outputs / ".hidden.json").write_bytes((outputs / "a0.json").read_bytes())
    (corpus / "sub dir" / "seed.txt").unlink()
    (corpus / "a1.txt").unlink()
    summary, errors = run(corpus, outputs)
    assert summary.removed == 2
    assert [line.split(": ")[0] for line in errors] == [(outputs / "a1.json").as_posix(),
                                                        (outputs / "sub dir" / "seed.json").as_posix()]
    assert (outputs / "notes.json").exists() and (outputs / ".hidden.json").exists()


def test_runner_no_change_rerun_leaves_the_state_file_alone(tmp_path: Path) -> None:
    corpus, outputs = _corpus(tmp_path), tmp_path / "out"
    run(corpus, outputs)
    state = outputs / STATE_FILE
    before = state.stat().st_ino
    summary, _ = run(corpus, outputs)
    assert summary.unchanged == 4 and state.stat().st_ino == before  # not replaced
    (corpus / "a0.txt").write_text(ARTICLE.replace("12", "77"), encoding="utf-8")
    run(corpus, outputs)
    assert state.stat().st_ino != before


def _counting_reads(monkeypatch) -> list[str]:  # type: ignore[no-untyped-def]
    import pipeline.runner as runner

    reads: list[str] = []
    real = runner.read_article

    def counted(path, max_bytes, stamps=None):  # type: ignore[no-untyped-def]
        name = os.fspath(path)
        if name.endswith(".meta.json") or not name.endswith(".json"):  # articles and sidecars, not outputs
            reads.append(Path(path).name)
        return real(path, max_bytes, stamps)

    monkeypatch.setattr(runner, "read_article", counted)
    return reads


def test_runner_no_change_rerun_reads_no_article(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import pipeline.job

    monkeypatch.setattr(pipeline.job, "RACY_NS", 0)  # files older than "now" count as settled
    corpus, outputs = _corpus(tmp_path), tmp_path / "out"
    (corpus / "a0.meta.json").write_text('{"outlet": "Test"}', encoding="utf-8")
    run(corpus, outputs, jobs=2)
    reads = _counting_reads(monkeypatch)
    summary, _ = run(corpus, outputs)
    assert (summary.unchanged, reads) == (4, [])


def test_runner_an_edit_that_keeps_size_and_mtime_is_still_seen(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import pipeline.job

    monkeypatch.setattr(pipeline.job, "RACY_NS", 0)
    corpus, outputs = _corpus(tmp_path), tmp_path / "out"
    run(corpus, outputs)
    for path, old, new in ((corpus / "a1.txt", "13", "31"), (outputs / "a2.json", '"value": 14', '"value": 41')):
        info = path.stat()
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
        os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))  # same size, same mtime: only the ctime moved
        assert path.stat().st_size == info.st_size
    summary, _ = run(corpus, outputs)
    assert (summary.extracted, summary.unchanged) == (2, 2)
    assert json.loads((outputs / "a1.json").read_text())["incident"]["killed"]["civilians"] == 31


def test_runner_a_touched_but_unchanged_article_is_hashed_once(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import pipeline.job

    monkeypatch.setattr(pipeline.job, "RACY_NS", 0)
    corpus, outputs = _corpus(tmp_path), tmp_path / "out"
    run(corpus, outputs)
    os.utime(corpus / "a0.txt")  # a checkout or a copy: new times, same bytes
    reads = _counting_reads(monkeypatch)
    summary, _ = run(corpus, outputs)
    assert (summary.unchanged, reads) == (4, ["a0.txt"])
    summary, _ = run(corpus, outputs)
    assert (summary.unchanged, reads) == (4, ["a0.txt"])  # its new stamp was kept


def test_runner_files_written_moments_ago_are_always_hashed(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    corpus, outputs = _corpus(tmp_path), tmp_path / "out"
    run(corpus, outputs)  # everything is seconds old: no stamp can be trusted yet
    reads = _counting_reads(monkeypatch)
    summary, _ = run(corpus, outputs)
    assert summary.unchanged == 4 and sorted(reads) == ["a0.txt", "a1.txt", "a2.txt", "seed.txt"]
