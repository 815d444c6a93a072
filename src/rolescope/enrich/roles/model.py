"""The role classifier: a calibrated linear model over posting text and skills, numpy at run time.

Training (``train.train_and_evaluate``; the ``train`` extra brings scikit-learn and SciPy) fits a
multinomial logistic regression on TF-IDF weighted terms from ``features.Featurizer``, then
calibrates it on a held-out slice with a temperature and one bias per role (fitted by minimising
log-loss). The shipped artifact is plain arrays (vocabulary, idf, weights, biases, temperature) in
one ``.npz`` with a JSON model card, so predicting needs numpy only and no pickle is ever loaded.

A prediction gives a probability for every role in the knowledge base (roles with too few labelled
postings to learn are listed in the card and get 0), a hybrid flag, the evidence for the top two
roles (the terms and skills whose weight pushed the posting there) and, when a title is given,
whether the title's role and the content disagree.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import tempfile
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from rolescope.enrich.roles.features import SKILL_PREFIXES, Featurizer
from rolescope.enrich.roles.titles import normalize_title
from rolescope.errors import DataError, NotReady
from rolescope.knowledge.roles import load_roles

if TYPE_CHECKING:
    from collections.abc import Iterable

    from rolescope.enrich.skills.extract import SkillMention

MODEL_DIR = Path(__file__).parent / "models"
DEFAULT_MODEL = MODEL_DIR / "role_classifier.npz"
MODEL_FORMAT = 1
ARRAYS = ("classes", "vocabulary", "idf", "coef", "intercept", "temperature", "bias")
# Hybrid: the hybrid role wins, or AI and ML engineering each hold at least this much probability.
HYBRID_MIN_SHARE = 0.2
# Title and content disagree when the content gives the title's role less than this.
DISAGREE_BELOW = 0.2
EVIDENCE_PER_ROLE = 6


def card_path_for(model_path: Path) -> Path:
    return model_path.with_suffix(".card.json")


@dataclass(frozen=True, slots=True)
class Evidence:
    role: str
    kind: str  # "phrase" or "skill"
    text: str
    weight: float

    def as_dict(self) -> dict[str, Any]:
        return {"role": self.role, "kind": self.kind, "text": self.text, "weight": round(self.weight, 4)}


@dataclass(slots=True)
class RolePrediction:
    role: str
    probabilities: dict[str, float]
    hybrid: bool
    evidence: list[Evidence] = field(default_factory=list)
    title_role: str | None = None
    title_disagrees: bool = False
    note: str | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "role": self.role,
            "probabilities": {k: round(v, 4) for k, v in self.probabilities.items()},
            "hybrid": self.hybrid,
            "evidence": [e.as_dict() for e in self.evidence],
        }
        if self.title_role is not None or self.note:
            out["title_role"] = self.title_role
            out["title_disagrees"] = self.title_disagrees
            if self.note:
                out["note"] = self.note
        return out


class Vectorizer:
    """Term counts -> sublinear TF-IDF, L2-normalised, over a fixed vocabulary."""

    def __init__(self, vocabulary: list[str], idf: np.ndarray) -> None:
        self.vocabulary = vocabulary
        self.index = {term: i for i, term in enumerate(vocabulary)}
        self.idf = idf.astype(np.float32)
        # Word pairs by the indices of their two words, so a posting's pairs are found with integer
        # arithmetic instead of building a string per pair. A pair whose words are not both in the
        # vocabulary (a handful, cut at the frequency boundary) is kept by its string.
        self._pairs: dict[int, int] = {}
        self._orphan_pairs: dict[str, int] = {}
        size = len(vocabulary)
        for term, j in self.index.items():
            if " " not in term or term.startswith(SKILL_PREFIXES):
                continue
            first, second = term.split(" ", 1)
            a, b = self.index.get(first), self.index.get(second)
            if a is None or b is None:
                self._orphan_pairs[term] = j
            else:
                self._pairs[a * size + b] = j

    def sparse(self, counts: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
        """(indices, values) of one posting's vector."""
        index = self.index
        pairs = [(j, c) for t, c in counts.items() if (j := index.get(t)) is not None]
        if not pairs:
            return np.zeros(0, np.int64), np.zeros(0, np.float32)
        idx = np.fromiter((p[0] for p in pairs), np.int64, len(pairs))
        tf = np.fromiter((p[1] for p in pairs), np.float32, len(pairs))
        return idx, self._weigh(idx, tf)

    def sparse_tokens(self, tokens: list[str], tagged: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
        """``sparse`` of the counts ``Featurizer`` gives: ``tokens``, their adjacent pairs and ``tagged``."""
        get, size = self.index.get, len(self.vocabulary)
        words = np.array(list(map(get, tokens, itertools.repeat(-1))), np.int64)  # -1: not in the vocabulary
        first, second = words[:-1], words[1:]
        known = (first >= 0) & (second >= 0)
        codes = (first[known] * size + second[known]).tolist()
        found = np.array(list(map(self._pairs.get, codes, itertools.repeat(-1))), np.int64)
        if self._orphan_pairs and not known.all():
            orphans = self._orphan_pairs.get
            rare = [orphans(f"{tokens[k]} {tokens[k + 1]}", -1) for k in np.flatnonzero(~known).tolist()]
            found = np.concatenate([found, np.array(rare, np.int64)])
        ids = np.concatenate([words[words >= 0], found[found >= 0]])
        idx, tf = np.unique(ids, return_counts=True)
        extra = [(j, c) for t, c in tagged.items() if (j := get(t)) is not None]
        if extra:
            idx = np.concatenate([idx, np.array([j for j, _ in extra], np.int64)])
            tf = np.concatenate([tf, np.array([c for _, c in extra], np.int64)])
        if not len(idx):
            return np.zeros(0, np.int64), np.zeros(0, np.float32)
        return idx, self._weigh(idx, tf.astype(np.float32))

    def _weigh(self, idx: np.ndarray, tf: np.ndarray) -> np.ndarray:
        values = (1.0 + np.log(tf)) * self.idf[idx]
        norm = float(np.sqrt(values @ values))
        return values / norm if norm else values


class RoleModel:
    """A trained role classifier loaded from its ``.npz`` artifact and card."""

    def __init__(
        self, arrays: dict[str, np.ndarray], card: dict[str, Any], featurizer: Featurizer | None = None
    ):
        self.card = card
        self.classes: list[str] = [str(c) for c in arrays["classes"]]
        self.all_roles: list[str] = list(card["all_roles"])
        self.vectorizer = Vectorizer([str(t) for t in arrays["vocabulary"]], arrays["idf"])
        self.coef = arrays["coef"].astype(np.float32)  # (classes, features)
        # Evidence reads each role's weight against the mean weight of all roles; computed once.
        self.coef_centered = self.coef - self.coef.mean(axis=0)
        self.intercept = arrays["intercept"].astype(np.float64)
        self.temperature = float(arrays["temperature"])
        self.bias = arrays["bias"].astype(np.float64)
        self.featurizer = featurizer or Featurizer()
        # The enrich step version: a new model or a new taxonomy re-reads every posting.
        self.version = f"{card['version']}+taxonomy.{card['taxonomy_version']}"

    # -- loading -------------------------------------------------------------------------------

    @classmethod
    def load(cls, path: Path = DEFAULT_MODEL) -> RoleModel:
        card_path = card_path_for(path)
        if not path.exists() or not card_path.exists():
            raise NotReady(
                f"no role model at {path}",
                hint="train one: rolescope roles train --db STORE (after ingesting postings)",
            )
        try:
            card = json.loads(card_path.read_text(encoding="utf-8"))
            with np.load(path, allow_pickle=False) as data:
                arrays = {name: data[name] for name in data.files}
            missing = sorted(set(ARRAYS) - set(arrays))
            if missing or not isinstance(card, dict):
                raise ValueError(f"missing {', '.join(missing) or 'a card object'}")
        except (OSError, ValueError, json.JSONDecodeError) as exc:
            raise DataError(
                f"cannot read role model {path}: {exc}", hint="retrain: rolescope roles train --db STORE"
            ) from None
        featurizer = Featurizer()
        problem = check_card(card, featurizer.taxonomy_version)
        if problem:
            raise NotReady(
                f"role model {path.name}: {problem}", hint="retrain it: rolescope roles train --db STORE"
            )
        try:
            return cls(arrays, card, featurizer)
        except (KeyError, ValueError, TypeError, IndexError) as exc:
            raise DataError(
                f"role model {path} does not fit its card ({exc})",
                hint="retrain: rolescope roles train --db STORE",
            ) from None

    # -- prediction ----------------------------------------------------------------------------

    def logits(self, idx: np.ndarray, values: np.ndarray) -> np.ndarray:
        raw = self.coef[:, idx] @ values + self.intercept if len(idx) else self.intercept.copy()
        return raw / self.temperature + self.bias

    def predict(
        self, text: str, title: str | None = None, mentions: Iterable[SkillMention] | None = None
    ) -> RolePrediction:
        """Read ``text``; ``title`` is only compared with the result, it never changes a probability.

        (Training blanks each posting's title from its text so labels taken from titles cannot
        leak; at prediction nothing is blanked, so a given title cannot move the probabilities.)
        ``mentions``: the dictionary extractor's mentions of ``text`` when already at hand (the
        skills step of ``rolescope enrich`` stores them), so they are not extracted twice.
        """
        idx, values = self.vectorizer.sparse_tokens(*self.featurizer.parts(text, mentions=mentions))
        probs = softmax(self.logits(idx, values))
        by_role = {role: 0.0 for role in self.all_roles}
        by_role.update({role: float(p) for role, p in zip(self.classes, probs, strict=True)})
        order = np.argsort(-probs)
        top = self.classes[int(order[0])]
        prediction = RolePrediction(top, by_role, self._hybrid(by_role, top))
        for k in order[:2]:
            prediction.evidence += self._evidence(int(k), idx, values)
        if title:
            self._compare_title(prediction, title)
        return prediction

    @staticmethod
    def _hybrid(p: dict[str, float], top: str) -> bool:
        if top == "ai_ml_hybrid":
            return True
        ai, ml, both = p.get("ai_engineer", 0.0), p.get("ml_engineer", 0.0), p.get("ai_ml_hybrid", 0.0)
        return min(ai, ml) >= HYBRID_MIN_SHARE or (
            both >= HYBRID_MIN_SHARE and max(ai, ml) >= HYBRID_MIN_SHARE
        )

    def _evidence(self, k: int, idx: np.ndarray, values: np.ndarray) -> list[Evidence]:
        if not len(idx):
            return []
        # What pushed this role above the others: its weight minus the mean weight of all roles.
        contribution = self.coef_centered[k, idx] * values
        role = self.classes[k]
        out: list[Evidence] = []
        seen: set[str] = set()
        for j in np.lexsort((idx, -contribution)):  # ties in vocabulary order, however idx was built
            if contribution[j] <= 0 or len(out) >= EVIDENCE_PER_ROLE:
                break
            term = self.vectorizer.vocabulary[int(idx[j])]
            kind, text = self._describe(term)
            key = text.casefold().split(" (")[0]  # "pytorch", "PyTorch" and "PyTorch (required)" once
            if key in seen:
                continue
            seen.add(key)
            out.append(Evidence(role, kind, text, float(contribution[j])))
        return out

    def _describe(self, term: str) -> tuple[str, str]:
        for prefix in SKILL_PREFIXES:
            if term.startswith(prefix):
                value = term[len(prefix) :]
                if prefix == "cat:":
                    return "skill", f"{value} skills"
                if prefix == "kw:":
                    return "phrase", f"the text names the role: {role_name(value)}"
                name = self.featurizer.skill_names.get(value, value)
                return "skill", name + {"req:": " (required)", "resp:": " (in the duties)"}.get(prefix, "")
        return "phrase", term

    def _compare_title(self, prediction: RolePrediction, title: str) -> None:
        named = normalize_title(title)
        prediction.title_role = named.role
        if named.role is None:
            prediction.note = f"the title names no single role ({named.reason})"
            return
        if named.role not in self.classes:
            prediction.note = (
                f"the title names {role_name(named.role)}, which this model does not score "
                "(too few labelled postings to learn it)"
            )
            return
        content_p = prediction.probabilities.get(named.role, 0.0)
        if named.role != prediction.role and content_p < DISAGREE_BELOW:
            prediction.title_disagrees = True
            prediction.note = (
                f"titled {role_name(named.role)}, reads as {role_name(prediction.role)} "
                f"({prediction.probabilities[prediction.role]:.0%} vs {content_p:.0%})"
            )


def log_softmax(z: np.ndarray) -> np.ndarray:
    """Log-probabilities over the last axis (one posting or a matrix of them), computed stably."""
    z = z - z.max(axis=-1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=-1, keepdims=True))


