"""The REST API through a real ``rolescope serve`` (uvicorn in a subprocess), spoken to over HTTP.

Every /api/v1 route answers with its documented shape; every error has the one shape
``{"error": {"code", "message", "hint"}}``; a résumé is read in memory and written nowhere.
"""

from __future__ import annotations

import io
import json
import os
import re
import time
import uuid
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.web.conftest import Server

RESUME = (
    "Senior ML engineer. 6 years building recommendation models in Python with PyTorch and "
    "scikit-learn; deployed models on Kubernetes with MLflow; SQL and Spark pipelines on AWS."
)
LEVELS = {"entry", "mid", "senior", "executive"}


def docx_bytes(*paragraphs: str) -> bytes:
    """A minimal Word document (the parts a reader needs), built in memory."""
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    files = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
            '"/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.'
            'document.main+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>'
        ),
        "word/document.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
            f'wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>'
        ),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def assert_error(response: httpx.Response, status: int, code: str | None = None) -> dict[str, Any]:
    """The response is the API's one error shape with this status (and code)."""
    assert response.status_code == status, response.text[:500]
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "hint"}, body
    assert isinstance(body["error"]["message"], str) and body["error"]["message"].strip()
    assert body["error"]["hint"] is None or isinstance(body["error"]["hint"], str)
    if code is not None:
        assert body["error"]["code"] == code, body
    return body["error"]


def assert_spans_read_back(profile: dict[str, Any], evidence: list[dict[str, Any]]) -> None:
    text = profile["text"]
    assert evidence, "no evidence spans"
    for span in evidence:
        assert text[span["start"] : span["end"]] == span["text"], span


# --- market -------------------------------------------------------------------------------------


def test_health_names_the_snapshot(api: httpx.Client) -> None:
    body = api.get("/health").json()
    assert body["status"] == "ok"
    assert body["source"]["kind"] == "snapshot"
    assert body["source"]["counts"]["salary_records"] > 1000


def test_compare_two_roles(api: httpx.Client) -> None:
    body = api.get("/compare", params={"a": "ai-engineer", "b": "ml_engineer"}).json()
    assert body["roles"] == ["ai_engineer", "ml_engineer"]
    assert body["names"]["ai_engineer"] == "AI engineer"
    assert body["claims"] and all("verdict" in json.dumps(c) for c in body["claims"][:3])
    assert sum(body["verdicts"].values()) == len(body["claims"])


def test_salaries_with_filters(api: httpx.Client) -> None:
    body = api.get("/salaries", params={"role": "ml-engineer", "country": "us", "remote": "remote"}).json()
    assert body["role"] == "ml_engineer"
    assert body["filters"] == {"country": "US", "remote": "remote"}
    [cell] = body["cells"]
    assert cell["key"]["country"] == "US" and cell["n"] >= 30
    assert cell["median_low"] <= cell["median"] <= cell["median_high"]
    assert cell["percentiles"]["p10"] <= cell["median"] <= cell["percentiles"]["p90"]


def test_salaries_split_by_level(api: httpx.Client) -> None:
    body = api.get("/salaries", params={"role": "ai_engineer", "by": "level"}).json()
    assert body["by"] == ["level"]
    levels = {c["key"]["level"] for c in body["cells"]}
    assert levels <= LEVELS and len(levels) >= 3
    whole = api.get("/salaries", params={"role": "ai_engineer"}).json()["cells"][0]["n"]
    assert sum(c["n"] for c in body["cells"]) <= whole
    shown = [c for c in body["cells"] if c["status"] != "suppressed"]
    assert all(c["median"] is not None for c in shown)


def test_skills_versus_another_role(api: httpx.Client) -> None:
    body = api.get("/skills", params={"role": "ai_engineer", "vs": "ml_engineer", "top": 5}).json()
    assert body["role"] == "ai_engineer" and len(body["skills"]) == 5
    shares = [s["share"] for s in body["skills"]]
    assert shares == sorted(shares, reverse=True)
    for s in body["skills"]:
        assert s["low"] <= s["share"] <= s["high"] and s["n"] == body["n_postings"]
    assert body["versus"]["role"] == "ml_engineer"
    assert body["versus"]["leans_to_role"] and body["versus"]["leans_to_versus"]


def test_skill_trend(api: httpx.Client) -> None:
    body = api.get("/skills/trend", params={"role": "ai_engineer", "skill": "python"}).json()
    assert body["skill_id"] == "python" and body["periods"]
    periods = [p["period"] for p in body["periods"]]
    assert periods == sorted(periods)
    assert all(0 <= p["k"] <= p["n"] for p in body["periods"])


