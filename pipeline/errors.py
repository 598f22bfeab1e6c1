"""Coded messages for every error and warning the pipeline emits.

Codes are stable and searchable (spaCy's ``errors.py`` pattern): tests assert on
the code, never on the wording, and a user can grep the README for a code.
``E1xx`` are input problems (one article refused), ``E2xx`` rule-file problems
(the run refuses to start), ``E3xx`` usage problems and refused runs (nothing is
written), ``E4xx`` problems of the review commands (``report``, ``export``; ``E41x`` reviewers'
corrections and Label Studio exports), ``E5xx`` linking problems (``link``), ``E6xx`` ingest
problems (a source or a record not taken in). ``W0xx`` are warnings recorded in the article's
JSON; ``W1xx`` are warnings of a run, printed on stderr (a file of the corpus that was not read,
a state entry ignored); ``W6xx`` records that ingest set aside (stderr).
"""

from __future__ import annotations


class Errors:
    """Message templates keyed by code."""

    # Input: the article is refused, other articles are unaffected.
    E101 = "file is empty or holds only whitespace"
    E102 = "file looks binary ({reason}), not text or HTML"
    E103 = "file is {size} bytes, over the {limit}-byte cap (--max-bytes)"
    E104 = "file cannot be read: {reason}"
    E105 = "sidecar {sidecar} is not valid: {reason}"
    E106 = "{what} leaves the corpus folder (symbolic link to {target})"
    E107 = "extraction failed in stage '{stage}': {reason}"
    E108 = "text could not be decoded ({reason})"
    E109 = "{path} cannot be written: {reason}"
    E110 = "{files} would write the same output {output}; none of them is extracted (rename all but one)"
    E111 = "extraction ran over {seconds} s (--article-timeout) and was ended"
    E112 = "the process extracting it ended unexpectedly ({reason})"
    E113 = "{path} cannot be removed: {reason}"
    E120 = "PDF has no text layer (a scanned document?): run OCR on it first (e.g. ocrmypdf), then add it again"
    E121 = "PDF cannot be read: {reason}"
    E122 = "reading {what} needs the [{extra}] extra: pip install 'casualty-claims[{extra}]' (or make ... EXTRAS={extra})"
    E123 = ("the Dask worker {worker} runs another version of the pipeline (code, rules or libraries) than this "
            "run; restart the workers (dask worker ...) after changing either")

    # Rule files: loading stops, because every output would be wrong.
    E201 = "{source}: not a valid rule file: {reason}"
    E202 = "{source}: rule {rule!r} has unknown keys {keys}"
    E203 = "{source}: rule {rule!r} is missing required keys {keys}"
    E204 = "{source}: duplicate rule id {rule!r}"
    E205 = "{source}: rule {rule!r} has no examples"
    E206 = "{source}: rule {rule!r}: {reason}"

    # Usage.
    E301 = "corpus folder {path} does not exist"
    E302 = "output folder {path} is inside the corpus folder"
    E303 = ("{outputs} holds the outputs of the corpus {recorded}, not of {corpus}; nothing was written "
            "(give another --outputs, or --force to extract into it anyway)")
    E304 = ("this run would remove {count} of the {total} outputs in {outputs} (their articles are gone from "
            "{corpus}), more than {few} and more than a tenth; nothing was written (check --corpus, "
            "list them with --dry-run, remove them with --prune)")
    E305 = "folder {path} cannot be created: {reason}"
    E306 = "{option} must be {requirement}"

    # Review commands: one output skipped, or one file not written.
    E401 = "not a valid output ({reason}); skipped"

    # Corrections (corrections/*.yaml, python -m pipeline review / import-labelstudio): one file or
    # entry set aside, the others applied.
    E411 = "corrections file cannot be read: {reason}; its corrections are not applied"
    E412 = "correction {entry} is not valid: {reason}; skipped"
    E413 = "Label Studio export cannot be read: {reason}"
    E414 = "Label Studio task {task}: {reason}; skipped"

    # Linking (python -m pipeline link): one output skipped, or the incidents file not written.
    E501 = "not an output record, left out of linking: {reason}"
    E502 = "incidents file {path} cannot be written: {reason}"
    E503 = "outputs folder {path} does not exist"

    # Ingest (python -m pipeline ingest): a source or a record that could not be taken in.
    E601 = "source {src} cannot be read: {reason}"
    E602 = "{src}: no column for {what} (columns: {columns}); name it with {flag}"
    E603 = "{src}: the WARC is damaged or truncated after {records} records ({reason}); the records before it are kept"
    E604 = "{url}: fetch failed: {reason}"
    E605 = "{url}: robots.txt of {host} disallows it; not fetched"
    E606 = "{path} cannot be written: {reason}"
    E607 = "{src}: dates of column {column!r} do not say their day/month order ({example!r}); give --date-order DMY or MDY"
    E608 = "cannot tell what kind of source {src} is; give --kind ({kinds})"

    # Ingest: one record set aside (stderr, the run goes on).
    W601 = "{where}: no text; skipped"
    W602 = "{where}: date {value!r} not understood; left out of the sidecar"
    W603 = "{where}: near-duplicate of {original} (estimated Jaccard {similarity}); recorded as duplicate_of"
    W604 = "{where}: a different article already has the name {name}; written as {instead}"
    W605 = "{where}: not a JSON object; skipped"
    W606 = "{where}: {value!r} is not an http(s) URL; skipped"
    W607 = "{where}: answered {kind}, not an HTML page or a PDF; skipped"

    # Warnings recorded in outputs.
    W001 = "no publication date found: relative dates are left unresolved"
    W002 = "day/month order of the date line {text!r} is ambiguous; read as {order}"
    W003 = "text was not valid UTF-8; decoded as {encoding}"
    W004 = "declared charset {declared!r} does not match the bytes; decoded as {encoding}"
    W005 = "text was truncated to {limit} characters"
    W006 = "repaired {count} mojibake sequences (UTF-8 that had been read as cp1252)"
    W007 = "the text holds over {limit} figures; only the first {limit} were read as claims"
    W008 = "the text is in {language} ({iso}), which the rules do not read (English only): no claims extracted"
    W009 = "invalid Unicode (lone surrogates) in {fields} replaced with U+FFFD"
    W010 = ("{count} claims are in sentences too long to repeat (over {limit} characters, or repeated past"
            " {total} in all): their evidence is a window of up to {window} characters either side of the figure")

    # Warnings of a run (stderr): files of the corpus that were not read, state set aside.
    W101 = "not read: unsupported file type {suffix!r} (articles are {supported})"
    W102 = "not read: not a regular file ({kind}); never opened"
    W103 = "not read: sidecar without an article (no {expected})"
    W104 = "not read: a linked folder is not entered"
    W105 = "state file entry for {rel!r} is not an object; ignored (the article is extracted again)"
    W106 = "state file is not valid ({reason}); ignored (every article is extracted again)"
    W107 = ("{count} output(s) without an article were not written from this corpus and are left alone "
            "(first: {first}; --prune removes them)")


class PipelineError(Exception):
    """An error with a code from :class:`Errors`, formatted for one stderr line."""

    def __init__(self, code: str, **fields: object) -> None:
        self.code = code
        self.fields = fields
        template = getattr(Errors, code)
        super().__init__(f"[{code}] {template.format(**fields)}")


class InputError(PipelineError):
    """The article cannot be processed; the run goes on without it."""


class RuleError(PipelineError):
    """A rule or lexicon file is invalid; nothing can be extracted."""


class RunRefused(PipelineError):
    """The run would lose or mix data (another corpus's outputs, mass removal), or cannot
    start (an output folder that cannot be created): nothing is written, exit status 2."""


def warning(code: str, **fields: object) -> str:
    """Format a warning for the ``warnings`` list of an article's JSON."""
    template = getattr(Errors, code)
    return f"[{code}] {template.format(**fields)}"
