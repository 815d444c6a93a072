"""Skill demand per role: shares with Wilson intervals, required vs preferred, AI-vs-ML log-odds, trends.

Everything here works on :class:`SkillCounts`, posting counts per role (and per role and quarter),
so the embedded snapshot (which stores only those counts) and a live store answer identically.
A posting's role is its title's role (the title normalizer), not the classifier's reading: the
classifier reads skills, so grouping by it would make skills "distinguish" roles by construction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa

from rolescope.errors import NotFound
from rolescope.insights.stats import weighted_log_odds, wilson_interval


def quarter_of(day: dt.date | None) -> str | None:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}" if day else None


@dataclass(slots=True)
class RoleSkillCounts:
    """Postings of one role (``n``) and, per skill, [any, required, preferred] posting counts."""

    n: int = 0
    skills: dict[str, list[int]] = field(default_factory=dict)
    quarters: dict[str, int] = field(default_factory=dict)
    quarter_skills: dict[str, dict[str, int]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "skills": self.skills,
            "quarters": self.quarters,
            "quarter_skills": self.quarter_skills,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RoleSkillCounts:
        return cls(data["n"], dict(data["skills"]), dict(data["quarters"]), dict(data["quarter_skills"]))


@dataclass(slots=True)
class SkillCounts:
    roles: dict[str, RoleSkillCounts]

    def role(self, role: str) -> RoleSkillCounts:
        if role not in self.roles:
            known = ", ".join(sorted(self.roles))
            raise NotFound(f"no postings of role {role!r} in this data", hint=f"roles with postings: {known}")
        return self.roles[role]

    def to_dict(self) -> dict[str, Any]:
        return {role: counts.to_dict() for role, counts in sorted(self.roles.items())}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SkillCounts:
        return cls({role: RoleSkillCounts.from_dict(v) for role, v in data.items()})


def count_skills(table: pa.Table, role_of: Callable[[str], str | None]) -> SkillCounts:
    """Posting counts per role and skill from :func:`rolescope.store.market.posting_skill_table` rows."""
    cols = table.to_pydict()
    roles: dict[str, RoleSkillCounts] = {}
    seen: set[str] = set()
    for pid, title, posted, skill, req in zip(
        cols["posting_id"],
        cols["title"],
        cols["posted_at"],
        cols["skill_id"],
        cols["requirement"],
        strict=True,
    ):
        role = role_of(title)
        if role is None:
            continue
        counts = roles.setdefault(role, RoleSkillCounts())
        quarter = quarter_of(posted)
        if pid not in seen:
            seen.add(pid)
            counts.n += 1
            if quarter:
                counts.quarters[quarter] = counts.quarters.get(quarter, 0) + 1
        if skill is None:
            continue
        row = counts.skills.setdefault(skill, [0, 0, 0])
        row[0] += 1
        row[1] += req == "required"
        row[2] += req == "preferred"
        if quarter:
            per = counts.quarter_skills.setdefault(quarter, {})
            per[skill] = per.get(skill, 0) + 1
    return SkillCounts(roles)


@dataclass(frozen=True, slots=True)
class SkillShare:
    skill_id: str
    k: int
    n: int
    share: float
    low: float
    high: float
    required: int
    preferred: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "skill_id": self.skill_id,
            "k": self.k,
            "n": self.n,
            "share": round(self.share, 4),
            "low": round(self.low, 4),
            "high": round(self.high, 4),
            "required": self.required,
            "preferred": self.preferred,
        }


def skill_share(counts: SkillCounts, role: str, skill_ids: list[str], level: float = 0.95) -> SkillShare:
    """Share of the role's postings asking for any of ``skill_ids`` (a posting counts once).

    Only single skills carry exact counts; for a group the count is a lower bound (the largest
    member), since postings asking for several members cannot be told apart in counts.
    """
    data = counts.role(role)
    rows = [data.skills.get(s, [0, 0, 0]) for s in skill_ids]
    best = max(rows, key=lambda r: r[0])
    low, high = wilson_interval(best[0], data.n, level)
    return SkillShare(
        "+".join(skill_ids), best[0], data.n, best[0] / data.n if data.n else 0.0, low, high, best[1], best[2]
    )


def skill_demand(
    counts: SkillCounts, role: str, *, top: int = 30, min_k: int = 1, level: float = 0.95
) -> list[SkillShare]:
    """The role's most asked-for skills: share of its postings with a Wilson interval."""
    data = counts.role(role)
    ranked = sorted(((k[0], s) for s, k in data.skills.items() if k[0] >= min_k), key=lambda t: (-t[0], t[1]))
    return [skill_share(counts, role, [skill], level) for _, skill in ranked[:top]]


