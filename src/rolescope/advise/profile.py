"""A person's profile: their text, the skills it shows (each with its evidence span), and context.

The guard the advisor rests on lives here: a :class:`Profile` has no way to be handed skills. It
finds them itself, with the skill extractor, in its own ``text``, and keeps only mentions that are
not negated and whose span reads back exactly (``text[start:end] == quoted text``). Every later
step (fit, gaps, roadmap, matches) reads ``profile.skills``, so no skill is ever credited that the
input does not contain, and every credited skill can quote where it was found.

A profile comes from a résumé (txt, md, pdf, docx: read locally, never stored) or from a YAML/JSON
file with any of: ``resume`` (a path, relative to the file), ``text``, ``skills`` (a list), ``years``,
``country``, ``metro``, ``level``, ``current_pay`` and ``preferences`` (statement id -> 1..5). A
skills list becomes a "Skills: a, b, c" line appended to the text, so its evidence has offsets too.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import yaml

from rolescope.enrich.skills.extract import SkillExtractor
from rolescope.errors import InvalidInput, NotFound
from rolescope.insights.salaries import LEVEL_OF, LEVELS
from rolescope.knowledge.preferences import load_questionnaire

PROFILE_SUFFIXES = (".yaml", ".yml", ".json")
RESUME_SUFFIXES = (".txt", ".md", ".pdf", ".docx")
_FIELDS = (
    "resume",
    "text",
    "skills",
    "years",
    "country",
    "metro",
    "level",
    "current_pay",
    "preferences",
    "name",
)
_MAX_TEXT = 200_000
_YEARS = re.compile(
    r"\b(\d{1,2}(?:\.\d)?)\s*\+?\s*(?:years?|yrs?)(?:\s+of)?(?:\s+(?:professional|industry|work|hands-on))?"
    r"\s+experience\b",
    re.IGNORECASE,
)
_YEARS_BARE = re.compile(
    r"\b(\d{1,2}(?:\.\d)?)\s*\+?\s*(?:years?|yrs?)\b(?=\s*(?:[.,;)]|$))", re.IGNORECASE | re.M
)
_HEAD_LINES = 3
# Phrases that make the rest of their clause an interest rather than a skill.
_HEDGE = re.compile(
    r"\b(?:curious about|interested in|interest in|want(?:ing)? to learn|would like to (?:learn|try)|"
    r"eager to learn|keen to learn|hope to learn|plan(?:ning)? to learn|currently learning|"
    r"learning about|aspiring|not yet)\b",
    re.IGNORECASE,
)
_HEDGE_WINDOW = 200
_SENTENCE_END = re.compile(r"\n|(?<!\be\.g)(?<!\bi\.e)(?<!\betc)(?<!\bvs)[.!?](?=\s+[A-Z0-9])")
_MAX_YEARS = 60
# Years of experience -> the survey's experience level (the salary benchmarks' levels).
_LEVEL_YEARS = ((2.0, "entry"), (5.0, "mid"), (12.0, "senior"))


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where the input shows a skill: ``profile.text[start:end] == text``."""

    skill_id: str
    text: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"skill_id": self.skill_id, "text": self.text, "start": self.start, "end": self.end}


@lru_cache(maxsize=1)
def _extractor() -> SkillExtractor:
    return SkillExtractor()


def is_hedged(text: str, start: int) -> bool:
    """True when the mention at ``start`` follows an interest phrase ("curious about", "want to
    learn") in the same sentence. A sentence ends at a line break or at ".", "!" or "?" followed by
    a space and a capital; "Node.js", "e.g." and semicolons do not end it, so "curious about
    Node.js and Kubernetes" credits neither."""
    low = max(0, start - _HEDGE_WINDOW)
    window = text[low : start + 1]  # one character on, so ". Apache" ends the sentence before it
    ends = [m.end() for m in _SENTENCE_END.finditer(window) if m.start() < len(window) - 1]
    return bool(_HEDGE.search(window, ends[-1] if ends else 0, len(window) - 1))


def find_evidence(text: str) -> dict[str, list[Evidence]]:
    """Skill id -> its evidence in ``text``: mentions whose span reads back exactly and that are
    neither negated ("no Kubernetes") nor hedged ("curious about MLOps")."""
    found: dict[str, list[Evidence]] = {}
    for mention in _extractor().extract(text):
        if mention.negated or text[mention.start : mention.end] != mention.surface:
            continue
        if is_hedged(text, mention.start):
            continue
        found.setdefault(mention.skill_id, []).append(
            Evidence(mention.skill_id, mention.surface, mention.start, mention.end)
        )
    return found


def level_for_years(years: float) -> str:
    for limit, level in _LEVEL_YEARS:
        if years < limit:
            return level
    return "executive"


