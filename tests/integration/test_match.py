"""Job matching on real stores built by the real ingest and enrich code (made-up postings, see below).

The postings are written here, in rolescope's shared postings format: an LLM/RAG job (remote, US,
$180-220k), a Spark/ETL data engineering job (hybrid, Berlin, in euros), a computer-vision job
(on-site, San Francisco, no pay stated), a frontend job (London, in pounds), a repost of the LLM
job (same ad, location written another way) that must be folded into the first copy, an MLOps job
(remote worldwide, no pay) and an NLP job open in Canada or Poland ($120-140k). Semantic matching
(the optional extra) adds a speech-to-text job written without the words a speech profile uses, and
a pastry chef's job.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import numpy as np
import pytest

from rolescope.advise.match import (
    SEMANTIC_WEIGHTS,
    MatchFilters,
    MatchResult,
    SkillRequirement,
    load_match_index,
    match_jobs,
)
from rolescope.enrich import embeddings
from rolescope.enrich.pipeline import enrich_roles, enrich_skills
from rolescope.enrich.roles.model import default_model
from rolescope.enrich.search_index import SEARCH_STEP, enrich_search_index
from rolescope.errors import Interrupted, InvalidInput, NotFound, NotReady
from rolescope.ingest.pipeline import IngestOptions, detect_all, ingest_sources
from rolescope.store import connect
from tests.conftest import run_cli

LLM_AD = """We are building an assistant that answers questions over millions of legal documents.
You will design retrieval-augmented generation (RAG) pipelines, evaluate large language models and ship LLM features to customers.
You will tune prompts, build evaluation sets with lawyers and measure hallucination rates every week.
Our stack: LangChain, a vector database (pgvector), OpenAI and open-weight models served on our own GPUs.

Requirements:
- 3+ years of Python
- Hands-on experience with LangChain and retrieval-augmented generation
- Experience with prompt engineering and LLM evaluation

Nice to have:
- Kubernetes
- Experience fine-tuning models with PyTorch

We offer a learning budget, parental leave and a yearly retreat. Salary is shared in the first call."""

ETL_AD = """Our data platform team moves billions of events a day from mobile apps into the warehouse.
You will build and operate batch and streaming ETL pipelines, model data for analysts and keep our SLAs green.
You will own data quality checks and on-call for the ingestion jobs, one week in six.

Requirements:
- Apache Spark and Scala or Python
- Apache Airflow for orchestration
- Strong SQL and data modeling for a Snowflake warehouse

Nice to have:
- Apache Kafka
- dbt

We are a team of eight engineers spread across Berlin and Munich."""

CV_AD = """We build perception for warehouse robots that pick and pack parcels.
You will train computer vision models with PyTorch, label data with our operations team and deploy models to edge devices.
You will profile inference on GPUs and shrink models with quantization so they run at thirty frames a second.

Requirements:
- PyTorch and deep learning for computer vision
- Python and C++
- Experience with CUDA"""

WEB_AD = """Join our design system team and build the components every product page uses.
You will write accessible React components in TypeScript, review designs and improve page speed.
You will pair with designers and keep our component library documented.

Requirements:
- React and TypeScript
- CSS and accessibility"""

MLOPS_AD = """Our platform team runs the training and serving infrastructure for forty data scientists.
You will build CI/CD for models, run MLflow and Kubeflow on Kubernetes and keep model monitoring honest.
You will write Terraform for our cloud accounts and help teams ship models without tickets.

Requirements:
- Kubernetes and Docker
- MLflow or Kubeflow
- Terraform"""

NLP_AD = """We build translation and search for customer support in thirty languages.
You will train multilingual transformer models with Hugging Face, evaluate them with linguists and serve them at low latency.

