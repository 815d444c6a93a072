"""Rebuild src/rolescope/knowledge/skills_crosswalk.json: each skill's ids in ESCO and O*NET.

A skill matches a public concept when one of its surface forms equals one of the concept's labels
after light normalisation (casefolded, hyphens and runs of spaces made one space; case-sensitive
forms such as "R" or "Go" must match the label's casing exactly). Only ids and labels are written:

- ESCO concept URIs from the ICT subset (esco_ict_skills_877.json.gz), which carries URIs;
- ESCO preferred labels from the full export (skills_en_3col.csv.gz, no URIs) for concepts the
  ICT subset does not hold;
- O*NET Technology Skills example names with their UNSPSC commodity codes.

Usage::

    python scripts/build_skill_crosswalk.py [--shared ../shared/data] [--check]
"""

from __future__ import annotations

import argparse
import ast
import csv
import gzip
import hashlib
import io
import json
import os
import re
import sys
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path

from rolescope.knowledge.skills import CROSSWALK_FILE, Skill, Taxonomy, parse_taxonomy, surface_key

REPO = Path(__file__).resolve().parents[1]
KNOWLEDGE = REPO / "src" / "rolescope" / "knowledge"
DEFAULT_SHARED = Path(os.environ.get("ROLESCOPE_SHARED_DATA", REPO.parent / "shared" / "data"))
ESCO_ICT = "taxonomies/esco/esco_ict_skills_877.json.gz"
ESCO_ALL = "taxonomies/esco/skills_en_3col.csv.gz"
ONET_TECH = "taxonomies/onet/Technology_Skills.txt"
COMMAND = "python scripts/build_skill_crosswalk.py"

# (label as written, concept id) pairs per source
Labels = list[tuple[str, str]]

# Exact label matches that name a different concept (ESCO reuses some words: "systems design" is
# an alternative label of "design control systems"). Reviewed by hand; (skill id, ESCO label).
REJECTED = frozenset(
    {
        ("system_design", "design control systems"),
        ("clean_code", "do cloud refactoring"),
        ("data_analysis", "unstructured data"),
        ("regulatory_compliance", "good laboratory practice"),
        ("pricing_optimization", "manage hospitality revenue"),
        ("risk_management", "assess mortgage risk"),
        ("finance", "economics"),
        ("computer_graphics", "3D modelling"),
        ("supply_chain", "manage supplies"),
        ("technical_writing", "provide manufacturing documentation"),
        ("project_management", "project commissioning"),
        ("sql", "database management systems"),
        ("emotional_intelligence", "reflexion"),
        ("agile", "ICT project management methodologies"),
        ("git", "tools for software configuration management"),
        ("selenium", "tools for ICT test automation"),
        ("distributed_computing", "use concurrent programming"),
        ("css", "style sheet languages"),
        ("project_management", "evaluate project plans"),
        ("strategic_thinking", "develop strategy to solve problems"),
        ("research_skills", "evaluate research activities"),
        ("control_systems", "automation technology"),
    }
)


def read_esco_ict(path: Path) -> Labels:
    """(label, URI) for each preferred and alternative label of the ICT subset."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        concepts = json.load(handle)
    pairs: Labels = []
    for concept in concepts:
        alternatives = concept.get("altLabel") or []
        if isinstance(alternatives, str):  # some rows hold the list's repr rather than the list
            alternatives = ast.literal_eval(alternatives)
        pairs += [(label, concept["uri"]) for label in (concept["label"], *alternatives)]
    return pairs


def read_esco_all(path: Path) -> Labels:
    """(label, preferred label) for each preferred and alternative label of the full export."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    pairs: Labels = []
    for row in rows:
        alternatives = (row.get("altLabels") or "").splitlines()
        pairs += [(label, row["preferredLabel"]) for label in (row["preferredLabel"], *alternatives)]
    return pairs


# O*NET names many tools "<vendor> <product>" or "<product> software"; the light normalisation
# also tries the name without these (so "Oracle Java" and "Jupyter software" match).
ONET_VENDORS = (
    "Amazon Web Services AWS",
    "Apache",
    "Apple",
    "Atlassian",
    "ESRI",
    "Esri",
    "Google",
    "IBM",
    "Microsoft",
    "OpenAI",
    "Oracle",
    "Red Hat",
    "StataCorp",
    "Sun Microsystems",
    "The MathWorks",
)


