"""The reply guard: blank messages, failures and slow turns never end in silence."""
import asyncio

import pytest
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from bot.channels.reply_guard import BLANK_MESSAGE, apology_for, guard_replies, is_blank


@pytest.mark.parametrize("text,blank", [("", True), ("  \n\t", True), ("\x00\x07", True),
                                        ("\u200b", True), ("ok", False), ("👍", False)])
def test_is_blank(text, blank):
    assert is_blank(text) is blank


def run(handler, text, metadata=None):
    output = CollectingOutputChannel()
    asyncio.run(guard_replies(handler)(UserMessage(text, output, "u1", metadata=metadata)))
    return output.messages


def test_a_failing_turn_gets_an_apology_in_the_users_language():
    async def failing(message):
        raise RuntimeError("action service down")

    [reply] = run(failing, "서울 사무소는 어디예요?")
    assert reply["text"] == apology_for(UserMessage("안녕하세요")) and "죄송합니다" in reply["text"]


def test_menu_choice_decides_the_apology_language():
    async def silent(message):
        return None

    [reply] = run(silent, "hello", {"language": "th"})
    assert "ขออภัย" in reply["text"]


def test_a_slow_turn_is_apologized_for_and_still_finishes(monkeypatch):
    monkeypatch.setenv("REPLY_TIMEOUT_SECONDS", "0.2")
    finished = []

    async def slow(message):
        await asyncio.sleep(0.5)
        finished.append(message.text)

    async def scenario():
        output = CollectingOutputChannel()
        await guard_replies(slow)(UserMessage("Hello there", output, "u1"))
        replies = list(output.messages)
        await asyncio.sleep(0.5)
        return replies

    [reply] = asyncio.run(scenario())
    assert reply["text"].startswith("Sorry") and finished == ["Hello there"]


def test_a_normal_turn_is_untouched_and_blank_text_becomes_the_payload():
    seen = []

    async def echo(message):  # Rasa's processor sends every bot message through send_response
        seen.append(message.text)
        await message.output_channel.send_response(message.sender_id, {"text": "hi"})

    replies = run(echo, "   ")
    assert seen == [BLANK_MESSAGE] and [r["text"] for r in replies] == ["hi"]
