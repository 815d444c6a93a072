"""A self-contained HTML report of a two-role comparison (the dict from :func:`compare_market`).

One file that needs no network: plotly.js (vendored in :mod:`rolescope.assets`) is inlined, the
figures are embedded as JSON and the CSS is inline. Every figure is in an HTML table with its n, so
the report reads without JavaScript; the plotly charts are drawn over the tables as an enhancement
(with JavaScript the tables fold away behind a "figures" toggle).

Conventions: a salary cell below the policy's ``min_n`` is shown as "suppressed (n=...)", never as a
number; a cell whose median was pulled toward its parent says "shrunk". Verdicts are a badge with a
word and a symbol, not colour alone.
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import lru_cache
from importlib import resources
from string import Template
from typing import Any

from rolescope.errors import NotFound
from rolescope.knowledge.skills import load_taxonomy

PLOTLY_JS = "plotly-cartesian-3.1.0.min.js"
COLORS = ("#0072B2", "#C2410C")  # blue and burnt orange: apart for colour-blind readers
FADED = ("rgba(0,114,178,0.35)", "rgba(194,65,12,0.35)")
OEWS_COLOR = "#4B5563"
FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'
LEVEL_LABELS = {"entry": "Entry", "mid": "Mid", "senior": "Senior", "executive": "Executive"}
REMOTE_LABELS = {"onsite": "On-site", "remote": "Remote", "hybrid": "Hybrid"}
VERDICTS = {
    "consistent": ("✓", "Consistent"),
    "contradicted": ("✗", "Contradicted"),
    "untestable": ("?", "Untestable"),
}
CURRENCY = {"USD": "$", "GBP": "£", "EUR": "€"}
Cell = Mapping[str, Any] | None


# --- entry point -------------------------------------------------------------------------------


def render_comparison_html(result: dict[str, Any]) -> str:
    """Render a comparison as one self-contained HTML page.

    Parameters
    ----------
    result : dict
        What :func:`rolescope.insights.compare.compare_market` returns.

    Returns
    -------
    str
        The page. It loads nothing from the network: script, styles and data are inline.
    """
    parts = comparison_parts(result)
    return _PAGE.substitute(
        title=_esc(parts["title"]),
        css=parts["css"],
        body=parts["body"],
        footer=parts["footer"],
        charts=parts["charts"],
        data=script_json(result),
        plotly=plotly_js(),
        app=parts["app_js"],
    )


def comparison_parts(result: dict[str, Any]) -> dict[str, str]:
    """The report's pieces, for pages that frame it (the web app): title, css, body (HTML), footer
    (HTML), charts (JSON for ``<script type="application/json" id="report-charts">``) and app_js
    (draws the charts with a global ``Plotly``; needs an element ``#chart-status`` and an array
    ``window.__reportErrors``)."""
    body = "\n".join(
        [
            _header(result),
            _verdict_section(result),
            _salary_section(result),
            _oews_section(result),
            _skills_section(result),
            _premiums_section(result),
            _responsibilities_section(result),
            _claims_section(result),
        ]
    )
    a, b = result["names"][result["roles"][0]], result["names"][result["roles"][1]]
    return {
        "title": f"{a} vs {b}: pay, skills and claims checked against data",
        "css": _CSS,
        "body": body,
        "footer": _footer(result),
        "charts": script_json(_charts(result)),
        "app_js": _APP_JS,
    }


@lru_cache(maxsize=1)
def plotly_js() -> str:
    """The vendored plotly.js bundle (cartesian traces only), read from package data."""
    text = resources.files("rolescope.assets").joinpath(PLOTLY_JS).read_text(encoding="utf-8")
    if "</script" in text.lower():  # would end the inline <script> early
        raise ValueError(f"{PLOTLY_JS} contains '</script'; it cannot be inlined")
    return text


def script_json(value: Any) -> str:
    """JSON that is safe inside ``<script type="application/json">``.

    ``<``, ``>`` and ``&`` only occur inside JSON strings, where ``\\u003c`` and friends mean the
    same; escaping them means no text in the data (``</script>``, ``<!--``) can end the element.
    Non-finite floats become null, which JSON has no other spelling for.
    """
    text = json.dumps(_finite(value), ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escape)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _finite(value: Any) -> Any:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Mapping):
        return {str(k): _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


# --- formatting --------------------------------------------------------------------------------


def _esc(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _usd(value: float | None, symbol: str = "$") -> str:
    return "—" if value is None else f"{symbol}{value:,.0f}"


def _pct(value: float | None, digits: int = 1, sign: bool = False) -> str:
    if value is None:
        return "—"
    return f"{value * 100:+.{digits}f}%" if sign else f"{value * 100:.{digits}f}%"


def _num(value: int | float | None) -> str:
    return "—" if value is None else f"{value:,.0f}"


def _names(result: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(role id, display name) for the two roles, in order."""
    return [(role, result["names"].get(role, role)) for role in result["roles"]]


@lru_cache(maxsize=512)
def skill_name(skill_id: str) -> str:
    """A skill's display name from the taxonomy ("aws_ec2" -> "Amazon EC2"); groups join with " / "."""
    if "+" in skill_id:
        return " / ".join(skill_name(s) for s in skill_id.split("+"))
    try:
        name = load_taxonomy().get(skill_id).name
    except NotFound:
        name = skill_id.replace("_", " ")
    return name[:1].upper() + name[1:] if name[:1].islower() else name


def _cut_label(key: Mapping[str, Any]) -> str:
    parts = []
    for dim in ("country", "metro", "level", "remote", "size", "year"):
        if dim in key:
            value = key[dim]
            parts.append(LEVEL_LABELS.get(value) or REMOTE_LABELS.get(value) or str(value))
    return " · ".join(parts) or "all"


def _is_shown(cell: Cell) -> bool:
    return bool(cell) and cell.get("status") in ("ok", "shrunk") and cell.get("median") is not None


def _suppressed(cell: Cell) -> str:
    n = cell["n"] if cell else 0
    return f"suppressed (n={_num(n)})" if n else "no pay figures (n=0)"


def _shrunk_note(cell: Mapping[str, Any]) -> str:
    raw = _usd(cell.get("median_raw"))
    parent = cell.get("parent")
    if parent is None:
        toward = "its parent cell"
    else:
        toward = _cut_label(parent) if set(parent) - {"role"} else "the role as a whole"
        if "country" in (cell.get("key") or {}) and "country" not in parent and set(parent) - {"role"}:
            toward += " (all countries)"
    return f"median pulled toward {toward}; unshrunk median {raw}"


# --- page parts --------------------------------------------------------------------------------


def _header(result: Mapping[str, Any]) -> str:
    (_, a), (_, b) = _names(result)
    source = result.get("source") or {}
    return f"""<header class="page-head">
<p class="eyebrow">rolescope comparison</p>
<h1>{_esc(a)} vs {_esc(b)}</h1>
<p class="lede">Base pay, skills asked for and the claims of published articles, checked against
measured data. Pay is base salary in US dollars a year; every figure carries the number of records
behind it (n).</p>
{_source_box(source, result)}
</header>"""


def _source_box(source: Mapping[str, Any], result: Mapping[str, Any]) -> str:
    counts = source.get("counts") or {}
    files = source.get("built_from") or source.get("files") or []
    if source.get("kind") == "store":
        what = f"DuckDB store <code>{_esc(source.get('path', '?'))}</code>"
    else:
        version = source.get("rolescope_version", "?")
        what = f"the snapshot embedded in rolescope {_esc(version)}"
        if source.get("taxonomy_version"):
            what += f" (skill taxonomy {_esc(source['taxonomy_version'])})"
    items = [
        ("Data source", what),
        ("Salary records", _records_text(counts)),
        ("Job postings", _postings_text(counts)),
        ("Per role", _per_role_text(result)),
    ]
    rows = "\n".join(f"<div><dt>{k}</dt><dd>{v}</dd></div>" for k, v in items)
    listed = "".join(
        f"<li><code>{_esc(f.get('file'))}</code> — {_esc(f.get('kind', ''))}, "
        f"{_num(f.get('rows_loaded'))} rows</li>"
        for f in files
    )
    details = f"<details><summary>Files behind the data ({len(files)})</summary><ul>{listed}</ul></details>"
    return f'<dl class="source">{rows}</dl>\n{details if files else ""}'


