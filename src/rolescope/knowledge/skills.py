"""The AI/ML skill taxonomy: curated, versioned package data, validated on load.

``skills.yaml`` holds every skill with its id, name, aliases (the surface forms the extractor
matches), category, parents, prerequisites (they drive learning roadmaps) and a learning-effort
estimate with its rationale. Crosswalk ids to ESCO and O*NET are derived by
``scripts/build_skill_crosswalk.py`` into ``skills_crosswalk.json`` and merged in on load.

Surface forms: the name and the aliases match in any casing; ``case_sensitive`` forms ("R",
"Go", "Spark") match only as written, so a name or alias may never be a common English word or a
single character. Each surface form belongs to one skill only.

Examples
--------
>>> taxonomy = load_taxonomy()
>>> taxonomy.get("pytorch").name
'PyTorch'
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from rolescope.errors import DataError, NotFound
from rolescope.knowledge._yaml import parse_yaml, read_text, validate

SKILLS_FILE = "skills.yaml"
CROSSWALK_FILE = "skills_crosswalk.json"
_PACKAGE = "rolescope.knowledge"
_SNAKE_CASE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")
_SEMVER = re.compile(r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?")
_ROW_KINDS = {"skills": "skill"}
# Words a job ad uses in their ordinary sense; a skill may claim them only with exact casing
# (case_sensitive), never as a name or alias matched in any casing.
COMMON_WORDS = frozenset(
    """
    access agent agents air api apis application art basic beam beat bench bolt
    c chef chroma claude cloud code compass consul d dash data dart design drill druid elastic
    envoy excel express feast flask flow go gum outlines helm hive hub iceberg julia jest keep
    lambda learning lightning llama make matrix mode model models next nomad node office pig pilot
    prompt puppet r rails ray react rest rust salt scope sentry
    shell spark spring storm swift system test tools torch tower vault vector word
    amplitude annoy bert celery clip cohere cypress evidently flax flutter grok gymnasium haystack
    maven modal pillow playwright postman prophet replicate vagrant whisper yolo
    """.split()  # noqa: SIM905 (a word list reads better as text)
)

CATEGORIES: tuple[str, ...] = (
    "programming_language",  # Python, Go, SQL ...
    "ml_framework",  # PyTorch, scikit-learn, XGBoost ...
    "genai",  # LLMs, RAG, prompt engineering, agents, fine-tuning, evaluation, guardrails ...
    "llm_tooling",  # LangChain, LlamaIndex, Hugging Face, vLLM, MCP servers ...
    "vector_database",  # Pinecone, Weaviate, Chroma, Milvus, pgvector, FAISS ...
    "ml_technique",  # deep learning, NLP, computer vision, reinforcement learning, recommender systems ...
    "mlops",  # MLflow, Kubeflow, feature stores, model monitoring, experiment tracking ...
    "data_engineering",  # Spark, Kafka, Airflow, dbt, ETL ...
    "database",  # PostgreSQL, MongoDB, Snowflake, BigQuery ...
    "cloud",  # AWS, GCP, Azure and their ML services (SageMaker, Vertex AI, Azure ML) ...
    "devops",  # Docker, Kubernetes, CI/CD, Terraform, Git ...
    "software_engineering",  # APIs, system design, microservices, testing, web frameworks ...
    "math_statistics",  # statistics, linear algebra, calculus, probability, causal inference ...
    "analytics",  # A/B testing, data visualization, BI tools ...
    "domain",  # finance, healthcare, robotics, IoT ...
    "responsible_ai",  # ethics, bias mitigation, data governance, privacy ...
    "soft_skill",  # communication, collaboration, product thinking ...
)


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Effort(_Record):
    """Rough time for a working engineer to become productive with the skill, and why."""

    weeks: float = Field(gt=0, le=104)
    rationale: str = Field(min_length=20)

    @field_validator("rationale")
    @classmethod
    def _is_a_sentence(cls, value: str) -> str:
        if len(value.split()) < 4:
            raise ValueError("is too short: say in one sentence why it takes this long")
        return value


class Crosswalk(_Record):
    """Ids of the same skill in public taxonomies (empty where none exists)."""

    esco: list[str] = Field(default_factory=list)  # ESCO concept URIs, else preferred labels
    onet: list[str] = Field(default_factory=list)  # O*NET Technology Skills example names
    # UNSPSC commodity codes O*NET files each example under (one example may have several).
    onet_commodity_codes: dict[str, list[str]] = Field(default_factory=dict)

    @classmethod
    def from_derived(cls, entry: Mapping[str, Any]) -> Crosswalk:
        """From one skill's entry in skills_crosswalk.json (O*NET rows as {example, commodity_code})."""
        codes: dict[str, list[str]] = {}
        for row in entry.get("onet", []):
            codes.setdefault(row["example"], []).append(row["commodity_code"])
        return cls(esco=entry.get("esco", []), onet=list(codes), onet_commodity_codes=codes)


