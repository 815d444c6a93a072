"""The role-identity quiz: areas of work to sort into AI engineer, ML engineer or both.

Seed 002 ends its responsibilities table with a "Role Identity" guessing poll; rolescope answers it
from the roles knowledge base instead of a hand-written key, so every answer comes with both roles'
descriptions and the seed articles they cite.

The rule (:func:`decide`): an area is ``both`` when each of the two roles is at least ``shared`` in it
(``primary`` or ``shared``); it belongs to one role when that role is ``primary`` or ``shared`` and the
other is ``rare`` or ``none``. The quiz leaves out areas the rule cannot decide: those where neither role
does the work more than rarely, and those that one of the two roles does not list at all (the sources
describe only one side there, which is not evidence that the other side does not do it).

Examples
--------
>>> from rolescope.knowledge.roles import load_roles
>>> questions = quiz_questions(load_roles())
>>> result = grade(questions, {"system_integration": "a", "model_selection": "ml"})
>>> (result.score, result.total)
(1, 2)
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from rolescope.errors import InvalidInput
from rolescope.knowledge.roles import Involvement, Responsibility, RoleCatalog, short_source

Answer = Literal["ai", "ml", "both"]
ANSWERS: tuple[Answer, ...] = ("ai", "ml", "both")
AI_ROLE = "ai_engineer"
ML_ROLE = "ml_engineer"
RULE = (
    "An area is 'both' when each role is primary or shared in it, and belongs to one role when that role is "
    "primary or shared and the other is rare or none. Areas where neither role is more than rare, or that "
    "one of the two roles does not list, are left out."
)

_DOES: frozenset[str] = frozenset({"primary", "shared"})
_SPELLINGS: dict[str, Answer] = {"ai": "ai", "a": "ai", "ml": "ml", "m": "ml", "both": "both", "b": "both"}
_ANSWER_HINT = "answer ai (or a), ml (or m) or both (or b)"


# ---------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class Source:
    """A seed article cited by an explanation: file name, short label (``002``) and what it prints."""

    file: str
    label: str
    title: str | None
    publisher: str | None
    date: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "label": self.label,
            "title": self.title,
            "publisher": self.publisher,
            "date": self.date,
        }


@dataclass(frozen=True)
class RoleSide:
    """What the knowledge base says one role does in an area, with its sources."""

    role: str
    name: str
    involvement: Involvement
    text: str
    sources: tuple[Source, ...]

    def describe(self) -> str:
        labels = ", ".join(s.label for s in self.sources) or "general knowledge"
        return f"{self.name} ({self.involvement}): {self.text} [{labels}]"

    def to_dict(self) -> dict[str, Any]:
        return {
            "role": self.role,
            "name": self.name,
            "involvement": self.involvement,
            "text": self.text,
            "sources": [s.to_dict() for s in self.sources],
        }


@dataclass(frozen=True)
class QuizQuestion:
    """One area of work; ``prompt`` names the area without giving the answer away."""

    id: str
    area: str
    prompt: str
    answer: Answer
    sides: tuple[RoleSide, RoleSide]

    @property
    def explanation(self) -> str:
        """Both roles' descriptions with source labels: ``AI engineer (primary): ... [002, 004] ...``."""
        return " ".join(side.describe() for side in self.sides)

    @property
    def sources(self) -> tuple[Source, ...]:
        """Every seed cited by the two sides, once each, in the order first cited."""
        seen: dict[str, Source] = {}
        for side in self.sides:
            for source in side.sources:
                seen.setdefault(source.file, source)
        return tuple(seen.values())

    def to_dict(self, *, reveal: bool = False) -> dict[str, Any]:
        """The question for a program; ``reveal=False`` leaves out the answer and its explanation."""
        payload: dict[str, Any] = {"id": self.id, "area": self.area, "prompt": self.prompt}
        if reveal:
            payload |= _explained(self)
        return payload


@dataclass(frozen=True)
class SkippedArea:
    """A responsibility area the rule cannot turn into a question, and why."""

    id: str
    area: str
    reason: str

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "area": self.area, "reason": self.reason}


