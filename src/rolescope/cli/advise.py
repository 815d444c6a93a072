"""`rolescope advise`: role fit, skill gaps, a learning roadmap, a growth simulation and job matches.

Every command reads one profile (`--profile`: a résumé .txt/.md/.pdf/.docx or a profile .yaml/.json).
Résumés are read locally and nothing is written unless `--save FILE` asks for it.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml
from rich import box
from rich.markup import escape
from rich.table import Table

from rolescope.advise.profile import Profile, check_preferences, load_profile, normalize_level
from rolescope.cli._common import (
    DbOption,
    FormatOption,
    OutputFormat,
    emit_json,
    read_json_object,
    role_id,
    stderr_console,
    stdout_console,
)
from rolescope.cli._common import open_market_for as _market
from rolescope.cli.insights import SourceOption, source_line
from rolescope.errors import InvalidInput, NotFound, RolescopeError
from rolescope.knowledge.preferences import load_questionnaire

app = typer.Typer(
    help="Advice for one person from their résumé and real market data.\n\n"
    "Example: rolescope advise fit --profile examples/profiles/backend-llm.yaml",
    no_args_is_help=True,
)

ProfileOption = Annotated[
    Path,
    typer.Option(
        "--profile",
        "-p",
        help="A résumé (.txt .md .pdf .docx) or a profile (.yaml .json: resume/text, skills, years, "
        "country, level, current_pay, preferences).",
        dir_okay=False,
        show_default=False,
    ),
]
YearsOption = Annotated[
    float | None, typer.Option("--years", help="Years of experience (else read from the profile).")
]
LevelOption = Annotated[
    str | None, typer.Option("--level", help="entry, mid, senior or executive (else from years).")
]
CountryOption = Annotated[str | None, typer.Option("--country", help="Two-letter country code, e.g. US.")]
AnswersOption = Annotated[
    Path | None,
    typer.Option(
        "--answers", help="Questionnaire answers: a JSON/YAML mapping statement id -> 1..5.", dir_okay=False
    ),
]
AskOption = Annotated[
    bool, typer.Option("--ask", help="Answer the preference questionnaire here, interactively.")
]
SaveOption = Annotated[
    Path | None,
    typer.Option(
        "--save", help="Also save the profile (text and answers) to this YAML file for reuse.", dir_okay=False
    ),
]


def _answers(path: Path | None) -> dict[str, int] | None:
    if path is None:
        return None
    answers = read_json_object(path, "answers", '{"whole_systems": 5, "math_depth": 2}')
    return check_preferences(answers, "standard input" if str(path) == "-" else path.name)


def _ask() -> dict[str, int]:
    questionnaire = load_questionnaire()
    console = stderr_console()
    scale = ", ".join(f"{k} {v}" for k, v in questionnaire.scale.items())
    console.print(f"Answer each statement ({scale}; Enter skips):")
    answers: dict[str, int] = {}
    for i, statement in enumerate(questionnaire.statements, 1):
        while True:
            raw = typer.prompt(f"{i}. {statement.text}", default="", show_default=False, err=True).strip()
            if not raw:
                break
            if raw in {"1", "2", "3", "4", "5"}:
                answers[statement.id] = int(raw)
                break
            console.print("  type a number from 1 to 5, or press Enter to skip")
    return answers


def _profile(
    path: Path, years: float | None, level: str | None, country: str | None, answers: Path | None, ask: bool
) -> Profile:
    prefs = _answers(answers)
    if ask:
        if not sys.stdin.isatty():
            raise InvalidInput(
                "--ask needs a terminal to answer on",
                hint="put the answers in a file and pass --answers FILE",
            )
        prefs = {**(prefs or {}), **_ask()}
    if country is not None and (len(country) != 2 or not country.isalpha()):
        raise InvalidInput(f"--country must be a two-letter code such as US, got {country!r}")
    return load_profile(
        path,
        years=years,
        level=normalize_level(level) if level else None,
        country=country.upper() if country else None,
        preferences=prefs or None,
    )


class _BlockDumper(yaml.SafeDumper):
    """Writes multi-line text as a literal block, so a saved profile reads like the résumé."""


def _text_block(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_BlockDumper.add_representer(str, _text_block)


def _save(profile: Profile, path: Path | None) -> None:
    if path is None:
        return
    data = {
        "name": profile.name,
        "text": profile.text,
        "years": profile.years,
        "country": profile.country,
        "metro": profile.metro,
        "level": profile.level,
        "current_pay": profile.current_pay,
        "preferences": dict(profile.preferences) or None,
    }
    body = yaml.dump(
        {k: v for k, v in data.items() if v is not None},
        Dumper=_BlockDumper,
        sort_keys=False,
        allow_unicode=True,
    )
    tmp = path.with_name(path.name + ".tmp")
    try:
        tmp.write_text(body, encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise InvalidInput(f"cannot save the profile to {path}: {exc.strerror}") from None
    typer.echo(f"saved the profile to {path}", err=True)


def _pct(value: float) -> str:
    return f"{value:.0%}"


def fit_command(
    profile: ProfileOption,
    role: Annotated[
        list[str] | None, typer.Option("--role", "-r", help="Score only these roles (repeatable).")
    ] = None,
    years: YearsOption = None,
    level: LevelOption = None,
    country: CountryOption = None,
    answers: AnswersOption = None,
    ask: AskOption = False,
    save: SaveOption = None,
    output: FormatOption = OutputFormat.table,
    source: SourceOption = "auto",
    db: DbOption = None,
) -> None:
    """A 0-100 fit for every role: the skills that count (with where your profile shows them), your
    preferences and your experience, and a hybrid verdict when two roles are close.

    Example: rolescope advise fit --profile cv.pdf --ask

    Also: rolescope advise fit --profile me.yaml --format json | jq '.roles[0]'
    """
    from rolescope.advise.fit import role_fit

    person = _profile(profile, years, level, country, answers, ask)
    market, close = _market(db, source)
    try:
        result = role_fit(person, market, [role_id(r) for r in role] if role else None)
    finally:
        close()
    _save(person, save)
    if output is OutputFormat.json:
        emit_json(result)
        return
    _print_fit(result, person)


def _print_fit(result: dict[str, Any], person: Profile) -> None:
    console = stdout_console()
    console.print(source_line(result["source"]))
    p = result["profile"]
    level = f"{p['level']} (from {p['level_from']})" if p["level"] else "unknown (give --years or --level)"
    console.print(
        f"Profile {p['source']}: {len(p['skills'])} skills found, level {level}, "
        f"{p['preferences_answered']} preference answers"
    )
    if p["unrecognised_skills"]:
        console.print(
            f"[dim]Not in the taxonomy (not credited): {escape(', '.join(p['unrecognised_skills']))}[/dim]"
        )
    weights = ", ".join(f"{k} {v:.0%}" for k, v in result["weights"].items())
    console.print(
        f"Score = {weights}" + (f"; left out: {', '.join(result['left_out'])}" if result["left_out"] else "")
    )
    table = Table(box=box.SIMPLE_HEAD)
    for col, just in (
        ("Role", "left"),
        ("Fit", "right"),
        ("Skills", "right"),
        ("Prefs", "right"),
        ("Exp.", "right"),
        ("Postings", "right"),
        ("Your skills that count most", "left"),
    ):
        table.add_column(col, justify=just)  # type: ignore[arg-type]
    for row in result["roles"]:
        c = row["components"]
        top = ", ".join(f"{s['skill_id']} {_pct(s['share'])}" for s in row["credited_skills"][:4])
        table.add_row(
            row["name"],
            f"{row['score']:.0f}",
            _pct(c["skills"]["value"]),
            _pct(c["preferences"]["value"]) if "preferences" in c else "-",
            _pct(c["experience"]["value"]) if "experience" in c else "-",
            f"{row['n_postings']:,}",
            top or "-",
        )
    console.print(table)
    console.print(f"[bold]Verdict:[/bold] {result['verdict']['text']}")
    best = result["roles"][0]
    console.print(f"\nEvidence for {best['name']} (where your profile shows each skill):")
    for ev in best["evidence"][:12]:
        line = person.text.count("\n", 0, ev["start"]) + 1
        console.print(
            f'  {ev["skill_id"]:<24} "{escape(ev["text"])}" (line {line}, chars {ev["start"]}-{ev["end"]})'
        )
    if len(best["evidence"]) > 12:
        console.print(f"  ... and {len(best['evidence']) - 12} more (--format json lists all)")
    missing = ", ".join(f"{m['skill_id']} ({_pct(m['share'])})" for m in best["most_wanted_missing"])
    console.print(f"Most asked for by {best['name']} postings and missing: {missing}")
    for pref in best["preferences"]:
        mark = "agrees" if pref["agrees"] else ("neutral" if pref["effect"] == 0 else "disagrees")
        console.print(f'  ({mark}) "{pref["text"]}" answered {pref["answer"]} (lean {pref["lean"]:+g})')


ThresholdOption = Annotated[
    float,
    typer.Option("--threshold", help="A posting counts as matched when you have this share of its skills."),
]
ObjectiveOption = Annotated[
    str | None, typer.Option("--objective", help="reach (match more postings) or pay (weigh premiums twice).")
]


def gaps_command(
    profile: ProfileOption,
    role: Annotated[
        str, typer.Option("--role", "-r", help="Target role, e.g. ml-engineer.", show_default=False)
    ],
    top: Annotated[int, typer.Option("--top", help="How many gaps to list.", min=1, max=100)] = 15,
    threshold: ThresholdOption = 0.5,
    objective: ObjectiveOption = None,
    years: YearsOption = None,
    level: LevelOption = None,
    country: CountryOption = None,
    output: FormatOption = OutputFormat.table,
    source: SourceOption = "auto",
    db: DbOption = None,
) -> None:
    """The target role's skills you lack, ranked by (gain in postings matched x pay premium) / weeks.

    Example: rolescope advise gaps --profile cv.md --role ml-engineer
    """
    from rolescope.advise.roadmap import skill_gaps

    person = _profile(profile, years, level, country, None, False)
    market, close = _market(db, source)
    try:
        result = skill_gaps(
            person, market, role_id(role), threshold=threshold, objective=objective or "reach", top=top
        )
    finally:
        close()
    if output is OutputFormat.json:
        emit_json(result)
        return
    console = stdout_console()
    console.print(source_line(result["source"]))
    console.print(
        f"{result['role_name']}: you have {_pct(result['threshold'])}+ of the skills of "
        f"{_pct(result['match_share'])} of {result['n_postings']:,} postings naming skills; "
        f"on average {_pct(result['coverage'])} of a posting's skills."
    )
    table = Table(box=box.SIMPLE_HEAD)
    for col, just in (
        ("#", "right"),
        ("Skill", "left"),
        ("Asked", "right"),
        ("Match after", "right"),
        ("Premium", "right"),
        ("Weeks", "right"),
        ("Why", "left"),
    ):
        table.add_column(col, justify=just)  # type: ignore[arg-type]
    for i, gap in enumerate(result["gaps"], 1):
        table.add_row(
            str(i),
            gap["name"],
            f"{_pct(gap['share'])} ({gap['k']})",
            _pct(gap["match_after"]),
            _premium(gap["premium"]),
            f"{gap['weeks']:g}" + (f"+{gap['prerequisite_weeks']:g}" if gap["prerequisite_weeks"] else ""),
            gap["explanation"],
        )
    console.print(table)


def _premium(p: dict[str, Any] | None) -> str:
    if not p:
        return "n/a"
    text = f"{p['premium']:+.0%}"
    return text if p["distinguishable"] else f"({text})"


def roadmap_command(
    profile: ProfileOption,
    role: Annotated[str | None, typer.Option("--role", "-r", help="Target role, e.g. ai-engineer.")] = None,
    goal: Annotated[
        str | None,
        typer.Option("--goal", "-g", help="A career goal instead of a role; see: rolescope advise goals."),
    ] = None,
    steps: Annotated[int, typer.Option("--steps", help="Skills to plan (prerequisites come on top).")] = 8,
    stage_weeks: Annotated[float, typer.Option("--stage-weeks", help="Weeks per stage, about.")] = 12,
    threshold: ThresholdOption = 0.5,
    objective: ObjectiveOption = None,
    years: YearsOption = None,
    level: LevelOption = None,
    country: CountryOption = None,
    output: FormatOption = OutputFormat.table,
    source: SourceOption = "auto",
    db: DbOption = None,
) -> None:
    """What to learn next, in stages: prerequisites first, each step with its figures.

    Example: rolescope advise roadmap --profile cv.pdf --goal become-ml-engineer

    Also: rolescope advise roadmap --profile cv.pdf --role ai-engineer --objective pay
    """
    from rolescope.advise.roadmap import learning_roadmap

    person = _profile(profile, years, level, country, None, False)
    market, close = _market(db, source)
    try:
        result = learning_roadmap(
            person,
            market,
            role_id(role) if role else None,
            goal=goal,
            steps=steps,
            stage_weeks=stage_weeks,
            threshold=threshold,
            objective=objective,
        )
    finally:
        close()
    if output is OutputFormat.json:
        emit_json(result)
        return
    console = stdout_console()
    console.print(source_line(result["source"]))
    title = result["goal"]["title"] if result["goal"] else f"Become a {result['role_name']}"
    ms, cov = result["match_share"], result["coverage"]
    console.print(
        f"[bold]{title}[/bold] ({result['objective']}): about {result['total_weeks']:g} weeks. "
        f"Postings you match ({_pct(result['threshold'])}+ of their skills): {_pct(ms['before'])} -> "
        f"{_pct(ms['after'])} of {result['n_postings']:,} naming skills; "
        f"average coverage {_pct(cov['before'])} -> {_pct(cov['after'])}."
    )
    for stage in result["stages"]:
        console.print(
            f"\n[bold]Stage {stage['stage']}[/bold] (weeks {stage['from_week']:g}-{stage['to_week']:g})"
        )
        for step in stage["steps"]:
            console.print(f"  • [bold]{step['name']}[/bold] — {step['explanation']}")
    console.print(
        "\n[dim]Weeks are the taxonomy's effort estimates for a working engineer; see --format json.[/dim]"
    )


def goals_command(output: FormatOption = OutputFormat.table) -> None:
    """The career goals a roadmap can start from (the "what would you learn next?" entry point).

    Example: rolescope advise goals
    """
    goals = [g.model_dump() for g in load_questionnaire().goals]
    if output is OutputFormat.json:
        emit_json(goals)
        return
    table = Table(box=box.SIMPLE_HEAD)
    for col in ("Goal", "Role", "Objective", "What it means"):
        table.add_column(col)
    for g in goals:
        table.add_row(g["id"], g["role"], g["objective"], g["title"])
    stdout_console().print(table)
    stdout_console().print("Use: rolescope advise roadmap --profile FILE --goal GOAL")


def questions_command(output: FormatOption = OutputFormat.table) -> None:
    """The preference statements (answer 1-5 in a profile's `preferences`, with --answers, or --ask).

    Example: rolescope advise questions --format json > answers-template.json
    """
    q = load_questionnaire()
    if output is OutputFormat.json:
        emit_json({"scale": q.scale, "statements": [s.model_dump() for s in q.statements]})
        return
    table = Table(box=box.SIMPLE_HEAD)
    for col in ("Id", "Statement", "Leans", "Source"):
        table.add_column(col)
    for s in q.statements:
        leans = ", ".join(f"{r} {w:+g}" for r, w in s.leans.items())
        table.add_row(s.id, s.text, leans, s.source)
    stdout_console().print(table)
    stdout_console().print("Scale: " + json.dumps(q.scale))


def _promotion_overrides(values: list[str] | None) -> dict[str, float]:
    out: dict[str, float] = {}
    for item in values or []:
        level, _, number = item.partition("=")
        try:
            out[level.strip()] = float(number)
        except ValueError:
            raise InvalidInput(f"--promotion takes LEVEL=PROBABILITY, e.g. mid=0.3, got {item!r}") from None
    return out


def _known_metro(market: Any, role: str, country: str, metro: str | None) -> str | None:
    """The metro as the data spells it ("san francisco" -> "San Francisco"); else as given."""
    if not metro:
        return None
    try:
        cells = market.salary_cells(("role", "country", "metro"), {"role": role, "country": country})
    except RolescopeError:
        return metro
    known = {str(c.key.get("metro")).casefold(): c.key.get("metro") for c in cells if c.key.get("metro")}
    return known.get(metro.strip().casefold(), metro)


def simulate_command(
    profile: Annotated[
        Path | None,
        typer.Option(
            "--profile",
            "-p",
            help="A résumé or profile: gives the role (best fit), level, country and pay when not set here.",
            dir_okay=False,
        ),
    ] = None,
    role: Annotated[str | None, typer.Option("--role", "-r", help="Role, e.g. ml-engineer.")] = None,
    level: LevelOption = None,
    years: YearsOption = None,
    country: CountryOption = None,
    metro: Annotated[
        str | None, typer.Option("--metro", help="A US metro/city as in the data, e.g. 'San Francisco'.")
    ] = None,
    size: Annotated[str | None, typer.Option("--size", help="Company size: small, medium or large.")] = None,
    remote: Annotated[str | None, typer.Option("--remote", help="onsite, hybrid or remote.")] = None,
    industry: Annotated[
        str | None, typer.Option("--industry", help="Industry (reported as not in the data).")
    ] = None,
    current_pay: Annotated[float | None, typer.Option("--pay", help="Current base pay, USD a year.")] = None,
    horizon: Annotated[int, typer.Option("--horizon", help="Years to simulate (1-10).")] = 3,
    runs: Annotated[int, typer.Option("--runs", help="Monte Carlo runs.")] = 10_000,
    seed: Annotated[int, typer.Option("--seed", help="Random seed (same seed, same result).", min=0)] = 2026,
    promotion: Annotated[
        list[str] | None,
        typer.Option(
            "--promotion", help="Yearly promotion probability, LEVEL=P (repeatable), e.g. mid=0.25."
        ),
    ] = None,
    raise_mean: Annotated[float, typer.Option("--raise", help="Mean yearly raise within a level.")] = 0.035,
    output: FormatOption = OutputFormat.table,
    source: SourceOption = "auto",
    db: DbOption = None,
) -> None:
    """Three years ahead by Monte Carlo: P10/P50/P90 pay per year, the chance of the next level, and the
    skills typical there, from the salary benchmarks and documented promotion priors.

    Example: rolescope advise simulate --role ml-engineer --level mid

    Also: rolescope advise simulate --profile cv.pdf --metro "San Francisco" --promotion mid=0.2
    """
    from rolescope.advise.simulate import SimulationSettings, simulate_growth
    from rolescope.cli.advise_simulate import render_growth

    person = _profile(profile, years, level, country, None, False) if profile else None
    settings = SimulationSettings(
        years=horizon,
        runs=runs,
        seed=seed,
        promotion={**SimulationSettings().promotion, **_promotion_overrides(promotion)},
        raise_mean=raise_mean,
    )
    market, close = _market(db, source)
    try:
        target = role_id(role) if role else None
        if target is None:
            if person is None:
                raise InvalidInput("say which role (--role) or give a --profile to take its best-fit role")
            from rolescope.advise.fit import role_fit

            target = role_fit(person, market)["roles"][0]["role"]
        start = normalize_level(level) if level else (person.effective_level if person else None)
        if start is None:
            from rolescope.advise.profile import level_for_years

            if years is None:
                raise InvalidInput("say the starting level (--level) or the years of experience (--years)")
            if not 0 <= years <= 60:
                raise InvalidInput(f"--years must be between 0 and 60, got {years:g}")
            start = level_for_years(years)
        place_country = (country or (person.country if person else None) or "US").upper()
        pay = current_pay if current_pay is not None else (person.current_pay if person else None)
        result = simulate_growth(
            market,
            target,
            start,
            country=place_country,
            metro=_known_metro(market, target, place_country, metro or (person.metro if person else None)),
            size=size.lower() if size else None,
            remote=remote.lower() if remote else None,
            industry=industry,
            current_pay=pay,
            settings=settings,
        )
    finally:
        close()
    if output is OutputFormat.json:
        emit_json(result.to_dict())
        return
    console = stdout_console()
    console.print(source_line(market.source))
    render_growth(result, console)


def match_command(
    profile: ProfileOption,
    role: Annotated[
        str | None, typer.Option("--role", "-r", help="Only postings the classifier reads as this role.")
    ] = None,
    remote: Annotated[
        list[str] | None,
        typer.Option("--arrangement", "-a", help="remote, hybrid or onsite (repeatable); unset: any."),
    ] = None,
    country: CountryOption = None,
    city: Annotated[str | None, typer.Option("--city", help="The posting's city, e.g. Berlin.")] = None,
    location: Annotated[
        str | None, typer.Option("--location", help="Free text in the posting's location, e.g. 'Bay Area'.")
    ] = None,
    min_pay: Annotated[
        float | None, typer.Option("--min-pay", help="Pay floor, USD a year (postings without pay drop out).")
    ] = None,
    top: Annotated[int, typer.Option("--top", help="How many matches.")] = 10,
    output: FormatOption = OutputFormat.table,
    db: DbOption = None,
) -> None:
    """The store's postings that fit a profile best: BM25 on the text plus skill overlap, each match
    with the requirements you meet and miss. Needs a store with postings, enriched.

    Example: rolescope advise match --profile cv.pdf --arrangement remote --min-pay 150000

    Also: rolescope advise match --profile me.yaml --role ai-engineer --country DE --format json
    """
    from rolescope.advise.match import MatchFilters, match_jobs
    from rolescope.cli._common import settings_for
    from rolescope.store import connect

    person = _profile(profile, None, None, None, None, False)
    settings = settings_for(db)
    if not settings.db_path.exists():
        raise NotFound(
            f"no store at {settings.db_path}",
            hint="matching ranks a store's postings: rolescope ingest FILE --db PATH, "
            "then rolescope enrich --db PATH",
        )
    filters = MatchFilters(
        role=role_id(role) if role else None,
        arrangements=frozenset(a.strip().lower() for a in remote or []),
        country=country,
        city=city,
        location=location,
        min_pay_usd=min_pay,
    )
    con = connect(settings.db_path, read_only=True)
    try:
        result = match_jobs(con, person.text, person.skills, filters=filters, top=top)
    finally:
        con.close()
    if output is OutputFormat.json:
        emit_json({"profile": person.describe(), **result.to_dict()})
        return
    _print_matches(result, str(settings.db_path))


def _print_matches(result: Any, label: str) -> None:
    console = stdout_console()
    floor = ""
    if result.filters.min_pay_usd is not None:
        floor = (
            f"; pay floor left out {result.excluded_no_pay:,} without pay and "
            f"{result.excluded_below_pay:,} below it"
        )
    console.print(
        f"Source: store {label} — {result.postings:,} postings, "
        f"{result.candidates:,} pass the filters{floor}. "
        f"Score = {result.weights.get('lexical', 0):.0%} text (BM25) + "
        f"{result.weights.get('skills', 0):.0%} skills"
        + (
            f" + {result.weights['semantic']:.0%} meaning (embeddings)."
            if "semantic" in result.weights
            else "."
        )
    )
    if result.semantic_note:
        console.print(f"[dim]{escape(result.semantic_note)}[/dim]")
    if not result.matches:
        console.print("No posting matches these filters.")
        return
    for m in result.matches:
        pay = ""
        if m.pay_usd_annual_min or m.pay_usd_annual_max:
            low, high = (
                m.pay_usd_annual_min or m.pay_usd_annual_max,
                m.pay_usd_annual_max or m.pay_usd_annual_min,
            )
            pay = f" · ${low:,.0f}" + (f"–${high:,.0f}" if high != low else "")
        where = ", ".join(x for x in (m.location or m.city, m.work_arrangement) if x)
        console.print(
            f"\n[bold]{m.rank}. {escape(m.title)}[/bold] — {escape(m.company or 'company not stated')}"
            f"{' · ' + escape(where) if where else ''}{pay}"
        )
        console.print(
            f"   score {m.score:.2f} (text {m.lexical:.2f}, skills {m.skill_overlap:.2f}"
            + (f", meaning {m.semantic:.2f}" if m.semantic is not None else "")
            + "); "
            f"reads as {m.role or '?'}" + (f", title says {m.title_role}" if m.title_role else "")
        )
        met = ", ".join(r.skill_id + ("*" if r.requirement == "required" else "") for r in m.met)
        missing = ", ".join(r.skill_id + ("*" if r.requirement == "required" else "") for r in m.missing)
        console.print(f"   [green]you have[/green]: {met or '-'}")
        console.print(f"   [yellow]missing[/yellow]: {missing or '-'}")
        if m.matched_terms:
            console.print(f"   [dim]words in common: {escape(', '.join(m.matched_terms))}[/dim]")
    console.print("\n[dim]* required by the posting[/dim]")
