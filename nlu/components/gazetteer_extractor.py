"""Rasa component: entities for places, offices, programmes, figure kinds and
requested languages, found by name in all six languages.

Training compiles the names from `knowledge/` into the model, so a trained
model answers the same way even if the knowledge files later change; retrain
to pick up new names (`make run` does when the data changed).
"""
from __future__ import annotations

import hashlib
import json
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu.gazetteer import Gazetteer, Term

_FILENAME = "gazetteer.json"


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=True
)
class GazetteerEntityExtractor(GraphComponent):
    """Finds known names; see `nlu.gazetteer` for the matching rules."""

    def __init__(
        self,
        model_storage: ModelStorage,
        resource: Resource,
        gazetteer: Optional[Gazetteer] = None,
    ) -> None:
        self._model_storage = model_storage
        self._resource = resource
        self._gazetteer = gazetteer

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "GazetteerEntityExtractor":
        return cls(model_storage, resource)

    @classmethod
    def fingerprint_addon(cls, config: Dict[Text, Any]) -> Optional[str]:
        """The names come from knowledge/, not from the training data: make
        Rasa's training cache see changes to them."""
        from knowledge.facts import gazetteer_terms

        rows = json.dumps(sorted(gazetteer_terms()), ensure_ascii=False)
        return hashlib.sha256(rows.encode("utf-8")).hexdigest()

    def train(self, training_data: TrainingData) -> Resource:
        from knowledge.facts import gazetteer_terms

        self._gazetteer = Gazetteer(Term(*row) for row in gazetteer_terms())
        with self._model_storage.write_to(self._resource) as directory:
            (directory / _FILENAME).write_text(
                json.dumps(self._gazetteer.to_dict(), ensure_ascii=False), "utf-8"
            )
        return self._resource

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "GazetteerEntityExtractor":
        try:
            with model_storage.read_from(resource) as directory:
                rows = json.loads((directory / _FILENAME).read_text("utf-8"))
        except (ValueError, FileNotFoundError):
            raise ValueError(
                "The gazetteer is missing from the model; retrain with `make model`."
            ) from None
        return cls(model_storage, resource, Gazetteer.from_dict(rows))

    def process(self, messages: List[Message]) -> List[Message]:
        if self._gazetteer is None:
            return messages
        for message in messages:
            found = self._gazetteer.find(message.get(TEXT) or "")
            if not found:
                continue
            entities = list(message.get(ENTITIES) or [])
            entities.extend(
                {
                    "entity": match.entity,
                    "value": match.value,
                    "start": match.start,
                    "end": match.end,
                    "text": match.text,
                    "extractor": self.__class__.__name__,
                }
                for match in found
            )
            message.set(ENTITIES, entities, add_to_output=True)
        return messages
