"""Job matching: rank the store's postings for one person, and say what each match asks for.

The score of a posting is a weighted mean of components, each between 0 and 1:

- **lexical** (weight 0.5): BM25 (k1 = 1.2, b = 0.75) of the profile's terms against the posting's
  title and description, divided by the best BM25 any canonical posting reaches for this profile
  (so the best lexical match in the store scores 1, whatever the filters). Each distinct profile
  term counts once; terms come from :mod:`rolescope.enrich.search_index`, the same tokenizer that
  built the index.
- **skills** (weight 0.5): the weighted share of the posting's skills (unnegated mentions, soft
  skills left out as in role fit) that the person has. A skill the posting requires weighs 2, one
  named outside any requirements section 1.5, a preferred one 1; the denominator carries one extra
  unmet required skill (``OVERLAP_PRIOR``), so a posting that names a single skill cannot score a
  full 1 on it.

With the optional extra installed (``pip install "rolescope[semantic]"``) and every canonical
posting embedded by ``rolescope enrich`` (step ``embeddings``), a third component joins:

- **semantic**: the cosine similarity of the profile's and the posting's embeddings (all-MiniLM-L6-v2
  distilled into a static model, :mod:`rolescope.enrich.embeddings`), rescaled so that the median
  canonical posting scores 0 and the best scores 1 for this profile (below the median counts as 0).
  It finds postings that say the same thing in other words, which BM25 and the skill taxonomy miss.
  Why from the median and not from 0: any two job ads share much of their wording, so a static
  model's cosine between a profile and a typical posting is already high (over the 16,382 shared
  postings, the median is 0.29-0.57 for the 50 benchmark profiles, the best 0.59-0.82); divided by
  the best alone, the median posting would score 0.63 on average and the component would hardly
  separate postings.

The weights are then 0.4 lexical, 0.4 skills, 0.2 semantic. Lexical and skills keep their 1:1
ratio, and the semantic part can reorder two postings only when their lexical + skills parts differ
by less than 0.2 (it moves a score by at most its weight). It stays small because nothing here can
tune it: there are no relevance labels, and the static model agrees only moderately with full
MiniLM (Spearman 0.58 over profile-posting pairs, see the model's SOURCE.md); on the 50 benchmark
profiles it changes about a third of each top 10 (``benchmarks/advisor_match.py``). It needs profile
text the index knows (the lexical part), so a profile of unknown words is refused as before rather
than ranked on the noise of its sub-word vectors. Without the extra, or when any canonical posting
lacks an embedding from the shipped model, ranking is exactly lexical + skills and the result says
why (``semantic_note``).

A component the input gives nothing for (no profile text, no skills) is left out and the others'
weights renormalised; the result says which weights were used. Only canonical postings (reposts
folded into their first copy) are ranked, and only those with a score above 0.

The index (terms, skills, filter fields and embeddings of every canonical posting) is read from the
store once and kept in memory, keyed on the store's path and a fingerprint of its postings and
enrichment log, so repeated queries in one process only pay for the ranking.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from collections.abc import Collection
from dataclasses import asdict, dataclass, replace
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from rolescope.advise.fit import UNWEIGHED_CATEGORIES
from rolescope.enrich import embeddings
from rolescope.enrich.search_index import SEARCH_STEP, SEARCH_STEP_VERSION, iter_tokens
from rolescope.errors import InvalidInput, NotReady
from rolescope.ingest.normalize.location import country_code_for
from rolescope.knowledge.roles import load_roles
from rolescope.knowledge.skills import load_taxonomy
from rolescope.store import embeddings as store_embeddings
from rolescope.store import search as store_search

BM25_K1 = 1.2
BM25_B = 0.75
WEIGHTS = {"lexical": 0.5, "skills": 0.5}
SEMANTIC_WEIGHTS = {"lexical": 0.4, "skills": 0.4, "semantic": 0.2}
REQUIREMENT_WEIGHTS = {"required": 2.0, None: 1.5, "preferred": 1.0}
OVERLAP_PRIOR = REQUIREMENT_WEIGHTS["required"]
ARRANGEMENTS = ("remote", "hybrid", "onsite")
MATCHED_TERMS = 5
MAX_TOP = 1000
_REQUIREMENT_ORDER = {"required": 0, None: 1, "preferred": 2}
_CACHE_SIZE = 2
# Posting fields a match shows.
_SHOWN = (
    "posting_id", "title", "company", "url", "location_text", "country_code", "city", "work_arrangement",
    "salary_usd_annual_min", "salary_usd_annual_max", "role", "title_role",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class MatchFilters:
    """Which postings may match. Every filter set must hold; unset filters let everything through.

    - ``role``: the role classifier's reading of the posting (``ml_engineer``, "ML engineer", ...).
    - ``arrangements``: work arrangements accepted, from ``remote``, ``hybrid``, ``onsite``; a
      posting that states none is left out once this is set. Remote only: ``{"remote"}``.
    - ``country``: ISO code or name; matches postings in that country or open to it (their list of
      countries), and remote postings open worldwide.
    - ``city``: the posting's city, case-insensitive.
    - ``location``: free text found (case-insensitive) in the posting's location, city or region.
    - ``min_pay_usd``: the posting's pay, USD a year, must reach this at the top of its range; a
      posting that states no pay is left out, and the result counts how many.
    """

    role: str | None = None
    arrangements: frozenset[str] = frozenset()
    country: str | None = None
    city: str | None = None
    location: str | None = None
    min_pay_usd: float | None = None


@dataclass(frozen=True, slots=True)
class SkillRequirement:
    """A skill a posting names: ``requirement`` is ``required``, ``preferred`` or None (unmarked)."""

    skill_id: str
    requirement: str | None


@dataclass(frozen=True, slots=True)
class JobMatch:
    """One ranked posting and why it ranks there.

    ``score`` = the weights of the result times ``lexical`` (BM25 over the best BM25 in the store;
    ``bm25`` is the raw value), ``skill_overlap`` and, when semantic matching is on, ``semantic``
    (cosine similarity from the store's median to its best, see the module docstring; None when
    off). ``met`` and ``missing`` split the posting's skills by whether the person has them, each
    ordered required, unmarked, preferred, then by id.
    ``matched_terms`` are the profile's words (as written there) adding most to the BM25. ``role``
    is the role classifier's reading of the posting, ``title_role`` what its title alone says.
    """

    rank: int
    posting_id: str
    title: str
    company: str | None
    url: str | None
    location: str | None
    country_code: str | None
    city: str | None
    work_arrangement: str | None
    pay_usd_annual_min: float | None
    pay_usd_annual_max: float | None
    role: str | None
    title_role: str | None
    score: float
    lexical: float
    bm25: float
    skill_overlap: float
    semantic: float | None
    met: tuple[SkillRequirement, ...]
    missing: tuple[SkillRequirement, ...]
    matched_terms: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class MatchResult:
    """The ranking and its sample: ``postings`` canonical postings ranked, ``candidates`` of them
    passing every filter (pay floor included), ``excluded_no_pay`` / ``excluded_below_pay`` left out
    by the pay floor only. ``query_terms`` are the profile's words the index knows (each counted once).
    ``semantic`` is ``on`` when the embeddings are part of the score, else ``off``; ``semantic_note``
    says what the semantic part is, or why it is off and how to turn it on.
    """

    matches: tuple[JobMatch, ...]
    filters: MatchFilters
    weights: dict[str, float]
    postings: int
    candidates: int
    excluded_no_pay: int
    excluded_below_pay: int
    query_terms: tuple[str, ...]
    semantic: str = "off"
    semantic_note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["filters"]["arrangements"] = sorted(self.filters.arrangements)
        return out


# --- the in-memory index ------------------------------------------------------------------------


@dataclass(slots=True)
class MatchIndex:
    """Everything ranking reads, as numpy arrays over the canonical postings (in ingest order)."""

    postings: pa.Table
    vocabulary: dict[str, int]
    term_starts: np.ndarray
    term_docs: np.ndarray
    term_weights: np.ndarray
    skill_ids: dict[str, int]
    skill_names: list[str]
    skill_starts: np.ndarray
    skill_index: np.ndarray
    skill_requirement: list[str | None]
    skill_weight: np.ndarray
    skill_total: np.ndarray
    skill_doc: np.ndarray
    role: np.ndarray
    arrangement: np.ndarray
    country: np.ndarray
    open_countries: tuple[np.ndarray, np.ndarray]
    worldwide_remote: np.ndarray
    city: np.ndarray
    place: list[str]
    pay_top: np.ndarray
    # Unit vectors aligned with the postings, or None with the reason in semantic_note.
    semantic_vectors: np.ndarray | None = None
    semantic_note: str = ""

    @property
    def size(self) -> int:
        return self.postings.num_rows

    def query_terms(self, text: str) -> dict[int, str]:
        """The text's distinct terms the index knows: term id -> the surface first used for it."""
        found: dict[int, str] = {}
        for term, surface in iter_tokens(text):
            term_id = self.vocabulary.get(term)
            if term_id is not None and term_id not in found:
                found[term_id] = surface
        return found

    def bm25(self, term_ids: Collection[int]) -> np.ndarray:
        """BM25 of every posting for a query made of these terms (each counted once)."""
        scores = np.zeros(self.size, dtype=np.float32)
        for term_id in term_ids:
            lo, hi = self.term_starts[term_id], self.term_starts[term_id + 1]
            scores[self.term_docs[lo:hi]] += self.term_weights[lo:hi]  # a posting appears once per term
        return scores.astype(np.float64)

    def skill_overlap(self, skills: Collection[str]) -> np.ndarray:
        """Every posting's weighted share of skills among ``skills`` (see the module docstring)."""
        has = np.zeros(len(self.skill_names), dtype=bool)
        has[[self.skill_ids[s] for s in skills if s in self.skill_ids]] = True
        met = np.bincount(
            self.skill_doc, weights=self.skill_weight * has[self.skill_index], minlength=self.size
        )
        return met / (self.skill_total + OVERLAP_PRIOR)


