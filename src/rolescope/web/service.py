"""What the web app can answer, as plain library calls: the API routes and the pages both call these.

One :class:`Service` per app holds the market (the store when it holds data, else the embedded
snapshot) for the app's lifetime. Market computations go through one lock (a DuckDB connection is
not safe to share between threads) and aggregate answers are cached, so a page or API call that was
asked before costs a dictionary look-up.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from rolescope.advise.documents import read_document_bytes
from rolescope.advise.profile import Profile, check_preferences, normalize_level, profile_from_text
from rolescope.errors import InvalidInput
from rolescope.insights.market import Market, open_market
from rolescope.insights.salaries import DIMENSIONS
from rolescope.knowledge.roles import load_roles

T = TypeVar("T")
FILTERS = ("level", "country", "metro", "remote", "size", "year")
MAX_TEXT_CHARS = 100_000
MAX_TITLE_CHARS = 300


@dataclass
class Service:
    """The app's data: ``market`` and ``store_path`` (None on the snapshot), opened once."""

    market: Market
    close: Callable[[], None]
    store_path: Path | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _cache: dict[tuple, Any] = field(default_factory=dict)

    @classmethod
    def open(cls, db_path: Path, *, explicit: bool, source: str = "auto") -> Service:
        market, close = open_market(db_path, explicit=explicit, source=source)
        store = db_path if market.source.get("kind") == "store" else None
        return cls(market, close, store)

    def warm(self) -> None:
        """Compute the overview's aggregates now (premiums take tens of seconds on a large store),
        so the first visitor does not wait; run in a background thread at start-up."""
        from rolescope.enrich.roles.model import default_model

        # A failure here comes back, with its message, when the page that needs it is asked for.
        with contextlib.suppress(Exception):
            self.compare("ai_engineer", "ml_engineer")
        with contextlib.suppress(Exception):  # the classifier loads its arrays and compiles the taxonomy
            default_model()

    def cached(self, key: tuple, compute: Callable[[], T]) -> T:
        """``compute()`` once per key, under the lock (market code is not thread-safe); a hit reads the
        dict without the lock (entries are only ever added, and a dict read is atomic in CPython)."""
        if key in self._cache:
            return self._cache[key]
        with self._lock:
            if key not in self._cache:
                self._cache[key] = compute()
            return self._cache[key]

    def locked(self, compute: Callable[[], T]) -> T:
        with self._lock:
            return compute()

    # --- market -----------------------------------------------------------------------------

    def source(self) -> dict[str, Any]:
        return self.market.source

    def compare(self, first: str, second: str) -> dict[str, Any]:
        from rolescope.insights.compare import compare_market

        a, b = role_id(first), role_id(second)
        return self.cached(("compare", a, b), lambda: compare_market(self.market, a, b))

    def salaries(self, role: str, filters: Mapping[str, Any], by: list[str]) -> dict[str, Any]:
        rid = role_id(role)
        where = {"role": rid, **clean_filters(filters)}
        unknown = [d for d in by if d not in DIMENSIONS or d == "role"]
        if unknown:
            raise InvalidInput(f"cannot group by {unknown[0]!r}", hint=f"use any of {', '.join(FILTERS)}")
        key = ("salaries", tuple(sorted(where.items())), tuple(by))

        def compute() -> dict[str, Any]:
            cells = sorted(self.market.salary_cells(list(by), where), key=lambda c: _cell_order(c.key, by))
            return {
                "role": rid,
                "filters": {k: v for k, v in where.items() if k != "role"},
                "by": list(by),
                "cells": [c.to_dict() for c in cells],
                "source": self.market.source,
            }

        return self.cached(key, compute)

    def skills(self, role: str, versus: str | None, top: int) -> dict[str, Any]:
        from rolescope.insights.skills import distinguishing_skills, skill_demand

        if not 1 <= top <= 200:
            raise InvalidInput(f"top must be between 1 and 200, got {top}")
        rid = role_id(role)
        other = role_id(versus) if versus else None

        def compute() -> dict[str, Any]:
            counts = self.market.skill_counts()
            out: dict[str, Any] = {
                "role": rid,
                "n_postings": counts.role(rid).n,
                "skills": [s.to_dict() for s in skill_demand(counts, rid, top=top)],
                "source": self.market.source,
            }
            if other:
                lean_a, lean_b = distinguishing_skills(counts, rid, other, top=min(top, 30))
                out["versus"] = {
                    "role": other,
                    "n_postings": counts.role(other).n,
                    "leans_to_role": [s.to_dict() for s in lean_a],
                    "leans_to_versus": [s.to_dict() for s in lean_b],
                }
            return out

        return self.cached(("skills", rid, other, top), compute)

    def skill_trend(self, role: str, skill: str) -> dict[str, Any]:
        from rolescope.insights.skills import skill_trend
        from rolescope.knowledge.skills import load_taxonomy

        rid, sid = role_id(role), load_taxonomy().get(skill).id
        return self.cached(
            ("trend", rid, sid),
            lambda: {
                "role": rid,
                "skill_id": sid,
                "periods": skill_trend(self.market.skill_counts(), rid, sid),
            },
        )

    # --- advisor ----------------------------------------------------------------------------

    def fit(self, profile: Profile) -> dict[str, Any]:
        from rolescope.advise.fit import role_fit

        return self.locked(lambda: role_fit(profile, self.market))

    def gaps(self, profile: Profile, role: str, objective: str = "reach") -> dict[str, Any]:
        from rolescope.advise.roadmap import skill_gaps

        rid = role_id(role)
        return self.locked(lambda: skill_gaps(profile, self.market, rid, objective=objective))

    def roadmap(self, profile: Profile, role: str | None, goal: str | None) -> dict[str, Any]:
        from rolescope.advise.roadmap import learning_roadmap

        rid = role_id(role) if role else None
        return self.locked(lambda: learning_roadmap(profile, self.market, rid, goal=goal))

    def simulate(self, role: str, level: str, **options: Any) -> dict[str, Any]:
        from rolescope.advise.simulate import SimulationSettings, growth_chart_data, simulate_growth

        rid, start = role_id(role), normalize_level(level)
        settings = SimulationSettings(
            years=int(options.pop("years", 3)), runs=int(options.pop("runs", 10_000))
        )
        result = self.locked(lambda: simulate_growth(self.market, rid, start, settings=settings, **options))
        return {**result.to_dict(), "chart": growth_chart_data(result)}

    # --- postings ---------------------------------------------------------------------------

    def classify(self, text: str | None, title: str | None = None) -> dict[str, Any]:
        """Which role a posting reads as (the shipped classifier), with the model's held-out record.

        Needs no market and no lock: the model is read-only once loaded.
        """
        from rolescope.enrich.roles.model import default_model

        body = (text or "").strip()
        if not any(ch.isalnum() for ch in body):  # empty, blank, or only marks and control characters
            raise InvalidInput("paste the text of a job posting to classify")
        if len(body) > MAX_TEXT_CHARS:
            raise InvalidInput(f"the posting is over {MAX_TEXT_CHARS:,} characters", hint="paste one posting")
        heading = (title or "").strip() or None
        if heading and len(heading) > MAX_TITLE_CHARS:
            raise InvalidInput(f"the title is over {MAX_TITLE_CHARS} characters")
        model = default_model()
        result = model.predict(body, heading).as_dict()
        names = {role.id: role.name for role in load_roles().roles}
        return {**result, "names": names, "model": model_record(model.card)}

    def match(self, profile: Profile, **filters: Any) -> dict[str, Any]:
        from rolescope.advise.match import MatchFilters, match_jobs
        from rolescope.store import connect

        if self.store_path is None:
            return {
                "available": False,
                "reason": "job matching ranks the postings of a store; this app runs on the embedded "
                "snapshot, which holds aggregates only",
                "hint": "rolescope ingest FILE --db PATH && rolescope enrich --db PATH, then "
                "rolescope serve --db PATH",
            }
        top = int(filters.pop("top", 10))

        def compute() -> dict[str, Any]:
            con = connect(self.store_path, read_only=True)
            try:
                result = match_jobs(
                    con, profile.text, profile.skills, filters=MatchFilters(**filters), top=top
                )
            finally:
                con.close()
            return {"available": True, **result.to_dict()}

        return self.locked(compute)


