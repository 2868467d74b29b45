"""Every interface text a template names exists in every interface language (Jinja would
silently render a missing one as nothing), and none hides a dict method (`t.copy`)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from console.i18n import texts
from console.inbox import STATUSES
from console.settings import options
from knowledge.facts import load_facts

TEMPLATES = Path("console/templates")
PREFIXED = {"status_": STATUSES, "action_": STATUSES, "channel_": ("web", "line", "slack"),
            "speaker_": ("user", "bot", "staff"), "role_": ("staff", "editor"),
            "decision_": ("reviewed", "corrected"), "interface_": ("ja", "en"),
            "fact_": tuple({fact.kind for fact in load_facts()})}


def named_keys() -> set:
    keys = set()
    for template in TEMPLATES.glob("*.html"):
        keys |= set(re.findall(r"\bt\.([a-z_]+)", template.read_text("utf-8")))
    for source in [*TEMPLATES.glob("*.html"), Path("console/app.py")]:
        keys |= set(re.findall(r"""["'](error_[a-z_]+)["']""", source.read_text("utf-8")))
    return keys | {prefix + value for prefix, values in PREFIXED.items() for value in values}


@pytest.mark.parametrize("language", options()["interface_languages"])
def test_every_named_text_exists(language: str) -> None:
    loaded = texts(language)
    assert named_keys() - set(loaded) == set()
    assert all(value and isinstance(value, str) for value in loaded.values())
    assert [key for key in loaded if hasattr({}, key)] == []