@dataclass(frozen=True)
class Profile:
    """One person. Build with :func:`load_profile` or directly from text; skills are found, never given."""

    text: str
    source: str = "text"
    name: str | None = None
    years: float | None = None
    years_evidence: tuple[int, int] | None = None
    country: str | None = None
    metro: str | None = None
    level: str | None = None
    current_pay: float | None = None
    preferences: Mapping[str, int] = field(default_factory=dict)
    listed_skills: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.text.strip():
            raise InvalidInput(f"{self.source}: the profile has no text to read skills from")
        if len(self.text) > _MAX_TEXT:
            raise InvalidInput(f"{self.source}: the profile text is over {_MAX_TEXT:,} characters")
        if self.years is not None and not 0 <= self.years <= _MAX_YEARS:
            raise InvalidInput(
                f"{self.source}: years of experience must be between 0 and 60, got {self.years}"
            )
        if self.level is not None and self.level not in LEVELS:
            raise InvalidInput(
                f"{self.source}: unknown level {self.level!r}", hint=f"use one of {', '.join(LEVELS)}"
            )
        if self.current_pay is not None and not 1_000 <= self.current_pay <= 5_000_000:
            raise InvalidInput(
                f"{self.source}: current_pay must be a yearly amount in USD, got {self.current_pay}"
            )
        check_preferences(self.preferences, self.source)

    @cached_property
    def evidence(self) -> dict[str, list[Evidence]]:
        return find_evidence(self.text)

    @property
    def skills(self) -> frozenset[str]:
        """The skills credited to this person: exactly those with evidence in the text."""
        return frozenset(self.evidence)

    @property
    def effective_level(self) -> str | None:
        """The stated level, else the level the years of experience read as."""
        if self.level:
            return self.level
        return level_for_years(self.years) if self.years is not None else None

    @property
    def unrecognised(self) -> list[str]:
        """Listed skills that matched nothing in the taxonomy (shown, never credited)."""
        if not self.listed_skills:
            return []
        covered = [(e.start, e.end) for spans in self.evidence.values() for e in spans]
        start = len(self.text) - len(skills_line(self.listed_skills)) + len(_SKILLS_PREFIX)
        out = []
        for item in self.listed_skills:
            end = start + len(item)
            if not any(s < end and start < e for s, e in covered):
                out.append(item)
            start = end + len(_SKILLS_SEPARATOR)
        return out

    def require_skills(self) -> None:
        """Refuse to advise on a profile with no recognisable skill (binary or empty input)."""
        if not self.skills:
            raise InvalidInput(
                f"{self.source}: found no skill from the taxonomy in the profile",
                hint="list your skills (a 'skills:' list in a profile YAML) or check the file is a résumé",
            )

    def describe(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "name": self.name,
            "text": self.text,
            "text_sha256": hashlib.sha256(self.text.encode()).hexdigest(),
            "text_length": len(self.text),
            "evidence": [e.to_dict() for spans in self.evidence.values() for e in spans],
            "years": self.years,
            "years_evidence": list(self.years_evidence) if self.years_evidence else None,
            "level": self.effective_level,
            "level_from": "stated" if self.level else ("years" if self.years is not None else None),
            "country": self.country,
            "metro": self.metro,
            "current_pay": self.current_pay,
            "preferences_answered": len(self.preferences),
            "skills": sorted(self.skills),
            "unrecognised_skills": self.unrecognised,
        }


_SKILLS_PREFIX = "Skills: "
_SKILLS_SEPARATOR = ", "


def skills_line(listed: tuple[str, ...] | list[str]) -> str:
    """The line a skills list becomes in the profile text (its evidence points into it)."""
    return _SKILLS_PREFIX + _SKILLS_SEPARATOR.join(listed)


def check_preferences(answers: Mapping[Any, Any], source: str) -> dict[str, int]:
    """Questionnaire answers (statement id -> 1..5) checked, naming ``source`` in any error."""
    questionnaire = load_questionnaire()
    for statement_id, answer in answers.items():
        if not isinstance(statement_id, str) or statement_id not in {s.id for s in questionnaire.statements}:
            raise InvalidInput(
                f"{source}: unknown preference statement {statement_id!r}",
                hint="see: rolescope advise questions",
            )
        if isinstance(answer, bool) or not isinstance(answer, int) or not 1 <= answer <= 5:
            raise InvalidInput(
                f"{source}: preference {statement_id!r} must be 1 to 5, got {answer!r}",
                hint="1 strongly disagree, 3 neutral, 5 strongly agree",
            )
    return dict(answers)


def years_in_text(text: str) -> tuple[float, tuple[int, int]] | None:
    """The largest "N years of experience" the text states, with its span; None when it states none.

    A bare "N years" counts only in a résumé's opening lines ("Senior ML engineer, 6 years."), where
    it is about the person; further down it is usually about a job or a firm.
    """
    best: tuple[float, tuple[int, int]] | None = None
    head = len("\n".join(text.split("\n", _HEAD_LINES)[:_HEAD_LINES]))
    found = [*_YEARS.finditer(text), *_YEARS_BARE.finditer(text, 0, head)]
    for match in found:
        value = float(match.group(1))
        if value > _MAX_YEARS:  # "75 years of experience" is about a firm, not the person
            continue
        if best is None or value > best[0]:
            best = (value, match.span())
    return best