def model_record(card: Mapping[str, Any]) -> dict[str, Any]:
    """The role model's version and its held-out scores on the split the shipped model was fit on."""
    split = card.get("metrics", {}).get("splits", {}).get("source_id", {})
    scores = split.get("model", {})
    return {
        "version": card.get("version"),
        "trained_on": card.get("trained_on"),
        "held_out": {
            "split": "source_id",
            "n": scores.get("n"),
            "macro_f1": scores.get("macro_f1"),
            "ai_vs_ml": scores.get("ai_vs_ml"),
            "ece": scores.get("ece"),
        },
        "not_modelled": card.get("not_modelled", {}),
    }


# Natural orders for the categorical dimensions; anything else sorts by its value.
_ORDER = {
    "level": ("entry", "mid", "senior", "executive"),
    "remote": ("onsite", "hybrid", "remote"),
    "size": ("S", "M", "L"),
}


def _cell_order(key: Mapping[str, Any], by: list[str]) -> tuple:
    out: list[Any] = []
    for dim in by:
        value = key.get(dim)
        order = _ORDER.get(dim, ())
        out.append((order.index(value) if value in order else len(order), str(value)))
    return tuple(out)


def role_id(text: str) -> str:
    return load_roles().get(text).id


def clean_filters(filters: Mapping[str, Any]) -> dict[str, Any]:
    """Salary filters with empty values dropped, country upper-cased and year an integer."""
    out: dict[str, Any] = {}
    for name in FILTERS:
        value = filters.get(name)
        if value in (None, ""):
            continue
        if name == "year":
            try:
                value = int(value)
            except (TypeError, ValueError):
                raise InvalidInput(f"year must be a whole number, got {value!r}") from None
        elif name == "country":
            value = str(value).upper()
        elif name == "level":
            value = normalize_level(str(value))
        out[name] = value
    return out


