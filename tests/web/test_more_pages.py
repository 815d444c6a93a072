"""The skills, roles and quiz pages through the real app (``TestClient(create_app(...))``) on the snapshot.

Each test reads the page as HTML (a small tree built with the standard library's parser) and checks
what a person would see: the contract ids, every share with its interval and k of n, the quiz graded
against the real roles catalog, inline errors for bad input, htmx partials, and escaped parameters.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from rolescope.advise.quiz import quiz_questions
from rolescope.knowledge.roles import load_roles, short_source
from rolescope.web.app import create_app
from rolescope.web.service import Service
from tests.web.html_tree import Node, parse

SCRIPT = "<script>alert(1)</script>"


# --- reading the pages ---------------------------------------------------------------------------


def body_rows(table: Node) -> list[Node]:
    return [tr for tbody in table.all("tbody") for tr in tbody.all("tr") if "group" not in tr.classes]


def pct(value: float) -> str:
    return f"{value * 100:.1f}"


# --- fixtures ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    absent: Path = tmp_path_factory.mktemp("no-store") / "absent.duckdb"
    svc = Service.open(absent, explicit=False, source="snapshot")
    yield svc
    svc.close()


@pytest.fixture(scope="module")
def client(service: Service) -> Iterator[TestClient]:
    with TestClient(create_app(service)) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def skills_page(client: TestClient) -> Node:
    response = client.get("/skills")
    assert response.status_code == 200
    return parse(response.text)


# --- skills --------------------------------------------------------------------------------------


def test_skills_page_has_its_form_controls_with_labels(skills_page: Node) -> None:
    form = skills_page.by_id("skills-form")
    assert (form.attrs["method"], form.attrs["action"]) == ("get", "/skills")
    assert skills_page.by_id("skill-role").tag == "select"
    assert skills_page.by_id("skill-role").attrs["name"] == "role"
    assert skills_page.by_id("skill-vs").attrs["name"] == "vs"
    assert skills_page.by_id("skill").attrs["name"] == "skill"
    labelled = {label.attrs.get("for") for label in skills_page.all("label")}
    controls = [n for n in form.walk() if n.tag in ("select", "input") and n.attrs.get("type") != "hidden"]
    assert controls and all(c.attrs["id"] in labelled for c in controls)
    selected = [
        o.attrs["value"] for o in skills_page.by_id("skill-role").all("option") if "selected" in o.attrs
    ]
    assert selected == ["ai_engineer"]
    selected = [
        o.attrs["value"] for o in skills_page.by_id("skill-vs").all("option") if "selected" in o.attrs
    ]
    assert selected == ["ml_engineer"]


def test_demand_table_shows_every_share_with_its_interval_and_n(skills_page: Node, service: Service) -> None:
    expected = service.skills("ai_engineer", None, 25)
    rows = body_rows(skills_page.by_id("demand-table"))
    assert len(rows) == len(expected["skills"]) == 25
    for row, skill in zip(rows, expected["skills"], strict=True):
        text = row.text()
        assert f"{pct(skill['share'])}%" in text
        assert f"[{pct(skill['low'])}–{pct(skill['high'])}%]" in text
        assert f"{skill['k']:,} of {skill['n']:,}" in text
        assert f"{skill['required']} / {skill['preferred']}" in text
    assert (
        f"{expected['n_postings']:,} postings"
        in skills_page.one("section", aria_labelledby="demand-title").text()
    )


def test_versus_table_shows_both_shares_with_n_and_z(skills_page: Node, service: Service) -> None:
    versus = service.skills("ai_engineer", "ml_engineer", 25)["versus"]
    table = skills_page.by_id("versus-table")
    header = table.one("thead").text()
    assert "AI engineer [95%]" in header and "ML engineer [95%]" in header and header.endswith("z")
    rows = body_rows(table)
    first = rows[0].text()
    top = versus["leans_to_role"][0]
    assert f"{pct(top['share_a'])}%" in first and f"{pct(top['share_b'])}%" in first
    assert f"{top['k_a']} of 309" in first and f"{top['k_b']} of {versus['n_postings']}" in first
    assert f"{top['z']:+.1f}" in first
    assert all(re.search(r"\[\d+\.\d–\d+\.\d%\].*\[\d+\.\d–\d+\.\d%\]", r.text()) for r in rows)
    sides = [g.text() for g in table.all("tr", cls="group")]
    assert sides == ["Leans to AI engineer", "Leans to ML engineer"]


def test_trend_has_a_chart_and_a_table_of_the_same_quarters(skills_page: Node, service: Service) -> None:
    trend = service.skill_trend("ai_engineer", "python")  # the role's most asked-for skill
    assert "hidden" in skills_page.by_id("trend-figure").attrs  # no empty box without scripts
    chart = skills_page.by_id("trend-chart")
    assert chart.attrs["data-kind"] == "trend-chart"
    data = json.loads(chart.attrs["data-chart"])
    assert data["periods"] == [p["period"] for p in trend["periods"]]
    assert data["n"] == [p["n"] for p in trend["periods"]]
    assert data["low"] == [p["low"] for p in trend["periods"]]
    rows = body_rows(skills_page.by_id("trend-table"))
    assert len(rows) == len(trend["periods"])
    for row, period in zip(rows, trend["periods"], strict=True):
        assert row.text().startswith(period["period"])
        assert f"{period['k']} of {period['n']}" in row.text()
        assert ("small sample" in row.text()) == (period["n"] < 30)
    scripts = [s.attrs.get("src") for s in skills_page.all("script")]
    assert "/static/charts_more.js" in scripts


def test_a_skill_can_be_named_by_its_name_in_any_case(client: TestClient) -> None:
    page = parse(client.get("/skills", params={"role": "ml_engineer", "skill": "PyTorch"}).text)
    assert page.by_id("trend-title").text() == "PyTorch in ML engineer postings, by quarter"
    assert json.loads(page.by_id("trend-chart").attrs["data-chart"])["skill"] == "PyTorch"


def test_an_unknown_skill_is_an_inline_error_and_the_rest_still_shows(client: TestClient) -> None:
    response = client.get("/skills", params={"skill": "torch"})
    assert response.status_code == 200
    page = parse(response.text)
    error = page.by_id("trend").one("p", cls="error")
    assert "unknown skill 'torch'" in error.text() and "did you mean: pytorch" in error.text()
    assert page.all(id="trend-chart") == []
    assert len(body_rows(page.by_id("demand-table"))) == 25


def test_an_unknown_role_is_an_escaped_inline_error_with_status_404(client: TestClient) -> None:
    response = client.get("/skills", params={"role": SCRIPT})
    assert response.status_code == 404
    assert SCRIPT not in response.text
    assert "unknown role &#39;&lt;script&gt;alert(1)&lt;/script&gt;&#39;" in response.text
    page = parse(response.text)
    assert page.by_id("skills-form")  # the form stays, to fix the choice
    assert page.all(id="demand-table") == []


def test_a_typed_skill_is_escaped_in_the_form_and_the_error(client: TestClient) -> None:
    typed = '"><script>alert(1)</script>'
    response = client.get("/skills", params={"skill": typed, "top": "30"})
    assert response.status_code == 200
    assert "<script>alert(1)" not in response.text
    page = parse(response.text)
    assert page.by_id("skill").attrs["value"] == typed  # kept as typed, to correct it
    assert "unknown skill" in page.by_id("trend").text()
    top = [o.attrs["value"] for o in page.by_id("skill-top").all("option") if "selected" in o.attrs]
    assert top == ["30"] and len(body_rows(page.by_id("demand-table"))) == 30


@pytest.mark.parametrize("top", ["abc", "0", "500", "²"])
def test_a_bad_row_count_is_an_inline_400(client: TestClient, top: str) -> None:
    response = client.get("/skills", params={"top": top})
    assert response.status_code == 400
    assert f"top must be a whole number from 1 to 200, got {top!r}".replace("'", "&#39;") in response.text


def test_the_same_role_twice_asks_for_two_roles(client: TestClient) -> None:
    page = parse(client.get("/skills", params={"role": "ml_engineer", "vs": "ml_engineer"}).text)
    assert "Choose two different roles" in page.one("section", aria_labelledby="versus-title").text()
    assert page.all(id="versus-table") == []


def test_the_htmx_partial_is_only_the_results_and_pushes_the_page_url(client: TestClient) -> None:
    response = client.get("/skills/results", params={"role": "ml_engineer", "skill": "pytorch"})
    assert response.status_code == 200
    assert "<html" not in response.text and "<form" not in response.text
    page = parse(response.text)
    assert page.by_id("demand-table") and page.by_id("versus-table") and page.by_id("trend-chart")
    assert response.headers["HX-Push-Url"] == "/skills?role=ml_engineer&vs=ai_engineer&skill=pytorch&top=25"
    bad = client.get("/skills/results", params={"role": SCRIPT})
    assert bad.status_code == 200  # htmx swaps only 2xx answers in
    assert SCRIPT not in bad.text and "unknown role" in bad.text


# --- roles ---------------------------------------------------------------------------------------


def test_roles_lists_every_role_but_other_with_summary_family_and_aliases(client: TestClient) -> None:
    page = parse(client.get("/roles").text)
    catalog = load_roles()
    cards = page.by_id("role-list").all("li", cls="role-card")
    assert [c.attrs["data-id"] for c in cards] == [r.id for r in catalog.roles if r.id != "other"]
    for card, role in zip(cards, catalog.roles, strict=False):
        assert card.one("a").attrs["href"] == f"/roles/{role.id}"
        text = card.text()
        assert role.summary in text
        assert all(alias in text for alias in role.aliases)
        assert ("AI/ML" if role.family == "ai_ml" else "Adjacent") in text
    sources = page.one("ol", cls="sources").all("li")
    assert len(sources) == len(catalog.seeds)
    assert "AI vs. Machine Learning Engineering: Understanding the Key Differences" in sources[0].text()


def test_a_role_page_shows_responsibilities_tools_claims_and_sources(client: TestClient) -> None:
    response = client.get("/roles/ml_engineer")
    assert response.status_code == 200
    page = parse(response.text)
    catalog = load_roles()
    role = catalog.get("ml_engineer")
    rows = body_rows(page.by_id("responsibilities"))
    assert [r.attrs["data-id"] for r in rows] == [x.id for x in role.responsibilities]
    for row, resp in zip(rows, role.responsibilities, strict=True):
        text = row.text()
        assert (
            catalog.responsibility_areas[resp.id] in text and resp.involvement in text and resp.text in text
        )
        assert [a.attrs["href"] for a in row.all("a", cls="source-label")] == [
            f"#seed-{short_source(f)}" for f in resp.citations
        ]
    tools = page.by_id("tools").text()
    assert all(name in tools for group in role.tools for name in group.names)
    claims = body_rows(page.by_id("claims"))
    assert len(claims) == len(role.claims)
    median = next(c for c in role.claims if c.id == "ml_median_base_us_2026")
    assert "median USD 149,136–159,000/yr" in page.by_id(f"claim-{median.id}").text()
    assert all(d in page.text() for d in role.deliverables)
    cited = {short_source(f) for f in role.citations()}
    assert {li.attrs["id"] for li in page.one("ol", cls="sources").all("li")} == {f"seed-{c}" for c in cited}
    assert "AI Engineer vs Machine Learning Engineer" in page.by_id("seed-001").text()  # its title
    assert "Dataaxy" in page.by_id("seed-001").text()  # and its publisher


def test_an_unknown_role_is_the_apps_404_page_escaped(client: TestClient) -> None:
    response = client.get("/roles/%3Cb%3Ewho")
    assert response.status_code == 404
    assert "<b>who" not in response.text
    page = parse(response.text)
    assert page.one("h1").text() == "Not found"
    assert "unknown role '<b>who'" in page.one("p", cls="error").text()


def test_a_role_alias_redirects_to_its_id(client: TestClient) -> None:
    response = client.get("/roles/AI-Engineer", follow_redirects=False)
    assert response.status_code == 307 and response.headers["location"] == "/roles/ai_engineer"


# --- quiz ----------------------------------------------------------------------------------------


def test_the_quiz_form_has_one_fieldset_per_question_in_the_seeded_order(client: TestClient) -> None:
    page = parse(client.get("/quiz", params={"seed": "7"}).text)
    questions = quiz_questions(load_roles(), shuffle_seed=7)
    form = page.by_id("quiz-form")
    assert (form.attrs["method"], form.attrs["action"]) == ("post", "/quiz")
    assert form.one("input", type="hidden", name="seed").attrs["value"] == "7"
    fieldsets = form.all("fieldset", cls="question")
    assert [f.attrs["data-id"] for f in fieldsets] == [q.id for q in questions]
    labels = {label.attrs["for"]: label.text() for label in form.all("label")}
    for fieldset, question in zip(fieldsets, questions, strict=True):
        assert fieldset.one("legend").text() == question.prompt
        radios = fieldset.all("input", type="radio")
        assert [r.attrs["value"] for r in radios] == ["ai", "ml", "both"]
        assert {r.attrs["name"] for r in radios} == {f"q_{question.id}"}
        assert [labels[r.attrs["id"]] for r in radios] == ["AI engineer", "ML engineer", "Both"]
    assert page.by_id("quiz-submit").attrs["type"] == "submit"
    assert "hidden" in page.by_id("quiz-results").attrs  # nothing graded yet


def test_posting_the_quiz_grades_right_and_wrong_with_explanations(client: TestClient) -> None:
    answers = {"seed": "7", "q_system_integration": "ai", "q_model_selection": "ml"}
    response = client.post("/quiz", data=answers)
    assert response.status_code == 200 and "<html" in response.text
    page = parse(response.text)
    results = page.by_id("quiz-results")
    assert page.by_id("quiz-score").text() == "1 of 2 right"
    rows = {row.attrs["data-id"]: row for row in results.all("li", cls="quiz-answer")}
    assert set(rows) == {"system_integration", "model_selection"}
    right, wrong = rows["system_integration"], rows["model_selection"]
    assert "right" in right.classes and "wrong" not in right.classes
    assert "wrong" in wrong.classes
    assert right.one("strong", cls="correct").text() == "AI engineer"
    assert wrong.one("strong", cls="correct").text() == "both"
    ai_side = load_roles().get("ai_engineer").responsibility("system_integration")
    assert ai_side is not None and ai_side.text in right.text()
    assert "002" in right.one("p", cls="sources-line").text()
    unanswered = [li.attrs["data-id"] for li in page.by_id("quiz-unanswered").all("li")]
    order = [q.id for q in quiz_questions(load_roles(), shuffle_seed=7)]
    assert unanswered == [qid for qid in order if qid not in ("system_integration", "model_selection")]
    kept = page.by_id("q-system_integration-ai")
    assert "checked" in kept.attrs  # the answers stay on the form


def test_with_htmx_the_quiz_answers_only_the_results_part(client: TestClient) -> None:
    response = client.post(
        "/quiz", data={"seed": "7", "q_iot_robotics": "ai"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert "<html" not in response.text and "quiz-form" not in response.text
    page = parse(response.text)
    assert page.by_id("quiz-score").text() == "1 of 1 right"
    assert "right" in page.one("li", cls="quiz-answer").classes


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"seed": "7"}, "no answers to grade"),
        ({"seed": "7", "q_system_integration": "zzz"}, "is not one of ai, ml, both"),
        ({"seed": "7", "q_nope": "ai"}, "unknown question id"),
        ({"seed": SCRIPT, "q_system_integration": "ai"}, "seed must be a whole number"),
        ({"seed": "²", "q_system_integration": "ai"}, "seed must be a whole number"),
    ],
)
def test_bad_quiz_answers_are_inline_errors(client: TestClient, data: dict[str, str], message: str) -> None:
    full = client.post("/quiz", data=data)
    assert full.status_code == 400
    assert SCRIPT not in full.text
    page = parse(full.text)
    assert message in page.by_id("quiz-results").one("p", cls="error").text()
    assert page.by_id("quiz-form")  # the form is still there to try again
    partial = client.post("/quiz", data=data, headers={"HX-Request": "true"})
    assert partial.status_code == 200 and message in parse(partial.text).by_id("quiz-results").text()


def test_a_bad_seed_in_the_quiz_url_is_the_400_page(client: TestClient) -> None:
    response = client.get("/quiz", params={"seed": SCRIPT})
    assert response.status_code == 400
    assert SCRIPT not in response.text and "seed must be a whole number" in response.text


@pytest.mark.parametrize("path", ["/skills", "/roles", "/roles/ai_engineer", "/quiz"])
def test_each_page_marks_itself_in_the_nav_and_loads_its_styles(client: TestClient, path: str) -> None:
    page = parse(client.get(path).text)
    current = page.one("a", aria_current="page")
    assert current.attrs["href"] == ("/roles" if path.startswith("/roles") else path)
    assert "/static/more.css" in [link.attrs.get("href") for link in page.all("link")]
    assert page.one("main").all("h1")
