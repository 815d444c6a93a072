"""The posting classifier page: paste a job posting, see which role its text reads as, and why.

A plain POST form that reads without JavaScript (htmx swaps in only the results when scripts run).
The page shows every role's calibrated probability as a bar with its figure, the evidence for the
two leading roles, the title check when a title is given, and the model's held-out record with n.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from rolescope.errors import RolescopeError
from rolescope.web.app import html, run, status_of
from rolescope.web.pages import context, service

router = APIRouter(include_in_schema=False)


def ranked(result: dict[str, Any]) -> list[tuple[str, float]]:
    """Roles by probability, highest first; roles the model does not score (always 0) left out."""
    skipped = result["model"]["not_modelled"]
    scored = [(role, p) for role, p in result["probabilities"].items() if role not in skipped]
    return sorted(scored, key=lambda item: -item[1])


def evidence_by_role(result: dict[str, Any]) -> list[tuple[str, list[dict[str, Any]]]]:
    groups: dict[str, list[dict[str, Any]]] = {}
    for item in result["evidence"]:
        groups.setdefault(item["role"], []).append(item)
    return list(groups.items())


@router.get("/classify", response_class=HTMLResponse)
async def classify_page(request: Request) -> HTMLResponse:
    record = await run(_model_record)
    return html(request, "classify.html", context(request, "/classify", form={}, model=record))


@router.post("/classify", response_class=HTMLResponse)
async def classify_posting(request: Request) -> HTMLResponse:
    """Read the pasted posting; with htmx (HX-Request) only the results part comes back."""
    form = await request.form()
    text = form.get("text")
    title = form.get("title")
    fields = {"text": text if isinstance(text, str) else "", "title": title if isinstance(title, str) else ""}
    extra: dict[str, Any] = {"form": fields}
    status = 200
    try:
        result = await run(lambda: service(request).classify(fields["text"], fields["title"]))
        extra |= {
            "result": result,
            "ranked": ranked(result),
            "evidence": evidence_by_role(result),
            "model": result["model"],
        }
    except RolescopeError as exc:
        extra |= {"error": exc, "model": await run(_model_record)}
        status = status_of(exc)[0]
    ctx = context(request, "/classify", **extra)
    if request.headers.get("hx-request") == "true":
        return html(request, "_classify_results.html", ctx)  # 200, so htmx swaps an error in too
    return html(request, "classify.html", ctx, status=status)


def _model_record() -> dict[str, Any] | None:
    from rolescope.enrich.roles.model import default_model
    from rolescope.web.service import model_record

    try:
        return model_record(default_model().card)
    except RolescopeError:
        return None  # the form still shows; submitting it explains what is missing
