"""Skill gaps and a learning roadmap for a target role: what to learn next, in what order, and why.

A posting of the target role is *matched* when the person has at least ``threshold`` (default half)
of the skills it asks for (soft skills aside). A missing skill's value is

    gain in the share of the role's postings matched  x  pay factor  /  weeks to learn it

where the pay factor is 1 + the skill's pay premium when the premium's 95% interval excludes zero,
else 1 (no measurable premium), squared for the "pay" objective; weeks come from the taxonomy's
effort estimates. When no single skill tips any posting over the threshold, the gain in mean
coverage (the average share of a posting's skills the person has) ranks them instead.

The roadmap learns greedily: it takes the best skill, adds it to the profile, re-values the rest (so
complementary skills rise together) and repeats; then it puts each step's missing prerequisites (from
the taxonomy) before it and cuts the sequence into stages of about ``stage_weeks`` weeks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np

from rolescope.advise.fit import MIN_POSTINGS as FIT_MIN_POSTINGS
from rolescope.advise.fit import method_summary, weighed_skills
from rolescope.advise.profile import Profile
from rolescope.errors import InvalidInput
from rolescope.insights.market import Market
from rolescope.knowledge.preferences import load_questionnaire
from rolescope.knowledge.roles import load_roles
from rolescope.knowledge.skills import load_taxonomy

DEFAULT_THRESHOLD = 0.5
MIN_SHARE = 0.02  # a candidate skill must be asked for by at least 2% of the role's postings ...
MIN_POSTINGS = 5  # ... and by at least 5 of them
# Domains (finance, healthcare ...) count towards matching but are not steps one "learns" in weeks.
NOT_STEPS = frozenset({"domain"})


@dataclass(slots=True)
class _Matrix:
    """The role's postings (grouped by identical skill sets) against the candidate skills."""

    skills: list[str]
    index: dict[str, int]
    has: np.ndarray  # groups x skills, bool
    size: np.ndarray  # skills each group asks for
    count: np.ndarray  # postings in each group
    n: int  # postings that name at least one skill

    def covered(self, have: set[str]) -> np.ndarray:
        cols = [self.index[s] for s in have if s in self.index]
        return self.has[:, cols].sum(axis=1) if cols else np.zeros(len(self.size))

    def shares(self, covered: np.ndarray, threshold: float) -> tuple[float, float]:
        frac = covered / self.size
        return float(self.count @ (frac >= threshold - 1e-12)) / self.n, float(self.count @ frac) / self.n


def _matrix(market: Market, role: str) -> _Matrix:
    weighed = weighed_skills()
    groups = [(g.skills & weighed, g.count) for g in market.posting_profiles().role(role)]
    groups = [(s, c) for s, c in groups if s]
    if not groups:
        raise InvalidInput(
            f"no postings of role {role!r} name any skill", hint="run rolescope enrich on the store"
        )
    skills = sorted(set().union(*(s for s, _ in groups)))
    index = {s: i for i, s in enumerate(skills)}
    has = np.zeros((len(groups), len(skills)), dtype=bool)
    for row, (group_skills, _) in enumerate(groups):
        has[row, [index[s] for s in group_skills]] = True
    count = np.array([c for _, c in groups], dtype=float)
    return _Matrix(skills, index, has, has.sum(axis=1).astype(float), count, int(count.sum()))


def _premiums(market: Market) -> dict[str, dict[str, Any]]:
    return {row["skill_id"]: row for row in market.premiums().get("premiums", [])}


