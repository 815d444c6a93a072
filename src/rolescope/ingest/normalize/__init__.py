"""Pure, fast normalizers applied to every record at ingest time.

Each function takes one raw value and returns a canonical one (or ``None`` when the value says
nothing); none does I/O except loading the package's knowledge CSVs once, lazily, on first use.
"""

from rolescope.ingest.normalize.company_size import bucket_company_size
from rolescope.ingest.normalize.dates import parse_posted_at
from rolescope.ingest.normalize.employment import normalize_employment_type
from rolescope.ingest.normalize.location import ParsedLocation, country_code_for, parse_location
from rolescope.ingest.normalize.remote import classify_work_arrangement
from rolescope.ingest.normalize.salary import (
    ParsedSalary,
    annualize,
    parse_amount,
    parse_salary_text,
    salary_from_amounts,
    to_usd,
)
from rolescope.ingest.normalize.seniority import (
    infer_seniority,
    map_level_label,
    seniority_from_years,
    years_required,
)
from rolescope.ingest.normalize.text import collapse_whitespace, fold_for_hash, html_to_text

__all__ = [
    "ParsedLocation",
    "ParsedSalary",
    "annualize",
    "bucket_company_size",
    "classify_work_arrangement",
    "collapse_whitespace",
    "country_code_for",
    "fold_for_hash",
    "html_to_text",
    "infer_seniority",
    "map_level_label",
    "normalize_employment_type",
    "parse_amount",
    "parse_location",
    "parse_posted_at",
    "parse_salary_text",
    "salary_from_amounts",
    "seniority_from_years",
    "to_usd",
    "years_required",
]
