"""Start the Rasa server (`python -m bot.server run ...`, same arguments as `rasa`).

It is Rasa's own command line with safe defaults and one fix to its per-turn work.

Safe defaults for `run` (docs/operations.md):

- Rasa's HTTP API (trackers, events, model replacement) stays off unless `--enable-api` is
  given, and then it always requires the token in `$RASA_API_TOKEN` (never on the command line,
  where `ps` would show it). Without the variable the server refuses to start.
- The server listens on `bot/server.yml`'s interface (loopback) unless `--interface` or
  `$RASA_INTERFACE` says otherwise, and answers CORS only for the configured origins.
- Channel sections of `--credentials` whose `${VARIABLES}` are not all set are dropped, so a
  deployment without LINE secrets simply has no LINE webhook.
- Request bodies are capped at `request_max_bytes` (bot/channels/limits.yml): Sanic answers 413
  before reading more.

The per-turn fix: after every custom action Rasa 3.6 validates the action service's response
with `jsonschema.validate`, which first checks the constant response schema against the
JSON-Schema metaschema: 1.4 ms of every turn on this machine, more than the validation itself
(0.15 ms). Here the schema is checked once, at start, and each response is validated by the
prebuilt validator: the same checks and the same error as Rasa's. `make bench` measures the
difference (docs/benchmarks.md).

It also masks personal identifiers in every log line of the process
(nlu/redaction.py), before Rasa configures its log handlers.
"""
from __future__ import annotations

import os
import re
import sys
import tempfile
from pathlib import Path
from typing import Any, Dict, List, Mapping, Text

import jsonschema
import yaml
from rasa.core.actions.action import RemoteAction

from nlu.redaction import install_log_redaction
from bot.channels.limits import load_limits

SETTINGS_FILE = Path(__file__).with_name("server.yml")
API_TOKEN_ENV = "RASA_API_TOKEN"
CHANNEL_VARIABLES = re.compile(r"\$\{([A-Z0-9_]+)\}")


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


def enabled_credentials(template: str, env: Mapping[str, str]) -> str:
    """Keep only the channel sections whose ${VARIABLES} are all set in `env`.

    Rasa refuses to start when a referenced variable is missing, and a
    channel without its secrets must not be exposed, so such sections go.
    """
    sections: List[List[str]] = []
    for line in template.splitlines():
        if line and not line[0].isspace() and not line.startswith("#"):
            sections.append([line])
        elif sections:
            sections[-1].append(line)
    kept = [
        "\n".join(lines)
        for lines in sections
        if all(env.get(name) for name in CHANNEL_VARIABLES.findall("\n".join(lines)))
    ]
    return "\n".join(kept) + "\n"


class UnsafeStart(SystemExit):
    """The command line asks for something only a configured deployment may have."""


def _option(args: List[str], *names: str) -> int:
    """Index of the first of `names` in `args`, or -1."""
    return next((i for i, arg in enumerate(args) if arg in names), -1)


def safe_run_arguments(args: List[str], env: Mapping[str, str]) -> List[str]:
    """`rasa run` arguments with the defaults described in the module docstring."""
    args = list(args)
    settings = yaml.safe_load(SETTINGS_FILE.read_text("utf-8"))
    if _option(args, "--auth-token", "-t") >= 0:
        raise UnsafeStart(f"Pass the API token in ${API_TOKEN_ENV}, not on the command line.")
    if "--enable-api" in args:
        if not env.get(API_TOKEN_ENV):
            raise UnsafeStart(
                f"--enable-api needs a token: set ${API_TOKEN_ENV} to a long random value."
            )
        args += ["--auth-token", env[API_TOKEN_ENV]]
    if _option(args, "--interface", "-i") < 0:
        args += ["--interface", env.get("RASA_INTERFACE") or settings["interface"]]
    if "--cors" not in args:
        origins = env.get("CORS_ORIGINS")
        origins_list = (origins.replace(",", " ").split() if origins is not None
                        else settings.get("cors_origins") or [])
        if origins_list:
            args += ["--cors", *origins_list]
    position = _option(args, "--credentials")
    if position >= 0 and position + 1 < len(args):
        template = Path(args[position + 1]).read_text("utf-8")
        with tempfile.NamedTemporaryFile(
            "w", suffix=".yml", prefix="credentials-", delete=False, encoding="utf-8"
        ) as filtered:
            filtered.write(enabled_credentials(template, env))
        args[position + 1] = filtered.name
    return args


def main() -> None:
    from rasa.__main__ import main as rasa_main

    install()
    install_log_redaction()
    args = sys.argv[1:]
    if args[:1] == ["run"]:
        os.environ["SANIC_REQUEST_MAX_SIZE"] = str(load_limits().request_max_bytes)
        sys.argv = [sys.argv[0], *safe_run_arguments(args, os.environ)]
    rasa_main()


if __name__ == "__main__":
    main()
