"""REST API under /api/v1: every capability of the app, with a response model on every route.

The OpenAPI document is at /api/v1/openapi.json (browse it at /api/v1/docs). Errors always have the
shape :class:`ErrorBody`. The pages call the same :class:`~rolescope.web.service.Service` methods.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from pydantic import BaseModel, Field

from rolescope import __version__
from rolescope.advise.documents import MAX_DOCUMENT_BYTES, SUPPORTED_SUFFIXES
from rolescope.errors import InvalidInput
from rolescope.web.app import run
from rolescope.web.service import Service, build_profile

router = APIRouter()


# --- models ---------------------------------------------------------------------------------------


class ErrorDetail(BaseModel):
    code: str = Field(
        description="invalid_input, not_found, not_ready, too_large, timeout, invalid_request, ..."
    )
    message: str
    hint: str | None = None


class ErrorBody(BaseModel):
    error: ErrorDetail


ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": text}
    for status, text in (
        (400, "Bad input (unknown filter value, empty profile, ...)"),
        (404, "Unknown role, skill or goal"),
        (413, "Request over 6 MB"),
        (422, "Malformed request"),
        (503, "The store is not ready (ingest / enrich first)"),
        (504, "Took longer than the time limit"),
    )
}


class Health(BaseModel):
    status: str
    version: str
    source: dict[str, Any] = Field(description="Where figures come from: the store or the embedded snapshot")


class SalaryCellModel(BaseModel):
    key: dict[str, Any]
    n: int = Field(description="Observations in the cell")
    status: str = Field(description="ok, shrunk (median pulled toward its parent) or suppressed (n below 5)")
    median: float | None = None
    median_low: float | None = Field(None, description="95% interval of the median, low end")
    median_high: float | None = None
    mean: float | None = None
    mean_low: float | None = None
    mean_high: float | None = None
    percentiles: dict[str, float] | None = None
    median_raw: float | None = None
    shrink_weight: float | None = None
    parent: dict[str, Any] | None = None
    sources: dict[str, int] | None = None


class Salaries(BaseModel):
    role: str
    filters: dict[str, Any]
    by: list[str]
    cells: list[SalaryCellModel]
    source: dict[str, Any]


class SkillShareModel(BaseModel):
    skill_id: str
    k: int = Field(description="Postings asking for the skill")
    n: int = Field(description="Postings of the role")
    share: float
    low: float = Field(description="95% Wilson interval, low end")
    high: float
    required: int
    preferred: int


class Skills(BaseModel):
    role: str
    n_postings: int
    skills: list[SkillShareModel]
    versus: dict[str, Any] | None = None
    source: dict[str, Any]


class Trend(BaseModel):
    role: str
    skill_id: str
    periods: list[dict[str, Any]]


class Comparison(BaseModel):
    roles: list[str]
    names: dict[str, str]
    source: dict[str, Any]
    salaries: dict[str, Any]
    skills: dict[str, Any]
    premiums: dict[str, Any]
    claims: list[dict[str, Any]]
    verdicts: dict[str, int]
    model_config = {"extra": "allow"}


class RoleSummary(BaseModel):
    id: str
    name: str
    family: str
    summary: str
    aliases: list[str]


class RoleDetail(RoleSummary):
    responsibilities: list[dict[str, Any]]
    deliverables: list[str]
    tools: list[dict[str, Any]]
    claims: list[dict[str, Any]]


class Fit(BaseModel):
    profile: dict[str, Any]
    roles: list[dict[str, Any]] = Field(
        description="Sorted by score; each with evidence spans into profile.text"
    )
    verdict: dict[str, Any]
    weights: dict[str, float]
    left_out: list[str]
    method: str
    source: dict[str, Any]


class Gaps(BaseModel):
    profile: dict[str, Any]
    role: str
    role_name: str
    objective: str
    threshold: float
    n_postings: int
    small_sample: bool
    match_share: float
    coverage: float
    have: list[str]
    gaps: list[dict[str, Any]]
    candidates: int
    method: str
    source: dict[str, Any]


class Roadmap(BaseModel):
    profile: dict[str, Any]
    role: str
    role_name: str
    goal: dict[str, Any] | None
    objective: str
    threshold: float
    n_postings: int
    small_sample: bool
    match_share: dict[str, float]
    coverage: dict[str, float]
    total_weeks: float
    stages: list[dict[str, Any]]
    method: str
    source: dict[str, Any]


class Growth(BaseModel):
    role: str
    role_name: str
    start_level: str
    next_level: str | None
    years: list[dict[str, Any]]
    chart: dict[str, Any]
    model_config = {"extra": "allow"}


class Matches(BaseModel):
    available: bool
    reason: str | None = None
    hint: str | None = None
    matches: list[dict[str, Any]] = []
    model_config = {"extra": "allow"}


class QuizQuestions(BaseModel):
    questions: list[dict[str, Any]]
    choices: list[dict[str, Any]]
    rule: str
    skipped: list[dict[str, Any]]


class QuizGraded(BaseModel):
    score: int
    total: int
    answers: list[dict[str, Any]]
    unanswered: list[str]
    sources: list[dict[str, Any]]
    rule: str


class QuizAnswers(BaseModel):
    answers: dict[str, str] = Field(description='Question id -> "ai", "ml" or "both"')


class GoalModel(BaseModel):
    id: str
    title: str
    role: str
    objective: str
    source: str


class Questionnaire(BaseModel):
    scale: dict[int, str]
    statements: list[dict[str, Any]]
    goals: list[GoalModel]


class PostingIn(BaseModel):
    text: str = Field(description="The job posting's text (its description), at most 100,000 characters")
    title: str | None = Field(
        None, description="The posting's title: only compared with the reading, it never changes it"
    )


class EvidenceItem(BaseModel):
    role: str
    kind: str = Field(description="phrase or skill")
    text: str
    weight: float = Field(description="How far this term pushed the role above the mean of all roles")


class ModelRecord(BaseModel):
    version: str | None
    trained_on: str | None
    held_out: dict[str, Any] = Field(description="Scores on postings the model never trained on, with n")
    not_modelled: dict[str, int] = Field(description="Roles with too few labelled postings: probability 0")


class Classification(BaseModel):
    role: str
    probabilities: dict[str, float] = Field(description="Calibrated probability of every role")
    hybrid: bool
    evidence: list[EvidenceItem] = Field(description="The terms and skills behind the top two roles")
    title_role: str | None = Field(None, description="The role the given title names, if any")
    title_disagrees: bool | None = None
    note: str | None = None
    names: dict[str, str] = Field(description="Display name of every role id")
    model: ModelRecord


# --- helpers ----------------------------------------------------------------------------------


def service(request: Request) -> Service:
    return request.app.state.service


async def read_upload(file: UploadFile | None) -> tuple[str, bytes] | None:
    """The uploaded résumé as (name, bytes), checked for type and size before it is read whole."""
    if file is None or not file.filename:
        return None
    name = file.filename
    if not name.lower().endswith(SUPPORTED_SUFFIXES):
        raise InvalidInput(f"résumé {name!r} is not one of {', '.join(SUPPORTED_SUFFIXES)}")
    data = await file.read(MAX_DOCUMENT_BYTES + 1)
    if len(data) > MAX_DOCUMENT_BYTES:
        raise InvalidInput(f"résumé {name!r} is over 5 MB", hint="paste its text instead")
    return name, data


def parse_preferences(raw: str | None) -> dict[str, Any]:
    if not raw:
        return {}
    try:
        data = json.loads(raw)
    except json.JSONDecodeError:
        raise InvalidInput("preferences must be a JSON object of statement id -> 1..5") from None
    if not isinstance(data, dict):
        raise InvalidInput("preferences must be a JSON object of statement id -> 1..5")
    return data


ProfileText = Annotated[str | None, Form(description="Résumé or a description of your work, as text")]
ProfileSkills = Annotated[str | None, Form(description="Comma-separated skills, e.g. 'Python, PyTorch'")]
ProfileFile = Annotated[UploadFile | None, File(description="Résumé: .txt .md .pdf .docx, at most 5 MB")]
Years = Annotated[float | None, Form(ge=0, le=60)]
Country = Annotated[str | None, Form(description="Two-letter code, e.g. US")]
Level = Annotated[str | None, Form(description="entry, mid, senior or executive")]
Prefs = Annotated[str | None, Form(description='JSON: {"whole_systems": 5, "math_depth": 2}')]


async def profile_from_form(
    text: str | None,
    skills: str | None,
    file: UploadFile | None,
    years: float | None,
    country: str | None,
    level: str | None,
    preferences: str | None,
) -> Any:
    upload = await read_upload(file)
    prefs = parse_preferences(preferences)
    return await run(
        lambda: build_profile(
            text=text,
            skills=skills,
            upload=upload,
            years=years,
            country=country,
            level=level,
            preferences=prefs,
        )
    )


# --- routes -----------------------------------------------------------------------------------


@router.get("/health", response_model=Health, tags=["meta"])
async def health(request: Request) -> Health:
    return Health(status="ok", version=__version__, source=service(request).source())


@router.get("/compare", response_model=Comparison, responses=ERRORS, tags=["market"])
async def compare(
    request: Request, a: str = Query("ai_engineer", description="Role id or alias"), b: str = "ml_engineer"
) -> Any:
    """Two roles side by side: pay, skills, premiums and every article claim with a verdict."""
    return await run(lambda: service(request).compare(a, b))


@router.get("/salaries", response_model=Salaries, responses=ERRORS, tags=["market"])
async def salaries(
    request: Request,
    role: str = Query(..., description="Role id or alias, e.g. ml-engineer"),
    level: str | None = None,
    country: str | None = Query(None, description="Two-letter code"),
    metro: str | None = None,
    remote: str | None = Query(None, description="onsite, hybrid or remote"),
    size: str | None = Query(None, description="S, M or L"),
    year: int | None = None,
    by: Annotated[
        list[str] | None, Query(description="Group by: level, country, metro, remote, size, year")
    ] = None,
) -> Any:
    """Salary cells with n, P10–P90 and the median's 95% interval; small cells shrunk or suppressed."""
    filters = {
        "level": level,
        "country": country,
        "metro": metro,
        "remote": remote,
        "size": size,
        "year": year,
    }
    return await run(lambda: service(request).salaries(role, filters, list(by or [])))


