"""The roles knowledge base: what each AI/ML role does, and what the seed articles claim about it.

``roles.yaml`` (package data) is validated on load into a :class:`RoleCatalog`. Every fact taken from
an article cites a seed file listed in ``seeds.yaml``. A broken edit fails with a one-line
:class:`~rolescope.errors.DataError` naming the file, the role and row, and the field.

Examples
--------
>>> catalog = load_roles()
>>> catalog.get("AI-Engineer").id
'ai_engineer'
>>> normalize_role_id("ML Engineer")
'ml_engineer'
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    field_validator,
    model_validator,
)

from rolescope.errors import DataError, InvalidInput, NotFound
from rolescope.knowledge._yaml import parse_yaml as _parse_yaml
from rolescope.knowledge._yaml import read_text as _read
from rolescope.knowledge._yaml import validate

ROLE_IDS: tuple[str, ...] = (
    "ai_engineer",
    "ml_engineer",
    "ai_ml_hybrid",
    "data_scientist",
    "data_engineer",
    "mlops_engineer",
    "research_scientist",
    "ai_specialist",
    "ml_platform_engineer",
    "other",
)
ROLES_FILE = "roles.yaml"
SEEDS_FILE = "seeds.yaml"
NOTICE = (
    "These are claims made by the cited articles, not figures measured by rolescope; measured "
    "salaries and skill demand come from the postings and salary data you ingest."
)

_PACKAGE = "rolescope.knowledge"
_SNAKE_CASE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")
_CURRENCY = re.compile(r"[A-Z]{3}")
_EXPERIENCE = re.compile(r"\d+(?:-\d+)?\+?")

Involvement = Literal["primary", "shared", "rare", "none"]
ClaimKind = Literal["salary", "skill_share", "demand", "skill", "other"]
Statistic = Literal["median", "mean", "range", "point", "share", "percentile"]
Level = Literal["entry", "junior", "mid", "senior", "expert", "staff"]
Family = Literal["ai_ml", "adjacent", "other"]


# ---------------------------------------------------------------------------------------------
# Field checks


def _snake_case(value: str) -> str:
    if not _SNAKE_CASE.fullmatch(value):
        raise ValueError(
            "is not snake_case (use lowercase letters, digits and underscores, e.g. 'model_training')"
        )
    return value


def _number(value: Any) -> Any:
    # Any rather than float keeps integers as printed (134023, not 134023.0) in JSON.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("is not a number (write digits only, no currency signs or commas, e.g. 134023)")
    return value


def _title_regex(value: str) -> str:
    try:
        re.compile(value, re.IGNORECASE)
    except re.error as exc:
        raise ValueError(f"does not compile as a regular expression ({exc})") from None
    return value


SnakeId = Annotated[str, AfterValidator(_snake_case)]
Number = Annotated[Any, BeforeValidator(_number)]
TitlePattern = Annotated[str, AfterValidator(_title_regex)]
Text = Annotated[str, Field(min_length=1)]


# Title canonicalization: the role patterns in roles.yaml are written against this form, so each
# spelling of a field is handled once here rather than in every pattern. Applied in order.
_TITLE_REWRITES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"[\u2010-\u2015]", "-"),
        (r"\bartificial[\s-]+intel(?:ligence|\.)?", " ai "),
        (r"\bmachine[\s-]*learning\b", " ml "),
        (r"\bdeep[\s-]*learning\b", " dl "),
        (r"\bnatural language processing\b", " nlp "),
        (r"\bgen(?:erative)?[\s-]*ai\b", " genai "),
        (r"\blarge[\s-]+language[\s-]+models?\b|\bllms\b", " llm "),
        (r"\b(ml|ai|genai|llm|nlp|dl)\s*\(\s*\1\s*\)", r" \1 "),  # "ml (ml) engineer"
        (r"\((ai|ml)\)", " "),  # "ai (ai)/ml (ml) engineer" after the line above
        (r"\b(?:ai|genai)\s*(?:/|&|\+|,|\band\b)?\s*ml\b", " aiml "),
        (r"\bml\s*(?:/|&|\+|,|\band\b)?\s*(?:ai|genai)\b", " aiml "),
        (r"\b(?:sr|snr)\b\.?", " senior "),
        (r"\s+", " "),
    )
)


def canonical_title(title: str) -> str:
    """A title in the form the role patterns are written for: lowercase, one spelling per field.

    >>> canonical_title("Sr. Artificial Intelligence (AI)/Machine Learning (ML) Engineer")
    'senior aiml engineer'
    """
    text = unicodedata.normalize("NFKC", title).lower()  # full-width "ＭＬ" is "ml"
    for pattern, replacement in _TITLE_REWRITES:
        text = pattern.sub(replacement, text)
    return text.strip()


def normalize_role_id(text: str) -> str:
    """Canonical form of a role reference: lowercase, each run of other characters one underscore.

    >>> normalize_role_id("  Hybrid AI/ML engineer ")
    'hybrid_ai_ml_engineer'
    """
    return re.sub(r"[^a-z0-9]+", "_", text.strip().lower()).strip("_")


def short_source(file: str) -> str:
    """Short label of a seed file for tables: ``004_f4885b40147977ef.txt`` -> ``004``."""
    return file.split("_", 1)[0]


# ---------------------------------------------------------------------------------------------
# Models


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Seed(_Record):
    """One seed article, described as printed (null where the file prints nothing)."""

    title: str | None
    publisher: str | None
    author: str | None
    date: str | None
    covers: Text


class SeedsFile(_Record):
    version: int = Field(ge=1)
    seeds: dict[Text, Seed]


class Figure(_Record):
    """One number or range exactly as a seed prints it, with what it measures."""

    statistic: Statistic
    value: Number | None = None
    low: Number | None = None
    high: Number | None = None
    unit: str
    period: Literal["year", "month", "hour"] | None = None
    geography: str | None = None
    level: Level | None = None
    experience_years: str | None = None
    pay_basis: Literal["base", "total"] | None = None
    percentiles: tuple[int, ...] | None = None
    approximate: bool = False  # printed with ~, about, around, nearly, close to
    open_ended: bool = False  # printed with a trailing + or "exceeding": a floor, not a cap

    @field_validator("unit")
    @classmethod
    def _known_unit(cls, unit: str) -> str:
        if unit in ("share", "count") or _CURRENCY.fullmatch(unit):
            return unit
        raise ValueError("is not allowed (use an ISO currency code, 'share' or 'count')")

    @field_validator("experience_years")
    @classmethod
    def _experience_form(cls, years: str | None) -> str | None:
        if years is None or _EXPERIENCE.fullmatch(years):
            return years
        raise ValueError("is not a range of years (use e.g. '0-1', '4-9', '10+' or '10-15+')")

    @model_validator(mode="after")
    def _consistent(self) -> Figure:
        problem = _number_problem(self) or _statistic_problem(self) or _unit_problem(self)
        if problem:
            raise ValueError(problem)
        return self

    @property
    def numbers(self) -> tuple[int | float, ...]:
        return tuple(n for n in (self.value, self.low, self.high) if n is not None)

    @property
    def is_money(self) -> bool:
        return bool(_CURRENCY.fullmatch(self.unit))

    def describe(self) -> str:
        """Short human form, e.g. ``median USD 134,023–145,080/yr`` or ``~17.6%``."""
        amount = _format_amount(self)
        label = _STATISTIC_LABELS.get(self.statistic, "")
        if self.statistic == "percentile" and self.percentiles:
            label = "–".join(f"p{p}" for p in self.percentiles)
        period = _PERIOD_SUFFIX.get(self.period or "", "") if self.is_money else ""
        return f"{label} {amount}{period}".strip()

    def qualifiers(self) -> str:
        """Pay basis, level and experience, e.g. ``base · senior · 10-15+ yrs`` (empty if none)."""
        years = f"{self.experience_years} yrs" if self.experience_years else None
        return " · ".join(part for part in (self.pay_basis, self.level, years) if part)


_STATISTIC_LABELS = {"median": "median", "mean": "mean", "range": "range"}
_PERIOD_SUFFIX = {"year": "/yr", "month": "/mo", "hour": "/h"}


def _number_problem(fig: Figure) -> str | None:
    if not fig.numbers:
        return "needs a value or a low/high pair"
    if fig.value is not None and (fig.low is not None or fig.high is not None):
        return "give either value or low/high, not both"
    if (fig.low is None) != (fig.high is None):
        return "needs both low and high for a range"
    if fig.low is not None and fig.low > fig.high:
        return f"low {fig.low} is greater than high {fig.high}"
    return None


def _statistic_problem(fig: Figure) -> str | None:
    if fig.statistic == "range" and fig.low is None:
        return "statistic 'range' needs low and high"
    if fig.statistic == "percentile" and len(fig.percentiles or ()) != len(fig.numbers):
        return "statistic 'percentile' needs one entry in percentiles per number (e.g. percentiles: [25, 75])"
    if fig.percentiles and fig.statistic != "percentile":
        return "percentiles is only allowed with statistic 'percentile'"
    return None


def _unit_problem(fig: Figure) -> str | None:
    outside = [n for n in fig.numbers if not 0 <= n <= 1]
    if fig.unit == "share" and outside:
        return f"share {outside[0]} is outside 0-1 (write 33% as 0.33)"
    if fig.is_money and fig.period is None:
        return "money figures need a period (e.g. period: year)"
    return None


def _format_number(number: int | float, unit: str) -> str:
    if unit == "share":
        return f"{number * 100:.10g}%"
    return f"{number:,.10g}"


def _format_amount(fig: Figure) -> str:
    if fig.value is not None:
        amount = _format_number(fig.value, fig.unit)
    else:
        amount = f"{_format_number(fig.low, fig.unit)}–{_format_number(fig.high, fig.unit)}"
    if fig.open_ended:
        amount += "+"
    if fig.is_money:
        amount = f"{fig.unit} {amount}"
    return f"~{amount}" if fig.approximate else amount


class Claim(_Record):
    """Something a seed says about a role; ``source`` is the seed file, ``attribution`` whom it cites."""

    id: SnakeId
    kind: ClaimKind
    text: Text
    source: Text
    attribution: str | None
    year: int | None = Field(ge=1990, le=2100)
    figure: Figure | None = None

    @model_validator(mode="after")
    def _figure_fits(self) -> Claim:
        if self.kind == "skill_share" and (self.figure is None or self.figure.unit != "share"):
            raise ValueError("kind 'skill_share' needs a figure with unit 'share'")
        if self.figure is not None and self.figure.is_money and self.year is None:
            raise ValueError("a money figure needs the year it is about (year)")
        return self


class Responsibility(_Record):
    """One row of a role's work; ids come from ``responsibility_areas`` so roles line up."""

    id: SnakeId
    text: Text
    involvement: Involvement
    source: str | None
    see_also: tuple[str, ...] = ()

    @property
    def citations(self) -> tuple[str, ...]:
        return ((self.source,) if self.source else ()) + self.see_also


