"""A run never loses a user's data: outputs belong to their corpus, mass removals and name
clashes are refused before anything is written, every file not read is named, and no
article's content can crash the run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.errors import RunRefused
from pipeline.runner import STATE_FILE, run

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = "Airstrikes kill {n} civilians in Idlib\n\n3 March 2017\nAt least {n} civilians were killed in Russian air strikes on Idlib on Friday, a monitor said.\n"


def _article(n: int) -> str:
    return ARTICLE.format(n=n)


def _tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (the state file too), for "nothing was written"."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _news_corpus(tmp_path: Path) -> Path:
    """Five articles at the top, two in news/: the shape of the committed corpus and a sub-folder."""
    corpus = tmp_path / "corpus"
    (corpus / "news").mkdir(parents=True)
    for i in range(5):
        (corpus / f"a{i}.txt").write_text(_article(10 + i), encoding="utf-8")
    for i in range(2):
        (corpus / "news" / f"n{i}.txt").write_text(_article(20 + i), encoding="utf-8")
    return corpus


# --- outputs belong to their corpus -----------------------------------------------------


def test_safety_a_sub_folder_as_corpus_into_the_same_outputs_is_refused(tmp_path: Path) -> None:
    corpus, outputs = _news_corpus(tmp_path), tmp_path / "outputs"
    run(corpus, outputs)
    before = _tree(outputs)
    with pytest.raises(RunRefused, match=r"^\[E303\]") as refused:
        run(corpus / "news", outputs)
    assert "corpus" in str(refused.value) and "--force" in str(refused.value)
    assert _tree(outputs) == before


def test_safety_the_cli_refusal_is_one_line_and_status_2(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    corpus, outputs = _news_corpus(tmp_path), tmp_path / "outputs"
    assert main(["extract", "--corpus", str(corpus), "--outputs", str(outputs)]) == 0
    capsys.readouterr()
    assert main(["extract", "--corpus", str(corpus / "news"), "--outputs", str(outputs)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("[E303]")


def test_safety_force_extracts_another_corpus_and_leaves_the_old_outputs_alone(tmp_path: Path) -> None:
    corpus, outputs = _news_corpus(tmp_path), tmp_path / "outputs"
    run(corpus, outputs)
    summary, lines = run(corpus / "news", outputs, force=True)
    assert (summary.extracted, summary.removed) == (2, 0)
    assert {"a0.json", "a4.json", "news/n0.json", "n0.json", "n1.json"} <= set(_tree(outputs))
    assert any("[W107] 7 output(s) without an article" in line for line in lines)
    # The state now belongs to news/: the full corpus is the stranger.
    with pytest.raises(RunRefused, match=r"^\[E303\]"):
        run(corpus, outputs)


def test_safety_without_state_a_mass_removal_is_refused(tmp_path: Path) -> None:
    # A fresh clone has outputs and no state: the removal limit still guards them.
    corpus, outputs = _news_corpus(tmp_path), tmp_path / "outputs"
    run(corpus, outputs)
    (outputs / STATE_FILE).unlink()
    before = _tree(outputs)
    with pytest.raises(RunRefused, match=r"^\[E304\] this run would remove 7 of the 7 outputs"):
        run(corpus / "news", outputs)
    assert _tree(outputs) == before


def test_safety_an_empty_corpus_removes_nothing_without_prune(tmp_path: Path) -> None:
    corpus, outputs = _news_corpus(tmp_path), tmp_path / "outputs"
    run(corpus, outputs)
    for path in corpus.rglob("*.txt"):
        path.unlink()
    with pytest.raises(RunRefused, match=r"^\[E304\] this run would remove 7 of the 7"):
        run(corpus, outputs)
    summary, lines = run(corpus, outputs, prune=True)
    assert summary.removed == 7 and [p.name for p in outputs.rglob("*.json")] == [STATE_FILE]
    assert sum("removed (its article is gone)" in line for line in lines) == 7


def test_safety_even_two_outputs_are_not_all_removed_silently(tmp_path: Path) -> None:
    corpus, outputs = tmp_path / "corpus", tmp_path / "outputs"
    corpus.mkdir()
    for i in range(2):
        (corpus / f"a{i}.txt").write_text(_article(i + 3), encoding="utf-8")
    run(corpus, outputs)
    (corpus / "a0.txt").unlink()
    (corpus / "a1.txt").unlink()
    with pytest.raises(RunRefused, match=r"^\[E304\]"):
        run(corpus, outputs)


def test_safety_a_few_removals_go_ahead(tmp_path: Path) -> None:
    corpus, outputs = _news_corpus(tmp_path), tmp_path / "outputs"
    run(corpus, outputs)
    for name in ("a0.txt", "a1.txt", "a2.txt"):  # three: "a few", though more than a tenth
        (corpus / name).unlink()
    summary, _ = run(corpus, outputs)
    assert summary.removed == 3


def test_safety_only_the_corpus_own_outputs_are_removed(tmp_path: Path) -> None:
    corpus, outputs = _news_corpus(tmp_path), tmp_path / "outputs"
    run(corpus, outputs)
    # A record put there by hand (another run's, a colleague's): not this corpus's to remove.
    (outputs / "theirs.json").write_bytes((outputs / "a0.json").read_bytes())
    (corpus / "a1.txt").unlink()
    summary, lines = run(corpus, outputs)
    assert summary.removed == 1 and (outputs / "theirs.json").exists() and not (outputs / "a1.json").exists()
    assert any("[W107] 1 output(s)" in line and "theirs.json" in line for line in lines)
    summary, _ = run(corpus, outputs, prune=True)
    assert summary.removed == 1 and not (outputs / "theirs.json").exists()


def test_safety_the_state_records_the_corpus_relative_to_the_outputs(tmp_path: Path) -> None:
    corpus, outputs = _news_corpus(tmp_path), tmp_path / "outputs"
    run(corpus, outputs)
    assert json.loads((outputs / STATE_FILE).read_text(encoding="utf-8"))["corpus"] == "../corpus"
    # Both folders moved together (a clone elsewhere): still the same corpus.
    moved = tmp_path / "elsewhere"
    moved.mkdir()
    corpus.rename(moved / "corpus")
    outputs.rename(moved / "outputs")
    summary, lines = run(moved / "corpus", moved / "outputs")
    assert (summary.unchanged, lines) == (7, [])


# --- --dry-run -------------------------------------------------------------------------


def test_safety_dry_run_lists_what_would_change_and_writes_nothing(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    corpus, outputs = _news_corpus(tmp_path), tmp_path / "outputs"
    run(corpus, outputs)
    (corpus / "a0.txt").write_text(_article(99), encoding="utf-8")
    (corpus / "news" / "n2.txt").write_text(_article(42), encoding="utf-8")
    (corpus / "a1.txt").unlink()
    before = _tree(outputs)
    assert main(["extract", "--dry-run", "--corpus", str(corpus), "--outputs", str(outputs)]) == 0
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [
        f"would write {(outputs / 'a0.json').as_posix()} (article or sidecar changed)",
        f"would write {(outputs / 'news' / 'n2.json').as_posix()} (new article)",
        f"would remove {(outputs / 'a1.json').as_posix()} (its article is gone)",
    ]
    assert "would write 2, leave 5 unchanged, remove 1" in captured.err
    assert _tree(outputs) == before


def test_safety_dry_run_into_a_new_folder_creates_nothing(tmp_path: Path) -> None:
    summary, _ = run(_news_corpus(tmp_path), tmp_path / "new", dry_run=True)
    assert len(summary.planned) == 7 and not (tmp_path / "new").exists()


def test_safety_dry_run_lists_a_refused_mass_removal(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    corpus, outputs = _news_corpus(tmp_path), tmp_path / "outputs"
    run(corpus, outputs)
    for path in corpus.glob("*.txt"):
        path.unlink()
    assert main(["extract", "--dry-run", "--corpus", str(corpus), "--outputs", str(outputs)]) == 2
    captured = capsys.readouterr()
    assert captured.out.count("would remove") == 5 and "[E304]" in captured.err


# --- files that are not read are named ---------------------------------------------------


@pytest.mark.parametrize("other", ["a.html", "a.htm", "a.TXT", "A.txt"])
def test_safety_name_clash_refuses_both_before_writing(tmp_path: Path, other: str) -> None:
    corpus, outputs = tmp_path / "corpus", tmp_path / "outputs"
    corpus.mkdir()
    (corpus / "a.txt").write_text(_article(5), encoding="utf-8")
    (corpus / "b.txt").write_text(_article(6), encoding="utf-8")
    run(corpus, outputs)
    before = (outputs / "a.json").read_bytes()
    page = "<html><head><title>T</title></head><body><p>At least 9 people were killed.</p></body></html>"
    (corpus / other).write_text(page if "htm" in other else _article(9), encoding="utf-8")
    summary, lines = run(corpus, outputs)
    assert (summary.failed, summary.unchanged) == (2, 1)
    assert len(lines) == 1 and "[E110]" in lines[0] and "a.txt" in lines[0] and other in lines[0]
    assert (outputs / "a.json").read_bytes() == before  # kept, never flipped, never removed
    summary, _ = run(corpus, outputs, check=True)
    assert summary.stale == []


def test_safety_every_file_not_read_is_named(tmp_path: Path) -> None:
    corpus, outputs = tmp_path / "corpus", tmp_path / "outputs"
    (corpus / "sub").mkdir(parents=True)
    (corpus / "a.txt").write_text(_article(5), encoding="utf-8")
    (corpus / "scan.tiff").write_bytes(b"II*\x00")
    (corpus / "notes.docx").write_bytes(b"PK\x03\x04")
    (corpus / "photo.JPG").write_bytes(b"\xff\xd8\xff")
    (corpus / "orphan.meta.json").write_text('{"outlet": "AFP"}', encoding="utf-8")
    os.mkfifo(corpus / "pipe.txt")
    (corpus / "linked").symlink_to(corpus / "sub", target_is_directory=True)
    (corpus / ".hidden.pdf").write_bytes(b"hidden files are left alone without a word")
    summary, lines = run(corpus, outputs)  # a FIFO is never opened: this returns
    assert (summary.extracted, summary.failed, summary.skipped) == (1, 0, 6)
    assert [line.split(": [")[0] + " " + line.split("[")[1][:4] for line in lines] == [
        "notes.docx W101", "orphan.meta.json W103", "photo.JPG W101", "pipe.txt W102", "scan.tiff W101",
        "linked/ W104"]
    assert summary.line().startswith("extracted 1, unchanged 0, removed 0, failed 0, skipped 6 in ")


def test_safety_a_sidecar_linked_out_of_the_corpus_is_refused_with_its_article(tmp_path: Path) -> None:
    corpus, outputs = tmp_path / "corpus", tmp_path / "outputs"
    corpus.mkdir()
    (corpus / "a.txt").write_text(_article(5), encoding="utf-8")
    (corpus / "b.txt").write_text(_article(6), encoding="utf-8")
    secret = tmp_path / "secret.json"
    secret.write_text('{"outlet": "read from outside"}', encoding="utf-8")
    (corpus / "a.meta.json").symlink_to(secret)
    summary, lines = run(corpus, outputs)
    assert (summary.extracted, summary.failed) == (1, 1)
    assert lines == [f"a.txt: [E106] its sidecar a.meta.json leaves the corpus folder (symbolic link to {secret})"]
    assert not (outputs / "a.json").exists()


def test_safety_a_fifo_sidecar_is_never_opened(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(_article(5), encoding="utf-8")
    os.mkfifo(corpus / "a.meta.json")
    summary, lines = run(corpus, tmp_path / "outputs")
    assert summary.failed == 1 and lines[0].startswith("a.txt: [E105] sidecar a.meta.json is not valid: not a regular")


# --- nothing in an article escapes the per-article guard --------------------------------


def test_safety_lone_surrogate_in_a_sidecar_is_replaced_and_warned(tmp_path: Path) -> None:
    corpus, outputs = tmp_path / "corpus", tmp_path / "outputs"
    corpus.mkdir()
    (corpus / "a.txt").write_text(_article(5), encoding="utf-8")
    (corpus / "a.meta.json").write_text('{"outlet": "AFP \\ud800", "url": "https://x.invalid/\\udfff"}', encoding="utf-8")
    (corpus / "b.txt").write_text(_article(6), encoding="utf-8")
    summary, lines = run(corpus, outputs)
    assert (summary.extracted, lines) == (2, [])
    article = json.loads((outputs / "a.json").read_text(encoding="utf-8"))["article"]
    assert (article["outlet"], article["url"]) == ("AFP \ufffd", "https://x.invalid/\ufffd")
    assert article["warnings"] == ["[W009] invalid Unicode (lone surrogates) in article.url, article.outlet replaced with U+FFFD"]


def test_safety_latin1_file_name_is_extracted_under_its_own_name(tmp_path: Path) -> None:
    corpus, outputs = tmp_path / "corpus", tmp_path / "outputs"
    corpus.mkdir()
    name = b"caf\xe9.txt"  # Latin-1 bytes: not UTF-8, so Python sees a lone surrogate
    with open(os.path.join(os.fsencode(corpus), name), "w", encoding="utf-8") as handle:
        handle.write(_article(5))
    summary, lines = run(corpus, outputs)
    assert (summary.extracted, lines) == (1, [])
    written = os.listdir(os.fsencode(outputs))
    assert b"caf\xe9.json" in written
    record = json.loads(open(os.path.join(os.fsencode(outputs), b"caf\xe9.json"), encoding="utf-8").read())
    assert record["article"]["file"] == "caf\ufffd.txt"
    assert any(w.startswith("[W009]") and "article.file" in w for w in record["article"]["warnings"])
    summary, _ = run(corpus, outputs)
    assert summary.unchanged == 1


def test_safety_lone_surrogate_from_json_ld_is_replaced(tmp_path: Path) -> None:
    corpus, outputs = tmp_path / "corpus", tmp_path / "outputs"
    corpus.mkdir()
    body = "At least 7 people were killed in Idlib on Monday \\ud83d, rescuers said."
    (corpus / "shell.html").write_text(
        '<html><head><title>Strike</title><script type="application/ld+json">'
        f'{{"@type": "NewsArticle", "headline": "Strike \\udc00", "articleBody": "{body}"}}'
        '</script></head><body><div id="app"></div></body></html>', encoding="utf-8")
    summary, lines = run(corpus, outputs)
    assert (summary.extracted, lines) == (1, [])
    text = (outputs / "shell.json").read_text(encoding="utf-8")
    assert "\\ud83d" not in text and "[W009]" in text


@pytest.mark.parametrize("published", ["0001-01-01", "0001-02-28", "9999-12-31"])
def test_safety_a_sidecar_date_at_the_ends_of_the_calendar_extracts(tmp_path: Path, published: str) -> None:
    corpus, outputs = tmp_path / "corpus", tmp_path / "outputs"
    corpus.mkdir()
    text = ("Strikes kill 12\n\nAt least 12 civilians were killed last month, 5 last year, 3 on Monday, "
            "4 over the past 40 years, 6 since January and 2 yesterday, a monitor said.\n")
    (corpus / "a.txt").write_text(text, encoding="utf-8")
    (corpus / "a.meta.json").write_text(json.dumps({"published": published}), encoding="utf-8")
    summary, lines = run(corpus, outputs)
    assert (summary.extracted, lines) == (1, [])
    record = json.loads((outputs / "a.json").read_text(encoding="utf-8"))
    assert record["article"]["published"] == published and len(record["claims"]) >= 2


def test_safety_a_corrupt_state_entry_is_ignored_with_a_warning(tmp_path: Path) -> None:
    corpus, outputs = _news_corpus(tmp_path), tmp_path / "outputs"
    run(corpus, outputs)
    state = json.loads((outputs / STATE_FILE).read_text(encoding="utf-8"))
    state["articles"]["a0.txt"] = 5
    state["articles"]["news/n0.txt"] = ["not", "an", "object"]
    (outputs / STATE_FILE).write_text(json.dumps(state), encoding="utf-8")
    summary, lines = run(corpus, outputs)
    assert (summary.extracted, summary.unchanged, summary.failed) == (2, 5, 0)
    assert [line.split("[")[1][:4] for line in lines] == ["W105", "W105"]
    summary, lines = run(corpus, outputs)
    assert (summary.unchanged, lines) == (7, [])


@pytest.mark.parametrize("content", ["not json{", "[1, 2]", '{"articles": 3}'])
def test_safety_an_unreadable_state_file_is_set_aside(tmp_path: Path, content: str) -> None:
    corpus, outputs = _news_corpus(tmp_path), tmp_path / "outputs"
    run(corpus, outputs)
    (outputs / STATE_FILE).write_text(content, encoding="utf-8")
    summary, lines = run(corpus, outputs)
    assert (summary.extracted, summary.failed) == (7, 0)
    assert len(lines) == 1 and "[W106]" in lines[0]


def test_safety_cli_run_with_hostile_names_prints_no_traceback(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "ok.txt").write_text(_article(5), encoding="utf-8")
    with open(os.path.join(os.fsencode(corpus), b"\xff\xfe.txt"), "wb") as handle:
        handle.write(_article(6).encode("cp1252"))
    (corpus / "x.meta.json").write_text('{"outlet": "\\ud800"}', encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "pipeline", "extract", "--corpus", str(corpus), "--outputs", str(tmp_path / "o")],
        capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[-1].startswith("extracted 2, unchanged 0, removed 0, failed 0, skipped 1 in ")


def test_safety_a_fifo_where_an_output_goes_is_never_opened(tmp_path: Path) -> None:
    corpus, outputs = tmp_path / "corpus", tmp_path / "outputs"
    corpus.mkdir()
    (corpus / "a.txt").write_text(_article(5), encoding="utf-8")
    run(corpus, outputs)
    (outputs / "a.json").unlink()
    os.mkfifo(outputs / "a.json")
    summary, _ = run(corpus, outputs, check=True)  # returns: the FIFO is not read
    assert summary.stale == [(outputs / "a.json").as_posix()]
    summary, lines = run(corpus, outputs)
    assert (summary.extracted, lines) == (1, []) and (outputs / "a.json").is_file()