@router.get("/skills", response_model=Skills, responses=ERRORS, tags=["market"])
async def skills(
    request: Request,
    role: str = Query(..., description="Role id or alias"),
    vs: str | None = Query(None, description="A second role: the skills that set the two apart"),
    top: int = Query(25, ge=1, le=200),
) -> Any:
    """Share of the role's postings asking for each skill (Wilson 95% interval)."""
    return await run(lambda: service(request).skills(role, vs, top))


@router.get("/skills/trend", response_model=Trend, responses=ERRORS, tags=["market"])
async def trend(request: Request, role: str, skill: str) -> Any:
    """Quarterly share of the role's postings asking for one skill."""
    return await run(lambda: service(request).skill_trend(role, skill))


@router.get("/roles", response_model=list[RoleSummary], tags=["knowledge"])
async def roles() -> Any:
    from rolescope.knowledge.roles import load_roles

    return [_role_summary(r) for r in load_roles().roles]


@router.get("/roles/{role}", response_model=RoleDetail, responses=ERRORS, tags=["knowledge"])
async def role_detail(role: str) -> Any:
    """One role of the knowledge base with its responsibilities, tools and cited claims."""
    from rolescope.knowledge.roles import load_roles

    r = load_roles().get(role)
    return {
        **_role_summary(r),
        "responsibilities": [x.model_dump() for x in r.responsibilities],
        "deliverables": list(r.deliverables),
        "tools": [t.model_dump() for t in r.tools],
        "claims": [c.model_dump(mode="json") for c in r.claims],
    }


