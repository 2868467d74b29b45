"""The custom Rasa components, in the style of rasa-3.x-component-examples:
tokens and offsets, feature shapes, language entities, and
train -> persist -> load giving identical predictions."""
import uuid

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu.components.gazetteer_extractor import GazetteerEntityExtractor
from nlu.components.language_detector import LanguageDetector
from nlu.components.sentence_featurizer import SentenceEmbeddingFeaturizer
from nlu.components.tokenizer import MultilingualTokenizer


@pytest.fixture
def storage(tmp_path):
    return LocalModelStorage.create(tmp_path)


@pytest.fixture
def context():
    return ExecutionContext(GraphSchema({}), uuid.uuid4().hex)


def create(cls, storage, context, **config):
    return cls.create({**cls.get_default_config(), **config}, storage, Resource(cls.__name__), context)


def pipeline(storage, context, texts, metadata=None):
    messages = [Message(data={"text": t, "metadata": metadata or {}}) for t in texts]
    for cls in (LanguageDetector, MultilingualTokenizer):
        create(cls, storage, context).process(messages)
    return messages


@pytest.mark.parametrize("text,language,count", [
    ("こんにちは、北海道です", "ja", 4), ("你好北海道", "zh", 2), ("안녕하세요 홋카이도", "ko", 4),
    ("สวัสดีฮอกไกโด", "th", 2), ("hello Hokkaido", "en", 2), ("привет Хоккайдо", "ru", 2),
])
def test_tokenizer_follows_the_detected_language(storage, context, text, language, count):
    [message] = pipeline(storage, context, [text])
    assert message.get("language") == language
    tokens = message.get("text_tokens")
    assert len(tokens) == count
    assert all(text[t.start:t.end] == t.text for t in tokens)


def test_language_entity_only_when_confident(storage, context):
    sure, unsure = pipeline(storage, context, ["ソウル事務所は？", "👍"])
    assert [e["value"] for e in sure.get("entities") if e["entity"] == "language"] == ["ja"]
    assert not [e for e in unsure.get("entities") or [] if e["entity"] == "language"]


def test_menu_choice_in_metadata_becomes_an_entity(storage, context):
    [message] = pipeline(storage, context, ["ok"], metadata={"language": "th"})
    assert {"language_choice": "th"} == {
        e["entity"]: e["value"] for e in message.get("entities") if e["entity"] == "language_choice"
    }
    assert message.get("language") == "th"


def test_sentence_features_have_the_embedding_dimension(storage, context):
    messages = pipeline(storage, context, ["上海事務所", "Seoul office"])
    create(SentenceEmbeddingFeaturizer, storage, context).process(messages)
    for message in messages:
        sequence, sentence = message.get_dense_features("text")
        assert sequence is None
        assert sentence.features.shape == (1, 512)
    a, b = (m.get_dense_features("text")[1].features[0] for m in messages)
    assert np.isclose(np.linalg.norm(a), 1.0, atol=1e-3)


def test_sentence_scale_can_differ_per_language(storage, context):
    messages = pipeline(storage, context, ["上海事務所", "서울 사무소"])
    create(SentenceEmbeddingFeaturizer, storage, context, scale=16, scale_by_language={"ko": 8}).process(messages)
    norms = [np.linalg.norm(m.get_dense_features("text")[1].features[0]) for m in messages]
    assert np.allclose(norms, [16, 8], atol=1e-2)


@pytest.mark.parametrize("config", [{"scale_by_language": {"kr": 8}}, {"scale_by_language": {"ko": "8"}}, {"scale": 0}])
def test_a_bad_sentence_scale_is_refused_with_its_reason(storage, context, config):
    with pytest.raises(ValueError, match="scale"):
        create(SentenceEmbeddingFeaturizer, storage, context, **config)


def test_sentence_vector_of_a_consonant_abbreviation_is_that_of_its_word(storage, context):
    messages = pipeline(storage, context, ["ㄳ", "감사", "ㅋㅋ"])
    create(SentenceEmbeddingFeaturizer, storage, context).process(messages)
    abbreviation, word, laughter = (m.get_dense_features("text")[1].features[0] for m in messages)
    assert np.allclose(abbreviation, word, atol=1e-5)  # batch order moves the last float bit
    assert not np.allclose(laughter, word, atol=1e-2)


def test_gazetteer_train_persist_load_gives_identical_entities(storage, context):
    texts = ["ソウル事務所は何語で発信？", "How many flights from China?", "중국에서 오는 정기편은?",
             "Сколько рейсов из Китая?", "แล้วเกาหลีล่ะ", "请用英语回答", "HACCP講習会"]
    resource = Resource("gazetteer")
    config = GazetteerEntityExtractor.get_default_config()
    trained = GazetteerEntityExtractor.create(config, storage, resource, context)
    trained.train(TrainingData())
    before = [m.get("entities") for m in trained.process(pipeline(storage, context, texts))]
    loaded = GazetteerEntityExtractor.load(config, storage, resource, context)
    after = [m.get("entities") for m in loaded.process(pipeline(storage, context, texts))]
    assert before == after
    found = [{(e["entity"], e["value"]) for e in entities} for entities in after]
    assert ("office", "seoul_office") in found[0]
    assert {("metric", "flights"), ("place", "china")} <= found[1]
    assert {("metric", "flights"), ("place", "china")} <= found[2]
    assert {("metric", "flights"), ("place", "china")} <= found[3]
    assert ("place", "korea") in found[4]
    assert ("requested_language", "en") in found[5]
    assert ("program", "haccp_seminars") in found[6]


def test_gazetteer_fingerprint_follows_the_knowledge_names(monkeypatch):
    """Rasa's training cache must retrain the gazetteer when knowledge/ names change."""
    import knowledge.facts

    before = GazetteerEntityExtractor.fingerprint_addon({})
    assert before == GazetteerEntityExtractor.fingerprint_addon({})
    terms = knowledge.facts.gazetteer_terms()
    monkeypatch.setattr(knowledge.facts, "gazetteer_terms", lambda: terms + [("place", "x", "Xanadu")])
    assert GazetteerEntityExtractor.fingerprint_addon({}) != before
