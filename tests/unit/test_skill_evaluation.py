from __future__ import annotations

import pytest

from rolescope.enrich.evaluation import chars_to_tokens, score_spans, spans_from_bio, token_offsets


@pytest.mark.parametrize(
    ("tags", "spans"),
    [
        (["O", "B", "I", "O", "B"], {(1, 3), (4, 5)}),
        (["B", "B", "I"], {(0, 1), (1, 3)}),
        (["I", "I", "O"], {(0, 2)}),
        (["O", "O"], set()),
        (["B-Skill", "I-Skill", "O"], {(0, 2)}),
    ],
)
def test_spans_from_bio(tags: list[str], spans: set[tuple[int, int]]) -> None:
    assert spans_from_bio(tags) == spans


def test_token_offsets_round_trip() -> None:
    text, offsets = token_offsets(["Experience", "with", "C++", "."])
    assert [text[s:e] for s, e in offsets] == ["Experience", "with", "C++", "."]
    assert chars_to_tokens(16, 19, offsets) == (2, 3)
    assert chars_to_tokens(0, 15, offsets) == (0, 2)
    assert chars_to_tokens(10, 11, offsets) is None  # the space between tokens


def test_strict_and_partial_scores() -> None:
    gold = [{(0, 2), (5, 6)}, {(1, 3)}]
    pred = [{(0, 2), (4, 6)}, {(7, 8)}]
    strict, partial = score_spans(gold, pred, "skill")
    assert (strict.precision, strict.recall) == (pytest.approx(1 / 3), pytest.approx(1 / 3))
    assert (partial.precision, partial.recall) == (pytest.approx(2 / 3), pytest.approx(2 / 3))
    assert (strict.n_gold, strict.n_predicted) == (3, 3)


def test_no_predictions_scores_zero_not_error() -> None:
    strict, partial = score_spans([{(0, 1)}], [set()], "knowledge")
    assert strict.f1 == 0.0 and partial.recall == 0.0
