"""Each action run against tracker fixtures with real parse data: right
language, right fact, citation attached, what the plan lacks said honestly,
follow-ups by the general rule, and never another entity's figures."""
import pytest

from actions.answers import ActionAnswer
from actions.fallback import ActionFallback
from actions.feedback import ActionRecordFeedback
from actions.handoff import ActionHandoff
from actions.language_switch import ActionChangeLanguage
from actions.small_talk import ActionSmallTalk
from nlu.chinese_script import chinese_variant
from nlu.language_detection import detect_language
from tests.actions.conftest import make_tracker


def texts(dispatcher):
    return "\n".join(m["text"] for m in dispatcher.messages if m.get("text"))


def kind(dispatcher):
    kinds = [m["custom"].get("kind") for m in dispatcher.messages if m.get("custom")]
    return kinds[0] if kinds else None


def slot_events(events):
    return {e["name"]: e["value"] for e in events if e["event"] == "slot"}


async def answer(dispatcher, domain, text, language, intent="ask_plan_topic", **slots):
    events = await ActionAnswer().run(dispatcher, make_tracker(text, intent, slots={"language": language, **slots}), domain)
    return texts(dispatcher), events


async def asked_after(dispatcher, domain, text, language, intent):
    """The `asked` slot after answering `text`, with the dispatcher cleared for the next turn."""
    _, events = await answer(dispatcher, domain, text, language, intent)
    dispatcher.messages.clear()
    return slot_events(events)["asked"]


@pytest.mark.parametrize("language", ["ja", "en", "zh", "ko", "th", "ru"])
async def test_greeting_in_the_conversation_language(dispatcher, domain, language):
    tracker = make_tracker("hi", "greet", slots={"language": language})
    await ActionSmallTalk().run(dispatcher, tracker, domain)
    assert detect_language(texts(dispatcher)).language == language


async def test_explicit_choice_wins_over_detection(dispatcher, domain):
    tracker = make_tracker("thanks", "thanks", slots={"language": "en", "language_choice": "ru"})
    await ActionSmallTalk().run(dispatcher, tracker, domain)
    assert detect_language(texts(dispatcher)).language == "ru"


@pytest.mark.parametrize("language,question,expected", [
    ("en", "Does Hokkaido have an office in Korea?", ["Seoul", "Korean"]),
    ("ja", "韓国に道の事務所はありますか？", ["ソウル事務所", "韓国語"]),
    ("zh", "北海道在韩国有事务所吗？", ["首尔", "韩语"]),
    ("ko", "홋카이도는 한국에 사무소가 있나요?", ["서울", "한국어"]),
    ("th", "ฮอกไกโดมีสำนักงานในเกาหลีไหม", ["โซล", "ภาษาเกาหลี"]),
    ("ru", "Есть ли у Хоккайдо представительство в Корее?", ["Сеул", "корейский"]),
])
async def test_office_in_a_country(dispatcher, domain, language, question, expected):
    reply, events = await answer(dispatcher, domain, question, language, "ask_overseas_office")
    for word in expected:
        assert word.lower() in reply.lower(), reply
    assert "d1-s2-example-overseas-office-info" in reply
    assert slot_events(events)["asked"]["subjects"]
    [citation] = [m["custom"] for m in dispatcher.messages if m.get("custom")]
    assert citation["type"] == "citation" and citation["original_ja"] and citation["kind"] == "answer"


@pytest.mark.parametrize("language,question,expected", [
    ("en", "How many regular flights are there from China?", "10 routes"),
    ("zh", "中国有几条定期航班？", "10条航线"),
    ("ko", "한국과의 정기편은 몇 노선인가요?", "2개 노선"),
    ("th", "อาเซียนมีเที่ยวบินประจำกี่เส้นทาง", "4 เส้นทาง"),
    ("ru", "Сколько регулярных рейсов из Тайваня и Гонконга?", "5 маршрутов"),
    ("ja", "欧州との定期便は何路線？", "1路線"),
])
async def test_one_figure_asked_gives_that_figure(dispatcher, domain, language, question, expected):
    reply, _ = await answer(dispatcher, domain, question, language, "ask_region_figures")
    assert expected in reply and kind(dispatcher) == "answer", reply


# ── the verification guard: a figure for a place without a profile ───────

