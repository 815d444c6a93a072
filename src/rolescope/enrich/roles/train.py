"""Train and evaluate the role classifier on the postings in a store.

Labels come from the title normalizer; postings whose title names no single role are left out of
training and scoring (they are still classified). Four held-out evaluations, each with its own
model trained the same way:

- ``source_id``: a deterministic hash of (source, source_id) puts 20% of postings in test, 15% in
  validation (model selection and calibration) and the rest in train. Reposts were already folded
  by ingest, so one ad cannot sit on both sides. The shipped model is this split's model, so its
  card's figures are measured on that very model.
- ``company``: the same proportions, hashed by employer, so one company's boilerplate (benefits,
  "about us") cannot sit in train and test at once.
- ``time``: train on postings before the month by which 80% of dated labelled postings were
  posted, test on the rest (undated postings train).
- ``source``: train on every source but the LinkedIn AI/ML set, test on it (a different site,
  cleanly titled): how well the model travels.

Baselines scored on the same test postings: the majority class; a keyword rule (each role's title
patterns counted in the description, most hits wins, none gives ``other``); and the cosine to each
role's centroid of skill features. ``benchmarks/roles.py`` adds zero-shot MiniLM similarity.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from rolescope.enrich.roles.features import SKILL_PREFIXES, Featurizer
from rolescope.enrich.roles.model import (
    MODEL_FORMAT,
    Vectorizer,
    expected_calibration_error,
    log_softmax,
    softmax,
)
from rolescope.enrich.roles.titles import normalize_title
from rolescope.errors import NotReady

MIN_CLASS_TRAIN = 30  # a role needs this many training postings to be modelled
MIN_CLASS_SCORED = 50  # macro-F1 is over roles with at least this many labelled postings
MIN_TEXT_CHARS = 200
MIN_DF = 3
MAX_FEATURES = 60_000
C_GRID = (2.0, 8.0, 32.0)
CLASS_WEIGHT = "balanced"  # unweighted fits lost on validation macro-F1 every time they were tried
TIME_TEST_SHARE = 0.2
# The LinkedIn AI/ML listings (Kaggle, kanchana1990): matched inside the store's source label.
HELD_OUT_SOURCE = "kanchana1990/ai-and-ml-job-listings-usa"
ProgressFn = Callable[[str], None]


@dataclass(slots=True)
class Labelled:
    posting_id: str
    source: str
    source_id: str
    title: str
    text: str
    posted_at: date | None
    label: str
    features: Counter[str]
    company: str = ""


def _bucket(source: str, source_id: str) -> int:
    digest = hashlib.sha1(f"{source}\x1f{source_id}".encode()).digest()
    return int.from_bytes(digest[:4], "big") % 100


def in_source_id_test(source: str, source_id: str) -> bool:
    """Whether a posting falls in the ``source_id`` split's test fifth (the shipped model's held-out set)."""
    return _bucket(source, source_id) < 20


def source_id_test_postings(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The store rows (``canonical_postings``) that the card's ``source_id`` split scores on: long
    enough, in the test fifth, and with a title naming one role, each with that role as "label"."""
    out = []
    for row in rows:
        text = row["description"] or ""
        held_out = in_source_id_test(row["source"] or "", row["source_id"] or row["posting_id"])
        if len(text) < MIN_TEXT_CHARS or not held_out:
            continue
        label = normalize_title(row["title"]).role
        if label is not None:
            out.append({**row, "label": label})
    return out


def split_by_source_id(items: Sequence[Labelled]) -> tuple[list[int], list[int], list[int]]:
    train, val, test = [], [], []
    for i, item in enumerate(items):
        b = _bucket(item.source, item.source_id)
        (test if in_source_id_test(item.source, item.source_id) else val if b < 35 else train).append(i)
    return train, val, test


def split_by_company(items: Sequence[Labelled]) -> tuple[list[int], list[int], list[int]]:
    """Like ``split_by_source_id`` but by employer: one company's ads never sit on both sides.

    Companies reuse boilerplate across ads (benefits, "about us", team blurbs) that the source_id
    split can put in train and test at once; this split cannot. Postings without a company fall
    back to their own id.
    """
    train, val, test = [], [], []
    for i, item in enumerate(items):
        key = " ".join(item.company.lower().split()) or f"{item.source}:{item.source_id}"
        b = _bucket("company", key)
        (test if b < 20 else val if b < 35 else train).append(i)
    return train, val, test


