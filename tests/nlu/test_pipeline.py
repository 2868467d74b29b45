"""The trained pipeline end to end: the question reader and the passage retriever put what the
action service needs into the parse data, so the actions never tokenize, detect or encode."""
from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

MODEL = Path("models/hokkaido.tar.gz")
pytestmark = pytest.mark.skipif(not MODEL.exists(), reason="no model: run `make model`")


@pytest.fixture(scope="module")
def agent():
    from rasa.core.agent import Agent
    return Agent.load(str(MODEL))


def parse(agent, text: str) -> dict:
    return asyncio.run(agent.parse_message(text))


@pytest.mark.parametrize("text,language,passage", [
    ("バンコクで北海道の食品を買える店はありますか", "ja", "s4-region-asean"),
    ("Where can I buy Hokkaido food in Bangkok?", "en", "s4-region-asean"),
    ("방콕에서 홋카이도 식품을 살 수 있는 곳이 있나요?", "ko", "s4-region-asean"),
])
def test_indirect_questions_retrieve_the_passage_that_answers_them(agent, text, language, passage):
    """The passage is among the candidates the action service verifies (its rank there is in
    docs/answer-quality.md: the staff passage that names Bangkok still ranks above it)."""
    data = parse(agent, text)
    assert {"entity": "language", "value": language}.items() <= data["entities"][0].items()
    candidates = [c["passage"] for c in data["retrieval"]["candidates"]]
    assert passage in candidates, candidates


def test_the_question_travels_in_the_parse_data(agent):
    data = parse(agent, "Please answer in Korean: when did the Seoul office open?")
    assert [s["value"] for s in data["question"]["subjects"]] == ["seoul_office"]
    assert "when" in data["question"]["attributes"]
    assert {"entity": "language_directive", "value": "ko"}.items() <= next(
        e for e in data["entities"] if e["entity"] == "language_directive").items()


def test_a_question_far_from_the_plan_has_no_confident_passage(agent):
    data = parse(agent, "What is the weather like in Sapporo tomorrow?")
    assert "weather" in data["question"]["attributes"]
    assert data["retrieval"]["abstain"] or data["retrieval"]["candidates"] == []
