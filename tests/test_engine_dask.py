"""The Dask engine gives the serial run's outputs, state and lines byte for byte, on a LocalCluster."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.runner import STATE_FILE, run

distributed = pytest.importorskip("distributed", reason="the [dask] extra is not installed (make test installs it)")
from pipeline.engines.dask import run_dask  # noqa: E402

from tests.conftest import SEEDS  # noqa: E402


@pytest.fixture(scope="module")
def cluster() -> Iterator[object]:
    """One worker thread in this process: the suite's cluster (the pipeline is already built here)."""
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=":0") as local:
        yield local


@pytest.fixture(scope="module")
def client(cluster: object) -> Iterator[object]:
    with distributed.Client(cluster) as dask_client:
        yield dask_client


def _corpus(root: Path) -> Path:
    corpus = root / "corpus"
    (corpus / "nested" / "deeper").mkdir(parents=True)
    for i, seed in enumerate(sorted(SEEDS.glob("*.txt"))):
        shutil.copy(seed, corpus / seed.name)
        shutil.copy(seed, corpus / "nested" / f"copy{i}.txt")
    (corpus / "nested" / "deeper" / "short.txt").write_text(
        "Clashes in the north\n\nClashes killed 7 fighters on Monday, a monitor said.\n", encoding="utf-8")
    (corpus / "nested" / "deeper" / "short.meta.json").write_text('{"published": "2020-05-04"}', encoding="utf-8")
    (corpus / "empty.txt").write_text("  \n", encoding="utf-8")
    (corpus / "bad.txt").write_text("Title\n\nText.\n", encoding="utf-8")
    (corpus / "bad.meta.json").write_text('{"publised": "2020-01-01"}', encoding="utf-8")
    return corpus