def _records_text(counts: Mapping[str, Any]) -> str:
    if "salary_records_distinct" in counts:
        return (
            f"{_num(counts['salary_records_distinct'])} distinct "
            f"({_num(counts.get('salary_records'))} rows before removing repeats)"
        )
    return _num(counts.get("salary_records"))


def _postings_text(counts: Mapping[str, Any]) -> str:
    text = _num(counts.get("postings"))
    if "postings_with_pay" in counts:
        text += f" ({_num(counts['postings_with_pay'])} state pay)"
    return text


def _per_role_text(result: Mapping[str, Any]) -> str:
    skills = result.get("skills") or {}
    parts = []
    for role, name in _names(result):
        pay = result["salaries"][role]
        us, world = pay.get("us") or {}, pay.get("all_countries") or {}
        text = f"<strong>{_esc(name)}</strong>: {_num(us.get('n'))} US pay figures"
        text += f" ({_num(world.get('n'))} in all countries)"
        if role in skills.get("n_postings", {}):
            text += f", {_num(skills['n_postings'][role])} postings read for skills"
        parts.append(text)
    return "<br>".join(parts)


def _verdict_section(result: Mapping[str, Any]) -> str:
    counts = result.get("verdicts") or {}
    total = sum(counts.values())
    cards, segments = [], []
    for verdict, (symbol, label) in VERDICTS.items():
        k = counts.get(verdict, 0)
        share = k / total if total else 0.0
        cards.append(
            f'<li class="verdict-card v-{verdict}"><span class="count" data-verdict-count="{verdict}">'
            f'{k}</span> <span class="badge v-{verdict}">{symbol} {label}</span>'
            f'<span class="of">{_pct(share, 0)} of {total}</span></li>'
        )
        segments.append(f'<span class="seg v-{verdict}" style="width:{share * 100:.2f}%"></span>')
    files = sorted({c["source"] for c in result.get("claims", [])})
    return f"""<section aria-labelledby="verdicts-h">
<h2 id="verdicts-h">Verdicts on {total} published claims</h2>
<p>Claims about pay and skill demand from {len(files)} articles, each checked against the measured
figure by a stated rule (see the <a href="#claims">claims table</a>). Untestable claims are ones the
data cannot speak to, with the reason given.</p>
<ul class="verdict-cards">{"".join(cards)}</ul>
<div class="verdict-bar" aria-hidden="true">{"".join(segments)}</div>
</section>"""


def _policy_note(result: Mapping[str, Any]) -> str:
    p = result.get("salary_policy") or {}
    return (
        f"Cells with fewer than {p.get('min_n', '?')} pay figures are suppressed; below "
        f"{p.get('shrink_below', '?')} the median is shrunk toward its parent cell (hatched bars). "
        f"Intervals are {_pct(p.get('level', 0.95), 0)}; repeated rows count "
        f"{_esc(p.get('repeats', '?'))}; outliers: {_esc(p.get('outliers', '?'))}."
    )


def _figure(chart_id: str, label: str, caption: str) -> str:
    return (
        f'<figure class="chart"><div id="{chart_id}" class="chart-plot" role="img" '
        f'aria-label="{_esc(label)}"></div><figcaption>{caption}</figcaption></figure>'
    )


def _figures_table(summary: str, table: str) -> str:
    return (
        f'<details class="figures" open><summary>{_esc(summary)}</summary>'
        f'<div class="table-wrap">{table}</div></details>'
    )


def _table(caption: str, head: Sequence[str], rows: Iterable[Sequence[str]], cls: str = "") -> str:
    """An HTML table; ``head`` and ``rows`` are already-escaped HTML, the first cell of a row is a th."""
    th = "".join(f'<th scope="col">{h}</th>' for h in head)
    body = "".join(
        "<tr>" + f'<th scope="row">{r[0]}</th>' + "".join(f"<td>{c}</td>" for c in r[1:]) + "</tr>"
        for r in rows
    )
    return (
        f'<table class="{cls}"><caption>{_esc(caption)}</caption><thead><tr>{th}</tr></thead>'
        f"<tbody>{body}</tbody></table>"
    )


def _cell_html(cell: Cell) -> str:
    """A salary cell for a table: median with interval, P10-P90, n and status."""
    if not _is_shown(cell):
        return f'<span class="suppressed">{_suppressed(cell)}</span>'
    pct = cell.get("percentiles") or {}
    parts = [
        f"<strong>{_usd(cell['median'])}</strong> "
        f'<span class="muted">95% CI {_usd(cell.get("median_low"))}–{_usd(cell.get("median_high"))}</span>',
        f"P10–P90 {_usd(pct.get('p10'))}–{_usd(pct.get('p90'))}",
        f'<span class="n">n={_num(cell["n"])}</span>',
    ]
    if cell["status"] == "shrunk":
        parts[-1] += f' <span class="tag">shrunk</span> <span class="muted">{_esc(_shrunk_note(cell))}</span>'
    return "<br>".join(parts)


def _salary_rows(result: Mapping[str, Any]) -> list[tuple[str, dict[str, Cell]]]:
    """(label, {role: cell}) for all US and each US level."""
    rows: list[tuple[str, dict[str, Cell]]] = [
        ("All US", {r: result["salaries"][r].get("us") for r in result["roles"]})
    ]
    rows += [(LEVEL_LABELS.get(v, v), cells) for v, cells in _by_key(result, "us_by_level", "level")]
    return rows


def _by_key(result: Mapping[str, Any], view: str, dim: str) -> list[tuple[Any, dict[str, Cell]]]:
    """Cells of one salary view matched across the roles on ``dim``, in a stable order."""
    found: dict[Any, dict[str, Cell]] = {}
    for role in result["roles"]:
        for cell in result["salaries"][role].get(view) or []:
            if cell:
                found.setdefault(cell["key"][dim], {})[role] = cell
    order = list(LEVEL_LABELS) + list(REMOTE_LABELS)
    keys = sorted(found, key=lambda k: (order.index(k) if k in order else len(order), str(k)))
    return [
        (k, {r: found[k].get(r, {"n": 0, "status": "suppressed"}) for r in result["roles"]}) for k in keys
    ]


def _salary_table(result: Mapping[str, Any], caption: str, rows: list[tuple[str, dict[str, Cell]]]) -> str:
    head = ["Cut"] + [_esc(name) for _, name in _names(result)]
    body = [[_esc(label)] + [_cell_html(cells.get(r)) for r in result["roles"]] for label, cells in rows]
    return _table(caption, head, body, "salary")


def _salary_section(result: Mapping[str, Any]) -> str:
    remote = [(REMOTE_LABELS.get(k, k), c) for k, c in _by_key(result, "us_remote", "remote")]
    other = [("US · " + str(k), c) for k, c in _by_key(result, "us_tech_hubs", "metro")]
    other += [(str(k), c) for k, c in _by_key(result, "by_year", "year")]
    levels_table = _salary_table(result, "Median US base pay by level", _salary_rows(result))
    remote_table = _salary_table(result, "US base pay by work arrangement", remote)
    other_table = _salary_table(result, "Pay in US tech hubs, and by year (all countries)", other)
    return f"""<section aria-labelledby="pay-h">
<h2 id="pay-h">Base pay in the US</h2>
<p class="note">{_policy_note(result)}</p>
<h3>Median by experience level</h3>
{_figure("chart-pay-levels", "Median base pay by level, with 95% intervals", _levels_caption())}
{_figures_table("Figures: median by level", levels_table)}
<h3>Spread: P10 to P90</h3>
{_figure("chart-pay-ranges", "Pay spread P10 to P90 by level", _ranges_caption())}
<p class="nojs-only">The P10–P90 of each level is in the table under "Median by experience level".</p>
<h3>Remote vs on-site</h3>
{_figure("chart-pay-remote", "Median base pay by work arrangement", _levels_caption())}
{_figures_table("Figures: by work arrangement", remote_table)}
<h3>Other cuts</h3>
<p>Tech hubs (US metros) and survey years, as tables only; most cells here are small.</p>
<div class="table-wrap">{other_table}</div>
</section>"""


def _levels_caption() -> str:
    return (
        "Bars: median base pay; whiskers: its 95% interval; n inside each bar. Hatched: median shrunk "
        "toward its parent cell (few figures). Empty slot: cell suppressed, with its n."
    )