@pytest.mark.parametrize("language,question,place", [
    ("en", "What is Hokkaido's population?", "Hokkaido"),
    ("ja", "北海道の人口は？", "北海道"),
    ("zh", "北海道的人口是多少？", "北海道"),
    ("ko", "홋카이도 인구는 얼마예요?", "홋카이도"),
    ("th", "ฮอกไกโดมีประชากรเท่าไหร่", "ฮอกไกโด"),
    ("ru", "Какое население Хоккайдо?", "Хоккайдо"),
])
async def test_a_figure_for_hokkaido_itself_is_never_another_regions(dispatcher, domain, language, question, place):
    reply, _ = await answer(dispatcher, domain, question, language, "ask_region_figures")
    assert kind(dispatcher) == "abstain" and place in reply
    for other in ("41.3", "14.3", "13.1", "6.9", "3.8", "6.6", "0.5", "0.3", "4.13", "1.43", "1.31", "690", "380", "660"):
        assert other not in reply, (other, reply)


@pytest.mark.parametrize("language,question", [
    ("en", "How many tourists come from Russia?"), ("ja", "ロシアからの観光客は何人？"),
    ("zh", "俄罗斯来北海道的游客有多少？"), ("ko", "러시아 관광객은 몇 명이에요?"),
    ("th", "นักท่องเที่ยวจากรัสเซียมีกี่คน"), ("ru", "Сколько туристов приезжает из России?"),
])
async def test_russia_does_not_get_europes_figures(dispatcher, domain, language, question):
    reply, _ = await answer(dispatcher, domain, question, language, "ask_region_figures")
    assert "39,300" not in reply and "39 300" not in reply and kind(dispatcher) in ("abstain", "partial"), reply


async def test_a_place_inside_a_profile_gets_the_profiles_figure_named_as_such(dispatcher, domain):
    reply, _ = await answer(dispatcher, domain, "How many visitors come from Taiwan?", "en", "ask_region_figures")
    assert "no separate figures for Taiwan" in reply and "666,700" in reply and "Taiwan and Hong Kong" in reply
    assert kind(dispatcher) == "partial"


async def test_a_missing_figure_of_a_profile_is_said(dispatcher, domain):
    reply, _ = await answer(dispatcher, domain, "How many flights are there from Africa?", "en", "ask_region_figures")
    assert "The plan gives no Regular flight routes for Africa" in reply and kind(dispatcher) == "abstain"


# ── counts, comparisons, yes/no and wrong premises ───────────────────────

async def test_how_many_states_the_count_first(dispatcher, domain):
    reply, _ = await answer(dispatcher, domain, "How many sister regions does Hokkaido have?", "en",
                            "ask_sister_region")
    assert reply.startswith("6 in total")


async def test_a_comparison_names_the_larger_and_gives_both_figures(dispatcher, domain):
    reply, _ = await answer(dispatcher, domain, "Which sends more visitors, China or Taiwan and Hong Kong?",
                            "en", "ask_region_figures")
    lead = reply.splitlines()[0]
    assert "Taiwan and Hong Kong" in lead and "666,700" in reply and "594,000" in reply
    assert "72,700" in reply  # the difference


@pytest.mark.parametrize("language,question,correction", [
    ("en", "The consultation center opened in 2021, right?", "2019"),
    ("ja", "北海道外国人相談センターは2021年にできたんですよね？", "2019"),
    ("ko", "외국인 상담센터는 2021년에 생긴 거 맞죠?", "2019"),
])
async def test_a_wrong_premise_is_corrected(dispatcher, domain, language, question, correction):
    reply, _ = await answer(dispatcher, domain, question, language, "ask_consultation_center")
    assert correction in reply and "2021" not in reply.splitlines()[0]
    assert reply.splitlines()[0] in ("No. This is what the plan says:", "いいえ。プランの記載は次のとおりです。",
                                     "아니요. 계획에는 다음과 같이 나와 있습니다:")


async def test_a_wrong_place_is_corrected(dispatcher, domain):
    reply, _ = await answer(dispatcher, domain, "Is the ASEAN office in Bangkok?", "en", "ask_overseas_office")
    assert reply.startswith("No.") and "Singapore" in reply


# ── what the plan never gives ────────────────────────────────────────────

@pytest.mark.parametrize("language,question", [
    ("en", "What is the phone number of the consultation center?"),
    ("ja", "相談センターの電話番号を教えて"), ("zh", "咨询中心的电话是多少？"),
    ("ko", "상담센터 전화번호 알려주세요"), ("th", "ศูนย์ให้คำปรึกษาเบอร์โทรอะไรคะ"),
    ("ru", "Какой номер телефона у консультационного центра?"),
])
async def test_a_phone_number_is_never_invented(dispatcher, domain, language, question):
    reply, _ = await answer(dispatcher, domain, question, language, "ask_consultation_center")
    assert kind(dispatcher) == "abstain" and not any(ch.isdigit() and ch not in "1" for ch in reply.split("\n")[0])