@dataclass(slots=True)
class Step:
    skill_id: str
    name: str
    weeks: float
    effort_rationale: str
    share: float
    k: int
    n: int
    match_before: float
    match_after: float
    coverage_before: float
    coverage_after: float
    premium: dict[str, Any] | None
    pay_factor: float
    value: float
    prerequisite_of: str | None = None
    explanation: str = ""
    prerequisites: tuple[str, ...] = ()
    prerequisite_weeks: float = 0.0
    related: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out = {
            "skill_id": self.skill_id,
            "name": self.name,
            "weeks": self.weeks,
            "effort_rationale": self.effort_rationale,
            "share": round(self.share, 4),
            "k": self.k,
            "n": self.n,
            "match_before": round(self.match_before, 4),
            "match_after": round(self.match_after, 4),
            "coverage_before": round(self.coverage_before, 4),
            "coverage_after": round(self.coverage_after, 4),
            "premium": self.premium,
            "pay_factor": round(self.pay_factor, 4),
            "value": round(self.value, 6),
            "prerequisite_of": self.prerequisite_of,
            "missing_prerequisites": list(self.prerequisites),
            "prerequisite_weeks": self.prerequisite_weeks,
            "related_skills_you_show": list(self.related),
            "explanation": self.explanation,
        }
        return out


@dataclass(slots=True)
class _Valuer:
    market: Market
    role: str
    threshold: float
    objective: str
    known: frozenset[str] = frozenset()  # the profile's own skills (not those planned on the way)
    matrix: _Matrix = field(init=False)
    premiums: dict[str, dict[str, Any]] = field(init=False)
    role_name: str = field(init=False)

    def __post_init__(self) -> None:
        if not 0 < self.threshold <= 1:
            raise InvalidInput(f"the match threshold must be in (0, 1], got {self.threshold}")
        if self.objective not in ("reach", "pay"):
            raise InvalidInput(f"unknown objective {self.objective!r}", hint="use reach or pay")
        self.role_name = load_roles().get(self.role).name
        self.matrix = _matrix(self.market, self.role)
        self.premiums = _premiums(self.market)

    def candidates(self, have: set[str]) -> list[str]:
        m = self.matrix
        asked = m.count @ m.has
        floor = max(MIN_POSTINGS, MIN_SHARE * m.n)
        taxonomy = load_taxonomy()
        return [
            s
            for s, k in zip(m.skills, asked, strict=True)
            if k >= floor and s not in have and taxonomy.get(s).category not in NOT_STEPS
        ]

    def pay_factor(self, skill: str) -> tuple[float, dict[str, Any] | None]:
        row = self.premiums.get(skill)
        if row is None:
            return 1.0, None
        premium = {k: row[k] for k in ("premium", "low", "high", "n_with", "n_without", "distinguishable")}
        factor = 1.0 + row["premium"] if row["distinguishable"] else 1.0
        return (factor**2 if self.objective == "pay" else factor), premium

    def steps(self, have: set[str]) -> list[Step]:
        """Every candidate valued against ``have``, best first."""
        m = self.matrix
        covered = m.covered(have)
        before, cov_before = m.shares(covered, self.threshold)
        taxonomy = load_taxonomy()
        asked = m.count @ m.has
        out = []
        for skill in self.candidates(have):
            col = m.index[skill]
            after, cov_after = m.shares(covered + m.has[:, col], self.threshold)
            factor, premium = self.pay_factor(skill)
            entry = taxonomy.get(skill)
            missing = missing_prerequisites(skill, have)
            extra = sum(taxonomy.get(p).effort.weeks for p in missing)
            value = (after - before) * factor / (entry.effort.weeks + extra)
            out.append(
                Step(
                    skill,
                    entry.name,
                    entry.effort.weeks,
                    entry.effort.rationale,
                    float(asked[col]) / m.n,
                    int(asked[col]),
                    m.n,
                    before,
                    after,
                    cov_before,
                    cov_after,
                    premium,
                    factor,
                    value,
                    prerequisites=tuple(missing),
                    prerequisite_weeks=extra,
                    related=tuple(sorted(s for s in self.known if skill in ancestors(s))),
                )
            )
        if out and not any(s.value > 0 for s in out):
            for s in out:
                s.value = (
                    (s.coverage_after - s.coverage_before) * s.pay_factor / (s.weeks + s.prerequisite_weeks)
                )
        out.sort(key=lambda s: (-s.value, -(s.coverage_after - s.coverage_before), s.skill_id))
        for s in out:
            s.explanation = self.explain(s)
        return out

    def explain(self, s: Step) -> str:
        parts = [f"asked for by {s.share:.0%} of {self.role_name} postings ({s.k:,} of {s.n:,})"]
        if s.prerequisite_of:
            pass
        elif s.match_after > s.match_before:
            parts.append(f"you would match {s.match_before:.0%} -> {s.match_after:.0%} of them")
        else:
            parts.append(
                f"covers {s.coverage_before:.0%} -> {s.coverage_after:.0%} of a typical posting's skills"
            )
        p = s.premium
        if p and p["distinguishable"]:
            interval = f"[{p['low']:+.0%}, {p['high']:+.0%}]"
            parts.append(f"pay premium {p['premium']:+.0%} {interval}, {p['n_with']:,} paid postings")
        elif p:
            parts.append(
                f"no measurable pay premium ({p['premium']:+.0%}, interval spans 0; "
                f"{p['n_with']:,} paid postings)"
            )
        else:
            parts.append("premium not estimated (too few paid postings)")
        weeks = f"about {s.weeks:g} week{'' if s.weeks == 1 else 's'}"
        if s.prerequisites:
            weeks += f" (+{s.prerequisite_weeks:g} for prerequisites: {', '.join(s.prerequisites)})"
        parts.append(weeks)
        if s.prerequisite_of:
            parts.insert(0, f"needed first for {s.prerequisite_of}")
        if s.related:
            parts.append(
                f"your profile shows {', '.join(s.related)}, which fall under it: if you know it already, "
                "name it in your profile"
            )
        return "; ".join(parts)