Requirements:
- Natural language processing with transformers
- Hugging Face and PyTorch
- Python"""

POSTINGS = [
    ("llm-1", "LLM Engineer", "Lexa", "Remote - United States", "$180,000 - $220,000", LLM_AD),
    (
        "etl-1",
        "Data Engineer (Spark, ETL)",
        "Shopflow",
        "Berlin, Germany (Hybrid)",
        "€70,000 - €90,000",
        ETL_AD,
    ),
    ("cv-1", "Computer Vision Engineer", "Pickbot", "San Francisco, CA (On-site)", None, CV_AD),
    ("web-1", "Frontend Engineer", "Pagely", "London, United Kingdom", "£60,000 - £75,000", WEB_AD),
    ("llm-1-repost", "LLM Engineer", "Lexa", "United States (Remote)", "$180,000 - $220,000", LLM_AD),
    ("mlops-1", "MLOps Engineer", "Orbit", "Remote - Worldwide", None, MLOPS_AD),
    (
        "nlp-1",
        "NLP Engineer",
        "Polyglot",
        "Toronto, Canada or Warsaw, Poland",
        "USD 120,000 - 140,000",
        NLP_AD,
    ),
]

LLM_PROFILE = (
    "AI engineer. Three years building LLM applications: retrieval-augmented generation over company "
    "documents with LangChain and a vector database, prompt design and evaluation of language models. "
    "Python every day; some PyTorch."
)
LLM_SKILLS = {"python", "rag", "langchain", "llms", "pytorch"}
ETL_PROFILE = (
    "Data engineer with five years of batch and streaming ETL pipelines: Apache Spark in Scala, Airflow "
    "orchestration, SQL modeling in Snowflake, Kafka ingestion."
)
ETL_SKILLS = {"apache_spark", "scala", "apache_airflow", "sql", "snowflake", "apache_kafka", "etl"}


def _write_jsonl(path: Path, rows: list[tuple]) -> Path:
    lines = [
        json.dumps(
            {
                "source": "test",
                "source_id": sid,
                "title": title,
                "company": company,
                "location": location,
                "posted_at": "2025-06",
                "salary_text": pay,
                "description": text,
                "url": None,
                "extra": {},
            }
        )
        for sid, title, company, location, pay, text in rows
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _ingest(db: Path, jsonl: Path) -> None:
    con = connect(db)
    try:
        ingest_sources(con, detect_all([jsonl], IngestOptions()), IngestOptions())
    finally:
        con.close()


def _enrich(db: Path) -> int:
    """Run skills, roles and search as `rolescope enrich` does (not embeddings); returns postings indexed."""
    con = connect(db)
    try:
        enrich_skills(con)
        enrich_roles(con, default_model())
        return enrich_search_index(con).processed
    finally:
        con.close()


def _match(db: Path, text: str, skills: set[str], top: int = 10, **filters: object) -> MatchResult:
    con = connect(db, read_only=True)
    try:
        return match_jobs(con, text, skills, filters=MatchFilters(**filters), top=top)  # type: ignore[arg-type]
    finally:
        con.close()


def _ids(db: Path) -> dict[str, str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return dict(con.execute("SELECT source_id, posting_id FROM postings").fetchall())
    finally:
        con.close()


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("match")
    db = folder / "store.duckdb"
    _ingest(db, _write_jsonl(folder / "postings.jsonl", POSTINGS))
    assert _enrich(db) == len(POSTINGS)
    return db


@pytest.fixture(scope="module")
def by_source(store: Path) -> dict[str, str]:
    return _ids(store)


def _ranked(result: MatchResult, by_source: dict[str, str]) -> list[str]:
    names = {pid: sid for sid, pid in by_source.items()}
    return [names[m.posting_id] for m in result.matches]


def test_llm_profile_ranks_llm_posting_first_and_etl_profile_the_etl_one(
    store: Path, by_source: dict[str, str]
) -> None:
    llm = _match(store, LLM_PROFILE, LLM_SKILLS)
    etl = _match(store, ETL_PROFILE, ETL_SKILLS)
    llm_order, etl_order = _ranked(llm, by_source), _ranked(etl, by_source)
    assert llm_order[0] == "llm-1"
    assert llm_order.index("llm-1") < llm_order.index("etl-1")
    assert etl_order[0] == "etl-1"
    assert "llm-1" not in etl_order[:1]
    top = llm.matches[0]
    assert top.score > llm.matches[1].score
    assert top.lexical == 1.0  # the best lexical match in the store
    assert top.score == pytest.approx(0.5 * top.lexical + 0.5 * top.skill_overlap, abs=1e-3)
    assert {"langchain", "rag"} & set(top.matched_terms)
    assert llm.weights == {"lexical": 0.5, "skills": 0.5}
    payload = json.loads(json.dumps(llm.to_dict()))
    assert payload["matches"][0]["met"][0] == {"skill_id": "langchain", "requirement": "required"}
    assert (payload["semantic"], payload["filters"]["arrangements"]) == ("off", [])


def test_index_is_loaded_once_per_store_state(store: Path) -> None:
    con = connect(store, read_only=True)
    try:
        assert load_match_index(con) is load_match_index(con)
    finally:
        con.close()


def test_only_canonical_postings_are_ranked(store: Path, by_source: dict[str, str]) -> None:
    result = _match(store, LLM_PROFILE + " " + ETL_PROFILE, LLM_SKILLS | ETL_SKILLS)
    ranked = _ranked(result, by_source)
    assert "llm-1" in ranked and "llm-1-repost" not in ranked
    assert result.postings == len(POSTINGS) - 1


def _expected_requirements(store: Path, posting_id: str) -> dict[str, str | None]:
    """The posting's unnegated skills and their strongest marking, read straight from the store."""
    con = duckdb.connect(str(store), read_only=True)
    rows = con.execute(
        "SELECT skill_id, list(DISTINCT requirement) FROM skill_mentions "
        "WHERE posting_id = ? AND NOT is_negated GROUP BY skill_id",
        [posting_id],
    ).fetchall()
    con.close()
    strongest = {}
    for skill, marks in rows:
        strongest[skill] = (
            "required" if "required" in marks else "preferred" if "preferred" in marks else None
        )
    return strongest


