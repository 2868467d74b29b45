"""Each action run against tracker fixtures: right language, right fact,
citation attached, slots for follow-ups."""
import pytest

from actions.answers import ActionAnswer
from actions.fallback import ActionFallback
from actions.feedback import ActionRecordFeedback
from actions.handoff import ActionHandoff
from actions.language_switch import ActionChangeLanguage
from actions.small_talk import ActionSmallTalk
from nlu.language_detection import detect_language
from tests.actions.conftest import make_tracker


def texts(dispatcher):
    return "\n".join(m["text"] for m in dispatcher.messages if m.get("text"))


def slot_events(events):
    return {e["name"]: e["value"] for e in events if e["event"] == "slot"}


@pytest.mark.parametrize("language", ["ja", "en", "zh", "ko", "th", "ru"])
async def test_greeting_in_the_conversation_language(dispatcher, domain, language):
    tracker = make_tracker("hi", "greet", slots={"language": language})
    await ActionSmallTalk().run(dispatcher, tracker, domain)
    assert detect_language(texts(dispatcher)).language == language


async def test_explicit_choice_wins_over_detection(dispatcher, domain):
    tracker = make_tracker("thanks", "thanks", slots={"language": "en", "language_choice": "ru"})
    await ActionSmallTalk().run(dispatcher, tracker, domain)
    assert detect_language(texts(dispatcher)).language == "ru"


@pytest.mark.parametrize("language,expected", [
    ("en", ["Seoul", "Korean"]), ("ja", ["ソウル事務所", "韓国語"]), ("zh", ["首尔", "韩语"]),
    ("ko", ["서울", "한국어"]), ("th", ["โซล", "ภาษาเกาหลี"]), ("ru", ["Сеул", "корейский"]),
])
async def test_office_in_a_country(dispatcher, domain, language, expected):
    tracker = make_tracker("office in Korea?", "ask_overseas_office", {"place": "korea"},
                           {"language": language})
    events = await ActionAnswer().run(dispatcher, tracker, domain)
    reply = texts(dispatcher)
    for word in expected:
        assert word.lower() in reply.lower(), reply
    assert "d1-s2-example-overseas-office-info" in reply
    assert slot_events(events)["office"] == "seoul_office"
    [citation] = [m["custom"] for m in dispatcher.messages if m.get("custom")]
    assert citation["type"] == "citation" and citation["original_ja"]


async def test_follow_up_uses_the_remembered_office(dispatcher, domain):
    tracker = make_tracker("What language does it publish in?", "ask_overseas_office",
                           slots={"language": "en", "office": "asean_office"})
    await ActionAnswer().run(dispatcher, tracker, domain)
    reply = texts(dispatcher)
    assert "English" in reply and "Thai" in reply and "2016" in reply
    assert "as of October 2021" in reply


@pytest.mark.parametrize("language,place,expected", [
    ("en", "china", "10 routes"), ("zh", "china", "10条航线"), ("ko", "korea", "2개 노선"),
    ("th", "asean", "4 เส้นทาง"), ("ru", "taiwan_hongkong", "5 маршрутов"), ("ja", "europe", "1路線"),
])
async def test_flights_by_region(dispatcher, domain, language, place, expected):
    tracker = make_tracker("flights?", "ask_region_figures", {"place": place, "metric": "flights"},
                           {"language": language})
    events = await ActionAnswer().run(dispatcher, tracker, domain)
    assert expected in texts(dispatcher)
    assert slot_events(events)["metric"] == "flights"


async def test_and_korea_follow_up_keeps_the_figure(dispatcher, domain):
    tracker = make_tracker("And Korea?", "ask_region_figures", {"place": "korea"},
                           {"language": "en", "metric": "population", "place": "china"})
    await ActionAnswer().run(dispatcher, tracker, domain)
    reply = texts(dispatcher)
    assert "50 million people" in reply and "1.43" not in reply


async def test_missing_figure_is_said_honestly(dispatcher, domain):
    tracker = make_tracker("flights from Africa?", "ask_region_figures",
                           {"place": "africa", "metric": "flights"}, {"language": "en"})
    await ActionAnswer().run(dispatcher, tracker, domain)
    assert "The plan gives no Regular flight routes figure for Africa" in texts(dispatcher)


async def test_sister_regions_of_a_country(dispatcher, domain):
    tracker = make_tracker("sister regions in Korea", "ask_sister_region", {"place": "korea"},
                           {"language": "en"})
    await ActionAnswer().run(dispatcher, tracker, domain)
    reply = texts(dispatcher)
    for year in ("2005", "2006", "2010", "2016"):
        assert year in reply
    assert "1986" not in reply


async def test_consultation_center_answer(dispatcher, domain):
    tracker = make_tracker("相談センターとは？", "ask_consultation_center", slots={"language": "ja"})
    await ActionAnswer().run(dispatcher, tracker, domain)
    reply = texts(dispatcher)
    assert "北海道外国人相談センター" in reply and "11言語以上" in reply and "2019" in reply


async def test_programme_answer_cites_its_date(dispatcher, domain):
    tracker = make_tracker("HACCP seminars?", "ask_export_support", {"program": "haccp_seminars"},
                           {"language": "en"})
    await ActionAnswer().run(dispatcher, tracker, domain)
    reply = texts(dispatcher)
    assert "HACCP" in reply and "d3-s1-example-haccp-seminars" in reply and "since April 2014" in reply


async def test_other_plan_topic_is_answered_from_a_passage(dispatcher, domain):
    tracker = make_tracker("Tell me about the top sales mission to Vietnam for direct flights",
                           "ask_plan_topic", slots={"language": "en"})
    await ActionAnswer().run(dispatcher, tracker, domain)
    assert "d2-s3-example-vietnam-top-sales" in texts(dispatcher)