def softmax(z: np.ndarray) -> np.ndarray:
    return np.exp(log_softmax(z))


def model_file(path: Path) -> Path:
    """``path`` as the model file: numpy's ``savez`` adds ".npz" to a name without it, so do the same."""
    return path if path.suffix == ".npz" else path.with_name(path.name + ".npz")


def role_name(role_id: str) -> str:
    """The knowledge base's display name of a role id (the id itself when unknown)."""
    return next((role.name for role in load_roles().roles if role.id == role_id), role_id)


def check_card(card: dict[str, Any], taxonomy_version: str) -> str | None:
    """Why a model card does not fit this installation, or ``None`` when it does."""
    if card.get("format") != MODEL_FORMAT:
        return (
            f"it was written in model format {card.get('format')}, this release reads format {MODEL_FORMAT}"
        )
    patterns = card.get("title_patterns_hash")
    if patterns != title_patterns_hash():
        return (
            "it was trained with other role title patterns (knowledge/roles.yaml changed), "
            "which its role-name features depend on"
        )
    trained_on = card.get("taxonomy_version")
    if trained_on != taxonomy_version:
        return (
            f"it was trained with skill taxonomy {trained_on}, the installed taxonomy is {taxonomy_version}"
        )
    return None


@cache
def title_patterns_hash() -> str:
    """A short hash of every role's title patterns: the labels and the ``kw:`` features use them."""
    joined = "\n".join(f"{role.id}\t{p}" for role in load_roles().roles for p in role.title_patterns)
    return hashlib.sha256(joined.encode()).hexdigest()[:16]


