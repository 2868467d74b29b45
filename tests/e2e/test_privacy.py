"""Personal identifiers never reach storage or logs, through the running
stack: every identifier message of the PII test set is sent in its language
(then a handoff request, whose summary quotes them), with the Rasa server
logging at DEBUG (which logs each message); then the SQLite and PostgreSQL
databases are read directly and the log files searched. "Forget me" is asked
in each language and the conversation's rows are gone."""
import json
import os
import sqlite3
import subprocess

import pytest

from actions.texts import text
from bot.launcher import ROOT
from nlu.languages import LANGUAGES
from nlu.redaction import fold_width
from tests.eval.pii_eval import load_set
from tests.support.services import start_postgres, start_redis
from tests.support.stack import start_stack

PASSWORD = "test-only-password"
DEBUG_LOGS = {"LOG_LEVEL": "DEBUG"}
HANDOFF = {"ja": "担当者と話したい", "en": "I want to talk to a person", "zh": "我想和工作人员谈",
           "ko": "사람과 이야기하고 싶어요", "th": "ขอคุยกับเจ้าหน้าที่", "ru": "хочу поговорить с человеком"}
# Not in the training data.
FORGET = {"ja": "私の会話データを全部消してもらえますか", "en": "Please delete everything from this chat",
          "zh": "请把我们的聊天内容全部删除", "ko": "지금까지의 대화를 지워 주실 수 있나요?",
          "th": "ช่วยลบการสนทนาของเราทั้งหมดได้ไหม", "ru": "Пожалуйста, удалите нашу переписку"}
# A question whose stored answer must keep its plan figure.
FIGURE = ("How many regular flights are there from China?", "10 routes")


def identifiers(language):
    return [(item["text"], [value for _, value in item["pii"]])
            for item in load_set(language)["identifiers"]]


def converse(stack, language):
    """All identifier messages of `language`, then a handoff request."""
    sender = f"pii-{language}"
    for message, _ in identifiers(language):
        assert stack.send(sender, message), message
    assert stack.send(sender, HANDOFF[language])


def leaked(stored_text):
    """The identifiers of the test set that appear in `stored_text`: as typed,
    width-folded, or JSON-escaped as in Rasa's structured log lines."""
    found = []
    for language in LANGUAGES:
        for _, values in identifiers(language):
            for value in values:
                forms = {value, fold_width(value)}
                forms |= {json.dumps(form)[1:-1] for form in forms}
                found += [value] if any(form in stored_text for form in forms) else []
    return found


def decoded(rows):
    return "\n".join(json.dumps(json.loads(data), ensure_ascii=False) for (data,) in rows)


@pytest.fixture(scope="module")
def sqlite_stack():
    stack = start_stack(extra_env=DEBUG_LOGS)
    yield stack
    stack.stop()


def test_sqlite_and_logs_hold_no_identifier_in_the_clear(sqlite_stack):
    for language in LANGUAGES:
        converse(sqlite_stack, language)
    reply = sqlite_stack.send("pii-figure", FIGURE[0])
    assert FIGURE[1] in reply[0]["text"]
    db = sqlite3.connect(sqlite_stack.workdir / "conversations.db")
    stored = decoded(db.execute("SELECT data FROM events").fetchall())
    assert "parse_data_text" in (sqlite_stack.workdir / "stack.log").read_text("utf-8")
    assert leaked(stored) == []
    assert leaked((sqlite_stack.workdir / "stack.log").read_text("utf-8")) == []
    for placeholder in ("[電話番号]", "[phone]", "[电话号码]", "[전화번호]", "[เบอร์โทรศัพท์]",
                        "[телефон]", "[在留カード番号]", "[地址]"):
        assert placeholder in stored
    handoffs = [json.loads(d)["value"] for (d,) in db.execute(
        "SELECT data FROM events WHERE type_name = 'slot' AND data LIKE '%summary_ja%'")]
    assert len(handoffs) >= len(LANGUAGES) and all("[" in h["summary_ja"] for h in handoffs[-1:])
    assert FIGURE[1] in stored  # the plan's figure survives in the stored answer
    for language in LANGUAGES:  # no message carrying an identifier was taken for "forget me"
        (turns,) = db.execute("SELECT COUNT(*) FROM events WHERE sender_id = ? AND type_name = 'user'",
                              (sqlite_stack.conversation_id(f"pii-{language}"),)).fetchone()
        assert turns == len(identifiers(language)) + 1, language


@pytest.mark.parametrize("language", LANGUAGES)
def test_forget_me_deletes_the_conversation_in_each_language(sqlite_stack, language):
    sender = f"forget-{language}"
    sqlite_stack.send(sender, identifiers(language)[0][0])
    reply = sqlite_stack.send(sender, FORGET[language])
    assert [m.get("text") for m in reply] == [text("forget_done", language)]
    db = sqlite3.connect(sqlite_stack.workdir / "conversations.db")
    count = db.execute("SELECT COUNT(*) FROM events WHERE sender_id = ?",
                       (sqlite_stack.conversation_id(sender),))
    assert count.fetchone() == (0,)
    assert sqlite_stack.send(sender, HANDOFF[language])  # a new conversation starts normally


@pytest.fixture(scope="module")
def postgres_stack():
    postgres = start_postgres("rasa", "rasa", PASSWORD)
    redis = start_redis(password=PASSWORD)
    env = {
        **DEBUG_LOGS,
        "POSTGRES_HOST": "127.0.0.1", "POSTGRES_PORT": str(postgres.port), "POSTGRES_DB": "rasa",
        "POSTGRES_USER": "rasa", "POSTGRES_PASSWORD": PASSWORD,
        "REDIS_HOST": "127.0.0.1", "REDIS_PORT": str(redis.port), "REDIS_PASSWORD": PASSWORD,
    }
    try:
        stack = start_stack(extra_env=env, endpoints=ROOT / "bot" / "endpoints.production.yml")
        yield stack, postgres.port
        stack.stop()
    finally:
        redis.stop()
        postgres.stop()


def psql(port, sql):
    run = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-p", str(port), "-U", "rasa", "-d", "rasa", "-tA", "-c", sql],
        capture_output=True, text=True, check=True, env={**os.environ, "PGPASSWORD": PASSWORD},
    )
    return run.stdout


def test_postgresql_and_logs_hold_no_identifier_in_the_clear(postgres_stack):
    stack, port = postgres_stack
    for language in LANGUAGES:
        converse(stack, language)
    rows = [(line,) for line in psql(port, "SELECT data FROM events").splitlines() if line]
    stored = decoded(rows)
    assert "[電話番号]" in stored and "[номер карты резидента]" in stored
    assert leaked(stored) == []
    assert leaked((stack.workdir / "stack.log").read_text("utf-8")) == []
    stack.send("forget-ru", identifiers("ru")[0][0])
    reply = stack.send("forget-ru", FORGET["ru"])
    assert [m.get("text") for m in reply] == [text("forget_done", "ru")]
    # conversation ids are issued by the server: `web:<hex>`, safe to put in the SQL
    count = "SELECT COUNT(*) FROM events WHERE sender_id = '{}'"
    assert psql(port, count.format(stack.conversation_id("forget-ru"))).strip() == "0"
    assert int(psql(port, count.format(stack.conversation_id("pii-ru")))) > 0
