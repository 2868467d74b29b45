"""`make eval`: pass rate of the scripted conversations per language.

Starts its own stack on free ports, runs tests/e2e/conversations/<lang>.yml,
prints the pass rate per language with every failure, and writes
docs/conversation-evaluation.md. Exits non-zero if a language is below 95%.
"""
from __future__ import annotations

import sys
from pathlib import Path

from nlu.languages import LANGUAGES
from tests.e2e.conversations import run_all
from tests.support.stack import start_stack

REPORT = Path(__file__).resolve().parents[2] / "docs" / "conversation-evaluation.md"


def main() -> None:
    with start_stack() as stack:
        results = run_all(stack)
    lines = ["# Conversation evaluation", "",
             "Command: `make eval`. Each conversation is driven through the REST channel of a",
             "freshly started stack; a conversation passes when every turn is answered in the",
             "expected language and contains the expected facts.", "",
             "| language | conversations | passed | pass rate |", "|---|---|---|---|"]
    worst = 1.0
    failures = []
    for language in LANGUAGES:
        outcomes = results[language]
        passed = sum(o.passed for o in outcomes)
        rate = passed / len(outcomes)
        worst = min(worst, rate)
        lines.append(f"| {language} | {len(outcomes)} | {passed} | {rate:.1%} |")
        failures += [f"- {language} / {o.name}: {'; '.join(o.failures)}" for o in outcomes if not o.passed]
    lines += ["", "## Failures", ""] + (failures or ["None."]) + [""]
    text = "\n".join(lines)
    print(text)
    REPORT.write_text(text, "utf-8")
    if worst < 0.95:
        sys.exit(f"A language is below 95% ({worst:.1%}).")


if __name__ == "__main__":
    main()
