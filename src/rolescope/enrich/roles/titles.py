"""Title normalizer: a raw job title (or a Hacker News style header) to a role id and a seniority.

The role patterns live in ``knowledge/roles.yaml`` and are written against the canonical form of
a title (``canonical_title``: lowercase, "machine learning" spelt "ml", "AI/ML" spelt "aiml", ...).
This module adds what a flat list of patterns cannot decide:

1. A header such as ``"Acme - Senior ML Engineer - Remote - Full-time"`` is cut into segments at
   spaced dashes and bars; a segment is cut into *job parts* at ``&``, ``/``, ``+``, ``and`` and
   commas, where a part without an occupation noun ("ai" in "Software Engineer, AI") stays
   attached to the part before it, so each job part names one job. A segment with no occupation
   noun is dropped (a company, a place), unless it is an AI/ML qualifier of the job before it
   ("Software Engineer - Machine Learning").
2. Inside a job part, overlapping matches are settled by specificity: MLOps beats ML platform,
   which beats the hybrid and research roles, which beat AI / ML engineer; AI and ML engineering
   both matching in one part make it hybrid ("ML Engineer - GenAI").
3. Across job parts: the same role everywhere gives that role; AI engineer plus ML engineer gives
   the hybrid; any other mix ("Data Scientist / ML Engineer", "Fullstack Engineer & AI Engineer")
   is ambiguous: no role, every candidate listed.
4. A part with an occupation noun and no AI/ML role is ``other``, unless it is an AI/ML
   management title ("AI/ML Engineering Manager", "Head of AI"): those are left unlabelled,
   because they are neither outside AI/ML nor one of its engineering roles.

The result says why it decided, so a wrong label can be traced to the pattern that made it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from rolescope.ingest.normalize.seniority import infer_seniority
from rolescope.knowledge.roles import RoleCatalog, canonical_title, load_roles

OTHER = "other"
HYBRID = "ai_ml_hybrid"
# Specific roles first: when several match one job part, the earlier one wins over the later ones
# listed against it ("ML platform engineer" matches the ML engineer pattern too).
_OVERRIDES: tuple[tuple[str, frozenset[str]], ...] = (
    ("mlops_engineer", frozenset({"ml_platform_engineer", "ai_engineer", "ml_engineer", HYBRID})),
    ("ml_platform_engineer", frozenset({"ai_engineer", "ml_engineer", HYBRID})),
    (HYBRID, frozenset({"ai_engineer", "ml_engineer"})),
    ("research_scientist", frozenset({"ai_engineer", "ml_engineer", HYBRID, "data_scientist"})),
    ("ai_specialist", frozenset({"ai_engineer"})),
)
_SPECIFIC = frozenset({"mlops_engineer", "ml_platform_engineer", "research_scientist"})
_SEGMENT_SPLIT = re.compile(r"\s+[-|–—]+\s+|\s*[|;]\s*|\s+-{2,}\s*")
_PART_SPLIT = re.compile(r"\s*(?:&|/|\+|,|\band\b|\bor\b)\s*")
_OCCUPATION = re.compile(
    r"\b(?:engineers?|developers?|programmers?|architects?|designers?|managers?|directors?|analysts?|"
    r"scientists?|administrators?|consultants?|specialists?|recruiters?|representatives?|executives?|"
    r"writers?|editors?|lead|head|officers?|coordinators?|technicians?|accountants?|interns?|sres?|"
    r"devops|testers?|qa|researchers?|strategists?|advocates?|marketers?|owners?|counsel|attorneys?|"
    r"nurses?|teachers?|tutors?|trainers?|operators?|associates?|technical staff|cto|ceo|cfo|vp|president|"
    r"founders?|mts|faculty|professors?|lecturers?|devs?|supervisors?|technologists?|stewards?)\b"
)
_MANAGEMENT = re.compile(r"\b(?:managers?|directors?|head|vp|vice president|chief|cto|leadership)\b")
# Engineers who sell, support or test a product rather than build AI/ML systems.
_NOT_BUILDING = re.compile(
    r"\b(?:sales|pre-?sales|support|qa|quality assurance|test|testing)(?: [a-z]+)? engineers?\b"
)
_AI_ML_WORDS = re.compile(r"\b(?:ai|ml|aiml|genai|llm|dl|nlp|mlops|data science|computer vision)\b")


@dataclass(frozen=True, slots=True)
class TitleRole:
    """What a title says: a role id (``None`` when it cannot tell), a seniority and why."""

    role: str | None
    seniority: str | None
    candidates: tuple[str, ...] = ()
    reason: str = ""
    matched: tuple[str, ...] = field(default=())

    @property
    def ambiguous(self) -> bool:
        return self.role is None and len(self.candidates) > 1


class TitleNormalizer:
    """Maps titles to role ids with the knowledge base's patterns; cheap to call, build once."""

    def __init__(self, catalog: RoleCatalog | None = None) -> None:
        catalog = catalog or load_roles()
        self._roles = [role for role in catalog.roles if role.title_patterns]
        self._patterns = [(role.id, [re.compile(p) for p in role.title_patterns]) for role in self._roles]

    def __call__(self, title: str | None) -> TitleRole:
        return self.normalize(title)

    def normalize(self, title: str | None) -> TitleRole:
        if not title or not title.strip():  # None, empty or only whitespace
            return TitleRole(None, None, reason="no title")
        seniority = infer_seniority(title)
        labels: list[str] = []
        matched: list[str] = []
        management = False
        for part in self._job_parts(canonical_title(title)):
            if _AI_ML_WORDS.search(part) and _MANAGEMENT.search(part):
                management = True
            elif _NOT_BUILDING.search(part):
                labels.append(OTHER)  # "Sales Engineer, AI Platform", "QA Engineer for AI products"
            elif found := self._match_part(part):
                role, text = found
                labels.append(role)
                matched.append(text)
            else:
                labels.append(OTHER)
        return self._decide(labels, tuple(matched), seniority, management)

    def _job_parts(self, canonical: str) -> list[str]:
        parts: list[str] = []
        for segment in _SEGMENT_SPLIT.split(canonical):
            current = ""
            for piece in _PART_SPLIT.split(segment):
                if not piece:
                    continue
                if current and _OCCUPATION.search(piece) and _OCCUPATION.search(current):
                    parts.append(current)
                    current = piece
                else:
                    current = f"{current}, {piece}" if current else piece
            if not current:
                continue
            if _OCCUPATION.search(current) or self._match_part(current):
                parts.append(current)
            elif parts and _AI_ML_WORDS.search(current) and self._qualifies(parts[-1], current):
                parts[-1] = f"{parts[-1]}, {current}"
            # Any other segment without an occupation noun ("remote", "full-time", a company
            # name) names no job.
        return parts

    def _qualifies(self, part: str, qualifier: str) -> bool:
        """Whether a trailing AI/ML segment ("- Machine Learning") says what the job before it is.

        It does when the job alone names no role ("Software Engineer - ML") or when together they
        name a more specific one ("ML Engineer - Model Serving Infrastructure"); "ML Engineer - AI"
        stays ML engineering rather than turning hybrid.
        """
        alone = self._match_part(part)
        if alone is None:
            return True
        together = self._match_part(f"{part}, {qualifier}")
        return together is not None and together[0] in _SPECIFIC

    def _match_part(self, part: str) -> tuple[str, str] | None:
        hits: dict[str, str] = {}
        for role_id, patterns in self._patterns:  # a role's first matching pattern speaks for it
            found = next((m for p in patterns if (m := p.search(part))), None)
            if found:
                hits[role_id] = found.group(0)
        if not hits:
            return None
        ids = set(hits)
        for winner, beaten in _OVERRIDES:
            if winner in ids:
                ids -= beaten
        if {"ai_engineer", "ml_engineer"} <= ids:
            ids -= {"ai_engineer", "ml_engineer"}
            ids.add(HYBRID)
            hits[HYBRID] = f"{hits['ai_engineer']} + {hits['ml_engineer']}"
        if len(ids) > 1:
            # Two unrelated roles inside one part ("data engineer, ml"): keep the first in
            # knowledge-base order; the part is too short for anything better.
            ordered = [role.id for role in self._roles if role.id in ids]
            return ordered[0], hits[ordered[0]]
        role_id = ids.pop()
        return role_id, hits[role_id]

    @staticmethod
    def _decide(
        labels: list[str], matched: tuple[str, ...], seniority: str | None, management: bool
    ) -> TitleRole:
        distinct = tuple(dict.fromkeys(labels))
        if not distinct:
            reason = "AI/ML management title" if management else "no job named in the title"
            return TitleRole(None, seniority, reason=reason)
        if set(distinct) == {"ai_engineer", "ml_engineer"}:
            return TitleRole(HYBRID, seniority, distinct, "AI and ML engineering both named", matched)
        if len(distinct) == 1 and not management:
            role = distinct[0]
            if role == OTHER:
                return TitleRole(OTHER, seniority, distinct, "a job with no AI/ML role words")
            return TitleRole(role, seniority, distinct, f"matched {matched[0]!r}", matched)
        candidates = distinct if not management else (*distinct, "ai_ml_management")
        return TitleRole(None, seniority, candidates, "several jobs in one title", matched)


@cache
def default_normalizer() -> TitleNormalizer:
    return TitleNormalizer()


def normalize_title(title: str | None) -> TitleRole:
    """Role id and seniority of one title with the installed knowledge base.

    >>> result = normalize_title("Sr. Machine Learning Engineer, Ads")
    >>> result.role, result.seniority
    ('ml_engineer', 'senior')
    >>> normalize_title("Acme - Data Scientist / ML Engineer - Remote").candidates
    ('data_scientist', 'ml_engineer')
    """
    return default_normalizer().normalize(title)
