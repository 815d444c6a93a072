"""Sections of a job ad and whether a sentence states a requirement or a preference.

Ads come as markdown, as text stripped from HTML and as plain prose. A heading is a short line
that names a known section ("Requirements", "What you'll do", "Nice to have" ...), or a short line
marked up as a heading (``#``, ``**bold**``, a trailing colon, ALL CAPS) which starts an "other"
section (benefits, about us ...), or a known label followed by a colon and content on the same
line ("Must have: Python, SQL"). Everything before the first heading is "other".

Examples
--------
>>> index = SectionIndex.of("About us\\nWe build things.\\n\\nRequirements:\\n- Python\\n")
>>> index.kind_at(42)
'requirements'
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import compress, count
from typing import Literal

SectionKind = Literal["responsibilities", "requirements", "nice_to_have", "other"]
Requirement = Literal["required", "preferred"]
SECTION_KINDS: tuple[SectionKind, ...] = ("responsibilities", "requirements", "nice_to_have", "other")

# Checked in this order: "preferred qualifications" is nice-to-have before "qualifications" is
# a requirement. Distinctive phrases may carry two words either side ("Key Responsibilities",
# "Requirements (must have)"); generic words ("experience", "skills", "about") count only as the
# whole heading, with at most one modifier, so a list line "Experience with Python" stays a line.
_MODIFIERS = (
    r"(?:(?:key|core|required|technical|relevant|essential|your|our|the|minimum|basic|main|additional|"
    r"general|job|role|and|&) ){0,2}"
)


def _heading(distinctive: str, alone: str) -> str:
    return rf"(?:[\w'&/+-]+ ){{0,2}}(?:{distinctive})(?: [\w'&/()+-]+){{0,3}}|{_MODIFIERS}(?:{alone})"


_HEADING_PATTERNS: tuple[tuple[SectionKind, str], ...] = (
    (
        "nice_to_have",
        _heading(
            r"nice to haves?|nice-to-haves?|good to haves?|bonus points?|bonus if|extra credit|pluses|"
            r"(?:preferred|desired|desirable) (?:qualifications?|skills|experience|requirements)|"
            r"even better if|it would be (?:great|nice)|we.?d love (?:it )?if|would be a plus|"
            r"not required but",
            r"bonus|plus|preferred|desired|desirable|ideally|optional",
        ),
    ),
    (
        "requirements",
        _heading(
            r"requirements|qualifications|must haves?|must-haves?|what we.?re looking for|"
            r"what we are looking for|who (?:we.?re|we are|are we) looking for|who you are|you should have|"
            r"you.?ll need|you will need|what you need|what you.?ll bring|what you will bring|what you bring|"
            r"(?:the )?ideal candidate|skills (?:and|&) experience|experience (?:and|&) skills|"
            r"you.?re a great fit if|to be successful|what it takes|what we look for|you should apply if|"
            r"you might be a fit if|you may be a good fit if|you.?ll thrive if|minimum requirements",
            r"requirement|qualification|about you|you have|profile|your profile|skills|experience|"
            r"essentials?|required|prerequisites|background|what we need|we.?re looking for|"
            r"we are looking for|knowledge",
        ),
    ),
    (
        "responsibilities",
        _heading(
            r"responsibilities|duties|what you.?ll do|what you will do|what you.?ll be doing|"
            r"what you will be doing|what you.?ll work on|what you will work on|"
            r"in this role,? you(?:.?ll| will)?|"
            r"day to day|day-to-day|a day in the life|what the job involves|key accountabilities",
            r"responsibility|the role|your role|about the role|role description|role overview|your impact|"
            r"your mission|the job|your tasks|tasks|the opportunity|accountabilities|in this role",
        ),
    ),
    (
        "other",
        _heading(
            r"benefits|perks|what we offer|we offer|compensation|how to apply|who we are|our culture|"
            r"why join|why work|equal opportunity|interview process|hiring process|what do we do|"
            r"what we do|about us|about the company|about the team",
            r"about|offer|salary|pay|apply|to apply|culture|location|headquarters|url|company|overview|"
            r"summary|description|team|diversity|eeo|contact|job description",
        ),
    ),
)
_HEADINGS = tuple((kind, re.compile(pattern)) for kind, pattern in _HEADING_PATTERNS)

_LEADING_MARKUP = " \t\r#>*_=|"
_TRAILING_MARKUP = " \t\r*_=|:.!?"
_TAGS = re.compile(r"<[^>]+>")
_BULLET = re.compile(r"^\s*(?:[-*•·▪◦●+–]|\d+[.)])\s")
_LABEL = re.compile(r"^\s*(?:#+\s*)?(?:\*\*|__)?\s*([^:\n]{2,40}?)\s*(?:\*\*|__)?\s*:(?:\*\*|__)?\s*\S")
_MAX_HEADING_CHARS = 70
_MAX_HEADING_WORDS = 9


@dataclass(frozen=True, slots=True)
class Section:
    kind: SectionKind
    start: int  # offset of the heading line (or 0 for the untitled opening)
    end: int
    heading: str | None


class SectionIndex:
    """The sections of one text, with a fast lookup from character offset to section kind."""

    __slots__ = ("_kinds", "_starts", "sections")

    def __init__(self, sections: list[Section]) -> None:
        self.sections = sections
        self._starts = [s.start for s in sections]
        self._kinds = [s.kind for s in sections]

    @classmethod
    def of(cls, text: str) -> SectionIndex:
        return cls(split_sections(text))

    def kind_at(self, offset: int) -> SectionKind:
        position = bisect_right(self._starts, offset) - 1
        return self._kinds[position] if position >= 0 else "other"


def split_sections(text: str) -> list[Section]:
    """Cut the text at its headings; consecutive headings of the same kind merge."""
    sections: list[Section] = []
    kind: SectionKind = "other"
    start, heading, offset = 0, None, 0
    for line in text.split("\n"):
        found = classify_heading(line) if line and (len(line) <= 100 or ":" in line[:50]) else None
        if found is not None and found[0] != kind:
            if offset > start or sections:
                sections.append(Section(kind, start, offset, heading))
            kind, heading = found
            start = offset
        offset += len(line) + 1
    sections.append(Section(kind, start, len(text), heading))
    return sections


def classify_heading(line: str) -> tuple[SectionKind, str] | None:
    """The section a line opens, with its heading text, or None for an ordinary line."""
    if len(line) > 200 or _BULLET.match(line):
        return None
    if len(line) <= _MAX_HEADING_CHARS + 20:
        text = _normalise_heading(line)
        if text and len(text) <= _MAX_HEADING_CHARS and text.count(" ") < _MAX_HEADING_WORDS:
            kind = _known_kind(text)
            if kind is not None:
                return kind, text
            if _looks_like_heading(line):
                return "other", text
    label = _LABEL.match(line) if ":" in line[:50] else None
    if label:  # "Must have: Python" opens a section; "Salary: $90k" is a field, not a heading
        kind = _known_kind(_normalise_heading(label.group(1)))
        if kind is not None and kind != "other":
            return kind, label.group(1)
    return None


def _normalise_heading(line: str) -> str:
    text = line.lstrip(_LEADING_MARKUP).rstrip(_TRAILING_MARKUP).replace("’", "'").lower()
    if "<" in text:
        text = _TAGS.sub("", text)
    return " ".join(text.split()).strip(" :.-–—()[]")


def _known_kind(text: str) -> SectionKind | None:
    for kind, pattern in _HEADINGS:
        if pattern.fullmatch(text):
            return kind
    return None


def _looks_like_heading(line: str) -> bool:
    stripped = line.strip()
    if stripped.startswith("#") or stripped.endswith(":"):
        return True
    if (stripped.startswith("**") and stripped.endswith("**")) or (
        stripped.startswith("__") and stripped.endswith("__")
    ):
        return True
    letters = [c for c in stripped if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters)


# ---------------------------------------------------------------------------------------------
# required / preferred

# Strong cues name the requirement outright and override the section's default; weak cues only
# decide where the section says nothing ("Strong experience with X" under "Nice to have" stays
# preferred). Cues are token sequences (hyphens ignored); a cue with a set of previous words only
# counts after one of them ("a plus", "big plus"; "5 years", "3+ years").
_PLUS_BEFORE = frozenset({"a", "big", "huge", "definite", "major", "real", "strong", "is", "are"})
_DIGITS_BEFORE = frozenset({"+", *map(str, range(100))})
_CUE_TABLE: tuple[tuple[str, str, frozenset[str] | None], ...] = (
    *(
        (cue, "strong_required", None)
        for cue in (
            "required",
            "requirement",
            "requirements",
            "must",
            "mandatory",
            "essential",
            "necessary",
            "need to have",
            "needs to have",
        )
    ),
    *(
        (cue, "strong_preferred", None)
        for cue in (
            "preferred",
            "preferably",
            "nice to have",
            "nice to haves",
            "good to have",
            "pluses",
            "bonus",
            "ideally",
            "desirable",
            "desired",
            "advantageous",
            "would be great",
            "would be nice",
            "optional",
        )
    ),
    ("plus", "strong_preferred", _PLUS_BEFORE),
    ("advantage", "strong_preferred", frozenset({"an"})),
    *(
        (cue, "weak_required", None)
        for cue in (
            "strong",
            "solid",
            "proven",
            "extensive",
            "deep",
            "expert",
            "expertise",
            "proficient",
            "proficiency",
        )
    ),
    ("years", "weak_required", _DIGITS_BEFORE),
    ("year", "weak_required", _DIGITS_BEFORE),
    *(
        (cue, "weak_preferred", None)
        for cue in ("familiarity with", "exposure to", "interest in", "understanding of")
    ),
)
CUE_FIRST_WORDS: frozenset[str]  # set below: the tokens a cue can start with
_CUES_BY_FIRST: dict[str, list[tuple[tuple[str, ...], str, frozenset[str] | None]]] = {}
for _phrase, _kind, _before in _CUE_TABLE:
    _CUES_BY_FIRST.setdefault(_phrase.split()[0], []).append((tuple(_phrase.split()), _kind, _before))
CUE_FIRST_WORDS = frozenset(_CUES_BY_FIRST)
_WORDS = re.compile(r"\w+|[^\w\s]")
_CLAUSE_END = re.compile(r"[.!?;](?=\s)|\n")  # a clause ends at a newline or at . ! ? ; before a space
_SECTION_DEFAULT: dict[str, Requirement] = {"requirements": "required", "nice_to_have": "preferred"}


class CueIndex:
    """Where the requirement cue words of one text are, found once from its lowercased tokens.

    ``tokens`` are the lowercased word and symbol tokens of the text and ``starts`` their character
    offsets; ``candidates`` (token positions that may start a cue) saves a pass for callers that
    already have them. A clause then asks which cues it holds with a bisect, not a regex search.
    """

    __slots__ = ("_kinds", "_offsets")

    def __init__(
        self, tokens: Sequence[str], starts: Sequence[int], candidates: Iterable[int] | None = None
    ) -> None:
        if candidates is None:
            candidates = compress(count(), map(_CUES_BY_FIRST.__contains__, tokens))
        offsets, kinds = [], []
        for k in candidates:
            if tokens[k] not in _CUES_BY_FIRST:
                continue
            kind = _cue_at(tokens, k)
            if kind is not None:
                offsets.append(starts[k])
                kinds.append(kind)
        self._offsets, self._kinds = offsets, kinds

    @classmethod
    def of(cls, text: str) -> CueIndex:
        matches = list(_WORDS.finditer(text.lower()))
        return cls([m.group() for m in matches], [m.start() for m in matches])

    def kinds(self, left: int, right: int) -> set[str]:
        return set(self._kinds[bisect_left(self._offsets, left) : bisect_left(self._offsets, right)])


def _cue_at(tokens: Sequence[str], k: int) -> str | None:
    for phrase, kind, before in _CUES_BY_FIRST[tokens[k]]:
        if before is not None and (k == 0 or tokens[k - 1] not in before):
            continue
        j = k + 1
        for word in phrase[1:]:
            while j < len(tokens) and tokens[j] == "-":
                j += 1
            if j >= len(tokens) or tokens[j] != word:
                break
            j += 1
        else:
            return kind
    return None


def clause_bounds(text: str, start: int, end: int, breaks: Sequence[int] | None = None) -> tuple[int, int]:
    """The sentence or list item around [start, end): cues in it apply to the mention.

    ``breaks`` (``clause_breaks(text)``) saves the search when asking about many mentions.
    """
    breaks = breaks if breaks is not None else clause_breaks(text)
    before = bisect_left(breaks, start) - 1
    after = bisect_left(breaks, end)
    return (breaks[before] + 1 if before >= 0 else 0), (breaks[after] if after < len(breaks) else len(text))


def clause_breaks(text: str) -> list[int]:
    """Offsets of the characters that end a clause: newlines, and . ! ? ; before whitespace."""
    return [m.start() for m in _CLAUSE_END.finditer(text)]


def requirement_for(
    text: str,
    start: int,
    end: int,
    section: SectionKind,
    cues: CueIndex | None = None,
    breaks: Sequence[int] | None = None,
) -> Requirement | None:
    """Required / preferred for the mention at [start, end): cue words near it, else its section.

    Where a sentence holds both kinds of strong cue ("Python required, Go preferred") only the
    comma-separated part around the mention counts. Pass ``cues`` (``CueIndex.of(text)``) and
    ``breaks`` (``clause_breaks(text)``) when asking about many mentions of one text.
    """
    cues = cues if cues is not None else CueIndex.of(text)
    left, right = clause_bounds(text, start, end, breaks)
    found = clause_requirement(cues.kinds(left, right), section)
    if found != "both":
        return found  # type: ignore[return-value]
    part_left = text.rfind(",", left, start) + 1 or left
    part_right = text.find(",", end, right)
    found = clause_requirement(cues.kinds(part_left, part_right if part_right >= 0 else right), section)
    return _SECTION_DEFAULT.get(section) if found == "both" else found  # type: ignore[return-value]


def clause_requirement(kinds: set[str], section: SectionKind) -> str | None:
    """The clause's requirement from its cue kinds: required, preferred, None, or "both"."""
    strong = _decide(kinds, "strong_required", "strong_preferred")
    if strong is not None:
        return strong
    if section in _SECTION_DEFAULT:
        return _SECTION_DEFAULT[section]
    weak = _decide(kinds, "weak_required", "weak_preferred")
    return weak if weak != "both" else None


def _decide(kinds: set[str], required: str, preferred: str) -> str | None:
    if required in kinds and preferred in kinds:
        return "both"
    if preferred in kinds:
        return "preferred"
    return "required" if required in kinds else None