def _column(table: pa.Table, name: str) -> list[Any]:
    return table.column(name).to_pylist()


def _objects(values: list[Any]) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def _bm25_postings(table: pa.Table, vocab_size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Inverted lists: for each term id, the documents (ascending) holding it and their BM25 weights."""
    lengths = pc.list_value_length(table.column("term_ids")).to_numpy(zero_copy_only=False)
    term_of = pc.list_flatten(table.column("term_ids")).to_numpy().astype(np.int64)
    tf = pc.list_flatten(table.column("term_counts")).to_numpy().astype(np.float32)
    doc_of = np.repeat(np.arange(table.num_rows, dtype=np.int32), lengths)
    doc_len = table.column("term_total").to_numpy().astype(np.float32)
    df = np.bincount(term_of, minlength=vocab_size)
    idf = np.log1p((table.num_rows - df + 0.5) / (df + 0.5)).astype(np.float32)
    norm = BM25_K1 * (1 - BM25_B + BM25_B * doc_len / max(float(doc_len.mean()), 1.0))
    weights = idf[term_of] * tf * (BM25_K1 + 1) / (tf + norm[doc_of])
    order = np.argsort(term_of, kind="stable")  # stable: documents stay ascending within a term
    starts = np.concatenate(([0], np.cumsum(df))).astype(np.int64)
    return starts, doc_of[order], weights[order].astype(np.float32)


def _skill_rows(skills: pa.Table, posting_ids: pa.Array, size: int) -> dict[str, Any]:
    """Posting skills grouped by document (CSR), with requirement weights and per-document totals.

    Soft skills are left out, as in role fit: postings ask for them, résumés rarely say them.
    """
    soft = [s.id for s in load_taxonomy().skills if s.category in UNWEIGHED_CATEGORIES]
    skills = skills.filter(
        pc.invert(pc.is_in(skills.column("skill_id"), value_set=pa.array(soft, pa.string())))
    )
    doc = pc.index_in(skills.column("posting_id"), value_set=posting_ids)
    skills = skills.filter(pc.is_valid(doc))  # skills of postings the index does not hold
    doc = pc.drop_null(doc).to_numpy(zero_copy_only=False).astype(np.int64)
    order = np.argsort(doc, kind="stable")
    doc = doc[order]
    encoded = pc.dictionary_encode(skills.column("skill_id")).combine_chunks()
    all_requirements = skills.column("requirement").to_pylist()
    requirement = [all_requirements[i] for i in order]
    weight = np.array([REQUIREMENT_WEIGHTS[r] for r in requirement], dtype=np.float64)
    names = encoded.dictionary.to_pylist()
    return {
        "skill_ids": {name: i for i, name in enumerate(names)},
        "skill_names": names,
        "skill_starts": np.concatenate(([0], np.cumsum(np.bincount(doc, minlength=size)))),
        "skill_index": encoded.indices.to_numpy(zero_copy_only=False)[order],
        "skill_requirement": requirement,
        "skill_weight": weight,
        "skill_total": np.bincount(doc, weights=weight, minlength=size),
        "skill_doc": doc,
    }


def _filter_fields(table: pa.Table) -> dict[str, Any]:
    lists = table.column("country_codes")
    parents = pc.list_parent_indices(lists).to_numpy(zero_copy_only=False)
    codes = _objects(pc.list_flatten(lists).to_pylist())
    arrangement = _objects(_column(table, "work_arrangement"))
    scope = _objects(_column(table, "location_scope"))
    city = _column(table, "city")
    place = [
        " | ".join(part for part in parts if part).lower()
        for parts in zip(_column(table, "location_text"), city, _column(table, "region"), strict=True)
    ]
    low, high = (
        table.column(name).to_numpy(zero_copy_only=False).astype(np.float64)
        for name in ("salary_usd_annual_min", "salary_usd_annual_max")
    )
    return {
        "role": _objects(_column(table, "role")),
        "arrangement": arrangement,
        "country": _objects(_column(table, "country_code")),
        "open_countries": (codes, parents),
        "worldwide_remote": (scope == "worldwide") & (arrangement == "remote"),
        "city": _objects([c.lower() if c else None for c in city]),
        "place": place,
        "pay_top": np.where(np.isnan(high), low, high),
    }


def build_match_index(postings: pa.Table, skills: pa.Table, vocabulary: dict[str, int]) -> MatchIndex:
    """The in-memory index from the store's ``indexed_postings``, ``posting_skills`` and vocabulary."""
    postings = postings.combine_chunks()
    starts, docs, weights = _bm25_postings(postings, max(vocabulary.values(), default=-1) + 1)
    return MatchIndex(
        postings=postings.select(list(_SHOWN)),
        vocabulary=vocabulary,
        term_starts=starts,
        term_docs=docs,
        term_weights=weights,
        **_skill_rows(skills, postings.column("posting_id").combine_chunks(), postings.num_rows),
        **_filter_fields(postings),
    )


# Loaded indexes by (store path, fingerprint): a module-level cache like functools.lru_cache, so a
# long-lived process (the web app) loads a store's index once per store state.
_CACHE: OrderedDict[tuple[Any, ...], MatchIndex] = OrderedDict()
_CACHE_LOCK = threading.Lock()


def load_match_index(con: duckdb.DuckDBPyConnection) -> MatchIndex:
    """The store's match index, read once per store state and then served from memory.

    Raises NotReady when the store has no postings, or its search index is missing or out of date.
    """
    status = store_search.index_status(con, SEARCH_STEP, SEARCH_STEP_VERSION)
    where = f" --db {status.path}" if status.path else ""
    if not status.postings:
        raise NotReady(
            "the store has no postings to match", hint=f"load some first: rolescope ingest FILE{where}"
        )
    if status.pending == status.postings:
        raise NotReady("the store has no search index yet", hint=f"build it: rolescope enrich{where}")
    if status.pending:
        raise NotReady(
            f"the search index is out of date: {status.pending:,} of {status.postings:,} postings "
            "are not in it",
            hint=f"update it: rolescope enrich{where}",
        )
    key = (status.path, *status.fingerprint)
    with _CACHE_LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    postings, skills = store_search.indexed_postings(con), store_search.posting_skills(con)
    index = build_match_index(postings, skills, store_search.term_vocabulary(con))
    ids = index.postings.column("posting_id")
    index.semantic_vectors, index.semantic_note = load_semantic(con, ids, where)
    if status.path:  # an in-memory store has no name to key it on
        with _CACHE_LOCK:
            _CACHE[key] = index
            while len(_CACHE) > _CACHE_SIZE:
                _CACHE.popitem(last=False)
    return index


def load_semantic(
    con: duckdb.DuckDBPyConnection, posting_ids: pa.ChunkedArray, where: str = ""
) -> tuple[np.ndarray | None, str]:
    """The embeddings of these postings (in their order), or None and why semantic matching is off.

    Off unless the extra is installed and every one of them has a vector from the shipped model.
    When on, the model is loaded here too, so the first query does not pay for it.
    """
    off = "semantic matching is off: "
    if not embeddings.available():
        return None, f"{off}the optional model2vec package is not installed; {embeddings.INSTALL_HINT}, " + (
            f"then embed the postings: rolescope enrich{where}"
        )
    stored = store_embeddings.canonical_embeddings(con, embeddings.model_version())
    if stored.missing == stored.postings:
        return None, f"{off}the store has no posting embeddings yet; build them: rolescope enrich{where}"
    rows = pc.index_in(posting_ids, value_set=stored.posting_ids)
    if stored.missing or rows.null_count:
        missing = max(stored.missing, rows.null_count)
        return None, (
            f"{off}the posting embeddings are out of date ({missing:,} of {stored.postings:,} postings have "
            f"none from the shipped model); update them: rolescope enrich{where}"
        )
    embeddings.default_embedder()
    return stored.vectors[rows.to_numpy(zero_copy_only=False)], ""


# --- filters ------------------------------------------------------------------------------------


def check_filters(filters: MatchFilters) -> MatchFilters:
    """The filters in canonical form (role id, country code, lower-case places); InvalidInput if bad."""
    role = load_roles().get(filters.role).id if filters.role else None
    arrangements = filters.arrangements
    arrangements = frozenset([arrangements] if isinstance(arrangements, str) else arrangements)
    unknown = sorted(arrangements - set(ARRANGEMENTS))
    if unknown:
        raise InvalidInput(
            f"unknown work arrangement {unknown[0]!r}", hint=f"choose from: {', '.join(ARRANGEMENTS)}"
        )
    country = None
    if filters.country:
        country = country_code_for(filters.country)
        if country is None:
            raise InvalidInput(
                f"unknown country {filters.country!r}", hint="give an ISO code such as US or DE, or a name"
            )
    pay = filters.min_pay_usd
    if pay is not None and (not math.isfinite(pay) or pay < 0):
        raise InvalidInput(f"pay floor must be a yearly amount in USD of 0 or more, got {pay}")
    return replace(
        filters,
        role=role,
        arrangements=arrangements,
        country=country,
        city=filters.city.strip().lower() if filters.city and filters.city.strip() else None,
        location=filters.location.strip().lower() if filters.location and filters.location.strip() else None,
    )


def _filter_mask(index: MatchIndex, filters: MatchFilters) -> np.ndarray:
    mask = np.ones(index.size, dtype=bool)
    if filters.role:
        mask &= index.role == filters.role
    if filters.arrangements:
        mask &= np.logical_or.reduce([index.arrangement == a for a in filters.arrangements])
    if filters.country:
        codes, parents = index.open_countries
        in_country = index.country == filters.country
        in_country[parents[codes == filters.country]] = True
        mask &= in_country | index.worldwide_remote
    if filters.city:
        mask &= index.city == filters.city
    if filters.location:
        mask &= np.fromiter((filters.location in p for p in index.place), dtype=bool, count=index.size)
    return mask


# --- ranking ------------------------------------------------------------------------------------


def _weights(has_text: bool, has_skills: bool, semantic: bool) -> dict[str, float]:
    """The weights of the components the input gives something for, renormalised to sum to 1."""
    gives = {"lexical": has_text, "skills": has_skills, "semantic": semantic and has_text}
    used = {name: w for name, w in (SEMANTIC_WEIGHTS if semantic else WEIGHTS).items() if gives[name]}
    total = sum(used.values())
    return {name: w / total for name, w in used.items()}


def _top(scores: np.ndarray, eligible: np.ndarray, top: int) -> np.ndarray:
    """Indices of the ``top`` best eligible scores above 0, best first, ties in ingest order."""
    candidates = np.flatnonzero(eligible & (scores > 0))
    if len(candidates) > top:
        keep = np.argpartition(-scores[candidates], top - 1)[:top]
        threshold = scores[candidates[keep]].min()
        candidates = candidates[scores[candidates] >= threshold]  # keep every tie at the cut
    order = np.lexsort((candidates, -scores[candidates]))
    return candidates[order][:top]


def match_jobs(
    con: duckdb.DuckDBPyConnection,
    text: str,
    skills: Collection[str],
    *,
    filters: MatchFilters | None = None,
    top: int = 10,
) -> MatchResult:
    """Rank the store's canonical postings for a person (see the module docstring for the score).

    ``text`` is the profile's text (résumé, summary); ``skills`` the taxonomy ids of the person's
    skills (a set, or a mapping whose keys are ids). Raises InvalidInput for bad filters or an empty
    profile, NotFound for an unknown role, NotReady when the store or its search index is not ready.

    Examples
    --------
    >>> result = match_jobs(con, "LLM apps with RAG", {"python", "llm"},
    ...                     filters=MatchFilters(arrangements=frozenset({"remote"})))  # doctest: +SKIP
    >>> [(m.title, round(m.score, 2)) for m in result.matches]  # doctest: +SKIP
    """
    if not 1 <= top <= MAX_TOP:
        raise InvalidInput(f"top must be between 1 and {MAX_TOP}, got {top}")
    filters = check_filters(filters or MatchFilters())
    skill_set = frozenset([skills] if isinstance(skills, str) else skills)
    if not (text or "").strip() and not skill_set:
        raise InvalidInput("nothing to match on: the profile has no text and no skills")
    index = load_match_index(con)
    terms = index.query_terms(text or "")
    weights, parts = _score(index, terms, skill_set, text or "")
    mask, no_pay, below = _pay_floor(index, _filter_mask(index, filters), filters.min_pay_usd)
    chosen = _top(parts["score"], mask, top)
    return MatchResult(
        matches=tuple(
            _explain(index, int(doc), rank, parts, terms, skill_set)
            for rank, doc in enumerate(chosen, start=1)
        ),
        filters=filters,
        weights=weights,
        postings=index.size,
        candidates=int(mask.sum()),
        excluded_no_pay=no_pay,
        excluded_below_pay=below,
        query_terms=tuple(terms.values()),
        semantic="on" if "semantic" in weights else "off",
        semantic_note=_semantic_note(index, weights),
    )


def _semantic_note(index: MatchIndex, weights: dict[str, float]) -> str:
    if "semantic" in weights:
        return (
            f"semantic matching is on: {weights['semantic']:.0%} of the score is how close the profile's "
            "meaning is to the posting's (static MiniLM embeddings; the store's median posting 0, its best 1)"
        )
    if index.semantic_vectors is not None:
        return "semantic matching is off for this profile: it has no text the index knows"
    return index.semantic_note


def _semantic(index: MatchIndex, text: str) -> np.ndarray:
    """Every posting's cosine similarity to the profile text, from the median (0) to the best (1)."""
    query = embeddings.embed([text])[0]
    cosine = (index.semantic_vectors @ query).astype(np.float64)
    median, best = float(np.median(cosine)), float(cosine.max())
    if not best > median:  # no posting stands out (or the text has no tokens)
        return np.zeros_like(cosine)
    return np.clip((cosine - median) / (best - median), 0.0, 1.0)


def _score(
    index: MatchIndex, terms: dict[int, str], skills: frozenset[str], text: str
) -> tuple[dict[str, float], dict[str, np.ndarray]]:
    """The weights used and every posting's score with its components."""
    weights = _weights(bool(terms), bool(skills), index.semantic_vectors is not None)
    if not weights:
        raise InvalidInput(
            "nothing to match on: no word of the profile appears in any posting, and it lists no skills",
            hint="describe your work and skills in a few sentences",
        )
    bm25 = index.bm25(terms)
    lexical = bm25 / bm25.max() if bm25.max() > 0 else bm25
    overlap = index.skill_overlap(skills)
    score = weights.get("lexical", 0.0) * lexical + weights.get("skills", 0.0) * overlap
    parts = {"lexical": lexical, "bm25": bm25, "skill_overlap": overlap}
    if "semantic" in weights:
        parts["semantic"] = _semantic(index, text)
        score = score + weights["semantic"] * parts["semantic"]
    return weights, {"score": score, **parts}


def _pay_floor(index: MatchIndex, mask: np.ndarray, floor: float | None) -> tuple[np.ndarray, int, int]:
    """The mask with the pay floor applied, and how many it left out for no pay / pay below it."""
    if floor is None:
        return mask, 0, 0
    unknown = np.isnan(index.pay_top)
    below = ~unknown & (index.pay_top < floor)
    return mask & ~unknown & ~below, int((mask & unknown).sum()), int((mask & below).sum())


# --- explanations -------------------------------------------------------------------------------


def _matched_terms(index: MatchIndex, doc: int, terms: dict[int, str]) -> tuple[str, ...]:
    """The profile terms that add most to this posting's BM25, best first."""
    found: list[tuple[float, str]] = []
    for term_id, surface in terms.items():
        lo, hi = index.term_starts[term_id], index.term_starts[term_id + 1]
        at = lo + int(np.searchsorted(index.term_docs[lo:hi], doc))
        if at < hi and index.term_docs[at] == doc:
            found.append((float(index.term_weights[at]), surface))
    found.sort(key=lambda pair: -pair[0])
    return tuple(surface for _, surface in found[:MATCHED_TERMS])


def _requirements(index: MatchIndex, doc: int, skills: frozenset[str]) -> tuple[tuple, tuple]:
    named = [
        SkillRequirement(index.skill_names[index.skill_index[i]], index.skill_requirement[i])
        for i in range(index.skill_starts[doc], index.skill_starts[doc + 1])
    ]
    named.sort(key=lambda s: (_REQUIREMENT_ORDER[s.requirement], s.skill_id))
    met = tuple(s for s in named if s.skill_id in skills)
    return met, tuple(s for s in named if s.skill_id not in skills)


def _explain(
    index: MatchIndex,
    doc: int,
    rank: int,
    parts: dict[str, np.ndarray],
    terms: dict[int, str],
    skills: frozenset[str],
) -> JobMatch:
    row = {name: index.postings.column(name)[doc].as_py() for name in index.postings.column_names}
    met, missing = _requirements(index, doc, skills)
    return JobMatch(
        rank=rank,
        posting_id=row["posting_id"],
        title=row["title"],
        company=row["company"],
        url=row["url"],
        location=row["location_text"],
        country_code=row["country_code"],
        city=row["city"],
        work_arrangement=row["work_arrangement"],
        pay_usd_annual_min=row["salary_usd_annual_min"],
        pay_usd_annual_max=row["salary_usd_annual_max"],
        role=row["role"],
        title_role=row["title_role"],
        score=round(float(parts["score"][doc]), 4),
        lexical=round(float(parts["lexical"][doc]), 4),
        bm25=round(float(parts["bm25"][doc]), 3),
        skill_overlap=round(float(parts["skill_overlap"][doc]), 4),
        semantic=round(float(parts["semantic"][doc]), 4) if "semantic" in parts else None,
        met=met,
        missing=missing,
        matched_terms=_matched_terms(index, doc, terms),
    )
