"""At least 95% of the scripted conversations pass in every language."""
import pytest

from nlu.languages import LANGUAGES
from tests.e2e.conversations import load_conversations, run_language

REQUIRED_PASS_RATE = 0.95


@pytest.mark.parametrize("language", LANGUAGES)
def test_conversations(stack, language):
    assert len(load_conversations(language)) >= 25
    outcomes = run_language(stack, language)
    failed = [o for o in outcomes if not o.passed]
    rate = 1 - len(failed) / len(outcomes)
    report = "\n".join(f"- {o.name}: {'; '.join(o.failures)}" for o in failed)
    assert rate >= REQUIRED_PASS_RATE, f"{language}: {rate:.0%} passed\n{report}"
