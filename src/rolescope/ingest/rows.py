"""Raw canonical fields -> store rows. A record that cannot be trusted raises Rejected(reason)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from rolescope.ingest import identity
from rolescope.ingest.normalize import (
    bucket_company_size,
    classify_work_arrangement,
    collapse_whitespace,
    country_code_for,
    html_to_text,
    infer_seniority,
    map_level_label,
    normalize_employment_type,
    parse_amount,
    parse_location,
    parse_posted_at,
    parse_salary_text,
    salary_from_amounts,
    to_usd,
)

MAX_TITLE_CHARS = 1_000
MAX_DESCRIPTION_CHARS = 1_000_000
SURVEY_LEVELS = {"EN": "entry", "MI": "mid", "SE": "senior", "EX": "executive"}
SURVEY_EMPLOYMENT = {"FT": "full_time", "PT": "part_time", "CT": "contract", "FL": "freelance"}
SURVEY_SIZES = {"S": "small", "M": "medium", "L": "large"}
TRUE_WORDS = {"true", "1", "yes", "y", "t", "remote"}
FALSE_WORDS = {"false", "0", "no", "n", "f"}


SALARY_COLUMNS = (
    "salary_min",
    "salary_max",
    "salary_currency",
    "salary_period",
    "salary_usd_annual_min",
    "salary_usd_annual_max",
)


class Rejected(ValueError):
    """A record that goes to quarantine; the message is the reason shown to the person."""


def _str(value: Any) -> str | None:
    if value is None:
        return None
    text = collapse_whitespace(str(value))
    return text or None


def parse_bool(value: Any) -> bool | None:
    if isinstance(value, bool) or value is None:
        return value
    text = str(value).strip().lower()
    return True if text in TRUE_WORDS else False if text in FALSE_WORDS else None


def posting_row(fields: dict[str, Any], *, load_id: str, line: int) -> dict[str, Any]:
    """Normalize one posting's raw fields into a staged ``postings`` row."""
    title = _str(fields.get("title"))
    if not title:
        raise Rejected("missing title")
    if len(title) > MAX_TITLE_CHARS:
        raise Rejected(f"title is {len(title):,} characters (limit {MAX_TITLE_CHARS:,})")
    description = _description(fields)
    posted = _posted(fields.get("posted_at"))
    location_text = _str(fields.get("location"))
    return {
        "posting_id": identity.posting_id(
            fields.get("source"), title, fields.get("company"), location_text, description
        ),
        "load_id": load_id,
        "source_line": line,
        "source": _str(fields.get("source")),
        "source_id": _str(fields.get("source_id")),
        "url": _str(fields.get("url")),
        "title": title,
        "company": _str(fields.get("company")),
        "location_text": location_text,
        **_place_and_pay(fields, location_text, description, posted),
        "posted_at": posted[0] if posted else None,
        "posted_at_precision": posted[1] if posted else None,
        "description": description,
        "salary_text": _str(fields.get("salary_text")),
        "seniority": map_level_label(_str(fields.get("job_level"))) or infer_seniority(title, description),
        "employment_type": normalize_employment_type(_str(fields.get("employment_type"))),
        "company_size": bucket_company_size(fields.get("company_size")),
        "company_industry": _str(fields.get("company_industry")),
        "extra": json.dumps(fields["extra"], ensure_ascii=False, default=str)
        if fields.get("extra")
        else None,
        "simhash": identity.simhash(description),
    }


def _place_and_pay(
    fields: dict[str, Any],
    location_text: str | None,
    description: str | None,
    posted: tuple[date, str] | None,
) -> dict[str, Any]:
    location = parse_location(location_text)
    # A bare figure ("285000.0", "~211k") in a US-only posting is in dollars.
    currency_hint = "USD" if location.country_code == "US" else None
    arrangement = classify_work_arrangement(
        location=location_text, text=(description or "")[:400], is_remote=parse_bool(fields.get("is_remote"))
    )
    return {
        "country_code": location.country_code,
        "country_codes": list(location.country_codes) or None,
        "region": location.region,
        "city": location.city,
        "location_scope": location.scope,
        "work_arrangement": arrangement,
        **_salary(fields, posted[0].year if posted else None, currency_hint),
    }