class ToolGroup(_Record):
    """Tools and skills named together by one source (``None``: general knowledge)."""

    source: str | None
    names: tuple[Text, ...] = Field(min_length=1)


class Role(_Record):
    id: SnakeId
    name: Text
    aliases: tuple[Text, ...] = ()
    family: Family
    summary: Text
    responsibilities: tuple[Responsibility, ...] = ()
    deliverables: tuple[Text, ...] = ()
    deliverables_source: str | None = None
    tools: tuple[ToolGroup, ...] = ()
    title_patterns: tuple[TitlePattern, ...] = ()
    claims: tuple[Claim, ...] = ()

    @property
    def tool_names(self) -> tuple[str, ...]:
        """Every tool once (case-insensitive), in the order first named."""
        seen: dict[str, str] = {}
        for group in self.tools:
            for name in group.names:
                seen.setdefault(name.casefold(), name)
        return tuple(seen.values())

    def responsibility(self, responsibility_id: str) -> Responsibility | None:
        return next((r for r in self.responsibilities if r.id == responsibility_id), None)

    def matches_title(self, title: str) -> bool:
        """True when any of the role's title patterns matches ``title`` once canonicalized."""
        canonical = canonical_title(title)
        return any(re.search(pattern, canonical) for pattern in self.title_patterns)

    def citations(self) -> set[str]:
        """Every seed file this role cites anywhere."""
        files = {c for r in self.responsibilities for c in r.citations}
        files |= {g.source for g in self.tools if g.source} | {c.source for c in self.claims}
        return files | ({self.deliverables_source} if self.deliverables_source else set())


