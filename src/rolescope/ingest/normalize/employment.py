"""Employment type: codes and free text onto ``EMPLOYMENT_TYPES``."""

from __future__ import annotations

import re

# Two-letter codes of the ai-jobs.net salary survey.
_CODES = {"FT": "full_time", "PT": "part_time", "CT": "contract", "FL": "freelance"}
# Checked in text order: the first type named wins ("Full-time or Contract" -> full_time), because
# ads and HN headers name the main arrangement first.
_PATTERNS = re.compile(
    r"(?P<full_time>\bfull[\s_-]?time\b|\bpermanent\b|\bregular\b|\bfte\b|\bcdi\b)"
    r"|(?P<part_time>\bpart[\s_-]?time\b)"
    r"|(?P<internship>\bintern(?:ship)?s?\b|\bco-?op\b|\bworking student\b|\bwerkstudent)"
    r"|(?P<freelance>\bfreelanc\w*|\bself[\s-]employed\b)"
    r"|(?P<temporary>\btemp(?:orary)?\b|\bseasonal\b|\bfixed[\s-]term\b)"
    r"|(?P<contract>\bcontract\w*|\b1099\b|\bc2c\b|\bcorp[\s-]to[\s-]corp\b|\bcdd\b)",
    re.IGNORECASE,
)


def normalize_employment_type(text: str | None) -> str | None:
    """Map an employment-type label or phrase to one of ``EMPLOYMENT_TYPES``.

    Accepts survey codes (FT/PT/CT/FL), JobSpy values (``fulltime``, ``parttime``, ``contract``,
    ``internship``), LinkedIn and Greenhouse/Lever strings ("Full-time Employee", "Permanent",
    "Contractor", "Temporary"). ``None`` for empty, "Other", or anything unrecognised.

    Examples
    --------
    >>> normalize_employment_type("FT"), normalize_employment_type("Full-time Employee")
    ('full_time', 'full_time')
    >>> normalize_employment_type("Contract-to-hire")
    'contract'
    """
    if not text:
        return None
    raw = str(text).strip()
    code = _CODES.get(raw.upper())
    if code:
        return code
    match = _PATTERNS.search(raw)
    return match.lastgroup if match else None
