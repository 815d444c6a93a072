"""Role fit: a 0-100 score for every role, with the skills, preferences and experience behind it.

The score is a weighted mean of three components, each between 0 and 1:

- **skills** (weight 0.6): the demand weight of the person's skills in the role's postings. A skill's
  weight is the share of the role's postings asking for it. The component is the person's summed
  weight over the summed weight of the role's K most-asked-for skills, K being the larger of the
  number of skills the person has and the number a typical posting names; so it rewards both aim
  (the right skills) and breadth (enough of them), and reaches 1 only for someone who has the role's
  top skills. Soft skills are left out on both sides: postings ask for them, résumés rarely say them.
- **preferences** (weight 0.25): the questionnaire answers, each pushing a role up or down by the
  statement's lean (see ``knowledge/preferences.yaml``), averaged over all answered statements, so
  a role only a few weak statements lean to stays near 0.5, the neutral value.
- **experience** (weight 0.15): the share of the role's postings that state a level and are open at
  the person's level or below (executive postings only to executives).

A component the input says nothing about (no answers, no years or level) is left out and the
weights of the others renormalised; the result says so. Two roles within ``HYBRID_MARGIN`` points of
each other at the top give a hybrid verdict.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rolescope.advise.profile import Evidence, Profile
from rolescope.errors import NotFound
from rolescope.insights.market import Market
from rolescope.insights.salaries import LEVELS
from rolescope.knowledge.preferences import load_questionnaire
from rolescope.knowledge.roles import load_roles
from rolescope.knowledge.skills import load_taxonomy

WEIGHTS = {"skills": 0.6, "preferences": 0.25, "experience": 0.15}
HYBRID_MARGIN = 5.0
MIN_POSTINGS = 30
UNWEIGHED_CATEGORIES = frozenset({"soft_skill"})


def method_summary(doc: str | None) -> str:
    """The paragraph after a module docstring's first line: the method, as results report it."""
    return doc.split("\n\n")[1].strip() if doc and "\n\n" in doc else ""


def weighed_skills() -> frozenset[str]:
    """Skills that count towards fit and gaps (every category but soft skills)."""
    return frozenset(s.id for s in load_taxonomy().skills if s.category not in UNWEIGHED_CATEGORIES)


@dataclass(slots=True)
class RoleFit:
    role: str
    name: str
    score: float
    n_postings: int
    components: dict[str, dict[str, Any]]
    credited: list[dict[str, Any]]
    evidence: list[Evidence]
    most_wanted_missing: list[dict[str, Any]]
    preferences: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "role": self.role,
            "name": self.name,
            "score": round(self.score, 1),
            "n_postings": self.n_postings,
            "small_sample": self.n_postings < MIN_POSTINGS,
            "components": self.components,
            "evidence": [e.to_dict() for e in self.evidence],
            "credited_skills": self.credited,
            "most_wanted_missing": self.most_wanted_missing,
            "preferences": self.preferences,
        }


def role_fit(profile: Profile, market: Market, roles: list[str] | None = None) -> dict[str, Any]:
    """Fit of ``profile`` for each role with at least ``MIN_POSTINGS`` title-labelled postings."""
    counts = market.skill_counts()
    profiles = market.posting_profiles()
    catalog = load_roles()
    profile.require_skills()
    if roles is None:
        roles = [
            r for r in catalog.ids if r != "other" and r in counts.roles and counts.roles[r].n >= MIN_POSTINGS
        ]
    else:
        roles = list(dict.fromkeys(catalog.get(role).id for role in roles))
        for role in roles:
            counts.role(role)
    weighed = weighed_skills()
    have = profile.skills & weighed
    level = profile.effective_level
    answered = dict(profile.preferences)
    used = {
        k: w
        for k, w in WEIGHTS.items()
        if k == "skills" or (k == "preferences" and answered) or (k == "experience" and level)
    }
    total_weight = sum(used.values())
    fits = []
    for role in roles:
        data = counts.role(role)
        skills = _skill_component(profile, have, data.n, data.skills, weighed)
        components: dict[str, dict[str, Any]] = {"skills": skills}
        prefs = _preference_rows(role, answered)
        if answered:
            components["preferences"] = _preference_component(prefs, len(answered))
        if level:
            components["experience"] = _experience_component(profiles, role, level)
        for name, component in components.items():
            component["weight"] = round(used[name] / total_weight, 3)
        score = 100 * sum(c["value"] * used[name] / total_weight for name, c in components.items())
        credited = sorted(skills.pop("credited"), key=lambda r: (-r["share"], r["skill_id"]))
        evidence = [e for row in credited for e in profile.evidence[row["skill_id"]]]
        fits.append(
            RoleFit(
                role,
                catalog.get(role).name,
                score,
                data.n,
                components,
                credited,
                sorted(evidence, key=lambda e: e.start),
                skills.pop("missing"),
                prefs,
            )
        )
    fits.sort(key=lambda f: (-f.score, f.role))
    return {
        "profile": profile.describe(),
        "roles": [f.to_dict() for f in fits],
        "verdict": _verdict(fits),
        "weights": {k: round(w / total_weight, 3) for k, w in used.items()},
        "left_out": [k for k in WEIGHTS if k not in used],
        "method": method_summary(__doc__),
        "source": market.source,
    }


