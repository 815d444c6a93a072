"""`rolescope enrich` reads roles from the skills step's stored mentions: the same answer, extracted once.

Real postings (the LinkedIn AI/ML set in ../shared/data) in a real DuckDB store, enriched by the
real steps. Each stored reading must equal what `RoleModel.predict` gives when it extracts the
skills itself, whether or not the skills step ran first.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rolescope.enrich.pipeline import SKILLS_STEP, enrich_roles, enrich_skills, skills_step_version
from rolescope.enrich.roles.model import default_model
from rolescope.enrich.skills.extract import EXTRACTOR_NAME
from rolescope.ingest.pipeline import IngestOptions, detect_all, ingest_sources
from rolescope.store import connect
from rolescope.store import enrichment as store_enrichment

SOURCE = "postings/kaggle_kanchana_aiml_linkedin.jsonl.gz"


def _store(tmp_path: Path, shared_data: Path) -> Path:
    db = tmp_path / "reuse.duckdb"
    con = connect(db)
    try:
        ingest_sources(con, detect_all([shared_data / SOURCE], IngestOptions()), IngestOptions())
    finally:
        con.close()
    return db


def _stored_readings(db: Path) -> dict[str, tuple]:
    con = connect(db, read_only=True)
    try:
        rows = con.execute(
            "SELECT posting_id, role, probabilities, hybrid, evidence FROM posting_roles"
        ).fetchall()
    finally:
        con.close()
    return {pid: (role, json.loads(probs), hybrid, json.loads(ev)) for pid, role, probs, hybrid, ev in rows}


def _fresh_readings(db: Path) -> dict[str, tuple]:
    model = default_model()
    con = connect(db, read_only=True)
    try:
        postings = con.execute("SELECT posting_id, title, description FROM postings").fetchall()
    finally:
        con.close()
    out = {}
    for pid, title, text in postings:
        found = model.predict(text or "", title)
        probs = {k: round(v, 5) for k, v in found.probabilities.items()}
        out[pid] = (found.role, probs, found.hybrid, [e.as_dict() for e in found.evidence])
    return out


@pytest.mark.slow
def test_roles_from_stored_mentions_equal_roles_from_extraction(tmp_path: Path, shared_data: Path) -> None:
    db = _store(tmp_path, shared_data)
    con = connect(db)
    try:
        skills = enrich_skills(con)
        version = skills_step_version(EXTRACTOR_NAME, default_model().featurizer.taxonomy_version)
        ids = [row[0] for row in con.execute("SELECT posting_id FROM postings").fetchall()]
        stored = store_enrichment.stored_mentions(con, ids, SKILLS_STEP, version)
        assert len(stored) == len(ids) == skills.processed > 500  # every posting, empty lists included
        assert sum(map(len, stored.values())) == skills.mentions
        enrich_roles(con, default_model())
    finally:
        con.close()
    assert _stored_readings(db) == _fresh_readings(db)


def test_without_the_skills_step_roles_extract_for_themselves(tmp_path: Path, shared_data: Path) -> None:
    db = _store(tmp_path, shared_data)
    con = connect(db)
    try:
        assert store_enrichment.stored_mentions(con, ["nope"], SKILLS_STEP, "any") == {}
        summary = enrich_roles(con, default_model())  # no skills step: nothing stored to reuse
    finally:
        con.close()
    readings = _stored_readings(db)
    assert len(readings) == summary.processed > 500
    fresh = _fresh_readings(db)
    sample = sorted(readings)[:60]
    assert {pid: readings[pid] for pid in sample} == {pid: fresh[pid] for pid in sample}
