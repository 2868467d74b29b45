"""Issue 2's acceptance check: a greeting is answered in the language of the
message, for each of the six languages, through the REST channel."""
import pytest

from nlu.language_detection import detect_language

GREETINGS = {
    "ja": "こんにちは", "en": "Hello there", "zh": "你好", "ko": "안녕하세요",
    "th": "สวัสดีครับ", "ru": "Здравствуйте",
}


@pytest.mark.parametrize("language,greeting", GREETINGS.items())
def test_greeting_is_answered_in_the_language_of_the_message(stack, language, greeting):
    replies = stack.send(f"greet-{language}", greeting)
    texts = [r["text"] for r in replies if r.get("text")]
    assert texts, replies
    assert detect_language(texts[0]).language == language, texts[0]


def test_short_reply_keeps_the_conversation_language(stack):
    stack.send("sticky", "안녕하세요")
    replies = stack.send("sticky", "ok")
    assert replies and detect_language(replies[0]["text"]).language == "ko", replies
