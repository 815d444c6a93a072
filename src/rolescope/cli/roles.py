"""`rolescope roles`: the roles knowledge base, as the cited articles describe each role.

Thin: load the catalog, call the library, render. Unknown roles raise NotFound; the root CLI turns
that into one line and exit code 2.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich import box
from rich.console import Console, Group
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from rolescope.cli._common import FormatOption, OutputFormat, emit_json, stdout_console
from rolescope.knowledge.roles import (
    NOTICE,
    Claim,
    ClaimGroup,
    ContradictionView,
    Responsibility,
    Role,
    RoleCatalog,
    RoleComparison,
    compare_roles,
    contradiction_views,
    group_salary_claims,
    load_roles,
    short_source,
)

app = typer.Typer(
    help="What each AI/ML role does and what the seed articles claim about it (cited).\n\n"
    "Example: rolescope roles compare ai-engineer ml-engineer",
    no_args_is_help=True,
)

RoleArgument = Annotated[
    str,
    typer.Argument(
        help="Role id or alias: ai-engineer, ml_engineer, 'data science AI engineer', ... "
        "(see `rolescope roles list`).",
        show_default=False,
    ),
]

_INVOLVEMENT_STYLE = {"primary": "bold green", "shared": "green", "rare": "yellow", "none": "red"}
_SUMMARY_WIDTH = 100


@app.command("list")
def list_command(output: FormatOption = OutputFormat.table) -> None:
    """List the roles with a short summary and how many article claims each carries.

    Example: rolescope roles list --format json
    """
    catalog = load_roles()
    if output is OutputFormat.json:
        emit_json([_list_item(role) for role in catalog.roles])
        return
    console = stdout_console()
    console.print(_roles_table(catalog))
    console.print(
        Text(f"Knowledge base v{catalog.version}, updated {catalog.updated}. {NOTICE}", style="dim")
    )


@app.command("show")
def show_command(role: RoleArgument, output: FormatOption = OutputFormat.table) -> None:
    """Show everything about one role: work, deliverables, tools, title patterns and cited claims.

    Example: rolescope roles show ai-engineer
    """
    catalog = load_roles()
    found = catalog.get(role)
    if output is OutputFormat.json:
        emit_json(found.model_dump(mode="json"))
        return
    _render_role(stdout_console(), catalog, found)


@app.command("compare")
def compare_command(
    first: RoleArgument, second: RoleArgument, output: FormatOption = OutputFormat.table
) -> None:
    """Compare two roles side by side, including where the articles disagree with each other.

    Example: rolescope roles compare ai-engineer ml-engineer
    """
    catalog = load_roles()
    comparison = compare_roles(catalog, first, second)
    if output is OutputFormat.json:
        emit_json(comparison.model_dump(mode="json"))
        return
    _render_comparison(stdout_console(), catalog, comparison)


# ---------------------------------------------------------------------------------------------
# list


def _list_item(role: Role) -> dict[str, object]:
    return {
        "id": role.id,
        "name": role.name,
        "family": role.family,
        "aliases": list(role.aliases),
        "summary": role.summary,
        "claim_count": len(role.claims),
    }


def _roles_table(catalog: RoleCatalog) -> Table:
    table = Table(title="Roles", box=box.SIMPLE_HEAD, title_justify="left")
    table.add_column("id · name", no_wrap=True)
    table.add_column("summary")
    table.add_column("claims", justify="right")
    for role in catalog.roles:
        label = Text.assemble((role.id, "bold"), "\n", (role.name, "dim"))
        table.add_row(label, Text(_truncate(role.summary)), str(len(role.claims)))
    return table


def _truncate(text: str, width: int = _SUMMARY_WIDTH) -> str:
    first = text.split(". ")[0].rstrip(".") + "."
    return first if len(first) <= width else first[: width - 1].rstrip() + "…"


# ---------------------------------------------------------------------------------------------
# show


def _render_role(console: Console, catalog: RoleCatalog, role: Role) -> None:
    aliases = f" · also: {', '.join(role.aliases)}" if role.aliases else ""
    console.print(Text.assemble((role.name, "bold"), f" ({role.id}) · family {role.family}{aliases}"))
    console.print(Text(NOTICE, style="italic yellow"))
    console.print(Padding(Text(role.summary), (1, 0)))
    if role.responsibilities:
        console.print(_responsibilities_table(catalog, role))
    _print_list(console, "Deliverables", role.deliverables, role.deliverables_source)
    for group in role.tools:
        _print_list(console, "Tools & skills", group.names, group.source)
    if role.title_patterns:
        console.print(Text("Title patterns (case-insensitive regexes)", style="bold"))
        for pattern in role.title_patterns:
            console.print(Text(f"  {pattern}"), overflow="fold")  # a regex must not wrap at its spaces
    _print_salary_groups(console, role.name, group_salary_claims(role))
    others = [claim for claim in role.claims if claim.kind != "salary"]
    if others:
        console.print(_other_claims_table(others))
    _print_disagreements(console, contradiction_views(catalog, {role.id}))
    cited = role.citations() | {c.source for v in contradiction_views(catalog, {role.id}) for c in v.claims}
    _print_sources(console, catalog, sorted(cited))


def _responsibilities_table(catalog: RoleCatalog, role: Role) -> Table:
    table = Table(title="Responsibilities", box=box.SIMPLE_HEAD, title_justify="left")
    table.add_column("area", max_width=26)
    table.add_column("what it involves")
    table.add_column("involvement", no_wrap=True)
    table.add_column("src", no_wrap=True)
    for resp in role.responsibilities:
        table.add_row(
            Text(catalog.responsibility_areas[resp.id]),
            Text(resp.text),
            Text(resp.involvement, style=_INVOLVEMENT_STYLE[resp.involvement]),
            Text(_labels(resp.citations), style="dim"),
        )
    return table


def _print_list(console: Console, title: str, items: tuple[str, ...], source: str | None) -> None:
    if items:
        line = Text.assemble((f"{title}: ", "bold"), ", ".join(items), (f"  [{_label(source)}]", "dim"))
        console.print(line)


def _other_claims_table(claims: list[Claim]) -> Table:
    table = Table(title="Other claims (skills, demand)", box=box.SIMPLE_HEAD, title_justify="left")
    table.add_column("kind", no_wrap=True)
    table.add_column("claim")
    table.add_column("figure", no_wrap=True)
    table.add_column("year", no_wrap=True)
    table.add_column("src", no_wrap=True)
    for claim in claims:
        figure = claim.figure.describe() if claim.figure else ""
        table.add_row(
            claim.kind, _claim_text(claim), figure, str(claim.year or "—"), short_source(claim.source)
        )
    return table


# ---------------------------------------------------------------------------------------------
# compare


def _render_comparison(console: Console, catalog: RoleCatalog, comparison: RoleComparison) -> None:
    a, b = (catalog.get(role_id) for role_id in comparison.roles)
    console.rule(Text(f"{a.name} vs {b.name}", style="bold"))
    console.print(Text(comparison.notice, style="italic yellow"))
    console.print(_summaries_table(a, b))
    console.print(_comparison_responsibilities(comparison, a, b))
    console.print(_tools_table(comparison, a, b))
    for role in (a, b):
        _print_salary_groups(console, role.name, comparison.salary_claims[role.id])
    _print_disagreements(console, comparison.contradictions)
    _print_sources(console, catalog, list(comparison.sources))


def _summaries_table(a: Role, b: Role) -> Table:
    table = Table(box=box.SIMPLE_HEAD, expand=True)
    table.add_column(Text(a.name), ratio=1)
    table.add_column(Text(b.name), ratio=1)
    table.add_row(Text(a.summary), Text(b.summary))
    return table


def _comparison_responsibilities(comparison: RoleComparison, a: Role, b: Role) -> Table:
    table = Table(title="Responsibilities, row by row", box=box.SIMPLE_HEAD, title_justify="left")
    table.add_column("area")
    table.add_column(Text(a.name))
    table.add_column(Text(b.name))
    for row in comparison.responsibilities:
        table.add_row(
            Text(row.label), _involvement_cell(row.by_role[a.id]), _involvement_cell(row.by_role[b.id])
        )
    table.caption = "— not listed · [seed] source · gen. general knowledge"
    return table


def _involvement_cell(resp: Responsibility | None) -> Text:
    if resp is None:
        return Text("—", style="dim")
    return Text.assemble(
        (resp.involvement, _INVOLVEMENT_STYLE[resp.involvement]), (f" [{_labels(resp.citations)}]", "dim")
    )


def _tools_table(comparison: RoleComparison, a: Role, b: Role) -> Table:
    table = Table(title="Tools & skills", box=box.SIMPLE_HEAD, title_justify="left", expand=True)
    table.add_column("in both", ratio=1)
    table.add_column(Text(f"only {a.name}"), ratio=1)
    table.add_column(Text(f"only {b.name}"), ratio=1)
    tools = comparison.tools
    table.add_row(
        *(Text(", ".join(names) or "—") for names in (tools.shared, tools.only_in[a.id], tools.only_in[b.id]))
    )
    return table


# ---------------------------------------------------------------------------------------------
# shared pieces


def _print_salary_groups(console: Console, role_name: str, groups: list[ClaimGroup]) -> None:
    if not groups:
        console.print(Text(f"No salary claims about {role_name} in the articles.", style="dim"))
        return
    table = Table(title=f"Salary claims: {role_name}", box=box.SIMPLE_HEAD, title_justify="left")
    table.add_column("year · where", no_wrap=True)
    table.add_column("claim")
    table.add_column("figure", no_wrap=True)
    table.add_column("src", no_wrap=True)
    for group in groups:
        where = f"{group.year or 'undated'} · {group.geography or 'not stated'}"
        for number, claim in enumerate(group.claims):
            table.add_row(
                where if number == 0 else "",
                _claim_text(claim),
                _figure_cell(claim),
                short_source(claim.source),
            )
        table.add_section()
    console.print(table)


def _claim_text(claim: Claim) -> Text:
    text = Text(claim.text)
    if claim.attribution:
        text.append(f" (via {claim.attribution})", style="dim")
    return text


def _figure_cell(claim: Claim) -> Text:
    if claim.figure is None:
        return Text("no figure", style="dim")
    cell = Text(claim.figure.describe())
    qualifiers = claim.figure.qualifiers()
    if qualifiers:
        cell.append(f"\n{qualifiers}", style="dim")
    return cell


def _print_disagreements(console: Console, views: list[ContradictionView]) -> None:
    console.print(Text("Where the sources disagree", style="bold underline"))
    if not views:
        console.print(Text("No recorded disagreements between the articles about these roles.", style="dim"))
        return
    for view in views:
        table = Table(box=box.SIMPLE, show_header=False, padding=(0, 1))
        table.add_column("role", no_wrap=True, style="dim")
        table.add_column("claim")
        table.add_column("figure", no_wrap=True)
        table.add_column("src", no_wrap=True)
        for claim in view.claims:
            figure = claim.figure.describe() if claim.figure else "—"
            table.add_row(claim.role, _claim_text(claim), figure, short_source(claim.source))
        heading = Text.assemble((view.topic, "bold"), "\n", (view.note, "italic"))
        console.print(Padding(Group(heading, table), (1, 0, 0, 2)))


def _print_sources(console: Console, catalog: RoleCatalog, files: list[str]) -> None:
    table = Table(title="Sources", box=box.SIMPLE_HEAD, title_justify="left")
    table.add_column("src", no_wrap=True)
    table.add_column("file", no_wrap=True)
    table.add_column("title · publisher · date")
    for file in files:
        seed = catalog.seeds[file]
        parts = (seed.title or "(no title printed)", seed.publisher or seed.author, seed.date)
        table.add_row(short_source(file), file, Text(" · ".join(p for p in parts if p)))
    console.print(table)


def _label(source: str | None) -> str:
    return short_source(source) if source else "gen."


def _labels(sources: tuple[str, ...]) -> str:
    return ", ".join(short_source(s) for s in sources) or "gen."
