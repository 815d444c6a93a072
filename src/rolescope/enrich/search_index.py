"""The lexical search index: a tokenizer for postings and profiles, and the incremental enrich step.

Tokens are lower-cased runs of letters and digits. Tech names survive whole: ``c++``, ``c#``,
``.net``, ``node.js``, ``asp.net`` (a dot joins a short segment of one to three characters, so
``experience.requirements`` from scraped text still splits). Hyphens and slashes split
(``fine-tuning`` -> ``fine``, ``tuning``, which matches "fine tuning"). Stopwords, bare numbers and
one-letter tokens other than the languages ``c`` and ``r`` are dropped. One light suffix rule folds
plurals (``models`` -> ``model``, ``libraries`` -> ``library``) and leaves ``analysis``, ``business``,
``devops``, ``analytics`` and anything shorter than four letters alone; both postings and profiles
go through it, so it only has to be consistent, not linguistically right.
"""

from __future__ import annotations

import re
from collections import Counter

import duckdb

from rolescope.enrich.pipeline import EnrichSummary, ProgressFn, interrupted_after, no_progress
from rolescope.store import enrichment as store_enrichment
from rolescope.store import search as store_search
from rolescope.store.connection import on_interrupt

SEARCH_STEP = "search"
# Bump when tokens change (tokenizer, stopwords, suffix rule, title weight): every posting is re-indexed.
SEARCH_STEP_VERSION = "search.terms.v1"
# A title is short and says what the job is: its terms count this many times.
TITLE_WEIGHT = 2

_TOKEN = re.compile(r"\.net\b|[^\W_]+(?:\.[^\W_]{1,3}(?![^\W_]))*(?:\+\+|#)?")
_HAS_LETTER = re.compile(r"[^\W\d_]")
_KEEP_SHORT = frozenset({"c", "r"})
_NO_PLURAL = ("ss", "us", "is", "ops", "ics")
_STOPWORD_TEXT = """
    a about above after again against all also am an and any are aren as at be because been before being
    below between both but by can cannot could did do does doing don down during each e.g etc few for
    from further had has have having he her here hers herself him himself his how however i i.e if in
    into is it its itself just let ll me more most much must my myself no nor not now of off on once
    only or other our ours ourselves out over own per please re same shall she should so some such than
    that the their theirs them themselves then there these they this those through thus to too under
    until up upon us very via was we were what when where which while who whom why will with within
    without would yet you your yours yourself yourselves ve whether
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


def _fold(token: str) -> str:
    if len(token) < 4 or not token.isalpha() or token.endswith(_NO_PLURAL):
        return token
    if token.endswith("ies") and len(token) > 4:
        return token[:-3] + "y"
    if token.endswith("s"):
        return token[:-1]
    return token


def _term_for(surface: str) -> str | None:
    """The indexed term for a token as written, or None when the token is dropped."""
    if surface in STOPWORDS or (len(surface) == 1 and surface not in _KEEP_SHORT):
        return None
    if not surface.isalpha() and _HAS_LETTER.search(surface) is None:
        return None
    return _fold(surface)


# Token -> term, remembered: a corpus has far fewer distinct tokens than tokens.
_TERMS: dict[str, str | None] = {}
_TERMS_MAX = 500_000


def iter_tokens(text: str | None) -> list[tuple[str, str]]:
    """``(term, surface)`` for every kept token of ``text``, in order; the term is what is indexed."""
    if not text:
        return []
    out: list[tuple[str, str]] = []
    for surface in _TOKEN.findall(text.lower()):
        term = _TERMS.get(surface, "")
        if term == "":
            term = _term_for(surface)
            if len(_TERMS) < _TERMS_MAX:
                _TERMS[surface] = term
        if term is not None:
            out.append((term, surface))
    return out


def tokenize(text: str | None) -> list[str]:
    """The indexed terms of ``text``, in order.

    >>> tokenize("Senior ML Engineers: C++, C#, .NET and Node.js; fine-tuning LLMs (2+ years).")
    ['senior', 'ml', 'engineer', 'c++', 'c#', '.net', 'node.js', 'fine', 'tuning', 'llm', 'year']
    """
    return [term for term, _ in iter_tokens(text)]


def posting_term_counts(title: str | None, description: str | None) -> Counter[str]:
    """A posting's term counts: description terms once, title terms ``TITLE_WEIGHT`` times."""
    counts = Counter(tokenize(description))
    for term in tokenize(title):
        counts[term] += TITLE_WEIGHT
    return counts


def index_rows(
    ids: list[str], counts: list[Counter[str]], vocabulary: dict[str, int]
) -> tuple[dict[str, list], dict[str, int]]:
    """posting_terms columns for a batch, and the terms it adds to ``vocabulary`` (term -> new id).

    ``vocabulary`` is not changed: the caller adds the new terms once the batch is stored.
    """
    new_terms: dict[str, int] = {}
    next_id = max(vocabulary.values(), default=-1) + 1
    rows: dict[str, list] = {"posting_id": ids, "term_ids": [], "term_counts": [], "term_total": []}
    for posting_counts in counts:
        pairs = []
        for term, count in posting_counts.items():
            term_id = vocabulary.get(term)
            if term_id is None:
                term_id = new_terms.setdefault(term, next_id + len(new_terms))
            pairs.append((term_id, count))
        pairs.sort()
        rows["term_ids"].append([term_id for term_id, _ in pairs])
        rows["term_counts"].append([count for _, count in pairs])
        rows["term_total"].append(sum(posting_counts.values()))
    rows["step_version"] = [SEARCH_STEP_VERSION] * len(ids)
    return rows, new_terms


def enrich_search_index(
    con: duckdb.DuckDBPyConnection, *, batch_rows: int = 500, progress: ProgressFn = no_progress
) -> EnrichSummary:
    """Index the terms of every posting not yet indexed by this tokenizer version.

    Each batch commits on its own (its new vocabulary terms with it); an interrupted run keeps its
    finished batches. ``mentions`` in the summary counts the (posting, term) counts written.
    """
    summary = EnrichSummary(SEARCH_STEP, SEARCH_STEP_VERSION)
    summary.pending = store_enrichment.count_pending(con, SEARCH_STEP, SEARCH_STEP_VERSION)
    if not summary.pending:
        return summary
    vocabulary = store_search.term_vocabulary(con)
    with on_interrupt(lambda: interrupted_after(summary, "indexing")):
        for batch in store_enrichment.iter_pending(con, SEARCH_STEP, SEARCH_STEP_VERSION, batch_rows):
            ids, titles, texts = (batch.column(n).to_pylist() for n in ("posting_id", "title", "description"))
            counts = [posting_term_counts(title, text) for title, text in zip(titles, texts, strict=True)]
            rows, new_terms = index_rows(ids, counts, vocabulary)
            store_search.write_posting_terms(con, rows, new_terms, SEARCH_STEP, SEARCH_STEP_VERSION)
            vocabulary.update(new_terms)
            summary.mentions += sum(len(term_ids) for term_ids in rows["term_ids"])
            summary.processed += batch.num_rows
            progress(summary.processed, summary.pending)
    return summary
