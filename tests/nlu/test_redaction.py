"""Personal identifiers are masked with typed placeholders in the user's
language; plan figures, years, counts and office names stay."""
import logging
from pathlib import Path

import pytest
import yaml

from nlu.languages import LANGUAGES
from nlu.redaction import (
    find_identifiers,
    install_log_redaction,
    luhn_valid,
    placeholder,
    redact,
    redact_data,
)
from tests.eval.pii_eval import HELD_OUT_DIR, load_set, ours, score

PLAN_FILES = [
    Path("knowledge/source/hokkaido-global-strategy-excerpt.txt"),
    Path("knowledge/passages.yml"),
    *sorted(Path("knowledge/translations").glob("*.yml")),
    *sorted(Path("knowledge/facts").glob("*.yml")),
    Path("actions/texts.yml"),
]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_test_set_is_large_enough(language):
    data = load_set(language)
    assert len(data["identifiers"]) >= 20 and len(data["look_alikes"]) >= 20


@pytest.mark.parametrize("language", LANGUAGES)
def test_recall_on_identifiers_is_at_least_098_and_no_look_alike_is_touched(language):
    result = score(language, ours)
    assert result.recall >= 0.98, result.misses
    assert result.look_alikes_touched == 0, result.false_alarms
    assert result.precision == 1.0, result.false_alarms


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_held_out_set_has_no_miss_and_no_false_alarm(language):
    result = score(language, ours, HELD_OUT_DIR)
    assert result.recall >= 0.98, result.misses
    assert result.look_alikes_touched == 0, result.false_alarms


@pytest.mark.parametrize("path", PLAN_FILES, ids=str)
def test_no_line_of_the_plan_its_translations_or_facts_is_changed(path):
    for line in path.read_text(encoding="utf-8").splitlines():
        assert redact(line) == line


@pytest.mark.parametrize("language, expected", [
    ("ja", "電話は[電話番号]、メールは[メールアドレス]です"),
    ("ja-easy", "電話は[電話番号]、メールは[メールアドレス]です"),
    ("en", "電話は[phone]、メールは[email]です"),
    ("ru", "電話は[телефон]、メールは[эл. почта]です"),
])
def test_placeholders_are_typed_and_in_the_given_language(language, expected):
    assert redact("電話は０９０－１２３４－５６７８、メールはa.b@example.jpです", language) == expected


def test_every_kind_has_a_placeholder_in_every_language():
    data = yaml.safe_load(Path("nlu/redaction.yml").read_text("utf-8"))
    assert set(data["placeholders"]) == set(data["patterns"])
    for kind, names in data["placeholders"].items():
        assert set(LANGUAGES) <= set(names), kind
    assert placeholder("passport", "ko") == "[여권번호]"


def test_card_numbers_must_pass_luhn():
    assert luhn_valid("4111111111111111") and not luhn_valid("4111111111111112")
    assert redact("card 4111 1111 1111 1111") == "card [card number]"
    assert redact("order 4111 1111 1111 1112") == "order 4111 1111 1111 1112"


def test_redaction_is_idempotent_and_kinds_are_reported_in_order():
    text = "〒060-8588 北3条西6丁目, AB12345678CD, +81 90 1234 5678"
    once = redact(text, "ja")
    assert redact(once, "ja") == once
    assert [i.kind for i in find_identifiers(text)] == [
        "postal_code", "address", "residence_card", "phone"]


def test_redact_data_masks_nested_strings_but_not_kept_keys():
    event = {"text": "my number 090-1234-5678", "parse_data": {"entities": [{"value": "0801112222"}]},
             "metadata": {"line_user": "U0901234567800000000000000000000"}, "timestamp": 1.5}
    masked = redact_data(event, "en", keep={"metadata"})
    assert masked["text"] == "my number [phone]"
    assert masked["parse_data"]["entities"][0]["value"] == "[phone]"
    assert masked["metadata"] == event["metadata"] and masked["timestamp"] == 1.5


def test_log_records_are_masked_in_message_arguments_and_tracebacks(caplog):
    install_log_redaction()
    install_log_redaction()  # twice: still one wrapping
    logger = logging.getLogger("tests.redaction.child")
    with caplog.at_level(logging.DEBUG):
        logger.info("Received user message '%s'", "mail me: taro@example.com")
        try:
            raise ValueError("bad card 4111 1111 1111 1111")
        except ValueError:
            logger.exception("failed for %s", "090-1234-5678")
        logger.debug('{"parse_data_text": "\\uff10\\uff19\\uff10-1234-5678 \\ud83d\\ude00"}')
    text = caplog.text
    assert "\\uff10\\uff19" not in text and "\\ud83d\\ude00" in text
    assert "taro@example.com" not in text and "[email]" in text
    assert "090-1234-5678" not in text and "[phone]" in text
    assert "4111 1111 1111 1111" not in text and "[card number]" in text