def test_explanation_lists_met_and_missing_requirements(store: Path, by_source: dict[str, str]) -> None:
    match = _match(store, LLM_PROFILE, LLM_SKILLS).matches[0]
    assert match.posting_id == by_source["llm-1"]
    expected = _expected_requirements(store, match.posting_id)
    assert {s.skill_id: s.requirement for s in match.met} == {
        k: v for k, v in expected.items() if k in LLM_SKILLS
    }
    assert {s.skill_id: s.requirement for s in match.missing} == {
        k: v for k, v in expected.items() if k not in LLM_SKILLS
    }
    assert SkillRequirement("python", "required") in match.met
    assert SkillRequirement("pytorch", "preferred") in match.met
    assert SkillRequirement("kubernetes", "preferred") in match.missing
    order = {"required": 0, None: 1, "preferred": 2}
    ranks = [order[s.requirement] for s in match.missing]
    assert ranks == sorted(ranks) and ranks[0] == 0  # required first
    weight = {"required": 2.0, None: 1.5, "preferred": 1.0}
    met = sum(weight[s.requirement] for s in match.met)
    total = met + sum(weight[s.requirement] for s in match.missing)
    assert match.skill_overlap == pytest.approx(met / (total + 2.0), abs=1e-4)
    assert (match.title, match.company, match.role) == ("LLM Engineer", "Lexa", "ai_engineer")
    assert (match.pay_usd_annual_min, match.pay_usd_annual_max) == (180_000, 220_000)


EVERY_TOPIC = (
    LLM_PROFILE + " " + ETL_PROFILE + " PyTorch computer vision; React and TypeScript components; "
    "MLflow on Kubernetes; multilingual transformers."
)


@pytest.mark.parametrize(
    ("filters", "allowed"),
    [
        ({"arrangements": frozenset({"remote"})}, {"llm-1", "mlops-1"}),
        ({"arrangements": frozenset({"hybrid", "onsite"})}, {"etl-1", "cv-1"}),
        ({"country": "DE"}, {"etl-1", "mlops-1"}),
        ({"country": "united kingdom"}, {"web-1", "mlops-1"}),
        ({"country": "US"}, {"llm-1", "cv-1", "mlops-1"}),
        ({"country": "pl"}, {"nlp-1", "mlops-1"}),
        ({"country": "US", "arrangements": frozenset({"remote"})}, {"llm-1", "mlops-1"}),
        ({"city": "san francisco"}, {"cv-1"}),
        ({"location": "berlin"}, {"etl-1"}),
        ({"location": "POLAND"}, {"nlp-1"}),
    ],
)
def test_filters_keep_only_matching_postings(
    store: Path, by_source: dict[str, str], filters: dict, allowed: set[str]
) -> None:
    everything = _match(store, EVERY_TOPIC, set())
    assert set(_ranked(everything, by_source)) == {"llm-1", "etl-1", "cv-1", "web-1", "mlops-1", "nlp-1"}
    result = _match(store, EVERY_TOPIC, set(), **filters)
    assert set(_ranked(result, by_source)) == allowed
    assert result.candidates == len(allowed)


