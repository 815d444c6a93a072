"""Work arrangement (remote, hybrid, onsite) from whichever evidence a source gives.

Rule order, strongest evidence first; the first rule that decides wins:

1. ``remote_ratio`` (the salary survey's 0/50/100): 0 -> onsite, 1..99 -> hybrid, 100 -> remote.
2. ``is_remote`` (JobSpy and ATS boolean): True -> remote. False only says "not fully remote", so
   it decides ``onsite`` only when the location and text do not say hybrid.
3. Words in ``location`` ("Remote - US", "San Francisco-Hybrid", "Anywhere in the World").
4. Words in the first lines of ``text`` (HN headers: "... - Full-time - ONSITE", "REMOTE (US)").

Inside one piece of text several arrangements are often offered at once ("REMOTE or ONSITE NYC",
"Onsite or Hybrid"); the most flexible one offered wins (remote > hybrid > onsite), because that is
what a candidate can get. Negated mentions ("no remote", "not remote") count as onsite.
"""

from __future__ import annotations

import re

# Only the head of a description is read: HN puts the arrangement in its header line, and deep in a
# long ad "remote" often refers to something else ("remote sensing", "remote teams we support").
TEXT_HEAD_CHARS = 400
# Patterns run on lower-cased text, and only when a cheap substring test says they could match:
# most of a description head contains none of these words.
_NEGATED_REMOTE = re.compile(
    r"\b(?:no|not|non|never)[\s-]+(?:fully[\s-]+)?remote\b|\bremote\s*[:=]\s*no\b|\bremote\s+not\s+\w+"
)
_REMOTE = re.compile(r"\bremote|\btelecommut|\bwfh\b|\bwork(?:ing)? from home\b|\bdistributed team")
_ANYWHERE = re.compile(r"\banywhere\b|\bworldwide\b")
_HYBRID = re.compile(
    r"\bhybrid\b|\b[1-4]\s*(?:days?|x)\s*(?:a|per|/)\s*(?:week|wk)\b|\bpart(?:ly|ial(?:ly)?)?[\s-]+remote\b"
)
_ONSITE = re.compile(r"\bon[\s-]?site\b|\bin[\s-]?office\b|\bin[\s-]person\b|\boffice[\s-]based\b")


def _from_ratio(remote_ratio: object) -> str | None:
    try:
        ratio = float(remote_ratio)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    if not 0 <= ratio <= 100:
        return None
    return "onsite" if ratio == 0 else "remote" if ratio == 100 else "hybrid"


def _from_words(text: str | None, *, is_location: bool) -> str | None:
    if not text:
        return None
    low = text.lower()
    negated = "remote" in low and _NEGATED_REMOTE.search(low) is not None
    if negated:
        low = _NEGATED_REMOTE.sub(" ", low)
    hybrid = ("hybrid" in low or "week" in low or "wk" in low or "part" in low) and _HYBRID.search(low)
    if hybrid and "part" in hybrid.group():
        return "hybrid"  # "partly remote" is hybrid, not remote
    if _REMOTE.search(low) or (is_location and _ANYWHERE.search(low)):
        return "remote"
    if hybrid:
        return "hybrid"
    if negated or (("site" in low or "office" in low or "person" in low) and _ONSITE.search(low)):
        return "onsite"
    return None


def classify_work_arrangement(
    *,
    location: str | None = None,
    text: str | None = None,
    is_remote: bool | None = None,
    remote_ratio: int | float | str | None = None,
) -> str | None:
    """Classify a posting or survey row as ``remote``, ``hybrid`` or ``onsite`` (see module rules).

    Examples
    --------
    >>> classify_work_arrangement(remote_ratio=50)
    'hybrid'
    >>> classify_work_arrangement(location="Remote - United States")
    'remote'
    >>> classify_work_arrangement(text="Acme - Backend Engineer - Lisbon, Portugal - Full-time - ONSITE")
    'onsite'
    """
    by_ratio = _from_ratio(remote_ratio) if remote_ratio is not None else None
    if by_ratio:
        return by_ratio
    if is_remote is True:
        return "remote"
    by_words = _from_words(location, is_location=True) or _from_words(
        text[:TEXT_HEAD_CHARS] if text else None, is_location=False
    )
    if is_remote is False:
        return "hybrid" if by_words == "hybrid" else "onsite"
    return by_words
