"""Ask chooses the action the way bot/data/rules.yml does and collects what it says."""
from __future__ import annotations

from console.ask import action_for, actions_by_intent, answers


def test_intents_map_to_the_actions_of_the_rules() -> None:
    mapping = actions_by_intent()
    assert mapping["ask_overseas_office"] == "action_answer"
    assert mapping["out_of_scope"] == "action_fallback"
    assert mapping["request_human"] == "action_handoff"
    assert action_for({"intent": {"name": "an_intent_no_rule_knows"}}) == "action_fallback"
    assert action_for({}) == "action_fallback"


async def test_each_language_gets_its_own_answer_and_citation() -> None:
    parse = {"text": "What does the plan say about the consultation center?", "entities": [],
             "intent": {"name": "ask_consultation_center", "confidence": 1.0}}
    results = await answers(parse, ["ja", "ru"])
    assert [r.language for r in results] == ["ja", "ru"]
    ja, ru = results
    assert "相談センター" in ja.text and "центр" in ru.text.lower()
    assert ja.citations[0]["passage_id"] == ru.citations[0]["passage_id"]
    assert ja.citations[0]["original_ja"] == ru.citations[0]["original_ja"]