def test_roles_and_one_role(api: httpx.Client) -> None:
    roles = api.get("/roles").json()
    ids = {r["id"] for r in roles}
    assert {"ai_engineer", "ml_engineer"} <= ids
    detail = api.get("/roles/ml-engineer").json()
    assert detail["id"] == "ml_engineer"
    assert detail["responsibilities"] and detail["claims"]


# --- advisor ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def questionnaire(api: httpx.Client) -> dict[str, Any]:
    return api.get("/advise/questionnaire").json()


def test_questionnaire(questionnaire: dict[str, Any]) -> None:
    assert set(questionnaire["scale"]) == {"1", "2", "3", "4", "5"}
    assert {"whole_systems", "math_depth"} <= {s["id"] for s in questionnaire["statements"]}
    assert {"become-ai-engineer", "become-ml-engineer"} <= {g["id"] for g in questionnaire["goals"]}


def test_fit_from_text_quotes_its_evidence(api: httpx.Client) -> None:
    response = api.post(
        "/advise/fit", data={"text": RESUME, "preferences": json.dumps({"whole_systems": 5, "math_depth": 2})}
    )
    body = response.json()
    assert body["profile"]["text"] == RESUME
    scores = [r["score"] for r in body["roles"]]
    assert scores == sorted(scores, reverse=True) and all(0 <= s <= 100 for s in scores)
    assert body["verdict"]["text"]
    assert_spans_read_back(body["profile"], body["profile"]["evidence"])
    for role in body["roles"]:
        assert_spans_read_back(body["profile"], role["evidence"])
    found = {e["skill_id"] for e in body["profile"]["evidence"]}
    assert {"python", "pytorch", "kubernetes", "mlflow"} <= found


def test_preferences_move_the_fit(api: httpx.Client) -> None:
    def score(prefs: dict[str, int], role: str) -> float:
        body = api.post("/advise/fit", data={"text": RESUME, "preferences": json.dumps(prefs)}).json()
        return next(r["score"] for r in body["roles"] if r["role"] == role)

    systems = {"whole_systems": 5, "model_internals": 1, "llm_applications": 5}
    models = {"whole_systems": 1, "model_internals": 5, "llm_applications": 1}
    assert score(systems, "ai_engineer") > score(models, "ai_engineer")
    assert score(models, "ml_engineer") > score(systems, "ml_engineer")


@pytest.mark.parametrize(
    ("name", "content", "mime"),
    [
        ("resume.txt", RESUME.encode("utf-8"), "text/plain"),
        ("resume.docx", docx_bytes(*RESUME.split("; ")), "application/octet-stream"),
    ],
)
def test_fit_from_an_uploaded_resume(api: httpx.Client, name: str, content: bytes, mime: str) -> None:
    body = api.post("/advise/fit", files={"file": (name, content, mime)}, data={"years": "6"}).json()
    profile = body["profile"]
    assert profile["source"] == name
    assert "PyTorch" in profile["text"] and "MLflow" in profile["text"]
    assert profile["years"] == 6
    assert_spans_read_back(profile, profile["evidence"])
    for role in body["roles"]:
        assert_spans_read_back(profile, role["evidence"])


def test_gaps_rank_missing_skills(api: httpx.Client) -> None:
    body = api.post("/advise/gaps", data={"role": "ai_engineer", "text": RESUME}).json()
    assert body["role"] == "ai_engineer" and body["n_postings"] > 0
    assert "python" in body["have"]
    assert body["gaps"]
    assert not {g["skill_id"] for g in body["gaps"]} & set(body["have"])


def test_roadmap_for_a_goal(api: httpx.Client) -> None:
    body = api.post("/advise/roadmap", data={"goal": "become-ai-engineer", "text": RESUME}).json()
    assert body["goal"]["id"] == "become-ai-engineer"
    assert body["role"] == "ai_engineer"
    assert body["stages"] and body["total_weeks"] > 0
    assert body["coverage"]["after"] >= body["coverage"]["before"]


def test_simulate_growth(api: httpx.Client) -> None:
    body = api.get("/advise/simulate", params={"role": "ml_engineer", "level": "mid", "country": "us"}).json()
    assert body["start_level"] == "mid" and body["next_level"] == "senior"
    assert [y["year"] for y in body["years"]] == [0, 1, 2, 3]
    for year in body["years"]:
        assert year["p10"] <= year["p50"] <= year["p90"]
    assert len(body["chart"]["p50"]) == len(body["years"])