class Contradiction(_Record):
    """Claims (from any roles) that disagree, with a note on what disagrees with what."""

    id: SnakeId
    topic: Text
    claims: tuple[SnakeId, ...] = Field(min_length=2)
    note: Text


class RoleCatalog(_Record):
    """All roles, their claims, the contradictions between claims, and the seeds they cite."""

    version: int = Field(ge=1)
    updated: date
    responsibility_areas: dict[SnakeId, Text]
    roles: tuple[Role, ...]
    contradictions: tuple[Contradiction, ...] = ()
    seeds: dict[str, Seed]

    _by_key: dict[str, Role] = PrivateAttr(default_factory=dict)
    _claims: dict[str, tuple[str, Claim]] = PrivateAttr(default_factory=dict)

    def model_post_init(self, context: Any, /) -> None:
        for role in self.roles:
            for ref in (role.id, role.name, *role.aliases):
                self._by_key.setdefault(normalize_role_id(ref), role)
            for claim in role.claims:
                self._claims.setdefault(claim.id, (role.id, claim))

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(role.id for role in self.roles)

    def get(self, role: str) -> Role:
        """The role named by an id (``ai_engineer``, ``AI-Engineer``) or an alias.

        Raises
        ------
        NotFound
            When nothing matches; the hint lists the valid ids.
        """
        found = self._by_key.get(normalize_role_id(role))
        if found is None:
            raise NotFound(f"unknown role {role!r}", hint=f"choose one of: {', '.join(self.ids)}")
        return found

    def claim(self, claim_id: str) -> tuple[str, Claim]:
        """``(role_id, claim)`` for a claim id; raises NotFound for unknown ids."""
        if claim_id not in self._claims:
            raise NotFound(
                f"unknown claim {claim_id!r}", hint="claim ids are listed by `rolescope roles show`"
            )
        return self._claims[claim_id]

    def contradictions_for(self, role_ids: set[str]) -> tuple[Contradiction, ...]:
        """Contradictions with at least one claim belonging to one of ``role_ids``."""
        return tuple(
            c for c in self.contradictions if any(self._claims[cid][0] in role_ids for cid in c.claims)
        )