@pytest.mark.parametrize("role", ["ai_engineer", "ML engineer", "data-engineer", "other"])
def test_role_filter_follows_the_classifier(store: Path, by_source: dict[str, str], role: str) -> None:
    con = duckdb.connect(str(store), read_only=True)
    expected = {
        sid
        for (sid,) in con.execute(
            "SELECT p.source_id FROM postings_canonical p JOIN posting_roles r USING (posting_id) "
            "WHERE r.role = ?",
            [role.lower().replace(" ", "_").replace("-", "_")],
        ).fetchall()
    }
    con.close()
    assert expected and len(expected) < 6
    result = _match(store, EVERY_TOPIC, set(), role=role)
    assert set(_ranked(result, by_source)) == expected
    assert {m.role for m in result.matches} == {result.filters.role}


def test_pay_floor_excludes_postings_without_pay_and_counts_them(
    store: Path, by_source: dict[str, str]
) -> None:
    result = _match(store, EVERY_TOPIC, set(), min_pay_usd=150_000)
    assert _ranked(result, by_source) == ["llm-1"]
    assert (result.excluded_no_pay, result.excluded_below_pay, result.candidates) == (2, 3, 1)
    # The floor is met at the top of the range: ETL pays about 79-101k USD a year.
    result = _match(store, ETL_PROFILE, ETL_SKILLS, min_pay_usd=100_000, country="DE")
    assert _ranked(result, by_source) == ["etl-1"]
    assert (result.excluded_no_pay, result.excluded_below_pay) == (1, 0)  # mlops-1: worldwide, no pay
    result = _match(store, ETL_PROFILE, ETL_SKILLS, min_pay_usd=102_000, country="DE")
    assert result.matches == () and result.excluded_below_pay == 1


def test_text_only_and_skills_only_profiles_renormalise_weights(
    store: Path, by_source: dict[str, str]
) -> None:
    skills_only = _match(store, "", ETL_SKILLS)
    assert skills_only.weights == {"skills": 1.0}
    assert _ranked(skills_only, by_source)[0] == "etl-1"
    assert all(m.score == m.skill_overlap for m in skills_only.matches)
    text_only = _match(store, ETL_PROFILE, set())
    assert text_only.weights == {"lexical": 1.0}
    assert text_only.matches[0].score == 1.0


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"text": "", "skills": set()}, InvalidInput, "nothing to match"),
        ({"text": "zzzqqq xxyyzz", "skills": set()}, InvalidInput, "no word of the profile"),
        ({"filters": MatchFilters(role="astronaut")}, NotFound, "unknown role"),
        ({"filters": MatchFilters(arrangements=frozenset({"moon"}))}, InvalidInput, "work arrangement"),
        ({"filters": MatchFilters(country="Narnia")}, InvalidInput, "unknown country"),
        ({"filters": MatchFilters(min_pay_usd=-5)}, InvalidInput, "pay floor"),
        ({"top": 0}, InvalidInput, "top must be"),
    ],
)
def test_bad_input_is_a_one_line_error(store: Path, kwargs: dict, error: type, words: str) -> None:
    call = {"text": LLM_PROFILE, "skills": LLM_SKILLS, **kwargs}
    con = connect(store, read_only=True)
    try:
        with pytest.raises(error) as caught:
            match_jobs(con, call.pop("text"), call.pop("skills"), **call)
    finally:
        con.close()
    assert words in caught.value.message
    assert "\n" not in caught.value.one_line()


def test_not_ready_errors_name_the_command_to_run(tmp_path: Path) -> None:
    db = tmp_path / "store.duckdb"
    connect(db).close()
    with pytest.raises(NotReady) as caught:
        _match(db, LLM_PROFILE, LLM_SKILLS)
    assert "rolescope ingest" in caught.value.hint
    _ingest(db, _write_jsonl(tmp_path / "a.jsonl", POSTINGS[:2]))
    with pytest.raises(NotReady) as caught:
        _match(db, LLM_PROFILE, LLM_SKILLS)
    assert "no search index" in caught.value.message
    assert caught.value.hint == f"build it: rolescope enrich --db {db}"
    _enrich(db)
    assert _match(db, LLM_PROFILE, LLM_SKILLS).matches
    _ingest(db, _write_jsonl(tmp_path / "b.jsonl", POSTINGS[2:3]))
    with pytest.raises(NotReady) as caught:
        _match(db, LLM_PROFILE, LLM_SKILLS)
    assert "out of date: 1 of 3 postings" in caught.value.message
    assert f"rolescope enrich --db {db}" in caught.value.hint


