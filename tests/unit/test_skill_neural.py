from __future__ import annotations

import json
from pathlib import Path

import pytest

from rolescope.enrich.evaluation import Sentence
from rolescope.enrich.skills import neural
from rolescope.errors import NotReady


def _sentence(tokens: list[str], skill: set, knowledge: set) -> Sentence:
    return Sentence(tokens, {"skill": skill, "knowledge": knowledge}, "tech")


def test_layer_ids_and_back() -> None:
    assert neural.layer_ids({(1, 3), (4, 5)}, 6) == [0, 1, 2, 0, 1, 0]
    assert neural.ids_to_spans([0, 1, 2, 0, 1, 0]) == {(1, 3), (4, 5)}
    assert neural.ids_to_spans([1, 1, 2]) == {(0, 1), (1, 3)}  # B after B starts a new span
    assert neural.ids_to_spans([0, 2, 2, 0]) == {(1, 3)}  # a stray I starts a span
    assert neural.layer_ids({(2, 9)}, 4) == [0, 0, 1, 2]  # clipped to the sentence


def test_both_layers_survive_a_round_trip() -> None:
    # "Python" is in a skill span and a knowledge span at once: two layers keep both.
    s = _sentence(["program", "in", "Python", "daily"], {(0, 3)}, {(2, 3)})
    rows = neural.sentence_label_ids(s)
    assert rows == [[1, 0], [2, 0], [2, 1], [0, 0]]
    assert neural.label_rows_to_spans(rows) == s.gold


def test_viterbi_forbids_i_after_o() -> None:
    log = lambda p: [float("-inf") if x == 0 else __import__("math").log(x) for x in p]  # noqa: E731
    # argmax would read O I I; the constrained path must start the span with B
    scores = [log((0.9, 0.05, 0.05)), log((0.3, 0.3, 0.4)), log((0.1, 0.1, 0.8))]
    path = neural.viterbi_bio(scores)
    assert path[1:] in ([1, 2],) and path[0] == 0
    assert neural.viterbi_bio([]) == []
    assert neural.viterbi_bio([log((0.2, 0.3, 0.5))]) == [1]  # I cannot start a sentence


def test_chunks_clip_gold_spans() -> None:
    s = _sentence(list("abcdefg"), {(2, 5)}, {(6, 7)})
    pieces = neural.chunk_sentence(s, 3)
    assert [p.tokens for p in pieces] == [["a", "b", "c"], ["d", "e", "f"], ["g"]]
    assert [p.gold["skill"] for p in pieces] == [{(2, 3)}, {(0, 2)}, set()]
    assert [p.gold["knowledge"] for p in pieces] == [set(), set(), {(0, 1)}]
    assert neural.chunk_tokens([], 3) == [(0, [])]


def test_length_batches_group_similar_lengths() -> None:
    lengths = [5, 50, 6, 49, 7, 48, 8]
    batches = neural.length_batches(lengths, batch_size=3)
    assert sorted(i for b in batches for i in b) == list(range(len(lengths)))
    assert [[lengths[i] for i in b] for b in batches] == [[5, 6, 7], [8, 48, 49], [50]]
    capped = neural.length_batches(lengths, batch_size=10, max_tokens=100)
    assert all(max(lengths[i] for i in b) * len(b) <= 100 for b in capped)


def _dev_file(tmp_path: Path) -> Path:
    rows = []
    for source in ("tech", "house"):
        for idx in range(1, 9):
            for k in range(3):
                tokens = [f"{source}{idx}", f"w{k}"]
                rows.append(
                    {
                        "idx": idx,
                        "tokens": tokens,
                        "tags_skill": ["B", "O"],
                        "tags_knowledge": ["O", "O"],
                        "source": source,
                    }
                )
    path = tmp_path / "dev.json"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_split_is_by_document_half_per_source_and_deterministic(tmp_path: Path) -> None:
    path = _dev_file(tmp_path)
    first, second = neural.split_dev(path), neural.split_dev(path)
    assert first.heldout_documents == second.heldout_documents
    assert [s.tokens for s in first.heldout] == [s.tokens for s in second.heldout]
    held = set(first.heldout_documents)
    assert sum(k.startswith("tech:") for k in held) == 4 and sum(k.startswith("house:") for k in held) == 4
    assert not held & set(first.tune_documents)
    assert len(first.heldout) == len(first.tune) == 24
    # every sentence of a document falls on one side
    held_docs = {s.tokens[0] for s in first.heldout}
    assert not held_docs & {s.tokens[0] for s in first.tune}
    # the rule is the documented one: even ranks of the salted sha256 within each source
    tech = sorted((f"tech:{i}" for i in range(1, 9)), key=neural.document_digest)
    assert set(tech[0::2]) <= held
    assert first.describe()["heldout_sentences"] == 24


def test_split_of_the_real_dev_set_is_stable() -> None:
    dev = Path(__file__).resolve().parents[3] / "shared/data/skill_gold/skillspan/json/dev.json"
    if not dev.is_file():
        pytest.skip("no SkillSpan dev here")
    split = neural.split_dev(dev)
    assert (len(split.tune), len(split.heldout)) == (1703, 1471)
    assert len(split.heldout_documents) == 30  # 15 of the 29 documents of each source


def test_missing_torch_raises_not_ready(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real_import = builtins.__import__

    def no_torch(name: str, *args, **kwargs):
        if name == "torch" or name.startswith("torch."):
            raise ImportError("No module named 'torch'", name="torch")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_torch)
    with pytest.raises(NotReady) as info:
        neural.NeuralTagger("/nonexistent").tag(["Python"])
    assert "rolescope[neural]" in (info.value.hint or "")


def test_tagger_on_a_tiny_random_model(tmp_path: Path) -> None:
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    vocab = [
        "[PAD]",
        "[UNK]",
        "[CLS]",
        "[SEP]",
        "[MASK]",
        "python",
        "sql",
        "experience",
        "with",
        "and",
        "##s",
    ]
    (tmp_path / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    tokenizer = transformers.BertTokenizerFast(vocab_file=str(tmp_path / "vocab.txt"))
    config = transformers.BertConfig(
        vocab_size=len(vocab),
        hidden_size=16,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=32,
        max_position_embeddings=64,
        num_labels=6,
    )
    torch.manual_seed(0)
    transformers.BertForTokenClassification(config).save_pretrained(str(tmp_path))
    tokenizer.save_pretrained(str(tmp_path))
    (tmp_path / neural.CARD_NAME).write_text(json.dumps({"max_length": 32, "max_words": 4}), encoding="utf-8")
    tagger = neural.NeuralTagger(tmp_path, threads=1)
    tokens = ["experience", "with", "python", "and", "sql", "pythons"]
    one = tagger.tag(tokens)
    assert set(one) == {"skill", "knowledge"}
    assert all(0 <= a < b <= len(tokens) for spans in one.values() for a, b in spans)
    assert tagger.tag_batch([tokens, [], ["sql"]])[0] == one  # batching and chunking agree
    spans = tagger.extract("Experience with Python and SQL.\nMore SQL")
    assert all(s.text == "Experience with Python and SQL.\nMore SQL"[s.start : s.end] for s in spans)