def _train_val(items: Sequence[Labelled], pool: list[int]) -> tuple[list[int], list[int]]:
    val = [i for i in pool if _bucket(items[i].source, items[i].source_id) % 100 < 18]
    chosen = set(val)
    return [i for i in pool if i not in chosen], val


def split_by_time(items: Sequence[Labelled]) -> tuple[list[int], list[int], list[int], str] | None:
    """Test on the latest fifth of dated postings; ``None`` when nothing is dated."""
    dated = sorted(item.posted_at for item in items if item.posted_at is not None)
    if not dated:
        return None
    cutoff = dated[int(len(dated) * (1 - TIME_TEST_SHARE))]
    cutoff = cutoff.replace(day=1)
    test = [i for i, item in enumerate(items) if item.posted_at is not None and item.posted_at >= cutoff]
    rest = [i for i, item in enumerate(items) if item.posted_at is None or item.posted_at < cutoff]
    train, val = _train_val(items, rest)
    return train, val, test, cutoff.isoformat()


def split_by_source(items: Sequence[Labelled]) -> tuple[list[int], list[int], list[int]]:
    test = [i for i, item in enumerate(items) if HELD_OUT_SOURCE in item.source]
    rest = [i for i, item in enumerate(items) if HELD_OUT_SOURCE not in item.source]
    train, val = _train_val(items, rest)
    return train, val, test


# ---------------------------------------------------------------------------------------------
# Loading


def load_labelled(rows: dict[str, list[Any]], featurizer: Featurizer, progress: ProgressFn) -> list[Labelled]:
    items: list[Labelled] = []
    total = len(rows["posting_id"])
    companies = rows.get("company") or [None] * total
    for n, (pid, source, sid, title, text, posted, company) in enumerate(
        zip(
            rows["posting_id"],
            rows["source"],
            rows["source_id"],
            rows["title"],
            rows["description"],
            rows["posted_at"],
            companies,
            strict=True,
        ),
        1,
    ):
        if n % 2000 == 0:
            progress(f"reading postings {n:,}/{total:,}")
        if not text or len(text) < MIN_TEXT_CHARS:
            continue
        label = normalize_title(title).role
        if label is None:
            continue
        items.append(
            Labelled(
                pid,
                source or "",
                sid or pid,
                title,
                text,
                posted,
                label,
                featurizer(text, title),
                company or "",
            )
        )
    return items


# ---------------------------------------------------------------------------------------------
# Fitting


def build_vectorizer(docs: Sequence[Counter[str]]) -> Vectorizer:
    df: Counter[str] = Counter()
    for doc in docs:
        df.update(doc.keys())
    n = len(docs)
    kept = [t for t, c in df.items() if c >= (2 if t.startswith(SKILL_PREFIXES) else MIN_DF)]
    kept.sort(key=lambda t: (-df[t], t))
    kept = sorted(kept[:MAX_FEATURES])
    idf = np.array([np.log((1 + n) / (1 + df[t])) + 1.0 for t in kept], dtype=np.float32)
    return Vectorizer(kept, idf)


def matrix(vectorizer: Vectorizer, docs: Sequence[Counter[str]]) -> Any:
    from scipy.sparse import csr_matrix

    indptr, indices, data = [0], [], []
    for doc in docs:
        idx, values = vectorizer.sparse(doc)
        indices.append(idx)
        data.append(values)
        indptr.append(indptr[-1] + len(idx))
    return csr_matrix(
        (
            np.concatenate(data) if data else np.zeros(0),
            np.concatenate(indices) if indices else np.zeros(0, int),
            np.array(indptr),
        ),
        shape=(len(docs), len(vectorizer.vocabulary)),
    )


def fit_calibration(logits: np.ndarray, labels: np.ndarray) -> tuple[float, np.ndarray]:
    """Temperature and per-class bias minimising log-loss of softmax(logits / T + b)."""
    from scipy.optimize import minimize

    k = logits.shape[1]

    def loss(params: np.ndarray) -> float:
        t = np.exp(params[0])
        log_p = log_softmax(logits / t + params[1:])
        # A small ridge keeps the biases finite for classes the slice barely holds.
        return float(-log_p[np.arange(len(labels)), labels].mean() + 1e-3 * (params[1:] ** 2).sum())

    result = minimize(loss, np.zeros(k + 1), method="L-BFGS-B")
    return float(np.exp(result.x[0])), np.asarray(result.x[1:], dtype=np.float64)


