"""Rasa component: detect each message's language before it is tokenized.

It stores the detected (or guessed) language on the message for the tokenizer,
and, only when detection is confident, emits a `language` entity that fills
the conversation's `language` slot ("zh-Hant" for Traditional Chinese, which
is answered in Traditional characters). Short or language-neutral replies ("ok",
"2019", "👍") therefore keep the conversation's language. A client may choose
the answer language explicitly (the web widget's language menu) by sending
`{"language": "<code>"}` in the message metadata; that is emitted as a
`language_choice` entity.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu.chinese_script import SIMPLIFIED, chinese_variant
from nlu.language_detection import detect_language
from nlu.languages import ANSWER_LANGUAGES, input_language

LANGUAGE_PROPERTY = "language"
"""Message property holding the language the tokenizer should use."""

AUTO_CHOICE = "auto"
"""Metadata value that hands the choice back to detection."""


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False
)
class LanguageDetector(GraphComponent):
    """Sets the message language; emits `language` / `language_choice` entities."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"default_language": "en"}

    def __init__(self, config: Dict[Text, Any], name: Text) -> None:
        self._default_language = config["default_language"]
        self._name = name

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "LanguageDetector":
        return cls(config, execution_context.node_name)

    def _entity(self, entity: str, value: str, text: str) -> Dict[Text, Any]:
        return {
            "entity": entity,
            "value": value,
            "start": 0,
            "end": len(text),
            "extractor": self.__class__.__name__,
        }

    @staticmethod
    def _metadata_choice(message: Message) -> Optional[str]:
        metadata = message.get("metadata") or {}
        choice = metadata.get("language") if isinstance(metadata, dict) else None
        if choice in ANSWER_LANGUAGES or choice == AUTO_CHOICE:
            return choice
        return None

    def _annotate(self, message: Message, emit_entities: bool) -> None:
        text = message.get(TEXT) or ""
        detection = detect_language(text)
        choice = self._metadata_choice(message)
        language = detection.language
        if choice not in (None, AUTO_CHOICE) and not detection.confident:
            language = input_language(choice)
        message.set(LANGUAGE_PROPERTY, language or self._default_language)
        if not emit_entities:
            return
        entities: List[Dict[Text, Any]] = list(message.get(ENTITIES) or [])
        if detection.confident:
            detected = chinese_variant(text) if detection.language == SIMPLIFIED else detection.language
            entities.append(self._entity("language", detected, text))
        if choice is not None:
            entities.append(self._entity("language_choice", choice, text))
        message.set(ENTITIES, entities, add_to_output=True)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for example in training_data.training_examples:
            if example.get(TEXT):
                self._annotate(example, emit_entities=False)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._annotate(message, emit_entities=True)
        return messages
