"""The advisor's preference questionnaire and career goals (``preferences.yaml``), validated on load.

Every statement and goal cites the seed article it restates; role ids must exist in the roles
knowledge base, so a renamed role cannot silently drop out of the questionnaire.
"""

from __future__ import annotations

from functools import cached_property, lru_cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from rolescope.errors import DataError, NotFound
from rolescope.knowledge._yaml import parse_yaml, validate
from rolescope.knowledge.roles import load_roles

_PACKAGE = "rolescope.knowledge"
PREFERENCES_FILE = "preferences.yaml"
_ROW_KINDS = {"statements": "statement", "goals": "goal"}


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Statement(_Record):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    text: str = Field(min_length=10)
    leans: dict[str, float] = Field(min_length=1)
    source: str


class Goal(_Record):
    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    title: str = Field(min_length=10)
    role: str
    objective: Literal["reach", "pay"]
    source: str


class Questionnaire(_Record):
    version: int
    updated: str
    scale: dict[int, str]
    statements: list[Statement] = Field(min_length=1)
    goals: list[Goal] = Field(min_length=1)

    @cached_property
    def _statements(self) -> dict[str, Statement]:
        return {s.id: s for s in self.statements}

    def statement(self, statement_id: str) -> Statement:
        try:
            return self._statements[statement_id]
        except KeyError:
            raise NotFound(
                f"unknown preference statement {statement_id!r}",
                hint=f"statements: {', '.join(self._statements)}",
            ) from None

    def goal(self, goal_id: str) -> Goal:
        for goal in self.goals:
            if goal.id == goal_id:
                return goal
        raise NotFound(
            f"unknown career goal {goal_id!r}", hint=f"goals: {', '.join(g.id for g in self.goals)}"
        )


def parse_questionnaire(text: str, file: str = PREFERENCES_FILE) -> Questionnaire:
    raw = parse_yaml(text, file)
    questionnaire = validate(Questionnaire, raw, raw, file, _ROW_KINDS)
    catalog = load_roles()
    roles, seeds = set(catalog.ids), set(catalog.seeds)
    if sorted(questionnaire.scale) != [1, 2, 3, 4, 5]:
        raise DataError(f"{file}: scale must label exactly the answers 1 to 5")
    seen: set[str] = set()
    for kind, rows in (("statement", questionnaire.statements), ("goal", questionnaire.goals)):
        for row in rows:
            if row.id in seen:
                raise DataError(f"{file}: {kind} {row.id!r} appears twice")
            seen.add(row.id)
            if row.source not in seeds:
                raise DataError(f"{file}: {kind} {row.id!r}: source {row.source!r} is not a seed article")
            named = row.leans if isinstance(row, Statement) else {row.role: 1.0}
            for role, weight in named.items():
                if role not in roles:
                    raise DataError(f"{file}: {kind} {row.id!r}: unknown role {role!r}")
                if not -1.0 <= weight <= 1.0:
                    raise DataError(f"{file}: {kind} {row.id!r}: lean {weight} for {role} is not in [-1, 1]")
    return questionnaire


@lru_cache(maxsize=1)
def load_questionnaire() -> Questionnaire:
    """The shipped questionnaire and goals (package data), validated once and cached."""
    text = resources.files(_PACKAGE).joinpath(PREFERENCES_FILE).read_text(encoding="utf-8")
    return parse_questionnaire(text)
