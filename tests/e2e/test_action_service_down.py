"""With the action service down, the user gets a short apology in their
language instead of silence, and the server does not answer 500."""
import pytest

from nlu.language_detection import detect_language
from tests.support.stack import start_stack


@pytest.fixture(scope="module")
def stack_without_actions():
    running = start_stack(with_actions=False, extra_env={"REPLY_TIMEOUT_SECONDS": "10"})
    yield running
    running.stop()


@pytest.mark.parametrize("text,language", [
    ("韓国に道の事務所はありますか？", "ja"), ("Does Hokkaido have an office in Korea?", "en"),
    ("北海道在韩国有办事处吗？", "zh"), ("한국에 홋카이도 사무소가 있나요?", "ko"),
    ("ฮอกไกโดมีสำนักงานที่เกาหลีไหม", "th"), ("Есть ли у Хоккайдо офис в Корее?", "ru"),
])
def test_apology_in_the_users_language(stack_without_actions, text, language):
    replies = stack_without_actions.send(f"down-{language}", text)
    assert len(replies) == 1, replies
    assert detect_language(replies[0]["text"]).language == language
