"""The action service: composes every reply in the conversation's language.

`rasa_sdk` imports every module of this package and registers its actions:
small talk (`small_talk`), grounded answers (`answers`), language switching
(`language_switch`), handoff (`handoff`), honest fallback (`fallback`) and
feedback (`feedback`). Texts live in `texts.yml`, facts in `knowledge/`.
"""
