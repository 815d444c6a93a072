"""The advisor page: a résumé, pasted text or a skills list and the questionnaire in; role fit, the
evidence for it, skill gaps, a roadmap, a growth simulation and matching jobs out.

GET /advisor shows the form. POST /advisor (multipart) answers with the whole page, so the form works
without JavaScript; with htmx (``HX-Request: true``) only the results part is sent and swapped into
``#advisor-results``. Every figure comes from the same :class:`~rolescope.web.service.Service` calls
the API makes. A problem with the input is shown inline (a ``role="alert"`` paragraph, with the
status of the error), never as an error page; a section that cannot be computed says why in place
and leaves the others standing. The résumé is read in memory and not stored.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

from rolescope.advise.profile import Profile
from rolescope.errors import InvalidInput, RolescopeError
from rolescope.insights.stats import wilson_interval
from rolescope.knowledge.preferences import load_questionnaire
from rolescope.web.api import read_upload
from rolescope.web.app import Timeout, html, run, status_of
from rolescope.web.pages import LEVELS, context, service, skill_name
from rolescope.web.service import build_profile

router = APIRouter(include_in_schema=False)

DEFAULT_LEVEL = "mid"
DEFAULT_COUNTRY = "US"
TOP_MATCHES = 10
QUOTE_CONTEXT = 90  # characters of the résumé line shown either side of a quoted skill
MAX_QUOTES = 3  # quotes shown per skill; the other lines are listed by number


@dataclass
class AdvisorForm:
    """The form's values as sent (strings), so a no-JS round trip shows them again."""

    text: str = ""
    skills: str = ""
    years: str = ""
    country: str = ""
    level: str = ""
    goal: str = ""
    prefs: dict[str, str] = field(default_factory=dict)
    filename: str = ""


@dataclass(frozen=True)
class Problem:
    """An error to show inline: ``message`` and ``hint`` as the library wrote them."""

    message: str
    hint: str | None = None
    status: int = 400


def problem_of(exc: Exception) -> Problem:
    if isinstance(exc, RolescopeError):
        return Problem(exc.message, exc.hint, status_of(exc)[0])
    if isinstance(exc, StarletteHTTPException):
        return Problem(f"the form could not be read: {exc.detail}", "send it again", exc.status_code)
    return Problem(str(exc), "try a shorter text or fewer skills", 504)


# --- the form -------------------------------------------------------------------------------------


def read_form(data: FormData) -> tuple[AdvisorForm, UploadFile | None]:
    def value(name: str, strip: bool = True) -> str:
        raw = data.get(name)
        if not isinstance(raw, str):
            return ""
        return raw.strip() if strip else raw

    upload = data.get("file")
    file = upload if isinstance(upload, UploadFile) and upload.filename else None
    prefs = {s.id: value(f"pref_{s.id}") for s in load_questionnaire().statements}
    form = AdvisorForm(
        text=value("text", strip=False),
        skills=value("skills"),
        years=value("years"),
        country=value("country"),
        level=value("level"),
        goal=value("goal"),
        prefs={k: v for k, v in prefs.items() if v},
        filename=file.filename if file and file.filename else "",
    )
    return form, file


def parse_years(raw: str) -> float | None:
    if not raw:
        return None
    try:
        years = float(raw.replace(",", "."))
    except ValueError:
        raise InvalidInput(
            f"years of experience must be a number, got {raw!r}", hint="e.g. 4 or 6.5"
        ) from None
    if not 0 <= years <= 60:
        raise InvalidInput(f"years of experience must be between 0 and 60, got {raw}")
    return years


def goal_role(goal: str) -> str | None:
    """The role a career goal aims at (NotFound names the goals when the id is unknown)."""
    return load_questionnaire().goal(goal).role if goal else None


async def read_profile(form: AdvisorForm, file: UploadFile | None) -> Profile:
    upload = await read_upload(file)  # type and size checked before the file is read whole
    years = parse_years(form.years)
    goal_role(form.goal)  # an unknown goal fails before the slow steps

    def build() -> Profile:
        profile = build_profile(
            text=form.text,
            skills=form.skills,
            upload=upload,
            years=years,
            country=form.country or None,
            level=form.level or None,
            preferences=form.prefs,
        )
        if not profile.skills:  # the library's own hint speaks of profile files; this one of the form
            raise InvalidInput(
                f"{profile.source}: found no skill from the skill taxonomy in what you sent",
                hint="name the tools and methods you use in the text, or list them in the Skills field",
            )
        return profile

    return await run(build)


# --- what the results show ------------------------------------------------------------------------


def share_interval(k: int, n: int) -> tuple[float, float] | None:
    return wilson_interval(k, n) if n else None


def signed(value: float, digits: int = 0) -> str:
    """A share as a signed percentage ("+9%", "-4%"), never "-0%"."""
    text = f"{value * 100:+.{digits}f}%"
    return text[1:] if float(text[:-1]) == 0 else text