@cache
def default_model() -> RoleModel:
    return RoleModel.load(DEFAULT_MODEL)


def expected_calibration_error(probs: np.ndarray, labels: np.ndarray, bins: int = 15) -> float:
    """Top-label ECE: mean |accuracy - confidence| over equal-width confidence bins, weighted by size."""
    confidence = probs.max(axis=1)
    correct = (probs.argmax(axis=1) == labels).astype(float)
    edges = np.linspace(0.0, 1.0, bins + 1)
    total = 0.0
    for lo, hi in itertools.pairwise(edges):
        mask = (confidence > lo) & (confidence <= hi)
        if mask.any():
            total += mask.mean() * abs(correct[mask].mean() - confidence[mask].mean())
    return float(total)


def save_model(fitted: Any, report: dict[str, Any], path: Path, extra: dict[str, Any]) -> Path:
    """Write the arrays and the model card, both or neither; returns the card's path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, staged_name = tempfile.mkstemp(dir=path.parent, prefix=".staged-", suffix=".npz")
    os.close(handle)
    staged_model = Path(staged_name)  # numpy would append ".npz" to a name without it
    staged_card = card_path_for(path).with_name(card_path_for(path).name + ".tmp")
    try:
        return _write_pair(fitted, report, path, extra, staged_model, staged_card)
    finally:
        staged_model.unlink(missing_ok=True)
        staged_card.unlink(missing_ok=True)


def _write_pair(
    fitted: Any,
    report: dict[str, Any],
    path: Path,
    extra: dict[str, Any],
    staged_model: Path,
    staged_card: Path,
) -> Path:
    from importlib.metadata import version as package_version

    np.savez_compressed(
        staged_model,
        classes=np.array(fitted.classes),
        vocabulary=np.array(fitted.vectorizer.vocabulary),
        idf=fitted.vectorizer.idf,
        coef=fitted.coef.astype(np.float32),
        intercept=fitted.intercept,
        temperature=np.array(fitted.temperature),
        bias=fitted.bias,
    )
    digest = hashlib.sha256(staged_model.read_bytes()).hexdigest()[:8]
    all_roles = [role.id for role in load_roles().roles]
    counts = report["label_counts"]
    card = {
        "format": MODEL_FORMAT,
        "version": f"roles.linear.v{MODEL_FORMAT}+{extra['trained_on']}.{digest}",
        "title_patterns_hash": title_patterns_hash(),
        "taxonomy_version": report["taxonomy_version"],
        "all_roles": all_roles,
        "classes": fitted.classes,
        "not_modelled": {r: counts.get(r, 0) for r in all_roles if r not in fitted.classes},
        "model": {
            "kind": "multinomial logistic regression on sublinear TF-IDF terms and skill features, "
            "then temperature and per-role bias calibration",
            "C": fitted.c,
            "class_weight": fitted.class_weight,
            "temperature": round(fitted.temperature, 4),
            "features": len(fitted.vectorizer.vocabulary),
        },
        "labels": "role from the title normalizer (rolescope.enrich.roles.titles); postings whose title "
        "names no single role are left out; in training and scoring each title is blanked from its "
        "description; predictions never read the title",
        "hybrid_rule": f"top role is ai_ml_hybrid, or AI and ML engineering each get >= {HYBRID_MIN_SHARE}, "
        f"or the hybrid and one of them each get >= {HYBRID_MIN_SHARE}",
        "library_versions": {name: package_version(name) for name in ("numpy", "scikit-learn", "scipy")},
        **extra,
        "metrics": report,
    }
    card_path = card_path_for(path)
    staged_card.write_text(json.dumps(card, indent=1) + "\n", encoding="utf-8")
    # Both files are complete before either replaces the old pair.
    os.replace(staged_model, path)
    os.replace(staged_card, card_path)
    return card_path
