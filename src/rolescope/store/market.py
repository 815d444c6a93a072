"""SQL for market insights: pay observations, postings' skills, and what the store holds for them.

Every query returns Arrow tables in a stable order, so statistics computed from them (and the
committed snapshot built from them) are reproducible.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from rolescope.store.connection import fetch_arrow

# The repeat policies salary statistics can name (README, "Repeated salary rows").
REPEAT_POLICIES = ("distinct", "all")

_SURVEY_SQL = """
SELECT 'salary_survey' AS source, job_title AS title, seniority, employee_country AS country,
       CAST(NULL AS VARCHAR) AS metro, work_arrangement AS remote, company_size,
       CAST(work_year AS INTEGER) AS year, salary_usd_annual AS salary_usd_annual, employment_type
FROM {table}
ORDER BY salary_record_id
"""

# A posting's stated pay becomes one observation: the midpoint of its range (or its one figure).
_PAY_MIDPOINT = (
    "CASE WHEN salary_usd_annual_max IS NULL THEN salary_usd_annual_min "
    "WHEN salary_usd_annual_min IS NULL THEN salary_usd_annual_max "
    "ELSE (salary_usd_annual_min + salary_usd_annual_max) / 2 END"
)
_POSTING_SQL = f"""
SELECT 'posting' AS source, title, seniority, country_code AS country,
       CASE WHEN country_code = 'US' THEN city END AS metro, work_arrangement AS remote, company_size,
       CAST(year(posted_at) AS INTEGER) AS year,
       {_PAY_MIDPOINT} AS salary_usd_annual,
       employment_type
FROM postings_canonical
WHERE coalesce(salary_usd_annual_min, salary_usd_annual_max) IS NOT NULL
ORDER BY posting_id
"""


def pay_observations(con: duckdb.DuckDBPyConnection, repeats: str = "distinct") -> pa.Table:
    """Every pay figure in the store, salary records first, then postings that state pay.

    ``repeats``: "distinct" counts a salary row repeated verbatim once; "all" counts every copy.
    """
    if repeats not in REPEAT_POLICIES:
        raise ValueError(f"repeats must be one of {REPEAT_POLICIES}, got {repeats!r}")
    table = "salary_records_distinct" if repeats == "distinct" else "salary_records"
    survey = fetch_arrow(con, _SURVEY_SQL.format(table=table))
    postings = fetch_arrow(con, _POSTING_SQL)
    return pa.concat_tables([survey, postings.cast(survey.schema)])


def posting_skill_table(con: duckdb.DuckDBPyConnection) -> pa.Table:
    """One row per (canonical posting, skill): how strongly the posting asks for it.

    ``requirement`` is "required" if any non-negated mention is required, else "preferred" if any
    is preferred, else "unspecified". Postings without any skill still get a row with a NULL skill,
    so every posting counts in the denominators. Columns: posting_id, title, posted_at, skill_id,
    requirement.
    """
    return fetch_arrow(
        con,
        """
        SELECT p.posting_id, p.title, p.posted_at, m.skill_id,
               CASE WHEN bool_or(m.requirement = 'required') THEN 'required'
                    WHEN bool_or(m.requirement = 'preferred') THEN 'preferred'
                    WHEN m.skill_id IS NULL THEN NULL ELSE 'unspecified' END AS requirement
        FROM postings_canonical p
        LEFT JOIN skill_mentions m ON m.posting_id = p.posting_id AND NOT m.is_negated
        GROUP BY p.posting_id, p.title, p.posted_at, m.skill_id
        ORDER BY p.posting_id, m.skill_id
        """,
    )


def skill_enrichment_state(con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    """(canonical postings, of which processed by the skills step): demand needs both equal."""
    row = con.execute(
        "SELECT count(*), count(e.posting_id) FROM postings_canonical p "
        "LEFT JOIN posting_enrichments e ON e.posting_id = p.posting_id AND e.step = 'skills'"
    ).fetchone()
    return int(row[0]), int(row[1])


def market_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """How much market data the store holds: salary rows (all and distinct), postings, paid postings."""
    row = con.execute(
        "SELECT (SELECT count(*) FROM salary_records), (SELECT count(*) FROM salary_records_distinct), "
        "(SELECT count(*) FROM postings_canonical), "
        "(SELECT count(*) FROM postings_canonical "
        " WHERE coalesce(salary_usd_annual_min, salary_usd_annual_max) IS NOT NULL)"
    ).fetchone()
    keys = ("salary_records", "salary_records_distinct", "postings", "postings_with_pay")
    return dict(zip(keys, (int(v) for v in row), strict=True))


def paid_posting_skills(con: duckdb.DuckDBPyConnection) -> pa.Table:
    """Canonical postings that state pay, one row per (posting, skill asked for), for pay premiums.

    Postings with no skill get one row with a NULL skill. Columns: posting_id, title, seniority,
    country, remote, salary_usd_annual, skill_id.
    """
    return fetch_arrow(
        con,
        f"""
        SELECT p.posting_id, p.title, p.seniority, p.country_code AS country, p.work_arrangement AS remote,
               {_PAY_MIDPOINT} AS salary_usd_annual,
               m.skill_id
        FROM postings_canonical p
        LEFT JOIN (SELECT DISTINCT posting_id, skill_id FROM skill_mentions WHERE NOT is_negated) m
               ON m.posting_id = p.posting_id
        WHERE coalesce(p.salary_usd_annual_min, p.salary_usd_annual_max) IS NOT NULL
        ORDER BY p.posting_id, m.skill_id
        """,
    )


def loaded_files(con: duckdb.DuckDBPyConnection) -> list[dict[str, object]]:
    """The files behind the store's data (name, SHA-256, kind, rows loaded), for provenance."""
    rows = con.execute(
        "SELECT file_name, file_sha256, record_kind, sum(rows_loaded) FROM loads "
        "WHERE finished_at IS NOT NULL GROUP BY ALL ORDER BY file_name, file_sha256"
    ).fetchall()
    return [{"file": r[0], "sha256": r[1], "kind": r[2], "rows_loaded": int(r[3])} for r in rows]


def distinct_titles(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every distinct title among salary records and canonical postings."""
    rows = con.execute(
        "SELECT job_title FROM salary_records UNION SELECT title FROM postings_canonical ORDER BY 1"
    ).fetchall()
    return [r[0] for r in rows if r[0] is not None]


def posting_skill_sets(con: duckdb.DuckDBPyConnection) -> pa.Table:
    """One row per canonical posting: its title, seniority and the skills it asks for (not negated).

    ``skills`` is a sorted list (empty when the posting names none). Columns: posting_id, title,
    seniority, skills.
    """
    return fetch_arrow(
        con,
        """
        SELECT p.posting_id, p.title, p.seniority,
               coalesce(list_sort(list(DISTINCT m.skill_id) FILTER (WHERE m.skill_id IS NOT NULL)),
                        []::VARCHAR[]) AS skills
        FROM postings_canonical p
        LEFT JOIN skill_mentions m ON m.posting_id = p.posting_id AND NOT m.is_negated
        GROUP BY p.posting_id, p.title, p.seniority
        ORDER BY p.posting_id
        """,
    )
