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


def test_a_long_message_is_cut_and_the_user_told_in_their_language():
    seen = []

    async def echo(message):
        seen.append(message.text)
        await message.output_channel.send_response(message.sender_id, {"text": "答え"})

    replies = run(echo, "北海道の事務所はどこですか。" * 400)
    assert len(seen[0]) == 2000
    assert "2,000" in replies[0]["text"] and "文字" in replies[0]["text"]
    assert replies[1]["text"] == "答え"


def test_lone_surrogates_become_replacement_characters():
    seen = []

    async def echo(message):
        seen.append(message.text)
        await message.output_channel.send_response(message.sender_id, {"text": "ok"})

    run(echo, "a\ud800b\udfff")
    assert seen == ["a\ufffdb\ufffd"]
    seen[0].encode("utf-8")


@pytest.mark.parametrize("payload,allowed", [
    ('/feedback{"helpful":"yes"}', True),
    ('/change_language{"requested_language": "ja-easy"}', True),
    ('/change_language{"requested_language": "klingon"}', False),
    ('/feedback{"helpful": ["yes"]}', False),
    ('/ask_region_figures{"place": "china"}', False),
    ("/empty_message", False),
    ("/greet@1.0", False),
])
def test_only_the_buttons_payloads_reach_rasa(payload, allowed):
    seen = []

    async def echo(message):
        seen.append(message.text)
        await message.output_channel.send_response(message.sender_id, {"text": "ok"})

    replies = run(echo, payload)
    assert (seen == [payload]) is allowed
    if not allowed:
        assert "/" in replies[0]["text"]


def test_a_fast_sender_is_asked_to_slow_down():
    async def scenario():
        async def echo(message):
            await message.output_channel.send_response(message.sender_id, {"text": "ok"})

        handle = guard_replies(echo)
        texts = []
        for _ in range(35):
            output = CollectingOutputChannel()
            await handle(UserMessage("hello", output, "fast"))
            texts.append(output.messages[0]["text"])
        output = CollectingOutputChannel()
        await handle(UserMessage("hello", output, "someone-else"))
        return texts, output.messages[0]["text"]

    texts, other = asyncio.run(scenario())
    assert texts[:30] == ["ok"] * 30 and "quickly" in texts[-1] and other == "ok"