# ── reply language: directives and Traditional Chinese ───────────────────

@pytest.mark.parametrize("language,question,wanted", [
    ("en", "Please answer in Korean: where is the ASEAN office?", "ko"),
    ("ja", "英語で答えてください。ASEAN事務所はどこにありますか？", "en"),
    ("zh", "请用日语回答：ASEAN事务所在哪里？", "ja"),
    ("ko", "러시아어로 답해 주세요. 아세안 사무소는 어디에 있나요?", "ru"),
    ("th", "ช่วยตอบเป็นภาษาจีนได้ไหมคะ สำนักงานอาเซียนอยู่ที่ไหน", "zh"),
    ("ru", "Ответьте, пожалуйста, на тайском: где находится представительство в АСЕАН?", "th"),
])
async def test_a_directive_anywhere_in_the_message_wins(dispatcher, domain, language, question, wanted):
    tracker = make_tracker(question, "ask_overseas_office", slots={"language": language})
    directive = [e["value"] for e in tracker.latest_message["entities"] if e["entity"] == "language_directive"]
    assert directive == [wanted]
    tracker = make_tracker(question, "ask_overseas_office", slots={"language": language, "language_choice": wanted})
    await ActionAnswer().run(dispatcher, tracker, domain)
    assert detect_language(texts(dispatcher)).language == wanted


async def test_traditional_chinese_in_gets_traditional_chinese_out(dispatcher, domain):
    reply, _ = await answer(dispatcher, domain, "請問北海道和黑龍江省是哪一年締結友好關係的？", "zh-Hant",
                            "ask_sister_region")
    assert chinese_variant(reply) == "zh-Hant" and "1986" in reply and "黑龍江" in reply
    [citation] = [m["custom"] for m in dispatcher.messages if m.get("custom")]
    assert chinese_variant(citation["section"]) == "zh-Hant"


# ── follow-ups by one rule ───────────────────────────────────────────────

async def test_an_elliptical_question_keeps_the_attribute_and_takes_the_new_subject(dispatcher, domain):
    asked = await asked_after(dispatcher, domain, "How many visitors come from China?", "en", "ask_region_figures")
    reply, _ = await answer(dispatcher, domain, "And Korea?", "en", "ask_region_figures", asked=asked)
    assert "436,900" in reply and "594,000" not in reply and "GDP" not in reply


async def test_it_refers_to_the_previous_subject(dispatcher, domain):
    asked = await asked_after(dispatcher, domain, "Tell me about the ASEAN office", "en", "ask_overseas_office")
    reply, _ = await answer(dispatcher, domain, "When did it open?", "en", "ask_overseas_office", asked=asked)
    assert "2016" in reply


async def test_a_follow_up_that_changes_the_kind_of_subject_drops_an_inapplicable_attribute(dispatcher, domain):
    asked = await asked_after(dispatcher, domain, "How many visitors come from Korea?", "en", "ask_region_figures")
    reply, _ = await answer(dispatcher, domain, "and the Seoul office?", "en", "ask_overseas_office", asked=asked)
    assert "Korean" in reply and "436,900" not in reply


async def test_a_short_unclear_message_asks_back_instead_of_repeating(dispatcher, domain):
    _, events = await answer(dispatcher, domain, "Tell me about the Seoul office", "en", "ask_overseas_office")
    tracker = make_tracker("hmm?", "nlu_fallback", slots={"language": "en", "asked": slot_events(events)["asked"]})
    dispatcher.messages.clear()
    await ActionFallback().run(dispatcher, tracker, domain)
    reply = texts(dispatcher)
    assert "Do you mean" in reply and "Korean" not in reply and kind(dispatcher) == "clarify"


async def test_a_follow_up_classified_as_small_talk_is_answered(dispatcher, domain):
    _, events = await answer(dispatcher, domain, "ฮอกไกโดมีเมืองพี่เมืองน้องที่เกาหลีที่ไหนบ้าง", "th", "ask_sister_region")
    tracker = make_tracker("แล้วเชจูล่ะ", "goodbye", slots={"language": "th", "asked": slot_events(events)["asked"]})
    dispatcher.messages.clear()
    await ActionSmallTalk().run(dispatcher, tracker, domain)
    assert "2016" in texts(dispatcher)


