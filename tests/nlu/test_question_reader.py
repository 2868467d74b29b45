"""Question reading per language: the subject, the attribute asked, the answer type and a
reply-language directive, read from the cue words in nlu/cues/*.yml and the gazetteer's names.

Each case is a question a resident might type; the expectations name what the message asks,
not how the reader finds it, so a cue file that misses a common way of asking fails here.
"""
from __future__ import annotations

from typing import Optional, Sequence

import pytest

from tests.support.parse import parse

CENTER = "hokkaido_foreign_resident_consultation_center"

# (language, text, subject ids, attributes, answer types, directive)
CASES = [
    ("ja", "ソウル事務所はいつ開設されましたか", ["seoul_office"], ["when"], [], None),
    ("ja", "相談センターは何か国語に対応していますか", [CENTER], ["languages"], ["how_many"], None),
    ("ja", "韓国語で答えてください。上海事務所はどこにありますか", ["shanghai_office"], ["location"], [], "ko"),
    ("ja", "中国と台湾、どちらの方が来道者が多いですか", ["china", "taiwan"], [], ["compare"], None),
    ("en", "When did the Seoul office open?", ["seoul_office"], ["when"], [], None),
    ("en", "How many languages does the consultation center support?", [CENTER], ["languages"], ["how_many"], None),
    ("en", "Please answer in Korean: where is the Shanghai office?", ["shanghai_office"], ["location"], [], "ko"),
    ("en", "Is the Sakhalin office in Seoul?", ["sakhalin_office", "seoul"], [], ["yes_no"], None),
    ("zh", "首尔事务所是什么时候开设的？", ["seoul_office"], ["when"], [], None),
    ("zh", "咨询中心支持多少种语言？", [CENTER], ["languages"], ["how_many"], None),
    ("zh", "请用韩语回答：上海事务所在哪里？", ["shanghai_office"], ["location"], [], "ko"),
    ("ko", "서울사무소는 언제 개설되었나요?", ["seoul_office"], ["when"], [], None),
    ("ko", "상담센터는 몇 개 언어를 지원하나요?", [CENTER], ["languages"], ["how_many"], None),
    ("ko", "영어로 답해 주세요. 상하이 사무소는 어디에 있나요?", ["shanghai_office"], ["location"], [], "en"),
    ("th", "สำนักงานโซลเปิดเมื่อไหร่", ["seoul_office"], ["when"], [], None),
    ("th", "ศูนย์ให้คำปรึกษารองรับกี่ภาษา", [CENTER], ["languages"], ["how_many"], None),
    ("th", "ช่วยตอบเป็นภาษาญี่ปุ่น สำนักงานเซี่ยงไฮ้อยู่ที่ไหน", ["shanghai_office"], ["location"], [], "ja"),
    ("ru", "Когда открылся офис в Сеуле?", ["seoul_office"], ["when"], [], None),
    ("ru", "Сколько языков поддерживает консультационный центр?", [CENTER], ["languages"], ["how_many"], None),
    ("ru", "Ответьте по-английски: где находится офис в Шанхае?", ["shanghai_office"], ["location"], [], "en"),
]


def _ids(values: Sequence[str]) -> set:
    return set(values)


@pytest.mark.parametrize("language,text,subjects,attributes,answer_types,directive", CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_the_question_is_read(language: str, text: str, subjects: list, attributes: list,
                              answer_types: list, directive: Optional[str]) -> None:
    question = parse(text, language, "ask_office")["question"]
    found = {s["value"] for s in question["subjects"]}
    assert _ids(subjects) <= found, question
    assert set(attributes) <= set(question["attributes"]), question
    assert set(answer_types) <= set(question["answer_types"]), question
    assert question["directive"] == directive, question


@pytest.mark.parametrize("language,text", [
    ("ja", "そこはいつできたの？"), ("en", "when did it open?"), ("zh", "那里是什么时候开的？"),
    ("ko", "거기는 언제 생겼어요?"), ("th", "ที่นั่นเปิดเมื่อไหร่"), ("ru", "когда его открыли?"),
])
def test_a_follow_up_refers_back(language: str, text: str) -> None:
    question = parse(text, language, "ask_office")["question"]
    assert question["anaphora"] and not question["subjects"], question
    assert "when" in question["attributes"], question


@pytest.mark.parametrize("language,text,attribute", [
    ("ja", "相談センターの電話番号を教えて", "phone"),
    ("en", "What is the consultation center's phone number?", "phone"),
    ("zh", "相谈中心的地址是什么？", "address"),
    ("ko", "상담센터 영업시간은 어떻게 되나요?", "hours"),
    ("th", "ศูนย์ให้คำปรึกษามีค่าใช้จ่ายไหม", "fee"),
    ("ru", "Какой адрес электронной почты у консультационного центра?", "email"),
])
def test_attributes_the_plan_never_gives_are_still_read(language: str, text: str, attribute: str) -> None:
    """The reader must see what is asked even when the plan cannot answer it, so the reply can
    say exactly what is missing instead of answering something else."""
    question = parse(text, language, "ask_consultation_center")["question"]
    assert attribute in question["attributes"], question


def test_thai_buddhist_years_become_common_era() -> None:
    question = parse("สำนักงานโซลเปิดในปี พ.ศ. 2553 ใช่ไหม", "th", "ask_office")["question"]
    assert 2010 in question["years"], question
