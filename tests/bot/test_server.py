"""bot.server validates action responses like Rasa, with a prebuilt validator."""
from pathlib import Path

import jsonschema
import pytest
import yaml
from rasa.core.actions.action import RemoteAction
from rasa.utils.endpoints import EndpointConfig

from bot import server

VALID = {
    "events": [{"event": "slot", "name": "place", "value": "korea", "timestamp": None}],
    "responses": [{"text": "北海道・北東北三県ソウル事務所", "custom": {"citation": {"id": "p1"}}}],
}
INVALID = [
    {"events": [{"event": "slot", "value": "korea"}]},  # a slot event without its name
    {"events": {"event": "slot"}},  # events must be a list
    {"responses": ["just text"]},  # responses must be objects
]


@pytest.fixture
def action(monkeypatch):
    monkeypatch.setattr(RemoteAction, "_validate_action_result", RemoteAction._validate_action_result)
    server.install()
    return RemoteAction("action_answer", EndpointConfig("http://localhost:5055/webhook"))


def test_install_replaces_rasas_validation(action):
    assert RemoteAction._validate_action_result is server._validate_action_result


def test_a_valid_response_passes(action):
    assert action._validate_action_result(VALID) is True


@pytest.mark.parametrize("result", INVALID)
def test_an_invalid_response_fails_with_rasas_error(action, result):
    with pytest.raises(jsonschema.ValidationError, match="Failed to validate Action server response"):
        action._validate_action_result(result)


@pytest.mark.parametrize("result", [VALID, *INVALID])
def test_the_verdict_is_the_same_as_jsonschema_validate(result):
    spec = RemoteAction.action_response_format_spec()
    try:
        jsonschema.validate(result, spec)
        expected = True
    except jsonschema.ValidationError:
        expected = False
    assert server._RESPONSE_VALIDATOR.is_valid(result) is expected


def test_channels_without_their_variables_are_dropped():
    template = Path("bot/credentials.yml").read_text("utf-8")
    kept = yaml.safe_load(server.enabled_credentials(
        template, {"LINE_CHANNEL_SECRET": "x", "LINE_CHANNEL_ACCESS_TOKEN": "y"}))
    assert set(kept) == {"bot.channels.rest.RestInput", "bot.channels.line.LineInput",
                         "bot.channels.staff.StaffInput"}


def test_the_api_needs_a_token_from_the_environment():
    with pytest.raises(server.UnsafeStart, match="RASA_API_TOKEN"):
        server.safe_run_arguments(["run", "--enable-api"], {})
    with pytest.raises(server.UnsafeStart, match="command line"):
        server.safe_run_arguments(["run", "--auth-token", "x"], {"RASA_API_TOKEN": "x"})
    args = server.safe_run_arguments(["run", "--enable-api"], {"RASA_API_TOKEN": "t0ken"})
    assert args[args.index("--auth-token") + 1] == "t0ken"


def test_loopback_and_configured_cors_by_default():
    args = server.safe_run_arguments(["run"], {})
    assert args[args.index("--interface") + 1] == "127.0.0.1"
    assert "*" not in args and "http://127.0.0.1:8080" in args
    assert "--cors" not in server.safe_run_arguments(["run"], {"CORS_ORIGINS": ""})