@dataclass(slots=True)
class Fitted:
    vectorizer: Vectorizer
    classes: list[str]
    coef: np.ndarray
    intercept: np.ndarray
    temperature: float
    bias: np.ndarray
    c: float
    class_weight: str | None

    def probabilities(self, docs: Sequence[Counter[str]]) -> np.ndarray:
        x = matrix(self.vectorizer, docs)
        raw = np.asarray(x @ self.coef.T) + self.intercept
        return softmax(raw / self.temperature + self.bias)


def fit(items: Sequence[Labelled], train: list[int], val: list[int], progress: ProgressFn) -> Fitted:
    from sklearn.linear_model import LogisticRegression

    counts = Counter(items[i].label for i in train)
    classes = sorted(role for role, n in counts.items() if n >= MIN_CLASS_TRAIN)
    if len(classes) < 2:
        raise NotReady(
            f"too few labelled postings to train: {dict(counts)}",
            hint="ingest more postings (rolescope ingest ../shared/data/postings/*.jsonl.gz)",
        )
    position = {role: k for k, role in enumerate(classes)}
    train = [i for i in train if items[i].label in position]
    val = [i for i in val if items[i].label in position]
    vectorizer = build_vectorizer([items[i].features for i in train])
    x_train = matrix(vectorizer, [items[i].features for i in train])
    x_val = matrix(vectorizer, [items[i].features for i in val])
    y_train = np.array([position[items[i].label] for i in train])
    y_val = np.array([position[items[i].label] for i in val])
    best: tuple[float, Any, float] | None = None
    for c in C_GRID:
        progress(f"fitting C={c} class_weight={CLASS_WEIGHT}")
        model = LogisticRegression(C=c, max_iter=3000, class_weight=CLASS_WEIGHT)
        model.fit(x_train, y_train)
        score = macro_f1(y_val, model.predict(x_val), range(len(classes)))
        if best is None or score > best[0]:
            best = (score, model, c)
    assert best is not None
    _, model, c = best
    coef, intercept = model.coef_, model.intercept_
    if coef.shape[0] == 1:  # two classes: scikit-learn keeps one logit; make it two, symmetric
        coef, intercept = np.vstack([-coef / 2, coef / 2]), np.array([-intercept[0] / 2, intercept[0] / 2])
    logits = np.asarray(x_val @ coef.T) + intercept
    temperature, bias = fit_calibration(logits, y_val)
    return Fitted(
        vectorizer,
        classes,
        coef.astype(np.float32),
        intercept.astype(np.float64),
        temperature,
        bias,
        c,
        CLASS_WEIGHT,
    )


# ---------------------------------------------------------------------------------------------
# Scoring


def _outcomes(y_true: np.ndarray, y_pred: np.ndarray, k: Any) -> tuple[int, int, int]:
    """True positives, false positives and false negatives of class ``k``."""
    tp = int(((y_pred == k) & (y_true == k)).sum())
    fp = int(((y_pred == k) & (y_true != k)).sum())
    fn = int(((y_pred != k) & (y_true == k)).sum())
    return tp, fp, fn


def _f1(tp: int, fp: int, fn: int) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0


def macro_f1(y_true: np.ndarray, y_pred: np.ndarray, labels: Any) -> float:
    scores = [_f1(*_outcomes(y_true, y_pred, k)) for k in labels]
    return float(np.mean(scores)) if scores else 0.0


def score(
    truth: list[str],
    predicted: list[str],
    probs: np.ndarray | None,
    classes: list[str],
    scored_roles: list[str],
    scores: np.ndarray | None = None,
    score_classes: list[str] | None = None,
) -> dict[str, Any]:
    """Macro-F1 over ``scored_roles``, per-role P/R/F1, confusion, AI-vs-ML balanced accuracy, ECE."""
    names = sorted(set(truth) | set(predicted) | set(classes))
    index = {r: k for k, r in enumerate(names)}
    y_true = np.array([index[t] for t in truth])
    y_pred = np.array([index[p] for p in predicted])
    per_role = {}
    for role in names:
        tp, fp, fn = _outcomes(y_true, y_pred, index[role])
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        per_role[role] = {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(_f1(tp, fp, fn), 4),
            "support": tp + fn,
        }
    confusion = {
        t: dict(Counter(p for tt, p in zip(truth, predicted, strict=True) if tt == t)) for t in names
    }
    out: dict[str, Any] = {
        "n": len(truth),
        "macro_f1": round(float(np.mean([per_role.get(r, {"f1": 0.0})["f1"] for r in scored_roles])), 4),
        "scored_roles": scored_roles,
        "accuracy": round(float((y_true == y_pred).mean()), 4) if len(truth) else 0.0,
        "per_role": per_role,
        "confusion": confusion,
        "ai_vs_ml": ai_vs_ml(truth, scores if scores is not None else probs, score_classes or classes),
    }
    if probs is not None:
        labels = np.array([classes.index(t) if t in classes else -1 for t in truth])
        out["ece"] = round(expected_calibration_error(probs, labels), 4)
    return out


