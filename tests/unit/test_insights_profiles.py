"""Posting profiles: the (level, skill set) histogram per title role that the snapshot carries."""

from __future__ import annotations

import json

import pyarrow as pa
import pytest

from rolescope.errors import NotFound
from rolescope.insights.profiles import PostingProfiles, build_posting_profiles

ROLE_OF = {"ML Engineer": "ml_engineer", "Senior ML Engineer": "ml_engineer", "Barista": None}


def _table() -> pa.Table:
    return pa.table(
        {
            "posting_id": ["a", "b", "c", "d", "e"],
            "title": ["ML Engineer", "ML Engineer", "Senior ML Engineer", "Barista", "Senior ML Engineer"],
            "seniority": [None, None, "lead", "senior", "senior"],
            "skills": [["python", "pytorch"], ["pytorch", "python"], ["python"], ["coffee"], []],
        }
    )


def test_identical_postings_fold_into_one_group() -> None:
    profiles = build_posting_profiles(_table(), ROLE_OF.get)
    groups = profiles.role("ml_engineer")
    assert sorted((g.level or "", sorted(g.skills), g.count) for g in groups) == [
        ("", ["python", "pytorch"], 2),
        ("senior", [], 1),
        ("senior", ["python"], 1),
    ]
    assert profiles.n("ml_engineer") == 4 and profiles.n("ml_engineer", "senior") == 2
    assert "barista" not in profiles.roles and None not in profiles.roles


def test_level_skill_counts_count_postings_not_groups() -> None:
    profiles = build_posting_profiles(_table(), ROLE_OF.get)
    assert profiles.level_skill_counts("ml_engineer", "senior") == (2, {"python": 1})
    assert profiles.level_skill_counts("ml_engineer", "entry") == (0, {})


def test_round_trips_through_json_deterministically() -> None:
    profiles = build_posting_profiles(_table(), ROLE_OF.get)
    text = json.dumps(profiles.to_dict(), sort_keys=True)
    again = PostingProfiles.from_dict(json.loads(text))
    assert json.dumps(again.to_dict(), sort_keys=True) == text


def test_unknown_role_is_named() -> None:
    with pytest.raises(NotFound, match="astronaut"):
        build_posting_profiles(_table(), ROLE_OF.get).role("astronaut")