def _search_state(db: Path) -> tuple[int, int, bool]:
    """(postings marked indexed, posting_terms rows, every stored term id has a vocabulary row)."""
    con = duckdb.connect(str(db), read_only=True)
    done = con.execute("SELECT count(*) FROM posting_enrichments WHERE step = ?", [SEARCH_STEP]).fetchone()[0]
    rows = con.execute("SELECT count(*) FROM posting_terms").fetchone()[0]
    dangling = con.execute(
        "SELECT count(*) FROM (SELECT unnest(term_ids) AS term_id FROM posting_terms) t "
        "ANTI JOIN search_terms s USING (term_id)"
    ).fetchone()[0]
    con.close()
    return done, rows, dangling == 0


def test_cli_enrich_builds_the_index_incrementally_and_matching_sees_new_postings(tmp_path: Path) -> None:
    db = tmp_path / "store.duckdb"
    _ingest(db, _write_jsonl(tmp_path / "a.jsonl", POSTINGS[:4]))
    first = run_cli("enrich", "--format", "json", db=db)
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["search"] == {
        "step": "search",
        "version": "search.terms.v1",
        "pending": 4,
        "processed": 4,
        "term_counts": _search_terms_written(db),
    }
    again = run_cli("enrich", "--format", "json", db=db)
    assert json.loads(again.stdout)["search"]["processed"] == 0
    before = _match(db, "Rust embedded firmware for drones", {"rust"})
    assert all(m.company != "Aerofly" for m in before.matches)

    drone = ("drone-1", "Embedded Rust Engineer", "Aerofly", "Remote - Europe", None,
             "Write embedded firmware in Rust for our drones. Requirements: Rust, embedded systems.")  # fmt: skip
    _ingest(db, _write_jsonl(tmp_path / "b.jsonl", [drone]))
    assert _enrich(db) == 1
    assert _search_state(db) == (5, 5, True)
    after = _match(db, "Rust embedded firmware for drones", {"rust"})
    assert after.matches[0].company == "Aerofly"
    assert SkillRequirement("rust", "required") in after.matches[0].met


def _search_terms_written(db: Path) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT sum(len(term_ids)) FROM posting_terms").fetchone()[0]
    finally:
        con.close()


def test_interrupted_index_keeps_finished_batches_and_resumes(tmp_path: Path) -> None:
    db = tmp_path / "store.duckdb"
    _ingest(db, _write_jsonl(tmp_path / "a.jsonl", POSTINGS[:4]))
    con = connect(db)

    def stop_after_two(done: int, total: int) -> None:
        if done == 2:
            raise KeyboardInterrupt

    try:
        with pytest.raises(Interrupted) as caught:
            enrich_search_index(con, batch_rows=1, progress=stop_after_two)
    finally:
        con.close()
    assert "2 of 4" in caught.value.message
    assert _search_state(db) == (2, 2, True)
    con = connect(db)
    try:
        assert enrich_search_index(con, batch_rows=1).processed == 2
    finally:
        con.close()
    assert _search_state(db) == (4, 4, True)


# --- semantic matching (the optional extra) ---------------------------------------------------------

needs_semantic = pytest.mark.skipif(
    not embeddings.available(),
    reason='semantic matching is an optional extra: pip install "rolescope[semantic]"',
)

# Shares no word with SPEECH_PROFILE (after tokenizing) and names no skill; says what it means.
VOICE_AD = """Create software that converts what people say on phone calls and in meetings into written words, automatically.
You will improve listening accuracy for accents and noisy rooms, and ship it to our customers."""
BAKERY_AD = """Bake croissants, bread and cakes for our cafe every morning.
Manage the oven schedule, order flour and butter, and keep the kitchen clean."""
SEMANTIC_POSTINGS = [
    ("voice-1", "Voice Transcription Developer", "Scribely", "Remote - United States", None, VOICE_AD),
    ("bakery-1", "Pastry Chef", "Crumb", "Paris, France", None, BAKERY_AD),
]
SPEECH_PROFILE = "Speech recognition engineer: I build models that turn spoken audio into text."


def _embed(db: Path, **kwargs: object) -> int:
    """The embeddings step, as `rolescope enrich` runs it when the extra is installed."""
    from rolescope.enrich.embedding_index import enrich_embeddings

    con = connect(db)
    try:
        return enrich_embeddings(con, **kwargs).processed  # type: ignore[arg-type]
    finally:
        con.close()