@dataclass(frozen=True)
class GradedAnswer:
    question: QuizQuestion
    given: Answer

    @property
    def correct(self) -> Answer:
        return self.question.answer

    @property
    def is_right(self) -> bool:
        return self.given == self.question.answer

    def to_dict(self) -> dict[str, Any]:
        question = self.question
        return {
            "id": question.id,
            "area": question.area,
            "prompt": question.prompt,
            "given": self.given,
            "is_right": self.is_right,
            **_explained(question),
        }


@dataclass(frozen=True)
class QuizResult:
    """Graded answers in question order; the score counts the answered questions only."""

    answers: tuple[GradedAnswer, ...]
    unanswered: tuple[str, ...] = ()

    @property
    def score(self) -> int:
        return sum(item.is_right for item in self.answers)

    @property
    def total(self) -> int:
        return len(self.answers)

    @property
    def sources(self) -> tuple[Source, ...]:
        seen: dict[str, Source] = {}
        for item in self.answers:
            for source in item.question.sources:
                seen.setdefault(source.file, source)
        return tuple(sorted(seen.values(), key=lambda s: s.file))

    def to_dict(self) -> dict[str, Any]:
        return {
            "score": self.score,
            "total": self.total,
            "answers": [item.to_dict() for item in self.answers],
            "unanswered": list(self.unanswered),
            "sources": [s.to_dict() for s in self.sources],
            "rule": RULE,
        }


def _explained(question: QuizQuestion) -> dict[str, Any]:
    return {
        "correct": question.answer,
        "explanation": question.explanation,
        "sides": [side.to_dict() for side in question.sides],
        "sources": [s.to_dict() for s in question.sources],
    }


# ---------------------------------------------------------------------------------------------
# Questions


def decide(ai: Involvement | None, ml: Involvement | None) -> Answer | None:
    """The answer the rule gives for the two roles' involvement in an area, or None when it cannot.

    ``None`` for a role means the role does not list the area.

    >>> decide("primary", "none"), decide("shared", "primary")
    ('ai', 'both')
    >>> decide("rare", "none"), decide("primary", None)
    (None, None)
    """
    if ai is None or ml is None:
        return None
    ai_does, ml_does = ai in _DOES, ml in _DOES
    if ai_does and ml_does:
        return "both"
    if ai_does or ml_does:
        return "ai" if ai_does else "ml"
    return None


def quiz_questions(
    catalog: RoleCatalog, *, shuffle_seed: int | None = None, limit: int | None = None
) -> list[QuizQuestion]:
    """The quiz's questions: knowledge-base order, or shuffled reproducibly by ``shuffle_seed``.

    Raises
    ------
    InvalidInput
        When ``limit`` is below 1.
    """
    if limit is not None and limit < 1:
        raise InvalidInput(f"the question limit must be at least 1, got {limit}", hint="e.g. --limit 5")
    questions = [q for q in (_question(catalog, area) for area in catalog.responsibility_areas) if q]
    if shuffle_seed is not None:
        random.Random(shuffle_seed).shuffle(questions)
    return questions[:limit]


def skipped_areas(catalog: RoleCatalog) -> list[SkippedArea]:
    """The responsibility areas the rule leaves out of the quiz, each with the reason."""
    ai, ml = catalog.get(AI_ROLE), catalog.get(ML_ROLE)
    skipped = []
    for area_id, label in catalog.responsibility_areas.items():
        a, m = ai.responsibility(area_id), ml.responsibility(area_id)
        if a is not None and m is not None and decide(a.involvement, m.involvement):
            continue
        if a is None and m is None:
            reason = "neither role lists it"
        elif a is None or m is None:
            reason = f"only {(ml if a is None else ai).name} lists it"
        else:
            reason = f"neither role does it more than rarely ({a.involvement} / {m.involvement})"
        skipped.append(SkippedArea(id=area_id, area=label, reason=reason))
    return skipped