def _role_summary(r: Any) -> dict[str, Any]:
    return {"id": r.id, "name": r.name, "family": r.family, "summary": r.summary, "aliases": list(r.aliases)}


@router.post("/classify", response_model=Classification, responses=ERRORS, tags=["postings"])
async def classify(request: Request, body: PostingIn) -> Any:
    """Which role a posting reads as, from its text alone: a probability for every role, a hybrid
    flag, the evidence for the top two roles and, with a title, whether title and text disagree."""
    return await run(lambda: service(request).classify(body.text, body.title))


@router.get("/advise/questionnaire", response_model=Questionnaire, tags=["advisor"])
async def questionnaire() -> Any:
    """The preference statements (answer 1–5) and the career goals a roadmap can start from."""
    from rolescope.knowledge.preferences import load_questionnaire

    q = load_questionnaire()
    return {"scale": q.scale, "statements": [s.model_dump() for s in q.statements], "goals": q.goals}


@router.post("/advise/fit", response_model=Fit, responses=ERRORS, tags=["advisor"])
async def fit(
    request: Request,
    text: ProfileText = None,
    skills: ProfileSkills = None,
    file: ProfileFile = None,
    years: Years = None,
    country: Country = None,
    level: Level = None,
    preferences: Prefs = None,
) -> Any:
    """Role fit 0–100 for every role; each credited skill quotes its span in ``profile.text``.

    The résumé is read in memory and not stored.
    """
    profile = await profile_from_form(text, skills, file, years, country, level, preferences)
    return await run(lambda: service(request).fit(profile))


