"""The role-identity quiz: the rule, the questions it yields from the real knowledge base, and grading."""

from __future__ import annotations

import itertools
import json

import pytest

from rolescope.advise.quiz import (
    ANSWERS,
    RULE,
    choices,
    decide,
    grade,
    parse_answer,
    quiz_payload,
    quiz_questions,
    skipped_areas,
)
from rolescope.errors import InvalidInput
from rolescope.knowledge.roles import load_roles

CATALOG = load_roles()
LEVELS = ("primary", "shared", "rare", "none")


# ---------------------------------------------------------------------------------------------
# The rule


@pytest.mark.parametrize(
    ("ai", "ml", "expected"),
    [
        ("primary", "primary", "both"),
        ("primary", "shared", "both"),
        ("shared", "primary", "both"),
        ("shared", "shared", "both"),
        ("primary", "rare", "ai"),
        ("shared", "none", "ai"),
        ("rare", "primary", "ml"),
        ("none", "shared", "ml"),
        ("rare", "rare", None),
        ("rare", "none", None),
        ("none", "none", None),
        ("primary", None, None),
        (None, "primary", None),
        (None, None, None),
    ],
)
def test_rule(ai: str | None, ml: str | None, expected: str | None) -> None:
    assert decide(ai, ml) == expected


def test_rule_is_symmetric_between_the_roles() -> None:
    swap = {"ai": "ml", "ml": "ai", "both": "both", None: None}
    for ai, ml in itertools.product((*LEVELS, None), repeat=2):
        assert decide(ml, ai) == swap[decide(ai, ml)]


# ---------------------------------------------------------------------------------------------
# Questions from the real knowledge base


def test_real_catalog_answers_follow_its_involvement_rows() -> None:
    answers = {q.id: q.answer for q in quiz_questions(CATALOG)}
    # roles.yaml: system integration is primary for AI engineers and none for ML engineers (seeds 002/004);
    # building task models from scratch is primary for ML engineers and none for AI engineers (seed 003).
    assert CATALOG.get("ai_engineer").responsibility("system_integration").involvement == "primary"
    assert CATALOG.get("ml_engineer").responsibility("system_integration").involvement == "none"
    assert answers["system_integration"] == "ai"
    assert answers["reinforcement_learning"] == "ai"  # shared vs rare
    assert answers["model_development_from_scratch"] == "ml"
    assert answers["model_training_tuning"] == "both"  # shared vs primary
    assert answers["model_selection"] == "both"
    assert len(answers) == 12
    assert set(answers.values()) == set(ANSWERS)


def test_every_area_is_either_a_question_or_skipped_with_a_reason() -> None:
    asked = [q.id for q in quiz_questions(CATALOG)]
    skipped = {s.id: s.reason for s in skipped_areas(CATALOG)}
    assert sorted(asked + list(skipped)) == sorted(CATALOG.responsibility_areas)
    assert skipped["feature_engineering"] == "only ML engineer lists it"
    assert skipped["system_architecture"] == "only AI engineer lists it"
    assert skipped["ai_governance"] == "neither role lists it"
    assert len(skipped) == 15


def test_prompts_name_the_area_and_nothing_that_gives_the_answer_away() -> None:
    questions = quiz_questions(CATALOG)
    templates = {q.prompt.replace(q.area, "<area>") for q in questions}
    assert templates == {"<area>: whose work is it, AI engineer, ML engineer, or both?"}
    assert [q.area for q in questions][:2] == ["Model selection", "Data preprocessing"]


def test_explanation_quotes_both_roles_with_their_sources() -> None:
    question = next(q for q in quiz_questions(CATALOG) if q.id == "system_integration")
    ai_text = CATALOG.get("ai_engineer").responsibility("system_integration").text
    ml_text = CATALOG.get("ml_engineer").responsibility("system_integration").text
    assert (
        question.explanation
        == f"AI engineer (primary): {ai_text} [002, 004] ML engineer (none): {ml_text} [002, 004]"
    )
    assert [s.file for s in question.sources] == ["002_30a74cf3a6851753.txt", "004_f4885b40147977ef.txt"]
    assert question.sources[1].title.startswith("AI Engineer vs ML Engineer")


def test_seed_shuffles_reproducibly_and_limit_cuts() -> None:
    plain = [q.id for q in quiz_questions(CATALOG)]
    first = [q.id for q in quiz_questions(CATALOG, shuffle_seed=7)]
    assert first == [q.id for q in quiz_questions(CATALOG, shuffle_seed=7)]
    assert first != plain and sorted(first) == sorted(plain)
    assert [q.id for q in quiz_questions(CATALOG, shuffle_seed=7, limit=3)] == first[:3]
    assert len(quiz_questions(CATALOG, limit=100)) == 12


