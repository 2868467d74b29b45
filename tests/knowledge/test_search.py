"""The index build and the hybrid search: determinism, cross-language
retrieval, abstention, malformed data, and both embedder backends."""
import hashlib

import numpy as np
import pytest

from knowledge import build as index_build
from knowledge.facts import KnowledgeError
from knowledge.search import SearchIndex, index_terms
from nlu.embedding import SentenceTransformerEmbedder, UseEmbedder, load_embedder, minilm_path


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    first, second = tmp_path_factory.mktemp("a"), tmp_path_factory.mktemp("b")
    index_build.build(first)
    index_build.build(second)
    return first, second


def test_build_is_deterministic(built):
    first, second = built
    for name in ("manifest.json", "embeddings.npy"):
        digest = [hashlib.sha256((d / name).read_bytes()).hexdigest() for d in built]
        assert digest[0] == digest[1], name


@pytest.fixture(scope="module")
def index(built):
    return SearchIndex.load(built[0])


@pytest.mark.parametrize("query,language,passage", [
    ("外国人相談センターは何言語に対応していますか", "ja", "d2-s1-example-consultation-center"),
    ("How many languages does the consultation center for foreign residents support?", "en",
     "d2-s1-example-consultation-center"),
    ("北海道的出口标志在哪些国家注册了？", "zh", "d3-s2-example-export-symbol-mark"),
    ("HACCP 인증 강습회는 언제부터 열렸어요?", "ko", "d3-s1-example-haccp-seminars"),
    ("ฮอกไกโดไปเวียดนามเพื่อขอให้มีเที่ยวบินตรงเมื่อไหร่", "th", "d2-s3-example-vietnam-top-sales"),
    ("Сколько регулярных рейсов из Китая?", "ru", "s4-region-china"),
])
def test_questions_in_any_language_find_the_japanese_plans_passage(index, query, language, passage):
    result = index.search(query, language, k=3)
    assert passage in [hit.passage_id for hit in result.hits]
    assert not result.abstain


@pytest.mark.parametrize("query,language", [
    ("What's the best ramen shop in Sapporo?", "en"), ("明日の札幌の天気は？", "ja"),
    ("비트코인 가격 알려줘", "ko"),
])
def test_unrelated_questions_abstain(index, query, language):
    assert index.search(query, language).abstain


def test_lexical_terms_are_stemmed_and_stripped():
    assert index_terms("рейсов из Китая (JICA)", "ru") == ["рейс", "из", "кит", "jica"]
    assert "offices" not in index_terms("Hokkaido offices", "en")


def test_malformed_search_questions_name_file_and_entry(tmp_path, monkeypatch):
    (tmp_path / "en.yml").write_text("language: en\nquestions:\n  no-such-passage: [x]\n", "utf-8")
    monkeypatch.setattr(index_build, "SEARCH_QUESTIONS_DIR", tmp_path)
    with pytest.raises(KnowledgeError, match=r"en\.yml: questions\.no-such-passage: no passage"):
        index_build.search_questions()


def test_default_embedder_is_multilingual_and_normalized():
    embedder = load_embedder()
    assert isinstance(embedder, UseEmbedder)
    vectors = embedder.encode(["北海道の海外事務所", "Hokkaido's overseas offices", "Пицца"])
    assert vectors.shape == (3, 512)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-4)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]


def test_sentence_transformers_backend_runs_offline_with_the_packaged_model():
    embedder = load_embedder(f"sentence-transformers:{minilm_path()}")
    assert isinstance(embedder, SentenceTransformerEmbedder) and embedder.dimension == 384
    vectors = embedder.encode(["overseas office in Seoul", "office in Seoul abroad", "ramen recipe"])
    assert vectors.shape == (3, 384)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]


def test_an_index_refuses_a_different_embedder(built):
    other = load_embedder(f"sentence-transformers:{minilm_path()}")
    with pytest.raises(ValueError, match="rebuild it with `make index`"):
        SearchIndex.load(built[0], embedder=other)


def test_unknown_embedder_spec_says_what_to_use():
    with pytest.raises(ValueError, match="use-multilingual-v3"):
        load_embedder("word2vec")
