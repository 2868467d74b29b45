"""Rasa component: multilingual sentence embeddings as dense features.

One sentence vector per message (shape (1, dim)). No sequence features: the
intent classifier reads sentence features only, and embedding every token
separately would multiply the per-message cost for nothing.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text, Type

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.nlu.tokenizers.tokenizer import Tokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu.components.language_detector import LANGUAGE_PROPERTY
from nlu.embedding import DEFAULT_EMBEDDER, load_embedder
from nlu.korean_chat import expand_abbreviations
from nlu.languages import LANGUAGES


SENTENCE_VECTOR_PROPERTY = "sentence_vector"
"""Message property with the unit-length sentence vector (unscaled), for
components after this one (passage retrieval) that need the same encoding."""


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False
)
class SentenceEmbeddingFeaturizer(DenseFeaturizer, GraphComponent):
    """Adds the embedder's sentence vector of the user text to each message."""

    @classmethod
    def required_components(cls) -> List[Type]:
        return [Tokenizer]

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            **DenseFeaturizer.get_default_config(),
            "embedder": DEFAULT_EMBEDDER,
            "batch_size": 64,
            # Unit-length embeddings sit next to raw n-gram counts in one
            # linear model; scaling them up lets the regularized classifier
            # use them (chosen by `make eval-nlu`, see docs/nlu-pipeline.md).
            "scale": 1.0,
            # The encoder is not equally good in every language; where it is
            # weak, a smaller scale lets the n-grams weigh more. Maps a
            # language code to the scale used instead of `scale`.
            "scale_by_language": {},
        }

    @classmethod
    def validate_config(cls, config: Dict[Text, Any]) -> None:
        """Fail at training time, with a useful message, on a bad embedder
        or scale (a typo in a language code would otherwise be ignored)."""
        load_embedder(config["embedder"])
        scales = {None: config["scale"], **(config["scale_by_language"] or {})}
        for language, scale in scales.items():
            if language is not None and language not in LANGUAGES:
                raise ValueError(
                    f"scale_by_language: unknown language {language!r}; "
                    f"expected one of {', '.join(LANGUAGES)}"
                )
            if isinstance(scale, bool) or not isinstance(scale, (int, float)) or scale <= 0:
                raise ValueError(f"sentence scale must be a positive number, got {scale!r}")

    def __init__(self, config: Dict[Text, Any], name: Text) -> None:
        super().__init__(name, config)
        self._embedder = load_embedder(config["embedder"])
        self._scale_by_language = dict(config["scale_by_language"] or {})

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "SentenceEmbeddingFeaturizer":
        return cls(config, execution_context.node_name)

    def _featurize(self, messages: List[Message], keep_vector: bool = False) -> None:
        with_text = [m for m in messages if m.get(TEXT)]
        size = self._config["batch_size"]
        for start in range(0, len(with_text), size):
            batch = with_text[start : start + size]
            texts = [expand_abbreviations(m.get(TEXT)) for m in batch]
            vectors = self._embedder.encode(texts)
            for message, vector in zip(batch, vectors):
                if keep_vector:
                    message.set(SENTENCE_VECTOR_PROPERTY, vector)
                sentence = np.asarray(vector, dtype=np.float32).reshape(1, -1) * self._scale(message)
                self.add_features_to_message(None, sentence, TEXT, message)

    def _scale(self, message: Message) -> float:
        language = message.get(LANGUAGE_PROPERTY)
        return self._scale_by_language.get(language, self._config["scale"])

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self._featurize(training_data.training_examples)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        self._featurize(messages, keep_vector=True)
        return messages