@pytest.fixture(scope="module")
def semantic_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("semantic")
    db = folder / "store.duckdb"
    _ingest(db, _write_jsonl(folder / "postings.jsonl", POSTINGS + SEMANTIC_POSTINGS))
    _enrich(db)
    return db


@needs_semantic
def test_semantic_matching_ranks_a_paraphrase_above_an_unrelated_posting(semantic_store: Path) -> None:
    by_source = _ids(semantic_store)
    profile_terms = set(_match(semantic_store, SPEECH_PROFILE, set()).query_terms)
    assert profile_terms and not profile_terms & set(VOICE_AD.lower().split())
    off = _match(semantic_store, SPEECH_PROFILE, set(), top=20)
    assert off.semantic == "off" and all(m.semantic is None for m in off.matches)
    assert "no posting embeddings yet" in off.semantic_note
    assert f"rolescope enrich --db {semantic_store}" in off.semantic_note
    assert not {"voice-1", "bakery-1"} & set(_ranked(off, by_source))  # no word or skill in common

    assert _embed(semantic_store) == len(POSTINGS + SEMANTIC_POSTINGS)
    on = _match(semantic_store, SPEECH_PROFILE, set(), top=20)
    assert on.semantic == "on" and "semantic matching is on" in on.semantic_note
    assert on.weights == pytest.approx({"lexical": 2 / 3, "semantic": 1 / 3})
    ranked = _ranked(on, by_source)
    # Found by meaning alone, and the closest in meaning of all postings; the bakery job is further
    # than the median posting, so it scores 0 and is not listed.
    voice = on.matches[ranked.index("voice-1")]
    assert (voice.lexical, voice.skill_overlap, voice.matched_terms) == (0.0, 0.0, ())
    assert voice.semantic == 1.0 and voice.score == pytest.approx(1 / 3, abs=1e-3)
    assert "bakery-1" not in ranked
    vectors = _embedding_rows(semantic_store)
    profile = embeddings.embed([SPEECH_PROFILE])[0]
    assert profile @ vectors[by_source["voice-1"]] > profile @ vectors[by_source["bakery-1"]] + 0.1
    for m in on.matches:
        assert m.score == pytest.approx(2 / 3 * m.lexical + 1 / 3 * m.semantic, abs=1e-3)


@needs_semantic
def test_semantic_weights_with_skills_and_without_profile_text(semantic_store: Path) -> None:
    by_source = _ids(semantic_store)
    _embed(semantic_store)  # a no-op when the test above ran first
    result = _match(semantic_store, LLM_PROFILE, LLM_SKILLS)
    assert result.semantic == "on" and result.weights == SEMANTIC_WEIGHTS
    assert _ranked(result, by_source)[0] == "llm-1"
    for m in result.matches:
        expected = 0.4 * m.lexical + 0.4 * m.skill_overlap + 0.2 * m.semantic
        assert m.score == pytest.approx(expected, abs=1e-3)
    payload = json.loads(json.dumps(result.to_dict()))
    assert payload["semantic"] == "on" and isinstance(payload["matches"][0]["semantic"], float)
    skills_only = _match(semantic_store, "", ETL_SKILLS)
    assert (skills_only.semantic, skills_only.weights) == ("off", {"skills": 1.0})
    assert "no text the index knows" in skills_only.semantic_note


@needs_semantic
def test_semantic_matching_turns_off_while_embeddings_are_out_of_date(tmp_path: Path) -> None:
    db = tmp_path / "store.duckdb"
    _ingest(db, _write_jsonl(tmp_path / "a.jsonl", POSTINGS[:3]))
    _enrich(db)
    assert _embed(db) == 3
    before = _match(db, LLM_PROFILE, LLM_SKILLS)
    assert before.semantic == "on"
    _ingest(db, _write_jsonl(tmp_path / "b.jsonl", POSTINGS[5:6]))
    _enrich(db)  # skills, roles and search, but no embeddings
    stale = _match(db, LLM_PROFILE, LLM_SKILLS)
    assert stale.semantic == "off" and stale.weights == {"lexical": 0.5, "skills": 0.5}
    assert "out of date (1 of 4 postings" in stale.semantic_note
    assert f"rolescope enrich --db {db}" in stale.semantic_note
    # Off means exactly the lexical + skills ranking.
    assert [(m.posting_id, m.score) for m in stale.matches] == [
        (m.posting_id, round(0.5 * m.lexical + 0.5 * m.skill_overlap, 4)) for m in stale.matches
    ]
    assert _embed(db) == 1
    assert _match(db, LLM_PROFILE, LLM_SKILLS).semantic == "on"


