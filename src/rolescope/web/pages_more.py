"""Pages for skill demand per role, the roles knowledge base and the role-identity quiz.

Each page reads without JavaScript: the skills form is a plain GET form (htmx swaps only its results
when scripts run), the trend chart has a table of the same figures beside it, and the quiz is a plain
POST form (htmx swaps in just the results). Shares carry k of n and their 95% Wilson interval.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from rolescope.advise.quiz import grade, quiz_payload, quiz_questions
from rolescope.errors import InvalidInput, RolescopeError
from rolescope.insights.stats import wilson_interval
from rolescope.knowledge.roles import NOTICE, load_roles, short_source
from rolescope.knowledge.skills import load_taxonomy
from rolescope.web.app import html, run, status_of
from rolescope.web.pages import context, role_choices, service, skill_name
from rolescope.web.service import Service

router = APIRouter(include_in_schema=False)

DEFAULT_ROLE, DEFAULT_VS = "ai_engineer", "ml_engineer"
TOPS = (10, 25, 50, 100)
VERSUS_ROWS = 12  # per side: the skills with the largest |z|
SMALL_N = 30  # quarters with fewer postings are marked as small samples
MAX_SEED = 10**9
FAMILIES = {"ai_ml": "AI/ML", "adjacent": "Adjacent to AI/ML", "other": "Outside AI/ML"}


# --- skills -------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def skill_index() -> dict[str, str]:
    """Every skill's id, name and aliases, case-folded, to its id (ids win over names over aliases)."""
    index: dict[str, str] = {}
    skills = load_taxonomy().skills
    for forms in ([s.id] for s in skills), ([s.name] for s in skills), (s.aliases for s in skills):
        for skill, names in zip(skills, forms, strict=True):
            for name in names:
                index.setdefault(name.casefold(), skill.id)
    return index


def resolve_skill(text: str) -> str:
    """A skill id from an id, a name or an alias typed in any case; unknown text comes back in id form,
    so the library's error names it and suggests ids."""
    folded = text.strip().casefold()
    return skill_index().get(folded) or "_".join(folded.replace("-", " ").split())


def whole(text: str | None) -> int | None:
    """``text`` as a non-negative whole number written in ASCII digits, else None."""
    return int(text) if text and text.isascii() and text.isdigit() else None


def skills_form(params: Mapping[str, str]) -> dict[str, str]:
    role = params.get("role") or DEFAULT_ROLE
    default_vs = DEFAULT_ROLE if role == DEFAULT_VS else DEFAULT_VS
    return {
        "role": role,
        "vs": params.get("vs") or default_vs,
        "skill": (params.get("skill") or "").strip(),
        "top": params.get("top") or "25",
    }


def parse_top(text: str) -> int:
    top = whole(text)
    if top is None or not 1 <= top <= 200:
        raise InvalidInput(f"top must be a whole number from 1 to 200, got {text!r}", hint="e.g. top=25")
    return top


def with_intervals(row: dict[str, Any], n_a: int, n_b: int) -> dict[str, Any]:
    """A distinguishing-skill row with both shares' 95% Wilson intervals and their n."""
    low_a, high_a = wilson_interval(row["k_a"], n_a)
    low_b, high_b = wilson_interval(row["k_b"], n_b)
    return {**row, "n_a": n_a, "n_b": n_b, "low_a": low_a, "high_a": high_a, "low_b": low_b, "high_b": high_b}


def trend_chart(trend: dict[str, Any], role_name: str) -> dict[str, Any]:
    periods = trend["periods"]
    return {
        "skill": skill_name(trend["skill_id"]),
        "role": role_name,
        "periods": [p["period"] for p in periods],
        "share": [p["share"] for p in periods],
        "low": [p["low"] for p in periods],
        "high": [p["high"] for p in periods],
        "k": [p["k"] for p in periods],
        "n": [p["n"] for p in periods],
        "small_n": SMALL_N,
    }


async def skills_context(request: Request) -> dict[str, Any]:
    """The skills page's figures; each part (demand, versus, trend) carries its own error."""
    svc = service(request)
    form = skills_form(request.query_params)
    out: dict[str, Any] = {"form": form, "skill_name": skill_name, "status": 200}
    out.update(small_n=SMALL_N, versus_rows=VERSUS_ROWS)
    try:
        top = parse_top(form["top"])
        demand = await run(lambda: svc.skills(form["role"], None, top))
    except RolescopeError as exc:
        return {**out, "error": exc, "status": status_of(exc)[0]}
    role_name = load_roles().get(demand["role"]).name
    query = urlencode({k: form[k] for k in ("role", "vs", "top")})
    out.update(demand=demand, role_name=role_name, query=query)
    try:
        out["versus"] = await versus_part(svc, form["role"], form["vs"], top, demand["n_postings"])
    except RolescopeError as exc:
        out["versus_error"] = exc
    skill = resolve_skill(form["skill"]) if form["skill"] else None
    skill = skill or (demand["skills"][0]["skill_id"] if demand["skills"] else None)
    if skill is not None:
        try:
            trend = await run(lambda: svc.skill_trend(form["role"], skill))
            out.update(trend=trend, chart=trend_chart(trend, role_name))
        except RolescopeError as exc:
            out["trend_error"] = exc
    return out