def test_match_on_the_snapshot_says_why_it_is_unavailable(api: httpx.Client) -> None:
    body = api.post("/advise/match", data={"text": RESUME}).json()
    assert body["available"] is False
    assert "snapshot" in body["reason"] and body["matches"] == []
    assert "rolescope serve --db" in body["hint"]


# --- quiz ---------------------------------------------------------------------------------------


def test_quiz_grades_its_own_answers(api: httpx.Client) -> None:
    quiz = api.get("/quiz").json()
    ids = [q["id"] for q in quiz["questions"]]
    assert len(ids) >= 5 and "answer" not in json.dumps(quiz["questions"])
    first = api.post("/quiz/grade", json={"answers": dict.fromkeys(ids, "both")}).json()
    assert first["total"] == len(ids) and 0 < first["score"] < len(ids)
    correct = {a["id"]: a["correct"] for a in first["answers"]}
    second = api.post("/quiz/grade", json={"answers": correct}).json()
    assert second["score"] == second["total"] == len(ids)
    assert all(a["explanation"] for a in second["answers"]) and second["sources"]
    partial = api.post("/quiz/grade", json={"answers": {ids[0]: correct[ids[0]]}}).json()
    assert partial["score"] == 1 and partial["total"] == 1


def test_quiz_limit_and_seed(api: httpx.Client) -> None:
    a = api.get("/quiz", params={"limit": 3, "seed": 7}).json()["questions"]
    b = api.get("/quiz", params={"limit": 3, "seed": 7}).json()["questions"]
    assert len(a) == 3 and a == b


# --- the posting classifier ---------------------------------------------------------------------

AI_POSTING = (
    "You will build LLM applications for our product: retrieval-augmented generation with LangChain "
    "and a vector database, agents with tool calling, prompt evaluation, and the OpenAI API behind "
    "our TypeScript front end. Python required."
)
ML_POSTING = (
    "Design, train and evaluate ranking and recommendation models with PyTorch and XGBoost; build "
    "feature pipelines in Spark; run A/B tests and ship models to production with MLflow."
)


def test_classify_reads_the_text_and_only_compares_the_title(api: httpx.Client) -> None:
    plain = api.post("/classify", json={"text": AI_POSTING})
    assert plain.status_code == 200, plain.text
    body = plain.json()
    assert body["role"] == "ai_engineer" and body["names"]["ai_engineer"] == "AI engineer"
    assert sum(body["probabilities"].values()) == pytest.approx(1.0, abs=1e-3)
    assert body["probabilities"]["ai_engineer"] > body["probabilities"]["ml_engineer"]
    assert {e["role"] for e in body["evidence"]} <= set(body["probabilities"]) and body["evidence"]
    held_out = body["model"]["held_out"]
    assert held_out["n"] > 1000 and 0 <= held_out["ece"] <= 1 and held_out["ai_vs_ml"]["n"] > 0
    titled = api.post("/classify", json={"text": AI_POSTING, "title": "Data Scientist"}).json()
    assert titled["probabilities"] == body["probabilities"]  # the title never moves a probability
    assert titled["title_role"] == "data_scientist" and titled["title_disagrees"] is True
    assert "titled Data scientist" in titled["note"]
    ml = api.post("/classify", json={"text": ML_POSTING, "title": "ML Engineer"}).json()
    assert ml["role"] == "ml_engineer" and ml["title_disagrees"] is False


@pytest.mark.parametrize(
    ("payload", "status", "code"),
    [
        ({"text": "   "}, 400, "invalid_input"),
        ({"text": "\u0000 \u0000 ..."}, 400, "invalid_input"),  # no word in it
        ({"text": "x " * 60_000}, 400, "invalid_input"),
        ({"text": AI_POSTING, "title": "t" * 301}, 400, "invalid_input"),
        ({"title": "AI Engineer"}, 422, "invalid_request"),
    ],
)
def test_classify_refuses_bad_input_with_the_error_shape(
    api: httpx.Client, payload: dict[str, Any], status: int, code: str
) -> None:
    response = api.post("/classify", json=payload)
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code and error["message"]


# --- the OpenAPI document -----------------------------------------------------------------------