@dataclass(frozen=True, slots=True)
class DistinctiveSkill:
    skill_id: str
    leans_to: str
    delta: float
    z: float
    share_a: float
    share_b: float
    k_a: int
    k_b: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "skill_id": self.skill_id,
            "leans_to": self.leans_to,
            "log_odds": round(self.delta, 4),
            "z": round(self.z, 3),
            "share_a": round(float(self.share_a), 4),
            "share_b": round(float(self.share_b), 4),
            "k_a": self.k_a,
            "k_b": self.k_b,
        }


def distinguishing_skills(
    counts: SkillCounts, role_a: str, role_b: str, *, top: int = 15, min_k: int = 5
) -> tuple[list[DistinctiveSkill], list[DistinctiveSkill]]:
    """Skills that most set ``role_a`` apart from ``role_b`` and vice versa, by weighted log-odds.

    Items are skill mentions at posting level (a posting asking for a skill counts once). The prior
    is informative: every role's postings together, scaled to as many pseudo-counts as the smaller
    of the two roles has mentions, so a rare skill needs real evidence to rank. Only skills with
    at least ``min_k`` postings in the two roles together are ranked.
    """
    a, b = counts.role(role_a), counts.role(role_b)
    skills = sorted(
        s for s in set(a.skills) | set(b.skills) if a.skills.get(s, [0])[0] + b.skills.get(s, [0])[0] >= min_k
    )
    if not skills:
        return [], []
    background: dict[str, int] = {}
    for role in counts.roles.values():
        for s, k in role.skills.items():
            background[s] = background.get(s, 0) + k[0]
    k_a = np.array([a.skills.get(s, [0])[0] for s in skills], dtype=float)
    k_b = np.array([b.skills.get(s, [0])[0] for s in skills], dtype=float)
    bg = np.array([background[s] for s in skills], dtype=float)
    total_bg = float(sum(background.values()))
    strength = float(min(k_a.sum(), k_b.sum()))
    prior = bg / total_bg * strength
    delta, z = weighted_log_odds(k_a, int(k_a.sum()), k_b, int(k_b.sum()), prior, float(prior.sum()))
    rows = [
        DistinctiveSkill(
            s,
            role_a if d > 0 else role_b,
            float(d),
            float(zz),
            float(ka) / a.n,
            float(kb) / b.n,
            int(ka),
            int(kb),
        )
        for s, d, zz, ka, kb in zip(skills, delta, z, k_a, k_b, strict=True)
    ]
    lean_a = sorted((r for r in rows if r.z > 0), key=lambda r: -r.z)[:top]
    lean_b = sorted((r for r in rows if r.z < 0), key=lambda r: r.z)[:top]
    return lean_a, lean_b


def skill_trend(counts: SkillCounts, role: str, skill_id: str, level: float = 0.95) -> list[dict[str, Any]]:
    """Share of the role's postings asking for the skill, per calendar quarter, with n and interval."""
    data = counts.role(role)
    out = []
    for quarter in sorted(data.quarters):
        n = data.quarters[quarter]
        k = data.quarter_skills.get(quarter, {}).get(skill_id, 0)
        low, high = wilson_interval(k, n, level)
        out.append(
            {
                "period": quarter,
                "k": k,
                "n": n,
                "share": round(k / n, 4),
                "low": round(low, 4),
                "high": round(high, 4),
            }
        )
    return out