async def versus_part(svc: Service, role: str, versus: str, top: int, n_role: int) -> dict[str, Any]:
    """The skills leaning each way between two roles, VERSUS_ROWS a side, with both shares' intervals."""
    found = (await run(lambda: svc.skills(role, versus, top)))["versus"]
    n_versus = found["n_postings"]
    return {
        **found,
        "name": load_roles().get(found["role"]).name,
        **{
            side: [with_intervals(r, n_role, n_versus) for r in found[side][:VERSUS_ROWS]]
            for side in ("leans_to_role", "leans_to_versus")
        },
    }


@router.get("/skills", response_class=HTMLResponse)
async def skills(request: Request) -> HTMLResponse:
    extra = await skills_context(request)
    shown = whole(extra["form"]["top"])
    tops = sorted({*TOPS, shown}) if shown and shown <= 200 else list(TOPS)
    return html(
        request,
        "skills.html",
        context(request, "/skills", roles=role_choices(), tops=tops, **extra),
        status=extra["status"],
    )


@router.get("/skills/results", response_class=HTMLResponse)
async def skills_results(request: Request) -> HTMLResponse:
    """The results part of the skills page, for htmx (200 even on bad input, so htmx swaps it in)."""
    extra = await skills_context(request)
    response = html(request, "_skills_results.html", context(request, "/skills", **extra))
    response.headers["HX-Push-Url"] = "/skills?" + urlencode(extra["form"])
    return response


# --- roles --------------------------------------------------------------------------------------


def seed_rows(files: Iterable[str]) -> list[dict[str, Any]]:
    """Seed articles in file order, as each prints itself (None where a seed prints nothing)."""
    seeds = load_roles().seeds
    return [{"file": f, "label": short_source(f), **seeds[f].model_dump()} for f in sorted(files)]


@router.get("/roles", response_class=HTMLResponse)
async def roles(request: Request) -> HTMLResponse:
    catalog = load_roles()
    seeds = seed_rows(catalog.seeds)
    return html(
        request,
        "roles.html",
        context(request, "/roles", catalog=catalog, roles=role_choices(), families=FAMILIES, seeds=seeds),
    )


@router.get("/roles/{role}", response_class=HTMLResponse)
async def role_page(request: Request, role: str) -> Response:
    catalog = load_roles()
    found = catalog.get(role)  # NotFound becomes the app's 404 page
    if found.id != role:
        return RedirectResponse(f"/roles/{found.id}", status_code=307)
    return html(
        request,
        "role.html",
        context(
            request,
            "/roles",
            role=found,
            areas=catalog.responsibility_areas,
            families=FAMILIES,
            sources=seed_rows(found.citations()),
            label=short_source,
            claim_ids={c.id for c in found.claims},
            contradictions=catalog.contradictions_for({found.id}),
            notice=NOTICE,
        ),
    )


# --- quiz ---------------------------------------------------------------------------------------


def parse_seed(text: str | None) -> int:
    if text is None or text == "":
        return random.randrange(MAX_SEED)  # a fresh order per visit; the form posts it back
    seed = whole(text)
    if seed is None or seed >= MAX_SEED:
        raise InvalidInput(f"seed must be a whole number below {MAX_SEED:,}, got {text!r}", hint="e.g. 7")
    return seed


def quiz_context(seed: int) -> dict[str, Any]:
    catalog = load_roles()
    questions = quiz_questions(catalog, shuffle_seed=seed)
    payload = quiz_payload(catalog, questions)
    names = {c["value"]: c["label"] for c in payload["choices"]}
    return {
        "seed": seed,
        "questions": questions,
        "quiz": payload,
        "names": names,
        "areas": catalog.responsibility_areas,
        "given": {},
    }


@router.get("/quiz", response_class=HTMLResponse)
async def quiz(request: Request, seed: str | None = None) -> HTMLResponse:
    extra = quiz_context(parse_seed(seed))
    return html(request, "quiz.html", context(request, "/quiz", **extra))


@router.post("/quiz", response_class=HTMLResponse)
async def quiz_grade(request: Request) -> HTMLResponse:
    """Grade the answered questions; with htmx (HX-Request) only the results part comes back."""
    form = await request.form()
    seed = form.get("seed")
    answers = {k[2:]: v for k, v in form.items() if k.startswith("q_") and isinstance(v, str) and v}
    extra: dict[str, Any] = {"given": answers}
    status = 200
    try:
        extra |= quiz_context(parse_seed(seed if isinstance(seed, str) and seed else "0"))
        extra["given"] = answers
        extra["result"] = grade(extra["questions"], answers).to_dict()
    except RolescopeError as exc:
        extra = {**quiz_context(0), **extra, "error": exc}
        status = status_of(exc)[0]
    ctx = context(request, "/quiz", **extra)
    if request.headers.get("hx-request") == "true":
        return html(request, "_quiz_results.html", ctx)  # 200, so htmx swaps an error in too
    return html(request, "quiz.html", ctx, status=status)
