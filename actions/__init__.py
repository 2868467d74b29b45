"""The action service: composes every reply in the conversation's language.

`rasa_sdk` imports every module of this package and registers its actions:
small talk (`small_talk`), grounded answers (`answers`), language switching
(`language_switch`), handoff (`handoff`), honest fallback (`fallback`),
feedback (`feedback`), "forget me" (`forget`) and the session start
(`session`). Texts live in `texts.yml`, facts in `knowledge/`.

Importing the package also masks personal identifiers in every log line of
the action service (nlu/redaction.py): rasa_sdk imports it at start.
"""
from nlu.redaction import install_log_redaction

install_log_redaction()