async def test_plain_acknowledgement_is_not_a_follow_up(dispatcher, domain):
    tracker = make_tracker("ok", "acknowledge", slots={"language": "en"})
    await ActionSmallTalk().run(dispatcher, tracker, domain)
    assert texts(dispatcher).startswith("👍")


async def test_a_bare_number_is_not_taken_for_a_goodbye(dispatcher, domain):
    tracker = make_tracker("2019", "goodbye", slots={"language": "ko"})
    await ActionSmallTalk().run(dispatcher, tracker, domain)
    assert "다시 찾아 주세요" not in texts(dispatcher) and "이해하지 못했어요" in texts(dispatcher)


# ── the plan's structure, indirect questions, fallback ───────────────────

async def test_a_theme_is_answered_from_its_section(dispatcher, domain):
    reply, _ = await answer(dispatcher, domain, "What does the plan say about multicultural coexistence?", "en")
    assert "multicultural coexistence" in reply.splitlines()[0] and "d2-s1-" in reply


async def test_the_development_directions_are_listed(dispatcher, domain):
    reply, _ = await answer(dispatcher, domain, "What are the development directions of the plan?", "en")
    assert "Development Direction II" in reply and "Development Direction III" in reply


async def test_an_indirect_question_finds_the_passage_that_names_its_subject(dispatcher, domain):
    reply, _ = await answer(dispatcher, domain, "Who does Hokkaido work with on investment? Which organisations?", "en")
    assert "JETRO" in reply and "d3-s2-example-investment-liaison-meeting" in reply


async def test_programme_answer_cites_its_date(dispatcher, domain):
    reply, _ = await answer(dispatcher, domain, "Since when are the HACCP seminars held?", "en", "ask_export_support")
    assert "HACCP" in reply and "d3-s1-example-haccp-seminars" in reply and "April 2014" in reply


async def test_unanswerable_question_abstains(dispatcher, domain):
    tracker = make_tracker("What's the weather in Sapporo tomorrow?", "out_of_scope", slots={"language": "en"})
    await ActionFallback().run(dispatcher, tracker, domain)
    reply = texts(dispatcher)
    assert "The plan gives no weather" in reply and "Consultation Center" in reply


async def test_personal_case_routes_to_the_center(dispatcher, domain):
    tracker = make_tracker("my visa expires, what do I do?", "ask_personal_case", slots={"language": "en"})
    await ActionFallback().run(dispatcher, tracker, domain)
    reply = texts(dispatcher)
    assert "visa" in reply and "11 or more languages" in reply and "one-stop" in reply


async def test_empty_message_gets_a_polite_prompt(dispatcher, domain):
    tracker = make_tracker("   ", "nlu_fallback", slots={"language": "ko"})
    await ActionFallback().run(dispatcher, tracker, domain)
    assert "메시지가 비어" in texts(dispatcher)


async def test_change_language(dispatcher, domain):
    tracker = make_tracker("по-русски", "change_language", {"requested_language": "ru"}, {"language": "ru"})
    events = await ActionChangeLanguage().run(dispatcher, tracker, domain)
    assert slot_events(events) == {"language_choice": "ru"}
    assert detect_language(texts(dispatcher)).language == "ru"


async def test_a_question_about_a_language_is_not_a_switch(dispatcher, domain):
    _, events = await answer(dispatcher, domain, "ศูนย์ให้คำปรึกษาชาวต่างชาติเปิดเมื่อไหร่", "th", "ask_consultation_center")
    tracker = make_tracker("ภาษาไทยได้มั้ย", "change_language", slots={"language": "th", "asked": slot_events(events)["asked"]})
    dispatcher.messages.clear()
    events = await ActionChangeLanguage().run(dispatcher, tracker, domain)
    assert "language_choice" not in slot_events(events) and "11" in texts(dispatcher)


async def test_change_language_without_a_language_offers_a_menu(dispatcher, domain):
    tracker = make_tracker("change language", "change_language", slots={"language": "en"})
    await ActionChangeLanguage().run(dispatcher, tracker, domain)
    [message] = dispatcher.messages
    assert len(message["buttons"]) == 8


async def test_handoff_records_summaries(dispatcher, domain):
    tracker = make_tracker("I want to talk to a person", "request_human", slots={"language": "en"},
                           history=["Does Hokkaido have an office in Korea?"])
    events = await ActionHandoff().run(dispatcher, tracker, domain)
    record = slot_events(events)["handoff"]
    assert "office in Korea" in record["summary_ja"] and record["summary_ja"].startswith("利用者の言語：英語")
    assert record["summary_user_language"].startswith("User's language: English")
    assert "Consultation Center" in texts(dispatcher)


