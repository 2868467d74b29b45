"""Tokenization in all six languages: words, offsets into the typed text,
and robustness (full-width symbols, emoji, mixed scripts, long input)."""
import pytest

from nlu.normalize import normalize, normalize_with_offsets
from nlu.tokenization import tokenize

CASES = [
    ("ja", "上海事務所は何語で発信していますか？", ["上海", "事務", "所", "は", "何語", "で", "発信", "し", "て", "い", "ます", "か", "？"]),
    ("zh", "上海办事处在哪里", ["上海", "办事处", "在", "哪里"]),
    ("ko", "서울 사무소는 언제 생겼어요?", ["서울", "사무소", "는", "언제", "생겼", "어요", "?"]),
    ("th", "สำนักงานอาเซียนอยู่ที่ไหนครับ", ["สำนักงาน", "อาเซียน", "อยู่", "ที่ไหน", "ครับ"]),
    ("en", "What's Korea's GDP?", ["What", "'s", "Korea", "'s", "GDP", "?"]),
    ("ru", "Где офис в Сеуле?", ["Где", "офис", "в", "Сеуле", "?"]),
]


@pytest.mark.parametrize("language,text,expected", CASES)
def test_words_and_offsets(language, text, expected):
    words = tokenize(text, language)
    assert [w.text for w in words] == expected
    for word in words:
        assert text[word.start:word.end] == word.text


def test_full_width_input_keeps_offsets_into_the_typed_text():
    text = "ＨＡＣＣＰの講習会は２０１４年から"
    words = tokenize(text, "ja")
    assert words[0].text == "ＨＡＣＣＰ" and words[0].normalized == "HACCP"
    assert all(text[w.start:w.end] == w.text for w in words)


def test_half_width_katakana_with_sound_marks():
    text = "ﾊﾟｽﾎﾟｰﾄ"
    assert normalize(text) == "パスポート"
    words = tokenize(text, "ja")
    assert "".join(w.text for w in words) == text


@pytest.mark.parametrize("language", ["ja", "zh", "ko", "th", "en", "ru"])
@pytest.mark.parametrize("text", ["＆＆＆", "👍🎉😀", "北海道 Hokkaido 홋카이도 ฮอกไกโด Хоккайдо", "\x00\x07\u200b", "<script>alert(1)</script>", "   "])
def test_hard_input_does_not_crash(language, text):
    words = tokenize(text, language)
    for word in words:
        assert text[word.start:word.end] == word.text
        assert word.text.strip()


@pytest.mark.parametrize("language", ["ja", "zh", "ko", "th", "en", "ru"])
def test_ten_thousand_characters(language):
    text = ("北海道の外国人相談センターは11言語以上で相談できます。" * 400)[:10_000]
    words = tokenize(text, language)
    assert words and words[-1].end <= len(text)
    assert all(text[w.start:w.end] == w.text for w in words)
    assert all(a.end <= b.start for a, b in zip(words, words[1:]))


def test_thai_is_not_decomposed_by_nfkc():
    assert normalize("สำนักงาน") == "สำนักงาน"


def test_normalized_spans_map_back():
    normalized = normalize_with_offsets("ＡＢ㈱")
    assert normalized.text == "AB(株)"
    assert normalized.original_span(2, 5) == (2, 3)


def test_korean_consonant_abbreviations_are_not_decomposed_by_nfkc():
    assert normalize("ㅎㅇ ㄳ ㅋㅋ") == "ㅎㅇ ㄳ ㅋㅋ"


@pytest.mark.parametrize("text,expected", [
    ("ㄳ", ["감사"]),
    ("ㅂㅂ~", ["바이바이", "~"]),
    ("네 ㄱㅅ!", ["네", "감사", "!"]),
    ("ㅋㅋㅋ 고마워", ["ㅋㅋㅋ", "고마워"]),   # laughter is not a word
    ("ㄳㄳㄳ", ["ㄳㄳㄳ"]),                  # only a whole known run is read
])
def test_korean_consonant_abbreviations_are_read_as_words(text, expected):
    words = tokenize(text, "ko")
    assert [w.normalized for w in words] == expected
    assert all(text[w.start:w.end] == w.text for w in words)