# ---------------------------------------------------------------------------------------------
# Loading


@lru_cache(maxsize=1)
def load_roles() -> RoleCatalog:
    """The shipped roles knowledge base (package data), validated once and cached."""
    package = resources.files(_PACKAGE)
    roles_text = package.joinpath(ROLES_FILE).read_text(encoding="utf-8")
    seeds_text = package.joinpath(SEEDS_FILE).read_text(encoding="utf-8")
    return parse_catalog(roles_text, seeds_text)


def load_roles_from(path: Path, seeds_path: Path | None = None) -> RoleCatalog:
    """Load and validate a roles file from an explicit path (seeds default to the shipped list)."""
    if seeds_path is None:
        seeds_text, seeds_file = resources.files(_PACKAGE).joinpath(SEEDS_FILE).read_text("utf-8"), SEEDS_FILE
    else:
        seeds_text, seeds_file = _read(seeds_path), str(seeds_path)
    return parse_catalog(_read(path), seeds_text, roles_file=str(path), seeds_file=seeds_file)


def parse_catalog(
    roles_text: str, seeds_text: str, *, roles_file: str = ROLES_FILE, seeds_file: str = SEEDS_FILE
) -> RoleCatalog:
    """Validate the two YAML texts into a catalog; errors name ``roles_file`` or ``seeds_file``."""
    seeds_raw = _parse_yaml(seeds_text, seeds_file)
    seeds = _validate(SeedsFile, seeds_raw, seeds_raw, seeds_file).seeds
    raw = _parse_yaml(roles_text, roles_file)
    if "seeds" in raw:
        raise DataError(f"{roles_file}: top level: 'seeds' belongs in {seeds_file}, not here")
    catalog = _validate(RoleCatalog, {**raw, "seeds": seeds}, raw, roles_file)
    _check_catalog(catalog, roles_file, seeds_file)
    return catalog


def _validate(model: type[_M], data: Any, raw: Any, file: str) -> _M:
    return validate(model, data, raw, file, _ROW_KINDS)


_M = TypeVar("_M", bound=BaseModel)
_ROW_KINDS = {
    "roles": "role",
    "claims": "claim",
    "responsibilities": "responsibility",
    "contradictions": "contradiction",
    "tools": "tools group",
    "seeds": "seed",
    "responsibility_areas": "responsibility area",
}


# ---------------------------------------------------------------------------------------------
# Cross-checks pydantic cannot do alone


