"""Learned skill spans: a linear-chain CRF trained on SkillSpan, beyond the dictionary.

SkillSpan (Zhang et al., NAACL 2022; MIT) marks *skill* and *knowledge* spans in two BIO layers.
The CRF predicts one tag set, B-/I-SKILL, B-/I-KNOWLEDGE and O; a token marked in both layers
takes its knowledge tag (knowledge spans are the shorter, tool-like ones, and "both" is rare: see
``double_labelled``). Features per token: the lowercased word, 2-4 character prefixes and
suffixes, the word shape, casing / digit / punctuation flags, the position, the words two to
either side, and the *dictionary* feature: the BIO tag and taxonomy kind of the dictionary
extractor's match covering the token, so the CRF learns when to trust the taxonomy.

The trained model ships as package data (``models/skillspan_crf.crfsuite``) with a model card
(``models/skillspan_crf.card.json``) saying how it was built; ``rolescope skills train`` rebuilds
both. python-crfsuite is imported lazily.

Examples
--------
>>> tagger = SpanTagger()
>>> [(s.text, s.span_type) for s in tagger.extract("Experience with Python")]  # doctest: +SKIP
[('Python', 'knowledge')]
"""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from rolescope.enrich.evaluation import Sentence, Span, chars_to_tokens, spans_from_bio, token_offsets
from rolescope.enrich.skills.extract import SkillExtractor
from rolescope.errors import NotReady
from rolescope.knowledge.skills import Taxonomy, load_taxonomy, surface_key

TAGGER_NAME = "skills.tagger.crf.v1"
MODEL_DIR = Path(__file__).resolve().parent / "models"
MODEL_PATH = MODEL_DIR / "skillspan_crf.crfsuite"
RETRAIN_HINT = "retrain: rolescope skills train --data DIR"
LABELS = ("B-SKILL", "I-SKILL", "B-KNOWLEDGE", "I-KNOWLEDGE", "O")
# Raw text: words that keep their inner symbols (C++, C#, .NET, CI/CD, Node.js, scikit-learn).
_WORD = re.compile(r"\.?[A-Za-z0-9]+(?:[./+#&'’-][A-Za-z0-9]+)*[+#]*|\S")
_SENTENCE_END = frozenset({".", "!", "?", ";", "•", "·"})
_MAX_SENTENCE_TOKENS = 80
_PUNCT = re.compile(r"[^\w\s]")


@dataclass(frozen=True, slots=True)
class FeatureOptions:
    """Which features the CRF sees; stored in the model card so prediction uses the same."""

    window: int = 2
    affixes: tuple[int, ...] = (2, 3, 4)
    dictionary: bool = True

    @classmethod
    def from_card(cls, entry: dict[str, Any]) -> FeatureOptions:
        return cls(entry["window"], tuple(entry["affixes"]), entry["dictionary"])


@dataclass(frozen=True, slots=True)
class TrainOptions:
    """CRF hyperparameters (L-BFGS with elastic-net regularisation)."""

    c1: float = 0.6  # tuned on dev (see the model card)
    c2: float = 0.01
    max_iterations: int = 150
    features: FeatureOptions = field(default_factory=FeatureOptions)


@dataclass(frozen=True, slots=True)
class TaggedSpan:
    """One span the tagger found in raw text; ``skill_id`` is None when no taxonomy skill matches."""

    start: int
    end: int
    text: str
    span_type: str  # "skill" or "knowledge"
    skill_id: str | None


@dataclass(frozen=True, slots=True)
class CardCheck:
    """What comparing a model card against this installation found."""

    warnings: tuple[str, ...] = ()


# ---------------------------------------------------------------------------------------------
# labels and features


def combined_tags(sentence: Sentence) -> list[str]:
    """One tag per token; a token inside both a skill and a knowledge span takes the knowledge tag."""
    tags = ["O"] * len(sentence.tokens)
    for span_type in ("skill", "knowledge"):  # knowledge last, so it wins
        for start, end in sorted(sentence.gold[span_type]):
            kind = span_type.upper()
            tags[start] = f"B-{kind}"
            for i in range(start + 1, end):
                tags[i] = f"I-{kind}"
    return tags


