"""The store's schema as an ordered list of migrations. Never edit a released migration: add one."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    description: str
    sql: str


_V1 = """
CREATE TABLE loads (
    load_id VARCHAR PRIMARY KEY,
    source_path VARCHAR NOT NULL,
    file_name VARCHAR NOT NULL,
    file_sha256 VARCHAR NOT NULL,
    file_bytes BIGINT NOT NULL,
    format VARCHAR NOT NULL,
    record_kind VARCHAR NOT NULL,
    field_map JSON,
    rolescope_version VARCHAR NOT NULL,
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    rows_read BIGINT DEFAULT 0,
    rows_loaded BIGINT DEFAULT 0,
    rows_duplicate BIGINT DEFAULT 0,
    rows_near_duplicate BIGINT DEFAULT 0,
    rows_quarantined BIGINT DEFAULT 0
);

CREATE TABLE postings (
    posting_id VARCHAR PRIMARY KEY,
    ingest_seq BIGINT NOT NULL,
    load_id VARCHAR NOT NULL,
    source_line BIGINT NOT NULL,
    source VARCHAR,
    source_id VARCHAR,
    url VARCHAR,
    title VARCHAR NOT NULL,
    company VARCHAR,
    location_text VARCHAR,
    country_code VARCHAR,
    country_codes VARCHAR[],
    region VARCHAR,
    city VARCHAR,
    location_scope VARCHAR,
    work_arrangement VARCHAR,
    posted_at DATE,
    posted_at_precision VARCHAR,
    description VARCHAR,
    salary_text VARCHAR,
    salary_min DOUBLE,
    salary_max DOUBLE,
    salary_currency VARCHAR,
    salary_period VARCHAR,
    salary_usd_annual_min DOUBLE,
    salary_usd_annual_max DOUBLE,
    seniority VARCHAR,
    employment_type VARCHAR,
    company_size VARCHAR,
    company_industry VARCHAR,
    extra JSON,
    simhash UBIGINT,
    near_duplicate_of VARCHAR,
    ingested_at TIMESTAMP NOT NULL
);

CREATE TABLE salary_records (
    salary_record_id VARCHAR PRIMARY KEY,
    content_hash VARCHAR NOT NULL,
    repeat_index INTEGER NOT NULL,
    load_id VARCHAR NOT NULL,
    source_line BIGINT NOT NULL,
    work_year SMALLINT NOT NULL,
    seniority VARCHAR NOT NULL,
    employment_type VARCHAR NOT NULL,
    job_title VARCHAR NOT NULL,
    salary_amount DOUBLE NOT NULL,
    salary_currency VARCHAR NOT NULL,
    salary_usd_annual DOUBLE NOT NULL,
    employee_country VARCHAR,
    company_country VARCHAR,
    remote_ratio SMALLINT,
    work_arrangement VARCHAR,
    company_size VARCHAR,
    ingested_at TIMESTAMP NOT NULL
);

CREATE TABLE quarantine (
    quarantine_id VARCHAR PRIMARY KEY,
    load_id VARCHAR NOT NULL,
    source_path VARCHAR NOT NULL,
    line BIGINT NOT NULL,
    reason VARCHAR NOT NULL,
    raw VARCHAR,
    quarantined_at TIMESTAMP NOT NULL
);

-- The two repeat policies every salary statistic must name (see README, "Repeated salary rows").
CREATE VIEW salary_records_distinct AS SELECT * FROM salary_records WHERE repeat_index = 0;
-- Postings with near-duplicate reposts folded into their first-seen copy.
CREATE VIEW postings_canonical AS SELECT * FROM postings WHERE near_duplicate_of IS NULL;
"""

_V2 = """
-- One row per skill mention found in a posting's description, with the versions that found it.
CREATE TABLE skill_mentions (
    posting_id VARCHAR NOT NULL,
    skill_id VARCHAR NOT NULL,
    start_offset INTEGER NOT NULL,
    end_offset INTEGER NOT NULL,
    surface VARCHAR NOT NULL,
    section VARCHAR NOT NULL,
    requirement VARCHAR,
    is_negated BOOLEAN NOT NULL,
    step_version VARCHAR NOT NULL
);
-- Which enrichment step (and version: extractor + taxonomy) last processed each posting, so a
-- re-run touches only what is new or was processed by an older version.
CREATE TABLE posting_enrichments (
    posting_id VARCHAR NOT NULL,
    step VARCHAR NOT NULL,
    step_version VARCHAR NOT NULL,
    enriched_at TIMESTAMP NOT NULL,
    PRIMARY KEY (posting_id, step)
);
"""

_V3 = """
-- The role classifier's reading of each posting: top role, every role's probability (JSON object),
-- the hybrid flag, the evidence for the top two roles (JSON array), and the title's own role with
-- whether the content disagrees with it.
CREATE TABLE posting_roles (
    posting_id VARCHAR PRIMARY KEY,
    role VARCHAR NOT NULL,
    probabilities VARCHAR NOT NULL,
    hybrid BOOLEAN NOT NULL,
    evidence VARCHAR NOT NULL,
    title_role VARCHAR,
    title_disagrees BOOLEAN NOT NULL,
    step_version VARCHAR NOT NULL
);
"""

_V4 = """
-- The lexical search index behind job matching, written by the enrich step "search". Terms get
-- stable integer ids (search_terms); each posting keeps the ids of its terms (tokenized title and
-- description, title terms counted twice), their counts, and its length in terms. BM25 statistics
-- (document frequencies, mean length) are computed when the index is loaded, over the canonical
-- postings, so indexing a new posting never rewrites another posting's row.
CREATE TABLE search_terms (
    term_id INTEGER PRIMARY KEY,
    term VARCHAR NOT NULL UNIQUE
);
CREATE TABLE posting_terms (
    posting_id VARCHAR PRIMARY KEY,
    term_ids INTEGER[] NOT NULL,
    term_counts INTEGER[] NOT NULL,
    term_total INTEGER NOT NULL,
    step_version VARCHAR NOT NULL
);
"""

_V5 = """
-- Posting embeddings for semantic job matching, written by the enrich step "embeddings" when the
-- optional extra is installed: the shipped static MiniLM model's unit vector for the posting's title
-- and description. 256 wide, the shipped model's width; step_version names the model by its hash.
CREATE TABLE posting_embeddings (
    posting_id VARCHAR PRIMARY KEY,
    vector FLOAT[256] NOT NULL,
    step_version VARCHAR NOT NULL
);
"""

MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "loads, postings, salary_records, quarantine; repeat and repost views", _V1),
    Migration(2, "skill_mentions and posting_enrichments for incremental enrichment", _V2),
    Migration(3, "posting_roles: role probabilities, hybrid flag and evidence per posting", _V3),
    Migration(4, "search_terms and posting_terms: the lexical search index for job matching", _V4),
    Migration(5, "posting_embeddings: static MiniLM vectors for semantic job matching", _V5),
)

SCHEMA_VERSION = MIGRATIONS[-1].version
