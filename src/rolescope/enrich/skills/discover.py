"""Taxonomy candidates: spans the learned tagger finds in many postings that map to no known skill."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from typing import Any

import pyarrow as pa

CANDIDATE_MAX_WORDS = 5
ProgressFn = Callable[[int], None]


def candidate_key(text: str) -> str | None:
    """A normalised candidate: lowercased, trimmed of punctuation, at most a few words."""
    key = " ".join(text.lower().strip(" .,;:()[]!?\"'*-").split())
    if len(key) < 2 or len(key.split()) > CANDIDATE_MAX_WORDS:
        return None
    return key


def discover_candidates(
    batches: Iterable[pa.Table],
    tagger: Any,
    *,
    min_postings: int,
    limit: int,
    progress: ProgressFn | None = None,
) -> tuple[list[dict[str, Any]], int]:
    """Unmapped tagger spans seen in at least ``min_postings`` postings, most widespread first.

    Returns the candidate rows (candidate, type, postings, mentions) and the number of postings read.
    """
    postings: dict[str, set[str]] = defaultdict(set)
    mentions: Counter[str] = Counter()
    types: dict[str, Counter[str]] = defaultdict(Counter)
    scanned = 0
    for batch in batches:
        for posting_id, text in zip(
            batch["posting_id"].to_pylist(), batch["description"].to_pylist(), strict=True
        ):
            scanned += 1
            for span in tagger.extract(text):
                key = candidate_key(span.text)
                if span.skill_id is None and key:
                    postings[key].add(posting_id)
                    mentions[key] += 1
                    types[key][span.span_type] += 1
        if progress:
            progress(scanned)
    rows = [
        {"candidate": k, "type": types[k].most_common(1)[0][0], "postings": len(p), "mentions": mentions[k]}
        for k, p in postings.items()
        if len(p) >= min_postings
    ]
    return sorted(rows, key=lambda r: (-r["postings"], r["candidate"]))[:limit], scanned
