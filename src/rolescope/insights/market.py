"""Where market figures come from: a store you ingested, or the embedded snapshot built from ../shared/data.

Both answer the same questions through :class:`Market`, and each says which source it is, so every
report can name the data behind its numbers.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

import duckdb

from rolescope.enrich.roles.titles import TitleNormalizer, default_normalizer
from rolescope.errors import DataError, InvalidInput, NotFound, NotReady
from rolescope.insights.premiums import PremiumOptions, estimate_premiums
from rolescope.insights.profiles import PostingProfiles, build_posting_profiles
from rolescope.insights.salaries import (
    PayObservations,
    SalaryCell,
    SalaryPolicy,
    matching_cells,
    order_dimensions,
    prepare_observations,
    salary_cells,
)
from rolescope.insights.skills import SkillCounts, count_skills
from rolescope.store import connect
from rolescope.store import market as store_market

SNAPSHOT_FILE = "market_snapshot.json.gz"
SNAPSHOT_FORMAT = 2
# The salary groupings the snapshot precomputes: the role with up to two of these, plus the cuts the
# AI-vs-ML comparison needs.
SNAPSHOT_AXES = ("level", "country", "remote", "size", "year")
EXTRA_GROUPINGS = (
    ("role", "country", "metro"),
    ("role", "level", "country", "year"),
    ("role", "level", "country", "remote"),
)


def snapshot_groupings() -> list[tuple[str, ...]]:
    groupings = [("role",)]
    for i, first in enumerate(SNAPSHOT_AXES):
        groupings.append(order_dimensions(["role", first]))
        groupings.extend(order_dimensions(["role", first, second]) for second in SNAPSHOT_AXES[i + 1 :])
    return groupings + [order_dimensions(g) for g in EXTRA_GROUPINGS]


class Market(Protocol):
    """Market figures from one source; ``source`` says which (kind "store" or "snapshot")."""

    source: dict[str, Any]

    def salary_cells(
        self, by: Sequence[str], where: Mapping[str, Any] | None = None, policy: SalaryPolicy | None = None
    ) -> list[SalaryCell]: ...

    def skill_counts(self) -> SkillCounts: ...

    def premiums(self) -> dict[str, Any]: ...

    def posting_profiles(self) -> PostingProfiles: ...

    def extras(self) -> dict[str, Any]: ...


@dataclass
class StoreMarket:
    """Figures computed on demand from a DuckDB store (opened read-only by the caller)."""

    con: duckdb.DuckDBPyConnection
    label: str
    normalizer: TitleNormalizer = field(default_factory=default_normalizer)
    _roles: dict[str, str | None] = field(default_factory=dict)
    _observations: dict[tuple, PayObservations] = field(default_factory=dict)
    _cells: dict[tuple, list[SalaryCell]] = field(default_factory=dict)

    @cached_property
    def source(self) -> dict[str, Any]:
        counts = store_market.market_counts(self.con)
        return {
            "kind": "store",
            "path": self.label,
            "counts": counts,
            "files": store_market.loaded_files(self.con),
        }

    def role_of(self, title: str | None) -> str | None:
        if title not in self._roles:
            self._roles[title] = self.normalizer(title).role
        return self._roles[title]

    def observations(self, policy: SalaryPolicy) -> PayObservations:
        key = (policy.repeats, policy.outliers, policy.iqr_k, policy.inflation)
        if key not in self._observations:
            table = store_market.pay_observations(self.con, policy.repeats)
            titles = set(table.column("title").to_pylist())
            self._observations[key] = prepare_observations(
                table, {t: self.role_of(t) for t in titles}, policy
            )
        return self._observations[key]

    def salary_cells(
        self, by: Sequence[str], where: Mapping[str, Any] | None = None, policy: SalaryPolicy | None = None
    ) -> list[SalaryCell]:
        """Cells of a grouping; each grouping is computed once per role and policy, then filtered.

        Filters other than the role never change a cell's figures (see :func:`salary_cells`), so a
        comparison asking for many cuts of one grouping computes it once.
        """
        policy = policy or SalaryPolicy()
        where = dict(where or {})
        grouping = order_dimensions(list(by) + list(where))
        scope = {"role": where["role"]} if "role" in where else {}
        key = (grouping, tuple(scope.items()), policy)
        if key not in self._cells:
            self._cells[key] = salary_cells(self.observations(policy), grouping, scope, policy)
        return matching_cells(self._cells[key], where)

    def skill_counts(self) -> SkillCounts:
        total, done = store_market.skill_enrichment_state(self.con)
        if total and done < total:
            raise NotReady(
                f"skills were extracted for {done:,} of {total:,} postings in {self.label}",
                hint=f"run: rolescope enrich --db {self.label}",
            )
        return self._counts

    @cached_property
    def _counts(self) -> SkillCounts:
        return count_skills(store_market.posting_skill_table(self.con), self.role_of)

    def posting_profiles(self) -> PostingProfiles:
        self.skill_counts()  # the same readiness check: every posting's skills extracted
        return self._profiles

    @cached_property
    def _profiles(self) -> PostingProfiles:
        return build_posting_profiles(store_market.posting_skill_sets(self.con), self.role_of)

    def premiums(self) -> dict[str, Any]:
        return self._premiums

    @cached_property
    def _premiums(self) -> dict[str, Any]:
        # 200 bootstrap ridge fits: seconds to tens of seconds on a real store, so once per market.
        return estimate_premiums(
            store_market.paid_posting_skills(self.con), self.role_of, PremiumOptions()
        ).to_dict()

    def extras(self) -> dict[str, Any]:
        return load_snapshot().extras()


@dataclass
class SnapshotMarket:
    """Figures precomputed by ``rolescope snapshot build`` and shipped as package data."""

    data: dict[str, Any]

    @property
    def source(self) -> dict[str, Any]:
        return {"kind": "snapshot", **self.data["provenance"]}

    def salary_cells(
        self, by: Sequence[str], where: Mapping[str, Any] | None = None, policy: SalaryPolicy | None = None
    ) -> list[SalaryCell]:
        if policy is not None and policy != SalaryPolicy(**self.data["salary_policy"]):
            raise InvalidInput(
                "the embedded snapshot holds figures for the default policies only",
                hint="ingest data and pass --db to change --min-n, --repeats, --outliers or --inflation",
            )
        where = dict(where or {})
        grouping = ",".join(order_dimensions(list(by) + list(where)))
        if grouping not in self.data["salaries"]:
            available = "; ".join(sorted(self.data["salaries"]))
            raise InvalidInput(
                f"the embedded snapshot has no cut by {grouping}",
                hint=f"cuts available: {available}; for others ingest data and pass --db",
            )
        cells = [SalaryCell(**c) for c in self.data["salaries"][grouping]]
        return matching_cells(cells, where)

    def skill_counts(self) -> SkillCounts:
        return self._counts

    @cached_property
    def _counts(self) -> SkillCounts:
        return SkillCounts.from_dict(self.data["skills"])

    def premiums(self) -> dict[str, Any]:
        return self.data["premiums"]

    def posting_profiles(self) -> PostingProfiles:
        return self._profiles

    @cached_property
    def _profiles(self) -> PostingProfiles:
        return PostingProfiles.from_dict(self.data["posting_profiles"])

    def extras(self) -> dict[str, Any]:
        return {"oews": self.data.get("oews", []), "role_model": self.data.get("role_model")}


def load_snapshot() -> SnapshotMarket:
    """The embedded market snapshot (package data)."""
    try:
        raw = resources.files("rolescope.insights").joinpath(SNAPSHOT_FILE).read_bytes()
    except FileNotFoundError:
        raise NotReady(
            "this install has no embedded market snapshot", hint="run: rolescope snapshot build"
        ) from None
    data = json.loads(gzip.decompress(raw))
    if data.get("format") != SNAPSHOT_FORMAT:
        raise DataError(
            f"the embedded snapshot has format {data.get('format')}, this rolescope reads {SNAPSHOT_FORMAT}",
            hint="rebuild it: rolescope snapshot build",
        )
    return SnapshotMarket(data)


def build_snapshot_data(
    market: StoreMarket, extras: dict[str, Any], progress: Callable[[str], None] = lambda _: None
) -> dict[str, Any]:
    """Every aggregate the snapshot holds, computed from a store (no posting text, no single rows)."""
    policy = SalaryPolicy()
    salaries = {}
    for grouping in snapshot_groupings():
        progress(f"salaries by {', '.join(grouping)}")
        salaries[",".join(grouping)] = [_cell_record(c) for c in market.salary_cells(grouping, policy=policy)]
    progress("skill counts")
    skills = market.skill_counts().to_dict()
    progress("posting skill sets")
    profiles = market.posting_profiles().to_dict()
    progress("pay premiums")
    premiums = market.premiums()
    source = market.source
    return {
        "format": SNAPSHOT_FORMAT,
        "provenance": {
            "built_from": source["files"],
            "counts": source["counts"],
            **extras.get("provenance", {}),
        },
        "salary_policy": policy.to_dict(),
        "salary_exclusions": market.observations(policy).excluded,
        "salaries": salaries,
        "skills": skills,
        "premiums": premiums,
        "posting_profiles": profiles,
        "oews": extras.get("oews", []),
        "role_model": extras.get("role_model"),
    }


def _cell_record(cell: SalaryCell) -> dict[str, Any]:
    record = cell.to_dict()
    record.setdefault("key", cell.key)
    return record


SOURCES = ("auto", "store", "snapshot")


def open_market(db_path: Path, *, explicit: bool, source: str = "auto") -> tuple[Market, Callable[[], None]]:
    """The market to answer from, and a function that closes it.

    "snapshot" always uses the embedded snapshot; "store" requires the store to exist; "auto" uses
    the store when it exists and holds pay or postings, else the snapshot. A store named explicitly
    (``--db``) that does not exist is an error rather than a silent fall-back.
    """
    if source not in SOURCES:
        raise InvalidInput(f"unknown source {source!r}", hint=f"use one of {', '.join(SOURCES)}")
    if source == "snapshot":
        return load_snapshot(), lambda: None
    if not db_path.exists():
        if source == "store" or explicit:
            raise NotFound(
                f"no store at {db_path}",
                hint="ingest data first (rolescope ingest FILE --db PATH), or use --source snapshot",
            )
        return load_snapshot(), lambda: None
    con = connect(db_path, read_only=True)
    counts = store_market.market_counts(con)
    if source == "auto" and not (counts["salary_records"] or counts["postings"]):
        con.close()
        return load_snapshot(), lambda: None
    return StoreMarket(con, str(db_path)), con.close