def _description(fields: dict[str, Any]) -> str | None:
    text = fields.get("description")
    if not text and fields.get("description_html"):
        text = html_to_text(str(fields["description_html"]))
    if text is None:
        return None
    text = str(text).strip()
    if len(text) > MAX_DESCRIPTION_CHARS:
        raise Rejected(f"description is {len(text):,} characters (limit {MAX_DESCRIPTION_CHARS:,})")
    return text or None


def _posted(value: Any) -> tuple[date, str] | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    parsed = parse_posted_at(value)
    if parsed is None:
        raise Rejected(f"posted_at {str(value)[:40]!r} is not a date")
    return parsed


def _salary(fields: dict[str, Any], year: int | None, currency_hint: str | None) -> dict[str, Any]:
    low, high = parse_amount(fields.get("salary_min")), parse_amount(fields.get("salary_max"))
    if low is not None or high is not None:
        currency = _str(fields.get("salary_currency")) or currency_hint
        parsed = salary_from_amounts(low, high, currency, _str(fields.get("salary_period")), year)
    else:
        parsed = parse_salary_text(_str(fields.get("salary_text")), default_currency=currency_hint, year=year)
    if parsed is None:
        return dict.fromkeys(SALARY_COLUMNS)
    return {
        "salary_min": parsed.min_amount,
        "salary_max": parsed.max_amount,
        "salary_currency": parsed.currency,
        "salary_period": parsed.period,
        "salary_usd_annual_min": parsed.min_usd_annual,
        "salary_usd_annual_max": parsed.max_usd_annual,
    }


def salary_row(fields: dict[str, Any], *, load_id: str, line: int, max_year: int) -> dict[str, Any]:
    """Normalize one salary-survey record into a staged ``salary_records`` row."""
    year = _int_in(fields, "work_year", 2000, max_year)
    level = _coded(fields, "experience_level", SURVEY_LEVELS)
    employment = _coded(fields, "employment_type", SURVEY_EMPLOYMENT)
    title = _str(fields.get("job_title"))
    if not title:
        raise Rejected("missing job_title")
    amount = _positive(fields, "salary")
    currency = (_str(fields.get("salary_currency")) or "").upper()
    if len(currency) != 3 or not currency.isalpha():
        raise Rejected(f"salary_currency {fields.get('salary_currency')!r} is not a 3-letter currency code")
    usd = parse_amount(fields.get("salary_in_usd"))
    usd = usd if usd is not None else to_usd(amount, currency, year)
    if usd is None or usd <= 0:
        raise Rejected(
            f"salary_in_usd {fields.get('salary_in_usd')!r} is missing and {currency} has no FX rate"
        )
    remote_ratio = _int_in(fields, "remote_ratio", 0, 100)
    return {
        "content_hash": identity.salary_content_hash(tuple(_str(fields.get(k)) for k in sorted(fields))),
        "load_id": load_id,
        "source_line": line,
        "work_year": year,
        "seniority": level,
        "employment_type": employment,
        "job_title": title,
        "salary_amount": amount,
        "salary_currency": currency,
        "salary_usd_annual": usd,
        "employee_country": _country(fields, "employee_residence"),
        "company_country": _country(fields, "company_location"),
        "remote_ratio": remote_ratio,
        "work_arrangement": classify_work_arrangement(remote_ratio=remote_ratio),
        "company_size": _coded(fields, "company_size", SURVEY_SIZES, required=False),
    }


def _int_in(fields: dict[str, Any], name: str, low: int, high: int) -> int:
    value = parse_amount(fields.get(name))
    if value is None or value != int(value) or not low <= value <= high:
        raise Rejected(f"{name} {fields.get(name)!r} is not a whole number from {low} to {high}")
    return int(value)


def _positive(fields: dict[str, Any], name: str) -> float:
    value = parse_amount(fields.get(name))
    if value is None or value <= 0:
        raise Rejected(f"{name} {fields.get(name)!r} is not a positive amount")
    return value


def _coded(fields: dict[str, Any], name: str, codes: dict[str, str], *, required: bool = True) -> str | None:
    raw = (_str(fields.get(name)) or "").upper()
    if raw in codes:
        return codes[raw]
    if not raw and not required:
        return None
    raise Rejected(f"{name} {fields.get(name)!r} is not one of {', '.join(codes)}")


def _country(fields: dict[str, Any], name: str) -> str | None:
    raw = _str(fields.get(name))
    if raw is None:
        return None
    code = country_code_for(raw)
    if code is None:
        raise Rejected(f"{name} {raw!r} is not an ISO 3166 country code")
    return code
