"""bot.server validates action responses like Rasa, with a prebuilt validator."""
import jsonschema
import pytest
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