def build_profile(
    *,
    text: str | None = None,
    skills: str | None = None,
    upload: tuple[str, bytes] | None = None,
    years: float | None = None,
    country: str | None = None,
    level: str | None = None,
    preferences: Mapping[str, Any] | None = None,
) -> Profile:
    """A profile from a pasted text, a comma-separated skills list and/or an uploaded résumé, read in
    memory (nothing is written). Preferences are statement id -> 1..5 (strings of digits accepted)."""
    parts = []
    source = "pasted text"
    if upload is not None and upload[1]:
        parts.append(read_document_bytes(*upload))
        source = upload[0]
    if text and text.strip():
        if len(text) > MAX_TEXT_CHARS:
            raise InvalidInput(f"the pasted text is over {MAX_TEXT_CHARS:,} characters")
        parts.append(text.strip())
    listed = tuple(s.strip() for s in (skills or "").replace("\n", ",").split(",") if s.strip())
    if listed:
        from rolescope.advise.profile import skills_line

        parts.append(skills_line(listed))
    if not parts:
        raise InvalidInput("give a résumé, some text about your work, or a list of skills")
    prefs = {}
    for key, value in (preferences or {}).items():
        if value in (None, ""):
            continue
        try:
            prefs[key] = int(value)
        except (TypeError, ValueError):
            raise InvalidInput(f"preference {key!r} must be a number from 1 to 5, got {value!r}") from None
    if country is not None and country != "" and (len(country) != 2 or not country.isalpha()):
        raise InvalidInput(f"country must be a two-letter code such as US, got {country!r}")
    return profile_from_text(
        "\n\n".join(parts),
        source=source,
        years=years,
        country=country.upper() if country else None,
        level=normalize_level(level) if level else None,
        preferences=check_preferences(prefs, "the questionnaire"),
        listed_skills=listed,
    )