class Skill(_Record):
    id: str
    name: str
    aliases: list[str] = Field(default_factory=list)
    # Aliases that only count with exactly this casing ("R", "Go", "C", "Spark"): a lowercase
    # "go" or "spark" is an ordinary English word.
    case_sensitive: list[str] = Field(default_factory=list)
    category: Literal[CATEGORIES]  # type: ignore[valid-type]
    kind: Literal["skill", "knowledge", "tool"] = "knowledge"
    parents: list[str] = Field(default_factory=list)
    prerequisites: list[str] = Field(default_factory=list)
    effort: Effort
    crosswalk: Crosswalk = Field(default_factory=Crosswalk)

    @field_validator("id")
    @classmethod
    def _id_is_snake_case(cls, value: str) -> str:
        if not _SNAKE_CASE.fullmatch(value):
            raise ValueError("must be snake_case (lowercase letters, digits and underscores)")
        return value

    @property
    def surface_forms(self) -> tuple[str, ...]:
        """Everything the extractor may match: the name, the aliases and the case-sensitive forms."""
        return (self.name, *self.aliases, *self.case_sensitive)


class Taxonomy(_Record):
    version: str
    updated: str
    skills: list[Skill]

    @field_validator("version")
    @classmethod
    def _version_is_semver(cls, value: str) -> str:
        if not _SEMVER.fullmatch(value):
            raise ValueError("is not a semantic version (use MAJOR.MINOR.PATCH, e.g. '1.0.0')")
        return value

    @cached_property
    def _by_id(self) -> dict[str, Skill]:
        return {skill.id: skill for skill in self.skills}

    def get(self, skill_id: str) -> Skill:
        try:
            return self._by_id[skill_id]
        except KeyError:
            close = [s for s in self._by_id if skill_id.replace("-", "_").lower() in s][:8]
            raise NotFound(
                f"unknown skill '{skill_id}'",
                hint=f"did you mean: {', '.join(close)}" if close else "see: rolescope skills list",
            ) from None

    def __contains__(self, skill_id: object) -> bool:
        return skill_id in self._by_id


@lru_cache(maxsize=1)
def load_taxonomy() -> Taxonomy:
    """The shipped taxonomy (package data) with its crosswalk, validated once and cached."""
    package = resources.files(_PACKAGE)
    text = package.joinpath(SKILLS_FILE).read_text(encoding="utf-8")
    crosswalk = package.joinpath(CROSSWALK_FILE)
    derived = json.loads(crosswalk.read_text(encoding="utf-8")) if crosswalk.is_file() else None
    return parse_taxonomy(text, crosswalk=derived)


def load_taxonomy_from(path: Path, crosswalk_path: Path | None = None) -> Taxonomy:
    """Load and validate a taxonomy file; ``crosswalk_path`` is an optional derived crosswalk JSON."""
    derived = json.loads(read_text(crosswalk_path)) if crosswalk_path else None
    return parse_taxonomy(read_text(path), file=str(path), crosswalk=derived)


