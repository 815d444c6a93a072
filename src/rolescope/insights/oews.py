"""Official US wages (BLS OEWS) for the occupations nearest to each rolescope role.

No SOC occupation is "AI engineer" or "ML engineer"; the nearest ones are listed per role, closest
first, and the comparison shows them beside the measured figures, never in place of them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rolescope.sources.oews import read_oews_wages

OCCUPATIONS = {
    "15-1221": "Computer and Information Research Scientists",
    "15-1252": "Software Developers",
    "15-2051": "Data Scientists",
}
# Nearest occupations per role, closest first.
NEAREST = {
    "ai_engineer": ("15-1252", "15-1221"),
    "ml_engineer": ("15-1221", "15-2051", "15-1252"),
    "ai_ml_hybrid": ("15-1221", "15-1252", "15-2051"),
    "data_scientist": ("15-2051",),
    "data_engineer": ("15-1252",),
    "mlops_engineer": ("15-1252",),
    "ml_platform_engineer": ("15-1252", "15-1221"),
    "research_scientist": ("15-1221",),
    "ai_specialist": ("15-1221", "15-1252"),
}
# National, California, and the metros the comparison calls tech hubs.
AREAS = {"0600000": "California", "0041940": "San Jose", "0041860": "San Francisco"}


def nearest_occupations(role: str) -> list[dict[str, str]]:
    return [{"soc_code": soc, "title": OCCUPATIONS[soc]} for soc in NEAREST.get(role, ())]


def read_anchor_wages(path: Path) -> list[dict[str, Any]]:
    """OEWS wages for every occupation above, nationally and in ``AREAS``, as JSON-ready dicts."""
    wages = read_oews_wages(path, list(OCCUPATIONS), list(AREAS))
    return [w.to_dict() for w in wages]
