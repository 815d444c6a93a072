"""The advisor page through the real app (``TestClient(create_app(...))``): the embedded snapshot, and a
small store built here by the real ingest and enrich code for the job matches.

Each test reads the page as HTML (a small tree built with the standard library's parser) and checks
what a person would see: the form's contract ids, results that agree with the library's own answers,
every credited skill quoting its span (escaped: the résumé is user input), errors shown inline in the
results instead of an error page, the full page without JavaScript and the results part alone for htmx.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient

from rolescope.advise.documents import MAX_DOCUMENT_BYTES
from rolescope.knowledge.preferences import load_questionnaire
from rolescope.web.app import MAX_BODY_BYTES, create_app
from rolescope.web.service import Service, build_profile
from tests.unit.test_documents import docx_bytes, pdf_bytes
from tests.web.html_tree import Node, parse

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "profiles"
RESUME = """Dana Kim, machine learning engineer
Trained ranking models in PyTorch and scikit-learn; feature pipelines in SQL and Spark.
Deployed models with Docker on Kubernetes; curious about LangChain; no Rust experience.
"""
ERROR_PAGE_HEADING = "Something is wrong with this request"


# --- fixtures ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    svc = Service.open(
        tmp_path_factory.mktemp("advisor") / "absent.duckdb", explicit=False, source="snapshot"
    )
    yield svc
    svc.close()


@pytest.fixture(scope="module")
def client(service: Service) -> Iterator[TestClient]:
    with TestClient(create_app(service)) as c:
        yield c


def post(client: TestClient, data: dict[str, Any], files: dict[str, Any] | None = None, htmx: bool = False):
    headers = {"HX-Request": "true"} if htmx else {}
    # An empty file part, as a browser sends when no file is chosen, keeps the body multipart.
    return client.post(
        "/advisor", data=data, files=files or {"file": ("", b"", "application/octet-stream")}, headers=headers
    )


def results_of(html: str) -> Node:
    return parse(html).by_id("advisor-results")


# --- the form ----------------------------------------------------------------------------------


def test_the_form_has_every_contract_field(client: TestClient) -> None:
    response = client.get("/advisor")
    assert response.status_code == 200
    page = parse(response.text)
    form = page.by_id("advisor-form")
    assert (form.tag, form.attrs["method"], form.attrs["action"]) == ("form", "post", "/advisor")
    assert form.attrs["enctype"] == "multipart/form-data"
    assert form.attrs["hx-post"] == "/advisor"
    assert form.attrs["hx-target"] == "#advisor-results"
    assert form.attrs["hx-encoding"] == "multipart/form-data"
    resume = page.by_id("resume")
    assert (resume.attrs["type"], resume.attrs["name"], resume.attrs["accept"]) == (
        "file",
        "file",
        ".txt,.md,.pdf,.docx",
    )
    assert (page.by_id("text").tag, page.by_id("text").attrs["name"]) == ("textarea", "text")
    assert page.by_id("skills").attrs["name"] == "skills"
    assert (page.by_id("years").attrs["name"], page.by_id("years").attrs["type"]) == ("years", "number")
    assert (page.by_id("country").attrs["name"], page.by_id("country").attrs.get("value")) == ("country", "")
    goal = page.by_id("goal")
    options = [o.attrs["value"] for o in goal.all("option")]
    assert options == ["", *(g.id for g in load_questionnaire().goals)]
    assert page.by_id("advise-submit").tag == "button"
    # every field, the résumé included, has a visible label
    labelled = {label.attrs.get("for") for label in page.all("label")}
    assert {"resume", "text", "skills", "years", "country", "goal"} <= labelled
    assert page.by_id("advisor-results").children == []
    assert any(a.attrs.get("href") == "/static/advisor.css" for a in page.all("link"))


def test_each_statement_is_a_fieldset_of_five_labelled_radios(client: TestClient) -> None:
    page = parse(client.get("/advisor").text)
    preferences = page.by_id("preferences")
    assert preferences.tag == "fieldset"
    questionnaire = load_questionnaire()
    groups = [f for f in preferences.all("fieldset") if f.all("input", type="radio")]
    assert len(groups) == len(questionnaire.statements)
    for group, statement in zip(groups, questionnaire.statements, strict=True):
        assert group.all("legend")[0].text() == statement.text
        radios = group.all("input", type="radio")
        assert {r.attrs["name"] for r in radios} == {f"pref_{statement.id}"}
        assert [r.attrs["value"] for r in radios] == ["1", "2", "3", "4", "5"]
        assert not any("checked" in r.attrs for r in radios)
        labels = [label.text() for label in group.all("label")]
        assert labels == [questionnaire.scale[i] for i in range(1, 6)]


def test_how_this_works_links_the_api_and_states_the_guard(client: TestClient) -> None:
    page = parse(client.get("/advisor").text)
    how = next(d for d in page.all("details") if "How this works" in d.text())
    assert any(a.attrs.get("href") == "/api/v1/docs" for a in how.all("a"))
    assert "No skill is credited that your text does not contain" in how.text()
    assert "quotes its span" in how.text()


# --- results -----------------------------------------------------------------------------------


def _example(name: str) -> dict[str, Any]:
    return yaml.safe_load((EXAMPLES / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.yaml")))
def test_a_plain_form_post_renders_the_whole_page_with_the_library_answers(
    client: TestClient, service: Service, name: str
) -> None:
    example = _example(name)
    prefs = {f"pref_{k}": str(v) for k, v in (example.get("preferences") or {}).items()}
    data = {"text": example["text"], "years": str(example["years"]), "country": example["country"], **prefs}
    response = post(client, data)
    assert response.status_code == 200
    page = parse(response.text)
    assert page.all("html") and page.by_id("advisor-form")  # the full page, the form kept
    assert page.by_id("text").text() == " ".join(example["text"].split())
    checked = {
        r.attrs["name"]: r.attrs["value"] for r in page.all("input", type="radio") if "checked" in r.attrs
    }
    assert checked == prefs

    profile = build_profile(
        text=example["text"],
        years=example["years"],
        country=example["country"],
        preferences=example["preferences"],
    )
    fit = service.fit(profile)
    results = results_of(response.text)
    assert results.by_id("verdict").text() == fit["verdict"]["text"]
    rows = results.by_id("fit-table").all("tbody")[0].all("tr")
    assert [r.all("th")[0].text().replace(" best fit", "") for r in rows] == [r["name"] for r in fit["roles"]]
    assert str(fit["roles"][0]["n_postings"]) in rows[0].text()

    best = fit["roles"][0]
    growth = results.by_id("growth")
    chart = growth.by_id("growth-chart")
    assert chart.attrs["data-kind"] == "growth-chart"
    expected = service.simulate(best["role"], profile.effective_level, country=example["country"])["chart"]
    assert json.loads(chart.attrs["data-chart"]) == json.loads(json.dumps(expected))
    assert len(growth.by_id("growth-table").all("tbody")[0].all("tr")) == len(expected["years"])
    assert f"Roadmap to {best['name']}" in results.by_id("roadmap").text()
    matches = results.by_id("matches").text()
    assert "job matching ranks the postings of a store" in matches and "rolescope enrich" in matches


def test_htmx_gets_only_the_results_part(client: TestClient) -> None:
    response = post(client, {"skills": "Python, PyTorch, Kubernetes", "years": "4"}, htmx=True)
    assert response.status_code == 200
    assert "HX-Request" in response.headers["vary"]
    part = parse(response.text)
    assert not part.all("html") and not part.all("form") and not part.all("header")
    assert not part.all(id="advisor-results")  # the inside of the container, swapped into it
    assert part.by_id("verdict").text()
    for section in ("fit-table", "evidence", "gaps", "roadmap", "growth", "matches"):
        part.by_id(section)


def test_every_credited_skill_quotes_its_line_and_the_guard_holds(client: TestClient) -> None:
    results = results_of(post(client, {"text": RESUME, "years": "5"}).text)
    items = results.by_id("evidence").all("li", cls="evidence")
    shown = {item.attrs["data-skill"] for item in items}
    assert {"pytorch", "scikit_learn", "sql", "docker", "kubernetes"} <= shown
    assert not shown & {"langchain", "rust"}  # hedged and negated mentions are not credited
    lines = RESUME.splitlines()
    for item in items:
        for quote in item.all("blockquote"):
            number = int(quote.all(cls="line-no")[0].text().removeprefix("line "))
            marked = quote.all("mark")[0].text()
            assert marked in lines[number - 1]
            assert quote.all(cls="line")[0].text() in lines[number - 1]


def test_a_script_in_the_resume_is_shown_as_text(client: TestClient) -> None:
    text = "Built <script>alert('x')</script> tooling in Python and <b>PyTorch</b>\nSQL on <img src=x onerror=alert(1)>"
    response = post(client, {"text": text})
    assert response.status_code == 200
    assert "<script>alert" not in response.text and "<img src=x" not in response.text
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in response.text
    evidence = results_of(response.text).by_id("evidence")
    assert not evidence.all("script") and not evidence.all("b") and not evidence.all("img")
    python = evidence.all("li", data_skill="python")[0]
    assert "<script>alert('x')</script>" in python.text()


def test_unknown_level_starts_the_simulation_at_mid_in_the_us_and_says_so(
    client: TestClient, service: Service
) -> None:
    results = results_of(post(client, {"skills": "Python, PyTorch, scikit-learn"}).text)
    growth = results.by_id("growth")
    assert "Your level is unknown" in growth.text() and "No country given" in growth.text()
    role = (
        results.by_id("fit-table").all("tbody")[0].all("tr")[0].all("th")[0].text().replace(" best fit", "")
    )
    chart = json.loads(growth.by_id("growth-chart").attrs["data-chart"])
    assert chart["title"].startswith(f"{role} from mid")


def test_a_goal_sets_the_roadmap_and_the_simulated_role(client: TestClient) -> None:
    data = {"skills": "Python, SQL, pandas, statistics", "years": "3", "goal": "become-ml-engineer"}
    results = results_of(post(client, data).text)
    assert "Roadmap to ML engineer" in results.by_id("roadmap").text()
    assert "Become an ML engineer" in results.by_id("roadmap").text()
    assert results.by_id("growth").all("h2")[0].text().startswith("Growth: ML engineer from mid")


def test_unrecognised_listed_skills_are_shown_and_not_credited(client: TestClient) -> None:
    results = results_of(post(client, {"skills": "Python, Snorkelfoo"}).text)
    assert "not credited: Snorkelfoo" in results.text()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("cv.docx", docx_bytes("<w:p><w:r><w:t>Data scientist: Python, SQL and PyTorch</w:t></w:r></w:p>")),
        ("cv.pdf", pdf_bytes([["Data scientist", "Python, SQL and PyTorch"]])),
        ("cv.md", b"# Data scientist\n\n- Python, SQL and PyTorch\n"),
    ],
)
def test_an_uploaded_resume_is_read(client: TestClient, name: str, content: bytes) -> None:
    response = post(client, {}, files={"file": (name, content, "application/octet-stream")})
    assert response.status_code == 200, response.text[-500:]
    results = results_of(response.text)
    assert f"Read from {name}" in results.text()
    shown = {i.attrs["data-skill"] for i in results.by_id("evidence").all("li", cls="evidence")}
    assert {"python", "sql", "pytorch"} <= shown
    assert "you sent" in parse(response.text).by_id("resume-help").text().lower()


# --- errors ------------------------------------------------------------------------------------


BAD_INPUT = [
    ({}, None, 400, "give a résumé, some text about your work, or a list of skills"),
    ({}, ("setup.exe", b"MZ\x90\x00"), 400, "is not one of .txt, .md, .pdf, .docx"),
    ({}, ("big.txt", b"a" * (MAX_DOCUMENT_BYTES + 1)), 400, "is over 5 MB"),
    ({}, ("cv.pdf", b"MZ not a pdf"), 400, "it is not a PDF"),
    ({"text": "I like cooking and long walks."}, None, 400, "found no skill"),
    ({"skills": "Python", "years": "many"}, None, 400, "years of experience must be a number"),
    ({"skills": "Python", "country": "USA"}, None, 400, "country must be a two-letter code"),
    ({"skills": "Python", "goal": "become-astronaut"}, None, 404, "unknown career goal"),
    ({"skills": "Python", "pref_math_depth": "7"}, None, 400, "must be 1 to 5"),
]


@pytest.mark.parametrize(("data", "upload", "status", "message"), BAD_INPUT)
def test_bad_input_is_an_inline_alert_on_the_full_page(
    client: TestClient, data: dict[str, str], upload: tuple[str, bytes] | None, status: int, message: str
) -> None:
    files = {"file": (*upload, "application/octet-stream")} if upload else None
    response = post(client, data, files)
    assert response.status_code == status
    assert ERROR_PAGE_HEADING not in response.text
    page = parse(response.text)
    page.by_id("advisor-form")  # the form stays, with what was typed
    if "skills" in data:
        assert page.by_id("skills").attrs["value"] == data["skills"]
    alerts = page.by_id("advisor-results").all("p", role="alert")
    assert len(alerts) == 1 and message in alerts[0].text()


def test_bad_input_with_htmx_is_the_alert_alone(client: TestClient) -> None:
    response = post(client, {"text": "   "}, htmx=True)
    assert response.status_code == 400
    part = parse(response.text)
    assert [n.tag for n in part.children if isinstance(n, Node)] == ["p"]
    assert part.all("p", role="alert")[0].text().startswith("give a résumé")


def test_a_body_over_the_limit_is_refused_before_it_is_read(client: TestClient) -> None:
    response = post(client, {}, files={"file": ("cv.txt", b"a" * (MAX_BODY_BYTES + 1024), "text/plain")})
    assert response.status_code == 413


# --- matches from a store ----------------------------------------------------------------------


POSTINGS = [
    (
        "llm-1",
        "Senior AI Engineer <b>LLM</b> platform",
        "Acme AI",
        "Remote, US",
        "$180,000 - $220,000",
        "javascript:alert(1)",
        "Build retrieval-augmented generation with LangChain and Python. Requirements: Python, LangChain, "
        "PyTorch. Nice to have: Kubernetes.",
    ),
    (
        "etl-1",
        "Data Engineer",
        "Beta Data",
        "Berlin, Germany",
        None,
        "https://example.com/jobs/etl-1",
        "Batch ETL pipelines with Apache Spark and Airflow; strong SQL and Snowflake. Requirements: Spark, SQL.",
    ),
]


@pytest.fixture(scope="module")
def store_client(tmp_path_factory: pytest.TempPathFactory, service: Service) -> Iterator[TestClient]:
    """The snapshot's market with a small store of two postings for the matches (ingested and
    enriched, search index included, by the real code)."""
    from rolescope.enrich.pipeline import enrich_roles, enrich_skills
    from rolescope.enrich.roles.model import default_model
    from rolescope.enrich.search_index import enrich_search_index
    from rolescope.ingest.pipeline import IngestOptions, detect_all, ingest_sources
    from rolescope.store import connect

    folder = tmp_path_factory.mktemp("advisor-store")
    jsonl, db = folder / "postings.jsonl", folder / "store.duckdb"
    rows = [
        {"source": "test", "source_id": sid, "title": title, "company": company, "location": location,
         "posted_at": "2025-06", "salary_text": pay, "url": url, "description": text, "extra": {}}
        for sid, title, company, location, pay, url, text in POSTINGS
    ]  # fmt: skip
    jsonl.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    con = connect(db)
    try:
        ingest_sources(con, detect_all([jsonl], IngestOptions()), IngestOptions())
        enrich_skills(con)
        enrich_roles(con, default_model())
        enrich_search_index(con)
    finally:
        con.close()
    matching = Service(service.market, lambda: None, store_path=db)
    with TestClient(create_app(matching)) as c:
        yield c


def test_matches_from_a_store_list_met_and_missing_requirements(store_client: TestClient) -> None:
    response = post(store_client, {"text": "AI engineer: RAG with LangChain in Python; PyTorch models."})
    assert response.status_code == 200
    matches = results_of(response.text).by_id("matches")
    items = matches.all("li", cls="match")
    assert len(items) == 2
    first = items[0]
    assert first.all("h3")[0].text() == "Senior AI Engineer <b>LLM</b> platform"  # escaped, shown as typed
    assert not first.all("a")  # a javascript: URL is not made a link
    assert "Acme AI" in first.text() and "$180,000–$220,000 a year" in first.text()
    assert re.search(r"Meets \d+: .*LangChain", first.text())
    assert "<b>LLM</b>" not in response.text
    second = items[1]
    assert second.all("a")[0].attrs["href"] == "https://example.com/jobs/etl-1"
    assert "pay not stated" in second.text() and "Missing" in second.text()