@lru_cache(maxsize=4096)
def ancestors(skill: str) -> frozenset[str]:
    """Every broader skill above ``skill`` in the taxonomy (its parents, their parents ...)."""
    out: set[str] = set()
    for parent in load_taxonomy().get(skill).parents:
        out |= {parent} | ancestors(parent)
    return frozenset(out)


def missing_prerequisites(skill: str, have: set[str] | frozenset[str]) -> list[str]:
    """The skill's prerequisites (transitively) not in ``have``, each before what needs it."""
    taxonomy = load_taxonomy()
    out: list[str] = []

    def visit(current: str) -> None:
        for pre in taxonomy.get(current).prerequisites:
            if pre in have or pre in out:
                continue
            visit(pre)
            out.append(pre)

    visit(skill)
    return out


def skill_gaps(
    profile: Profile,
    market: Market,
    role: str,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    objective: str = "reach",
    top: int = 15,
) -> dict[str, Any]:
    """The target role's missing skills, ranked by value (see the module docstring)."""
    profile.require_skills()
    valuer = _Valuer(market, role, threshold, objective, profile.skills)
    have = set(profile.skills & weighed_skills())
    steps = valuer.steps(have)
    m = valuer.matrix
    match, coverage = m.shares(m.covered(have), threshold)
    return {
        "profile": profile.describe(),
        "role": role,
        "role_name": valuer.role_name,
        "objective": objective,
        "threshold": threshold,
        "n_postings": m.n,
        "small_sample": m.n < FIT_MIN_POSTINGS,
        "match_share": round(match, 4),
        "coverage": round(coverage, 4),
        "have": sorted(s for s in have if s in m.index),
        "gaps": [s.to_dict() for s in steps[:top]],
        "candidates": len(steps),
        "method": method_summary(__doc__),
        "source": market.source,
    }


