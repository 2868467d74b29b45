"""Actions that keep personal data out of what is stored: masked handoff
summaries, "forget me" answered in the user's language, and a new session
that does not inherit the handoff record."""
import pytest

from actions.forget import ActionForgetMe
from actions.handoff import ActionHandoff
from actions.session import ActionSessionStart
from actions.texts import text
from tests.actions.conftest import make_tracker


async def test_handoff_summaries_mask_identifiers_in_each_summary_language(dispatcher, domain):
    tracker = make_tracker("担当者と話したい", "request_human", slots={"language": "ko"},
                           history=["제 전화번호는 090-1234-5678, 재류카드 AB12345678CD 예요"])
    events = await ActionHandoff().run(dispatcher, tracker, domain)
    [record] = [e["value"] for e in events if e["event"] == "slot" and e["name"] == "handoff"]
    assert "090-1234-5678" not in str(record) and "AB12345678CD" not in str(record)
    assert "[電話番号]" in record["summary_ja"] and "[在留カード番号]" in record["summary_ja"]
    assert "[전화번호]" in record["summary_user_language"]


@pytest.mark.parametrize("language", ["ja", "ja-easy", "en", "zh", "ko", "th", "ru"])
async def test_forget_me_sets_the_slot_and_says_so_in_the_users_language(
        dispatcher, domain, language):
    tracker = make_tracker("forget me", "forget_me", slots={"language_choice": language})
    assert await ActionForgetMe().run(dispatcher, tracker, domain) == [
        {"event": "slot", "timestamp": None, "name": "forget_me", "value": True}]
    assert [m["text"] for m in dispatcher.messages] == [text("forget_done", language)]


async def test_an_unsure_forget_me_keeps_the_conversation_and_asks_to_confirm(dispatcher, domain):
    tracker = make_tracker("my number is 090-1234-5678", "forget_me", slots={"language": "en"})
    tracker.latest_message["intent"]["confidence"] = 0.5
    assert await ActionForgetMe().run(dispatcher, tracker, domain) == []
    assert [m["text"] for m in dispatcher.messages] == [text("forget_unsure", "en")]


async def test_a_new_session_keeps_the_language_and_topic_but_not_the_handoff(dispatcher, domain):
    tracker = make_tracker("hello again", "greet", slots={
        "language": "th", "place": "korea", "handoff": {"summary_ja": "…"}})
    events = await ActionSessionStart().run(dispatcher, tracker, domain)
    assert events[0]["event"] == "session_started"
    assert (events[-1]["event"], events[-1]["name"]) == ("action", "action_listen")
    carried = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert carried["language"] == "th" and carried["place"] == "korea"
    assert "handoff" not in carried
