"""Repost detection in a real store: same ad and title fold together; same template, other job stays apart."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from rolescope.ingest.pipeline import IngestOptions, detect_all, ingest_sources
from rolescope.store import connect

# A made-up ad of realistic length (~300 words; real descriptions run 150-1,000).
AD = " ".join(
    [
        "Join our mobile team to build the apps millions of shoppers use every day.",
        "You will own features end to end, from design reviews to release, and work closely with product and design.",
        "You will mentor other engineers and keep our crash-free rate above ninety nine percent.",
        "We value clear writing, careful testing and kindness in code review.",
        "Our stack is Kotlin and Swift on the clients, with a GraphQL gateway in front of services written in Go.",
        "We ship every week behind feature flags and watch our dashboards closely after each release.",
        "On call is shared across the team, one week in eight, with a generous allowance and quiet follow-up days.",
        "In your first month you will pair with a buddy, ship a small fix and meet the people you will work with most.",
        "By the end of your first quarter you will lead a feature from idea to launch.",
        "You have built and shipped at least one app that real customers use, and you can explain its trade-offs.",
        "You are comfortable with automated tests, continuous integration and reading crash reports.",
        "Experience with accessibility, offline storage or payments is a plus but not required.",
        "We hire across Latin America and Europe and keep four core hours of overlap for meetings.",
        "The interview has four steps: a call with a recruiter, a take-home exercise, a technical discussion "
        "about your exercise, and a conversation with two future teammates.",
        "We answer every applicant within ten working days.",
        "Benefits include remote work, a learning budget, parental leave and a yearly team retreat in the mountains.",
        "We provide a laptop of your choice and a stipend for your home office.",
        "Salary bands are shared in the first call, and equity is offered to every permanent employee.",
        "We are an equal opportunity employer and welcome applicants of every background.",
        "If you need an adjustment during the process, tell us and we will make it.",
    ]
)


def _load(db: Path, tmp_path: Path, name: str, ads: list[tuple[str, str]]) -> dict[str, str | None]:
    path = tmp_path / name
    path.write_text(
        "".join(
            json.dumps(
                {
                    "source": "test",
                    "source_id": f"{name}-{i}",
                    "title": title,
                    "company": "Shopco",
                    "description": text,
                }
            )
            + "\n"
            for i, (title, text) in enumerate(ads)
        )
    )
    con = connect(db)
    ingest_sources(con, detect_all([path], IngestOptions()), IngestOptions())
    con.close()
    ro = duckdb.connect(str(db), read_only=True)
    rows = ro.execute(
        "SELECT p.title, c.title FROM postings p LEFT JOIN postings c "
        "ON p.near_duplicate_of = c.posting_id ORDER BY p.ingest_seq"
    ).fetchall()
    ro.close()
    return dict(rows)


def test_reposts_fold_and_template_siblings_stay_apart(db_path: Path, tmp_path: Path) -> None:
    found = _load(
        db_path,
        tmp_path,
        "a.jsonl",
        [
            ("Senior Mobile Engineer (Colombia)", AD),
            ("Senior Mobile Engineer (Argentina)", AD + " Apply now."),
            ("Senior iOS Engineer", AD),
            ("Senior Android Engineer", AD),
        ],
    )
    assert found["Senior Mobile Engineer (Argentina)"] == "Senior Mobile Engineer (Colombia)"
    assert found["Senior Mobile Engineer (Colombia)"] is None
    assert found["Senior iOS Engineer"] is None and found["Senior Android Engineer"] is None


def test_reposts_across_loads_point_at_the_first_copy(db_path: Path, tmp_path: Path) -> None:
    _load(db_path, tmp_path, "first.jsonl", [("Mobile Engineer", AD)])
    found = _load(
        db_path,
        tmp_path,
        "second.jsonl",
        [
            ("Mobile Engineer", AD + " Apply now."),
            ("Mobile Engineer (Remote)", AD + " Apply now. We reply within a week."),
        ],
    )
    assert found["Mobile Engineer (Remote)"] == "Mobile Engineer"
    con = duckdb.connect(str(db_path), read_only=True)
    roots = con.execute(
        "SELECT DISTINCT near_duplicate_of FROM postings WHERE near_duplicate_of IS NOT NULL"
    ).fetchall()
    first = con.execute("SELECT posting_id FROM postings ORDER BY ingest_seq LIMIT 1").fetchone()
    con.close()
    assert roots == [first]