ROUTES = {
    ("get", "/api/v1/health"),
    ("get", "/api/v1/compare"),
    ("get", "/api/v1/salaries"),
    ("get", "/api/v1/skills"),
    ("get", "/api/v1/skills/trend"),
    ("get", "/api/v1/roles"),
    ("get", "/api/v1/roles/{role}"),
    ("get", "/api/v1/advise/questionnaire"),
    ("post", "/api/v1/advise/fit"),
    ("post", "/api/v1/advise/gaps"),
    ("post", "/api/v1/advise/roadmap"),
    ("get", "/api/v1/advise/simulate"),
    ("post", "/api/v1/advise/match"),
    ("get", "/api/v1/quiz"),
    ("post", "/api/v1/quiz/grade"),
    ("post", "/api/v1/classify"),
}


@pytest.fixture(scope="module")
def openapi(api: httpx.Client) -> dict[str, Any]:
    return api.get("/openapi.json").json()


def test_openapi_lists_every_route_with_a_200_schema(openapi: dict[str, Any]) -> None:
    listed = {(method, path) for path, ops in openapi["paths"].items() for method in ops}
    assert listed == ROUTES
    for path, ops in openapi["paths"].items():
        for method, op in ops.items():
            schema = op["responses"]["200"]["content"]["application/json"]["schema"]
            assert schema.get("$ref") or schema.get("items", {}).get("$ref"), (method, path, schema)
            assert op["operationId"], (method, path)


def test_documented_errors_use_the_error_shape(openapi: dict[str, Any]) -> None:
    """Every 4xx/5xx the document promises has the schema the app really sends."""
    wrong = []
    for path, ops in openapi["paths"].items():
        for method, op in ops.items():
            for status, response in op["responses"].items():
                if status.startswith(("4", "5")):
                    ref = response["content"]["application/json"]["schema"].get("$ref", "")
                    if not ref.endswith("/ErrorBody"):
                        wrong.append(f"{method} {path} {status}: {ref}")
    assert not wrong, wrong


# --- errors -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status", "code"),
    [
        ("get", "/roles/no-such-role", {}, 404, "not_found"),
        ("get", "/compare", {"params": {"a": "no-such-role"}}, 404, "not_found"),
        ("get", "/salaries", {"params": {"role": "ml_engineer", "level": "wizard"}}, 400, "invalid_input"),
        ("get", "/salaries", {"params": {"role": "ml_engineer", "by": "colour"}}, 400, "invalid_input"),
        ("get", "/salaries", {"params": {"role": "ml_engineer", "year": "soon"}}, 422, "invalid_request"),
        ("get", "/salaries", {}, 422, "invalid_request"),
        ("get", "/skills/trend", {"params": {"role": "ai_engineer", "skill": "telepathy"}}, 404, "not_found"),
        ("get", "/advise/simulate", {"params": {"role": "ml_engineer", "level": "wizard"}}, 400, None),
        ("post", "/advise/fit", {"data": {}}, 400, "invalid_input"),
        ("post", "/advise/fit", {"data": {"text": "   "}}, 400, "invalid_input"),
        ("post", "/advise/fit", {"data": {"text": RESUME, "country": "USA"}}, 400, "invalid_input"),
        ("post", "/advise/fit", {"data": {"text": RESUME, "preferences": "[1]"}}, 400, "invalid_input"),
        ("post", "/advise/gaps", {"data": {"role": "no-such-role", "text": RESUME}}, 404, "not_found"),
        ("post", "/advise/roadmap", {"data": {"goal": "become-wizard", "text": RESUME}}, 404, "not_found"),
        ("get", "/quiz", {"params": {"limit": 0}}, 422, "invalid_request"),
        ("post", "/quiz/grade", {"json": {"answers": {"no-such-question": "ml"}}}, 400, "invalid_input"),
        ("post", "/quiz/grade", {"json": {"answers": {"model_selection": "maybe"}}}, 400, "invalid_input"),
        ("post", "/quiz/grade", {"json": {"wrong": 1}}, 422, "invalid_request"),
        ("get", "/no-such-route", {}, 404, "not_found"),
        ("delete", "/health", {}, 405, "method_not_allowed"),
    ],
)
def test_errors_have_one_shape(
    api: httpx.Client, method: str, path: str, kwargs: dict[str, Any], status: int, code: str | None
) -> None:
    assert_error(api.request(method, path, **kwargs), status, code)


