from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from rolescope.enrich.evaluation import Sentence, evaluate, read_skillspan
from rolescope.enrich.skills import tagger as crf
from rolescope.errors import NotReady
from rolescope.knowledge.skills import load_taxonomy

# Dev merged strict F1 of the shipped model as measured when it was trained (see its card); the
# test allows half a point of drift (e.g. a slightly different dictionary feature).
SHIPPED_DEV_MERGED_STRICT_F1 = 41.4


@pytest.fixture(scope="module")
def taxonomy():
    return load_taxonomy()


@pytest.fixture(scope="module")
def shipped(taxonomy) -> crf.SpanTagger:
    return crf.SpanTagger(taxonomy=taxonomy)


def test_features_for_a_known_sentence(taxonomy) -> None:
    tokens = ["Experience", "with", "Python"]
    dict_tags = crf.DictionaryFeature(taxonomy).tags(tokens)
    assert dict_tags == [None, None, "B-knowledge:tool"]
    features = crf.sentence_features(tokens, dict_tags, crf.FeatureOptions())
    last = set(features[2])
    assert {"w=python", "p2=py", "p4=pyth", "s3=hon", "shape=Aa", "title", "pos=last"} <= last
    assert {"w-1=with", "w-2=experience", "w+1=</s>", "bigram-1=with|python"} <= last
    assert {"dict=B-knowledge:tool", "dict_type=knowledge", "dict-1=O"} <= last
    assert "dict+1=B" in features[1] and "dict=O" in features[0]
    assert "upper" not in last and "digit" not in last and "punct" not in last
    assert "punct" in crf.sentence_features(["C++"], None, crf.FeatureOptions())[0]


def test_a_token_in_both_layers_takes_the_knowledge_tag() -> None:
    sentence = Sentence(
        ["develop", "Java", "applications", "."], {"skill": {(0, 3)}, "knowledge": {(1, 2)}}, "tech"
    )
    assert crf.combined_tags(sentence) == ["B-SKILL", "B-KNOWLEDGE", "I-SKILL", "O"]
    assert crf.double_labelled([sentence]) == (1, 3)


def test_tags_to_spans() -> None:
    tags = ["B-SKILL", "I-SKILL", "O", "B-KNOWLEDGE", "B-KNOWLEDGE", "I-KNOWLEDGE"]
    assert crf.tags_to_spans(tags) == {"skill": {(0, 2)}, "knowledge": {(3, 4), (4, 6)}}


def test_tokenize_keeps_technical_words_whole() -> None:
    words = [t[0] for t in crf.tokenize("C++, C#, .NET, CI/CD and Node.js. Python.")]
    assert words == ["C++", ",", "C#", ",", ".NET", ",", "CI/CD", "and", "Node.js", ".", "Python", "."]


def test_shipped_model_tags_a_sentence(shipped: crf.SpanTagger) -> None:
    assert crf.MODEL_PATH.stat().st_size < 5_000_000
    text = "Experience with Python and strong communication skills"
    spans = shipped.extract(text)
    knowledge = [s for s in spans if s.span_type == "knowledge"]
    skills = [s for s in spans if s.span_type == "skill"]
    assert any(s.text == "Python" and s.skill_id == "python" for s in knowledge), spans
    assert any(s.start <= text.index("communication") < s.end for s in skills), spans
    tokens = text.split()
    tagged = shipped.tag(tokens)
    assert (2, 3) in tagged["knowledge"]


def test_shipped_model_card_describes_the_model(shipped: crf.SpanTagger) -> None:
    card = json.loads(crf.card_path_for(crf.MODEL_PATH).read_text())
    assert card["model_file"] == crf.MODEL_PATH.name
    assert "SkillSpan" in card["data"] and "MIT" in card["data"]
    assert card["rebuild"].startswith("rolescope skills train")
    assert (
        card["tuning"]
        and card["dev_scores"]["merged_strict_f1"] == card["tuning"][0]["dev"]["merged_strict_f1"]
    )


def test_shipped_model_dev_score(shared_data: Path, shipped: crf.SpanTagger) -> None:
    dev = read_skillspan(shared_data / "skill_gold" / "skillspan" / "json" / "dev.json")
    merged = {(s.span_type, s.matching): s.f1 for s in evaluate(dev, shipped.tag)}
    assert 100 * merged[("merged", "strict")] >= SHIPPED_DEV_MERGED_STRICT_F1 - 0.5


def _tiny_train(tmp_path: Path, taxonomy) -> Path:
    tokens = ["Experience", "with", "Python", "and", "strong", "communication", "skills", "."]
    skill = ["O", "O", "O", "O", "O", "B", "I", "O"]
    knowledge = ["O", "O", "B", "O", "O", "O", "O", "O"]
    other = ["We", "offer", "a", "great", "office", "."]
    sentences = [
        Sentence(tokens, {"skill": {(5, 7)}, "knowledge": {(2, 3)}}, "tech")
        if k % 2
        else Sentence(other, {"skill": set(), "knowledge": set()}, "house")
        for k in range(20)
    ]
    assert len(skill) == len(knowledge) == len(tokens)
    model = tmp_path / "tiny.crfsuite"
    options = crf.TrainOptions(max_iterations=30)
    crf.train_tagger(sentences, model, options, taxonomy)
    crf.write_card(model, options, taxonomy.version, {})
    return model


def test_training_on_a_tiny_subset_gives_a_loadable_model(tmp_path: Path, taxonomy) -> None:
    model = _tiny_train(tmp_path, taxonomy)
    tagger = crf.SpanTagger(model, taxonomy)
    found = tagger.tag(["Experience", "with", "Python", "and", "strong", "communication", "skills", "."])
    assert found == {"skill": {(5, 7)}, "knowledge": {(2, 3)}}


def test_a_crfsuite_version_mismatch_asks_to_retrain(tmp_path: Path, taxonomy) -> None:
    model = tmp_path / "m.crfsuite"
    shutil.copyfile(crf.MODEL_PATH, model)
    card = json.loads(crf.card_path_for(crf.MODEL_PATH).read_text())
    card["python_crfsuite_version"] = "0.8.4"
    crf.card_path_for(model).write_text(json.dumps(card))
    with pytest.raises(NotReady, match=r"python-crfsuite 0\.8\.4") as caught:
        crf.SpanTagger(model, taxonomy).tag(["Python"])
    assert "rolescope skills train --data DIR" in caught.value.one_line()


def test_a_missing_model_asks_to_retrain(tmp_path: Path, taxonomy) -> None:
    with pytest.raises(NotReady) as caught:
        crf.SpanTagger(tmp_path / "absent.crfsuite", taxonomy).extract("Python")
    assert "rolescope skills train" in caught.value.one_line()


def test_a_taxonomy_version_mismatch_warns_and_still_runs(tmp_path: Path, taxonomy) -> None:
    model = _tiny_train(tmp_path, taxonomy)
    card_path = crf.card_path_for(model)
    card = json.loads(card_path.read_text())
    card["taxonomy_version"] = "0.0.1"
    card_path.write_text(json.dumps(card))
    assert crf.check_card(card, taxonomy.version).warnings
    with pytest.warns(UserWarning, match=r"taxonomy 0\.0\.1"):
        found = crf.SpanTagger(model, taxonomy).tag(["Experience", "with", "Python"])
    assert "knowledge" in found
