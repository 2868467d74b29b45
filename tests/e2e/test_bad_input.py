"""Bad input never gets a 500 or silence, and the next message is answered normally."""
import pytest

from nlu.language_detection import detect_language

BAD_INPUTS = {
    "empty": "",
    "whitespace": "   \n\t ",
    "emoji only": "👍🎉😀",
    "10,000 characters": "北海道の海外事務所について教えてください。" * 500,
    "script tag": "<script>alert('x')</script><b>bold</b>",
    "control characters": "\x00\x07\x1b[31mred\x1b[0m",
    "mixed languages": "Hello 你好 안녕하세요 สวัสดี привет こんにちは",
}


@pytest.mark.parametrize("name,text", BAD_INPUTS.items())
def test_bad_input_gets_a_reply_and_the_conversation_goes_on(stack, name, text):
    sender = f"bad-{name.replace(' ', '-')}"
    stack.send(sender, "안녕하세요")
    replies = stack.send(sender, text)
    assert [r for r in replies if r.get("text")], f"no reply to {name}"
    if name in ("empty", "whitespace", "emoji only"):
        assert detect_language(replies[0]["text"]).language == "ko", replies
    after = stack.send(sender, "중국에서 오는 정기편은 몇 노선인가요?")
    assert "10개 노선" in " ".join(r.get("text", "") for r in after), after


def test_html_in_a_message_is_not_echoed_as_markup(stack):
    replies = stack.send("html", "<img src=x onerror=alert(1)>What is the HACCP seminar?")
    assert all("<img" not in r.get("text", "") for r in replies)