@router.post("/advise/gaps", response_model=Gaps, responses=ERRORS, tags=["advisor"])
async def gaps(
    request: Request,
    role: Annotated[str, Form()],
    text: ProfileText = None,
    skills: ProfileSkills = None,
    file: ProfileFile = None,
    objective: Annotated[str, Form()] = "reach",
) -> Any:
    """The target role's missing skills, ranked by (gain in postings matched × premium) / weeks."""
    profile = await profile_from_form(text, skills, file, None, None, None, None)
    return await run(lambda: service(request).gaps(profile, role, objective))


@router.post("/advise/roadmap", response_model=Roadmap, responses=ERRORS, tags=["advisor"])
async def roadmap(
    request: Request,
    role: Annotated[str | None, Form()] = None,
    goal: Annotated[str | None, Form(description="A goal id from /advise/questionnaire")] = None,
    text: ProfileText = None,
    skills: ProfileSkills = None,
    file: ProfileFile = None,
) -> Any:
    """A staged learning plan for a role or a career goal, prerequisites first."""
    profile = await profile_from_form(text, skills, file, None, None, None, None)
    return await run(lambda: service(request).roadmap(profile, role or None, goal or None))


@router.get("/advise/simulate", response_model=Growth, responses=ERRORS, tags=["advisor"])
async def simulate(
    request: Request,
    role: str = Query(..., description="Role id or alias"),
    level: str = Query(..., description="entry, mid, senior or executive"),
    country: str = "US",
    metro: str | None = None,
    size: str | None = None,
    remote: str | None = None,
    years: int = Query(3, ge=1, le=10),
) -> Any:
    """3-year Monte Carlo of pay (P10/P50/P90 per year) and level, with the chart's series."""
    return await run(
        lambda: service(request).simulate(
            role, level, country=country.upper(), metro=metro, size=size, remote=remote, years=years
        )
    )


@router.post("/advise/match", response_model=Matches, responses=ERRORS, tags=["advisor"])
async def match(
    request: Request,
    text: ProfileText = None,
    skills: ProfileSkills = None,
    file: ProfileFile = None,
    role: Annotated[str | None, Form()] = None,
    remote_only: Annotated[bool, Form()] = False,
    country: Country = None,
    min_pay: Annotated[float | None, Form(ge=0)] = None,
    top: Annotated[int, Form(ge=1, le=50)] = 10,
) -> Any:
    """The store's postings ranked for the profile (BM25 + skill overlap); needs a store."""
    profile = await profile_from_form(text, skills, file, None, None, None, None)
    filters: dict[str, Any] = {"top": top, "country": country or None, "min_pay_usd": min_pay}
    if role:
        filters["role"] = role
    if remote_only:
        filters["arrangements"] = frozenset({"remote"})
    return await run(lambda: service(request).match(profile, **filters))


@router.get("/quiz", response_model=QuizQuestions, responses=ERRORS, tags=["quiz"])
async def quiz(limit: int | None = Query(None, ge=1, le=50), seed: int | None = Query(None, ge=0)) -> Any:
    """The role-identity quiz's questions (no answers)."""
    from rolescope.advise.quiz import quiz_payload, quiz_questions
    from rolescope.knowledge.roles import load_roles

    catalog = load_roles()
    return quiz_payload(catalog, quiz_questions(catalog, shuffle_seed=seed, limit=limit))


@router.post("/quiz/grade", response_model=QuizGraded, responses=ERRORS, tags=["quiz"])
async def grade(body: QuizAnswers) -> Any:
    """Grade answers (question id -> ai / ml / both): each with the explanation and its sources."""
    from rolescope.advise.quiz import grade as grade_answers
    from rolescope.knowledge.roles import load_roles

    return grade_answers(load_roles(), body.answers).to_dict()