def onet_variants(name: str) -> list[str]:
    """The example name; without a trailing " software"; without a leading vendor; and, for
    names spelt out then abbreviated ("Amazon Simple Storage Service S3"), the abbreviation."""
    variants = [name, name.removesuffix(" software")]
    for variant in list(variants):
        for vendor in ONET_VENDORS:
            if variant.startswith(vendor + " "):
                variants.append(variant.removeprefix(vendor + " "))
        words = variant.split()
        if len(words) >= 3 and _abbreviates(words[-1], words[:-1]):
            variants.append(words[-1])
    return unique(v for v in variants if v)


def _abbreviates(token: str, words: list[str]) -> bool:
    """True for "SQL" after "Structured query language" (or "Amazon Simple Storage Service" for
    "S3": a vendor may come first), false after "SoftRisk Technologies" or "DATAS for"."""
    if not _ABBREVIATION.fullmatch(token):
        return False
    letters = iter("".join(words).lower())
    wanted = [c for c in token.lower() if c.isalpha()]
    starts = {word[0].lower() for word in words[:2]}
    return wanted[0] in starts and all(c in letters for c in wanted)


_ABBREVIATION = re.compile(r"[A-Z][A-Z0-9]+")


def read_onet(path: Path, *, variants: bool) -> list[tuple[str, dict[str, str]]]:
    """(name, {example, commodity_code}) for each distinct O*NET technology row; with
    ``variants``, the shortened names instead of the names as written."""
    text = path.read_text(encoding="utf-8")
    rows = csv.DictReader(io.StringIO(text), delimiter="\t")
    seen = {(row["Example"], row["Commodity Code"]) for row in rows}
    return [
        (form, {"example": name, "commodity_code": code})
        for name, code in sorted(seen)
        for form in (onet_variants(name)[1:] if variants else [name])
    ]


def match_onet(taxonomy: Taxonomy, path: Path) -> dict[str, list[dict[str, str]]]:
    """O*NET rows per skill. A shortened name ("Google Analytics" -> "Analytics") names a product,
    so it only counts for skills of kind "tool"; the name as written counts for any skill."""
    exact = index_labels(read_onet(path, variants=False))
    shortened = index_labels(read_onet(path, variants=True))
    return {
        skill.id: unique(
            [*match_skill(skill, *exact), *(match_skill(skill, *shortened) if skill.kind == "tool" else [])]
        )
        for skill in taxonomy.skills
    }


def index_labels(pairs: Iterable[tuple[str, object]]) -> tuple[dict, dict]:
    """Two look-ups: normalised label -> ids, and label exactly as written -> ids."""
    folded: dict[str, list] = {}
    exact: dict[str, list] = {}
    for label, concept in pairs:
        label = " ".join(label.split())
        for table, key in ((folded, surface_key(label)), (exact, label)):
            if concept not in table.setdefault(key, []):
                table[key].append(concept)
    return folded, exact


def match_skill(skill: Skill, folded: dict, exact: dict) -> Iterator[object]:
    for form in (skill.name, *skill.aliases):
        yield from folded.get(surface_key(form), [])
    for form in skill.case_sensitive:
        yield from exact.get(form, [])


def match_esco(taxonomy: Taxonomy, pairs: Labels, preferred: dict[str, str]) -> dict[str, list[str]]:
    """ESCO concepts per skill. A concept matched by several skills through its alternative labels
    is broader than each of them ("computer programming" lists Lua and Fortran), so it is kept only
    for skills that match its preferred label."""
    folded, exact = index_labels(pairs)
    found = {skill.id: unique(match_skill(skill, folded, exact)) for skill in taxonomy.skills}
    claims: dict[str, int] = {}
    for concepts in found.values():
        for concept in concepts:
            claims[concept] = claims.get(concept, 0) + 1
    out = {}
    for skill in taxonomy.skills:
        forms = {surface_key(form) for form in skill.surface_forms}
        out[skill.id] = [
            c
            for c in found[skill.id]
            if (claims[c] == 1 or surface_key(preferred[c]) in forms)
            and (skill.id, preferred[c]) not in REJECTED
        ]
    return out