async def test_feedback_is_recorded(dispatcher, domain):
    tracker = make_tracker('/feedback{"helpful":"yes"}', "feedback", {"helpful": "yes"}, {"language": "en"})
    events = await ActionRecordFeedback().run(dispatcher, tracker, domain)
    assert slot_events(events) == {"feedback": "yes"}


@pytest.mark.parametrize("language,expected", [
    ("en", "as of October 2021"), ("zh", "截至2021年10月"), ("ko", "2021년 10월 기준"),
    ("th", "ณ เดือนตุลาคม 2021"), ("ru", "по состоянию на октябрь 2021 г."), ("ja", "2021年10月時点"),
])
async def test_plan_dates_are_rendered_in_the_answer_language(dispatcher, domain, language, expected):
    reply, _ = await answer(dispatcher, domain, "Seoul Office", language, "ask_overseas_office")
    assert expected in reply


async def test_undated_staff_answers_carry_no_other_passages_date(dispatcher, domain):
    reply, _ = await answer(dispatcher, domain, "How many staff work at the ASEAN office?", "en", "ask_overseas_office")
    assert "Local staff 1" in reply and "October 2021" not in reply and "may belong to this office" in reply


# ── mechanisms found by the conversation suites ──────────────────────────

@pytest.mark.parametrize("language,switch_back", [
    ("ja", "やっぱり日本語に戻してください"), ("zh", "还是换回中文吧"), ("ko", "아 역시 한국어로 다시 바꿔 줘"),
    ("th", "กลับมาใช้ภาษาไทยดีกว่าค่ะ"), ("en", "back to English please"),
])
async def test_switching_back_after_a_question_is_a_switch(dispatcher, domain, language, switch_back):
    asked = await asked_after(dispatcher, domain, "Which languages does the Seoul office publish in?", "en",
                              "ask_overseas_office")
    tracker = make_tracker(switch_back, "change_language",
                           slots={"language": language, "language_choice": "ru", "asked": asked})
    events = await ActionChangeLanguage().run(dispatcher, tracker, domain)
    assert slot_events(events).get("language_choice") == language and "Korean" not in texts(dispatcher)


async def test_a_named_place_keeps_its_own_figure_after_an_office(dispatcher, domain):
    asked = await asked_after(dispatcher, domain, "Tell me about the Seoul office", "en", "ask_overseas_office")
    reply, _ = await answer(dispatcher, domain, "How many flights are there from China?", "en", "ask_region_figures", asked=asked)
    assert "10 routes" in reply and "Seoul" not in reply


async def test_an_office_attribute_asked_of_a_country_is_its_offices(dispatcher, domain):
    asked = await asked_after(dispatcher, domain, "Which languages does the Seoul office publish in?", "en", "ask_overseas_office")
    reply, _ = await answer(dispatcher, domain, "China?", "en", "ask_overseas_office", asked=asked)
    assert "Shanghai" in reply and "Chinese" in reply and "GDP" not in reply


async def test_an_attribute_only_one_thing_has_names_it(dispatcher, domain):
    reply, _ = await answer(dispatcher, domain, "北海道产品出口用的那个标志，在哪些国家和地区注册了商标？", "zh", "ask_export_support")
    assert "越南" in reply and "7" in reply


async def test_personal_context_yields_to_the_topic_asked(dispatcher, domain):
    reply, _ = await answer(dispatcher, domain, "I'm Thai and live in Sapporo. Is there a center that helps foreigners?",
                            "en", "ask_consultation_center")
    assert "Consultation Center" in reply and "11" in reply


async def test_a_figure_of_a_place_without_a_profile_comes_from_a_passage_that_holds_it(dispatcher, domain):
    reply, _ = await answer(dispatcher, domain, "What did Hokkaido do in Vietnam to get direct flights?", "en",
                            "ask_region_figures")
    assert "VietJet" in reply and "Regular flight routes:" not in reply  # no ASEAN figure for Vietnam


async def test_is_this_an_ai_after_a_question_is_small_talk(dispatcher, domain):
    asked = await asked_after(dispatcher, domain, "首尔事务所用什么语言发布信息？", "zh", "ask_overseas_office")
    tracker = make_tracker("现在回我消息的是AI吗", "bot_challenge", slots={"language": "zh", "asked": asked})
    await ActionSmallTalk().run(dispatcher, tracker, domain)
    assert "机器人" in texts(dispatcher) and "韩语" not in texts(dispatcher)
