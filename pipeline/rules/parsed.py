"""Rule files parsed once per version, kept like Python's bytecode.

Building the rule data from YAML takes libyaml about 65 ms on every start-up (the
places aliases alone 28 ms), a third of what our start-up adds to spaCy's; the same
data read back from JSON takes under 2 ms, and a run that finds every file cached
does not import PyYAML at all. So the parsed data of each rule file is cached the
way Python caches a module's bytecode:

- in the ``__pycache__`` folder beside the file, or under ``sys.pycache_prefix``
  when one is set (``importlib.util.cache_from_source`` picks the folder);
- written only where Python would write bytecode (not under
  ``PYTHONDONTWRITEBYTECODE``), atomically, and never an error when the folder is
  read-only;
- trusted only when its first line holds the sha256 of the file's current text,
  this module's format version and the installed PyYAML's file stamp: an edited rule
  file (or another PyYAML) is parsed again, never read stale;
- written only when JSON gives back exactly the data YAML built (a date or a
  non-string key would not survive): such a file is parsed every time.

What the pipeline computes is the same either way: the cache holds equal data,
checked when it is written (tests/test_rules_parsed.py).
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from functools import cache
from importlib.util import cache_from_source, find_spec
from pathlib import Path
from typing import Any

# Changes whenever the cache file's layout changes: older files are then ignored.
FORMAT = "casualty-claims parsed rules v1"


def parse_yaml_text(text: str) -> Any:
    """The data of a YAML text, through libyaml's safe loader when it is installed."""
    import yaml  # here, not at import: a run whose rule files are all cached never needs it

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader


def cache_path(source: Path) -> Path:
    """Where the parsed data of ``source`` is kept (beside its bytecode)."""
    pyc = Path(cache_from_source(str(source.resolve())))
    return pyc.with_name(f"{source.name}.parsed.json")


def load_yaml(source: Path, text: str | None = None) -> Any:
    """The data of the YAML file ``source`` (whose text may be given), from the cache
    when it was made from the same bytes, else parsed (and cached when possible).

    Raises what the YAML parser raises on a bad file (``yaml.YAMLError``), and OSError
    when the file cannot be read.
    """
    if text is None:
        text = source.read_text(encoding="utf-8")
    stamp = f"{FORMAT} {hashlib.sha256(text.encode('utf-8')).hexdigest()} {_parser_stamp()}"
    try:
        where = cache_path(source)
    except (ValueError, OSError):  # not a real file path (a zipped package): no cache
        return parse_yaml_text(text)
    cached = _read_cache(where, stamp)
    if cached is not None:
        return cached[0]
    data = parse_yaml_text(text)
    if not sys.dont_write_bytecode:
        _write_cache(where, stamp, data)
    return data


@cache
def _parser_stamp() -> str:
    """Which PyYAML would parse: its file, size and modification time (found without
    importing it). Upgrading or replacing it in place changes the stamp."""
    spec = find_spec("yaml")
    origin = spec.origin if spec is not None and spec.origin else ""
    try:
        info = os.stat(origin)
    except OSError:
        return f"yaml:{origin or 'absent'}"
    return f"yaml:{origin}:{info.st_size}:{info.st_mtime_ns}"


def _read_cache(where: Path, stamp: str) -> tuple[Any] | None:
    """(data,) from a cache file with this stamp; None when absent, stale or unreadable."""
    try:
        with where.open("r", encoding="utf-8") as handle:
            if handle.readline().rstrip("\n") != stamp:
                return None
            return (json.loads(handle.read()),)
    except (OSError, ValueError):
        return None


def _write_cache(where: Path, stamp: str, data: Any) -> None:
    """Keep ``data`` under ``stamp`` if JSON gives it back exactly; never raises."""
    try:
        body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    except (TypeError, ValueError):  # a date, a set...: this file is parsed every time
        return
    if json.loads(body) != data:  # a non-string key or a NaN would come back different
        return
    try:
        where.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=f".{where.name}.", dir=where.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(stamp + "\n" + body)
            os.replace(temp, where)  # atomic: a concurrent reader sees the old file or the new
        except BaseException:
            os.unlink(temp)
            raise
    except OSError:  # a read-only install: parse each time, as without the cache
        return