def _ranges_caption() -> str:
    return (
        "Thin line: P10 to P90; thick band: P25 to P75 (the middle half); diamond: median. Built from "
        "the percentiles of each cell (raw, not shrunk)."
    )


def _oews_section(result: Mapping[str, Any]) -> str:
    oews = result.get("oews") or {}
    if not oews.get("wages"):
        return ""
    nearest = "; ".join(
        f"{_esc(name)}: " + ", ".join(_esc(o["title"]) for o in oews["nearest"].get(role, []))
        for role, name in _names(result)
    )
    return f"""<section aria-labelledby="oews-h">
<h2 id="oews-h">Official wages beside the measured pay</h2>
<p>No official occupation is "AI engineer" or "ML engineer". The nearest ones (closest first) —
{nearest} — from BLS OEWS ({_esc(oews.get("release") or "?")}), shown beside this data, never
in place of it.</p>
<p class="note"><strong>Top-code:</strong> {_esc(oews.get("note", ""))}. OEWS is a survey of
employers; its size is given as the occupation's estimated employment.</p>
{_figure("chart-oews", "Official OEWS wage percentiles beside the measured pay", _ranges_caption())}
{_figures_table("Figures: OEWS wages", _oews_table(oews))}
</section>"""


def _oews_value(row: Mapping[str, Any], field: str) -> str:
    if field in (row.get("suppressed") or []) or row.get(field) is None:
        return '<span class="suppressed">suppressed</span>'
    if field in (row.get("top_coded") or []):
        return f"≥ {_usd(row[field])} <span class='tag'>top-coded</span>"
    return _usd(row[field])


def _oews_table(oews: Mapping[str, Any]) -> str:
    fields = ("p10", "p25", "median", "p75", "p90", "mean")
    head = ["Occupation (SOC)", "Area", "Employment"] + [
        f.upper() if f[0] == "p" else f.title() for f in fields
    ]
    rows = [
        [f"{_esc(w['title'])} <span class='muted'>{_esc(w['soc_code'])}</span>", _esc(w["area_name"])]
        + [_num(w.get("employment"))]
        + [_oews_value(w, f) for f in fields]
        for w in oews["wages"]
    ]
    return _table(f"BLS OEWS {oews.get('release') or ''} annual wages", head, rows, "oews")


def _skills_section(result: Mapping[str, Any]) -> str:
    skills = result.get("skills") or {}
    if "unavailable" in skills:
        return f"""<section aria-labelledby="skills-h"><h2 id="skills-h">Skills asked for</h2>
<p class="note">Skill figures are unavailable: {_esc(skills["unavailable"])}</p></section>"""
    n = ", ".join(f"{_esc(name)} n={_num(skills['n_postings'].get(r))}" for r, name in _names(result))
    dist = skills.get("distinguishing") or {}
    return f"""<section aria-labelledby="skills-h">
<h2 id="skills-h">Skills asked for</h2>
<p>Share of each role's postings asking for a skill ({n} postings), with Wilson 95% intervals.
A posting's role comes from its {_esc(skills.get("role_by", "title"))}.</p>
<h3>The tech stack the articles name</h3>
{_figure("chart-stack", "Share of postings asking for each stack skill", _stack_caption())}
{_figures_table("Figures: stack shares", _stack_table(result))}
<h3>Skills that set the roles apart</h3>
{_figure("chart-distinct", "Skills that lean to each role, by weighted log-odds", _distinct_caption(dist))}
{_figures_table("Figures: distinguishing skills", _distinct_table(result))}
</section>"""


def _stack_caption() -> str:
    return (
        "Bars: share of postings; whiskers: Wilson 95% interval. A group (e.g. CI/CD) counts a posting "
        "once; its count is a lower bound."
    )


def _distinct_caption(dist: Mapping[str, Any]) -> str:
    top = max((len(v) for v in dist.values() if isinstance(v, list)), default=0)
    return (
        f"Bars to the right lean to the first role, to the left to the second; longer is a bigger "
        f"difference in the odds of being asked for. Ordered by z-score (strength of evidence), "
        f"up to {top} each way. Method: {_esc(dist.get('method', 'log-odds'))}."
    )


def _share_html(share: Mapping[str, Any] | None) -> str:
    if not share:
        return "—"
    return (
        f"<strong>{_pct(share['share'])}</strong> "
        f"<span class='muted'>95% CI {_pct(share['low'])}–{_pct(share['high'])}</span><br>"
        f"<span class='n'>{_num(share['k'])} of n={_num(share['n'])}</span>"
    )


def _stack_table(result: Mapping[str, Any]) -> str:
    head = ["Skill"] + [_esc(name) for _, name in _names(result)]
    rows = [
        [_esc(row["label"])] + [_share_html(row.get(r)) for r in result["roles"]] for row in _stack(result)
    ]
    return _table("Share of postings asking for each stack skill", head, rows)


def _stack(result: Mapping[str, Any]) -> list[dict[str, Any]]:
    return (result.get("skills") or {}).get("stack") or []


def _distinct_rows(result: Mapping[str, Any]) -> list[dict[str, Any]]:
    dist = (result.get("skills") or {}).get("distinguishing") or {}
    return [row for role in result["roles"] for row in dist.get(role, [])]


def _distinct_table(result: Mapping[str, Any]) -> str:
    (a, name_a), (b, name_b) = _names(result)
    n = (result.get("skills") or {}).get("n_postings") or {}
    head = ["Skill", "Leans to", "Log-odds", "z", _esc(name_a), _esc(name_b)]
    rows = [
        [
            _esc(skill_name(s["skill_id"])),
            _esc(result["names"].get(s["leans_to"], s["leans_to"])),
            f"{s['log_odds']:+.2f}",
            f"{s['z']:+.1f}",
            f"{_pct(s['share_a'])} <span class='n'>({_num(s['k_a'])} of n={_num(n.get(a))})</span>",
            f"{_pct(s['share_b'])} <span class='n'>({_num(s['k_b'])} of n={_num(n.get(b))})</span>",
        ]
        for s in _distinct_rows(result)
    ]
    return _table("Skills that lean to each role", head, rows)


def _premiums_section(result: Mapping[str, Any]) -> str:
    prem = result.get("premiums") or {}
    shown = prem.get("premiums") or []
    if not prem.get("tested"):
        return ""
    return f"""<section aria-labelledby="premiums-h">
<h2 id="premiums-h">Skill pay premiums</h2>
<p class="caveat" role="note"><strong>Read with care:</strong> {len(shown)} of {_num(prem["tested"])}
skills tested have a premium whose 95% interval excludes zero. If no skill mattered at all, about
{_esc(prem.get("expected_by_chance"))} would still do so by chance, so treat any single premium as a
lead, not a finding. Associations, not causes: a skill can stand in for the kind of employer that asks
for it.</p>
<p class="note">Method: {_esc(prem.get("method", ""))}. n = {_num(prem.get("n_postings"))} postings
that state pay; each bar gives how many of them ask for the skill.</p>
{_figure("chart-premiums", "Pay premium per skill with 95% intervals", _premium_caption())}
{_figures_table("Figures: premiums", _premium_table(shown))}
</section>"""


def _premium_caption() -> str:
    return "Bars: pay difference linked to asking for the skill, other things equal; whiskers: 95% interval."


def _premium_table(shown: Sequence[Mapping[str, Any]]) -> str:
    head = ["Skill", "Premium", "95% interval", "Postings asking (n)", "Not asking"]
    rows = [
        [
            _esc(skill_name(p["skill_id"])),
            f"<strong>{_pct(p['premium'], sign=True)}</strong>",
            f"{_pct(p['low'], sign=True)} to {_pct(p['high'], sign=True)}",
            f"n={_num(p['n_with'])}",
            _num(p.get("n_without")),
        ]
        for p in _sorted_premiums(shown)
    ]
    return _table("Pay premiums distinguishable from zero", head, rows)