def ai_vs_ml(truth: list[str], scores: np.ndarray | None, classes: list[str]) -> dict[str, Any]:
    """Balanced accuracy on postings titled AI or ML engineer: does the method score the right one higher?

    Every method is judged by the same rule: its score for AI engineering against its score for
    ML engineering (probabilities, keyword hits, cosines). A tie, or a method with no scores for
    the two roles (the majority class), earns half a point, which is what a coin would get.
    """
    pairs = [(i, t) for i, t in enumerate(truth) if t in ("ai_engineer", "ml_engineer")]
    if not pairs:
        return {"n": 0, "n_ai": 0, "n_ml": 0, "balanced_accuracy": None}
    usable = scores is not None and "ai_engineer" in classes and "ml_engineer" in classes
    hits: dict[str, list[float]] = {"ai_engineer": [], "ml_engineer": []}
    for i, t in pairs:
        if not usable:
            hits[t].append(0.5)
            continue
        ai, ml = scores[i, classes.index("ai_engineer")], scores[i, classes.index("ml_engineer")]
        said = "tie" if ai == ml else "ai_engineer" if ai > ml else "ml_engineer"
        hits[t].append(0.5 if said == "tie" else float(said == t))
    recalls = [float(np.mean(v)) for v in hits.values() if v]
    return {
        "n": len(pairs),
        "n_ai": len(hits["ai_engineer"]),
        "n_ml": len(hits["ml_engineer"]),
        "balanced_accuracy": round(float(np.mean(recalls)), 4),
    }


# ---------------------------------------------------------------------------------------------
# Baselines


def keyword_rule(items: Sequence[Labelled], test: list[int]) -> tuple[list[str], np.ndarray, list[str]]:
    """Most title-pattern hits in the (title-blanked) description wins; none gives "other"."""
    from rolescope.enrich.roles.features import mask_title
    from rolescope.knowledge.roles import canonical_title, load_roles

    roles = [r for r in load_roles().roles if r.title_patterns]
    names = [r.id for r in roles]
    out, scores = [], np.zeros((len(test), len(roles)))
    for row, i in enumerate(test):
        text = canonical_title(mask_title(items[i].text, items[i].title))
        scores[row] = [sum(len(re.findall(p, text)) for p in r.title_patterns) for r in roles]
        best = int(scores[row].argmax())
        out.append(names[best] if scores[row, best] else "other")
    return out, scores, names


def skill_centroids(
    items: Sequence[Labelled], train: list[int], test: list[int]
) -> tuple[list[str], np.ndarray, list[str]]:
    """Nearest role centroid (cosine) of binary skill vectors; a posting with no skill gets "other"."""

    def skills(i: int) -> set[str]:
        return {t for t in items[i].features if t.startswith("skill:")}

    vocab = sorted({t for i in train for t in skills(i)})
    pos = {t: k for k, t in enumerate(vocab)}
    by_role: dict[str, np.ndarray] = {}
    counts: Counter[str] = Counter()
    for i in train:
        vec = by_role.setdefault(items[i].label, np.zeros(len(vocab)))
        for t in skills(i):
            vec[pos[t]] += 1
        counts[items[i].label] += 1
    roles = sorted(by_role)
    centroids = np.vstack([by_role[r] / counts[r] for r in roles])
    centroids /= np.linalg.norm(centroids, axis=1, keepdims=True) + 1e-12
    out, scores = [], np.zeros((len(test), len(roles)))
    for row, i in enumerate(test):
        v = np.zeros(len(vocab))
        for t in skills(i):
            if t in pos:
                v[pos[t]] = 1
        scores[row] = centroids @ v
        out.append(roles[int(np.argmax(scores[row]))] if v.any() else "other")
    return out, scores, roles


