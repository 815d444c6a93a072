"""The posting classifier page through the real app on the snapshot: form, results, errors, htmx."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from rolescope.enrich.roles.model import default_model
from rolescope.web.app import create_app
from rolescope.web.service import Service
from tests.web.html_tree import Node, parse

POSTING = (
    "You will build LLM applications for our product: retrieval-augmented generation with LangChain "
    "and a vector database, agents with tool calling, prompt evaluation, and the OpenAI API behind "
    "our TypeScript front end. Python required."
)


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    absent: Path = tmp_path_factory.mktemp("no-store") / "absent.duckdb"
    service = Service.open(absent, explicit=False, source="snapshot")
    with TestClient(create_app(service)) as test_client:
        yield test_client
    service.close()


def _read(client: TestClient, **form: str) -> Node:
    response = client.post("/classify", data=form)
    assert response.status_code == 200, response.text
    return parse(response.text)


def test_the_form_labels_its_fields_and_the_results_start_hidden(client: TestClient) -> None:
    page = parse(client.get("/classify").text)
    form = page.by_id("classify-form")
    assert (form.attrs["method"], form.attrs["action"], form.attrs["hx-post"]) == (
        "post",
        "/classify",
        "/classify",
    )
    for field in ("posting-title", "posting-text"):
        assert page.all("label", for_=field), field
    assert (
        page.by_id("posting-text").attrs["name"] == "text" and "required" in page.by_id("posting-text").attrs
    )
    assert "hidden" in page.by_id("classify-results").attrs
    assert default_model().card["version"] in page.text()  # the model's record is on the page
    nav = [a.attrs["href"] for a in page.all("nav")[0].all("a")]
    assert "/classify" in nav


def test_results_show_every_scored_role_with_the_model_figures(client: TestClient) -> None:
    page = _read(client, text=POSTING, title="")
    model = default_model()
    prediction = model.predict(POSTING)
    assert page.by_id("classify-role").attrs["data-role"] == prediction.role == "ai_engineer"
    rows = page.by_id("classify-probabilities").all("tbody")[0].all("tr")
    shown = {row.attrs["data-role"]: row.all("td")[0].text() for row in rows}
    assert set(shown) == set(model.classes)  # the roles the model does not score are not listed as 0%
    for role, text in shown.items():
        assert text == f"{prediction.probabilities[role] * 100:.0f}%"
    order = [row.attrs["data-role"] for row in rows]
    assert order == sorted(order, key=lambda r: -prediction.probabilities[r])
    caption = page.by_id("classify-caption").text()
    assert f"n={model.card['metrics']['splits']['source_id']['model']['n']:,}" in caption
    evidence = page.all("section", cls="evidence")
    assert [s.attrs["data-role"] for s in evidence] == list(
        dict.fromkeys(e.role for e in prediction.evidence)
    )


def test_a_title_is_compared_and_never_changes_the_reading(client: TestClient) -> None:
    plain = _read(client, text=POSTING, title="")
    titled = _read(client, text=POSTING, title="Data Scientist")
    rows = lambda page: [r.text() for r in page.by_id("classify-probabilities").all("tr")]  # noqa: E731
    assert rows(plain) == rows(titled)
    note = titled.by_id("classify-note")
    assert "error" in note.classes and note.text().startswith("Titled Data scientist, reads as AI engineer")
    agreeing = _read(client, text=POSTING, title="AI Engineer").by_id("classify-note")
    assert "the text agrees" in agreeing.text() and "error" not in agreeing.classes


def test_empty_text_is_an_inline_error_and_htmx_gets_only_the_results(client: TestClient) -> None:
    response = client.post("/classify", data={"text": "  ", "title": "AI Engineer"})
    assert response.status_code == 400
    page = parse(response.text)
    assert "paste the text of a job posting" in page.by_id("classify-results").text()
    assert page.by_id("posting-title").attrs["value"] == "AI Engineer"  # what was typed is kept
    partial = client.post("/classify", data={"text": POSTING}, headers={"HX-Request": "true"})
    assert partial.status_code == 200 and partial.text.lstrip().startswith('<section id="classify-results"')
    error = client.post("/classify", data={"text": ""}, headers={"HX-Request": "true"})
    assert error.status_code == 200 and 'role="alert"' in error.text  # htmx swaps 200s only


def test_typed_markup_comes_back_escaped(client: TestClient) -> None:
    response = client.post(
        "/classify", data={"text": POSTING + " <script>alert(1)</script>", "title": "<b>x</b>"}
    )
    assert "<script>alert(1)</script>" not in response.text and "&lt;script&gt;" in response.text
    assert "<b>x</b>" not in response.text