def _files(folder: Path) -> dict[str, bytes]:
    """Every file's bytes; the state file without its file stamps (size, inode, times: the identity of
    each file on this disk, which differs between any two output folders, serial runs alike)."""
    import json

    files = {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
    if STATE_FILE in files:
        state = json.loads(files[STATE_FILE])
        for entry in state["articles"].values():
            entry.pop("stamps", None)
        files[STATE_FILE] = json.dumps(state, indent=1, sort_keys=True).encode()
    return files


def test_outputs_state_and_lines_are_the_serial_runs(tmp_path: Path, client: object) -> None:
    corpus = _corpus(tmp_path)
    serial_summary, serial_lines = run(corpus, tmp_path / "serial", max_bytes=2_000_000)
    summary, lines = run_dask(str(corpus), str(tmp_path / "dask"), client=client, max_bytes=2_000_000, batch=2)
    assert _files(tmp_path / "dask") == _files(tmp_path / "serial")
    assert STATE_FILE in _files(tmp_path / "dask")
    assert [line.split(": ", 1)[0] for line in lines] == ["bad.txt", "empty.txt"]
    assert lines == serial_lines
    assert (summary.extracted, summary.failed) == (serial_summary.extracted, serial_summary.failed) == (5, 2)

    # a second run: nothing changed; then an article edited and one deleted
    summary, lines = run_dask(str(corpus), str(tmp_path / "dask"), client=client, max_bytes=2_000_000)
    assert (summary.extracted, summary.unchanged, summary.failed) == (0, 5, 2)
    (corpus / "nested" / "copy0.txt").write_text("Edited\n\nA blast killed 3 people.\n", encoding="utf-8")
    (corpus / "nested" / "copy1.txt").unlink()
    for engine in ("serial", "dask"):
        if engine == "serial":
            summary, lines = run(corpus, tmp_path / engine, max_bytes=2_000_000)
        else:
            summary, lines = run_dask(str(corpus), str(tmp_path / engine), client=client, max_bytes=2_000_000)
        assert (summary.extracted, summary.removed) == (1, 1)
        assert any(line.endswith("copy1.json: removed (its article is gone)") for line in lines)
    assert _files(tmp_path / "dask") == _files(tmp_path / "serial")


def test_an_fsspec_url_reads_like_a_folder(tmp_path: Path, client: object) -> None:
    """Object storage goes through fsspec (here a file:// URL): the same outputs, the runner's digests."""
    import json

    corpus = _corpus(tmp_path)
    run(corpus, tmp_path / "serial", max_bytes=2_000_000)
    summary, lines = run_dask(corpus.as_uri(), (tmp_path / "dask").as_uri(), client=client, max_bytes=2_000_000)
    assert (summary.extracted, summary.failed) == (5, 2)
    assert [line.split(": ", 1)[0] for line in lines] == ["bad.txt", "empty.txt"]
    dask, serial = _files(tmp_path / "dask"), _files(tmp_path / "serial")
    assert {k: v for k, v in dask.items() if k != STATE_FILE} == {k: v for k, v in serial.items() if k != STATE_FILE
                                                                   and not k.startswith("_")}
    digests = ("source", "sidecar", "pipeline", "output")
    state = json.loads(dask[STATE_FILE])["articles"]
    assert state == {rel: {k: v for k, v in entry.items() if k in digests}
                     for rel, entry in json.loads(serial[STATE_FILE])["articles"].items()}
    summary, _ = run_dask(corpus.as_uri(), (tmp_path / "dask").as_uri(), client=client, max_bytes=2_000_000)
    assert (summary.extracted, summary.unchanged) == (0, 5)


def test_check_mode_writes_nothing(tmp_path: Path, client: object) -> None:
    corpus = _corpus(tmp_path)
    run(corpus, tmp_path / "out", max_bytes=2_000_000)
    before = _files(tmp_path / "out")
    (tmp_path / "out" / "nested" / "deeper" / "short.json").write_text("{}", encoding="utf-8")
    summary, _ = run_dask(str(corpus), str(tmp_path / "out"), client=client, max_bytes=2_000_000, check=True)
    assert summary.stale == [(tmp_path / "out" / "nested" / "deeper" / "short.json").as_posix()]
    assert _files(tmp_path / "out")["nested/deeper/short.json"] == b"{}"
    assert {k: v for k, v in _files(tmp_path / "out").items() if k != "nested/deeper/short.json"} == {
        k: v for k, v in before.items() if k != "nested/deeper/short.json"}


def test_two_worker_processes(tmp_path: Path) -> None:
    """The real thing: a local cluster of two processes, each building its own pipeline."""
    corpus = _corpus(tmp_path)
    run(corpus, tmp_path / "serial", max_bytes=2_000_000)
    summary, lines = run_dask(str(corpus), str(tmp_path / "dask"), workers=2, max_bytes=2_000_000, batch=1)
    assert summary.extracted == 5 and len(lines) == 2
    assert _files(tmp_path / "dask") == _files(tmp_path / "serial")


def test_a_worker_with_another_pipeline_version_refuses(tmp_path: Path) -> None:
    """A long-lived worker that loaded older rules must not write their outputs under the new fingerprint."""
    from pipeline.engines.dask import _extract_batch
    from pipeline.job import Job

    article = tmp_path / "a.txt"
    article.write_text("Title\n\nA blast killed 3 people.\n", encoding="utf-8")
    job = Job(0, "a.txt", str(article), None, str(tmp_path / "out" / "a.json"))
    [answer] = _extract_batch([job], fingerprint="not-this-pipeline", max_bytes=10_000)
    assert answer.error is not None and "[E123]" in answer.error
    assert not (tmp_path / "out").exists()


def test_command_line_with_a_scheduler_address(tmp_path: Path, cluster: object, client: object,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    from pipeline.cli import main

    corpus = _corpus(tmp_path)
    run(corpus, tmp_path / "serial", max_bytes=2_000_000)
    status = main(["extract", "--corpus", str(corpus), "--outputs", str(tmp_path / "dask"), "--engine", "dask",
                   "--scheduler", cluster.scheduler_address])  # type: ignore[attr-defined]
    err = capsys.readouterr().err
    assert status == 1  # the two bad articles
    assert err.splitlines()[-1].startswith("extracted 5, unchanged 0, removed 0, failed 2, skipped 0 in ")
    assert _files(tmp_path / "dask") == _files(tmp_path / "serial")
    assert main(["extract", "--corpus", str(tmp_path / "nowhere"), "--outputs", str(tmp_path / "o"),
                 "--engine", "dask"]) == 2
    assert "[E301]" in capsys.readouterr().err
