"""Near-duplicates at ingest: the same article arriving twice (syndication, re-crawls).

Each article's cleaned body (as ``extract`` reads it; not the title, which a syndicating
outlet often rewrites) becomes the set
of its 5-word shingles; a MinHash signature of 128 permutations estimates the Jaccard
similarity of two such sets (its "affine32" scheme), and an LSH index (datasketch, the ``[ingest]`` extra)
finds the candidates without comparing every pair. An article whose estimated
similarity to an earlier one is at least ``THRESHOLD`` is its near-duplicate: its
sidecar records ``duplicate_of`` (the earliest such article; chains are flattened,
so every copy points at the first). The text itself is still written and extracted:
the mark is for linking and counting, not a filter.

Signatures are kept in ``<corpus>/.ingest-index.jsonl`` (hidden, so ``extract`` does
not read it), one line per article, so a later ingest run compares new articles with
everything already in the corpus without re-reading it. Articles saved by hand are
indexed on the next ingest run. Everything is deterministic: datasketch's permutations
come from a fixed seed and its hash is SHA-1.
"""

from __future__ import annotations

import base64
import re
from typing import Any

import numpy as np

SHINGLE_WORDS = 5
NUM_PERM = 128
THRESHOLD = 0.8
# The LSH bands are set for a lower similarity, so that a pair at THRESHOLD is a candidate
# with probability 0.9997 (23 bands of 5 rows); candidates are then checked against THRESHOLD.
CANDIDATE_THRESHOLD = 0.6
CANDIDATE_WEIGHTS = (0.2, 0.8)  # false positives cost a comparison, false negatives a missed duplicate
SEED = 1
SCHEME = "affine32"
_WORD = re.compile(r"\w+")


def shingles(text: str) -> set[bytes]:
    """The text's 5-word shingles, lower-cased (a shorter text is one shingle)."""
    words = _WORD.findall(text.lower())
    if len(words) <= SHINGLE_WORDS:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(words[i : i + SHINGLE_WORDS]).encode("utf-8") for i in range(len(words) - SHINGLE_WORDS + 1)}


class NearDuplicates:
    """An LSH index of the corpus's articles, with the original each duplicate points at."""

    def __init__(self) -> None:
        from datasketch import MinHash, MinHashLSH

        self._minhash = MinHash
        # The permutations are drawn once (from the fixed seed) and shared by every signature.
        self._permutations = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME).permutations
        self._lsh = MinHashLSH(threshold=CANDIDATE_THRESHOLD, num_perm=NUM_PERM, weights=CANDIDATE_WEIGHTS)
        self._signatures: dict[str, Any] = {}
        self._order: dict[str, int] = {}
        self._original: dict[str, str] = {}

    def signature(self, text: str) -> Any | None:
        """The MinHash of the text's shingles, or None for a text without words."""
        found = shingles(text)
        if not found:
            return None
        minhash = self._minhash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME, permutations=self._permutations)
        minhash.update_batch(sorted(found))
        return minhash

    def find(self, signature: Any | None) -> tuple[str, float] | None:
        """The earliest article this signature near-duplicates, with the estimated similarity."""
        if signature is None:
            return None
        best: tuple[int, str, float] | None = None
        for rel in self._lsh.query(signature):
            similarity = float(signature.jaccard(self._signatures[rel]))
            if similarity < THRESHOLD:
                continue
            original = self._original.get(rel, rel)
            if original not in self._order:  # its original is gone from the corpus: this one stands for it
                original = rel
            rank = self._order[original]
            if best is None or rank < best[0]:
                best = (rank, original, similarity)
        return (best[1], best[2]) if best else None

    def add(self, rel: str, signature: Any | None, duplicate_of: str | None = None) -> None:
        """Index an article (its signature may be None: it is then only remembered as a name)."""
        if rel in self._order:
            return
        self._order[rel] = len(self._order)
        if duplicate_of and duplicate_of != rel:  # (its original may be indexed after it: a rebuilt index is sorted)
            self._original[rel] = self._original.get(duplicate_of, duplicate_of)
        if signature is not None:
            self._signatures[rel] = signature
            self._lsh.insert(rel, signature)

    def __contains__(self, rel: str) -> bool:
        return rel in self._order


def encode_signature(signature: Any | None) -> str | None:
    """A signature as text for the index file: its 128 hash values as little-endian uint32, base64."""
    if signature is None:
        return None
    return base64.b64encode(np.asarray(signature.hashvalues, dtype="<u4").tobytes()).decode("ascii")


def decode_signature(text: str | None) -> Any | None:
    if not text:
        return None
    from datasketch import LeanMinHash

    values = np.frombuffer(base64.b64decode(text), dtype="<u4")
    if len(values) != NUM_PERM:
        return None
    return LeanMinHash(seed=SEED, hashvalues=values, scheme=SCHEME)