def _skill_component(
    profile: Profile, have: frozenset[str], n: int, skills: dict[str, list[int]], weighed: frozenset[str]
) -> dict[str, Any]:
    shares = {s: row[0] / n for s, row in skills.items() if s in weighed and n}
    typical = sum(shares.values())
    # Skills the role never asks for neither help nor hurt: K counts only those it does ask for.
    k = max(sum(1 for s in have if shares.get(s, 0.0) > 0), round(typical))
    top = sorted(shares.values(), reverse=True)[:k]
    reachable = sum(top)
    got = sum(shares.get(s, 0.0) for s in have)
    credited = [
        {"skill_id": s, "share": round(shares[s], 4), "k": skills[s][0], "n": n}
        for s in sorted(have)
        if shares.get(s, 0.0) > 0
    ]
    missing = sorted((s for s in shares if s not in have), key=lambda s: (-shares[s], s))[:5]
    return {
        "value": round(min(1.0, got / reachable) if reachable else 0.0, 4),
        "demand_weight": round(got, 3),
        "top_k_weight": round(reachable, 3),
        "k": k,
        "typical_posting_skills": round(typical, 1),
        "n": n,
        "credited": credited,
        "missing": [
            {"skill_id": s, "share": round(shares[s], 4), "k": skills[s][0], "n": n} for s in missing
        ],
        "not_asked_for": sorted(s for s in have if shares.get(s, 0.0) == 0),
    }


def _preference_rows(role: str, answered: dict[str, int]) -> list[dict[str, Any]]:
    questionnaire = load_questionnaire()
    rows = []
    for statement_id, answer in sorted(answered.items()):
        statement = questionnaire.statement(statement_id)
        lean = statement.leans.get(role)
        if lean is None:
            continue
        effect = lean * (answer - 3) / 2
        rows.append(
            {
                "statement": statement_id,
                "text": statement.text,
                "answer": answer,
                "lean": lean,
                "effect": round(effect, 3),
                "agrees": effect > 0,
                "source": statement.source,
            }
        )
    return rows


def _preference_component(rows: list[dict[str, Any]], answered: int) -> dict[str, Any]:
    if not rows:
        return {"value": 0.5, "statements": 0, "note": "no answered statement speaks to this role"}
    raw = sum(r["effect"] for r in rows) / answered
    return {"value": round((raw + 1) / 2, 4), "statements": len(rows), "answered": answered}


def _experience_component(profiles: Any, role: str, level: str) -> dict[str, Any]:
    try:
        groups = profiles.role(role)
    except NotFound:
        return {"value": 0.5, "level": level, "n": 0, "note": "no postings of this role state a level"}
    by_level = {lv: 0 for lv in LEVELS}
    for g in groups:
        if g.level in by_level:
            by_level[g.level] += g.count
    stated = sum(by_level.values())
    rank = LEVELS.index(level)
    open_to = [lv for lv in LEVELS[: rank + 1] if lv != "executive" or level == "executive"]
    k = sum(by_level[lv] for lv in open_to)
    return {
        "value": round(k / stated, 4) if stated else 0.5,
        "level": level,
        "open_at_or_below": k,
        "n": stated,
        "by_level": by_level,
    }


def _verdict(fits: list[RoleFit]) -> dict[str, Any]:
    if not fits:
        raise NotFound(
            "no role has enough postings to score fit", hint="ingest postings and run rolescope enrich"
        )
    best = fits[0]
    close = [f for f in fits[1:] if best.score - f.score <= HYBRID_MARGIN]
    if close:
        roles = [best.role, close[0].role]
        return {
            "kind": "hybrid",
            "roles": roles,
            "text": f"hybrid: {best.name} ({best.score:.0f}) and {close[0].name} ({close[0].score:.0f}) "
            f"fit about equally (within {HYBRID_MARGIN:.0f} points)",
        }
    second = fits[1] if len(fits) > 1 else None
    tail = f", {best.score - second.score:.0f} points ahead of {second.name}" if second else ""
    return {"kind": "clear", "roles": [best.role], "text": f"{best.name} fits best ({best.score:.0f}){tail}"}
