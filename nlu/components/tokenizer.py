"""Rasa component: tokenize each message with its language's segmenter.

Requires `LanguageDetector` earlier in the pipeline; intent and action names
(not user text) are tokenized by English rules.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from nlu.components.language_detector import LANGUAGE_PROPERTY
from nlu.languages import LANGUAGES
from nlu.tokenization import tokenize


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False
)
class MultilingualTokenizer(Tokenizer):
    """Japanese (Sudachi), Chinese (jieba), Thai (pythainlp), Korean (kiwi),
    English and Russian (spaCy rules) behind one Rasa tokenizer."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "intent_tokenization_flag": False,
            "intent_split_symbol": "_",
            "token_pattern": None,
            "prefix_separator_symbol": None,
        }

    @staticmethod
    def supported_languages() -> Optional[List[Text]]:
        return None

    def __init__(self, config: Dict[Text, Any]) -> None:
        super().__init__(config)
        # Load every segmenter's dictionary now, not in the first user's turn
        # (jieba and kiwi take a second or two each).
        for language in LANGUAGES:
            tokenize("warm up 準備 준비", language)

    def tokenize(self, message: Message, attribute: Text) -> List[Token]:
        text = message.get(attribute) or ""
        language = message.get(LANGUAGE_PROPERTY) if attribute == TEXT else "en"
        words = tokenize(text, language or "en")
        tokens = [
            Token(word.text, word.start, word.end, lemma=word.normalized.lower())
            for word in words
        ]
        return self._apply_token_pattern(tokens)
