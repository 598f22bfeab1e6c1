"""What an output depends on besides its article: rules, code and library versions.

An article is re-extracted when its bytes, its sidecar or this fingerprint change;
file modification times are never used (git checkouts reset them).
"""

from __future__ import annotations

import hashlib
import sys
from functools import lru_cache
from importlib import metadata, resources

from pipeline import rules

LIBRARIES = ("spacy", "dateparser", "beautifulsoup4", "text2num", "pyyaml", "pypdf")


@lru_cache(maxsize=1)
def pipeline_fingerprint() -> str:
    """sha256 over the package's code and data files and the library versions."""
    digest = hashlib.sha256()
    digest.update(rules.fingerprint().encode())
    for path in sorted(_code_files(), key=lambda p: p[0]):
        digest.update(path[0].encode())
        digest.update(path[1])
    for name in LIBRARIES:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "absent"
        digest.update(f"{name}={version}".encode())
    digest.update(f"python={sys.version_info.major}.{sys.version_info.minor}".encode())
    return digest.hexdigest()


def _code_files() -> list[tuple[str, bytes]]:
    found: list[tuple[str, bytes]] = []
    stack = [("", resources.files("pipeline"))]
    while stack:
        prefix, node = stack.pop()
        for child in node.iterdir():
            if child.is_dir() and child.name not in ("__pycache__", "rules"):
                stack.append((f"{prefix}{child.name}/", child))
            elif child.name.endswith(".py"):
                found.append((f"{prefix}{child.name}", child.read_bytes()))
    return found
