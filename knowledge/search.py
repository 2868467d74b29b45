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
structural signal adds LINK_BOOST to the passages that the knowledge base
links to a place, office or programme named in the query (a fact's source
passage), so "how many visitors come from China" prefers China's profile over
the seven other profiles that use the same words. When neither
signal is strong (the best cosine is low and no query word is rare in the
corpus) the result says `abstain`, so the caller can admit the plan has no
answer instead of padding with an unrelated passage.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Literal, Optional, Sequence, Tuple

import numpy as np
from rank_bm25 import BM25Plus

from knowledge.facts import KNOWLEDGE_DIR
from nlu.embedding import Embedder, load_embedder
from nlu.gazetteer import Gazetteer
from nlu.languages import input_language
from nlu.normalize import normalize
from nlu.tokenization import tokenize

INDEX_DIR = KNOWLEDGE_DIR.parent / "build" / "index"
Mode = Literal["lexical", "dense", "hybrid"]
LINK_BOOST = 0.5


_STEMMED = {"ru": "russian", "en": "english"}
_PUNCTUATION = re.compile(r"[^\w\u0e00-\u0e7f]+")
"""Splits "(JICA)" into "JICA"; Thai vowel signs are not \\w, so keep them."""


@lru_cache(maxsize=None)
def _stemmer(language: str):
    import snowballstemmer

    return snowballstemmer.stemmer(_STEMMED[language])


def index_terms(text: str, language: str) -> List[str]:
    """Lower-cased (and, where words inflect, stemmed) word forms for BM25;
    punctuation and symbols are dropped."""
    base = input_language(language)
    words = [
        piece
        for word in tokenize(text, base)
        for piece in _PUNCTUATION.split(word.normalized.lower())
        if piece
    ]
    return _stemmer(base).stemWords(words) if base in _STEMMED else words


@dataclass(frozen=True)
class Document:
    """A rendering of a passage (for BM25) or a chunk of one (for embeddings)."""

    passage_id: str
    language: str
    text: str


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


class SearchIndex:
    """A loaded index: BM25 per language over renderings, embeddings of chunks.
    Without `thresholds` it never abstains (benchmarks on other corpora)."""

    def __init__(
        self,
        documents: Sequence[Document],
        chunks: Sequence[Document],
        embeddings: np.ndarray,
        embedder: Embedder,
        thresholds: Optional[Thresholds] = None,
        links: Optional[Dict[str, List[str]]] = None,
        gazetteer: Optional[Gazetteer] = None,
    ) -> None:
        if len(chunks) != len(embeddings):
            raise ValueError(f"{len(chunks)} chunks but {len(embeddings)} embeddings")
        self.documents = tuple(documents)
        self.chunks = tuple(chunks)
        self.embeddings = embeddings
        self.embedder = embedder
        self.thresholds = thresholds
        self.links = links or {}
        self.gazetteer = gazetteer
        self.passage_ids = tuple(dict.fromkeys(d.passage_id for d in self.documents))
        self._bm25: Dict[str, Tuple[BM25Plus, List[int]]] = {}
        by_language: Dict[str, List[int]] = {}
        for position, document in enumerate(self.documents):
            by_language.setdefault(document.language, []).append(position)
        for language, positions in by_language.items():
            corpus = [index_terms(self.documents[p].text, language) for p in positions]
            self._bm25[language] = (BM25Plus(corpus), positions)

    @classmethod
    def load(cls, directory: Path = INDEX_DIR, embedder: Optional[Embedder] = None) -> "SearchIndex":
        """Load an index written by `knowledge.build`."""
        manifest_path = directory / "manifest.json"
        if not manifest_path.exists():
            raise FileNotFoundError(f"{manifest_path} is missing: run `make index`.")
        manifest = json.loads(manifest_path.read_text("utf-8"))
        documents = [Document(**row) for row in manifest["documents"]]
        chunks = [Document(**row) for row in manifest["chunks"]]
        embeddings = np.load(directory / "embeddings.npy")
        embedder = embedder or load_embedder(manifest["embedder"])
        if embedder.name != manifest["embedder"]:
            raise ValueError(
                f"The index was built with {manifest['embedder']}, not {embedder.name}: "
                "rebuild it with `make index`."
            )
        return cls(
            documents, chunks, embeddings, embedder, Thresholds(**manifest["thresholds"]),
            manifest["links"], Gazetteer.from_dict(manifest["names"]),
        )

    def _lexical_scores(self, query: str, language: str) -> Dict[str, float]:
        """Best BM25 score per passage among the query language's renderings."""
        bm25, positions = self._bm25.get(language) or self._bm25["ja"]
        terms = index_terms(query, language)
        scores: Dict[str, float] = {}
        if not terms:
            return scores
        for position, score in zip(positions, bm25.get_scores(terms)):
            passage_id = self.documents[position].passage_id
            scores[passage_id] = max(scores.get(passage_id, 0.0), float(score))
        return scores

    def _dense_scores(self, query: str) -> Dict[str, float]:
        """Best cosine per passage over all chunks of all its renderings."""
        vector = self.embedder.encode([normalize(query)])[0]
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

    def _boost_linked(self, query: str, fused: Dict[str, float]) -> None:
        """Raise the passages linked to what the query names (see module doc)."""
        if self.gazetteer is None:
            return
        for value in {match.value for match in self.gazetteer.find(query)}:
            for passage_id in self.links.get(value, []):
                if passage_id in self.passage_ids:
                    fused[passage_id] = fused.get(passage_id, 0.0) + LINK_BOOST

    def search(self, query: str, language: str, k: int = 3, mode: Mode = "hybrid") -> SearchResult:
        """The `k` best passages for `query` written in `language`."""
        lexical = self._lexical_scores(query, language) if mode != "dense" else {}
        dense = self._dense_scores(query) if mode != "lexical" else {}
        fused = self._fuse(lexical, dense)
        if mode == "hybrid":
            self._boost_linked(query, fused)
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