def _check_catalog(catalog: RoleCatalog, file: str, seeds_file: str) -> None:
    _check_role_set(catalog, file)
    claim_owner: dict[str, str] = {}
    for role in catalog.roles:
        _check_role(role, catalog, file, seeds_file)
        _check_claims(role, catalog, claim_owner, file, seeds_file)
    _check_aliases(catalog, file)
    _check_contradictions(catalog, claim_owner, file)


def _check_role_set(catalog: RoleCatalog, file: str) -> None:
    ids = [role.id for role in catalog.roles]
    duplicate = next((i for i in ids if ids.count(i) > 1), None)
    if duplicate:
        raise DataError(f"{file}: role {duplicate!r}: duplicate role id", hint="list each role once")
    unknown = next((i for i in ids if i not in ROLE_IDS), None)
    if unknown:
        raise DataError(
            f"{file}: role {unknown!r}: unknown role id",
            hint=f"known ids: {', '.join(ROLE_IDS)}; add a new role to ROLE_IDS in knowledge/roles.py first",
        )
    missing = [i for i in ROLE_IDS if i not in ids]
    if missing:
        raise DataError(f"{file}: top level: missing required role(s): {', '.join(missing)}")


def _check_role(role: Role, catalog: RoleCatalog, file: str, seeds_file: str) -> None:
    where = f"role {role.id!r}"
    seen: set[str] = set()
    for resp in role.responsibilities:
        row = f"{where}, responsibility {resp.id!r}"
        if resp.id in seen:
            raise DataError(f"{file}: {row}: duplicate responsibility id")
        if resp.id not in catalog.responsibility_areas:
            raise DataError(
                f"{file}: {row}: id is not listed in responsibility_areas",
                hint="use a listed id so roles compare row by row, or add the area first",
            )
        seen.add(resp.id)
        for source in resp.citations:
            _check_source(source, catalog, f"{file}: {row}: source", seeds_file)
    _check_source(role.deliverables_source, catalog, f"{file}: {where}: deliverables_source", seeds_file)
    for number, group in enumerate(role.tools, start=1):
        _check_source(group.source, catalog, f"{file}: {where}, tools group #{number}: source", seeds_file)
    if not role.title_patterns and role.id != "other":
        raise DataError(
            f"{file}: {where}: title_patterns is empty",
            hint="give at least one pattern so the title normalizer can recognise this role",
        )


def _check_source(source: str | None, catalog: RoleCatalog, prefix: str, seeds_file: str) -> None:
    if source is not None and source not in catalog.seeds:
        raise DataError(
            f"{prefix} {source!r} is not a seed listed in {seeds_file}",
            hint=f"known seeds: {', '.join(sorted(catalog.seeds))}",
        )


def _check_claims(
    role: Role, catalog: RoleCatalog, owner: dict[str, str], file: str, seeds_file: str
) -> None:
    for claim in role.claims:
        row = f"role {role.id!r}, claim {claim.id!r}"
        if claim.id in owner:
            raise DataError(f"{file}: {row}: duplicate claim id (already used in role {owner[claim.id]!r})")
        owner[claim.id] = role.id
        _check_source(claim.source, catalog, f"{file}: {row}: source", seeds_file)


def _check_aliases(catalog: RoleCatalog, file: str) -> None:
    named: dict[str, str] = {}
    for role in catalog.roles:
        for ref in (role.id, role.name, *role.aliases):
            key = normalize_role_id(ref)
            if named.setdefault(key, role.id) != role.id:
                raise DataError(
                    f"{file}: role {role.id!r}: name or alias {ref!r} also names role {named[key]!r}"
                )


def _check_contradictions(catalog: RoleCatalog, owner: dict[str, str], file: str) -> None:
    seen: set[str] = set()
    for contradiction in catalog.contradictions:
        row = f"contradiction {contradiction.id!r}"
        if contradiction.id in seen:
            raise DataError(f"{file}: {row}: duplicate contradiction id")
        seen.add(contradiction.id)
        unknown = next((c for c in contradiction.claims if c not in owner), None)
        if unknown:
            raise DataError(
                f"{file}: {row}: claim {unknown!r} does not exist",
                hint="refer to claim ids defined under a role's claims",
            )
        if len(set(contradiction.claims)) != len(contradiction.claims):
            raise DataError(f"{file}: {row}: lists the same claim twice")


# ---------------------------------------------------------------------------------------------
# Comparing two roles


class RoleClaim(Claim):
    """A claim together with the id of the role it belongs to."""

    role: str