def parse_taxonomy(
    text: str, *, file: str = SKILLS_FILE, crosswalk: Mapping[str, Any] | None = None
) -> Taxonomy:
    """Validate YAML text into a Taxonomy; ``crosswalk`` (the derived JSON) replaces per-skill crosswalks.

    Every problem raises a one-line DataError naming ``file``, the skill id and the field.
    """
    raw = parse_yaml(text, file)
    taxonomy = validate(Taxonomy, raw, raw, file, _ROW_KINDS)
    _check_references(taxonomy, file)
    for field in ("prerequisites", "parents"):
        _check_acyclic(taxonomy, field, file)
    _check_surface_forms(taxonomy, file)
    return _merge_crosswalk(taxonomy, crosswalk) if crosswalk else taxonomy


def _check_references(taxonomy: Taxonomy, file: str) -> None:
    seen: set[str] = set()
    for skill in taxonomy.skills:
        if skill.id in seen:
            raise DataError(f"{file}: skill '{skill.id}': duplicate id")
        seen.add(skill.id)
    for skill in taxonomy.skills:
        for field in ("parents", "prerequisites"):
            for ref in getattr(skill, field):
                if ref not in seen:
                    raise DataError(f"{file}: skill '{skill.id}': {field} names unknown skill '{ref}'")
                if ref == skill.id:
                    raise DataError(f"{file}: skill '{skill.id}': {field} names the skill itself")


def _check_acyclic(taxonomy: Taxonomy, field: str, file: str) -> None:
    """Depth-first search over ``field`` edges; a back edge is a cycle, reported as its path."""
    edges = {skill.id: getattr(skill, field) for skill in taxonomy.skills}
    done: set[str] = set()
    for root in edges:
        path, pending = [], [(root, iter([root]))]
        while pending:
            ref = next(pending[-1][1], None)
            if ref is None:
                done.add(pending.pop()[0])
                path = path[:-1]
            elif ref in path:
                cycle = " -> ".join([*path[path.index(ref) :], ref])
                raise DataError(f"{file}: skill '{ref}': {field} form a cycle: {cycle}")
            elif ref not in done:
                path.append(ref)
                pending.append((ref, iter(edges[ref])))
        done.add(root)


def surface_key(form: str) -> str:
    """The form as the matcher sees it in any casing: casefolded, hyphens and spaces collapsed."""
    return re.sub(r"[\s\-]+", " ", form.casefold()).strip()


def _check_surface_forms(taxonomy: Taxonomy, file: str) -> None:
    """Each surface form belongs to one skill; forms matched in any casing are never common words."""
    folded: dict[str, str] = {}
    for skill in taxonomy.skills:
        for field, forms in (("name", [skill.name]), ("aliases", skill.aliases)):
            for form in forms:
                key = surface_key(form)
                if len(key) < 2 or key in COMMON_WORDS:
                    raise DataError(
                        f"{file}: skill '{skill.id}': {field}: {form!r} is a common word or too short "
                        "to match in any casing (list it under case_sensitive instead)"
                    )
                _claim(folded, key, skill.id, f"{file}: skill '{skill.id}': {field}: {form!r}")
    exact: dict[str, str] = {}
    for skill in taxonomy.skills:
        for form in skill.case_sensitive:
            where = f"{file}: skill '{skill.id}': case_sensitive: {form!r}"
            _claim(exact, form, skill.id, where)
            # A form matched in any casing elsewhere would also match this exact spelling.
            _claim(folded, surface_key(form), skill.id, where, missing_ok=True)


def _claim(owners: dict[str, str], key: str, skill_id: str, where: str, missing_ok: bool = False) -> None:
    owner = owners.get(key, skill_id) if missing_ok else owners.setdefault(key, skill_id)
    if owner != skill_id:
        raise DataError(f"{where} is already a surface form of skill '{owner}'")


def _merge_crosswalk(taxonomy: Taxonomy, derived: Mapping[str, Any]) -> Taxonomy:
    """The taxonomy with each skill's crosswalk taken from the derived JSON (where it has one)."""
    entries = derived.get("skills", {})
    skills = [
        skill.model_copy(update={"crosswalk": Crosswalk.from_derived(entries[skill.id])})
        if skill.id in entries
        else skill
        for skill in taxonomy.skills
    ]
    # A new instance rather than model_copy: the cached id index must see the merged skills.
    return Taxonomy(version=taxonomy.version, updated=taxonomy.updated, skills=skills)