@pytest.mark.parametrize("limit", [0, -2])
def test_limit_below_one_is_refused(limit: int) -> None:
    with pytest.raises(InvalidInput, match=f"at least 1, got {limit}"):
        quiz_questions(CATALOG, limit=limit)


def test_payload_for_a_program_withholds_the_answers() -> None:
    payload = quiz_payload(CATALOG, quiz_questions(CATALOG, limit=2))
    assert payload["questions"] == [
        {
            "id": "model_selection",
            "area": "Model selection",
            "prompt": "Model selection: whose work is it, AI engineer, ML engineer, or both?",
        },
        {
            "id": "data_preprocessing",
            "area": "Data preprocessing",
            "prompt": "Data preprocessing: whose work is it, AI engineer, ML engineer, or both?",
        },
    ]
    assert payload["choices"] == choices(CATALOG)
    assert [c["key"] for c in payload["choices"]] == ["a", "m", "b"]
    assert payload["rule"] == RULE and len(payload["skipped"]) == 15
    revealed = quiz_questions(CATALOG, limit=1)[0].to_dict(reveal=True)
    assert revealed["correct"] == "both"
    assert [side["role"] for side in revealed["sides"]] == ["ai_engineer", "ml_engineer"]


# ---------------------------------------------------------------------------------------------
# Grading


@pytest.mark.parametrize(
    ("spelling", "expected"),
    [("ai", "ai"), ("A", "ai"), (" AI ", "ai"), ("m", "ml"), ("ML", "ml"), ("b", "both"), ("Both", "both")],
)
def test_answer_spellings(spelling: str, expected: str) -> None:
    assert parse_answer(spelling) == expected


def test_grade_scores_answers_in_question_order() -> None:
    result = grade(
        CATALOG,
        {"model_development_from_scratch": "b", "system_integration": "A", "model_selection": "both"},
    )
    assert [a.question.id for a in result.answers] == [
        "model_selection",
        "system_integration",
        "model_development_from_scratch",
    ]
    assert [a.is_right for a in result.answers] == [True, True, False]
    assert (result.score, result.total) == (2, 3)
    wrong = result.answers[2]
    assert (wrong.given, wrong.correct) == ("both", "ml")
    assert len(result.unanswered) == 9 and "iot_robotics" in result.unanswered


def test_grade_against_a_chosen_question_set_reports_the_unanswered() -> None:
    questions = quiz_questions(CATALOG, shuffle_seed=3, limit=4)
    answers = {q.id: q.answer for q in questions[:3]}
    result = grade(questions, answers)
    assert (result.score, result.total) == (3, 3)
    assert result.unanswered == (questions[3].id,)


def test_result_as_json_has_the_answer_explanation_and_sources() -> None:
    data = json.loads(json.dumps(grade(CATALOG, {"iot_robotics": "ml"}).to_dict()))
    assert (data["score"], data["total"]) == (0, 1)
    item = data["answers"][0]
    assert item["id"] == "iot_robotics" and item["given"] == "ml" and item["correct"] == "ai"
    assert item["is_right"] is False
    assert "Seldom works with IoT devices or robotics." in item["explanation"]
    assert [s["label"] for s in item["sources"]] == ["002", "004"]
    assert [s["label"] for s in data["sources"]] == ["002", "004"]


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        (
            {"system_integration": "maybe"},
            "answer 'maybe' for question 'system_integration' is not one of ai, ml, both",
        ),
        (
            {"system_integration": ""},
            "answer '' for question 'system_integration' is not one of ai, ml, both",
        ),
        ({"system_integration": 1}, "answer 1 for question 'system_integration' is not text"),
        ({"feature_engineering": "ml"}, "unknown question id 'feature_engineering'"),
        ({"model_selection": "b", "nope": "a"}, "unknown question id 'nope'"),
        ({}, "no answers to grade"),
    ],
)
def test_bad_answers_are_named(answers: dict, message: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        grade(CATALOG, answers)
    assert raised.value.message == message
    assert raised.value.hint


def test_an_answer_outside_a_chosen_set_is_unknown() -> None:
    questions = quiz_questions(CATALOG, limit=2)
    with pytest.raises(InvalidInput, match="unknown question id 'system_integration'") as raised:
        grade(questions, {"system_integration": "ai"})
    assert raised.value.hint == "the questions are: model_selection, data_preprocessing"