class ClaimGroup(BaseModel):
    year: int | None
    geography: str | None
    claims: list[Claim]


class ResponsibilityRow(BaseModel):
    id: str
    label: str
    by_role: dict[str, Responsibility | None]


class ToolOverlap(BaseModel):
    shared: list[str]
    only_in: dict[str, list[str]]


class ContradictionView(BaseModel):
    id: str
    topic: str
    note: str
    claims: list[RoleClaim]


class RoleComparison(BaseModel):
    """Two roles side by side, as the seed articles describe them (claims, not measurements)."""

    roles: tuple[str, str]
    names: dict[str, str]
    summaries: dict[str, str]
    responsibilities: list[ResponsibilityRow]
    tools: ToolOverlap
    salary_claims: dict[str, list[ClaimGroup]]
    contradictions: list[ContradictionView]
    sources: dict[str, Seed]
    notice: str = NOTICE


def compare_roles(catalog: RoleCatalog, first: str, second: str) -> RoleComparison:
    """Line two roles up: responsibilities row by row, tools, salary claims, disagreements.

    >>> compare_roles(load_roles(), "ai-engineer", "ml-engineer").roles
    ('ai_engineer', 'ml_engineer')
    """
    a, b = catalog.get(first), catalog.get(second)
    if a.id == b.id:
        raise InvalidInput(
            f"cannot compare role {a.id!r} with itself",
            hint="give two different roles, e.g. ai-engineer ml-engineer",
        )
    views = contradiction_views(catalog, {a.id, b.id})
    cited = a.citations() | b.citations() | {c.source for view in views for c in view.claims}
    return RoleComparison(
        roles=(a.id, b.id),
        names={a.id: a.name, b.id: b.name},
        summaries={a.id: a.summary, b.id: b.summary},
        responsibilities=_responsibility_rows(catalog, a, b),
        tools=_tool_overlap(a, b),
        salary_claims={a.id: group_salary_claims(a), b.id: group_salary_claims(b)},
        contradictions=views,
        sources={file: catalog.seeds[file] for file in sorted(cited)},
    )


def _responsibility_rows(catalog: RoleCatalog, a: Role, b: Role) -> list[ResponsibilityRow]:
    ids = [r.id for r in a.responsibilities]
    ids += [r.id for r in b.responsibilities if r.id not in ids]
    return [
        ResponsibilityRow(
            id=rid,
            label=catalog.responsibility_areas[rid],
            by_role={a.id: a.responsibility(rid), b.id: b.responsibility(rid)},
        )
        for rid in ids
    ]


def _tool_overlap(a: Role, b: Role) -> ToolOverlap:
    a_keys = {name.casefold() for name in a.tool_names}
    b_keys = {name.casefold() for name in b.tool_names}
    return ToolOverlap(
        shared=[n for n in a.tool_names if n.casefold() in b_keys],
        only_in={
            a.id: [n for n in a.tool_names if n.casefold() not in b_keys],
            b.id: [n for n in b.tool_names if n.casefold() not in a_keys],
        },
    )


def group_salary_claims(role: Role) -> list[ClaimGroup]:
    """The role's salary claims grouped by (year, geography): newest year first, unknowns last."""
    groups: dict[tuple[int | None, str | None], list[Claim]] = {}
    for claim in role.claims:
        if claim.kind == "salary":
            geography = claim.figure.geography if claim.figure else None
            groups.setdefault((claim.year, geography), []).append(claim)

    def order(key: tuple[int | None, str | None]) -> tuple[bool, int, bool, str]:
        year, geography = key
        return (year is None, -(year or 0), geography is None, geography or "")

    return [ClaimGroup(year=y, geography=g, claims=groups[(y, g)]) for y, g in sorted(groups, key=order)]


def contradiction_views(catalog: RoleCatalog, role_ids: set[str]) -> list[ContradictionView]:
    """Contradictions touching any of ``role_ids``, each with all its claims (from any role)."""
    views = []
    for contradiction in catalog.contradictions_for(role_ids):
        claims = []
        for claim_id in contradiction.claims:
            role_id, claim = catalog.claim(claim_id)
            claims.append(RoleClaim.model_validate({**claim.model_dump(), "role": role_id}))
        views.append(
            ContradictionView(
                id=contradiction.id, topic=contradiction.topic, note=contradiction.note, claims=claims
            )
        )
    return views
