"""What each role's postings ask for, posting by posting: the skill set and level of every posting.

Skill counts (:mod:`rolescope.insights.skills`) say how many postings ask for each skill; some
questions need the combinations: "what share of this role's postings would I match if I learnt X?"
needs each posting's whole skill set. :class:`PostingProfiles` keeps, per role, how many postings
share each (level, skill set) combination: a histogram with no text and no posting ids, so the
embedded snapshot can carry it. A posting's role is its title's role, as in skill demand.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from rolescope.errors import NotFound
from rolescope.insights.salaries import LEVEL_OF


@dataclass(frozen=True, slots=True)
class ProfileGroup:
    """``count`` postings of one role at ``level`` (None: not stated) asking for exactly ``skills``."""

    level: str | None
    skills: frozenset[str]
    count: int


@dataclass(slots=True)
class PostingProfiles:
    roles: dict[str, list[ProfileGroup]] = field(default_factory=dict)

    def role(self, role: str) -> list[ProfileGroup]:
        if role not in self.roles:
            known = ", ".join(sorted(self.roles))
            raise NotFound(f"no postings of role {role!r} in this data", hint=f"roles with postings: {known}")
        return self.roles[role]

    def n(self, role: str, level: str | None = None) -> int:
        """Postings of the role (at ``level`` when given)."""
        return sum(g.count for g in self.role(role) if level is None or g.level == level)

    def level_skill_counts(self, role: str, level: str) -> tuple[int, dict[str, int]]:
        """(postings of the role at the level, postings asking for each skill among them)."""
        n = 0
        counts: Counter[str] = Counter()
        for group in self.role(role):
            if group.level != level:
                continue
            n += group.count
            for skill in group.skills:
                counts[skill] += group.count
        return n, dict(counts)

    def to_dict(self) -> dict[str, Any]:
        return {
            role: [[g.level, sorted(g.skills), g.count] for g in groups]
            for role, groups in sorted(self.roles.items())
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PostingProfiles:
        return cls(
            {
                role: [ProfileGroup(level, frozenset(skills), count) for level, skills, count in rows]
                for role, rows in data.items()
            }
        )


def _order(group: ProfileGroup) -> tuple[str, list[str]]:
    return (group.level or "", sorted(group.skills))


def build_posting_profiles(table: pa.Table, role_of: Callable[[str], str | None]) -> PostingProfiles:
    """Histogram of (level, skill set) per title role from :func:`store.market.posting_skill_sets` rows."""
    cols = table.to_pydict()
    tally: dict[str, Counter[tuple[str | None, frozenset[str]]]] = {}
    for title, seniority, skills in zip(cols["title"], cols["seniority"], cols["skills"], strict=True):
        role = role_of(title)
        if role is None:
            continue
        level = LEVEL_OF.get(seniority) if seniority else None
        tally.setdefault(role, Counter())[(level, frozenset(skills or ()))] += 1
    roles = {
        role: sorted(
            (ProfileGroup(level, skills, count) for (level, skills), count in counter.items()), key=_order
        )
        for role, counter in tally.items()
    }
    return PostingProfiles(roles)

