"""Rasa component: rank the plan's passages for each message, in the parse data.

The Rasa process has already segmented the message (its tokens), encoded it
(the sentence vector of `SentenceEmbeddingFeaturizer`) and found the things it
names (the gazetteer). Ranking here reuses all three, so the action service
needs no tokenizer, detector or encoder: it reads the candidates and their
scores from `retrieval` in the parse data and decides what to say.

The index is the one `make index` writes (`build/index/`, or `index_dir`).
If it was built with another encoder than the pipeline's (for example a
sentence-transformers model), that encoder is loaded here to encode queries.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Dict, List, Optional, Text

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from knowledge.search import INDEX_DIR, Query, SearchIndex, read_manifest, terms_of_words
from nlu.components.language_detector import LANGUAGE_PROPERTY
from nlu.components.sentence_featurizer import SENTENCE_VECTOR_PROPERTY
from nlu.embedding import load_embedder
from nlu.normalize import normalize

logger = logging.getLogger(__name__)

RETRIEVAL_PROPERTY = "retrieval"
NAMED_ENTITIES = ("place", "office", "program", "term", "topic")


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False
)
class PassageRetriever(GraphComponent):
    """Adds `retrieval`: the best passages with their scores, and `abstain`."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"index_dir": str(INDEX_DIR), "candidates": 5, "embedder": "use-multilingual-v3"}

    def __init__(self, config: Dict[Text, Any]) -> None:
        directory = Path(config["index_dir"])
        built_with = read_manifest(directory)["embedder"]
        # The pipeline's vectors fit an index built with the same encoder;
        # any other index brings its own encoder for the query.
        self._encoder = None if built_with == config["embedder"] else load_embedder(built_with)
        if self._encoder is not None:
            logger.info("The index was built with %s: queries are encoded with it.", built_with)
        self._index = SearchIndex.load(directory, embedder=self._encoder, load_model=False)
        self._candidates = int(config["candidates"])

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "PassageRetriever":
        return cls(config)

    def _query(self, message: Message) -> Query:
        language = message.get(LANGUAGE_PROPERTY) or "en"
        tokens = message.get(TOKENS_NAMES[TEXT]) or []
        words = [token.lemma or token.text for token in tokens]
        vector: Optional[np.ndarray] = message.get(SENTENCE_VECTOR_PROPERTY)
        if self._encoder is not None:
            vector = self._encoder.encode([normalize(message.get(TEXT) or "")])[0]
        named = frozenset(
            str(e["value"]) for e in message.get(ENTITIES) or [] if e.get("entity") in NAMED_ENTITIES
        )
        return Query(language, tuple(terms_of_words(words, language)), vector, named)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            if not message.get(TEXT):
                continue
            result = self._index.rank(self._query(message), k=self._candidates)
            message.set(RETRIEVAL_PROPERTY, {
                "candidates": [
                    {"passage": hit.passage_id, "score": round(hit.score, 4),
                     "lexical": round(hit.lexical, 4), "dense": round(hit.dense, 4)}
                    for hit in result.hits
                ],
                "abstain": result.abstain,
            }, add_to_output=True)
        return messages