def evaluate_split(
    items: Sequence[Labelled],
    train: list[int],
    val: list[int],
    test: list[int],
    scored_roles: list[str],
    progress: ProgressFn,
) -> tuple[Fitted, dict[str, Any]]:
    fitted = fit(items, train, val, progress)
    probs = fitted.probabilities([items[i].features for i in test])
    truth = [items[i].label for i in test]
    predicted = [fitted.classes[int(k)] for k in probs.argmax(axis=1)]
    majority = Counter(items[i].label for i in train).most_common(1)[0][0]
    within = _without_other(truth, probs, fitted.classes, [r for r in scored_roles if r != "other"])
    rule, rule_scores, rule_roles = keyword_rule(items, test)
    nearest, cosines, centroid_roles = skill_centroids(items, train, test)
    report = {
        "n_train": len(train),
        "n_validation": len(val),
        "n_test": len(test),
        "model": score(truth, predicted, probs, fitted.classes, scored_roles),
        "baselines": {
            "majority": score(truth, [majority] * len(test), None, fitted.classes, scored_roles),
            "keyword_rule": score(truth, rule, None, fitted.classes, scored_roles, rule_scores, rule_roles),
            "skill_centroids": score(
                truth, nearest, None, fitted.classes, scored_roles, cosines, centroid_roles
            ),
        },
        "model_without_other": within,
        "chosen": {
            "C": fitted.c,
            "class_weight": fitted.class_weight,
            "temperature": round(fitted.temperature, 4),
        },
    }
    return fitted, report


def _without_other(
    truth: list[str], probs: np.ndarray, classes: list[str], scored_roles: list[str]
) -> dict[str, Any] | None:
    """Scores on postings titled as an AI/ML or data role, choosing among those roles only.

    This separates two questions the full score mixes: is the posting AI/ML work at all (where the
    title-derived "other" label is noisiest), and if it is, which role it reads as.
    """
    if "other" not in classes:
        return None
    keep = [i for i, t in enumerate(truth) if t != "other"]
    if not keep:
        return None
    sub = probs[keep].copy()
    sub[:, classes.index("other")] = 0.0
    sub /= sub.sum(axis=1, keepdims=True)
    predicted = [classes[int(k)] for k in sub.argmax(axis=1)]
    result = score([truth[i] for i in keep], predicted, sub, classes, scored_roles)
    return {k: result[k] for k in ("n", "macro_f1", "accuracy", "per_role", "confusion", "ece")}


def train_and_evaluate(
    rows: dict[str, list[Any]], progress: ProgressFn = lambda _: None
) -> tuple[Fitted, dict[str, Any], list[Labelled]]:
    """Fit on the source_id split, evaluate every split; returns the shipped fit and the report."""
    started = time.perf_counter()
    featurizer = Featurizer()
    items = load_labelled(rows, featurizer, progress)
    if not items:
        raise NotReady(
            "the store holds no postings with a title that names one role",
            hint="ingest postings first: rolescope ingest ../shared/data/postings/*.jsonl.gz",
        )
    label_counts = Counter(item.label for item in items)
    scored = sorted(r for r, n in label_counts.items() if n >= MIN_CLASS_SCORED)
    report: dict[str, Any] = {
        "labelled_postings": len(items),
        "postings_read": len(rows["posting_id"]),
        "label_counts": dict(label_counts.most_common()),
        "scored_roles": scored,
        "splits": {},
    }
    train, val, test = split_by_source_id(items)
    progress("source_id split")
    shipped, report["splits"]["source_id"] = evaluate_split(items, train, val, test, scored, progress)
    train, val, test = split_by_company(items)
    progress("company split")
    _, report["splits"]["company"] = evaluate_split(items, train, val, test, scored, progress)
    by_time = split_by_time(items)
    if by_time is None:
        report["splits_skipped"] = {"time": "no posting has a date"}
    else:
        train, val, test, cutoff = by_time
        progress("time split")
        _, report["splits"]["time"] = evaluate_split(items, train, val, test, scored, progress)
        report["splits"]["time"]["test_from"] = cutoff
    held_out = sum(HELD_OUT_SOURCE in item.source for item in items)
    if 0 < held_out < len(items):
        train, val, test = split_by_source(items)
        progress("source split")
        _, report["splits"]["source"] = evaluate_split(items, train, val, test, scored, progress)
        report["splits"]["source"]["test_source"] = HELD_OUT_SOURCE
    report["seconds"] = round(time.perf_counter() - started, 1)
    report["format"] = MODEL_FORMAT
    report["taxonomy_version"] = featurizer.taxonomy_version
    return shipped, report, items
