"""The input formats rolescope recognises, each a mapping from one record to canonical raw fields.

A mapper raises ``ValueError`` with a reason when a record cannot be mapped; the record is then
quarantined. Values stay raw (strings, numbers, HTML): normalizing them is ingest's job.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from rolescope.models import SALARY_FIELDS, RecordKind

Mapper = Callable[[dict[str, Any]], dict[str, Any]]
Matcher = Callable[[set[str]], bool]


@dataclass(frozen=True, slots=True)
class SourceFormat:
    """One recognised input format: its name, record kind, how to spot it and how to map it."""

    name: str
    kind: RecordKind
    description: str
    matches: Matcher
    to_fields: Mapper


def _text(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def get_path(obj: dict[str, Any], dotted: str) -> Any:
    """``obj['location']['name']`` for ``'location.name'``; None where any step is missing."""
    value: Any = obj
    for part in dotted.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


# --- ai-jobs.net salary survey (salaries.csv) -------------------------------------------------


def _salary_fields(obj: dict[str, Any]) -> dict[str, Any]:
    return {name: _text(obj.get(name)) for name in SALARY_FIELDS}


def _is_salary_survey(keys: set[str]) -> bool:
    return {"work_year", "experience_level", "salary_in_usd", "job_title"} <= keys


# --- rolescope's shared postings format ----------------------------------------------------

SHARED_POSTING_KEYS = (
    "source",
    "source_id",
    "title",
    "company",
    "location",
    "posted_at",
    "description",
    "salary_text",
    "url",
)


def _shared_posting_fields(obj: dict[str, Any]) -> dict[str, Any]:
    fields = {name: _text(obj.get(name)) for name in SHARED_POSTING_KEYS}
    extra = obj.get("extra")
    if isinstance(extra, str):
        extra = {"raw": extra}
    extra = extra if isinstance(extra, dict) else {}
    fields["extra"] = extra or None
    # LinkedIn exports carry structured level and contract fields inside extra.
    fields["job_level"] = _text(extra.get("experienceLevel") or obj.get("job_level"))
    fields["employment_type"] = _text(extra.get("contractType") or obj.get("employment_type"))
    fields["company_industry"] = _text(extra.get("sector") or obj.get("company_industry"))
    for name in ("salary_min", "salary_max", "salary_currency", "salary_period", "is_remote", "company_size"):
        fields[name] = _text(obj.get(name))
    return fields


def _is_shared_posting(keys: set[str]) -> bool:
    return {"title", "description"} <= keys and bool(keys & {"source_id", "salary_text", "posted_at"})


# --- JobSpy CSV ----------------------------------------------------------------------------

JOBSPY_PERIODS = {"yearly": "year", "monthly": "month", "weekly": "week", "daily": "day", "hourly": "hour"}


def _jobspy_fields(obj: dict[str, Any]) -> dict[str, Any]:
    site = _text(obj.get("site"))
    interval = (_text(obj.get("interval")) or "").lower()
    return {
        "source": f"jobspy:{site}" if site else "jobspy",
        "source_id": _text(obj.get("id")),
        "url": _text(obj.get("job_url")),
        "title": _text(obj.get("title")),
        "company": _text(obj.get("company")),
        "location": _text(obj.get("location")),
        "posted_at": _text(obj.get("date_posted")),
        "description": _text(obj.get("description")),
        "salary_min": _text(obj.get("min_amount")),
        "salary_max": _text(obj.get("max_amount")),
        "salary_currency": _text(obj.get("currency")),
        "salary_period": JOBSPY_PERIODS.get(interval, interval or None),
        "is_remote": _text(obj.get("is_remote")),
        "job_level": _text(obj.get("job_level")),
        "employment_type": _text(obj.get("job_type")),
        "company_size": _text(obj.get("company_num_employees")),
        "company_industry": _text(obj.get("company_industry")),
        "extra": {k: obj[k] for k in ("job_function", "company_url", "listing_type") if _text(obj.get(k))}
        or None,
    }


def _is_jobspy(keys: set[str]) -> bool:
    return {"site", "job_url", "title", "min_amount", "interval"} <= keys


# --- Greenhouse job board API (boards-api.greenhouse.io/v1/boards/<board>/jobs?content=true) ---


def _greenhouse_fields(obj: dict[str, Any]) -> dict[str, Any]:
    if not _text(obj.get("title")):
        raise ValueError("Greenhouse job has no title")
    pay = _greenhouse_pay(obj.get("pay_input_ranges"))
    names = lambda key: [d.get("name") for d in obj.get(key) or [] if isinstance(d, dict)]  # noqa: E731
    return {
        "source": "greenhouse",
        "source_id": str(obj["id"]) if obj.get("id") is not None else None,
        "url": _text(obj.get("absolute_url")),
        "title": _text(obj.get("title")),
        "company": _text(obj.get("company_name")) or _board_from_url(obj.get("absolute_url"), "greenhouse"),
        "location": _text(get_path(obj, "location.name")),
        "posted_at": _text(obj.get("first_published") or obj.get("updated_at")),
        "description_html": obj.get("content"),
        **pay,
        "extra": {"departments": names("departments"), "offices": names("offices")},
    }


def _greenhouse_pay(ranges: Any) -> dict[str, Any]:
    if not isinstance(ranges, list) or not ranges or not isinstance(ranges[0], dict):
        return {}
    first = ranges[0]
    cents = lambda v: float(v) / 100 if v not in (None, "") else None  # noqa: E731
    return {
        "salary_min": cents(first.get("min_cents")),
        "salary_max": cents(first.get("max_cents")),
        "salary_currency": _text(first.get("currency_type")),
        "salary_period": "year",
    }


def _is_greenhouse(keys: set[str]) -> bool:
    return {"absolute_url", "title"} <= keys and bool(keys & {"internal_job_id", "updated_at", "content"})


# --- Lever postings API (api.lever.co/v0/postings/<company>?mode=json) ----------------------

LEVER_PERIODS = {
    "per-year-salary": "year",
    "per-month-salary": "month",
    "per-week-salary": "week",
    "per-day-wage": "day",
    "per-hour-wage": "hour",
    "one-time": None,
}


def _lever_fields(obj: dict[str, Any]) -> dict[str, Any]:
    if not _text(obj.get("text")):
        raise ValueError("Lever posting has no 'text' (its title)")
    categories = obj.get("categories") if isinstance(obj.get("categories"), dict) else {}
    salary = obj.get("salaryRange") if isinstance(obj.get("salaryRange"), dict) else {}
    workplace = (_text(obj.get("workplaceType")) or "").lower()
    return {
        "source": "lever",
        "source_id": _text(obj.get("id")),
        "url": _text(obj.get("hostedUrl")),
        "title": _text(obj.get("text")),
        "company": _board_from_url(obj.get("hostedUrl"), "lever"),
        "location": _text(categories.get("location")) or _text(obj.get("country")),
        "posted_at": obj.get("createdAt"),
        "description_html": _lever_html(obj),
        "employment_type": _text(categories.get("commitment")),
        "is_remote": {"remote": "true", "on-site": "false", "hybrid": "false"}.get(workplace),
        "salary_min": salary.get("min"),
        "salary_max": salary.get("max"),
        "salary_currency": _text(salary.get("currency")),
        "salary_period": LEVER_PERIODS.get(salary.get("interval") or ""),
        "extra": {
            "team": categories.get("team"),
            "department": categories.get("department"),
            "workplace_type": workplace or None,
        },
    }


def _lever_html(obj: dict[str, Any]) -> str:
    parts: list[str] = [obj.get("description") or obj.get("descriptionPlain") or ""]
    for item in obj.get("lists") or []:
        if isinstance(item, dict):
            parts.append(f"<h3>{item.get('text') or ''}</h3><ul>{item.get('content') or ''}</ul>")
    parts.append(obj.get("additional") or obj.get("additionalPlain") or "")
    return "\n".join(p for p in parts if p)


def _is_lever(keys: set[str]) -> bool:
    return "text" in keys and bool(keys & {"hostedUrl", "applyUrl"}) and "categories" in keys


def _board_from_url(url: Any, host_word: str) -> str | None:
    """The company slug in a board URL (jobs.lever.co/<company>/..., boards.greenhouse.io/<company>/...)."""
    if not isinstance(url, str) or host_word not in url:
        return None
    parts = [p for p in urlparse(url).path.split("/") if p]
    return parts[0] if parts else None


FORMATS: dict[str, SourceFormat] = {
    f.name: f
    for f in (
        SourceFormat(
            "aijobs-salaries",
            "salary",
            "ai-jobs.net salary survey CSV (work_year, experience_level, salary_in_usd, ...)",
            _is_salary_survey,
            _salary_fields,
        ),
        SourceFormat(
            "postings",
            "posting",
            "rolescope's shared postings format (source, source_id, title, "
            "company, location, posted_at, description, salary_text, url, extra)",
            _is_shared_posting,
            _shared_posting_fields,
        ),
        SourceFormat(
            "jobspy",
            "posting",
            "JobSpy scraper output (id, site, job_url, title, ..., min_amount, "
            "max_amount, interval, currency, is_remote, description)",
            _is_jobspy,
            _jobspy_fields,
        ),
        SourceFormat(
            "greenhouse",
            "posting",
            'Greenhouse job-board API JSON ({"jobs": [...]}, with content=true)',
            _is_greenhouse,
            _greenhouse_fields,
        ),
        SourceFormat(
            "lever",
            "posting",
            "Lever postings API JSON (a list of postings with text, categories, hostedUrl)",
            _is_lever,
            _lever_fields,
        ),
    )
}

# Detection order: the most specific signatures first.
DETECTION_ORDER: tuple[str, ...] = ("aijobs-salaries", "jobspy", "greenhouse", "lever", "postings")


def json_document_records(doc: Any) -> list[Any]:
    """The job objects inside a JSON document: a list, or a Greenhouse-style {"jobs": [...]}."""
    if isinstance(doc, list):
        return doc
    if isinstance(doc, dict):
        for key in ("jobs", "postings", "data", "results"):
            if isinstance(doc.get(key), list):
                return doc[key]
        return [doc]
    return []
