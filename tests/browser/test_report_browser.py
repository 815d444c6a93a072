"""The HTML report in a real browser: headless Chromium runs its scripts and plotly draws every chart.

Chromium's ``--dump-dom`` prints the DOM after the scripts ran (``--virtual-time-budget`` lets timers
and promises settle). The page's own script records what it drew in ``#chart-status``
(``data-state="drawn"`` only when every chart was drawn and no error reached ``window.onerror``).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from rolescope.insights import report
from rolescope.insights.compare import compare_market
from rolescope.insights.market import load_snapshot

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists() and shutil.which("chromium"):
    CHROMIUM = Path(shutil.which("chromium") or "")

pytestmark = pytest.mark.skipif(
    not CHROMIUM.is_file(), reason=f"headless Chromium not found at {CHROMIUM} (apt-get install chromium)"
)


@pytest.fixture(scope="module")
def result() -> dict[str, Any]:
    return compare_market(load_snapshot(), "ai-engineer", "ml-engineer")


def dump_dom(page: Path, width: int = 1280) -> str:
    """The DOM of ``page`` after its scripts ran, as headless Chromium serializes it."""
    run = subprocess.run(
        [
            str(CHROMIUM),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--virtual-time-budget=5000",
            f"--window-size={width},2000",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert "<html" in run.stdout, "chromium printed no DOM"
    return run.stdout


def chart_ids(html: str) -> list[str]:
    data = re.search(r'<script type="application/json" id="report-charts">(.*?)</script>', html, re.S)
    assert data
    return [chart["id"] for chart in json.loads(data.group(1))]


def status(dom: str) -> dict[str, str]:
    tag = re.search(r'<p id="chart-status"[^>]*>', dom)
    assert tag, "the status marker is missing from the DOM"
    return dict(re.findall(r'(data-[\w-]+)="([^"]*)"', tag.group(0)))


def chart_dom(dom: str, chart_id: str) -> str:
    found = re.search(rf'<div id="{chart_id}"(.*?)</figure>', dom, re.S)
    assert found, f"no element for {chart_id}"
    return found.group(1)


@pytest.fixture(scope="module")
def rendered(result: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    html = report.render_comparison_html(result)
    page = tmp_path_factory.mktemp("report") / "report.html"
    page.write_text(html, encoding="utf-8")
    return html, page


def test_every_chart_is_drawn_without_errors(rendered: tuple[str, Path]) -> None:
    html, page = rendered
    dom = dump_dom(page)
    ids = chart_ids(html)
    assert len(ids) == 7
    marker = status(dom)
    assert marker["data-state"] == "drawn", marker
    assert marker["data-errors"] == "0"
    assert marker["data-charts"] == str(len(ids))
    for chart_id in ids:
        chart = chart_dom(dom, chart_id)
        assert 'data-drawn="true"' in chart, chart_id
        assert 'class="main-svg"' in chart, f"plotly drew no SVG in {chart_id}"
        assert 'class="point"' in chart, f"{chart_id} has no bars or markers"
    # With the charts drawn, the figure tables fold away (they stay in the page).
    assert '<details class="figures">' in dom and '<details class="figures" open' not in dom


def test_phone_width_uses_labels_above_the_bars(rendered: tuple[str, Path]) -> None:
    _, page = rendered
    wide, narrow = dump_dom(page, 1280), dump_dom(page, 500)  # Chromium's narrowest window is 500 px
    assert status(narrow)["data-state"] == "drawn"
    assert "annotation-text" not in chart_dom(wide, "chart-premiums")
    assert "Amazon EC2 (n=" in chart_dom(narrow, "chart-premiums")
    assert "annotation-text" in chart_dom(narrow, "chart-premiums")


def test_a_broken_chart_is_reported(
    result: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The marker is not a formality: a chart that cannot be drawn turns it to "error"."""
    charts = report._charts

    def broken(res: dict[str, Any]) -> list[dict[str, Any]]:
        specs = charts(res)
        specs[0]["data"][0]["type"] = "no-such-trace-type"
        return [*specs, {"id": "chart-nowhere", "data": [], "layout": {}}]

    monkeypatch.setattr(report, "_charts", broken)
    page = tmp_path / "broken.html"
    page.write_text(report.render_comparison_html(result), encoding="utf-8")
    marker = status(dump_dom(page))
    assert marker["data-state"] == "error"
    assert int(marker["data-errors"]) >= 1