def unique(items: Iterable[object]) -> list:
    out: list = []
    for item in items:
        if item not in out:
            out.append(item)
    return out


def build_crosswalk(taxonomy: Taxonomy, shared: Path) -> dict:
    """The crosswalk document: provenance plus {skill_id: {"esco": [...], "onet": [...]}}."""
    ict = read_esco_ict(shared / ESCO_ICT)
    ict_preferred = read_esco_ict_preferred(shared / ESCO_ICT)
    ict_labels = {surface_key(label) for label in ict_preferred.values()}
    # The full export repeats the ICT concepts without URIs; keep only what the ICT subset lacks.
    full = [
        (label, pref)
        for label, pref in read_esco_all(shared / ESCO_ALL)
        if surface_key(pref) not in ict_labels
    ]
    uris = match_esco(taxonomy, ict, ict_preferred)
    labels = match_esco(taxonomy, full, {pref: pref for _, pref in full})
    onet = match_onet(taxonomy, shared / ONET_TECH)
    skills: dict[str, dict] = {}
    for skill in taxonomy.skills:
        entry = {"esco": uris[skill.id] + labels[skill.id], "onet": onet[skill.id]}
        if entry["esco"] or entry["onet"]:
            skills[skill.id] = entry
    return {"provenance": provenance(taxonomy, shared), "skills": skills}


def read_esco_ict_preferred(path: Path) -> dict[str, str]:
    """URI -> preferred label of the ICT subset."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return {concept["uri"]: concept["label"] for concept in json.load(handle)}


def provenance(taxonomy: Taxonomy, shared: Path) -> dict:
    sources = {}
    for name, label in (
        (ESCO_ICT, "ESCO ICT skills with URIs (c) European Union, reused with acknowledgement"),
        (ESCO_ALL, "ESCO skills, preferred and alternative labels (c) European Union"),
        (ONET_TECH, "O*NET 29.2 Technology Skills, USDOL/ETA, CC BY 4.0"),
    ):
        digest = hashlib.sha256((shared / name).read_bytes()).hexdigest()
        sources[name] = {"description": label, "sha256": digest}
    return {
        "taxonomy_version": taxonomy.version,
        "sources": sources,
        "matching": "exact label match after casefolding and collapsing hyphens/spaces "
        "(case-sensitive skill forms match exactly); for tools, O*NET names also without a leading "
        "vendor or a trailing 'software'; ESCO concepts matched by several skills only through "
        "alternative labels are dropped as broader; a reviewed list of false matches is rejected",
        "date": date.today().isoformat(),
        "command": COMMAND,
    }


def hit_rates(document: dict, taxonomy: Taxonomy) -> dict[str, float]:
    total = len(taxonomy.skills)
    entries = document["skills"].values()
    return {
        "esco": sum(bool(e["esco"]) for e in entries) / total,
        "esco_uri": sum(any(x.startswith("http") for x in e["esco"]) for e in entries) / total,
        "onet": sum(bool(e["onet"]) for e in entries) / total,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="the shared data folder")
    parser.add_argument("--check", action="store_true", help="fail if the shipped file is out of date")
    args = parser.parse_args(argv)
    taxonomy = parse_taxonomy((KNOWLEDGE / "skills.yaml").read_text(encoding="utf-8"))
    document = build_crosswalk(taxonomy, args.shared)
    target = KNOWLEDGE / CROSSWALK_FILE
    rates = ", ".join(f"{k} {v:.1%}" for k, v in hit_rates(document, taxonomy).items())
    if args.check:
        shipped = json.loads(target.read_text(encoding="utf-8"))
        stale = shipped["skills"] != document["skills"]
        print(f"{target.name}: {'out of date' if stale else 'up to date'} ({rates})")
        return 1 if stale else 0
    target.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {target} ({len(document['skills'])} skills matched; {rates})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
