"""Plain records shared by all stages.

Sources yield :class:`RawRecord` (canonical field names, raw values) or :class:`BadRecord`
(something that could not even be read as a record). Ingest turns raw records into rows for the
store, or quarantines them with a reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

RecordKind = Literal["posting", "salary"]

SENIORITY_LEVELS: tuple[str, ...] = ("intern", "entry", "mid", "senior", "lead", "executive")
WORK_ARRANGEMENTS: tuple[str, ...] = ("remote", "hybrid", "onsite")
EMPLOYMENT_TYPES: tuple[str, ...] = (
    "full_time",
    "part_time",
    "contract",
    "freelance",
    "internship",
    "temporary",
)
COMPANY_SIZES: tuple[str, ...] = ("small", "medium", "large")
PAY_PERIODS: tuple[str, ...] = ("year", "month", "week", "day", "hour")

# Canonical raw field names a posting source may fill (every one optional but title/description).
POSTING_FIELDS: tuple[str, ...] = (
    "source",
    "source_id",
    "title",
    "company",
    "location",
    "posted_at",
    "description",
    "salary_text",
    "salary_min",
    "salary_max",
    "salary_currency",
    "salary_period",
    "is_remote",
    "job_level",
    "employment_type",
    "company_size",
    "company_industry",
    "url",
    "extra",
)
# Canonical raw field names of the salary-survey schema (ai-jobs.net salaries.csv).
SALARY_FIELDS: tuple[str, ...] = (
    "work_year",
    "experience_level",
    "employment_type",
    "job_title",
    "salary",
    "salary_currency",
    "salary_in_usd",
    "employee_residence",
    "remote_ratio",
    "company_location",
    "company_size",
)


@dataclass(slots=True)
class RawRecord:
    """One record read from a file: its 1-based line (or row) number and canonical fields."""

    line: int
    fields: dict[str, Any]


@dataclass(slots=True)
class BadRecord:
    """A record that could not be read; it goes to quarantine with its reason."""

    line: int
    reason: str
    raw: str = ""


@dataclass(slots=True)
class LoadSummary:
    """Outcome counts of one ingest run over one file."""

    path: str
    format: str
    kind: RecordKind
    read: int = 0
    loaded: int = 0
    duplicates: int = 0
    near_duplicates: int = 0
    quarantined: int = 0
    skipped_file: bool = False  # the whole file was loaded before (same bytes)
    quarantine_reasons: dict[str, int] = field(default_factory=dict)