def double_labelled(sentences: Iterable[Sentence]) -> tuple[int, int]:
    """(tokens inside both a skill and a knowledge span, tokens inside any span)."""
    both = anyspan = 0
    for s in sentences:
        skill = {i for a, b in s.gold["skill"] for i in range(a, b)}
        knowledge = {i for a, b in s.gold["knowledge"] for i in range(a, b)}
        both += len(skill & knowledge)
        anyspan += len(skill | knowledge)
    return both, anyspan


def tags_to_spans(tags: list[str]) -> dict[str, set[Span]]:
    """Predicted tags as token spans per SkillSpan type (a switch of type starts a new span)."""
    found: dict[str, set[Span]] = {}
    for span_type in ("skill", "knowledge"):
        kind = span_type.upper()
        layer = [t[:2] + "X" if t.endswith(kind) else "O" for t in tags]
        found[span_type] = spans_from_bio(layer)
    return found


class DictionaryFeature:
    """The dictionary extractor's verdict per token: BIO tag, SkillSpan type and taxonomy kind."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        self.extractor = SkillExtractor(taxonomy)
        self.kinds = {s.id: s.kind for s in taxonomy.skills}

    def tags(self, tokens: list[str]) -> list[str | None]:
        text, offsets = token_offsets(tokens)
        return self.tags_from_mentions(
            [(m.start, m.end, m.skill_id) for m in self.extractor.extract(text)], offsets
        )

    def tags_from_mentions(
        self, mentions: list[tuple[int, int, str]], offsets: list[Span]
    ) -> list[str | None]:
        """Per-token tags ("B-knowledge:tool") from (start, end, skill_id) character spans."""
        tags: list[str | None] = [None] * len(offsets)
        for start, end, skill_id in mentions:
            span = chars_to_tokens(start, end, offsets)
            if span is None:
                continue
            kind = self.kinds.get(skill_id, "knowledge")
            span_type = "skill" if kind == "skill" else "knowledge"
            for i in range(span[0], span[1]):
                tags[i] = f"{'B' if i == span[0] else 'I'}-{span_type}:{kind}"
        return tags


def _shape(word: str) -> str:
    shape = re.sub(r"[A-Z]+", "A", re.sub(r"[a-z]+", "a", re.sub(r"[0-9]+", "0", word)))
    return shape[:6]


def _token_own(word: str, options: FeatureOptions) -> list[str]:
    lower = word.lower()
    own = [f"w={lower}", f"shape={_shape(word)}"]
    own += [f"p{n}={lower[:n]}" for n in options.affixes if len(lower) > n]
    own += [f"s{n}={lower[-n:]}" for n in options.affixes if len(lower) > n]
    if word.istitle():
        own.append("title")
    if word.isupper():
        own.append("upper")
    if word.isdigit():
        own.append("digit")
    if _PUNCT.search(word):
        own.append("punct")
    return own


def sentence_features(
    tokens: list[str], dictionary_tags: list[str | None] | None, options: FeatureOptions
) -> list[list[str]]:
    """crfsuite feature strings for each token of a sentence."""
    lowered = [t.lower() for t in tokens]
    size = len(tokens)
    features = []
    for i, word in enumerate(tokens):
        f = ["bias", *_token_own(word, options)]
        f.append("pos=first" if i == 0 else "pos=last" if i == size - 1 else "pos=mid")
        for d in range(1, options.window + 1):
            f.append(f"w-{d}={lowered[i - d]}" if i - d >= 0 else f"w-{d}=<s>")
            f.append(f"w+{d}={lowered[i + d]}" if i + d < size else f"w+{d}=</s>")
        if i > 0:
            f.append(f"bigram-1={lowered[i - 1]}|{lowered[i]}")
        if options.dictionary and dictionary_tags is not None:
            tag = dictionary_tags[i]
            f.append(f"dict={tag or 'O'}")
            if tag:
                f.append(f"dict_type={tag[2:].split(':')[0]}")
            for d in (-1, 1):
                if 0 <= i + d < size:
                    f.append(f"dict{d:+d}={(dictionary_tags[i + d] or 'O')[:1]}")
        features.append(f)
    return features


# ---------------------------------------------------------------------------------------------
# training and the model card


def train_tagger(
    sentences: list[Sentence], model_path: Path, options: TrainOptions, taxonomy: Taxonomy | None = None
) -> Path:
    """Train the CRF on SkillSpan sentences and write it to ``model_path``; returns the path."""
    import pycrfsuite

    dictionary = DictionaryFeature(taxonomy or load_taxonomy()) if options.features.dictionary else None
    trainer = pycrfsuite.Trainer(verbose=False)
    for s in sentences:
        dict_tags = dictionary.tags(s.tokens) if dictionary else None
        trainer.append(sentence_features(s.tokens, dict_tags, options.features), combined_tags(s))
    trainer.set_params(
        {
            "c1": options.c1,
            "c2": options.c2,
            "max_iterations": options.max_iterations,
            "feature.possible_transitions": True,
        }
    )
    model_path.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(model_path))
    return model_path


def card_path_for(model_path: Path) -> Path:
    return model_path.with_name(model_path.name.removesuffix(".crfsuite") + ".card.json")


def crfsuite_version() -> str:
    return metadata.version("python-crfsuite")


def write_card(model_path: Path, options: TrainOptions, taxonomy_version: str, extra: dict[str, Any]) -> Path:
    """Write the model card next to the model: data, features, hyperparameters, versions, scores."""
    card = {
        "name": TAGGER_NAME,
        "model_file": model_path.name,
        "data": "SkillSpan train.json (MIT, Zhang et al., NAACL 2022); tuned on SkillSpan dev.json",
        "labels": list(LABELS),
        "label_rule": "a token in both a skill and a knowledge span takes the knowledge tag",
        "features": asdict(options.features),
        "hyperparameters": {
            "algorithm": "lbfgs",
            "c1": options.c1,
            "c2": options.c2,
            "max_iterations": options.max_iterations,
        },
        "python_crfsuite_version": crfsuite_version(),
        "taxonomy_version": taxonomy_version,
        "trained_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "rebuild": "rolescope skills train --data ../shared/data/skill_gold/skillspan --grid",
        **extra,
    }
    path = card_path_for(model_path)
    path.write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")
    return path


def check_card(card: dict[str, Any], taxonomy_version: str) -> CardCheck:
    """Compare a model card with this installation.

    Raises NotReady when the model was written by another python-crfsuite release line (0.9.x vs
    0.10.x: the binary model format belongs to the bundled CRFsuite) or the card lacks what
    prediction needs. A different taxonomy version only warns: the dictionary feature then
    differs in a few tokens, the CRF still runs, and its scores drift a little until retrained.
    """
    needed = ("python_crfsuite_version", "taxonomy_version", "features")
    missing = [k for k in needed if k not in card]
    if missing:
        raise NotReady(f"the tagger model card lacks {', '.join(missing)}", hint=RETRAIN_HINT)
    trained, installed = card["python_crfsuite_version"], crfsuite_version()
    if _release_line(trained) != _release_line(installed):
        raise NotReady(
            f"the tagger model was trained with python-crfsuite {trained}, this is {installed}",
            hint=RETRAIN_HINT,
        )
    if card["taxonomy_version"] != taxonomy_version:
        return CardCheck(
            (
                f"tagger trained with taxonomy {card['taxonomy_version']}, running with {taxonomy_version}: "
                f"the dictionary feature differs slightly ({RETRAIN_HINT})",
            )
        )
    return CardCheck()


def _release_line(version: str) -> tuple[str, ...]:
    """Major version, or major.minor for 0.x releases (semver: 0.x minors may break)."""
    parts = version.split(".")
    return tuple(parts[:2]) if parts[0] == "0" else tuple(parts[:1])


# ---------------------------------------------------------------------------------------------
# prediction


def tokenize(text: str) -> list[tuple[str, int, int]]:
    """Word tokens with character offsets; C++, C#, .NET, CI/CD and Node.js stay whole."""
    return [(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]


def split_sentences(tokens: list[tuple[str, int, int]], text: str) -> list[list[tuple[str, int, int]]]:
    """Cut at sentence punctuation and line breaks, and every _MAX_SENTENCE_TOKENS tokens."""
    sentences, current, last_end = [], [], 0
    for token in tokens:
        if current and ("\n" in text[last_end : token[1]] or len(current) >= _MAX_SENTENCE_TOKENS):
            sentences.append(current)
            current = []
        current.append(token)
        last_end = token[2]
        if token[0] in _SENTENCE_END:
            sentences.append(current)
            current = []
    if current:
        sentences.append(current)
    return sentences


class SpanTagger:
    """The shipped CRF: ``tag(tokens)`` for evaluation, ``extract(text)`` for job-ad text.

    The model is loaded once, on first use, and checked against its card (``check_card``).

    Parameters
    ----------
    model_path : Path, optional
        Defaults to the shipped model; its card is the sibling ``.card.json``.
    taxonomy : Taxonomy, optional
        Defaults to the shipped taxonomy (the dictionary feature and the mapping to skill ids).
    """

    name = TAGGER_NAME

    def __init__(self, model_path: Path | None = None, taxonomy: Taxonomy | None = None) -> None:
        self.model_path = Path(model_path) if model_path is not None else MODEL_PATH
        self.taxonomy = taxonomy
        self._tagger: Any = None

    def _load(self) -> None:
        if self._tagger is not None:
            return
        card_path = card_path_for(self.model_path)
        if not self.model_path.is_file() or not card_path.is_file():
            raise NotReady(f"no tagger model at {self.model_path} (or its card)", hint=RETRAIN_HINT)
        self.card_ = json.loads(card_path.read_text(encoding="utf-8"))
        if self.taxonomy is None:
            self.taxonomy = load_taxonomy()
        self.check_ = check_card(self.card_, self.taxonomy.version)
        for message in self.check_.warnings:
            warnings.warn(message, stacklevel=3)
        import pycrfsuite

        self.features_ = FeatureOptions.from_card(self.card_["features"])
        self._dictionary = DictionaryFeature(self.taxonomy)
        self._surfaces = {surface_key(f): s.id for s in self.taxonomy.skills for f in s.surface_forms}
        tagger = pycrfsuite.Tagger()
        try:
            tagger.open(str(self.model_path))
        except (OSError, ValueError) as exc:
            raise NotReady(
                f"cannot read the tagger model {self.model_path} ({exc})", hint=RETRAIN_HINT
            ) from None
        self._tagger = tagger

    def tag(self, tokens: list[str]) -> dict[str, set[Span]]:
        """Token spans per SkillSpan type for one pre-tokenised sentence (an evaluation Predictor)."""
        self._load()
        if not tokens:
            return {"skill": set(), "knowledge": set()}
        dict_tags = self._dictionary.tags(tokens) if self.features_.dictionary else None
        return tags_to_spans(self._tagger.tag(sentence_features(tokens, dict_tags, self.features_)))

    __call__ = tag

    def extract(self, text: str | None) -> list[TaggedSpan]:
        """Every span the tagger finds in the text, left to right, mapped to a skill id where one matches."""
        self._load()
        if not text:
            return []
        mentions = [(m.start, m.end, m.skill_id) for m in self._dictionary.extractor.extract(text)]
        found: list[TaggedSpan] = []
        for sentence in split_sentences(tokenize(text), text):
            words = [t[0] for t in sentence]
            offsets = [(t[1], t[2]) for t in sentence]
            near = [m for m in mentions if m[0] < offsets[-1][1] and offsets[0][0] < m[1]]
            dict_tags = (
                self._dictionary.tags_from_mentions(near, offsets) if self.features_.dictionary else None
            )
            spans = tags_to_spans(self._tagger.tag(sentence_features(words, dict_tags, self.features_)))
            for span_type, token_spans in spans.items():
                for a, b in token_spans:
                    start, end = offsets[a][0], offsets[b - 1][1]
                    skill_id = self._map(text[start:end], start, end, near)
                    found.append(TaggedSpan(start, end, text[start:end], span_type, skill_id))
        return sorted(found, key=lambda s: (s.start, s.end))

    def _map(self, surface: str, start: int, end: int, mentions: list[tuple[int, int, str]]) -> str | None:
        """The skill the span's text names, else the dictionary mention it overlaps, else None."""
        skill_id = self._surfaces.get(surface_key(surface.strip(".,;:()[]")))
        if skill_id:
            return skill_id
        return next((m[2] for m in mentions if m[0] < end and start < m[1]), None)


# ---------------------------------------------------------------------------------------------
# evaluation paths and tuning


def predictor_for(path: str, tagger: SpanTagger | None = None, taxonomy: Taxonomy | None = None) -> Any:
    """An evaluation Predictor for ``dictionary``, ``tagger`` or ``both`` (the union of the two)."""
    from rolescope.enrich.evaluation import dictionary_predictor

    if path not in ("dictionary", "tagger", "both"):
        raise ValueError(f"unknown extraction path {path!r}: use dictionary, tagger or both")
    taxonomy = taxonomy or load_taxonomy()
    dictionary = dictionary_predictor(SkillExtractor(taxonomy), {s.id: s.kind for s in taxonomy.skills})
    if path == "dictionary":
        return dictionary
    tagger = tagger or SpanTagger(taxonomy=taxonomy)
    if path == "tagger":
        return tagger.tag

    def both(tokens: list[str]) -> dict[str, set[Span]]:
        first, second = dictionary(tokens), tagger.tag(tokens)
        return {t: first.get(t, set()) | second.get(t, set()) for t in ("skill", "knowledge")}

    return both


def default_grid() -> list[TrainOptions]:
    """The small grid tuned on dev: c1 x c2 with all features, then two feature ablations."""
    grid = [TrainOptions(c1=c1, c2=c2) for c1 in (0.1, 0.3, 0.6, 1.0) for c2 in (0.01, 0.1)]
    grid.append(TrainOptions(c1=0.1, c2=0.05, features=FeatureOptions(dictionary=False)))
    grid.append(TrainOptions(c1=0.1, c2=0.05, features=FeatureOptions(window=1)))
    return grid


def _train_and_score(job: tuple[list[Sentence], list[Sentence], TrainOptions, Path]) -> dict[str, Any]:
    from rolescope.enrich.evaluation import evaluate

    train, dev, options, model_path = job
    taxonomy = load_taxonomy()
    train_tagger(train, model_path, options, taxonomy)
    write_card(model_path, options, taxonomy.version, {})
    scores = evaluate(dev, SpanTagger(model_path, taxonomy).tag)
    return {
        "c1": options.c1,
        "c2": options.c2,
        "features": asdict(options.features),
        "dev": {f"{s.span_type}_{s.matching}_f1": round(100 * s.f1, 2) for s in scores},
        "model": str(model_path),
    }


def tune_tagger(
    train: list[Sentence], dev: list[Sentence], grid: list[TrainOptions], work_dir: Path, workers: int = 2
) -> list[dict[str, Any]]:
    """Train every grid point (``workers`` processes) and score it on dev; best merged strict F1 first."""
    from concurrent.futures import ProcessPoolExecutor

    jobs = [(train, dev, options, work_dir / f"grid_{k}.crfsuite") for k, options in enumerate(grid)]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(_train_and_score, jobs))
    return sorted(results, key=lambda r: -r["dev"]["merged_strict_f1"])
