"""Span-level evaluation of skill extraction against SkillSpan (Zhang et al., NAACL 2022; MIT).

SkillSpan marks *skill* spans and *knowledge* spans (tools, technologies, bodies of knowledge) with
BIO tags over tokens. A predictor maps a sentence's tokens to predicted token spans per type; we
report precision, recall and F1 per type and for both merged, under two matchings:

- strict: a predicted span counts only if its token boundaries equal a gold span's;
- partial: a predicted span counts if it overlaps a gold span by at least one token (precision),
  and a gold span is found if any predicted span overlaps it (recall).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from rolescope.errors import InvalidInput, NotFound

Span = tuple[int, int]  # token indices, end exclusive
SPAN_TYPES = ("skill", "knowledge")
Predictor = Callable[[list[str]], dict[str, set[Span]]]


@dataclass(frozen=True, slots=True)
class Sentence:
    tokens: list[str]
    gold: dict[str, set[Span]]
    source: str


@dataclass(frozen=True, slots=True)
class Score:
    span_type: str
    matching: str
    precision: float
    recall: float
    f1: float
    n_gold: int
    n_predicted: int

    def as_dict(self) -> dict[str, str | float | int]:
        """JSON-ready, with rates rounded to four decimals."""
        return {
            "type": self.span_type,
            "matching": self.matching,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "n_gold": self.n_gold,
            "n_predicted": self.n_predicted,
        }


def spans_from_bio(tags: list[str]) -> set[Span]:
    """Token spans of a BIO sequence; a stray I- starts a span (as seqeval's lenient mode does)."""
    spans, start = set(), None
    for i, tag in enumerate([*tags, "O"]):
        if tag.startswith("B") or (tag.startswith("I") and start is None) or tag == "O":
            if start is not None and (tag == "O" or tag.startswith("B")):
                spans.add((start, i))
                start = None
            if tag != "O" and start is None:
                start = i
    return spans


def read_skillspan(path: Path) -> list[Sentence]:
    """Sentences of a SkillSpan JSON-lines split (train.json / dev.json)."""
    if not path.is_file():
        raise NotFound(f"no SkillSpan split at {path}", hint="pass --data DIR with json/dev.json in it")
    sentences = []
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            try:
                row = json.loads(line)
                gold = {
                    "skill": spans_from_bio(row["tags_skill"]),
                    "knowledge": spans_from_bio(row["tags_knowledge"]),
                }
                sentences.append(Sentence(row["tokens"], gold, row.get("source", "")))
            except (json.JSONDecodeError, KeyError, TypeError) as exc:
                raise InvalidInput(f"{path.name} line {number} is not a SkillSpan record ({exc})") from None
    return sentences


def token_offsets(tokens: list[str]) -> tuple[str, list[Span]]:
    """The sentence as text (tokens joined by spaces) and each token's character span in it."""
    offsets, position = [], 0
    for token in tokens:
        offsets.append((position, position + len(token)))
        position += len(token) + 1
    return " ".join(tokens), offsets


def chars_to_tokens(start: int, end: int, offsets: list[Span]) -> Span | None:
    """The token span covering characters [start, end), or None when no token overlaps."""
    covered = [i for i, (s, e) in enumerate(offsets) if s < end and start < e]
    return (covered[0], covered[-1] + 1) if covered else None


def score_spans(gold: Iterable[set[Span]], predicted: Iterable[set[Span]], span_type: str) -> list[Score]:
    """Strict and partial P/R/F1 over paired per-sentence span sets."""
    pairs = list(zip(gold, predicted, strict=True))
    n_gold = sum(len(g) for g, _ in pairs)
    n_pred = sum(len(p) for _, p in pairs)
    strict_hits = sum(len(g & p) for g, p in pairs)
    pred_hits = sum(sum(1 for s in p if any(_overlap(s, t) for t in g)) for g, p in pairs)
    gold_hits = sum(sum(1 for t in g if any(_overlap(s, t) for s in p)) for g, p in pairs)
    return [
        _score(span_type, "strict", strict_hits, strict_hits, n_gold, n_pred),
        _score(span_type, "partial", pred_hits, gold_hits, n_gold, n_pred),
    ]


def _overlap(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _score(span_type: str, matching: str, pred_hits: int, gold_hits: int, n_gold: int, n_pred: int) -> Score:
    precision = pred_hits / n_pred if n_pred else 0.0
    recall = gold_hits / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Score(span_type, matching, precision, recall, f1, n_gold, n_pred)


def evaluate(sentences: list[Sentence], predict: Predictor) -> list[Score]:
    """Scores per span type and merged (a span of either type, types ignored)."""
    predictions = [predict(s.tokens) for s in sentences]
    scores: list[Score] = []
    for span_type in SPAN_TYPES:
        scores += score_spans(
            [s.gold[span_type] for s in sentences], [p.get(span_type, set()) for p in predictions], span_type
        )
    merged_gold = [s.gold["skill"] | s.gold["knowledge"] for s in sentences]
    merged_pred = [p.get("skill", set()) | p.get("knowledge", set()) for p in predictions]
    return scores + score_spans(merged_gold, merged_pred, "merged")


def dictionary_predictor(extractor: object, kinds: dict[str, str]) -> Predictor:
    """Adapt the dictionary extractor: taxonomy kind "skill" gives skill spans, the rest knowledge."""

    def predict(tokens: list[str]) -> dict[str, set[Span]]:
        text, offsets = token_offsets(tokens)
        found: dict[str, set[Span]] = {"skill": set(), "knowledge": set()}
        for mention in extractor.extract(text):
            span = chars_to_tokens(mention.start, mention.end, offsets)
            if span is not None:
                found["skill" if kinds.get(mention.skill_id) == "skill" else "knowledge"].add(span)
        return found

    return predict
