"""Company size onto ``COMPANY_SIZES`` (small, medium, large).

The buckets follow the ai-jobs.net salary survey's own definition of its ``company_size`` column
(S: fewer than 50 employees, M: 50 to 250, L: more than 250 — the column description published
with the ai-jobs.net salaries dataset), so survey rows and counts from other sources land in the
same bucket. A range such as LinkedIn's "201-500 employees" is placed by its midpoint
(350 -> large); "10,000+" by its lower bound.
"""

from __future__ import annotations

import re

SMALL_BELOW = 50  # fewer than 50 employees
LARGE_ABOVE = 250  # more than 250 employees
_LETTERS = {"S": "small", "M": "medium", "L": "large"}
_WORDS = {
    "small": "small",
    "medium": "medium",
    "large": "large",
    "mid-size": "medium",
    "midsize": "medium",
    "mid-sized": "medium",
    "enterprise": "large",
}
_NUMBER = re.compile(r"\d[\d,.\s]*\d|\d")
_K_SUFFIX = re.compile(r"\s*k\b", re.IGNORECASE)  # used with .match(text, pos)


def _bucket(count: float) -> str:
    if count < SMALL_BELOW:
        return "small"
    return "medium" if count <= LARGE_ABOVE else "large"


def _counts(text: str) -> list[float]:
    counts = []
    for match in _NUMBER.finditer(text):
        digits = re.sub(r"[,.\s]", "", match.group())
        value = float(digits)
        if _K_SUFFIX.match(text, match.end()):
            value *= 1000
        counts.append(value)
    return counts[:2]


def bucket_company_size(value: object) -> str | None:
    """Bucket a company size given as a survey letter, an employee count, a count range or a word.

    Examples
    --------
    >>> bucket_company_size("M"), bucket_company_size(12000), bucket_company_size("11-50")
    ('medium', 'large', 'small')
    >>> bucket_company_size("1,001 to 5,000 employees"), bucket_company_size("startup")
    ('large', None)
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return _bucket(float(value)) if value > 0 else None
    text = str(value).strip()
    if text.upper() in _LETTERS:
        return _LETTERS[text.upper()]
    counts = _counts(text)
    if not counts:
        # "startup", "unknown", "Series B" carry no headcount: better no bucket than a guess.
        return _WORDS.get(text.lower())
    if len(counts) == 1:  # "250", "10,000+": a lower bound is still the best figure we have
        return _bucket(counts[0])
    return _bucket((counts[0] + counts[1]) / 2)
