"""Role classifier pieces that need no trained model: features, vectors, calibration, scoring, splits."""

from __future__ import annotations

from collections import Counter
from datetime import date

import numpy as np
import pytest

from rolescope.enrich.roles.features import Featurizer, mask_title, text_terms
from rolescope.enrich.roles.model import (
    MODEL_FORMAT,
    RoleModel,
    Vectorizer,
    check_card,
    expected_calibration_error,
    softmax,
    title_patterns_hash,
)
from rolescope.enrich.roles.train import (
    Labelled,
    ai_vs_ml,
    fit_calibration,
    macro_f1,
    split_by_company,
    split_by_source,
    split_by_source_id,
    split_by_time,
)


def test_title_is_blanked_in_the_description_whatever_its_case() -> None:
    text = "Senior ML Engineer\nWe want a senior ml engineer who ships models."
    masked = mask_title(text, "Senior ML Engineer")
    assert len(masked) == len(text) and "ml engineer" not in masked.lower()
    assert mask_title(text, None) == text
    assert mask_title(text, "ML") == text  # titles under three characters would blank common words
    # Lowercasing "İ" adds a character, so offsets differ: the regex path must still blank the title.
    assert mask_title("İstanbul: ML Engineer wanted", "ml engineer") == "İstanbul:             wanted"


def test_text_terms_drop_stop_words_and_pair_neighbours() -> None:
    assert text_terms("We build the RAG pipelines with LangChain.") == [
        "build",
        "rag",
        "pipelines",
        "langchain",
        "build rag",
        "rag pipelines",
        "pipelines langchain",
    ]


def test_featurizer_adds_skills_sections_and_role_cues() -> None:
    features = Featurizer()(
        "Requirements:\n- 3+ years of PyTorch\n\nYou will join our machine learning engineers.",
        "Staff Engineer",
    )
    assert features["skill:pytorch"] == 1 and features["req:pytorch"] == 1
    assert features["kw:ml_engineer"] == 1
    assert not any(term.startswith("skill:") and "not" in term for term in features)


def test_vectorizer_is_sublinear_tfidf_with_unit_norm() -> None:
    vec = Vectorizer(["a", "b", "c"], np.array([1.0, 2.0, 1.0]))
    idx, values = vec.sparse(Counter({"a": 1, "b": np.e, "zzz": 4}))
    assert list(idx) == [0, 1]
    raw = np.array([1.0, 2.0 * 2.0])  # (1 + ln tf) * idf
    assert np.allclose(values, raw / np.linalg.norm(raw))
    assert vec.sparse(Counter({"unknown": 1}))[0].size == 0


def test_ece_is_zero_when_confidence_matches_accuracy_and_large_when_overconfident() -> None:
    probs = np.array([[0.75, 0.25]] * 4)
    assert expected_calibration_error(probs, np.array([0, 0, 0, 1])) == pytest.approx(0.0)
    assert expected_calibration_error(np.array([[0.99, 0.01]] * 4), np.array([1, 1, 1, 1])) == pytest.approx(
        0.99
    )


def test_calibration_recovers_a_known_temperature() -> None:
    rng = np.random.default_rng(0)
    true_logits = rng.normal(0, 2, size=(4000, 3))
    labels = np.array([rng.choice(3, p=softmax(z)) for z in true_logits])
    temperature, bias = fit_calibration(true_logits * 3.0, labels)  # a model three times overconfident
    assert temperature == pytest.approx(3.0, rel=0.15)
    assert np.abs(bias).max() < 0.2


def test_macro_f1_and_ai_vs_ml_balanced_accuracy() -> None:
    y = np.array([0, 0, 1, 1])
    assert macro_f1(y, np.array([0, 0, 1, 1]), [0, 1]) == 1.0
    assert macro_f1(y, np.array([0, 0, 0, 0]), [0, 1]) == pytest.approx((2 / 3 + 0) / 2)
    truth = ["ai_engineer", "ai_engineer", "ml_engineer", "ml_engineer", "ml_engineer", "other"]
    classes = ["ai_engineer", "ml_engineer", "other"]
    # Scores, not labels, decide: row 1 ranks AI above ML although "other" is its top score.
    scores = np.array(
        [[0.6, 0.3, 0.1], [0.1, 0.2, 0.7], [0.2, 0.5, 0.3], [0.1, 0.1, 0.8], [0.3, 0.4, 0.3], [1, 0, 0]]
    )
    result = ai_vs_ml(truth, scores, classes)
    # AI: one right, one wrong -> 0.5; ML: right, tie (half a point), right -> 2.5 / 3.
    assert result == {"n": 5, "n_ai": 2, "n_ml": 3, "balanced_accuracy": round((0.5 + 2.5 / 3) / 2, 4)}
    # No scores (the majority class) is a coin: 0.5 whatever the labels.
    assert ai_vs_ml(truth, None, classes)["balanced_accuracy"] == 0.5


def _item(i: int, posted: date | None = None) -> Labelled:
    return Labelled(f"p{i}", "src", str(i), "t", "x" * 300, posted, "other", Counter())