def test_error_messages_say_what_is_allowed(api: httpx.Client) -> None:
    level = assert_error(api.get("/salaries", params={"role": "ml_engineer", "level": "wizard"}), 400)
    assert "wizard" in level["message"] and "senior" in (level["hint"] or "")
    role = assert_error(api.get("/roles/no-such-role"), 404)
    assert "ml_engineer" in (role["hint"] or "")


def test_malformed_json_is_a_422(api: httpx.Client) -> None:
    response = api.post("/quiz/grade", content=b'{"answers": {', headers={"content-type": "application/json"})
    error = assert_error(response, 422, "invalid_request")
    assert "json" in error["message"].lower()


def test_an_exe_upload_is_refused(api: httpx.Client) -> None:
    response = api.post(
        "/advise/fit", files={"file": ("resume.exe", b"MZ\x90\x00" * 64, "application/x-msdownload")}
    )
    error = assert_error(response, 400, "invalid_input")
    assert ".exe" in error["message"] and ".docx" in error["message"]


def test_an_oversize_body_is_a_413(api: httpx.Client) -> None:
    big = b"python " * (1024 * 1024)  # 7 MB
    response = api.post("/advise/fit", files={"file": ("resume.txt", big, "text/plain")})
    assert_error(response, 413, "too_large")


def test_an_oversize_chunked_body_is_a_413(api: httpx.Client) -> None:
    """Without a content-length the app counts the bytes as they arrive."""

    def chunks() -> Iterator[bytes]:
        for _ in range(7):
            yield b"a" * (1024 * 1024)

    response = api.post("/advise/fit", content=chunks(), headers={"content-type": "text/plain"})
    assert_error(response, 413, "too_large")


def test_the_api_still_answers_after_errors(api: httpx.Client) -> None:
    assert api.get("/health").status_code == 200


# --- privacy: a résumé is read in memory only ---------------------------------------------------


def files_containing(roots: list[Path], marker: bytes, since: float) -> list[Path]:
    """Files under ``roots`` changed since ``since`` whose bytes contain ``marker``."""
    found = []
    for root in roots:
        for folder, _, names in os.walk(root, onerror=lambda _: None):
            for name in names:
                path = Path(folder, name)
                try:
                    stat = path.stat()
                    if stat.st_mtime < since - 1 or not path.is_file() or stat.st_size > 50 * 2**20:
                        continue
                    if marker in path.read_bytes():
                        found.append(path)
                except OSError:
                    continue
    return found


def snapshot_files(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


@pytest.mark.parametrize(
    ("name", "size"),
    [("resume.txt", "small"), ("resume.txt", "spooled"), ("resume.docx", "small")],
)
def test_no_resume_is_written_anywhere(api: httpx.Client, server: Server, name: str, size: str) -> None:
    """Nothing with the résumé's content appears under the server's folder, its TMPDIR or /tmp.

    "spooled" is over the 1 MB at which the multipart parser moves an upload out of memory."""
    marker = f"MARKER-{uuid.uuid4().hex}"
    text = f"{RESUME} {marker}"
    if size == "spooled":
        text += " " * 1_400_000  # whitespace runs read as one space, so the profile stays short
    content = docx_bytes(text) if name.endswith(".docx") else text.encode()
    before = {root: snapshot_files(root) for root in (server.cwd, server.tmpdir)}
    started = time.time()
    response = api.post("/advise/fit", files={"file": (name, content, "application/octet-stream")})
    assert response.status_code == 200, response.text[:300]
    assert marker in response.json()["profile"]["text"]
    for root, files in before.items():
        assert snapshot_files(root) == files, f"new files under {root}"
    leaked = files_containing([server.cwd, server.tmpdir, Path("/tmp")], marker.encode(), started)
    assert not leaked, leaked
    assert marker not in server.log.read_text(errors="replace")


# --- with a store -------------------------------------------------------------------------------


def test_match_ranks_a_stores_postings(store_server: Server) -> None:
    with httpx.Client(base_url=store_server.api, timeout=120) as client:
        assert client.get("/health").json()["source"]["kind"] == "store"
        body = client.post("/advise/match", data={"text": RESUME}).json()
    assert body["available"] is True, body
    assert len(body["matches"]) == 10
    scores = [m["score"] for m in body["matches"]]
    assert scores == sorted(scores, reverse=True)


def test_the_api_docs_page_loads_nothing_from_other_hosts(server: Server) -> None:
    page = httpx.get(f"{server.api}/docs", timeout=30)
    assert page.status_code == 200
    external = re.findall(r'(?:src|href)="(https?://[^"]+)"', page.text)
    assert not external, external
