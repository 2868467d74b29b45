"""Start the Rasa server (`python -m bot.server run ...`, same arguments as `rasa`).

It is Rasa's own command line with one fix to its per-turn work. After every
custom action Rasa 3.6 validates the action service's response with
`jsonschema.validate`, which first checks the constant response schema
against the JSON-Schema metaschema: 1.4 ms of every turn on this machine,
more than the validation itself (0.15 ms). Here the schema is checked once,
at start, and each response is validated by the prebuilt validator: the same
checks and the same error as Rasa's, without the repeated schema check.
`make bench` measures the difference (docs/benchmarks.md).

It also masks personal identifiers in every log line of the process
(nlu/redaction.py), before Rasa configures its log handlers.
"""
from __future__ import annotations

from typing import Any, Dict, Text

import jsonschema
from rasa.core.actions.action import RemoteAction

from nlu.redaction import install_log_redaction


def _response_validator() -> Any:
    schema = RemoteAction.action_response_format_spec()
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


_RESPONSE_VALIDATOR = _response_validator()
_ORIGINAL_VALIDATION = RemoteAction._validate_action_result


def _validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
    """Rasa's check with a prebuilt validator; invalid results still raise
    through Rasa's own method, so the error and its message are unchanged."""
    if _RESPONSE_VALIDATOR.is_valid(result):
        return True
    return _ORIGINAL_VALIDATION(self, result)


def install() -> None:
    """Replace Rasa's action-response validation with the prebuilt one."""
    RemoteAction._validate_action_result = _validate_action_result


def main() -> None:
    from rasa.__main__ import main as rasa_main

    install()
    install_log_redaction()
    rasa_main()


if __name__ == "__main__":
    main()