async def test_unanswerable_question_abstains(dispatcher, domain):
    tracker = make_tracker("What's the weather in Sapporo tomorrow?", "ask_plan_topic",
                           slots={"language": "en"})
    await ActionAnswer().run(dispatcher, tracker, domain)
    reply = texts(dispatcher)
    assert "doesn't answer" in reply and "Consultation Center" in reply


@pytest.mark.parametrize("intent,lead", [("out_of_scope", "doesn't answer"), ("ask_personal_case", "visa")])
async def test_fallback_routes_to_the_center(dispatcher, domain, intent, lead):
    tracker = make_tracker("my visa expires, what do I do?", intent, slots={"language": "en"})
    await ActionFallback().run(dispatcher, tracker, domain)
    reply = texts(dispatcher)
    assert lead in reply and "11 or more languages" in reply and "one-stop" in reply


async def test_empty_message_gets_a_polite_prompt(dispatcher, domain):
    tracker = make_tracker("   ", "nlu_fallback", slots={"language": "ko"})
    await ActionFallback().run(dispatcher, tracker, domain)
    assert "메시지가 비어" in texts(dispatcher)


async def test_change_language(dispatcher, domain):
    tracker = make_tracker("по-русски", "change_language", {"requested_language": "ru"},
                           {"language": "ru"})
    events = await ActionChangeLanguage().run(dispatcher, tracker, domain)
    assert slot_events(events) == {"language_choice": "ru"}
    assert detect_language(texts(dispatcher)).language == "ru"


async def test_change_language_without_a_language_offers_a_menu(dispatcher, domain):
    tracker = make_tracker("change language", "change_language", slots={"language": "en"})
    await ActionChangeLanguage().run(dispatcher, tracker, domain)
    [message] = dispatcher.messages
    assert len(message["buttons"]) == 7


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


async def test_short_follow_up_continues_the_last_topic(dispatcher, domain):
    tracker = make_tracker("いつから？", "nlu_fallback",
                           slots={"language": "ja", "topic": "ask_overseas_office", "office": "asean_office"})
    events = await ActionAnswer().run(dispatcher, tracker, domain)
    assert "2016" in texts(dispatcher)
    assert slot_events(events)["topic"] == "ask_overseas_office"


async def test_a_named_place_wins_over_hokkaido_and_taiwan_maps_to_its_region(dispatcher, domain):
    tracker = make_tracker("대만이랑 홍콩 관광객은?", "ask_region_figures",
                           {"term": "taiwan", "metric": "visitors"}, {"language": "ko"})
    await ActionAnswer().run(dispatcher, tracker, domain)
    assert "666,700명" in texts(dispatcher)


async def test_a_long_question_without_a_figure_does_not_reuse_the_old_one(dispatcher, domain):
    tracker = make_tracker("아시아 전체에 관해서 계획에 나와 있는 수치를 모두 알려 주세요", "ask_region_figures",
                           {"place": "asia"}, {"language": "ko", "metric": "growth"})
    await ActionAnswer().run(dispatcher, tracker, domain)
    reply = texts(dispatcher)
    assert "4.33%" in reply and "2,136,600명" in reply


@pytest.mark.parametrize("language,expected", [
    ("en", "as of October 2021"), ("zh", "截至2021年10月"), ("ko", "2021년 10월 기준"),
    ("th", "ณ เดือนตุลาคม 2021"), ("ru", "по состоянию на октябрь 2021 г."), ("ja", "2021年10月時点"),
])
async def test_plan_dates_are_rendered_in_the_answer_language(dispatcher, domain, language, expected):
    tracker = make_tracker("office?", "ask_overseas_office", {"office": "seoul_office"}, {"language": language})
    await ActionAnswer().run(dispatcher, tracker, domain)
    assert expected in texts(dispatcher)


async def test_a_place_classified_as_small_talk_is_a_follow_up(dispatcher, domain):
    tracker = make_tracker("แล้วเชจูล่ะ", "goodbye", {"place": "jeju"},
                           {"language": "th", "topic": "ask_sister_region"})
    await ActionSmallTalk().run(dispatcher, tracker, domain)
    assert "2016" in texts(dispatcher)


async def test_plain_acknowledgement_after_an_answer_is_not_a_follow_up(dispatcher, domain):
    tracker = make_tracker("ok", "acknowledge", slots={"language": "en", "topic": "ask_overseas_office",
                                                      "office": "seoul_office"})
    await ActionSmallTalk().run(dispatcher, tracker, domain)
    assert texts(dispatcher).startswith("👍") and "Seoul" not in texts(dispatcher)


async def test_a_bare_number_is_not_taken_for_a_goodbye(dispatcher, domain):
    tracker = make_tracker("2019", "goodbye", slots={"language": "ko"})
    await ActionSmallTalk().run(dispatcher, tracker, domain)
    assert "다시 찾아 주세요" not in texts(dispatcher) and "이해하지 못했어요" in texts(dispatcher)


async def test_a_short_unclear_message_naming_a_place_continues_the_topic(dispatcher, domain):
    tracker = make_tracker("ปูซานล่ะคะ", "nlu_fallback", {"place": "busan"},
                           {"language": "th", "topic": "ask_sister_region", "place": "seoul"})
    await ActionFallback().run(dispatcher, tracker, domain)
    reply = texts(dispatcher)
    assert "ปูซาน" in reply and "2005" in reply and "2010" not in reply


async def test_low_confidence_follow_up_is_answered_from_the_last_topic(dispatcher, domain):
    tracker = make_tracker("and when did it open?", "nlu_fallback",
                           slots={"language": "en", "topic": "ask_consultation_center"})
    await ActionFallback().run(dispatcher, tracker, domain)
    assert "opened in 2019" in texts(dispatcher)