def learning_roadmap(
    profile: Profile,
    market: Market,
    role: str | None = None,
    *,
    goal: str | None = None,
    steps: int = 8,
    stage_weeks: float = 12,
    threshold: float = DEFAULT_THRESHOLD,
    objective: str | None = None,
) -> dict[str, Any]:
    """A staged plan of ``steps`` skills (plus their prerequisites) for a role or a career goal."""
    profile.require_skills()
    goal_row = None
    if goal is not None:
        goal_row = load_questionnaire().goal(goal)
        if role is not None and role != goal_row.role:
            raise InvalidInput(
                f"the goal {goal!r} is about {goal_row.role}, not {role}",
                hint="give either --goal or --role, or a goal for that role (rolescope advise goals)",
            )
        role = goal_row.role
        objective = objective or goal_row.objective
    if role is None:
        raise InvalidInput("say which role (--role) or which goal (--goal) the roadmap is for")
    if not 1 <= steps <= 30:
        raise InvalidInput(f"steps must be between 1 and 30, got {steps}")
    if not 1 <= stage_weeks <= 52:
        raise InvalidInput(f"stage weeks must be between 1 and 52, got {stage_weeks}")
    valuer = _Valuer(market, role, threshold, objective or "reach", profile.skills)
    weighed = weighed_skills()
    have = set(profile.skills & weighed)
    m = valuer.matrix
    start_match, start_cov = m.shares(m.covered(have), threshold)
    chosen: list[Step] = []
    while len(chosen) < steps:
        ranked = valuer.steps(have)
        if not ranked:
            break
        best = ranked[0]
        chosen.append(best)
        # Its prerequisites are learnt on the way: later steps must not be charged for them again.
        have.update(best.prerequisites)
        have.add(best.skill_id)
    plan = _with_prerequisites(chosen, set(profile.skills), valuer)
    end_match, end_cov = m.shares(m.covered(have | {s.skill_id for s in plan}), threshold)
    return {
        "profile": profile.describe(),
        "role": role,
        "role_name": valuer.role_name,
        "goal": goal_row.model_dump() if goal_row else None,
        "objective": valuer.objective,
        "threshold": threshold,
        "n_postings": m.n,
        "small_sample": m.n < FIT_MIN_POSTINGS,
        "match_share": {"before": round(start_match, 4), "after": round(end_match, 4)},
        "coverage": {"before": round(start_cov, 4), "after": round(end_cov, 4)},
        "total_weeks": sum(s.weeks for s in plan),
        "stages": _stages(plan, stage_weeks),
        "method": method_summary(__doc__),
        "source": market.source,
    }


def _with_prerequisites(chosen: list[Step], known: set[str], valuer: _Valuer) -> list[Step]:
    taxonomy = load_taxonomy()
    planned: set[str] = set()
    plan: list[Step] = []

    def add_prerequisites(skill: str, owner: str) -> None:
        for pre in taxonomy.get(skill).prerequisites:
            if pre in known or pre in planned:
                continue
            add_prerequisites(pre, owner)
            entry = taxonomy.get(pre)
            step = Step(
                pre,
                entry.name,
                entry.effort.weeks,
                entry.effort.rationale,
                0.0,
                0,
                valuer.matrix.n,
                0.0,
                0.0,
                0.0,
                0.0,
                None,
                1.0,
                0.0,
                prerequisite_of=owner,
            )
            col = valuer.matrix.index.get(pre)
            if col is not None:
                step.k = int(valuer.matrix.count @ valuer.matrix.has[:, col])
                step.share = step.k / valuer.matrix.n
            step.premium = valuer.pay_factor(pre)[1]
            step.explanation = valuer.explain(step)
            planned.add(pre)
            plan.append(step)

    for step in chosen:
        add_prerequisites(step.skill_id, step.name)
        if step.skill_id not in planned:
            planned.add(step.skill_id)
            plan.append(step)
    return plan


def _stages(plan: list[Step], stage_weeks: float) -> list[dict[str, Any]]:
    stages: list[dict[str, Any]] = []
    week = 0.0
    for step in plan:
        if not stages or stages[-1]["weeks"] >= stage_weeks:
            stages.append({"stage": len(stages) + 1, "from_week": week, "weeks": 0.0, "steps": []})
        stage = stages[-1]
        stage["steps"].append({**step.to_dict(), "from_week": week, "to_week": week + step.weeks})
        stage["weeks"] += step.weeks
        week += step.weeks
    for stage in stages:
        stage["to_week"] = stage["from_week"] + stage["weeks"]
    return stages
