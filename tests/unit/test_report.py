"""The self-contained HTML comparison report, on the real embedded snapshot and on doctored results."""

from __future__ import annotations

import copy
import json
import re
from html.parser import HTMLParser
from typing import Any

import pytest

from rolescope.insights.compare import compare_market
from rolescope.insights.market import load_snapshot
from rolescope.insights.report import plotly_js, render_comparison_html, script_json

EVIL = "</script><script>window.pwned = 1</script><!-- <script>"


class Page(HTMLParser):
    """Tags with their attributes, the text of every <script>, and table cells, as a browser parses them."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._script: tuple[dict[str, str | None], list[str]] | None = None
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._script = (dict(attrs), [])

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script[0], "".join(self._script[1])))
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script[1].append(data)

    def script(self, element_id: str) -> str:
        found = [text for attrs, text in self.scripts if attrs.get("id") == element_id]
        assert len(found) == 1, f"expected one <script id={element_id!r}>, found {len(found)}"
        return found[0]


@pytest.fixture(scope="module")
def result() -> dict[str, Any]:
    return compare_market(load_snapshot(), "ai-engineer", "ml-engineer")


@pytest.fixture(scope="module")
def page_html(result: dict[str, Any]) -> str:
    return render_comparison_html(result)


@pytest.fixture(scope="module")
def page(page_html: str) -> Page:
    return Page(page_html)


def _row(html: str, table_caption: str, label: str) -> str:
    """The HTML of the row headed ``label`` in the table captioned ``table_caption``."""
    table = re.search(rf"<caption>{re.escape(table_caption)}</caption>(.*?)</table>", html, re.S)
    assert table, f"no table captioned {table_caption!r}"
    row = re.search(rf'<th scope="row">{re.escape(label)}</th>(.*?)</tr>', table.group(1), re.S)
    assert row, f"no row {label!r} in {table_caption!r}"
    return row.group(1)


def test_nothing_is_loaded_from_the_network(page: Page) -> None:
    for tag, attrs in page.tags:
        for name in ("src", "href"):
            value = (attrs.get(name) or "").strip().lower()
            assert not value.startswith(("http:", "https:", "//")), f"<{tag} {name}={value!r}>"
    assert all("src" not in attrs for attrs, _ in page.scripts), "every script must be inline"
    assert not [a for t, a in page.tags if t == "link" and a.get("rel") == "stylesheet"]


def test_plotly_is_inlined(page: Page) -> None:
    bundle = plotly_js()
    assert len(bundle) > 1_000_000
    assert "plotly.js (cartesian - minified) v3.1.0" in bundle
    assert any(bundle in text for _, text in page.scripts)


def test_every_claim_is_in_the_table(result: dict[str, Any], page_html: str) -> None:
    assert result["claims"], "the snapshot comparison has claims"
    for claim in result["claims"]:
        assert f'id="claim-{claim["claim_id"]}"' in page_html
        assert f"<code class='cid'>{claim['claim_id']}</code>" in page_html


def test_verdict_counts_match(result: dict[str, Any], page_html: str) -> None:
    shown = dict(re.findall(r'data-verdict-count="(\w+)">(\d+)<', page_html))
    assert {k: int(v) for k, v in shown.items()} == result["verdicts"]
    rows = re.findall(r'<tr id="claim-[^"]+" data-verdict="(\w+)">', page_html)
    assert {v: rows.count(v) for v in result["verdicts"]} == result["verdicts"]
    assert sum(result["verdicts"].values()) == len(result["claims"])


def test_verdicts_are_words_not_colour_only(page_html: str) -> None:
    for word in ("Consistent", "Contradicted", "Untestable"):
        assert re.search(rf'<span class="badge v-\w+">. {word}</span>', page_html)


def test_embedded_data_round_trips(result: dict[str, Any], page: Page, page_html: str) -> None:
    assert json.loads(page.script("comparison-data")) == json.loads(json.dumps(result))
    charts = json.loads(page.script("report-charts"))
    ids = {c["id"] for c in charts}
    assert ids >= {"chart-pay-levels", "chart-pay-ranges", "chart-pay-remote", "chart-oews"}
    assert ids >= {"chart-stack", "chart-distinct", "chart-premiums"}
    for chart_id in ids:
        assert f'<div id="{chart_id}" class="chart-plot"' in page_html


def test_claim_text_cannot_break_out_of_the_script(result: dict[str, Any]) -> None:
    doctored = copy.deepcopy(result)
    doctored["claims"][0]["text"] = EVIL
    doctored["names"][doctored["roles"][0]] = "AI </script> engineer"
    html = render_comparison_html(doctored)
    page = Page(html)
    assert [attrs.get("id") for attrs, _ in page.scripts] == [
        None,
        "report-charts",
        "comparison-data",
        None,
        None,
    ]
    data = json.loads(page.script("comparison-data"))
    assert data["claims"][0]["text"] == EVIL
    json.loads(page.script("report-charts"))
    assert [attrs.get("id") for attrs, text in page.scripts if "pwned" in text] == ["comparison-data"]
    assert "&lt;/script&gt;&lt;script&gt;window.pwned = 1&lt;/script&gt;" in html
    assert EVIL not in html


def test_script_json_escapes_markup() -> None:
    text = script_json({"a": "</script><!--", "b": "x & y", "c": float("nan"), "d": "\u2028"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"a": "</script><!--", "b": "x & y", "c": None, "d": "\u2028"}


def test_real_suppressed_cell_shows_its_n(result: dict[str, Any], page_html: str) -> None:
    hybrid = [c for c in result["salaries"]["ai_engineer"]["us_remote"] if c["key"]["remote"] == "hybrid"]
    assert hybrid and hybrid[0]["status"] == "suppressed"
    row = _row(page_html, "US base pay by work arrangement", "Hybrid")
    assert f"suppressed (n={hybrid[0]['n']})" in row


def test_doctored_suppressed_cell_shows_n_and_no_figure(result: dict[str, Any]) -> None:
    doctored = copy.deepcopy(result)
    levels = doctored["salaries"]["ai_engineer"]["us_by_level"]
    entry = next(c for c in levels if c["key"]["level"] == "entry")
    levels[levels.index(entry)] = {"key": entry["key"], "n": 3, "status": "suppressed", "sources": {}}
    html = render_comparison_html(doctored)
    row = _row(html, "Median US base pay by level", "Entry")
    ai_cell, ml_cell = re.findall(r"<td>(.*?)</td>", row, re.S)
    assert "suppressed (n=3)" in ai_cell and "$" not in ai_cell
    assert "$" in ml_cell and "n=" in ml_cell
    bars = next(c for c in json.loads(Page(html).script("report-charts")) if c["id"] == "chart-pay-levels")
    ai = bars["data"][0]
    at = ai["x"].index("Entry")
    assert ai["y"][at] == 0 and ai["text"][at] == "suppressed (n=3)"


def test_shrunk_cells_say_so(result: dict[str, Any], page_html: str) -> None:
    entry = next(c for c in result["salaries"]["ai_engineer"]["us_by_level"] if c["key"]["level"] == "entry")
    assert entry["status"] == "shrunk"
    row = _row(page_html, "Median US base pay by level", "Entry")
    assert '<span class="tag">shrunk</span>' in row and "unshrunk median" in row


def test_every_salary_figure_carries_its_n(page_html: str) -> None:
    cells = re.findall(r'<table class="salary">.*?</table>', page_html, re.S)
    assert cells
    tds = [td for table in cells for td in re.findall(r"<td>(.*?)</td>", table, re.S)]
    assert tds and all("n=" in td for td in tds if "$" in td)
    measured = re.findall(r'<td data-label="Measured">(.*?)</td>', page_html, re.S)
    assert measured and all("n=" in td for td in measured if "$" in td or "%" in td)


def test_readable_without_javascript(page: Page, page_html: str) -> None:
    assert '<html lang="en" class="no-js">' in page_html
    assert ".no-js figure.chart" in page_html
    assert sum(1 for t, _ in page.tags if t == "table") >= 6
    assert all(t != "details" or "open" in a for t, a in page.tags if a.get("class") == "figures")
    headers = [a for t, a in page.tags if t == "th"]
    assert headers and all(a.get("scope") in ("col", "row") for a in headers)
    assert '<meta name="viewport"' in page_html and "@media (max-width: 760px)" in page_html


def test_store_source_and_missing_skills_render(result: dict[str, Any]) -> None:
    doctored = copy.deepcopy(result)
    doctored["source"] = {
        "kind": "store",
        "path": "data/market.duckdb",
        "counts": {
            "salary_records": 12,
            "salary_records_distinct": 10,
            "postings": 7,
            "postings_with_pay": 3,
        },
        "files": [{"file": "a.csv", "sha256": "0" * 64, "kind": "salary", "rows_loaded": 12}],
    }
    doctored["skills"] = {"unavailable": "skills were extracted for 1 of 7 postings"}
    html = render_comparison_html(doctored)
    assert "DuckDB store <code>data/market.duckdb</code>" in html
    assert "10 distinct (12 rows before removing repeats)" in html
    assert "skills were extracted for 1 of 7 postings" in html
    ids = {c["id"] for c in json.loads(Page(html).script("report-charts"))}
    assert "chart-stack" not in ids and '<div id="chart-stack"' not in html
