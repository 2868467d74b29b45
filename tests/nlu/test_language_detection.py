"""Language detection: accuracy on labelled short utterances, sticky cases."""
from pathlib import Path

import pytest

from nlu.language_detection import detect_language
from nlu.languages import LANGUAGES

SAMPLES = Path(__file__).with_name("language_samples")


def labelled_samples():
    for language in LANGUAGES:
        for line in (SAMPLES / f"{language}.txt").read_text("utf-8").splitlines():
            if line.strip():
                yield language, line.strip()


def test_sample_set_is_large_enough():
    counts = {lang: sum(1 for label, _ in labelled_samples() if label == lang) for lang in LANGUAGES}
    assert all(count >= 20 for count in counts.values()), counts
    short = [text for _, text in labelled_samples() if len(text.split()) <= 3]
    assert len(short) >= 30


def test_accuracy_on_short_utterances_is_at_least_97_percent():
    samples = list(labelled_samples())
    wrong = [(lang, text, detect_language(text).language) for lang, text in samples
             if detect_language(text).language != lang]
    accuracy = 1 - len(wrong) / len(samples)
    assert accuracy >= 0.97, f"accuracy {accuracy:.3f}; wrong: {wrong}"


@pytest.mark.parametrize("text", ["ok", "OK!", "2019", "👍", "", "   ", "＆＆＆", "...", "lol"])
def test_neutral_replies_are_not_confident(text):
    assert not detect_language(text).confident


@pytest.mark.parametrize("text,language", [
    ("北海道庁", "ja"), ("上海事務所は？", "ja"), ("谢谢", "zh"), ("서울", "ko"),
    ("ไทย", "th"), ("Сеул", "ru"), ("hello", "en"), ("HACCPの講習会", "ja"),
    ("HACCP认证讲习会", "zh"), ("ｈｅｌｌｏ", "en"),
])
def test_script_rules(text, language):
    detection = detect_language(text)
    assert (detection.language, detection.confident) == (language, True)
