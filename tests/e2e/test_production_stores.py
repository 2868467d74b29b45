"""The production shape on one machine: two Rasa replicas (each with its
action service) sharing a PostgreSQL tracker store and a Redis lock store, as
in docker-compose.yml (bot/endpoints.production.yml). A conversation moves
between replicas mid-way and its follow-ups still work; every turn is in
PostgreSQL."""
import os
import subprocess

import pytest

from bot.launcher import ROOT
from tests.support.services import start_postgres, start_redis
from tests.support.stack import start_stack

PASSWORD = "test-only-password"


@pytest.fixture(scope="module")
def replicas():
    postgres = start_postgres("rasa", "rasa", PASSWORD)
    redis = start_redis(password=PASSWORD)
    env = {
        "POSTGRES_HOST": "127.0.0.1", "POSTGRES_PORT": str(postgres.port), "POSTGRES_DB": "rasa",
        "POSTGRES_USER": "rasa", "POSTGRES_PASSWORD": PASSWORD,
        "REDIS_HOST": "127.0.0.1", "REDIS_PORT": str(redis.port),
        "REDIS_PASSWORD": PASSWORD,
        "WEB_SESSION_SECRET": "test-only-session-secret",  # one secret for all replicas
    }
    stacks = []
    try:
        for _ in range(2):
            stacks.append(start_stack(extra_env=env, endpoints=ROOT / "bot" / "endpoints.production.yml"))
        yield stacks, postgres.port
    finally:
        for stack in stacks:
            stack.stop()
        redis.stop()
        postgres.stop()


def test_a_conversation_continues_across_replicas_and_is_stored_in_postgres(replicas):
    (first, second), port = replicas
    reply = first.send("replica-user", "중국에서 오는 정기편은 몇 노선인가요?")
    assert "10개 노선" in reply[0]["text"], reply
    reply = second.send("replica-user", "한국은요?")
    assert "2개 노선" in reply[0]["text"], reply
    reply = first.send("replica-user", "ok")
    assert reply and "👍" in reply[0]["text"]
    rows = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-p", str(port), "-U", "rasa", "-d", "rasa", "-tA", "-c",
         "SELECT count(*) FROM events WHERE sender_id = "
         f"'{first.conversation_id('replica-user')}' AND type_name = 'user'"],
        capture_output=True, text=True, check=True, env={**os.environ, "PGPASSWORD": PASSWORD},
    )
    assert rows.stdout.strip() == "3"