def quote(text: str, start: int, end: int) -> dict[str, Any]:
    """The résumé line holding ``text[start:end]``, split around it (trimmed at a word when long)."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end == -1 else line_end
    before, after = text[line_start:start], text[end:line_end]
    if len(before) > QUOTE_CONTEXT:
        cut = before[-QUOTE_CONTEXT:]
        before = "…" + (cut.split(" ", 1)[1] if " " in cut[:-1] else cut)
    if len(after) > QUOTE_CONTEXT:
        cut = after[:QUOTE_CONTEXT]
        after = (cut.rsplit(" ", 1)[0] if " " in cut[1:] else cut) + "…"
    return {
        "line": text.count("\n", 0, start) + 1,
        "before": before,
        "match": text[start:end],
        "after": after,
        "start": start,
        "end": end,
    }


def evidence_items(text: str, role: dict[str, Any]) -> list[dict[str, Any]]:
    """One item per credited skill of ``role``: its demand in the role's postings and every quote."""
    demand = {s["skill_id"]: s for s in role["credited_skills"]}
    grouped: dict[str, list[dict[str, Any]]] = {}
    for ev in role["evidence"]:
        grouped.setdefault(ev["skill_id"], []).append(quote(text, ev["start"], ev["end"]))
    items = []
    for skill_id, quotes in grouped.items():
        share = demand.get(skill_id)
        items.append(
            {
                "skill_id": skill_id,
                "name": skill_name(skill_id),
                "share": share,
                "interval": share_interval(share["k"], share["n"]) if share else None,
                "quotes": sorted(quotes, key=lambda q: q["start"]),
            }
        )
    return sorted(items, key=lambda i: -(i["share"]["share"] if i["share"] else 0))


def safe_url(url: Any) -> str | None:
    """A posting's link only when it is http(s): a stored URL is data, not trusted markup."""
    if not isinstance(url, str):
        return None
    return url if urlsplit(url).scheme in ("http", "https") else None


def known(value: Any) -> str | None:
    """A text field of a posting, with the store's empty markers ("None", "nan") read as missing."""
    if value is None or str(value).strip().lower() in ("", "none", "nan", "null"):
        return None
    return str(value)


async def attempt(call: Callable[[], Any]) -> dict[str, Any]:
    """One section's data, or the problem that stopped it (the other sections still show)."""
    try:
        return {"data": await run(call)}
    except (RolescopeError, Timeout) as exc:
        return {"error": problem_of(exc)}


def missing_skills(fit: dict[str, Any], role: str) -> dict[str, Any] | None:
    """The skills ``role``'s postings ask for most that the profile does not show, from its fit row."""
    row = next((r for r in fit["roles"] if r["role"] == role), None)
    if row is None:
        return None
    skills = [
        {**m, "name": skill_name(m["skill_id"]), "interval": share_interval(m["k"], m["n"])}
        for m in row["most_wanted_missing"]
    ]
    return {
        "name": row["name"],
        "n": row["n_postings"],
        "small_sample": row["small_sample"],
        "skills": skills,
    }


def growth_place(profile: Profile) -> dict[str, Any]:
    """Where the growth simulation starts: the profile's level and country, else stated defaults."""
    return {
        "level": profile.effective_level or DEFAULT_LEVEL,
        "level_assumed": profile.effective_level is None,
        "country": profile.country or DEFAULT_COUNTRY,
        "country_assumed": profile.country is None,
    }


async def advise(request: Request, profile: Profile, form: AdvisorForm) -> dict[str, Any]:
    svc = service(request)
    fit = await run(lambda: svc.fit(profile))
    best = fit["roles"][0]
    goal = load_questionnaire().goal(form.goal) if form.goal else None
    target = goal.role if goal else best["role"]
    place = growth_place(profile)
    # Cheap sections first: the roadmap values every missing skill against the pay premiums, which a
    # store (unlike the snapshot) recomputes on each call.
    growth = await attempt(lambda: svc.simulate(target, place["level"], country=place["country"]))
    matches = await attempt(lambda: svc.match(profile, top=TOP_MATCHES, country=profile.country))
    roadmap = await attempt(lambda: svc.roadmap(profile, None if goal else target, goal.id if goal else None))
    return {
        "profile": fit["profile"],
        "fit": fit,
        "best": best,
        "goal": goal,
        "target": {"role": target, "why": "goal" if goal else "best fit"},
        "evidence": evidence_items(profile.text, best),
        "gaps": missing_skills(fit, target),
        "roadmap": roadmap,
        "growth": growth,
        "growth_place": place,
        "matches": matches,
    }


# --- routes ---------------------------------------------------------------------------------------


def page_context(request: Request, form: AdvisorForm, **extra: Any) -> dict[str, Any]:
    questionnaire = load_questionnaire()
    return context(
        request,
        "/advisor",
        form=form,
        statements=questionnaire.statements,
        scale=questionnaire.scale,
        goals=questionnaire.goals,
        levels=LEVELS,
        skill_name=skill_name,
        safe_url=safe_url,
        known=known,
        signed=signed,
        max_quotes=MAX_QUOTES,
        **extra,
    )


@router.get("/advisor", response_class=HTMLResponse)
async def advisor(request: Request) -> HTMLResponse:
    return html(request, "advisor.html", page_context(request, AdvisorForm(), submitted=False))


@router.post("/advisor", response_class=HTMLResponse)
async def advisor_results(request: Request) -> HTMLResponse:
    """The results: the whole page for a plain form post, the results part alone for htmx."""
    form, status, results = AdvisorForm(), 200, {}
    try:
        form, file = read_form(await request.form())
        profile = await read_profile(form, file)
        results = await advise(request, profile, form)
    except (RolescopeError, Timeout, StarletteHTTPException) as exc:
        error = problem_of(exc)
        status, results = error.status, {"error": error}
    partial = request.headers.get("HX-Request") == "true"
    page = html(
        request,
        "_advisor_results.html" if partial else "advisor.html",
        page_context(request, form, submitted=True, **results),
        status=status,
    )
    page.headers["Vary"] = "HX-Request"
    return page
