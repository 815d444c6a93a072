"""HTML pages. Each renders a template from the same :class:`Service` calls the API makes.

Pages read without JavaScript (forms submit normally, every chart has a table beside it); with
JavaScript, htmx swaps in partial results and plotly.js draws the charts.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from rolescope.errors import RolescopeError
from rolescope.knowledge.roles import load_roles
from rolescope.knowledge.skills import load_taxonomy
from rolescope.web.app import html, run
from rolescope.web.service import FILTERS, Service

router = APIRouter(include_in_schema=False)

LEVELS = [("entry", "Entry"), ("mid", "Mid"), ("senior", "Senior"), ("executive", "Executive")]
REMOTE = [("onsite", "On-site"), ("hybrid", "Hybrid"), ("remote", "Remote")]
SIZES = [("S", "Small"), ("M", "Medium"), ("L", "Large")]
SPLITS = [
    ("level", "Level"),
    ("country", "Country"),
    ("remote", "Work arrangement"),
    ("size", "Company size"),
    ("year", "Year"),
]


def service(request: Request) -> Service:
    return request.app.state.service


def source_text(source: dict[str, Any]) -> str:
    counts = source.get("counts", {})
    what = (
        f"{counts.get('salary_records_distinct', 0):,} distinct salary records, "
        f"{counts.get('postings', 0):,} postings ({counts.get('postings_with_pay', 0):,} state pay)"
    )
    if source.get("kind") == "store":
        return f"Source: the store {source.get('path')}: {what}."
    return f"Source: the embedded snapshot of ../shared/data: {what}."


def skill_name(skill_id: str) -> str:
    """A skill's name from the taxonomy, or its id when the taxonomy does not know it."""
    taxonomy = load_taxonomy()
    return taxonomy.get(skill_id).name if skill_id in taxonomy else skill_id


def role_choices() -> list[Any]:
    return [r for r in load_roles().roles if r.id != "other"]


def context(request: Request, active: str, **extra: Any) -> dict[str, Any]:
    return {"active": active, "source": service(request).source(), "source_text": source_text, **extra}


@router.get("/", response_class=HTMLResponse)
async def overview(request: Request, a: str = "ai_engineer", b: str = "ml_engineer") -> HTMLResponse:
    from rolescope.insights.report import comparison_parts, script_json

    result = await run(lambda: service(request).compare(a, b))
    pair = (result["roles"][0], result["roles"][1])

    def render() -> str:
        # The page depends on the two roles alone, so it is rendered once (about 0.5 MB of HTML).
        extra = {
            "parts": comparison_parts(result),
            "data": script_json(result),
            "roles": role_choices(),
            "a": pair[0],
            "b": pair[1],
        }
        template = request.app.state.templates.get_template("overview.html")
        return template.render({**context(request, "/", **extra), "request": request})

    body = await run(lambda: service(request).cached(("overview-html", *pair), render))
    return HTMLResponse(body)


def _salary_form(params: Any) -> dict[str, str]:
    form = {name: params.get(name, "") for name in FILTERS}
    form["role"] = params.get("role", "ml_engineer") or "ml_engineer"
    form["by"] = params.get("by", "")
    return form


def cell_label(cell: dict[str, Any], result: dict[str, Any]) -> str:
    names = dict(LEVELS + REMOTE + SIZES)
    parts = [str(names.get(str(cell["key"].get(d)), cell["key"].get(d))) for d in result["by"]]
    return ", ".join(parts) or "All"


def salary_chart(result: dict[str, Any]) -> dict[str, Any]:
    rows = [c for c in result["cells"] if c["status"] != "suppressed"]
    labels = [cell_label(c, result) + f" (n={c['n']:,})" for c in rows]
    return {
        "labels": labels,
        "p10": [c["percentiles"]["p10"] for c in rows],
        "p90": [c["percentiles"]["p90"] for c in rows],
        "median": [c["median"] for c in rows],
        "low": [c["median_low"] for c in rows],
        "high": [c["median_high"] for c in rows],
        "shrunk": [c["status"] == "shrunk" for c in rows],
    }


async def _salary_context(request: Request) -> dict[str, Any]:
    form = _salary_form(request.query_params)
    by = [form["by"]] if form["by"] else []
    out: dict[str, Any] = {"form": form, "cell_label": cell_label}
    try:
        result = await run(lambda: service(request).salaries(form["role"], form, by))
        out.update(result=result, chart=salary_chart(result), role_name=load_roles().get(result["role"]).name)
    except RolescopeError as exc:
        out.update(error=exc, role_name=form["role"])
    return out


@router.get("/salaries", response_class=HTMLResponse)
async def salaries(request: Request) -> HTMLResponse:
    choices = [
        ("level", "Level", LEVELS),
        (
            "country",
            "Country",
            [
                ("US", "United States"),
                ("GB", "United Kingdom"),
                ("CA", "Canada"),
                ("DE", "Germany"),
                ("IN", "India"),
            ],
        ),
        ("remote", "Work arrangement", REMOTE),
        ("size", "Company size", SIZES),
        ("year", "Year", [(y, str(y)) for y in range(2020, 2027)]),
    ]
    extra = await _salary_context(request)
    return html(
        request,
        "salaries.html",
        context(request, "/salaries", roles=role_choices(), choices=choices, splits=SPLITS, **extra),
    )


@router.get("/salaries/cells", response_class=HTMLResponse)
async def salary_cells(request: Request) -> HTMLResponse:
    """The results part of the salary explorer, for htmx; the address bar gets the full page's URL."""
    extra = await _salary_context(request)
    response = html(request, "_salary_cells.html", context(request, "/salaries", **extra))
    query = request.url.query
    response.headers["HX-Push-Url"] = "/salaries" + (f"?{query}" if query else "")
    return response
