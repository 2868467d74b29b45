"""Parse data as the Rasa pipeline produces it, for action tests.

The action service reads `entities`, `question` and `retrieval` from the
parse data. Here they come from the same plain functions the Rasa components
wrap (the gazetteer, `nlu.question.read_question`, the search index), so
action tests exercise real question reading and retrieval without starting
Rasa; the components themselves are tested in tests/nlu.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Dict, List

from knowledge.facts import gazetteer_terms
from knowledge.search import SearchIndex
from nlu.gazetteer import Gazetteer, Term
from nlu.languages import input_language
from nlu.question import read_question


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    return Gazetteer(Term(*row) for row in gazetteer_terms())


@lru_cache(maxsize=1)
def index() -> SearchIndex:
    return SearchIndex.load()


def parse(text: str, language: str, intent: str, confidence: float = 0.9) -> Dict[str, Any]:
    """`latest_message` for `text` written in `language`, classified as `intent`."""
    base = input_language(language)
    entities: List[Dict[str, Any]] = [
        {"entity": m.entity, "value": m.value, "start": m.start, "end": m.end, "text": m.text}
        for m in gazetteer().find(text)
    ]
    question = read_question(text, base, entities)
    if question.directive:
        entities.append({"entity": "language_directive", "value": question.directive,
                         "start": 0, "end": len(text)})
    result = index().search(text, base, k=5)
    return {
        "text": text,
        "intent": {"name": intent, "confidence": confidence},
        "intent_ranking": [{"name": intent, "confidence": confidence}],
        "entities": entities,
        "question": question.to_dict(),
        "retrieval": {
            "candidates": [{"passage": h.passage_id, "score": h.score} for h in result.hits],
            "abstain": result.abstain,
        },
    }
