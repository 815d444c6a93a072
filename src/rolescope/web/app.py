"""The web app: FastAPI with Jinja2 pages (htmx for partial updates) and a REST API under /api/v1.

``create_app`` builds it around one :class:`~rolescope.web.service.Service`; ``rolescope serve`` runs it
with uvicorn. Every asset is served from the installed package (no CDN), so it works offline.

Errors have one JSON shape on the API, ``{"error": {"code", "message", "hint"}}``, and a readable
page elsewhere. Requests are limited in size (``MAX_BODY_BYTES``) and in time (``TIMEOUT_SECONDS``
per call into the library).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from rolescope import __version__
from rolescope.errors import DataError, InvalidInput, NotFound, NotReady, RolescopeError
from rolescope.web.service import Service

T = TypeVar("T")
MAX_BODY_BYTES = 6 * 1024 * 1024  # a 5 MB résumé plus the form around it
TIMEOUT_SECONDS = 30.0
API_PREFIX = "/api/v1"

_STATUS = {InvalidInput: 400, NotFound: 404, NotReady: 503, DataError: 500}
_CODES = {
    InvalidInput: "invalid_input",
    NotFound: "not_found",
    NotReady: "not_ready",
    DataError: "data_error",
}


class Timeout(Exception):
    """A call into the library took longer than the app allows."""


def error_body(code: str, message: str, hint: str | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "hint": hint}}


def status_of(exc: RolescopeError) -> tuple[int, str]:
    for kind, status in _STATUS.items():
        if isinstance(exc, kind):
            return status, _CODES[kind]
    return 400, "error"


async def run(call: Callable[[], T], timeout: float = TIMEOUT_SECONDS) -> T:
    """Run blocking library work off the event loop, bounded in time."""
    try:
        return await asyncio.wait_for(run_in_threadpool(call), timeout)
    except TimeoutError:
        raise Timeout(f"the request took longer than {timeout:.0f} s") from None


def templates() -> Jinja2Templates:
    folder = Path(str(resources.files("rolescope.web").joinpath("templates")))
    env = Jinja2Templates(directory=str(folder))
    env.env.globals["version"] = __version__
    env.env.filters["usd"] = lambda v: "–" if v is None else f"${v:,.0f}"
    env.env.filters["pct"] = lambda v, d=0: "–" if v is None else f"{v * 100:.{d}f}%"
    env.env.filters["num"] = lambda v: "–" if v is None else f"{v:,}"
    return env


def create_app(service: Service) -> FastAPI:
    from rolescope.web import api, pages, pages_advisor, pages_classify, pages_more

    app = FastAPI(
        title="rolescope",
        version=__version__,
        summary="Career intelligence for AI and ML engineering, from real postings and salaries.",
        docs_url=None,  # served below from package assets: FastAPI's default page loads a CDN
        redoc_url=None,
        openapi_url=f"{API_PREFIX}/openapi.json",
    )
    app.state.service = service
    app.state.templates = templates()
    app.mount("/static", StaticFiles(packages=[("rolescope.web", "static")]), name="static")
    app.mount("/assets", StaticFiles(packages=[("rolescope", "assets")]), name="assets")
    app.include_router(api.router, prefix=API_PREFIX)

    @app.get(f"{API_PREFIX}/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=f"{API_PREFIX}/openapi.json",
            title="rolescope API",
            swagger_js_url="/static/swagger-ui-bundle-5.35.0.js",
            swagger_css_url="/static/swagger-ui-5.35.0.css",
            swagger_favicon_url="data:,",
        )

    app.include_router(pages.router)
    app.include_router(pages_advisor.router)
    app.include_router(pages_more.router)
    app.include_router(pages_classify.router)
    _limits(app)
    _handlers(app)
    return app


class TooLarge(Exception):
    """The request body grew past ``MAX_BODY_BYTES`` while it was being read."""


class BodyLimit:
    """ASGI middleware: a body declared or streamed past ``MAX_BODY_BYTES`` gets a 413; every response
    gets ``X-Content-Type-Options: nosniff``. Plain ASGI, so requests pay no extra task or copy."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > MAX_BODY_BYTES):
            response = _error(Request(scope), 413, "too_large", *_TOO_LARGE)
            await response(scope, receive, send)
            return
        if length is None and scope["method"] in ("POST", "PUT", "PATCH"):
            # No declared length (chunked): read and count it all first, then hand it on.
            chunks, total, more = [], 0, True
            while more:
                message = await receive()
                if message["type"] != "http.request":
                    return  # the client went away
                chunks.append(message.get("body", b""))
                total += len(chunks[-1])
                if total > MAX_BODY_BYTES:
                    response = _error(Request(scope), 413, "too_large", *_TOO_LARGE)
                    await response(scope, receive, send)
                    return
                more = message.get("more_body", False)
            buffered = [{"type": "http.request", "body": b"".join(chunks), "more_body": False}]

            async def replay() -> dict[str, Any]:
                return buffered.pop() if buffered else await receive()

            receive = replay
        received = 0

        async def limited() -> dict[str, Any]:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > MAX_BODY_BYTES:
                    raise TooLarge
            return message

        async def send_nosniff(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), (b"x-content-type-options", b"nosniff")]
            await send(message)

        await self.app(scope, limited, send_nosniff)


_TOO_LARGE = (
    f"the request is over {MAX_BODY_BYTES // 2**20} MB",
    "send a résumé of at most 5 MB, or paste its text",
)


def _limits(app: FastAPI) -> None:
    app.add_middleware(BodyLimit)


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith(API_PREFIX) or "application/json" in request.headers.get("accept", "")


def _error(request: Request, status: int, code: str, message: str, hint: str | None = None) -> Response:
    if _wants_json(request):
        return JSONResponse(error_body(code, message, hint), status_code=status)
    page = request.app.state.templates.TemplateResponse(
        request, "error.html", {"status": status, "message": message, "hint": hint}, status_code=status
    )
    return page


def _handlers(app: FastAPI) -> None:
    @app.exception_handler(RolescopeError)
    async def domain(request: Request, exc: RolescopeError) -> Response:
        status, code = status_of(exc)
        return _error(request, status, code, exc.message, exc.hint)

    @app.exception_handler(TooLarge)
    async def too_large(request: Request, exc: TooLarge) -> Response:
        return _error(request, 413, "too_large", *_TOO_LARGE)

    @app.exception_handler(Timeout)
    async def timeout(request: Request, exc: Timeout) -> Response:
        return _error(request, 504, "timeout", str(exc), "try a narrower question")

    @app.exception_handler(RequestValidationError)
    async def validation(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p not in ("body", "query"))
        message = (
            f"{where}: {first.get('msg', 'invalid value')}" if where else first.get("msg", "invalid request")
        )
        return _error(request, 422, "invalid_request", message)

    @app.exception_handler(StarletteHTTPException)
    async def http(request: Request, exc: StarletteHTTPException) -> Response:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return _error(request, exc.status_code, code, str(exc.detail))

    @app.exception_handler(Exception)
    async def internal(request: Request, exc: Exception) -> Response:
        return _error(
            request,
            500,
            "internal",
            f"internal error ({type(exc).__name__})",
            "this is a bug in rolescope; the server log has the details",
        )


def html(request: Request, template: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    return request.app.state.templates.TemplateResponse(request, template, context, status_code=status)
