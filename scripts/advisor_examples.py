"""Write docs/advisor-examples.md: fit, roadmap and growth simulation for the three example profiles.

Run: python scripts/advisor_examples.py   (answers from the embedded snapshot; about 15 s)
"""

from __future__ import annotations

from pathlib import Path

from rolescope.advise.fit import role_fit
from rolescope.advise.profile import load_profile
from rolescope.advise.roadmap import learning_roadmap
from rolescope.advise.simulate import simulate_growth
from rolescope.insights.market import load_snapshot

REPO = Path(__file__).resolve().parents[1]
# profile file -> (career goal for its roadmap, role to simulate)
EXAMPLES = {
    "backend-llm.yaml": ("become-ai-engineer", "ai_engineer"),
    "statistician.yaml": ("become-ml-engineer", "ml_engineer"),
    "data-engineer.yaml": ("move-into-mlops", "mlops_engineer"),
}


def _pct(x: float) -> str:
    return f"{x:.0%}"


def _section(name: str, goal: str, sim_role: str, market) -> list[str]:
    profile = load_profile(REPO / "examples" / "profiles" / name)
    fit = role_fit(profile, market)
    lines = [f"## {profile.name} (`examples/profiles/{name}`)", ""]
    lines.append(
        f"{len(profile.skills)} skills found, each with its span; level {profile.effective_level} "
        f"({profile.years:g} years); {len(profile.preferences)} preference answers."
    )
    lines += ["", f"**Fit** — {fit['verdict']['text']}.", ""]
    lines += [
        "| role | fit | skills | preferences | experience | postings (n) | top credited skills |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in fit["roles"]:
        c = row["components"]
        top = ", ".join(f"{s['skill_id']} {_pct(s['share'])}" for s in row["credited_skills"][:4])
        lines.append(
            f"| {row['name']} | {row['score']:.0f} | {_pct(c['skills']['value'])} | "
            f"{_pct(c['preferences']['value']) if 'preferences' in c else '-'} | "
            f"{_pct(c['experience']['value']) if 'experience' in c else '-'} | "
            f"{row['n_postings']:,} | {top} |"
        )
    plan = learning_roadmap(profile, market, goal=goal)
    ms = plan["match_share"]
    lines += [
        "",
        f"**Roadmap** for the goal `{goal}` ({plan['role_name']}, about {plan['total_weeks']:g} weeks): "
        f"postings matched (half their skills or more) {_pct(ms['before'])} → {_pct(ms['after'])} "
        f"of {plan['n_postings']:,}; average coverage {_pct(plan['coverage']['before'])} → "
        f"{_pct(plan['coverage']['after'])}.",
        "",
    ]
    for stage in plan["stages"]:
        lines.append(f"- Stage {stage['stage']} (weeks {stage['from_week']:g}–{stage['to_week']:g})")
        for step in stage["steps"]:
            lines.append(f"  - **{step['name']}** — {step['explanation']}")
    level = profile.effective_level
    sim = simulate_growth(market, sim_role, level, country=profile.country or "US")
    lines += [
        "",
        f"**Growth simulation** ({sim.role_name}, from {level}, {sim.place.get('country')}; "
        f"{sim.settings.runs:,} runs, seed {sim.settings.seed}):",
        "",
        f"| year | P10 | P50 | P90 | reached {sim.next_level or '-'} |",
        "|---|---|---|---|---|",
    ]
    for y in sim.years:
        lines.append(
            f"| {y.year} | ${y.p10:,.0f} | ${y.p50:,.0f} | ${y.p90:,.0f} | "
            f"{_pct(y.reached_next)} ± {y.reached_next_se:.1%} |"
        )
    skills = sim.next_skills.get("skills", [])[:5]
    if skills:
        listed = ", ".join(f"{s['name']} {_pct(s['share_next'])}" for s in skills)
        lines += ["", f"Skills typical at {sim.next_level} (n={sim.next_skills['n_next']}): {listed}."]
    elif sim.next_skills.get("note"):
        lines += ["", f"Skills at the next level: {sim.next_skills['note']}."]
    return [*lines, ""]


def main() -> None:
    market = load_snapshot()
    out = [
        "# The advisor on three example profiles",
        "",
        "Written by `python scripts/advisor_examples.py` from the embedded snapshot (aggregates of",
        "`../shared/data`). The profiles are fictional and written for this page; every figure is",
        "computed. `rolescope advise fit|roadmap|simulate --profile FILE` prints the same with more detail.",
        "",
    ]
    for name, (goal, role) in EXAMPLES.items():
        out += _section(name, goal, role, market)
    path = REPO / "docs" / "advisor-examples.md"
    path.parent.mkdir(exist_ok=True)
    path.write_text("\n".join(out), encoding="utf-8")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
