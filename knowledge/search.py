"""Hybrid search over the plan's passages in every language.

Each passage is indexed once per rendering (Japanese original, translations,
easy Japanese). A query is scored two ways:

- lexical: BM25+ (the `rank-bm25` package; BM25+ does not penalize long
  passages below short ones that lack the query terms) over the renderings in the query's
  language, with that language's tokenizer from `nlu.tokenization` (and a
  Snowball stemmer for Russian and English, whose words inflect);
- dense: cosine similarity of multilingual sentence embeddings against
  chunks of every rendering (the whole passage and its lines), so a question
  in one language finds passages in any other, and a question about one line
  of a long passage is not drowned by the rest.

Both scores are scaled to [0, 1] per query and summed per passage. A third,
structural signal adds LINK_BOOST to the passages that mention a place,
office, programme or organisation named in the query (found by the
gazetteer at build time, in the Japanese original) or that the knowledge base
links to it (a fact's source passage), so "how many visitors come from China"
prefers China's profile over the seven other profiles that use the same
words, and a Korean question about Bangkok meets the passage that says
タイ／バンコク. When neither text signal is strong (the best cosine is low and
no query word is rare in the corpus) the result says `abstain`, so the caller
can admit the plan has no answer instead of padding with an unrelated passage.

The core, `SearchIndex.rank`, takes a `Query` whose words, vector and named
things were already computed: in the assistant that is the Rasa NLU pipeline
(`nlu.components.passage_retriever`), which has tokenized and encoded the
message anyway. `SearchIndex.search` computes them from text, for the index
build, the evaluations and the benchmarks.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, FrozenSet, List, Literal, Optional, Sequence, Tuple

import numpy as np
from rank_bm25 import BM25Plus

from knowledge.facts import INDEX_DIR
from nlu.embedding import Embedder, load_embedder
from nlu.gazetteer import Gazetteer
from nlu.languages import input_language
from nlu.normalize import normalize
from nlu.tokenization import tokenize

Mode = Literal["lexical", "dense", "hybrid"]
LINK_BOOST = 0.5


_STEMMED = {"ru": "russian", "en": "english"}
_PUNCTUATION = re.compile(r"[^\w\u0e00-\u0e7f]+")
"""Splits "(JICA)" into "JICA"; Thai vowel signs are not \\w, so keep them."""


@lru_cache(maxsize=None)
def _stemmer(language: str):
    import snowballstemmer

    return snowballstemmer.stemmer(_STEMMED[language])


def terms_of_words(words: Sequence[str], language: str) -> List[str]:
    """Lower-cased (and, where words inflect, stemmed) forms of already
    segmented words for BM25; punctuation and symbols are dropped."""
    base = input_language(language)
    pieces = [piece for word in words for piece in _PUNCTUATION.split(word.lower()) if piece]
    return _stemmer(base).stemWords(pieces) if base in _STEMMED else pieces


def index_terms(text: str, language: str) -> List[str]:
    """BM25 terms of a text, segmented with its language's tokenizer."""
    base = input_language(language)
    return terms_of_words([word.normalized for word in tokenize(text, base)], base)


@dataclass(frozen=True)
class Document:
    """A rendering of a passage (for BM25) or a chunk of one (for embeddings)."""

    passage_id: str
    language: str
    text: str
    terms: Optional[Tuple[str, ...]] = None
    """BM25 terms computed at build time (so loading needs no tokenizer)."""


@dataclass(frozen=True)
class Query:
    """What the ranking needs of a question, however it was computed."""

    language: str
    terms: Tuple[str, ...]
    vector: Optional[np.ndarray]
    named: FrozenSet[str] = frozenset()
    """Ids of the things the question names (gazetteer values)."""


@dataclass(frozen=True)
class Hit:
    passage_id: str
    score: float
    lexical: float
    dense: float


@dataclass(frozen=True)
class SearchResult:
    hits: Tuple[Hit, ...]
    abstain: bool


@dataclass(frozen=True)
class Thresholds:
    """When to abstain; the values live in knowledge/search.yml."""

    min_dense: float
    min_lexical: float


def read_manifest(directory: Path = INDEX_DIR) -> dict:
    """The index manifest written by `knowledge.build`, or a clear error."""
    manifest_path = directory / "manifest.json"
    if not manifest_path.exists():
        raise FileNotFoundError(f"{manifest_path} is missing: run `make index`.")
    return json.loads(manifest_path.read_text("utf-8"))


