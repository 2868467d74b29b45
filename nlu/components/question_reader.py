"""Rasa component: what each message asks (`nlu.question`), in the parse data.

It runs after the gazetteer, reads the message with the cue words of its
language, and adds `question` to the parse data: subjects, attributes,
answer types, values and any reply-language directive. A directive is also
emitted as a `language_directive` entity, which fills the conversation's
`language_choice` slot: "Please answer in Korean: ..." switches the reply
language for this answer and the ones after it.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from nlu.components.language_detector import LANGUAGE_PROPERTY
from nlu.question import load_cues, read_question

QUESTION_PROPERTY = "question"
DIRECTIVE_ENTITY = "language_directive"


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False
)
class QuestionReader(GraphComponent):
    """Adds `question` to the parse data; see `nlu.question`."""

    def __init__(self) -> None:
        self._cues = load_cues()

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "QuestionReader":
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            entities = list(message.get(ENTITIES) or [])
            question = read_question(text, message.get(LANGUAGE_PROPERTY) or "en", entities, self._cues)
            message.set(QUESTION_PROPERTY, question.to_dict(), add_to_output=True)
            if question.directive:
                entities.append({
                    "entity": DIRECTIVE_ENTITY, "value": question.directive,
                    "start": 0, "end": len(text), "extractor": self.__class__.__name__,
                })
                message.set(ENTITIES, entities, add_to_output=True)
        return messages
