"""Stable identities: content hashes for exact repeats and SimHash fingerprints for near-duplicates.

An id depends only on the content, never on when or from which file it was loaded, so loading the
same data twice adds nothing.
"""

from __future__ import annotations

import hashlib
import string

import numpy as np

_MASK64 = np.uint64(0xFFFFFFFFFFFFFFFF)
# Odd 64-bit multipliers that mix the three words of a shingle into one hash.
_MIX = (np.uint64(0x9E3779B97F4A7C15), np.uint64(0xC2B2AE3D27D4EB4F), np.uint64(0x165667B19E3779F9))
SHINGLE_WORDS = 3
_EDGE_PUNCTUATION = string.punctuation + "“”‘’•·–—…"
MIN_WORDS_FOR_FINGERPRINT = 40  # shorter texts repeat boilerplate too easily to call them reposts


def _fold(value: object) -> str:
    return " ".join(str(value).casefold().split()) if value is not None else ""


def content_id(*parts: object, namespace: str) -> str:
    """A 128-bit hex id over whitespace- and case-folded parts; ``namespace`` versions the recipe."""
    digest = hashlib.sha256(namespace.encode())
    for part in parts:
        digest.update(b"\x1f")
        digest.update(_fold(part).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:32]


def posting_id(source: object, title: object, company: object, location: object, description: object) -> str:
    """The id of a posting: the same ad text from the same source is one posting."""
    return content_id(source, title, company, location, description, namespace="posting.v1")


def salary_content_hash(values: tuple[object, ...]) -> str:
    """The hash of a salary record's full content (all survey columns, as given)."""
    return content_id(*values, namespace="salary.v1")


_WORD_HASHES: dict[str, int] = {}
_WORD_HASHES_MAX = 500_000


def _word_hash(word: str) -> int:
    if len(_WORD_HASHES) >= _WORD_HASHES_MAX:
        _WORD_HASHES.clear()
    value = int.from_bytes(
        hashlib.blake2b(word.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "little"
    )
    _WORD_HASHES[word] = value
    return value


def simhash(text: str | None) -> int | None:
    """64-bit SimHash over word 3-shingles (Charikar 2002; as used for web near-duplicates by Manku et
    al. 2007). Returns None for texts under MIN_WORDS_FOR_FINGERPRINT words.

    >>> a = simhash("we build retrieval systems " * 20)
    >>> a == simhash("We build   retrieval systems " * 20)
    True
    """
    if not text:
        return None
    # Whitespace tokens with edge punctuation stripped: the same ad as markdown ("**Python**", "- item")
    # and as text from HTML gives the same words. 2-3x faster than a regex tokenizer.
    words = [w for w in (token.strip(_EDGE_PUNCTUATION) for token in text.lower().split()) if w]
    if len(words) < MIN_WORDS_FOR_FINGERPRINT:
        return None
    cached = _WORD_HASHES.get
    h = np.array([cached(w) or _word_hash(w) for w in words], dtype=np.uint64)
    with np.errstate(over="ignore"):
        shingles = (h[:-2] * _MIX[0]) ^ (h[1:-1] * _MIX[1]) ^ (h[2:] * _MIX[2])
    shingles = np.unique(shingles)
    bits = np.unpackbits(shingles.view(np.uint8).reshape(-1, 8), axis=1, bitorder="little")
    votes = bits.sum(axis=0, dtype=np.int64) * 2 > len(shingles)
    return int(np.packbits(votes, bitorder="little").view(np.uint64)[0] & _MASK64)