class SearchIndex:
    """A loaded index: BM25 per language over renderings, embeddings of chunks.
    Without `thresholds` it never abstains (benchmarks on other corpora)."""

    def __init__(
        self,
        documents: Sequence[Document],
        chunks: Sequence[Document],
        embeddings: np.ndarray,
        embedder: Optional[Embedder],
        thresholds: Optional[Thresholds] = None,
        links: Optional[Dict[str, List[str]]] = None,
        gazetteer: Optional[Gazetteer] = None,
        embedder_name: str = "",
    ) -> None:
        if len(chunks) != len(embeddings):
            raise ValueError(f"{len(chunks)} chunks but {len(embeddings)} embeddings")
        self.documents = tuple(documents)
        self.chunks = tuple(chunks)
        self.embeddings = embeddings
        self.embedder = embedder
        self.embedder_name = embedder.name if embedder is not None else embedder_name
        self.thresholds = thresholds
        self.links = links or {}
        self.gazetteer = gazetteer
        self.passage_ids = tuple(dict.fromkeys(d.passage_id for d in self.documents))
        self._bm25: Dict[str, Tuple[BM25Plus, List[int]]] = {}
        by_language: Dict[str, List[int]] = {}
        for position, document in enumerate(self.documents):
            by_language.setdefault(document.language, []).append(position)
        for language, positions in by_language.items():
            corpus = [
                list(self.documents[p].terms) if self.documents[p].terms is not None
                else index_terms(self.documents[p].text, language)
                for p in positions
            ]
            self._bm25[language] = (BM25Plus(corpus), positions)

    @classmethod
    def load(
        cls, directory: Path = INDEX_DIR, embedder: Optional[Embedder] = None,
        load_model: bool = True,
    ) -> "SearchIndex":
        """Load an index written by `knowledge.build`. With `load_model=False`
        no encoder is loaded: the caller brings query vectors (`rank`)."""
        manifest = read_manifest(directory)
        documents = [Document(**{**row, "terms": tuple(row["terms"])}) for row in manifest["documents"]]
        chunks = [Document(**row) for row in manifest["chunks"]]
        embeddings = np.load(directory / "embeddings.npy")
        if embedder is None and load_model:
            embedder = load_embedder(manifest["embedder"])
        if embedder is not None and embedder.name != manifest["embedder"]:
            raise ValueError(
                f"The index was built with {manifest['embedder']}, not {embedder.name}: "
                "rebuild it with `make index`."
            )
        links = {value: list(dict.fromkeys(manifest["links"].get(value, []) + passages))
                 for value, passages in manifest["mentioned_in"].items()}
        links.update({v: p for v, p in manifest["links"].items() if v not in links})
        return cls(
            documents, chunks, embeddings, embedder, Thresholds(**manifest["thresholds"]),
            links, Gazetteer.from_dict(manifest["names"]), manifest["embedder"],
        )

    def _lexical_scores(self, terms: Sequence[str], language: str) -> Dict[str, float]:
        """Best BM25 score per passage among the query language's renderings."""
        bm25, positions = self._bm25.get(input_language(language)) or self._bm25["ja"]
        scores: Dict[str, float] = {}
        if not terms:
            return scores
        for position, score in zip(positions, bm25.get_scores(terms)):
            passage_id = self.documents[position].passage_id
            scores[passage_id] = max(scores.get(passage_id, 0.0), float(score))
        return scores

    def _dense_scores(self, vector: np.ndarray) -> Dict[str, float]:
        """Best cosine per passage over all chunks of all its renderings."""
        similarities = self.embeddings @ vector
        scores: Dict[str, float] = {}
        for chunk, similarity in zip(self.chunks, similarities):
            scores[chunk.passage_id] = max(scores.get(chunk.passage_id, -1.0), float(similarity))
        return scores

    @staticmethod
    def _fuse(lexical: Dict[str, float], dense: Dict[str, float]) -> Dict[str, float]:
        """Sum of the two scores, each scaled to [0, 1] over this query's passages.

        Unlike rank fusion this keeps how sure each signal is: a BM25 score far
        above the rest is not outvoted by a near-tie among embeddings.
        """
        fused: Dict[str, float] = {}
        for scores in (lexical, dense):
            positive = {pid: score for pid, score in scores.items() if score > 0}
            if not positive:
                continue
            low, high = min(positive.values()), max(positive.values())
            span = high - low or 1.0
            for pid, score in positive.items():
                fused[pid] = fused.get(pid, 0.0) + (score - low) / span
        return fused

    def _boost_linked(self, named: FrozenSet[str], fused: Dict[str, float]) -> None:
        """Raise the passages that mention or are linked to what the query names."""
        for value in named:
            for passage_id in self.links.get(value, []):
                if passage_id in self.passage_ids:
                    fused[passage_id] = fused.get(passage_id, 0.0) + LINK_BOOST

    def query(self, text: str, language: str, mode: Mode = "hybrid") -> Query:
        """A Query computed from text (tokenizer, encoder and gazetteer of this process)."""
        if self.embedder is None and mode != "lexical":
            raise ValueError("This index was loaded without an encoder; pass query vectors to rank().")
        vector = self.embedder.encode([normalize(text)])[0] if mode != "lexical" else None
        named = frozenset(m.value for m in self.gazetteer.find(text)) if self.gazetteer else frozenset()
        return Query(language, tuple(index_terms(text, language)), vector, named)

    def search(self, text: str, language: str, k: int = 3, mode: Mode = "hybrid") -> SearchResult:
        """The `k` best passages for `text` written in `language`."""
        return self.rank(self.query(text, language, mode), k, mode)

    def rank(self, query: Query, k: int = 3, mode: Mode = "hybrid") -> SearchResult:
        """The `k` best passages for a prepared query."""
        lexical = self._lexical_scores(query.terms, query.language) if mode != "dense" and query.terms else {}
        dense = self._dense_scores(query.vector) if mode != "lexical" and query.vector is not None else {}
        fused = self._fuse(lexical, dense)
        if mode == "hybrid":
            self._boost_linked(query.named, fused)
        ordered = sorted(fused, key=lambda pid: (-fused[pid], pid))[:k]
        hits = tuple(
            Hit(pid, fused[pid], lexical.get(pid, 0.0), dense.get(pid, 0.0)) for pid in ordered
        )
        best_dense = max(dense.values(), default=0.0)
        best_lexical = max(lexical.values(), default=0.0)
        abstain = not hits or self.thresholds is not None and (
            (mode == "lexical" or best_dense < self.thresholds.min_dense)
            and (mode == "dense" or best_lexical < self.thresholds.min_lexical)
        )
        return SearchResult(hits, abstain)