def _embedding_rows(db: Path) -> dict[str, np.ndarray]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute("SELECT posting_id, vector FROM posting_embeddings").fetchall()
    finally:
        con.close()
    return {pid: np.array(vector, dtype=np.float32) for pid, vector in rows}


@needs_semantic
def test_cli_enrich_embeds_postings_incrementally(tmp_path: Path) -> None:
    db = tmp_path / "store.duckdb"
    _ingest(db, _write_jsonl(tmp_path / "a.jsonl", POSTINGS[:4]))
    first = run_cli("enrich", "--format", "json", db=db)
    assert first.returncode == 0, first.stderr
    version = embeddings.model_version()
    assert json.loads(first.stdout)["embeddings"] == {
        "step": "embeddings",
        "version": version,
        "pending": 4,
        "processed": 4,
    }
    again = run_cli("enrich", db=db)
    assert again.returncode == 0, again.stderr
    assert f"Embeddings: nothing to do, every posting is embedded by {version}." in again.stdout

    _ingest(db, _write_jsonl(tmp_path / "b.jsonl", POSTINGS[5:6]))
    before = _embedding_rows(db)
    third = json.loads(run_cli("enrich", "--format", "json", db=db).stdout)["embeddings"]
    assert (third["pending"], third["processed"]) == (1, 1)
    after = _embedding_rows(db)
    assert len(after) == 5 and all(np.array_equal(after[pid], v) for pid, v in before.items())
    ids = _ids(db)
    mlops = after[ids["mlops-1"]]
    expected = embeddings.embed([embeddings.posting_text("MLOps Engineer", MLOPS_AD)])[0]
    assert np.allclose(mlops, expected, atol=1e-6) and abs(float(mlops @ mlops) - 1) < 1e-5


@needs_semantic
def test_interrupted_embeddings_keep_finished_batches_and_resume(tmp_path: Path) -> None:
    db = tmp_path / "store.duckdb"
    _ingest(db, _write_jsonl(tmp_path / "a.jsonl", POSTINGS[:4]))

    def stop_after_two(done: int, total: int) -> None:
        if done == 2:
            raise KeyboardInterrupt

    with pytest.raises(Interrupted) as caught:
        _embed(db, batch_rows=1, progress=stop_after_two)
    assert "embedding 2 of 4" in caught.value.message
    assert len(_embedding_rows(db)) == 2
    assert _embed(db, batch_rows=1) == 2
    assert len(_embedding_rows(db)) == 4


# --- through the CLI: `rolescope advise match` ----------------------------------------------------


def test_cli_match_ranks_the_llm_job_first_with_its_requirements(store: Path, tmp_path: Path) -> None:
    resume = tmp_path / "cv.md"
    resume.write_text(
        "Backend engineer. Built retrieval-augmented generation features with LangChain, pgvector and "
        "prompt engineering; Python every day.",
        encoding="utf-8",
    )
    done = run_cli("advise", "match", "--profile", str(resume), "--format", "json", "--top", "3", db=store)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    first = result["matches"][0]
    assert (first["title"], first["company"]) == ("LLM Engineer", "Lexa")
    assert {r["skill_id"] for r in first["met"]} >= {"langchain", "rag", "python"}
    assert result["postings"] >= 6 and result["semantic"] == "off"
    table = run_cli("advise", "match", "--profile", str(resume), "--arrangement", "remote", db=store)
    assert table.returncode == 0, table.stderr
    assert "you have" in table.stdout and "missing" in table.stdout and "pass the filters" in table.stdout


def test_cli_match_errors_are_one_line(store: Path, tmp_path: Path) -> None:
    resume = tmp_path / "cv.txt"
    resume.write_text("Python and SQL.", encoding="utf-8")
    no_store = run_cli("advise", "match", "--profile", str(resume), "--db", str(tmp_path / "none.duckdb"))
    assert (
        no_store.returncode != 0 and "no store at" in no_store.stderr and "Traceback" not in no_store.stderr
    )
    bad = run_cli("advise", "match", "--profile", str(resume), "--arrangement", "moon", db=store)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1