def test_splits_are_deterministic_and_disjoint() -> None:
    items = [_item(i) for i in range(2000)]
    first, again = split_by_source_id(items), split_by_source_id(items)
    assert first == again
    train, val, test = first
    assert (
        not set(train) & set(test) and not set(val) & set(test) and len(train) + len(val) + len(test) == 2000
    )
    assert 0.15 < len(test) / 2000 < 0.25


def test_company_split_keeps_each_employer_on_one_side() -> None:
    items = [_item(i) for i in range(600)]
    for i, item in enumerate(items):
        item.company = f"Company {i % 40}" if i % 3 else ""  # a third have no company
    train, val, test = split_by_company(items)
    side: dict[str, str] = {}
    for name, part in (("train", train), ("val", val), ("test", test)):
        for i in part:
            if items[i].company:
                assert side.setdefault(items[i].company.lower(), name) == name
    assert sorted(train + val + test) == list(range(600))
    assert test and val and train


def test_source_split_tests_the_held_out_source_only() -> None:
    items = [_item(i) for i in range(300)]
    for i in range(0, 300, 3):
        items[i].source = "kaggle:kanchana1990/ai-and-ml-job-listings-usa (via github)"
    train, val, test = split_by_source(items)
    assert set(test) == set(range(0, 300, 3))
    assert not set(train) & set(val) and not (set(train) | set(val)) & set(test)


def test_time_split_without_dates_is_skipped() -> None:
    assert split_by_time([_item(i) for i in range(10)]) is None


def test_time_split_tests_the_latest_fifth() -> None:
    items = [_item(i, date(2024, 1 + i % 12, 15)) for i in range(1200)] + [_item(5000)]
    result = split_by_time(items)
    assert result is not None
    train, val, test, cutoff = result
    assert cutoff == "2024-10-01"
    assert all(items[i].posted_at >= date(2024, 10, 1) for i in test)
    assert 1200 in train + val  # the undated posting trains


def test_card_mismatch_explains_how_to_fix() -> None:
    good = {"format": MODEL_FORMAT, "taxonomy_version": "1.0.0", "title_patterns_hash": title_patterns_hash()}
    assert check_card(good, "1.0.0") is None
    assert "model format 0" in (check_card({**good, "format": 0}, "1.0.0") or "")
    assert "taxonomy 0.9.0" in (check_card({**good, "taxonomy_version": "0.9.0"}, "1.0.0") or "")
    assert "roles.yaml changed" in (check_card({**good, "title_patterns_hash": "0" * 16}, "1.0.0") or "")


def test_hybrid_rule() -> None:
    hybrid = RoleModel._hybrid
    assert hybrid({"ai_engineer": 0.45, "ml_engineer": 0.4}, "ai_engineer")
    assert not hybrid({"ai_engineer": 0.8, "ml_engineer": 0.1}, "ai_engineer")
    assert hybrid({"ai_ml_hybrid": 0.5, "ml_engineer": 0.3}, "ai_ml_hybrid")
    assert hybrid({"ai_ml_hybrid": 0.3, "ml_engineer": 0.6}, "ml_engineer")


def test_two_classes_get_two_symmetric_logits() -> None:
    from rolescope.enrich.roles.train import fit

    words = {"ai_engineer": "llm rag agents prompts", "ml_engineer": "pytorch training features models"}
    items = []
    for i in range(160):
        label = "ai_engineer" if i % 2 else "ml_engineer"
        items.append(_item(i))
        items[-1].label = label
        items[-1].features = Counter([*words[label].split(), f"noise{i % 7}"])
    train, val = list(range(120)), list(range(120, 160))
    fitted = fit(items, train, val, lambda _: None)
    assert fitted.classes == ["ai_engineer", "ml_engineer"] and fitted.coef.shape[0] == 2
    assert np.allclose(fitted.coef[0], -fitted.coef[1])
    probs = fitted.probabilities([Counter(["llm", "rag"]), Counter(["pytorch", "training"])])
    assert probs[0].argmax() == 0 and probs[1].argmax() == 1


def test_links_and_addresses_are_not_words() -> None:
    # An applicant-tracking host says which board carried the ad, not what the job is.
    terms = text_terms("Apply at https://jobs.ashbyhq.com/acme/1 or www.acme.com, or mail a@acme.io: Python")
    assert terms == ["apply", "mail", "python", "apply mail", "mail python"]


def test_source_id_test_postings_are_the_cards_held_out_labelled_rows() -> None:
    from rolescope.enrich.roles.train import MIN_TEXT_CHARS, in_source_id_test, source_id_test_postings

    long_text = "x" * MIN_TEXT_CHARS
    held_out = [str(i) for i in range(400) if in_source_id_test("s", str(i))]
    assert 40 < len(held_out) < 130  # about a fifth

    def row(sid: str, title: str, text: str) -> dict[str, str]:
        return {"posting_id": f"p{sid}", "source": "s", "source_id": sid, "title": title, "description": text}

    rows = [row(str(i), "ML Engineer", long_text) for i in range(400)]
    rows[int(held_out[0])] = row(held_out[0], "ML Engineer", "too short")
    rows[int(held_out[1])] = row(held_out[1], "Data Scientist / ML Engineer", long_text)  # no one role
    picked = source_id_test_postings(rows)
    assert [r["posting_id"] for r in picked] == [f"p{sid}" for sid in held_out[2:]]
    assert all(r["label"] == "ml_engineer" for r in picked)