def choices(catalog: RoleCatalog) -> list[dict[str, str]]:
    """The three answers with their one-letter keys and labels, for a form or a prompt."""
    ai, ml = catalog.get(AI_ROLE).name, catalog.get(ML_ROLE).name
    labels = {"ai": ai, "ml": ml, "both": "both"}
    return [{"value": answer, "key": answer[0], "label": labels[answer]} for answer in ANSWERS]


def quiz_payload(catalog: RoleCatalog, questions: Sequence[QuizQuestion]) -> dict[str, Any]:
    """The questions for a program (answers withheld), the choices, the rule and the areas left out."""
    return {
        "questions": [q.to_dict() for q in questions],
        "choices": choices(catalog),
        "rule": RULE,
        "skipped": [s.to_dict() for s in skipped_areas(catalog)],
    }


def _question(catalog: RoleCatalog, area_id: str) -> QuizQuestion | None:
    ai, ml = catalog.get(AI_ROLE), catalog.get(ML_ROLE)
    a, m = ai.responsibility(area_id), ml.responsibility(area_id)
    if a is None or m is None:
        return None
    answer = decide(a.involvement, m.involvement)
    if answer is None:
        return None
    area = catalog.responsibility_areas[area_id]
    return QuizQuestion(
        id=area_id,
        area=area,
        prompt=f"{area}: whose work is it, {ai.name}, {ml.name}, or both?",
        answer=answer,
        sides=(_side(catalog, AI_ROLE, ai.name, a), _side(catalog, ML_ROLE, ml.name, m)),
    )


def _side(catalog: RoleCatalog, role: str, name: str, resp: Responsibility) -> RoleSide:
    sources = tuple(
        Source(
            file=file,
            label=short_source(file),
            title=catalog.seeds[file].title,
            publisher=catalog.seeds[file].publisher,
            date=catalog.seeds[file].date,
        )
        for file in resp.citations
    )
    return RoleSide(role=role, name=name, involvement=resp.involvement, text=resp.text, sources=sources)


# ---------------------------------------------------------------------------------------------
# Grading


def parse_answer(value: object, question_id: str | None = None) -> Answer:
    """``ai``, ``ml`` or ``both`` from a person's spelling (case-insensitive; ``a``, ``m``, ``b`` too).

    >>> parse_answer(" B "), parse_answer("ML")
    ('both', 'ml')
    """
    where = f" for question {question_id!r}" if question_id else ""
    if not isinstance(value, str):
        raise InvalidInput(f"answer {value!r}{where} is not text", hint=_ANSWER_HINT)
    answer = _SPELLINGS.get(value.strip().lower())
    if answer is None:
        raise InvalidInput(f"answer {value!r}{where} is not one of ai, ml, both", hint=_ANSWER_HINT)
    return answer


def grade_answer(question: QuizQuestion, given: object) -> GradedAnswer:
    """One answer checked against the knowledge base's answer."""
    return GradedAnswer(question=question, given=parse_answer(given, question.id))


def grade(quiz: RoleCatalog | Sequence[QuizQuestion], answers: Mapping[str, object]) -> QuizResult:
    """Check answers (question id -> ai/ml/both) against the questions, or all of a catalog's questions.

    The score is k right of the n answered; ``unanswered`` lists the questions left without an answer.

    Raises
    ------
    InvalidInput
        When there are no answers, an id is not one of the questions, or an answer is not ai/ml/both.
    """
    questions = quiz_questions(quiz) if isinstance(quiz, RoleCatalog) else list(quiz)
    by_id = {q.id: q for q in questions}
    if not answers:
        raise InvalidInput(
            "no answers to grade", hint='give question id -> answer, e.g. {"system_integration": "ai"}'
        )
    unknown = next((qid for qid in answers if qid not in by_id), None)
    if unknown is not None:
        raise InvalidInput(f"unknown question id {unknown!r}", hint=f"the questions are: {', '.join(by_id)}")
    graded = tuple(grade_answer(q, answers[q.id]) for q in questions if q.id in answers)
    return QuizResult(answers=graded, unanswered=tuple(q.id for q in questions if q.id not in answers))
