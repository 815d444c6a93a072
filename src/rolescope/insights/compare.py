"""Two roles side by side from data, with every seed-article claim checked against the measured figure.

Verdicts: "consistent", "contradicted", or "untestable" (with the reason). The rule used for each
claim is part of the output, so a reader can disagree with the rule rather than with a bare label.
Claims name 2025/2026; the data is mostly from 2024 (salary survey) and 2024-2026 (postings), and
salaries are base pay in US dollars a year. Both facts are stated in the output.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rolescope.errors import InvalidInput, NotReady
from rolescope.ingest.normalize.salary import to_usd
from rolescope.insights.market import Market
from rolescope.insights.salaries import LEVELS, SalaryCell, SalaryPolicy
from rolescope.insights.skills import distinguishing_skills, skill_demand, skill_share
from rolescope.knowledge.roles import Claim, RoleCatalog, compare_roles, load_roles

TOLERANCE = 0.05  # relative slack for a different year or source on median/mean comparisons
SHARE_SLACK = 0.02  # absolute slack on shares the article gives as "about"
TECH_HUBS = ("San Jose", "San Francisco", "Seattle", "New York")
# The seeds' tech-stack list, as taxonomy skill ids (a group counts a posting once).
STACK = (
    ("Azure", ("azure",)),
    ("AWS", ("aws",)),
    ("Kubernetes", ("kubernetes",)),
    ("Docker", ("docker",)),
    ("CI/CD", ("ci_cd",)),
    ("Data pipelines", ("data_pipelines",)),
    ("Spark", ("apache_spark",)),
    ("Kafka", ("apache_kafka",)),
    ("Airflow", ("apache_airflow",)),
    ("Vector databases", ("vector_databases",)),
    ("Java", ("java",)),
)
_SHARE_CLAIM_SKILLS = {
    "azure": "azure",
    "aws": "aws",
    "kubernetes": "kubernetes",
    "docker": "docker",
    "java": "java",
    "ci_cd": "ci_cd",
    "data_pipelines": "data_pipelines",
    "spark": "apache_spark",
    "kafka": "apache_kafka",
    "airflow": "apache_airflow",
    "vector_dbs": "vector_databases",
}
_YEARS_TO_LEVEL = {
    "0-1": "entry",
    "1-3": "mid",
    "2-3": "mid",
    "4-6": "senior",
    "4-9": "senior",
    "7-9": "senior",
    "7+": "senior",
    "10+": "senior",
    "10-15+": "senior",
}
_CLAIM_LEVEL = {"entry": "entry", "junior": "entry", "mid": "mid", "senior": "senior", "expert": "senior"}
_UNTESTABLE = {
    "ai_business_insider_elite_startups_2025": "pay at named companies; salary records carry no employer",
    "ai_business_insider_big_tech_2025": "pay at named companies; salary records carry no employer",
    "ml_builtin_additional_cash_2025": "bonus cash; the data records base salary only",
    "ai_demand_one_in_four_2026": "the postings are not a sample of all US tech listings",
    "ai_demand_one_in_four_2025": "the postings are not a sample of all US tech listings",
}


@dataclass(frozen=True, slots=True)
class Verdict:
    verdict: str
    rule: str
    measured: dict[str, Any] | None = None
    n: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"verdict": self.verdict, "rule": self.rule, "measured": self.measured, "n": self.n}


def _untestable(reason: str, n: int = 0) -> Verdict:
    return Verdict("untestable", reason, None, n)


def _cell(market: Market, role: str, **where: Any) -> SalaryCell | None:
    cells = market.salary_cells(list(where), {"role": role, **where})
    return cells[0] if cells else None


def _scope(claim: Claim) -> tuple[dict[str, Any], str]:
    """The cut of the data a salary claim speaks about, and a note on how it was mapped."""
    fig = claim.figure
    geography = (fig.geography or "").lower()
    where: dict[str, Any] = {"country": "US"}
    notes = []
    if "remote" in geography:
        where["remote"] = "remote"
    elif geography in ("uk",):
        where["country"] = "GB"
    elif geography and geography != "us":
        where["metro"] = fig.geography.replace("US tech hubs", "San Jose")
    elif not geography:
        notes.append("geography not stated; compared with the US")
    level = _CLAIM_LEVEL.get(fig.level or "") or _YEARS_TO_LEVEL.get(fig.experience_years or "")
    if level and "metro" in where:
        notes.append(f"level {level!r} not applied: metro pay figures are too few to split by level")
    elif level:
        where["level"] = level
        if fig.experience_years:
            notes.append(f"{fig.experience_years} years read as level {level!r}")
    return where, "; ".join(notes)


def _claimed_usd(claim: Claim) -> tuple[float, float]:
    fig = claim.figure
    low = fig.low if fig.low is not None else fig.value
    high = fig.high if fig.high is not None else fig.value
    if fig.unit != "USD":
        converted = (to_usd(low, fig.unit, claim.year), to_usd(high, fig.unit, claim.year))
        if None in converted:
            raise InvalidInput(f"claim {claim.id}: no exchange rate for {fig.unit}")
        low, high = converted
    return float(low), float(high)


def _measured(cell: SalaryCell) -> dict[str, Any]:
    return {k: v for k, v in cell.to_dict().items() if k not in ("key", "parent", "sources")}


def check_salary_claim(market: Market, role: str, claim: Claim) -> Verdict:
    fig = claim.figure
    if fig is None:
        return _untestable("no figure to test")
    if fig.pay_basis == "total":
        return _untestable("total compensation; the data records base salary only")
    where, note = _scope(claim)
    cell = _cell(market, role, **where)
    if cell is None or cell.status == "suppressed":
        cut = ", ".join(f"{k}={v}" for k, v in where.items())
        return _untestable(f"too few pay figures for {cut}", cell.n if cell else 0)
    low, high = _claimed_usd(claim)
    verdict, rule = _judge(fig.statistic, fig.open_ended, low, high, cell)
    if note:
        rule = f"{rule} ({note})"
    if fig.unit != "USD":
        rule += f"; claimed {fig.unit} converted at the {claim.year} yearly average rate"
    return Verdict(verdict, rule, {"cut": where, **_measured(cell)}, cell.n)


def _overlaps(low: float, high: float, lo: float, hi: float) -> bool:
    return low <= hi * (1 + TOLERANCE) and high >= lo * (1 - TOLERANCE)


def _judge(statistic: str, open_ended: bool, low: float, high: float, cell: SalaryCell) -> tuple[str, str]:
    pct = cell.percentiles or {}
    if open_ended:
        ok = pct["p90"] >= low * (1 - TOLERANCE)
        return _v(ok), "a floor: consistent if the measured P90 reaches it (5% slack)"
    if statistic == "median":
        ok = _overlaps(low, high, cell.median_low, cell.median_high)
        return _v(ok), "consistent if the claim meets the median's 95% interval (5% slack)"
    if statistic == "mean":
        ok = _overlaps(low, high, cell.mean_low, cell.mean_high)
        return _v(ok), "consistent if the claim meets the mean's 95% interval (5% slack)"
    if statistic == "percentile":
        ok = abs(low / pct["p25"] - 1) <= 0.10 and abs(high / pct["p75"] - 1) <= 0.10
        return _v(ok), "consistent if each end is within 10% of the measured P25 and P75"
    mid = (low + high) / 2
    ok = pct["p25"] <= mid <= pct["p75"]
    return _v(ok), "a typical figure: consistent if its midpoint lies in the measured P25-P75"


def _v(ok: bool) -> str:
    return "consistent" if ok else "contradicted"


def check_share_claim(market: Market, role: str, claim: Claim) -> Verdict:
    suffix = claim.id.split("_share_", 1)[-1].rsplit("_", 1)[0]
    skill = _SHARE_CLAIM_SKILLS.get(suffix)
    if skill is None or claim.figure is None:
        return _untestable("no taxonomy skill matches this claim")
    try:
        share = skill_share(market.skill_counts(), role, [skill])
    except NotReady as exc:
        return _untestable(exc.one_line())
    slack = SHARE_SLACK if claim.figure.approximate else 0.0
    value = float(claim.figure.value)
    ok = share.low - slack <= value <= share.high + slack
    rule = "consistent if the claimed share lies in the measured Wilson 95% interval"
    if slack:
        rule += " (±2 points: the claim is approximate)"
    return Verdict(_v(ok), rule, {"skill_id": skill, **share.to_dict()}, share.n)


def _qualitative(market: Market, claim_id: str, a: str, b: str) -> Verdict | None:
    """The few qualitative claims the data can speak to."""
    if claim_id.startswith("ai_earns_more_tldr"):
        ai, ml = _cell(market, "ai_engineer", country="US"), _cell(market, "ml_engineer", country="US")
        if not ai or not ml or "suppressed" in (ai.status, ml.status):
            return None
        ok = ai.median_high >= ml.median_low
        rule = "consistent unless the ML engineer median's 95% interval lies wholly above the AI one (US)"
        return Verdict(
            _v(ok), rule, {"ai_engineer": _measured(ai), "ml_engineer": _measured(ml)}, ai.n + ml.n
        )
    if claim_id == "ml_higher_ceiling_2026":
        ai = _cell(market, "ai_engineer", country="US", level="senior")
        ml = _cell(market, "ml_engineer", country="US", level="senior")
        if not ai or not ml or "suppressed" in (ai.status, ml.status):
            return None
        ok = ml.percentiles["p90"] > ai.percentiles["p90"]
        rule = "consistent if senior ML engineers' P90 exceeds senior AI engineers' P90 (US)"
        return Verdict(
            _v(ok), rule, {"ai_engineer": _measured(ai), "ml_engineer": _measured(ml)}, ai.n + ml.n
        )
    if claim_id == "salary_overlap_mid_senior_2026":
        cells = [
            _cell(market, r, country="US", level=lv)
            for lv in ("mid", "senior")
            for r in ("ai_engineer", "ml_engineer")
        ]
        if any(c is None or c.status == "suppressed" for c in cells):
            return None
        ok = all(
            x.percentiles["p25"] <= y.percentiles["p75"] and y.percentiles["p25"] <= x.percentiles["p75"]
            for x, y in (cells[:2], cells[2:])
        )
        rule = "consistent if AI and ML engineers' P25-P75 bands overlap at mid and at senior level (US)"
        return Verdict(
            _v(ok), rule, {"cells": [_measured(c) | {"key": c.key} for c in cells]}, sum(c.n for c in cells)
        )
    return None


def check_claim(market: Market, role: str, claim: Claim, roles: tuple[str, str]) -> Verdict:
    if claim.id in _UNTESTABLE:
        return _untestable(_UNTESTABLE[claim.id])
    if (found := _qualitative(market, claim.id, *roles)) is not None:
        return found
    if claim.kind == "salary":
        return check_salary_claim(market, role, claim)
    if claim.kind == "skill_share":
        return check_share_claim(market, role, claim)
    return _untestable("a qualitative claim with no measurable figure")


def compare_market(
    market: Market, first: str, second: str, catalog: RoleCatalog | None = None
) -> dict[str, Any]:
    """The whole comparison as one JSON-ready dict (see ``rolescope compare --format json``)."""
    catalog = catalog or load_roles()
    kb = compare_roles(catalog, first, second)
    a, b = kb.roles
    result: dict[str, Any] = {
        "roles": [a, b],
        "names": kb.names,
        "source": market.source,
        "salary_policy": SalaryPolicy().to_dict(),
        "salaries": {role: _salary_view(market, role) for role in (a, b)},
        "oews": _oews_view(market, (a, b)),
    }
    result["skills"] = _skills_view(market, a, b)
    result["premiums"] = _premiums_view(market)
    result["responsibilities"] = [row.model_dump(mode="json") for row in kb.responsibilities]
    result["claims"] = _claims_view(market, catalog, (a, b))
    verdicts = [c["verdict"] for c in result["claims"]]
    result["verdicts"] = {v: verdicts.count(v) for v in ("consistent", "contradicted", "untestable")}
    result["sources_cited"] = {f: s.model_dump(mode="json") for f, s in kb.sources.items()}
    return result


def _salary_view(market: Market, role: str) -> dict[str, Any]:
    def view(cell: SalaryCell | None) -> dict[str, Any] | None:
        return cell.to_dict() if cell else None

    us_levels = market.salary_cells(["level"], {"role": role, "country": "US"})
    hubs = [
        c
        for c in market.salary_cells(["metro"], {"role": role, "country": "US"})
        if c.key["metro"] in TECH_HUBS
    ]
    return {
        "all_countries": view(_cell(market, role)),
        "us": view(_cell(market, role, country="US")),
        "us_by_level": [view(c) for c in sorted(us_levels, key=lambda c: LEVELS.index(c.key["level"]))],
        "us_remote": [view(c) for c in market.salary_cells(["remote"], {"role": role, "country": "US"})],
        "us_tech_hubs": [view(c) for c in hubs],
        "by_year": [view(c) for c in market.salary_cells(["year"], {"role": role})],
    }


def _oews_view(market: Market, roles: tuple[str, str]) -> dict[str, Any]:
    from rolescope.insights.oews import nearest_occupations

    rows = market.extras().get("oews", [])
    return {
        "release": rows[0]["release"] if rows else None,
        "note": "BLS OEWS, all industries; a wage BLS top-codes (at $239,200) is shown as that floor",
        "nearest": {role: nearest_occupations(role) for role in roles},
        "wages": rows,
    }


def _skills_view(market: Market, a: str, b: str) -> dict[str, Any]:
    try:
        counts = market.skill_counts()
    except NotReady as exc:
        return {"unavailable": exc.one_line()}
    stack = []
    for label, skills in STACK:
        stack.append(
            {
                "label": label,
                "skill_ids": list(skills),
                **{role: skill_share(counts, role, list(skills)).to_dict() for role in (a, b)},
            }
        )
    lean_a, lean_b = distinguishing_skills(counts, a, b)
    return {
        "role_by": "title (the title normalizer), so skills cannot define the groups compared",
        "n_postings": {role: counts.role(role).n for role in (a, b)},
        "stack": stack,
        "top": {role: [s.to_dict() for s in skill_demand(counts, role, top=15)] for role in (a, b)},
        "distinguishing": {
            "method": "weighted log-odds with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008)",
            a: [s.to_dict() for s in lean_a],
            b: [s.to_dict() for s in lean_b],
        },
    }


def _premiums_view(market: Market) -> dict[str, Any]:
    data = market.premiums()
    shown = [p for p in data.get("premiums", []) if p["distinguishable"]]
    tested = len(data.get("premiums", []))
    return {
        **{k: v for k, v in data.items() if k != "premiums"},
        "tested": tested,
        "expected_by_chance": round(0.05 * tested, 1),
        "premiums": shown,
    }


def _claims_view(market: Market, catalog: RoleCatalog, roles: tuple[str, str]) -> list[dict[str, Any]]:
    out = []
    for role in roles:
        for claim in catalog.get(role).claims:
            if claim.kind not in ("salary", "skill_share", "demand"):
                continue
            verdict = check_claim(market, role, claim, roles)
            out.append(
                {
                    "claim_id": claim.id,
                    "role": role,
                    "kind": claim.kind,
                    "text": claim.text,
                    "source": claim.source,
                    "year": claim.year,
                    "claimed": claim.figure.model_dump(mode="json", exclude_none=True)
                    if claim.figure
                    else None,
                    **verdict.to_dict(),
                }
            )
    return out