def _sorted_premiums(shown: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    return sorted(shown, key=lambda p: -p["premium"])


def _responsibilities_section(result: Mapping[str, Any]) -> str:
    rows = result.get("responsibilities") or []
    if not rows:
        return ""
    head = ["Area"] + [_esc(name) for _, name in _names(result)]
    body = [
        [_esc(row["label"])] + [_duty_html(row["by_role"].get(r)) for r in result["roles"]] for row in rows
    ]
    table = _table("What each role does, per the articles", head, body, "duties")
    return f"""<section aria-labelledby="duties-h">
<h2 id="duties-h">Responsibilities, per the articles</h2>
<p>What the source articles say each role does. Not measured: descriptive only.</p>
<details class="plain"><summary>Show {len(rows)} areas</summary>
<div class="table-wrap">{table}</div></details>
</section>"""


def _duty_html(duty: Mapping[str, Any] | None) -> str:
    if not duty:
        return "<span class='muted'>not described</span>"
    return (
        f"{_esc(duty['text'])}<br><span class='muted'>{_esc(duty.get('involvement', ''))} · "
        f"<code>{_esc(duty.get('source', ''))}</code></span>"
    )


# --- claims ------------------------------------------------------------------------------------


def _claims_section(result: Mapping[str, Any]) -> str:
    claims = result.get("claims") or []
    sources = result.get("sources_cited") or {}
    head = ["Claim", "Role", "Source", "Claimed", "Measured", "Verdict", "Rule"]
    rows = "".join(_claim_row(c, result, sources) for c in claims)
    filters = "".join(
        f'<label><input type="radio" name="verdict-filter" value="{v}"> {label}</label>'
        for v, (_, label) in VERDICTS.items()
    )
    return f"""<section id="claims" aria-labelledby="claims-h">
<h2 id="claims-h">Every claim, checked</h2>
<p>Claimed figure as the article states it; measured figure from this data with its n and 95%
interval; the rule that turns the two into a verdict. Claims name 2025 and 2026, the pay data is
mostly from 2024.</p>
<fieldset class="filter" hidden><legend>Show</legend>
<label><input type="radio" name="verdict-filter" value="all" checked> All</label>{filters}
<span class="shown-count" aria-live="polite"></span></fieldset>
<div class="table-wrap"><table class="claims"><caption>{len(claims)} claims and their verdicts</caption>
<thead><tr>{"".join(f'<th scope="col">{h}</th>' for h in head)}</tr></thead>
<tbody>{rows}</tbody></table></div>
</section>"""


def _claim_row(claim: Mapping[str, Any], result: Mapping[str, Any], sources: Mapping[str, Any]) -> str:
    verdict = claim.get("verdict", "untestable")
    symbol, label = VERDICTS.get(verdict, ("?", verdict))
    cells = [
        ("Claim", f"{_esc(claim['text'])}<br><code class='cid'>{_esc(claim['claim_id'])}</code>"),
        ("Role", _esc(result["names"].get(claim["role"], claim["role"]))),
        ("Source", _source_html(claim, sources)),
        ("Claimed", claimed_text(claim.get("claimed"))),
        ("Measured", measured_html(claim, result)),
        ("Verdict", f'<span class="badge v-{_esc(verdict)}">{symbol} {_esc(label)}</span>'),
        ("Rule", _esc(claim.get("rule", ""))),
    ]
    tds = "".join(f'<td data-label="{k}">{v}</td>' for k, v in cells)
    return f'<tr id="claim-{_esc(claim["claim_id"])}" data-verdict="{_esc(verdict)}">{tds}</tr>'


def _source_html(claim: Mapping[str, Any], sources: Mapping[str, Any]) -> str:
    src = sources.get(claim.get("source")) or {}
    who = ", ".join(_esc(x) for x in (src.get("publisher"), src.get("date")) if x)
    who = who or ("untitled article" if src else "")
    if claim.get("year"):
        who += f" · about {_esc(claim['year'])}"
    title = f' title="{_esc(src["title"])}"' if src.get("title") else ""
    return f"<code{title}>{_esc(claim.get('source', ''))}</code>" + (
        f"<br><span class='muted'>{who}</span>" if who else ""
    )


def claimed_text(figure: Mapping[str, Any] | None) -> str:
    """The claimed figure as the article gives it, as escaped HTML (e.g. "median $134,023–$145,080")."""
    if not figure:
        return "<span class='muted'>no figure (qualitative)</span>"
    value = _amount(figure)
    if figure.get("approximate"):
        value = "≈ " + value
    stat = figure.get("statistic", "")
    if stat == "percentile" and figure.get("percentiles"):
        stat = "P" + "–P".join(str(p) for p in figure["percentiles"])
    words = {"point": "", "share": "", "range": "range"}.get(stat, stat)
    extra = [figure.get("geography"), figure.get("level")]
    if figure.get("experience_years"):
        extra.append(f"{figure['experience_years']} years")
    if figure.get("pay_basis") == "total":
        extra.append("total pay")
    qual = ", ".join(_esc(x) for x in extra if x)
    return f"{_esc(words)} {_esc(value)}".strip() + (f"<br><span class='muted'>{qual}</span>" if qual else "")


def _amount(figure: Mapping[str, Any]) -> str:
    unit = figure.get("unit", "")
    low, high = figure.get("low"), figure.get("high")
    if unit == "share":
        fmt: Callable[[Any], str] = lambda v: _pct(v, 1).replace(".0%", "%")  # noqa: E731
    else:
        symbol = CURRENCY.get(unit, f"{unit} ")
        fmt = lambda v: _usd(v, symbol)  # noqa: E731
    text = f"{fmt(low)}–{fmt(high)}" if low is not None and high is not None else fmt(figure.get("value"))
    return text + ("+" if figure.get("open_ended") else "")


def measured_html(claim: Mapping[str, Any], result: Mapping[str, Any]) -> str:
    """The measured figure behind a verdict, with its n, interval and any shrinkage, as HTML."""
    m = claim.get("measured")
    if not m:
        n = claim.get("n") or 0
        return (
            f"<span class='suppressed'>{_suppressed({'n': n})}</span>"
            if n
            else "<span class='muted'>not measured</span>"
        )
    if "cells" in m:
        return "<br>".join(_band_html(c, result) for c in m["cells"])
    if "skill_id" in m:
        return f"{_esc(skill_name(m['skill_id']))}: {_share_html(m)}"
    if "cut" in m:
        return f"<span class='muted'>{_esc(_cut_label(m['cut']))}</span><br>" + _stat_html(m, claim)
    return "<br>".join(
        f"{_esc(name)}: {_median_p90_html(m[role])}" for role, name in _names(result) if role in m
    )


def _stat_html(cell: Mapping[str, Any], claim: Mapping[str, Any]) -> str:
    if not _is_shown(cell):
        return f"<span class='suppressed'>{_suppressed(cell)}</span>"
    fig = claim.get("claimed") or {}
    pct = cell.get("percentiles") or {}
    stat = fig.get("statistic")
    if fig.get("open_ended"):
        text = f"P90 {_usd(pct.get('p90'))}"
    elif stat == "mean":
        text = f"mean {_usd(cell['mean'])} (95% CI {_usd(cell['mean_low'])}–{_usd(cell['mean_high'])})"
    elif stat == "median":
        text = (
            f"median {_usd(cell['median'])} (95% CI {_usd(cell['median_low'])}–{_usd(cell['median_high'])})"
        )
    else:
        text = f"P25–P75 {_usd(pct.get('p25'))}–{_usd(pct.get('p75'))}; median {_usd(cell['median'])}"
    text += f"; <span class='n'>n={_num(cell['n'])}</span>"
    if cell.get("status") == "shrunk":
        text += f" <span class='tag'>shrunk</span> <span class='muted'>{_esc(_shrunk_note(cell))}</span>"
    return text


def _median_p90_html(cell: Mapping[str, Any]) -> str:
    if not _is_shown(cell):
        return f"<span class='suppressed'>{_suppressed(cell)}</span>"
    pct = cell.get("percentiles") or {}
    return (
        f"median {_usd(cell['median'])} (95% CI {_usd(cell['median_low'])}–{_usd(cell['median_high'])}), "
        f"P90 {_usd(pct.get('p90'))}; <span class='n'>n={_num(cell['n'])}</span>"
    )


def _band_html(cell: Mapping[str, Any], result: Mapping[str, Any]) -> str:
    key = cell.get("key") or {}
    who = _esc(result["names"].get(key.get("role"), key.get("role", "")))
    cut = _esc(LEVEL_LABELS.get(key.get("level"), key.get("level", "")))
    if not _is_shown(cell):
        return f"{who} {cut}: <span class='suppressed'>{_suppressed(cell)}</span>"
    pct = cell.get("percentiles") or {}
    return (
        f"{who} {cut}: P25–P75 {_usd(pct.get('p25'))}–{_usd(pct.get('p75'))} "
        f"<span class='n'>(n={_num(cell['n'])})</span>"
    )


def _footer(result: Mapping[str, Any]) -> str:
    sources = result.get("sources_cited") or {}
    items = "".join(f"<li><code>{_esc(f)}</code>: {_article(s)}</li>" for f, s in sources.items())
    return f"""<h2 id="sources-h">Articles whose claims are checked</h2>
<ul class="sources">{items}</ul>
<p><button type="button" id="download-json" hidden>Download the data (JSON)</button></p>
<p class="muted">Made by rolescope. Charts: plotly.js 3.1.0 (MIT), inlined; this page loads nothing from
the network.</p>"""


def _article(source: Mapping[str, Any]) -> str:
    text = f"<cite>{_esc(source['title'])}</cite>" if source.get("title") else "<em>untitled</em>"
    text += "".join(f", {_esc(source[k])}" for k in ("publisher", "date") if source.get(k))
    if source.get("covers"):
        text += f"<br><span class='muted'>{_esc(source['covers'])}</span>"
    return text


# --- charts ------------------------------------------------------------------------------------

Figure = tuple[list[dict[str, Any]], dict[str, Any]]
NARROW_WRAP = 40  # characters per label line in the phone layout of a chart
OEWS_PCT = (("p10", "p10"), ("p25", "p25"), ("p50", "median"), ("p75", "p75"), ("p90", "p90"))


def _charts(result: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every chart as {id, data, layout} plus, where labels need it, a "narrow" (phone) variant.

    Ids match the placeholders in the page; the script picks the variant by screen width.
    """
    charts = [
        _chart("chart-pay-levels", _median_bars(result, _salary_rows(result))),
        _chart("chart-pay-ranges", *_range_pair(_salary_range_rows(result), "Base pay, USD a year")),
        _chart("chart-pay-remote", _median_bars(result, _remote_rows(result))),
    ]
    if (result.get("oews") or {}).get("wages"):
        charts.append(_chart("chart-oews", *_range_pair(_oews_range_rows(result), "Annual wage, USD")))
    bars = []
    if _stack(result):
        bars += [("chart-stack", _stack_figure(result)), ("chart-distinct", _distinct_figure(result))]
    if (result.get("premiums") or {}).get("tested"):
        bars.append(("chart-premiums", _premium_figure(result["premiums"].get("premiums") or [])))
    charts += [_chart(chart_id, fig, _labels_above(fig)) for chart_id, fig in bars]
    return charts


def _chart(chart_id: str, figure: Figure, narrow: Figure | None = None) -> dict[str, Any]:
    spec: dict[str, Any] = {"id": chart_id, "data": figure[0], "layout": figure[1]}
    if narrow is not None:
        spec["narrow"] = {"data": narrow[0], "layout": narrow[1]}
    return spec


def _layout(height: int, **extra: Any) -> dict[str, Any]:
    layout: dict[str, Any] = {
        "height": height,
        "autosize": True,
        "margin": {"l": 8, "r": 12, "t": 8, "b": 8},
        "font": {"family": FONT, "size": 13, "color": "#1F2937"},
        "paper_bgcolor": "#FFFFFF",
        "plot_bgcolor": "#FFFFFF",
        "legend": {"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom", "xanchor": "left"},
        "hoverlabel": {"align": "left", "font": {"family": FONT, "size": 13}},
        "separators": ".,",
    }
    layout.update(extra)
    return layout


def _axis(title: str = "", **extra: Any) -> dict[str, Any]:
    axis = {"automargin": True, "gridcolor": "#E5E7EB", "zerolinecolor": "#6B7280", "linecolor": "#9CA3AF"}
    if title:
        axis["title"] = {"text": title, "standoff": 8}
    axis.update(extra)
    return axis


def _label(text: str, y: float, anchor: str, shift: int, muted: bool = False) -> dict[str, Any]:
    """A row label placed over the plot at its left edge (instead of a tick label)."""
    return {
        "xref": "paper",
        "x": 0,
        "yref": "y",
        "y": y,
        "yshift": shift,
        "xanchor": "left",
        "yanchor": anchor,
        "showarrow": False,
        "align": "left",
        "text": text,
        "font": {"size": 12, "color": "#6B7280" if muted else "#374151"},
    }


def _wrap(text: str, width: int | None) -> str:
    """Break a " · "-joined label into lines of at most ``width`` characters (a part is never split)."""
    if not width:
        return text
    lines: list[str] = []
    for part in text.split(" · "):
        if lines and len(lines[-1]) + 3 + len(part) <= width:
            lines[-1] += " · " + part
        else:
            lines.append(part)
    return "<br>".join(lines)


# Medians as grouped bars.


def _remote_rows(result: Mapping[str, Any]) -> list[tuple[str, dict[str, Cell]]]:
    return [(REMOTE_LABELS.get(k, str(k)), c) for k, c in _by_key(result, "us_remote", "remote")]


def _cell_hover(name: str, label: str, cell: Cell) -> str:
    if not _is_shown(cell):
        return f"<b>{_esc(name)} · {_esc(label)}</b><br>{_suppressed(cell)}: too few pay figures to show"
    pct = cell.get("percentiles") or {}
    lines = [
        f"<b>{_esc(name)} · {_esc(label)}</b>",
        f"median {_usd(cell['median'])}",
        f"95% CI {_usd(cell.get('median_low'))}–{_usd(cell.get('median_high'))}",
        f"P25–P75 {_usd(pct.get('p25'))}–{_usd(pct.get('p75'))}",
        f"n={_num(cell['n'])}",
    ]
    if cell.get("status") == "shrunk":
        lines.append("shrunk: " + _esc(_shrunk_note(cell)))
    return "<br>".join(lines)


def _median_bars(result: Mapping[str, Any], rows: list[tuple[str, dict[str, Cell]]]) -> Figure:
    """Grouped bars of medians with 95% whiskers; n inside each bar; suppressed slots say so."""
    labels = [label for label, _ in rows]
    data = [
        _median_trace(i, name, labels, [cells.get(role) for _, cells in rows])
        for i, (role, name) in enumerate(_names(result))
    ]
    layout = _layout(
        400,
        barmode="group",
        bargap=0.22,
        bargroupgap=0.08,
        xaxis=_axis(type="category"),
        yaxis=_axis("Median base pay, USD a year", tickprefix="$", tickformat="~s", rangemode="tozero"),
    )
    return data, layout


def _median_trace(i: int, name: str, labels: list[str], cells: list[Cell]) -> dict[str, Any]:
    shown = [_is_shown(c) for c in cells]
    shrunk = ["/" if s and c["status"] == "shrunk" else "" for c, s in zip(cells, shown, strict=True)]
    return {
        "type": "bar",
        "name": name,
        "x": labels,
        "y": [c["median"] if s else 0 for c, s in zip(cells, shown, strict=True)],
        "marker": {
            "color": COLORS[i],
            "pattern": {
                "shape": shrunk,
                "fgcolor": "rgba(255,255,255,0.45)",
                "fillmode": "overlay",
                "size": 7,
            },
        },
        "error_y": _whiskers(cells, shown),
        "text": [f"n={_num(c['n'])}" if s else _suppressed(c) for c, s in zip(cells, shown, strict=True)],
        "textposition": ["inside" if s else "outside" for s in shown],
        "insidetextanchor": "start",
        "textangle": -90,
        "textfont": {"size": 12},
        "outsidetextfont": {"color": "#374151"},
        "insidetextfont": {"color": "#FFFFFF"},
        "hovertext": [_cell_hover(name, lbl, c) for lbl, c in zip(labels, cells, strict=True)],
        "hovertemplate": "%{hovertext}<extra></extra>",
        "cliponaxis": False,
    }


def _whiskers(cells: Sequence[Cell], shown: Sequence[bool]) -> dict[str, Any]:
    plus = [c["median_high"] - c["median"] if s else 0 for c, s in zip(cells, shown, strict=True)]
    minus = [c["median"] - c["median_low"] if s else 0 for c, s in zip(cells, shown, strict=True)]
    return {"type": "data", "symmetric": False, "array": plus, "arrayminus": minus, **_WHISKER}


_WHISKER = {"color": "#111827", "thickness": 1.5, "width": 4}


# Spreads (P10-P90) as range lines, one labelled row per cell.


def _salary_range_rows(result: Mapping[str, Any]) -> list[dict[str, Any]]:
    out = []
    for label, cells in _salary_rows(result):
        for i, (role, name) in enumerate(_names(result)):
            out.append(_range_row(name, label, cells.get(role), i))
    return out


def _range_row(name: str, cut: str, cell: Cell, color: int) -> dict[str, Any]:
    shown = _is_shown(cell)
    tail = f"n={_num(cell['n'])}" if shown else _suppressed(cell)
    if shown and cell.get("status") == "shrunk":
        tail += " (small cell)"
    return {
        "label": f"{name} · {cut} · {tail}",
        "pct": dict(cell.get("percentiles") or {}) if shown else None,
        "color": COLORS[color],
        "faded": FADED[color],
        "group": name,
        "hover": _cell_hover(name, cut, cell) if shown else "",
    }


def _oews_range_rows(result: Mapping[str, Any]) -> list[dict[str, Any]]:
    rows = [
        _range_row(name, "this data, all US", result["salaries"][role].get("us"), i)
        for i, (role, name) in enumerate(_names(result))
    ]
    group = f"BLS OEWS {result['oews'].get('release') or ''}".strip()
    wages = sorted(result["oews"]["wages"], key=lambda w: (w["soc_code"], w["area_code"] != "0000000"))
    return rows + [_oews_row(w, group) for w in wages]


def _oews_row(wage: Mapping[str, Any], group: str) -> dict[str, Any]:
    pct = {p: wage.get(f) for p, f in OEWS_PCT}
    top = [p for p, f in OEWS_PCT if f in (wage.get("top_coded") or [])]
    employment = f"employment {_num(wage.get('employment'))}"
    label = f"{wage['title']} · {_short_area(wage['area_name'])} · {employment}"
    if top:
        label += " · top-coded: " + ", ".join(p.upper() for p in top)
    lines = [f"{p.upper()} {'≥ ' if p in top else ''}{_usd(pct[p])}" for p, _ in OEWS_PCT]
    hover = f"<b>{_esc(wage['title'])} ({_esc(wage['soc_code'])})</b><br>{_esc(wage['area_name'])}<br>"
    hover += "<br>".join(lines) + f"<br>{employment}"
    return {
        "label": label,
        "pct": pct,
        "color": OEWS_COLOR,
        "faded": "rgba(75,85,99,0.30)",
        "group": group,
        "hover": hover,
    }


def _short_area(name: str) -> str:
    """ "San Jose-Sunnyvale-Santa Clara, CA" -> "San Jose, CA"."""
    if "," in name and "-" in name:
        city, _, state = name.partition(",")
        return f"{city.split('-')[0]},{state}"
    return name


def _range_pair(rows: list[dict[str, Any]], x_title: str) -> tuple[Figure, Figure]:
    return _range_figure(rows, x_title), _range_figure(rows, x_title, NARROW_WRAP)


def _range_figure(rows: list[dict[str, Any]], x_title: str, wrap: int | None = None) -> Figure:
    """Horizontal P10-P90 lines with P25-P75 bands and a median mark, one row per cell.

    Each row's label (with its n) sits above its line rather than on the axis, so the plot keeps its
    width on a phone; ``wrap`` breaks long labels into lines.
    """
    data: list[dict[str, Any]] = []
    for group in dict.fromkeys(r["group"] for r in rows):
        members = [(i, r) for i, r in enumerate(rows) if r["group"] == group and r["pct"]]
        if members:
            data += _range_traces(group, members)
    texts = [_wrap(_esc(r["label"]), wrap) for r in rows]
    lines = max((t.count("<br>") + 1 for t in texts), default=1)
    row_px = 31 + 15 * lines
    values = [v for r in rows if r["pct"] for v in r["pct"].values() if v is not None]
    low, high = (min(values), max(values)) if values else (0, 1)
    pad = (high - low) * 0.04
    layout = _layout(
        len(rows) * row_px + 70 + 15 * lines,
        annotations=[
            _label(t, i, "bottom", 10, not r["pct"]) for i, (t, r) in enumerate(zip(texts, rows, strict=True))
        ],
        xaxis=_axis(x_title, tickprefix="$", tickformat="~s", range=[max(0, low - pad), high + pad]),
        yaxis=_axis(range=[len(rows) - 0.5, -(14 + 15 * lines) / row_px], visible=False, fixedrange=True),
    )
    return data, layout


def _range_traces(group: str, members: list[tuple[int, dict[str, Any]]]) -> list[dict[str, Any]]:
    def segments(lo: str, hi: str) -> dict[str, list[Any]]:
        xs: list[Any] = []
        ys: list[Any] = []
        for i, r in members:
            if r["pct"].get(lo) is not None and r["pct"].get(hi) is not None:
                xs += [r["pct"][lo], r["pct"][hi], None]
                ys += [i, i, None]
        return {"x": xs, "y": ys}

    color, faded = members[0][1]["color"], members[0][1]["faded"]
    common = {"type": "scatter", "mode": "lines", "name": group, "legendgroup": group, "showlegend": False}
    med = [(i, r) for i, r in members if r["pct"].get("p50") is not None]
    return [
        {**common, **segments("p10", "p90"), "line": {"color": color, "width": 2}, "hoverinfo": "skip"},
        {**common, **segments("p25", "p75"), "line": {"color": faded, "width": 14}, "hoverinfo": "skip"},
        {
            "type": "scatter",
            "mode": "markers",
            "name": group,
            "legendgroup": group,
            "x": [r["pct"]["p50"] for _, r in med],
            "y": [i for i, _ in med],
            "marker": {
                "symbol": "diamond",
                "size": 11,
                "color": "#FFFFFF",
                "line": {"color": color, "width": 2.5},
            },
            "hovertext": [r["hover"] for _, r in med],
            "hovertemplate": "%{hovertext}<extra></extra>",
        },
    ]


# Horizontal bars: stack shares, distinguishing skills, premiums.


def _labels_above(figure: Figure) -> Figure:
    """The phone layout of a horizontal bar chart: each category's label on a line above its bars.

    Axis tick labels would take half of a phone's width; over the bars they take none.
    """
    data, layout = figure
    labels = list(dict.fromkeys(y for trace in data for y in trace["y"]))
    index = {label: i for i, label in enumerate(labels)}
    k = len(data) if layout.get("barmode") == "group" else 1
    row_px = 36 + 13 * k
    width, top = 12 / row_px, -0.5 + 19 / row_px
    traces = [
        {
            **t,
            "y": [index[y] for y in t["y"]],
            "offset": top + (j if k > 1 else 0) * width,
            "width": width * 0.9,
        }
        for j, t in enumerate(data)
    ]
    narrow = {
        **layout,
        "height": len(labels) * row_px + 120,
        "barmode": "overlay",
        "annotations": [_label(_esc(label), i - 0.5, "top", 0) for i, label in enumerate(labels)],
        "yaxis": _axis(range=[len(labels) - 0.5, -0.5], visible=False, fixedrange=True),
    }
    return traces, narrow


def _stack_figure(result: Mapping[str, Any]) -> Figure:
    rows = _stack(result)
    labels = [r["label"] for r in rows]
    n = (result.get("skills") or {}).get("n_postings") or {}
    data = []
    for i, (role, name) in enumerate(_names(result)):
        shares = [r.get(role) or {} for r in rows]
        data.append(
            {
                "type": "bar",
                "orientation": "h",
                "name": f"{name} (n={_num(n.get(role))} postings)",
                "y": labels,
                "x": [s.get("share", 0) for s in shares],
                "marker": {"color": COLORS[i]},
                "error_x": _share_whiskers(shares),
                "hovertext": [_share_hover(name, lbl, s) for lbl, s in zip(labels, shares, strict=True)],
                "hovertemplate": "%{hovertext}<extra></extra>",
            }
        )
    layout = _layout(
        len(rows) * 52 + 110,
        barmode="group",
        bargap=0.28,
        xaxis=_axis("Share of postings asking for it", tickformat=".0%", rangemode="tozero"),
        yaxis=_axis(autorange="reversed", type="category"),
    )
    return data, layout


def _share_whiskers(shares: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    return {
        "type": "data",
        "symmetric": False,
        "array": [s.get("high", 0) - s.get("share", 0) for s in shares],
        "arrayminus": [s.get("share", 0) - s.get("low", 0) for s in shares],
        **_WHISKER,
    }


def _share_hover(name: str, label: str, share: Mapping[str, Any]) -> str:
    if not share:
        return f"<b>{_esc(name)} · {_esc(label)}</b><br>no data"
    return (
        f"<b>{_esc(name)} · {_esc(label)}</b><br>{_pct(share['share'])} of postings"
        f"<br>95% CI {_pct(share['low'])}–{_pct(share['high'])}<br>{_num(share['k'])} of n={_num(share['n'])}"
    )


def _distinct_figure(result: Mapping[str, Any]) -> Figure:
    (_, name_a), (_, name_b) = _names(result)
    rows = _distinct_rows(result)
    labels = [skill_name(s["skill_id"]) for s in rows]
    data = []
    for i, (role, name) in enumerate(_names(result)):
        mine = [(lbl, s) for lbl, s in zip(labels, rows, strict=True) if s["leans_to"] == role]
        data.append(
            {
                "type": "bar",
                "orientation": "h",
                "name": f"leans to {name}",
                "y": [lbl for lbl, _ in mine],
                "x": [s["log_odds"] for _, s in mine],
                "marker": {"color": COLORS[i]},
                "hovertext": [_distinct_hover(result, lbl, s) for lbl, s in mine],
                "hovertemplate": "%{hovertext}<extra></extra>",
            }
        )
    layout = _layout(
        len(rows) * 24 + 120,
        barmode="relative",
        bargap=0.25,
        xaxis=_axis(
            f"Weighted log-odds<br>← {_esc(name_b)} · {_esc(name_a)} →", zeroline=True, zerolinewidth=1.5
        ),
        yaxis=_axis(autorange="reversed", type="category", categoryorder="array", categoryarray=labels),
    )
    return data, layout


def _distinct_hover(result: Mapping[str, Any], label: str, s: Mapping[str, Any]) -> str:
    (a, name_a), (b, name_b) = _names(result)
    n = (result.get("skills") or {}).get("n_postings") or {}
    leans = result["names"].get(s["leans_to"], s["leans_to"])
    return (
        f"<b>{_esc(label)}</b><br>leans to {_esc(leans)} (z={s['z']:+.1f})<br>"
        f"{_esc(name_a)}: {_pct(s['share_a'])} ({_num(s['k_a'])} of n={_num(n.get(a))})<br>"
        f"{_esc(name_b)}: {_pct(s['share_b'])} ({_num(s['k_b'])} of n={_num(n.get(b))})"
    )


def _premium_figure(shown: Sequence[Mapping[str, Any]]) -> Figure:
    rows = _sorted_premiums(shown)
    data = [
        {
            "type": "bar",
            "orientation": "h",
            "name": "premium",
            "y": [f"{skill_name(p['skill_id'])} (n={_num(p['n_with'])})" for p in rows],
            "x": [p["premium"] for p in rows],
            "marker": {"color": ["#0F766E" if p["premium"] > 0 else "#9F1239" for p in rows]},
            "error_x": {
                "type": "data",
                "symmetric": False,
                "array": [p["high"] - p["premium"] for p in rows],
                "arrayminus": [p["premium"] - p["low"] for p in rows],
                **_WHISKER,
            },
            "hovertext": [_premium_hover(p) for p in rows],
            "hovertemplate": "%{hovertext}<extra></extra>",
        }
    ]
    layout = _layout(
        len(rows) * 22 + 110,
        showlegend=False,
        margin={"l": 8, "r": 12, "t": 34, "b": 8},
        xaxis=_axis("Pay difference linked to the skill", tickformat=".0%", zeroline=True, zerolinewidth=1.5),
        yaxis=_axis(autorange="reversed", type="category", tickfont={"size": 12}),
    )
    return data, layout


def _premium_hover(p: Mapping[str, Any]) -> str:
    return (
        f"<b>{_esc(skill_name(p['skill_id']))}</b><br>premium {_pct(p['premium'], sign=True)}<br>"
        f"95% CI {_pct(p['low'], sign=True)} to {_pct(p['high'], sign=True)}<br>"
        f"n={_num(p['n_with'])} paid postings ask for it, {_num(p.get('n_without'))} do not"
    )


# --- static text -------------------------------------------------------------------------------

_PAGE = Template("""<!DOCTYPE html>
<html lang="en" class="no-js">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="rolescope">
<title>$title</title>
<style>$css</style>
<script>
document.documentElement.className = "js";
window.__reportErrors = [];
window.addEventListener("error", function (e) { window.__reportErrors.push(String(e.message || e)); });
</script>
</head>
<body>
<a class="skip" href="#claims">Skip to the claims table</a>
<main>
$body
</main>
<footer>
$footer
</footer>
<p id="chart-status" class="visually-hidden" role="status" data-state="pending" data-charts="0"></p>
<script type="application/json" id="report-charts">$charts</script>
<script type="application/json" id="comparison-data">$data</script>
<script>
/*! plotly.js cartesian 3.1.0 | (c) Plotly, Inc. | MIT licence | vendored in rolescope/assets */
$plotly
</script>
<script>
$app
</script>
</body>
</html>
""")

_APP_JS = """(function () {
  "use strict";
  var errors = window.__reportErrors;
  var status = document.getElementById("chart-status");
  function finish(drawn, total) {
    var ok = errors.length === 0 && drawn === total;
    status.setAttribute("data-state", ok ? "drawn" : "error");
    status.setAttribute("data-charts", String(drawn));
    status.setAttribute("data-errors", String(errors.length));
    status.textContent = ok ? drawn + " charts drawn" : "Chart problem: " + errors.join("; ");
    if (ok) {
      document.querySelectorAll("details.figures[open]").forEach(function (d) { d.open = false; });
      // Folding the tables moves everything up: keep a #fragment target in view.
      var target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
      if (target) { target.scrollIntoView(); }
    }
  }
  var narrow = window.matchMedia("(max-width: 600px)");
  function config() {
    // No mode bar on phones: it would sit on the legend, and there is no hover there to hide it.
    return {responsive: true, displaylogo: false, displayModeBar: narrow.matches ? false : "hover",
      modeBarButtonsToRemove: ["lasso2d", "select2d", "autoScale2d", "pan2d", "zoomIn2d", "zoomOut2d"],
      toImageButtonOptions: {format: "png", scale: 2}};
  }
  function variant(chart) {
    // Phone layouts put row labels above the bars instead of on a wide axis.
    return narrow.matches && chart.narrow ? chart.narrow : chart;
  }
  function draw(chart) {
    var el = document.getElementById(chart.id);
    if (!el) { throw new Error("no element for " + chart.id); }
    var v = variant(chart);
    // Responsive plots refit to their box on resize: give the box the layout's height first.
    if (v.layout && v.layout.height) { el.style.height = v.layout.height + "px"; }
    return window.Plotly.newPlot(el, v.data, v.layout, config()).then(function () {
      el.setAttribute("data-drawn", "true");
    });
  }
  function redraw(spec) {
    spec.forEach(function (chart) {
      var v = variant(chart), el = document.getElementById(chart.id);
      if (v.layout && v.layout.height) { el.style.height = v.layout.height + "px"; }
      window.Plotly.react(el, v.data, v.layout, config());
    });
  }
  function charts() {
    var spec = JSON.parse(document.getElementById("report-charts").textContent);
    if (!window.Plotly) { errors.push("plotly.js did not load"); finish(0, spec.length); return; }
    var jobs = spec.map(function (chart) {
      try { return draw(chart); } catch (e) { errors.push(chart.id + ": " + e.message); return null; }
    }).filter(Boolean);
    Promise.all(jobs).then(function () { finish(jobs.length, spec.length); },
      function (e) { errors.push(String(e)); finish(0, spec.length); });
    var onChange = function () { redraw(spec); };
    if (narrow.addEventListener) { narrow.addEventListener("change", onChange); }
    else if (narrow.addListener) { narrow.addListener(onChange); }
  }
  function filter() {
    var box = document.querySelector("fieldset.filter");
    var rows = document.querySelectorAll("table.claims tbody tr");
    var count = box.querySelector(".shown-count");
    box.hidden = false;
    box.addEventListener("change", function (e) {
      var want = e.target.value, shown = 0;
      rows.forEach(function (row) {
        var show = want === "all" || row.getAttribute("data-verdict") === want;
        row.hidden = !show; shown += show ? 1 : 0;
      });
      count.textContent = "showing " + shown + " of " + rows.length;
    });
  }
  function download() {
    var button = document.getElementById("download-json");
    button.hidden = false;
    button.addEventListener("click", function () {
      var text = document.getElementById("comparison-data").textContent;
      var url = URL.createObjectURL(new Blob([text], {type: "application/json"}));
      var a = document.createElement("a");
      a.href = url; a.download = "comparison.json"; a.click();
      setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
    });
  }
  filter();
  download();
  charts();
})();"""

_CSS = """
:root { --ink: #1F2937; --muted: #4B5563; --line: #D1D5DB; --soft: #F3F4F6; --a: #0072B2; --b: #C2410C; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
  sans-serif; color: var(--ink); background: #FFFFFF; line-height: 1.5; font-size: 16px; }
main, footer { max-width: 1180px; margin: 0 auto; padding: 0 20px; }
footer { padding-bottom: 40px; margin-top: 32px; }
h1 { font-size: 2rem; line-height: 1.2; margin: 0.2em 0 0.3em; }
h2 { font-size: 1.45rem; margin: 1.8em 0 0.4em; padding-top: 0.6em; border-top: 1px solid var(--line); }
h3 { font-size: 1.1rem; margin: 1.4em 0 0.3em; }
p { margin: 0.4em 0 0.8em; max-width: 72ch; }
a { color: #005A8C; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.85em;
  overflow-wrap: anywhere; }
.skip { position: absolute; left: -9999px; }
.skip:focus { left: 8px; top: 8px; background: #FFF; padding: 6px 10px; z-index: 10; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0);
  white-space: nowrap; }
.page-head { padding: 28px 0 8px; }
.eyebrow { text-transform: uppercase; letter-spacing: 0.08em; font-size: 0.8rem; color: var(--muted);
  margin: 0; }
.lede { font-size: 1.05rem; color: var(--ink); }
.muted, .note { color: var(--muted); }
.note { font-size: 0.92rem; }
dl.source { display: grid; grid-template-columns: repeat(auto-fit, minmax(240px, 1fr)); gap: 10px 18px;
  margin: 16px 0 8px; padding: 14px 16px; background: var(--soft); border-radius: 8px; }
dl.source dt { font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.05em; color: var(--muted); }
dl.source dd { margin: 2px 0 0; }
details > summary { cursor: pointer; color: #005A8C; font-weight: 600; padding: 4px 0; }
details.figures { margin: 4px 0 18px; }
.verdict-cards { list-style: none; padding: 0; margin: 12px 0; display: grid; gap: 12px;
  grid-template-columns: repeat(auto-fit, minmax(180px, 1fr)); }
.verdict-card { border: 1px solid var(--line); border-radius: 10px; padding: 12px 14px; display: flex;
  flex-direction: column; gap: 4px; }
.verdict-card .count { font-size: 2.2rem; font-weight: 700; line-height: 1; }
.verdict-card .badge { align-self: flex-start; }
.verdict-card .of { color: var(--muted); font-size: 0.9rem; }
.verdict-card.v-consistent { border-left: 6px solid #15803D; }
.verdict-card.v-contradicted { border-left: 6px solid #B91C1C; }
.verdict-card.v-untestable { border-left: 6px solid #6B7280; }
.verdict-bar { display: flex; height: 12px; border-radius: 6px; overflow: hidden; margin: 4px 0 8px; }
.verdict-bar .seg.v-consistent { background: #15803D; }
.verdict-bar .seg.v-contradicted { background: #B91C1C; }
.verdict-bar .seg.v-untestable { background: #9CA3AF; }
.badge { display: inline-block; padding: 2px 8px; border-radius: 999px; font-size: 0.82rem; font-weight: 600;
  white-space: nowrap; border: 1px solid transparent; }
.badge.v-consistent { background: #DCFCE7; color: #14532D; border-color: #86EFAC; }
.badge.v-contradicted { background: #FEE2E2; color: #7F1D1D; border-color: #FCA5A5; }
.badge.v-untestable { background: #E5E7EB; color: #1F2937; border-color: #D1D5DB; }
.tag { display: inline-block; padding: 0 6px; border-radius: 4px; background: #FEF3C7; color: #78350F;
  font-size: 0.78rem; font-weight: 600; }
.suppressed { color: #4B5563; font-style: italic; }
.n { color: var(--muted); font-size: 0.9em; white-space: nowrap; }
.caveat { background: #FFFBEB; border-left: 4px solid #B45309; padding: 10px 14px; border-radius: 4px;
  max-width: none; }
figure.chart { margin: 8px 0 4px; }
figure.chart figcaption { font-size: 0.88rem; color: var(--muted); margin-top: 4px; max-width: 80ch; }
.no-js figure.chart, .js .nojs-only { display: none; }
.chart-plot { width: 100%; min-height: 120px; }
.table-wrap { overflow-x: auto; -webkit-overflow-scrolling: touch; }
table { border-collapse: collapse; width: 100%; font-size: 0.92rem; margin: 6px 0 12px; }
caption { text-align: left; font-weight: 600; padding: 4px 0 6px; color: var(--ink); }
th, td { text-align: left; vertical-align: top; padding: 7px 10px; border-bottom: 1px solid var(--line); }
thead th { background: var(--soft); font-size: 0.82rem; text-transform: uppercase; letter-spacing: 0.03em;
  color: #374151; white-space: nowrap; }
tbody th { font-weight: 600; }
table.claims { font-size: 0.86rem; }
table.claims th, table.claims td { padding: 7px 6px; }
table.claims td[data-label="Claim"] { width: 24%; }
table.claims td[data-label="Measured"] { width: 20%; }
table.claims td[data-label="Claimed"] { width: 12%; }
table.claims td[data-label="Source"] { width: 13%; }
table.claims td[data-label="Rule"] { width: 18%; color: var(--muted); font-size: 0.82rem; }
table.claims tbody tr:nth-child(even) { background: #FAFAFA; }
code.cid { color: var(--muted); font-size: 0.75rem; }
fieldset.filter { border: 1px solid var(--line); border-radius: 8px; padding: 6px 12px 8px; margin: 8px 0;
  display: flex; flex-wrap: wrap; gap: 6px 16px; align-items: center; }
fieldset.filter legend { font-weight: 600; padding: 0 4px; }
fieldset.filter label { cursor: pointer; }
.shown-count { color: var(--muted); font-size: 0.9rem; }
ul.sources { padding-left: 1.2em; }
ul.sources li { margin: 4px 0; }
button { font: inherit; padding: 6px 12px; border-radius: 6px; border: 1px solid #005A8C; background: #FFF;
  color: #005A8C; cursor: pointer; }
:focus-visible { outline: 3px solid #F59E0B; outline-offset: 2px; }
@media (max-width: 760px) {
  main, footer { padding: 0 14px; }
  h1 { font-size: 1.6rem; }
  h2 { font-size: 1.25rem; }
  table.claims, table.claims thead, table.claims tbody, table.claims tr, table.claims td { display: block; }
  table.claims thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  table.claims tr { border: 1px solid var(--line); border-radius: 8px; margin: 0 0 12px; padding: 6px 10px;
    display: grid; grid-template-columns: 1fr 1fr; column-gap: 12px; }
  table.claims tr[hidden] { display: none; }
  table.claims td[data-label="Claim"] { grid-column: 1 / -1; order: 1; }
  table.claims td[data-label="Verdict"] { order: 2; }
  table.claims td[data-label="Role"] { order: 3; }
  table.claims td[data-label="Claimed"] { order: 4; }
  table.claims td[data-label="Measured"] { order: 5; }
  table.claims td[data-label="Source"] { grid-column: 1 / -1; order: 6; }
  table.claims td[data-label="Rule"] { grid-column: 1 / -1; order: 7; }
  table.claims td { border: none; padding: 4px 0; width: auto !important; font-size: 0.92rem; }
  table.claims td::before { content: attr(data-label); display: block; font-size: 0.72rem; font-weight: 700;
    text-transform: uppercase; letter-spacing: 0.05em; color: var(--muted); }
  .verdict-cards { grid-template-columns: 1fr; gap: 8px; }
  .verdict-card { padding: 8px 12px; flex-direction: row; align-items: center; gap: 12px; }
  .verdict-card .badge { align-self: center; }
  .verdict-card .count { font-size: 1.6rem; min-width: 1.6em; }
  .badge { font-size: 0.75rem; padding: 2px 6px; }
}
"""