def profile_from_text(text: str, *, source: str = "text", **context: Any) -> Profile:
    """A profile from plain text; years come from the text ("8 years of experience") unless given."""
    text = text.replace("\x00", "")
    if context.get("years") is None and (found := years_in_text(text)):
        context["years"], context["years_evidence"] = found
    return Profile(text=text, source=source, **context)


def load_profile(path: Path, **overrides: Any) -> Profile:
    """A profile from a résumé file or a profile YAML/JSON; ``overrides`` (not None) win over the file."""
    path = Path(path)
    if not path.is_file():
        raise NotFound(
            f"no profile file at {path}", hint="pass a résumé (.txt .md .pdf .docx) or a profile .yaml/.json"
        )
    suffix = path.suffix.lower()
    given = {k: v for k, v in overrides.items() if v is not None}
    if suffix in RESUME_SUFFIXES:
        from rolescope.advise.documents import read_document

        return profile_from_text(read_document(path), source=path.name, **given)
    if suffix not in PROFILE_SUFFIXES:
        raise InvalidInput(
            f"{path.name}: unsupported profile file type {suffix or '(none)'}",
            hint=f"use a résumé ({' '.join(RESUME_SUFFIXES)}) or a profile ({' '.join(PROFILE_SUFFIXES)})",
        )
    data = _read_structured(path)
    unknown = sorted(str(k) for k in set(data) - set(_FIELDS))
    if unknown:
        raise InvalidInput(f"{path.name}: unknown field {unknown[0]!r}", hint=f"fields: {', '.join(_FIELDS)}")
    parts = []
    if data.get("resume") is not None:
        from rolescope.advise.documents import read_document

        resume = _string(data["resume"], "resume", path)
        parts.append(read_document((path.parent / resume).resolve()))
    if data.get("text"):
        parts.append(_string(data["text"], "text", path))
    listed = _skills_list(data.get("skills"), path)
    if listed:
        parts.append(skills_line(listed))
    if not parts:
        raise InvalidInput(f"{path.name}: the profile needs a resume, a text or a skills list")
    context = {
        "name": _optional_string(data.get("name"), "name", path),
        "years": _number(data.get("years"), "years", path),
        "country": _country(data.get("country"), path),
        "metro": _optional_string(data.get("metro"), "metro", path),
        "level": _level(data.get("level"), path),
        "current_pay": _number(data.get("current_pay"), "current_pay", path),
        "preferences": _preferences(data.get("preferences"), path),
        "listed_skills": tuple(listed),
    }
    if "preferences" in given:  # answers given on the command line refine the file's
        given["preferences"] = {**context["preferences"], **given["preferences"]}
    context.update(given)
    return profile_from_text("\n\n".join(parts), source=path.name, **context)


def _read_structured(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"cannot read {path.name}: {exc}") from None
    try:
        data = json.loads(raw) if path.suffix.lower() == ".json" else yaml.safe_load(raw)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        first = str(exc).splitlines()[0]
        raise InvalidInput(f"{path.name}: not valid {path.suffix.lstrip('.').upper()}: {first}") from None
    if not isinstance(data, dict):
        raise InvalidInput(
            f"{path.name}: the profile must be a mapping of fields", hint=f"fields: {', '.join(_FIELDS)}"
        )
    return data


def _string(value: Any, name: str, path: Path) -> str:
    if not isinstance(value, str):
        raise InvalidInput(f"{path.name}: {name} must be text, got {type(value).__name__}")
    return value


def _optional_string(value: Any, name: str, path: Path) -> str | None:
    return None if value is None else _string(value, name, path)


def _level(value: Any, path: Path) -> str | None:
    return None if value is None else normalize_level(_string(value, "level", path))


def normalize_level(value: str) -> str:
    """A level as the benchmarks name it: entry, mid, senior, executive (intern and lead accepted)."""
    level = LEVEL_OF.get(value.strip().lower())
    if level is None:
        raise InvalidInput(
            f"unknown level {value!r}", hint=f"use one of {', '.join(LEVELS)} (intern and lead also work)"
        )
    return level


def _number(value: Any, name: str, path: Path) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInput(f"{path.name}: {name} must be a number, got {value!r}")
    return float(value)


def _country(value: Any, path: Path) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z]{2}", value):
        raise InvalidInput(f"{path.name}: country must be a two-letter code such as US, got {value!r}")
    return value.upper()


def _skills_list(value: Any, path: Path) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise InvalidInput(f"{path.name}: skills must be a list of skill names")
    return [v.strip() for v in value]


def _preferences(value: Any, path: Path) -> dict[str, int]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InvalidInput(f"{path.name}: preferences must map statement ids to answers 1-5")
    return dict(value)
